"""What is attached to which post."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import utcnow
from forum.extensions import db


class PostAttachment(db.Model):
    __tablename__ = "post_attachments"
    __table_args__ = (
        # One object once per post; the post_id prefix serves "attachments of these posts".
        UniqueConstraint("post_id", "type_key", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    #: The attachment type's key, ``<plugin>.<kind>`` (``sla.record``).
    type_key: Mapped[str] = mapped_column(String(100))
    #: The id of the attached object in the plugin's own table.
    object_id: Mapped[int] = mapped_column(BigInteger)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
