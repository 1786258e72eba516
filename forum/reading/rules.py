"""What "new", "unread" and "opened" mean, as SQL shared by every list, count and write.

**Effective level.** A topic's notification level for a person is their ``topic_users`` level
when set, else their ``category_users`` level for the topic's category, else the category's
``default_notification_level``. For a topic, Watching first post (4) counts as Normal.

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

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from forum.categories.models import Category
from forum.database import utcnow
from forum.notifications.models import (
    MUTED,
    TRACKING,
    WATCHING,
    CategoryUser,
    TopicUser,
    UserOption,
)
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


@dataclass(frozen=True)
class Joined:
    """The tables joined onto ``topics`` for one person: their topic row, their category
    row and the topic's category (as aliases, so they never clash with a query's own joins),
    and the effective level computed from them."""

    topic_user: type
    category_user: type
    category: type

    @classmethod
    def new(cls) -> Joined:
        return cls(
            aliased(TopicUser, name="reading_tu"),
            aliased(CategoryUser, name="reading_cu"),
            aliased(Category, name="reading_cat"),
        )

    @property
    def level(self):
        return func.coalesce(
            self.topic_user.notification_level,
            self.category_user.notification_level,
            self.category.default_notification_level,
        )

    def apply(self, query: Select, user_id: int, *, inner: bool = False) -> Select:
        """``query`` (which selects from ``topics``) with the person's rows joined.
        ``inner``: only topics that have a ``topic_users`` row (Unread's case)."""
        tu, cu, cat = self.topic_user, self.category_user, self.category
        on_tu = and_(tu.topic_id == Topic.id, tu.user_id == user_id)
        query = query.join(cat, cat.id == Topic.category_id)
        query = query.join(tu, on_tu) if inner else query.outerjoin(tu, on_tu)
        on_cu = and_(cu.category_id == Topic.category_id, cu.user_id == user_id)
        return query.outerjoin(cu, on_cu)


def new_conditions(user, joined: Joined, *, now: datetime | None = None) -> list:
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


def unread_conditions(joined: Joined) -> list:
    """WHERE conditions for "unread" (visibility is the caller's)."""
    tu = joined.topic_user
    return [
        Topic.deleted_at.is_(None),
        tu.last_read_post_number > 0,
        Topic.highest_post_number > tu.last_read_post_number,
        joined.level.in_(TRACKED),
    ]
