"""What site search finds in the library: each item by its metadata, and each page, section
or sheet of its file's text, so that a phrase from page 7 of a contract finds the contract
and says "page 7". Both kinds share the item's group, so the item is listed once, by its
best match; both take the item's scope (:func:`plugins.resources.access.scope_of`), so a
restricted item's words are found only by those who may see it. Drafts' scope is granted to
their contributor and editors only."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from forum.extensions import db
from forum.hooktypes import SearchDocument, SearchType

from . import access
from . import vocabulary as v
from .models import FileSection, Resource

ITEM_KIND = "resources.resource"
SECTION_KIND = "resources.section"


def search_types() -> list[SearchType]:
    return [
        SearchType(
            key=ITEM_KIND,
            name="resource",
            label="Library",
            load=item_documents,
            all_ids=lambda: db.session.scalars(select(Resource.id).order_by(Resource.id)),
            scopes=access.scopes,
        ),
        SearchType(
            key=SECTION_KIND,
            name="document",
            label="Library documents",
            load=section_documents,
            all_ids=lambda: db.session.scalars(select(FileSection.id).order_by(FileSection.id)),
            scopes=access.scopes,
        ),
    ]


def _status(item: Resource) -> tuple[str, ...]:
    return ("open",) if item.status in ("current", "draft") else ("archived",)


def item_documents(ids: list[int]) -> list[SearchDocument]:
    items = db.session.scalars(select(Resource).where(Resource.id.in_(ids)))
    documents = []
    for item in items:
        words = [
            item.summary,
            item.source_org,
            v.RESOURCE_TYPES.get(item.resource_type, ""),
            " ".join(v.TOPIC_NAMES.get(t, "") for t in item.topic_keys),
            " ".join(v.NATIONS.get(n, "") for n in item.nation_keys),
            item.keywords.replace(",", " "),
            item.version,
        ]
        documents.append(
            SearchDocument(
                kind=ITEM_KIND,
                object_id=item.id,
                title=item.title,
                body="\n".join(w for w in words if w),
                url=f"/resources/{item.slug}",
                scope=access.scope_of(item),
                created_at=item.created_at,
                user_id=item.contributed_by_id,
                status=_status(item),
                group=f"resources:{item.id}",
            )
        )
    return documents


def section_documents(ids: list[int]) -> list[SearchDocument]:
    """Sections of files that an item holds now; sections of a replaced file are left out
    (so they leave the index)."""
    rows = db.session.execute(
        select(FileSection, Resource)
        .join(Resource, Resource.file_id == FileSection.file_id)
        .where(FileSection.id.in_(ids))
    ).all()
    documents, seen = [], defaultdict(bool)
    for section, item in rows:
        if seen[section.id]:  # a file is held by one item; keep the first if ever two
            continue
        seen[section.id] = True
        documents.append(
            SearchDocument(
                kind=SECTION_KIND,
                object_id=section.id,
                title=f"{item.title} — {section.label}",
                body=section.text,
                url=f"/resources/{item.slug}#section-{section.number}",
                scope=access.scope_of(item),
                created_at=item.created_at,
                user_id=item.contributed_by_id,
                first=False,
                status=_status(item),
                group=f"resources:{item.id}",
            )
        )
    return documents
