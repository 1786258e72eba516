"""Library items attached to posts: the attachment type (a card under the post, an entry in
post JSON) and ``[[resource:slug]]`` in Markdown, which attaches the item and leaves a link
where it was typed.

The card is drawn from the item as it is now, when the page is drawn, so a "superseded"
warning appears on every post citing an item once a newer version is added. Someone who may
not see the item sees no card at all.
"""

from __future__ import annotations

from sqlalchemy import and_, select

from forum.attachments import references
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.hooktypes import AttachmentType

from . import access
from . import vocabulary as v
from .models import Resource

KEY = "resources.resource"
COOK_VERSION = "resources:2"


def attachment_type() -> AttachmentType:
    return AttachmentType(
        key=KEY,
        label="Library item",
        load=load,
        validate=validate,
        template="resources/_card.html",
        to_json=to_json,
        options=options,
        everywhere=True,
    )


def load(ids: list[int], user) -> dict[int, Resource]:
    """The items with these ids that ``user`` may see, in one query."""
    rows = db.session.scalars(
        select(Resource).where(and_(Resource.id.in_(ids), access.visible(user)))
    )
    items = {item.id: item for item in rows}
    newer = dict(
        db.session.execute(
            select(Resource.supersedes_id, Resource.slug).where(
                Resource.supersedes_id.in_(list(items)), access.visible(user)
            )
        ).all()
    )
    for item in items.values():
        item.newer_slug = newer.get(item.id)
    return items


def validate(user, ref: str, post) -> int:
    """A slug (or number) of an item ``user`` may see."""
    ref = ref.strip()
    query = select(Resource)
    if ref.isascii() and ref.isdigit() and len(ref) < 12:
        item = db.session.scalar(query.where(Resource.id == int(ref)))
    else:
        item = db.session.scalar(query.where(Resource.slug == ref.lower()[:120]))
    if item is None or not access.can_see(user, item):
        raise ValidationFailed(f"There is no library item {ref[:60]!r} that you can see.")
    return item.id


def to_json(item: Resource) -> dict:
    return {
        "id": item.id,
        "slug": item.slug,
        "title": item.title,
        "url": f"/resources/{item.slug}",
        "resource_type": item.resource_type,
        "nations": item.nation_keys,
        "version": item.version,
        "status": item.status,
        "superseded": item.status == "superseded",
        "superseded_by": getattr(item, "newer_slug", None),
    }


def options(user, category) -> list[tuple[str, str]]:
    """The picker's choices: current items ``user`` may see, by title."""
    rows = db.session.execute(
        select(Resource.slug, Resource.title, Resource.resource_type)
        .where(access.visible(user), Resource.status.in_(("current", "draft")))
        .order_by(Resource.title)
        .limit(500)
    )
    return [(slug, f"{title} ({v.RESOURCE_TYPES[kind]})") for slug, title, kind in rows]


# -- [[resource:slug]] in Markdown --------------------------------------------------------------

markdown_rule = references.markdown_rule("resource", lambda slug: f"/resources/{slug}", "Library")


def attach_refs(post, user) -> None:
    """Attach each item a post names with ``[[resource:slug]]``."""
    references.attach_references(post, user, "resource", KEY)
