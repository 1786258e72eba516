"""``flask forum search reindex`` and ``flask forum search status``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.plugin_system import current_plugins
from forum.search import apply_pending_now, backend
from forum.search.outbox import pending_count

search_group = AppGroup("search", help="Build and inspect the search index.")


@search_group.command("reindex")
def reindex_command():
    """Rebuild the search index from the database (search stays online meanwhile)."""
    from forum.search.reindex import reindex

    bar = None

    def announce(total):
        nonlocal bar
        bar = click.progressbar(length=total, label="Indexing", show_pos=True, show_eta=True)
        bar.__enter__()

    try:
        counts = reindex(progress=lambda n: bar.update(n), announce=announce)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    labels = current_plugins().search_types
    for key, count in counts.items():
        click.echo(f"  {labels[key].label}: {count}")
    click.echo(f"Indexed {sum(counts.values())} documents ({backend().name}).")


@search_group.command("status")
@click.option("--apply", "apply_now", is_flag=True, help="Apply queued changes first.")
def status_command(apply_now):
    """Show the backend, indexed documents by type and changes waiting to be indexed."""
    if apply_now:
        click.echo(f"Applied {apply_pending_now()} queued changes.")
    target = backend()
    where = (
        "the PostgreSQL database"
        if target.name == "postgres"
        else str(getattr(target, "folder", ""))
    )
    click.echo(f"Backend: {target.name} ({where})")
    counts = target.counts()
    types = current_plugins().search_types
    click.echo("Documents:")
    for key, search_type in types.items():
        click.echo(f"  {search_type.label} ({search_type.name}): {counts.get(key, 0)}")
    for key in sorted(set(counts) - set(types)):
        click.echo(f"  {key} (no longer registered): {counts[key]}")
    click.echo(f"Pending changes: {pending_count()}")
    if pending_count():
        click.echo("They are applied after the next write or search, or now with --apply.")
