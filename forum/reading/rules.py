"""What "new", "unread" and "opened" mean, as SQL shared by every list, count and write.

**Effective level.** A topic's notification level for a person is their ``topic_users`` level
when set, else their ``category_users`` level for the topic's category, else the category's
``default_notification_level`` (as SQL: :class:`forum.notifications.levels.LevelJoin`). For a
topic, Watching first post (4) counts as Normal.

**Opened.** A person has opened a topic when their ``topic_users`` row has
``last_read_post_number > 0``. Any recorded read raises it to at least 1 (every topic has
post 1), so a row that only holds a notification level (written when someone changes their
level, or by a notification) still counts as *unopened*. ``first_visited_at`` cannot tell
the two apart: it is never NULL.

**New.** A topic the person can see, not deleted, not started by them, never opened, not
Muted (effective level), and created after their "new since" moment: the latest of their
account's creation, ``NEW_TOPIC_DAYS`` days ago, and ``user_options.new_topics_since`` (set
by "Dismiss new").

**Unread.** A topic the person can see, not deleted, opened, whose effective level is
Tracking or Watching, with ``highest_post_number > last_read_post_number``. The unread count
is that difference (deleted posts included, as post numbers are).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from forum.database import utcnow
from forum.notifications.levels import LevelJoin
from forum.notifications.models import MUTED, TRACKING, WATCHING, UserOption
from forum.topics.models import Topic

#: Effective levels whose topics show an unread count and appear in Unread.
TRACKED = (TRACKING, WATCHING)


def new_floor(user, now: datetime | None = None) -> datetime:
    """The earliest creation time a topic may have to be "new" for ``user``, before any
    "Dismiss new": their account's creation, but at most ``NEW_TOPIC_DAYS`` days ago."""
    now = now or utcnow()
    floor = now - timedelta(days=current_app.config["NEW_TOPIC_DAYS"])
    created = getattr(user, "created_at", None)
    return max(created, floor) if created is not None else floor


def dismissed_since(user_id: int):
    """``user_options.new_topics_since`` of the user, as a scalar subquery (NULL without a
    row), so no list needs a query of its own for it."""
    return (
        select(UserOption.new_topics_since).where(UserOption.user_id == user_id).scalar_subquery()
    )


def new_conditions(user, joined: LevelJoin, *, now: datetime | None = None) -> list:
    """WHERE conditions for "new" (visibility is the caller's)."""
    floor = new_floor(user, now)
    return [
        Topic.deleted_at.is_(None),
        Topic.user_id != user.id,
        Topic.created_at > floor,
        Topic.created_at > func.coalesce(dismissed_since(user.id), floor),
        or_(joined.topic_user.user_id.is_(None), joined.topic_user.last_read_post_number == 0),
        joined.level != MUTED,
    ]


def unread_conditions(joined: LevelJoin) -> list:
    """WHERE conditions for "unread" (visibility is the caller's)."""
    tu = joined.topic_user
    return [
        Topic.deleted_at.is_(None),
        tu.last_read_post_number > 0,
        Topic.highest_post_number > tu.last_read_post_number,
        joined.level.in_(TRACKED),
    ]
