"""Sending queued mail (to be written)."""

import click


@click.command("send")
def send_command():
    """Send queued e-mail."""
    raise click.ClickException("not written yet")


@click.command("status")
def status_command():
    """What is queued, sent and failed."""
    raise click.ClickException("not written yet")
