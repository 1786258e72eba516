"""The read side of reading state: the New and Unread lists and their counts, and each
listed topic's state for every topic list (latest, category pages, New, Unread).

Lists only ever hold topics in categories the viewer can see (deleted topics never, staff
included). :func:`states` costs one query for a whole list, whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications.levels import LevelJoin
from forum.notifications.models import MUTED, NORMAL, WATCHING_FIRST_POST
from forum.permissions import category_levels
from forum.reading.rules import (
    TRACKED,
    dismissed_since,
    new_conditions,
    new_floor,
    unread_conditions,
)
from forum.topics.models import Topic
from forum.topics.queries import TopicList

NEW, UNREAD = "new", "unread"


def signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _visible(user) -> list[int]:
    return sorted(category_levels(user))


def filtered(user, which: str, *columns):
    """``SELECT columns`` (default: the Topic) of the topics in ``which`` list for ``user``,
    unordered. ``None`` when the user can see no category."""
    visible = _visible(user)
    if not visible:
        return None
    joined = LevelJoin.new()
    query = select(*columns) if columns else select(Topic)
    query = joined.apply(query.select_from(Topic), user.id, inner=which == UNREAD)
    conditions = new_conditions(user, joined) if which == NEW else unread_conditions(joined)
    return query.where(Topic.category_id.in_(visible), *conditions)


def topic_list(user, which: str, *, page: int = 0, per_page: int | None = None) -> TopicList:
    """Page ``page`` (from 0) of the New or Unread list, latest activity first."""
    per_page = per_page or current_app.config["TOPICS_PER_PAGE"]
    query = filtered(user, which) if signed_in(user) else None
    if query is None:
        return TopicList([], page, per_page, False)
    query = query.order_by(Topic.bumped_at.desc(), Topic.id.desc())
    rows = db.session.scalars(query.offset(page * per_page).limit(per_page + 1)).all()
    return TopicList(list(rows[:per_page]), page, per_page, len(rows) > per_page)


@dataclass(frozen=True)
class Counts:
    new: int
    unread: int


def counts(user) -> Counts | None:
    """How many topics New and Unread hold for ``user`` (one query); ``None`` for visitors."""
    if not signed_in(user):
        return None
    new = filtered(user, NEW, Topic.id)
    unread = filtered(user, UNREAD, Topic.id)
    if new is None or unread is None:
        return Counts(0, 0)

    def count(query):
        return select(func.count()).select_from(query.subquery()).scalar_subquery()

    row = db.session.execute(select(count(new), count(unread))).one()
    return Counts(new=row[0], unread=row[1])


def list_context(user, topics) -> dict:
    """What a topic list page hands its template: each topic's state (``reading``) and the
    Latest / New / Unread tab counts (``reading_tabs``); empty for visitors. Two queries,
    whatever the number of topics."""
    if not signed_in(user):
        return {"reading": {}, "reading_tabs": None}
    return {"reading": states(user, topics), "reading_tabs": counts(user)}


@dataclass(frozen=True)
class TopicReading:
    """One topic's reading state for one person, as topic lists show it."""

    #: ``topic_users.last_read_post_number``, ``None`` without a row.
    last_read: int | None
    #: The effective notification level.
    level: int
    is_new: bool
    #: Posts after the last one read, for an opened topic that is not muted (else 0).
    new_posts: int
    #: The same, counted only when the topic is tracked or watched (Unread's count).
    unread_posts: int

    @property
    def opened(self) -> bool:
        return bool(self.last_read)

    @property
    def first_unread(self) -> int | None:
        """The post a list links to: the first one not read yet, if the topic was opened."""
        return self.last_read + 1 if self.new_posts else None


def states(user, topics) -> dict[int, TopicReading]:
    """``{topic id: TopicReading}`` for the listed topics, in one query; ``{}`` for visitors
    (who get no reading state at all)."""
    if not signed_in(user) or not topics:
        return {}
    by_id = {topic.id: topic for topic in topics}
    joined = LevelJoin.new()
    columns = (
        Topic.id,
        joined.topic_user.last_read_post_number,
        joined.level,
        dismissed_since(user.id),
    )
    query = joined.apply(select(*columns).select_from(Topic), user.id)
    query = query.where(Topic.id.in_(by_id))
    floor = new_floor(user)
    found = {}
    for topic_id, last_read, level, dismissed in db.session.execute(query):
        found[topic_id] = _state(user, by_id[topic_id], last_read, level, floor, dismissed)
    return found


def _state(user, topic: Topic, last_read, level: int, floor: datetime, dismissed) -> TopicReading:
    """The Python twin of :mod:`forum.reading.rules` for one topic already loaded."""
    level = NORMAL if level == WATCHING_FIRST_POST else level  # a category level only
    opened = bool(last_read)
    since = max(floor, dismissed) if dismissed is not None else floor
    is_new = (
        not opened
        and level != MUTED
        and topic.deleted_at is None
        and topic.user_id != user.id
        and topic.created_at > since
    )
    behind = max(topic.highest_post_number - last_read, 0) if opened and level != MUTED else 0
    unread = behind if level in TRACKED and topic.deleted_at is None else 0
    return TopicReading(last_read, level, is_new, behind, unread)
