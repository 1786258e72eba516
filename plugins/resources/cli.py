"""``flask forum resources ...``: the library's commands."""

from __future__ import annotations

import click


@click.group("resources")
def resources_cli():
    """The Resource Centre (the library)."""
