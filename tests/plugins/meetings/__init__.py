"""Network meetings: upcoming meetings on a category's page, and meeting cards on posts.

The complete example plugin of ``docs/plugins.md``, exercised by the test suite
(``tests/plugins/test_meetings.py``). It uses hooks and public services only:

* ``register_models`` and a migration branch of its own (``migrations/``) for its table,
  ``meetings_meeting``;
* ``category_panels``: "Upcoming meetings" on the categories it is enabled on;
* ``register_attachment_types``: a meeting attached to a post renders as a card under it
  and appears in post JSON under ``"meetings"``;
* ``register_blueprints``: the meetings page at ``/meetings/``, where people allowed
  ``meetings.schedule`` (``register_permissions``; staff by default) add meetings;
* ``register_commands``: ``flask forum meetings add`` and ``flask forum meetings list``;
* ``config_defaults``: ``MEETINGS_UPCOMING_LIMIT``;
* ``nav_items`` and ``seed_demo_data``.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum import hookimpl
from forum.database import utcnow
from forum.errors import InvalidAccess, ValidationFailed
from forum.extensions import db
from forum.hooktypes import AttachmentType, NavItem, Panel, Permission
from forum.permissions import can
from forum.plugin_system import is_enabled

from .models import Meeting

bp = Blueprint("meetings", __name__)


# -- Set-up hooks -----------------------------------------------------------------------------


@hookimpl
def config_defaults():
    return {"MEETINGS_UPCOMING_LIMIT": 5}


@hookimpl
def register_models():
    return [Meeting]


@hookimpl
def register_permissions():
    return [
        Permission(
            "meetings.schedule", "Add meetings to the calendar", frozenset({"admin", "moderator"})
        )
    ]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_attachment_types():
    return [
        AttachmentType(
            key="meetings.meeting",
            label="Meeting",
            load=load_meetings,
            validate=validate_meeting,
            template="meetings/_attachment.html",
            to_json=meeting_json,
            options=meeting_choices,
        )
    ]


@hookimpl
def register_commands(cli):
    cli.add_command(meetings_cli)


@hookimpl
def seed_demo_data():
    title = "LMC network meeting"
    if db.session.scalar(select(Meeting.id).where(Meeting.title == title)) is None:
        db.session.add(Meeting(title=title, starts_at=datetime(2027, 1, 14, 10), place="Online"))


# -- Page hooks -------------------------------------------------------------------------------


@hookimpl
def nav_items():
    return [NavItem("meetings.nav", "Meetings", url_for("meetings.index"), order=50)]


@hookimpl
def category_panels(category):
    # Asked only on categories where an admin enabled this plugin.
    limit = current_app.config["MEETINGS_UPCOMING_LIMIT"]
    return [
        Panel(
            key="meetings.upcoming",
            title="Upcoming meetings",
            template="meetings/_upcoming.html",
            context={"meetings": upcoming(limit), "category": category},
        )
    ]


# -- The attachment type ----------------------------------------------------------------------


def load_meetings(ids, user):
    """Every meeting with these ids, in one query (meetings are public)."""
    rows = db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)))
    return {meeting.id: meeting for meeting in rows}


def validate_meeting(user, ref, post):
    """``ref`` is a meeting's number; refuse anything else with a message."""
    if not (ref.isascii() and ref.isdigit()) or len(ref) > 9:
        raise ValidationFailed("Choose a meeting from the list (or type its number).")
    meeting = db.session.get(Meeting, int(ref))
    if meeting is None:
        raise ValidationFailed(f"There is no meeting number {ref}.")
    if post is not None and not is_enabled(post.topic.category_id, "meetings"):
        raise ValidationFailed("Meetings can be attached only where the plugin is enabled.")
    return meeting.id


def meeting_json(meeting):
    return {
        "id": meeting.id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
    }


def meeting_choices(user, category):
    return [(str(m.id), f"{m.title} ({m.starts_at:%d %b %Y})") for m in upcoming(50)]


def upcoming(limit: int) -> list[Meeting]:
    query = select(Meeting).where(Meeting.starts_at >= utcnow()).order_by(Meeting.starts_at)
    return list(db.session.scalars(query.limit(limit)))


# -- Its own page -----------------------------------------------------------------------------


@bp.get("/")
def index():
    return render_template(
        "meetings/index.html",
        meetings=upcoming(100),
        can_schedule=can(current_user, "meetings.schedule"),
        errors=[],
        form={},
    )


@bp.post("/")
def schedule():
    """Add a meeting (people allowed ``meetings.schedule``: staff by default)."""
    if not can(current_user, "meetings.schedule"):
        raise InvalidAccess("Only moderators can add meetings.")
    form = {name: request.form.get(name, "").strip() for name in ("title", "starts_at", "place")}
    errors = []
    if not 3 <= len(form["title"]) <= 200:
        errors.append("Please give the meeting a title of 3 to 200 characters.")
    try:
        starts_at = datetime.strptime(form["starts_at"], "%Y-%m-%dT%H:%M")
    except ValueError:
        errors.append("Please give the date and time, for example 2027-01-14 10:00.")
    if errors:
        page = render_template(
            "meetings/index.html",
            meetings=upcoming(100),
            can_schedule=True,
            errors=errors,
            form=form,
        )
        return page, 422
    db.session.add(
        Meeting(title=form["title"], starts_at=starts_at, place=form["place"][:200] or "Online")
    )
    db.session.commit()
    flash("Meeting added.", "success")
    return redirect(url_for("meetings.index"), 303)


# -- Its commands: flask forum meetings ... ---------------------------------------------------


@click.group("meetings")
def meetings_cli():
    """Network meetings."""


@meetings_cli.command("add")
@click.argument("title")
@click.option("--at", "starts_at", required=True, type=click.DateTime(["%Y-%m-%d %H:%M"]))
@click.option("--place", default="Online", show_default=True)
def add_command(title, starts_at, place):
    """Add a meeting, e.g. add "Network meeting" --at "2027-01-14 10:00"."""
    title = title.strip()
    if not 3 <= len(title) <= 200:
        raise click.BadParameter("the title must be 3 to 200 characters", param_hint="TITLE")
    meeting = Meeting(title=title, starts_at=starts_at, place=place.strip()[:200])
    db.session.add(meeting)
    db.session.commit()
    click.echo(f"Added meeting #{meeting.id}: {meeting.title}, {meeting.starts_at:%d %b %Y %H:%M}.")


@meetings_cli.command("list")
def list_command():
    """List upcoming meetings."""
    meetings = upcoming(100)
    if not meetings:
        click.echo("No upcoming meetings.")
    for meeting in meetings:
        click.echo(
            f"#{meeting.id} {meeting.starts_at:%Y-%m-%d %H:%M} {meeting.title} ({meeting.place})"
        )
