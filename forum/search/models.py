"""The search outbox, and the PostgreSQL backend's document table.

The outbox is how the index follows the database: every write that changes something
searchable adds ``(kind, object id)`` rows here in its own transaction, and the rows are
applied to the index after the commit (:mod:`forum.search.outbox`). A write that rolls back
takes its rows with it; a process that dies after the commit leaves them for the next one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from forum.database import utcnow
from forum.extensions import db


class SearchOutboxRow(db.Model):
    """A searchable object that changed: re-read it and update the index."""

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_applied_at_id", "applied_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A search type's key (``core.post``).
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: When the change reached the index; applied rows are kept a day so that a rebuild can
    #: replay whatever changed while it ran.
    applied_at: Mapped[datetime | None]


class SearchDocumentRow(db.Model):
    """One indexed document, for the PostgreSQL backend (empty on SQLite, which uses Whoosh).

    ``tsv`` holds the title (weight A) and the body (weight D), stemmed by PostgreSQL's
    ``english`` configuration, under a GIN index.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_documents_scope_created_at", "scope", "created_at"),
    )

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    group_key: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    #: The title's words, lower case, one space apart: an exact title match ranks first.
    title_exact: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    user_id: Mapped[int | None]
    category_id: Mapped[int | None]
    topic_id: Mapped[int | None]
    post_number: Mapped[int | None]
    first: Mapped[bool]
    #: Space-separated topic states (``open``, ``closed``, ``archived``).
    status: Mapped[str] = mapped_column(String(40))
    #: When this row was last written (a rebuild deletes the rows it did not rewrite).
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)
    tsv: Mapped[str] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
