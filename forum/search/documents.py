"""The core's searchable documents: posts, with their topic's title.

Text comes from the cooked HTML (what readers see), never from the Markdown source. Loading
reads plain columns, no ORM objects: a rebuild reads every post.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from forum.extensions import db
from forum.hooktypes import SearchDocument
from forum.search.outbox import changed_where
from forum.topics.models import Post, Topic

POST_KIND = "core.post"
TAG_RE = re.compile(r"<[^>]*>")
SPACE_RE = re.compile(r"\s+")
#: Discourse's quote header ("alice said:") is not the quoting post's text.
QUOTE_TITLE_RE = re.compile(r"<div class=\"quote-title\">.*?</div>", re.DOTALL)


def html_to_text(cooked: str) -> str:
    """The words of sanitized HTML as plain text, one space apart."""
    text = TAG_RE.sub(" ", QUOTE_TITLE_RE.sub(" ", cooked))
    return SPACE_RE.sub(" ", html.unescape(text)).strip()


def topic_status(closed: bool, archived: bool) -> tuple[str, ...]:
    states = []
    if closed:
        states.append("closed")
    if archived:
        states.append("archived")
    return tuple(states) or ("open",)


def post_documents(ids: list[int]) -> list[SearchDocument]:
    """The documents of the posts among ``ids`` that are live (neither they nor their topic
    deleted)."""
    rows = db.session.execute(
        select(
            Post.id,
            Post.cooked,
            Post.created_at,
            Post.user_id,
            Post.post_number,
            Topic.id,
            Topic.title,
            Topic.slug,
            Topic.category_id,
            Topic.closed,
            Topic.archived,
        )
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.id.in_(ids), Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
    )
    return [
        SearchDocument(
            kind=POST_KIND,
            object_id=post_id,
            title=title,
            body=html_to_text(cooked),
            url=f"/t/{slug}/{topic_id}/{number}",
            scope=f"category:{category_id}",
            created_at=created_at,
            user_id=user_id,
            category_id=category_id,
            topic_id=topic_id,
            post_number=number,
            first=number == 1,
            status=topic_status(closed, archived),
            group=f"topic:{topic_id}",
        )
        for (
            post_id,
            cooked,
            created_at,
            user_id,
            number,
            topic_id,
            title,
            slug,
            category_id,
            closed,
            archived,
        ) in rows
    ]


def topic_changed(topic_id: int) -> None:
    """Re-index every post of a topic (its title, category or status changed)."""
    changed_where(POST_KIND, select(Post.id).where(Post.topic_id == topic_id))


def all_post_ids():
    """Every live post's id, oldest first."""
    return db.session.scalars(
        select(Post.id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
        .order_by(Post.id)
    )
