"""The plugin's one table; its name starts with the plugin's name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import utcnow
from forum.extensions import db


class Meeting(db.Model):
    __tablename__ = "meetings_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200), default="Online")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
