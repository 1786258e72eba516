"""Reply by e-mail: each person gets an unguessable key per topic, carried in the reply
address of every message about that topic (``reply+<key>@…``)."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.mail.models import ReplyKey


def reply_key(user_id: int, topic_id: int) -> ReplyKey:
    """The person's live key for the topic, made on first use (in the caller's transaction)."""
    key = db.session.scalar(
        select(ReplyKey).where(ReplyKey.user_id == user_id, ReplyKey.topic_id == topic_id)
    )
    if key is None:
        key = ReplyKey(key=secrets.token_hex(16), user_id=user_id, topic_id=topic_id)
        db.session.add(key)
        db.session.flush()
    return key


def reply_address(user_id: int, topic_id: int) -> str | None:
    """The address replies to this person's mail about the topic go to, or ``None`` when
    reply by e-mail is off or the key was revoked."""
    template = current_app.config.get("MAIL_REPLY_ADDRESS")
    if not template:
        return None
    key = reply_key(user_id, topic_id)
    if key.revoked_at is not None:
        return None
    return template.replace("{key}", key.key)


def find_key(value: str) -> ReplyKey | None:
    """The key row for ``value`` (live or revoked), or ``None``."""
    if not value or len(value) > 64:
        return None
    return db.session.scalar(select(ReplyKey).where(ReplyKey.key == value))


def revoke(user_id: int, topic_id: int | None = None) -> int:
    """Revoke a person's keys (for one topic, or all of them); returns how many."""
    query = select(ReplyKey).where(ReplyKey.user_id == user_id, ReplyKey.revoked_at.is_(None))
    if topic_id is not None:
        query = query.where(ReplyKey.topic_id == topic_id)
    keys = db.session.scalars(query).all()
    now = utcnow()
    for key in keys:
        key.revoked_at = now
    return len(keys)
