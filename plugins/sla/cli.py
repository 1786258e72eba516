"""``flask forum sla ...``: the SLA tracker's commands.

* ``import FILE.csv``: add records from a spreadsheet saved as CSV, all or none
  (:mod:`plugins.sla.csv_import`); ``--dry-run`` only checks it;
* ``expire``: mark active records past their end date expired (run daily by cron);
* ``due-for-review``: list open records whose review date has come, by LMC.

Each runs inside the app context (the ``flask`` command provides it). Reports go to the
standard output; a command that finds something wrong exits with status 1.
"""

from __future__ import annotations

import click
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db


@click.group("sla")
def sla_cli():
    """The SLA tracker."""


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def importing_user(username: str | None) -> User:
    """``username``, or the first active admin; a :class:`click.ClickException` (exit 1)
    when there is no such person."""
    if username:
        user = db.session.scalar(select(User).where(User.username_lower == username.lower()))
        if user is None:
            raise click.ClickException(f"There is no user called {username!r}.")
        return user
    user = db.session.scalar(
        select(User).where(User.role == "admin", User.status == "active").order_by(User.id)
    )
    if user is None:
        raise click.ClickException("There is no active admin to import as; name someone with --as.")
    return user


@sla_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option(
    "--as",
    "as_username",
    metavar="USERNAME",
    help="Add the records as this person (default: the first admin).",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; import nothing.")
def import_command(file, as_username, dry_run):
    """Import SLA records from FILE.csv: every row is checked first, and nothing is imported
    unless every row is valid. The columns are those of the template (/sla/import)."""
    from .csv_import import import_file

    user = importing_user(as_username)
    report = import_file(file, user, dry_run=dry_run)
    for line in report.lines():
        click.echo(line)
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)
    if report.imported:
        click.echo("Search finds them once the index catches up (flask forum search status).")


@sla_cli.command("expire")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Treat this day as today (default: the real today).",
)
def expire_command(today):
    """Mark active records whose end date has passed expired."""
    from . import services

    marked = services.expire(today.date() if today else None)
    click.echo(f"Marked {_count(marked, 'record')} expired.")


@sla_cli.command("due-for-review")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Treat this day as today (default: the real today).",
)
def due_for_review_command(today):
    """List open records whose review date has come, grouped by LMC."""
    from .review import due_by_lmc

    groups = due_by_lmc(today.date() if today else None)
    if not groups:
        click.echo("No records are due for review.")
        return
    total = sum(len(records) for _, records in groups)
    click.echo(f"{_count(total, 'record')} due for review:")
    for lmc, records in groups:
        click.echo("")
        click.echo(f"{lmc} ({_count(len(records), 'record')})")
        for record in records:
            click.echo(
                f"  #{record.id} {record.title} (review date {record.review_date.isoformat()}, "
                f"{record.financial_year})"
            )
