"""Categories (one level of subcategories) and which groups may see, reply or create in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import utcnow
from forum.extensions import db

#: Discourse's permission levels, lowest number = most rights.
CREATE, REPLY, SEE = 1, 2, 3
PERMISSION_LABELS = {CREATE: "Create, reply and see", REPLY: "Reply and see", SEE: "See"}


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Six hex digits, no ``#`` (Discourse's format).
    color: Mapped[str] = mapped_column(String(6), default="0088CC")
    text_color: Mapped[str] = mapped_column(String(6), default="FFFFFF")
    position: Mapped[int] = mapped_column(default=0)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    #: The notification level of members who have not chosen one (Normal, Watching...; see
    #: :mod:`forum.notifications.models`), set by admins.
    default_notification_level: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class CategoryPermission(db.Model):
    __tablename__ = "category_permissions"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    #: :data:`CREATE`, :data:`REPLY` or :data:`SEE`.
    permission: Mapped[int] = mapped_column(default=CREATE)


class CategoryPlugin(db.Model):
    """A plugin an admin enabled on a category (Discourse has no such core primitive; each
    of its plugins keeps a flag of its own). Rows for plugins no longer loaded are kept, so
    re-installing a plugin brings its categories back."""

    __tablename__ = "category_plugins"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    #: The plugin's name (``sla``, ``resources``...).
    plugin: Mapped[str] = mapped_column(String(30), primary_key=True)
    enabled_at: Mapped[datetime] = mapped_column(default=utcnow)
