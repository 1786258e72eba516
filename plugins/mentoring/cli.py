"""``flask forum mentoring ...``: the mentoring directory's commands.

* ``purge-closed [--months N]``: erase the details of requests closed more than N months ago
  (default ``MENTORING_PURGE_AFTER_MONTHS``), keeping their state and dates
  (:func:`plugins.mentoring.requests.purge_closed`); run daily by cron;
* ``reminders``: move active mentoring that is due for review, warn requests a week from
  expiry and expire those that waited too long (:mod:`plugins.mentoring.reminders`); run
  daily by cron.

Each runs inside the app context (the ``flask`` command provides it) and reports what it did
on the standard output.
"""

from __future__ import annotations

import click
from flask import current_app

PURGE_SETTING = "MENTORING_PURGE_AFTER_MONTHS"


@click.group("mentoring")
def mentoring_cli():
    """The mentoring directory."""


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@mentoring_cli.command("purge-closed")
@click.option(
    "--months",
    type=click.IntRange(1, 240),
    metavar="N",
    help="Erase requests closed more than N months ago (default: MENTORING_PURGE_AFTER_MONTHS).",
)
def purge_closed_command(months):
    """Erase the details (goals, preferences, notes) of requests closed long enough ago."""
    from . import requests

    config = current_app.config
    default = config[PURGE_SETTING]
    if months is not None:
        config[PURGE_SETTING] = months
    try:
        used = int(config[PURGE_SETTING])
        purged = requests.purge_closed()
    finally:
        config[PURGE_SETTING] = default
    click.echo(
        f"Erased the details of {_count(purged, 'request')} closed more than "
        f"{_count(used, 'month')} ago."
    )


@mentoring_cli.command("reminders")
def reminders_command():
    """Mark mentoring due for review, warn requests about to expire, expire old ones."""
    from . import reminders

    reviewed = reminders.review_due()
    warned = reminders.warn_expiring()
    expired = reminders.expire()
    click.echo(f"Marked {_count(reviewed, 'mentoring relationship')} due for review.")
    click.echo(f"Warned {_count(warned, 'requester')} that their request expires in a week.")
    click.echo(f"Marked {_count(expired, 'request')} expired.")
