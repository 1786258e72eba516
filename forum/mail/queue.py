"""Queueing mail: rows written in the caller's transaction, so a message exists exactly when
the event it tells of was committed. ``flask forum mail send`` composes and sends them."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from forum.database import upsert_insert, utcnow
from forum.extensions import db
from forum.mail.models import OutgoingMail

#: What a message is about (and so what its unsubscribe link turns off).
NOTIFICATION = "notification"
MAILING_LIST = "mailing_list"
DIGEST = "digest"
SUMMARY = "summary"
ANNOUNCEMENT = "announcement"
KINDS = (NOTIFICATION, MAILING_LIST, DIGEST, SUMMARY, ANNOUNCEMENT)


@dataclass
class Message:
    """A message to queue: to one person, about one thing."""

    user_id: int
    to_address: str
    kind: str
    dedupe_key: str
    notification_id: int | None = None
    post_id: int | None = None
    topic_id: int | None = None
    data: dict = field(default_factory=dict)
    send_after: datetime | None = None


def post_key(post_id: int, user_id: int) -> str:
    """The dedupe key of every message about one post to one person: a reply that is also
    a watched topic's new post, and a mailing-list copy, make one message, not three."""
    return f"post:{post_id}:{user_id}"


def enqueue(messages: list[Message], *, delay_seconds: float = 0) -> int:
    """Queue ``messages`` in the current transaction, skipping any whose ``dedupe_key`` was
    queued before. One INSERT for the lot (a reply can tell a thousand watchers). Returns
    how many rows were added."""
    if not messages:
        return 0
    now = utcnow()
    default_after = now + timedelta(seconds=delay_seconds)
    rows = [
        {
            "user_id": m.user_id,
            "to_address": m.to_address,
            "kind": m.kind,
            "dedupe_key": m.dedupe_key,
            "notification_id": m.notification_id,
            "post_id": m.post_id,
            "topic_id": m.topic_id,
            "data": json.dumps(m.data),
            "status": "queued",
            "attempts": 0,
            "send_after": m.send_after or default_after,
            "last_error": "",
            "message_id": "",
            "subject": "",
            "unsubscribe_key": secrets.token_urlsafe(24),
            "created_at": now,
        }
        for m in messages
    ]
    # One statement run with many parameter sets: SQLAlchemy batches it into multi-row
    # INSERTs and compiles it once (a 500-row VALUES literal would be compiled each time).
    table = OutgoingMail.__table__
    statement = upsert_insert(table).on_conflict_do_nothing().returning(table.c.id)
    return len(db.session.execute(statement, rows).all())
