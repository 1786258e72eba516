"""Notifications, per-user notification levels for topics and categories, and the queue of
events whose fan-out (watchers, group mentions, mailing lists) runs after the response."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import utcnow
from forum.extensions import db

#: Discourse's notification levels (and its numeric codes).
MUTED, NORMAL, TRACKING, WATCHING, WATCHING_FIRST_POST = 0, 1, 2, 3, 4
LEVEL_NAMES = {
    WATCHING: "Watching",
    TRACKING: "Tracking",
    WATCHING_FIRST_POST: "Watching first post",
    NORMAL: "Normal",
    MUTED: "Muted",
}
LEVEL_HELP = {
    WATCHING: "You will be notified of every new post, and the unread count is shown.",
    TRACKING: "The unread count is shown; you are notified when someone mentions you or "
    "replies to you.",
    WATCHING_FIRST_POST: "You will be notified of every new topic, but not of its replies.",
    NORMAL: "You are notified when someone mentions you or replies to you.",
    MUTED: "You are never notified, and these topics are left out of New and Unread.",
}


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # One notification per person per event: a post notifies each person once, with
        # the most specific reason (a reply beats "new post in a watched topic").
        UniqueConstraint("user_id", "dedupe_key"),
        # The bell's unread count and the notifications page, newest first.
        Index("ix_notifications_user_id_read_id", "user_id", "read", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: ``replied``, ``quoted``, ``mentioned``, ``group_mentioned``, ``posted``,
    #: ``watching_first_post``, ``announced``, or a plugin's ``<plugin>.<kind>``.
    type: Mapped[str] = mapped_column(String(60))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    post_number: Mapped[int | None]
    #: Who caused it (the replier, the mentioner); ``None`` for the system.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: JSON: what the type needs to describe itself (plugins' ``message`` and ``url``).
    data: Mapped[str] = mapped_column(Text, default="{}")
    #: ``post:<id>`` for post events; plugins choose their own (namespaced) keys.
    dedupe_key: Mapped[str] = mapped_column(String(160))
    read: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicUser(db.Model):
    """One person's relation to one topic: how far they have read, and how closely they
    follow it (``None``: as its category says)."""

    __tablename__ = "topic_users"
    __table_args__ = (
        # Who watches or tracks this topic (the fan-out after a reply).
        Index("ix_topic_users_topic_id_notification_level", "topic_id", "notification_level"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    #: The highest post number this person has seen (0: opened, nothing read yet).
    last_read_post_number: Mapped[int] = mapped_column(default=0)
    notification_level: Mapped[int | None]
    #: Why the level is what it is: ``created_topic``, ``created_post``, ``user_changed``...
    notifications_reason: Mapped[str | None] = mapped_column(String(30))
    first_visited_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_visited_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryUser(db.Model):
    """A person's chosen level for a category (without a row: the category's default)."""

    __tablename__ = "category_users"
    __table_args__ = (
        Index(
            "ix_category_users_category_id_notification_level", "category_id", "notification_level"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    notification_level: Mapped[int]


class NotificationEvent(db.Model):
    """Work written in a post's own transaction and done after the response: telling the
    watchers of its topic and category, the members of mentioned groups, and mailing-list
    readers. ``processed_at`` is set in the transaction that creates their notifications
    and mails, so an event is fanned out once."""

    __tablename__ = "notification_events"
    __table_args__ = (Index("ix_notification_events_processed_at_id", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``post_created``, ``post_edited`` (new mentions) or ``topic_announced``.
    kind: Mapped[str] = mapped_column(String(40))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: JSON: e.g. the group names a post mentioned.
    data: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]


class UserOption(db.Model):
    """A person's e-mail and reading preferences (no row: the defaults below)."""

    __tablename__ = "user_options"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: E-mail me when someone replies to me, quotes me or mentions me.
    email_personal: Mapped[bool] = mapped_column(default=True)
    #: Mailing-list mode: ``off``, ``every_post`` or ``daily`` (one digest a day) for the
    #: categories and topics this person watches.
    mailing_list_mode: Mapped[str] = mapped_column(String(12), default="off")
    #: In mailing-list mode, also send me my own posts.
    mailing_list_include_own: Mapped[bool] = mapped_column(default=False)
    #: Summary of the hottest topics: ``never``, ``daily`` or ``weekly``, visits or not.
    summary_frequency: Mapped[str] = mapped_column(String(12), default="never")
    last_digest_at: Mapped[datetime | None]
    last_summary_at: Mapped[datetime | None]
    #: "New" lists topics created after this (moved forward by "dismiss new").
    new_topics_since: Mapped[datetime | None]
