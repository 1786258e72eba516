"""The Resource Centre's tables: items, their stored files and the text found in them, their
topics, nations and access grants, their history, and which topics each category shows.

Enumerated fields hold the keys of :mod:`plugins.resources.vocabulary`; topics and nations
are rows of their own so that the library's facets are counted in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.database import utcnow
from forum.extensions import db


class StoredFile(db.Model):
    """A file's bytes, stored once however often it is uploaded (named by its SHA-256 under
    ``RESOURCES_STORAGE_DIR``), with what text extraction made of it."""

    __tablename__ = "resources_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    #: A key of :data:`plugins.resources.filetypes.KINDS`, found from the content.
    kind: Mapped[str] = mapped_column(String(10))
    mime: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: ``pending`` (waiting for the extractor), ``done``, ``failed`` or ``none`` (a kind
    #: whose text is not read).
    extraction: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    extraction_error: Mapped[str] = mapped_column(String(200), default="")
    extracted_at: Mapped[datetime | None]
    section_count: Mapped[int] = mapped_column(default=0)


class FileSection(db.Model):
    """A page (PDF), section (Word), sheet (Excel) or part (text) of a file's text: what
    search finds, so that a result can say "page 7"."""

    __tablename__ = "resources_file_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("resources_file.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)


class Resource(db.Model):
    """One item of the library: a document, a link, a tool or a template."""

    __tablename__ = "resources_resource"
    __table_args__ = (
        Index("ix_resources_resource_status_created", "status", "created_at"),
        Index("ix_resources_resource_review_date", "review_date"),
        # The library's default order (newest first) walks this instead of sorting.
        Index("ix_resources_resource_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(250))
    summary: Mapped[str] = mapped_column(Text, default="")
    collection: Mapped[str] = mapped_column(String(30))
    resource_type: Mapped[str] = mapped_column(String(40))
    source_org: Mapped[str] = mapped_column(String(200), index=True)
    contributed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    contributing_lmc_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    #: Comma-separated keys of :data:`~plugins.resources.vocabulary.AUDIENCES`.
    audience: Mapped[str] = mapped_column(String(200), default="")
    publication_date: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    version: Mapped[str] = mapped_column(String(20), default="")
    #: The item this one replaces; the one that replaces it is found by the reverse link.
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources_resource.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="current")
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources_file.id", ondelete="RESTRICT"), index=True
    )
    #: The name the file downloads under (made safe when uploaded).
    file_name: Mapped[str] = mapped_column(String(150), default="")
    external_url: Mapped[str] = mapped_column(String(2000), default="")
    last_link_check: Mapped[datetime | None]
    link_ok: Mapped[bool | None]
    link_error: Mapped[str] = mapped_column(String(200), default="")
    licence: Mapped[str] = mapped_column(String(40))
    is_template: Mapped[bool] = mapped_column(default=False)
    access_level: Mapped[str] = mapped_column(String(20), default="members")
    #: Comma-separated words people may search for that the text does not use.
    keywords: Mapped[str] = mapped_column(String(500), default="")
    download_count: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(default=False)
    #: The forum thread where people discuss it, once someone has started one.
    discussion_topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile | None] = relationship(lazy="joined")
    topics: Mapped[list[ResourceTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ResourceTopic.topic"
    )
    nations: Mapped[list[ResourceNation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ResourceNation.nation"
    )
    grants: Mapped[list[AccessGrant]] = relationship(cascade="all, delete-orphan")

    @property
    def topic_keys(self) -> list[str]:
        return [row.topic for row in self.topics]

    @property
    def nation_keys(self) -> list[str]:
        return [row.nation for row in self.nations]

    @property
    def audience_keys(self) -> list[str]:
        return [key for key in self.audience.split(",") if key]

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ResourceTopic(db.Model):
    __tablename__ = "resources_resource_topic"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources_resource.id", ondelete="CASCADE"), primary_key=True
    )
    #: A slug of :data:`~plugins.resources.vocabulary.TOPICS`.
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ResourceNation(db.Model):
    __tablename__ = "resources_resource_nation"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources_resource.id", ondelete="CASCADE"), primary_key=True
    )
    nation: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class AccessGrant(db.Model):
    """For a ``restricted`` item: a group, or an LMC (organisation), whose people may see it."""

    __tablename__ = "resources_access_grant"
    __table_args__ = (UniqueConstraint("resource_id", "group_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources_resource.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )


class Revision(db.Model):
    """One change to an item: who, when, and each field's value before and after (JSON)."""

    __tablename__ = "resources_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources_resource.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: ``{"field": [before, after], ...}``; the first revision holds every field's value.
    changes: Mapped[str] = mapped_column(Text)


class CategoryTopic(db.Model):
    """A topic whose items a category's library page shows (none: the whole library)."""

    __tablename__ = "resources_category_topic"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)


MODELS = [StoredFile, FileSection, Resource, ResourceTopic, ResourceNation, AccessGrant]
MODELS += [Revision, CategoryTopic]
