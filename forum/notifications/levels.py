"""How closely each person follows each topic and category (Discourse's levels).

A topic's level for a person is their own choice for the topic if they made one (or the
forum made it for them: starting a topic watches it, posting in one tracks it), else their
choice for its category, else the category's default, set by admins. "Watching first post"
is a category level; for a topic it means Normal.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased

from forum.categories.models import Category
from forum.database import upsert_insert, utcnow
from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.notifications.models import (
    LEVEL_NAMES,
    MUTED,
    NORMAL,
    TRACKING,
    WATCHING,
    WATCHING_FIRST_POST,
    CategoryUser,
    TopicUser,
)
from forum.permissions import can
from forum.topics.models import Topic

TOPIC_LEVELS = (WATCHING, TRACKING, NORMAL, MUTED)
CATEGORY_LEVELS = (WATCHING, TRACKING, WATCHING_FIRST_POST, NORMAL, MUTED)
#: ``/t/{id}/notifications`` and the forms also accept the names.
LEVEL_BY_NAME = {name.lower().replace(" ", "_"): level for level, name in LEVEL_NAMES.items()}


def level_key(level: int) -> str:
    """A level's name as forms send it (``watching_first_post``)."""
    return LEVEL_NAMES[level].lower().replace(" ", "_")


def raised(current, proposed):
    """SQL: the higher of two read marks, so a stale tab or a second device never lowers
    one."""
    return case((proposed > current, proposed), else_=current)


def parse_level(value, allowed: tuple[int, ...]) -> int:
    """A level from a form or JSON value (number or name); a clear message otherwise."""
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "_")
        level = LEVEL_BY_NAME.get(text)
        if level is None and text.isdigit() and len(text) < 3:
            level = int(text)
    elif isinstance(value, int) and not isinstance(value, bool):
        level = value
    else:
        level = None
    if level not in allowed:
        names = ", ".join(f"{LEVEL_NAMES[lv]} ({lv})" for lv in allowed)
        raise ValidationFailed(f"Unknown notification level; choose one of {names}.")
    return level


def topic_level_for_display(level: int | None) -> int:
    return NORMAL if level in (None, WATCHING_FIRST_POST) else level


@dataclass(frozen=True)
class LevelJoin:
    """A person's effective level for each topic, as SQL: the tables joined onto
    ``topics`` for them (their topic row, their category row and the topic's category, as
    aliases so they never clash with a query's own joins), and the levels computed from
    them. Used by the New and Unread lists and by the daily digest and summary."""

    topic_user: type
    category_user: type
    category: type

    @classmethod
    def new(cls) -> LevelJoin:
        return cls(
            aliased(TopicUser, name="level_tu"),
            aliased(CategoryUser, name="level_cu"),
            aliased(Category, name="level_cat"),
        )

    @property
    def category_level(self):
        """The person's level for the topic's category (theirs, else its default)."""
        return func.coalesce(
            self.category_user.notification_level, self.category.default_notification_level
        )

    @property
    def level(self):
        """The person's effective level for the topic, as SQL."""
        return func.coalesce(self.topic_user.notification_level, self.category_level)

    def apply(self, query: Select, user_id: int, *, inner: bool = False) -> Select:
        """``query`` (which selects from ``topics``, or joins them) with the person's rows
        joined. ``inner``: only topics that have a ``topic_users`` row (Unread's case)."""
        tu, cu, cat = self.topic_user, self.category_user, self.category
        on_tu = and_(tu.topic_id == Topic.id, tu.user_id == user_id)
        query = query.join(cat, cat.id == Topic.category_id)
        query = query.join(tu, on_tu) if inner else query.outerjoin(tu, on_tu)
        on_cu = and_(cu.category_id == Topic.category_id, cu.user_id == user_id)
        return query.outerjoin(cu, on_cu)


def own_topic_level(user_id: int, topic_id: int) -> int | None:
    """The level ``user_id`` chose for the topic (or was given by starting or replying to
    it); ``None`` when it comes from the category."""
    return db.session.scalar(
        select(TopicUser.notification_level).where(
            TopicUser.user_id == user_id, TopicUser.topic_id == topic_id
        )
    )


def effective_topic_level(user_id: int, topic: Topic) -> int:
    """The level ``user_id`` follows ``topic`` at (three small lookups at most)."""
    own = own_topic_level(user_id, topic.id)
    if own is not None:
        return topic_level_for_display(own)
    return topic_level_for_display(category_level(user_id, topic.category))


def category_level(user_id: int, category: Category) -> int:
    chosen = db.session.scalar(
        select(CategoryUser.notification_level).where(
            CategoryUser.user_id == user_id, CategoryUser.category_id == category.id
        )
    )
    return chosen if chosen is not None else category.default_notification_level


def set_topic_level(user, topic: Topic | None, value, *, reason: str = "user_changed") -> int:
    """Set ``user``'s level for ``topic`` (a person who cannot see it gets 404)."""
    if topic is None or not can(user, "topic.see", topic):
        raise NotFound()
    level = parse_level(value, TOPIC_LEVELS)
    store_topic_level(user.id, topic.id, level, reason=reason)
    db.session.commit()
    return level


def set_category_level(user, category: Category | None, value) -> int:
    """Set ``user``'s level for ``category`` (a category they cannot see answers 404)."""
    if category is None or not can(user, "category.see", category):
        raise NotFound()
    level = parse_level(value, CATEGORY_LEVELS)
    store_category_level(user.id, category.id, level)
    db.session.commit()
    return level


def store_category_level(user_id: int, category_id: int, level: int) -> None:
    """Write a person's level for a category, in the caller's transaction (no checks)."""
    statement = upsert_insert(CategoryUser).values(
        user_id=user_id, category_id=category_id, notification_level=level
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "category_id"], set_={"notification_level": level}
        )
    )


def store_topic_level(user_id: int, topic_id: int, level: int, *, reason: str) -> None:
    """Write a person's level for a topic, in the caller's transaction (no checks); their
    read mark is kept."""
    now = utcnow()
    statement = upsert_insert(TopicUser).values(
        user_id=user_id,
        topic_id=topic_id,
        notification_level=level,
        notifications_reason=reason,
        last_read_post_number=0,
        first_visited_at=now,
        last_visited_at=now,
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "topic_id"],
            set_={"notification_level": level, "notifications_reason": reason},
        )
    )


def follow_after_posting(user_id: int, topic_id: int, post_number: int, category) -> None:
    """Starting a topic watches it; replying tracks it, unless the person chose a level
    for it before. Either way they have read what they just wrote."""
    now = utcnow()
    first = post_number == 1
    level, reason = (WATCHING, "created_topic") if first else (TRACKING, "created_post")
    if not first and category_level(user_id, category) == WATCHING:
        level, reason = None, None  # already watching it through its category
    table = TopicUser.__table__
    statement = upsert_insert(TopicUser).values(
        user_id=user_id,
        topic_id=topic_id,
        notification_level=level,
        notifications_reason=reason,
        last_read_post_number=post_number,
        first_visited_at=now,
        last_visited_at=now,
    )
    excluded = statement.excluded
    keep_choice = table.c.notification_level.is_not(None)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "topic_id"],
            set_={
                "notification_level": case(
                    (keep_choice, table.c.notification_level), else_=excluded.notification_level
                ),
                "notifications_reason": case(
                    (keep_choice, table.c.notifications_reason),
                    else_=excluded.notifications_reason,
                ),
                "last_read_post_number": raised(
                    table.c.last_read_post_number, excluded.last_read_post_number
                ),
                "last_visited_at": now,
            },
        )
    )
