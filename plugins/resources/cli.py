"""``flask forum resources ...``: the library's commands.

* ``import DIR``: move a folder tree (or the files a CSV manifest lists) into the library;
* ``extract``: read the text of files still waiting (after a restart, say);
* ``check-links``: check the links of items that point at documents elsewhere;
* ``review-reminders``: tell contributors which of their items are due for review.

Each runs inside the app context (the ``flask`` command provides it). Progress bars go to
the standard error, and only when it is a terminal; reports go to the standard output.
"""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager

import click

from . import vocabulary as v

EXTRACT_WORDS = (("done", "read"), ("failed", "failed"), ("none", "with no text to read"))


@click.group("resources")
def resources_cli():
    """The Resource Centre (the library)."""


@contextmanager
def _bar(description: str, quiet: bool, unit: str = "file"):
    """A progress bar on the standard error (none with ``--quiet`` or off a terminal):
    yields ``(start(total), step())``."""
    from tqdm import tqdm

    state: dict = {}
    disabled = quiet or not sys.stderr.isatty()

    def start(total: int) -> None:
        state["bar"] = tqdm(
            total=total, desc=description, unit=unit, file=sys.stderr, disable=disabled
        )

    def step(*_) -> None:
        if "bar" in state:
            state["bar"].update(1)

    try:
        yield start, step
    finally:
        if "bar" in state:
            state["bar"].close()


def _count(number: int, noun: str) -> str:
    """``1 link``, ``2 links``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _extraction_summary(counts: Counter) -> str:
    parts = [f"{counts.get(key, 0)} {words}" for key, words in EXTRACT_WORDS]
    return ", ".join(parts)


def _read_texts(file_ids: list[int], *, quiet: bool, retry_failed: bool = False) -> Counter:
    from .importer import read_texts

    with _bar("Reading text", quiet) as (start, step):
        start(len(file_ids))
        return read_texts(file_ids, retry_failed=retry_failed, progress=step)


# -- import ------------------------------------------------------------------------------------


def _nations(ctx, param, value):
    chosen = []
    for item in value:
        chosen.extend(part.strip().lower() for part in item.split(",") if part.strip())
    if any(n in ("all", "uk") for n in chosen):
        return list(v.NATIONS)
    unknown = [n for n in chosen if n not in v.NATIONS]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: choose from {', '.join(v.NATIONS)} or all."
        )
    return list(dict.fromkeys(chosen)) or None


@resources_cli.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=str))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="A CSV file with one row per file: a column 'path' (relative to DIRECTORY) and "
    "columns named after the item's fields (title, summary, topics, nations, ...).",
)
@click.option("--dry-run", is_flag=True, help="Check every file and report; store nothing.")
@click.option(
    "--as",
    "as_username",
    metavar="USERNAME",
    help="Add the items as this person (default: the first admin).",
)
@click.option(
    "--collection",
    type=click.Choice(list(v.COLLECTIONS)),
    default="tool_or_sample",
    show_default=True,
)
@click.option(
    "--type",
    "resource_type",
    type=click.Choice(list(v.RESOURCE_TYPES)),
    default="lmc_guidance_note",
    show_default=True,
)
@click.option(
    "--nation",
    "nations",
    multiple=True,
    callback=_nations,
    metavar="NATION",
    help="england, wales, scotland, northern_ireland or all (repeat, or separate with "
    "commas). Default: all four.",
)
@click.option("--source-org", default="Imported", show_default=True)
@click.option(
    "--licence", type=click.Choice(list(v.LICENCES)), default="internal_only", show_default=True
)
@click.option(
    "--access",
    "access_level",
    type=click.Choice(list(v.ACCESS_LEVELS)),
    default="members",
    show_default=True,
)
@click.option(
    "--topic",
    type=click.Choice([slug for slug, _ in v.TOPICS]),
    help="The topic of files whose folders match no topic (otherwise they are refused).",
)
@click.option("--no-extract", is_flag=True, help="Do not read the text of the files now.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def import_command(
    directory, manifest, dry_run, as_username, collection, resource_type, nations,
    source_org, licence, access_level, topic, no_extract, quiet,
):  # fmt: skip
    """Import the documents in DIRECTORY (a SharePoint library copied to disk).

    Without a manifest every file becomes an item: its title from the file name, its
    topics from the names of its folders (a folder called "Premises" gives the topic
    "Premises & estates"), the rest from the options. Files already in the library are
    skipped, so the import can be run again safely.

    Exits with 0 when no file was refused, 1 when some were (or the import could not
    start), after listing each skipped and refused file and why.
    """
    from .importer import ImportStopped, import_tree

    defaults = {
        "collection": collection,
        "resource_type": resource_type,
        "nations": nations,
        "source_org": source_org,
        "licence": licence,
        "access_level": access_level,
    }
    with _bar("Checking" if dry_run else "Importing", quiet) as (start, step):
        try:
            report = import_tree(
                directory,
                user=as_username or None,
                manifest=manifest,
                defaults=defaults,
                default_topic=topic,
                dry_run=dry_run,
                announce=start,
                progress=step,
            )
        except ImportStopped as stopped:
            raise click.ClickException(str(stopped)) from None
    counts = Counter()
    if not dry_run and not no_extract and report.file_ids:
        counts = _read_texts(report.file_ids, quiet=quiet)
    _print_report(report)
    if counts:
        click.echo(f"Text: {_extraction_summary(counts)}.")
    click.get_current_context().exit(0 if report.ok else 1)


def _print_report(report) -> None:
    imported, skipped, refused = len(report.imported), len(report.skipped), len(report.refused)
    if report.dry_run:
        click.echo(
            f"Dry run: {imported} would be imported, {skipped} skipped, {refused} refused. "
            "Nothing was stored."
        )
    else:
        click.echo(f"Imported {imported}, skipped {skipped}, refused {refused}.")
    for title, outcomes in (("Skipped", report.skipped), ("Refused", report.refused)):
        _listing(title, [f"{outcome.path}: {outcome.reason}" for outcome in outcomes])


def _listing(title: str, lines: list[str]) -> None:
    """``Title:`` and the lines under it, indented; nothing when there are none."""
    if lines:
        click.echo(f"{title}:")
        for line in lines:
            click.echo(f"  {line}")


# -- extract -----------------------------------------------------------------------------------


@resources_cli.command("extract")
@click.option("--retry-failed", is_flag=True, help="Try again the files that failed before.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def extract_command(retry_failed, quiet):
    """Read the text of stored files still waiting to be read."""
    from .extraction import pending_ids

    file_ids = pending_ids(include_failed=retry_failed)
    if not file_ids:
        click.echo("No files are waiting to be read.")
        return
    counts = _read_texts(file_ids, quiet=quiet, retry_failed=retry_failed)
    click.echo(f"Read {_count(len(file_ids), 'file')}: {_extraction_summary(counts)}.")


# -- check-links -------------------------------------------------------------------------------


@resources_cli.command("check-links")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=300),
    metavar="SECONDS",
    help="How long to wait for each link (default: RESOURCES_LINK_CHECK_TIMEOUT_SECONDS).",
)
@click.option("--only-unchecked", is_flag=True, help="Only links never checked before.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def check_links_command(timeout, only_unchecked, quiet):
    """Check that the links of library items still lead to a document.

    Broken links (the site answered with an error, such as "HTTP 404") and unreachable ones
    (no answer) are listed with the items' titles. Works offline: every link is then
    reported as unreachable.
    """
    from .linkcheck import check_links

    with _bar("Checking links", quiet, unit="link") as (start, step):
        report = check_links(
            timeout=timeout, only_unchecked=only_unchecked, announce=start, progress=step
        )
    click.echo(
        f"Checked {_count(len(report.results), 'link')}: {len(report.ok)} OK, "
        f"{len(report.broken)} broken, {len(report.unreachable)} unreachable."
    )
    for title, results in (("Broken", report.broken), ("Unreachable", report.unreachable)):
        _listing(title, [f"“{r.title}” ({r.url}): {r.error}" for r in results])


# -- review-reminders --------------------------------------------------------------------------


@resources_cli.command("review-reminders")
def review_reminders_command():
    """Tell contributors which of their items are past their review date (run daily)."""
    from .review import send

    result = send()
    click.echo(f"Sent {_count(result.told, 'review reminder')}.")
    if result.already_told:
        click.echo(
            f"{_count(result.already_told, 'item')} due for review: contributor told already."
        )
    if result.no_contributor:
        click.echo(
            f"{_count(result.no_contributor, 'item')} due for review: no contributor to tell."
        )
