"""E-mail: the outgoing queue, reply-by-e-mail keys and the log of incoming messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import utcnow
from forum.extensions import db

QUEUED, SENDING, SENT, FAILED, SKIPPED = "queued", "sending", "sent", "failed", "skipped"


class OutgoingMail(db.Model):
    """One message to one person. Queued in the same transaction as the event it tells of,
    composed and sent after commit by ``flask forum mail send`` (composing at send time
    means a quick edit is included and a notification read meanwhile is not mailed)."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (
        # The sender's next batch: queued rows whose time has come.
        Index("ix_outgoing_mails_status_send_after", "status", "send_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_address: Mapped[str] = mapped_column(String(254))
    #: ``notification``, ``mailing_list``, ``digest``, ``summary``, ``announcement``.
    kind: Mapped[str] = mapped_column(String(40))
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    #: JSON: what the composer needs beyond the ids (a digest's period...).
    data: Mapped[str] = mapped_column(Text, default="{}")
    #: Never two messages for one event and person (``n:<notification id>``...).
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    send_after: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(255), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    #: The secret in this message's unsubscribe link.
    unsubscribe_key: Mapped[str] = mapped_column(String(64), unique=True)
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class ReplyKey(db.Model):
    """The unguessable part of one person's reply address for one topic."""

    __tablename__ = "email_reply_keys"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class IncomingMail(db.Model):
    """Every message ``flask forum mail receive`` was given, and what became of it."""

    __tablename__ = "incoming_emails"
    __table_args__ = (Index("ix_incoming_emails_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The message's ``Message-ID`` (or a digest of its bytes when it has none): the same
    #: message delivered twice is posted once.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    from_address: Mapped[str] = mapped_column(String(254), default="")
    to_address: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int] = mapped_column(default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    #: ``posted`` or ``refused``.
    status: Mapped[str] = mapped_column(String(12))
    #: Why it was refused (the bounce's text).
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
