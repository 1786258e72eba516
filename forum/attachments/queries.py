"""Reading attachments: every attachment of a page's posts in one query, then one ``load``
per attachment type (never one per post or per attachment)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from forum.attachments.models import PostAttachment
from forum.extensions import db
from forum.hooktypes import AttachmentType
from forum.plugin_system.calls import recover_session

log = logging.getLogger("forum.plugins")


@dataclass(frozen=True)
class ShownAttachment:
    """An attachment whose object exists and the viewer may see."""

    id: int
    post_id: int
    type: AttachmentType
    object: Any


def attachment_types() -> dict[str, AttachmentType]:
    return current_app.extensions["forum.plugins"].attachment_types


def for_posts(user, posts: Iterable) -> dict[int, list[ShownAttachment]]:
    """``{post id: [ShownAttachment, ...]}`` in the order they were attached. Objects that
    are gone or hidden from ``user`` are left out, and so are the attachments of a plugin
    that fails to load them (logged under its name; the page still renders)."""
    types = attachment_types()
    # Posts count their attachments, so a page without any costs no query at all.
    post_ids = {post.id for post in posts if post.attachment_count}
    if not types or not post_ids:
        return {}
    table = PostAttachment.__table__  # a plain Core select: half the ORM's overhead
    rows = db.session.execute(
        select(table.c.id, table.c.post_id, table.c.type_key, table.c.object_id)
        .where(table.c.post_id.in_(post_ids), table.c.type_key.in_(types))
        .order_by(table.c.id)
    ).all()
    wanted: dict[str, set[int]] = {}
    for _id, _post_id, key, object_id in rows:
        wanted.setdefault(key, set()).add(object_id)
    objects: dict[str, dict[int, Any]] = {}
    for key, ids in wanted.items():
        try:
            found = types[key].load(sorted(ids), user)
        except Exception:
            log.exception("plugin %r failed to load attachments %r", types[key].plugin, key)
            recover_session()
            found = {}
        if not isinstance(found, dict):
            log.error("plugin %r: load of %r must return a dict", types[key].plugin, key)
            found = {}
        objects[key] = found
    shown: dict[int, list[ShownAttachment]] = {}
    for row_id, post_id, key, object_id in rows:
        found = objects[key].get(object_id)
        if found is not None:
            shown.setdefault(post_id, []).append(
                ShownAttachment(row_id, post_id, types[key], found)
            )
    return shown


def choices(user, category, kinds) -> dict[str, list[tuple[str, str]]]:
    """The picker choices of each attachment type in ``kinds`` that lists them; a plugin
    that fails to list its choices is logged and offers none."""
    found = {}
    for kind in kinds:
        if kind.options is None:
            continue
        try:
            found[kind.key] = [
                (str(ref), str(label)) for ref, label in kind.options(user, category)
            ]
        except Exception:
            log.exception("plugin %r failed to list %r choices", kind.plugin, kind.key)
            recover_session()
            found[kind.key] = []
    return found


def as_json(shown: list[ShownAttachment]) -> dict[str, list[dict]]:
    """Post JSON's plugin keys: ``{"<plugin>": [{"type": key, ...to_json}, ...]}``."""
    data: dict[str, list[dict]] = {}
    for item in shown:
        try:
            body = dict(item.type.to_json(item.object))
        except Exception:
            log.exception("plugin %r failed to serialise %r", item.type.plugin, item.type.key)
            continue
        data.setdefault(item.type.plugin, []).append({"type": item.type.key, **body})
    return data


# -- Where a plugin's object is discussed (public, for plugins' object pages) ------------------


def citing_topics(user, type_key: str, object_id: int, *, limit: int = 50) -> list:
    """The topics with a live post carrying this object as an attachment, in categories
    ``user`` may see, most recently active first: rows of ``(id, slug, title,
    last_posted_at)``, in one query."""
    from forum.permissions import visible_category_ids
    from forum.topics.models import Post, Topic

    category_ids = visible_category_ids(user)
    if not category_ids:
        return []
    citing = (
        select(Post.topic_id)
        .join(PostAttachment, PostAttachment.post_id == Post.id)
        .where(
            PostAttachment.type_key == type_key,
            PostAttachment.object_id == object_id,
            Post.deleted_at.is_(None),
        )
    )
    return db.session.execute(
        select(Topic.id, Topic.slug, Topic.title, Topic.last_posted_at)
        .where(
            Topic.id.in_(citing),
            Topic.deleted_at.is_(None),
            Topic.category_id.in_(category_ids),
        )
        .order_by(Topic.last_posted_at.desc(), Topic.id.desc())
        .limit(limit)
    ).all()


def visible_topic(user, topic_id: int | None):
    """The topic if it exists, is not deleted and ``user`` may see its category (a plugin
    object's own discussion thread), else ``None``."""
    from forum.permissions import visible_category_ids
    from forum.topics.models import Topic

    if topic_id is None:
        return None
    topic = db.session.get(Topic, topic_id)
    if topic is None or topic.deleted_at is not None:
        return None
    return topic if topic.category_id in visible_category_ids(user) else None
