"""The writes of reading state, one SQL statement each, all committed here.

* :func:`record_read` — "I have read up to post n": an UPSERT of the person's
  ``topic_users`` row that only ever raises ``last_read_post_number`` (a stale tab or a
  second device never lowers it) and keeps any notification level already set.
* :func:`mark_all_read` — "Mark all read" on Unread: one UPDATE.
* :func:`dismiss_new` — "Dismiss new": an UPSERT of ``user_options.new_topics_since``
  (:func:`forum.notifications.preferences.store_options`).

They change nothing a visitor sees, so they do not bump the content version (page caches
and permission tables stay warm): each runs with ``forum_untracked=True``.
"""

from __future__ import annotations

from sqlalchemy import case, select, update

from forum.database import upsert_insert, utcnow
from forum.extensions import db
from forum.notifications.levels import raised
from forum.notifications.models import TopicUser
from forum.notifications.preferences import store_options
from forum.notifications.service import mark_topic_read
from forum.reading.queries import UNREAD, filtered
from forum.topics.models import Topic

UNTRACKED = {"forum_untracked": True}


def record_read(user, topic: Topic, post_number: int) -> int:
    """Raise the person's read mark in ``topic`` to ``post_number`` (at most the topic's
    highest post number, at least 1), creating their row if needed. Returns the number
    recorded (the row may already hold a higher one), and marks the person's notifications
    about posts up to there read. The caller checks that the person may see the topic;
    this commits."""
    number = max(1, min(post_number, topic.highest_post_number or 1))
    now = utcnow()
    statement = upsert_insert(TopicUser).values(
        user_id=user.id,
        topic_id=topic.id,
        last_read_post_number=number,
        first_visited_at=now,
        last_visited_at=now,
    )
    existing = TopicUser.__table__.c
    statement = statement.on_conflict_do_update(
        index_elements=[existing.user_id, existing.topic_id],
        set_={
            "last_read_post_number": raised(
                existing.last_read_post_number, statement.excluded.last_read_post_number
            ),
            # A row that only held a notification level is opened now.
            "first_visited_at": case(
                (existing.last_read_post_number == 0, statement.excluded.first_visited_at),
                else_=existing.first_visited_at,
            ),
            "last_visited_at": statement.excluded.last_visited_at,
        },
    )
    db.session.execute(statement.execution_options(**UNTRACKED))
    # Notifications about the posts read are read too, in the same transaction.
    mark_topic_read(user.id, topic.id, number)
    db.session.commit()
    return number


def mark_all_read(user, topic_ids: list[int] | None = None) -> list[int]:
    """Set the read mark of every topic in the person's Unread list (or of those among
    ``topic_ids``) to the topic's highest post number, in one UPDATE. Returns the ids."""
    unread = filtered(user, UNREAD, Topic.id)
    if unread is None:
        return []
    if topic_ids is not None:
        unread = unread.where(Topic.id.in_(topic_ids))
    highest = (
        select(Topic.highest_post_number).where(Topic.id == TopicUser.topic_id).scalar_subquery()
    )
    statement = (
        update(TopicUser)
        .where(TopicUser.user_id == user.id, TopicUser.topic_id.in_(unread))
        .values(last_read_post_number=highest, last_visited_at=utcnow())
        .returning(TopicUser.topic_id)
        .execution_options(synchronize_session=False, **UNTRACKED)
    )
    ids = sorted(db.session.scalars(statement))
    db.session.commit()
    return ids


def dismiss_new(user) -> None:
    """Empty the person's New list: only topics created from now on are new."""
    store_options(user.id, new_topics_since=utcnow())
    db.session.commit()
