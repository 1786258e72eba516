"""Topics, their posts, and the revisions kept when a post is edited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.categories.models import Category
from forum.database import utcnow
from forum.extensions import db


class Topic(db.Model):
    __tablename__ = "topics"
    __table_args__ = (
        # The latest list and the category pages: pinned first, then newest activity.
        Index("ix_topics_pinned_bumped_at", "pinned", "bumped_at"),
        Index("ix_topics_category_id_pinned_bumped_at", "category_id", "pinned", "bumped_at"),
        Index("ix_topics_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    #: Derived from the title; never all digits (``/t/{a}/{b}`` with two numbers means
    #: topic and post number).
    slug: Mapped[str] = mapped_column(String(100))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    bumped_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Posts not deleted, the first one included.
    posts_count: Mapped[int] = mapped_column(default=0)
    highest_post_number: Mapped[int] = mapped_column(default=0)
    views: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(default=False)
    closed: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    #: When a moderator e-mailed it to its category's watchers as an announcement (once).
    announced_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    last_post_user: Mapped[User | None] = relationship(
        foreign_keys=[last_post_user_id], lazy="joined"
    )

    @property
    def reply_count(self) -> int:
        return max(self.posts_count - 1, 0)

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.slug}>"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("topic_id", "post_number", name="uq_posts_topic_id_post_number"),
        # The profile page and the duplicate-post check.
        Index("ix_posts_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    post_number: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    raw: Mapped[str] = mapped_column(Text)
    #: Sanitized HTML, the product of :func:`forum.rendering.cook` (never edited elsewhere).
    cooked: Mapped[str] = mapped_column(Text)
    cooked_version: Mapped[str] = mapped_column(String(100))
    reply_to_post_number: Mapped[int | None]
    #: How many posts answer this one.
    reply_count: Mapped[int] = mapped_column(default=0)
    #: How many objects are attached to it (a page without any skips the attachment query).
    attachment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    version: Mapped[int] = mapped_column(default=1)
    edit_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    topic: Mapped[Topic] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Post {self.topic_id}#{self.post_number}>"


class PostRevision(db.Model):
    """What a post said before an edit (and the topic title, when the edit changed it)."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    #: The version this revision replaced (1 for the original text).
    version: Mapped[int]
    raw: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(255))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship(lazy="joined")
