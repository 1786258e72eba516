"""``flask forum sla ...``: the SLA tracker's commands."""

from __future__ import annotations

import click


@click.group("sla")
def sla_cli():
    """The SLA tracker."""
