"""The read side: what topic lists, topic pages and post lookups show. HTML views and the
JSON API both call these, so both see exactly the same rows and the same permissions.

Every function takes the viewer and returns only what that viewer may see; hidden things are
reported as :class:`~forum.errors.NotFound`, never as "forbidden", so their existence does not
leak. No function queries once per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.categories.models import Category
from forum.errors import NotFound
from forum.extensions import db
from forum.permissions import can, category_levels, is_staff
from forum.topics.models import Post, PostRevision, Topic


@dataclass
class TopicList:
    topics: list[Topic]
    page: int
    per_page: int
    has_more: bool


@dataclass
class PostWindow:
    """One page of a topic's posts."""

    posts: list[Post]
    page: int
    per_page: int
    total_pages: int


def _is_id(value) -> bool:
    """Whether ``value`` can be a row id: a URL's ``<int:...>`` may be larger than the
    database's id columns (``INTEGER``: 32 bits on PostgreSQL), which would fail in the
    driver instead of simply finding nothing."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def visible_categories(user) -> list[Category]:
    """Every category ``user`` can see, in display order (parents before their children)."""
    levels = category_levels(user)
    if not levels:
        return []
    categories = db.session.scalars(
        select(Category).where(Category.id.in_(levels)).order_by(Category.position, Category.name)
    ).all()
    return categories


def get_category(user, category_id) -> Category:
    category = db.session.get(Category, category_id) if _is_id(category_id) else None
    if category is None or not can(user, "category.see", category):
        raise NotFound()
    return category


def latest_topics(
    user,
    *,
    category_ids: list[int] | None = None,
    page: int = 0,
    per_page: int | None = None,
    order: str = "activity",
    ascending: bool = False,
    pinned_first: bool = True,
) -> TopicList:
    """Topics in the categories ``user`` can see (or in ``category_ids`` among them), newest
    activity first, pinned topics first. ``page`` counts from 0."""
    per_page = per_page or current_app.config["TOPICS_PER_PAGE"]
    visible = set(category_levels(user))
    if category_ids is not None:
        visible &= set(category_ids)
    if not visible:
        return TopicList([], page, per_page, False)
    columns = {
        "activity": Topic.bumped_at,
        "created": Topic.created_at,
        "posts": Topic.posts_count,
        "views": Topic.views,
    }
    column = columns.get(order, Topic.bumped_at)
    ordering = [column.asc() if ascending else column.desc(), Topic.id.desc()]
    if pinned_first:
        ordering.insert(0, Topic.pinned.desc())
    if category_ids is None:
        # "+ 0" keeps SQLite's planner off the per-category index: walking
        # ix_topics_pinned_bumped_at in order and stopping at the page is far cheaper.
        query = select(Topic).where((Topic.category_id + 0).in_(visible))
    else:
        query = select(Topic).where(Topic.category_id.in_(visible))
    if not is_staff(user):
        query = query.where(Topic.deleted_at.is_(None))
    rows = db.session.scalars(
        query.order_by(*ordering).offset(page * per_page).limit(per_page + 1)
    ).all()
    return TopicList(list(rows[:per_page]), page, per_page, len(rows) > per_page)


def get_topic(user, topic_id) -> Topic:
    """The topic, if ``user`` may see it; otherwise :class:`NotFound`."""
    topic = db.session.get(Topic, topic_id) if _is_id(topic_id) else None
    if topic is None or not can(user, "topic.see", topic):
        raise NotFound()
    return topic


def post_page(post_number: int, per_page: int | None = None) -> int:
    """The 1-based page of a topic on which post ``post_number`` appears."""
    per_page = per_page or current_app.config["POSTS_PER_PAGE"]
    return max(post_number - 1, 0) // per_page + 1


def topic_posts(user, topic: Topic, *, page: int = 1, per_page: int | None = None) -> PostWindow:
    """Page ``page`` (from 1) of the topic's posts in order. Deleted posts stay in the stream
    (so post numbers and pages are stable); views show them as placeholders to non-staff."""
    per_page = per_page or current_app.config["POSTS_PER_PAGE"]
    total_pages = max((topic.highest_post_number - 1) // per_page + 1, 1)
    page = min(max(page, 1), total_pages)
    start = (page - 1) * per_page
    posts = db.session.scalars(
        select(Post)
        .where(Post.topic_id == topic.id)
        .where(Post.post_number > start, Post.post_number <= start + per_page)
        .order_by(Post.post_number)
    ).all()
    return PostWindow(list(posts), page, per_page, total_pages)


def posts_by_numbers(topic: Topic, numbers) -> dict[int, Post]:
    """``{post_number: Post}`` for the given numbers in one query (for "in reply to" links)."""
    numbers = {n for n in numbers if n is not None}
    if not numbers:
        return {}
    posts = db.session.scalars(
        select(Post).where(Post.topic_id == topic.id, Post.post_number.in_(numbers))
    )
    return {p.post_number: p for p in posts}


def posts_by_ids(topic: Topic, ids) -> list[Post]:
    """The topic's posts with these ids, in post order, in one query (``/t/{id}/posts.json``
    with ``post_ids[]``). Callers filter with ``can(user, "post.see", post)``."""
    ids = {i for i in ids if _is_id(i)}
    if not ids:
        return []
    query = select(Post).where(Post.topic_id == topic.id, Post.id.in_(ids))
    return list(db.session.scalars(query.order_by(Post.post_number)))


def post_stream_ids(user, topic: Topic) -> list[int]:
    """Every post id of the topic in order (Discourse's ``post_stream.stream``)."""
    query = select(Post.id).where(Post.topic_id == topic.id).order_by(Post.post_number)
    if not is_staff(user):
        query = query.where(Post.deleted_at.is_(None))
    return list(db.session.scalars(query))


def get_post(user, post_id) -> Post:
    """The post with this id, if ``user`` may see it and its topic."""
    post = db.session.get(Post, post_id) if _is_id(post_id) else None
    if post is None or not can(user, "topic.see", post.topic) or not can(user, "post.see", post):
        raise NotFound()
    return post


def get_post_by_number(user, topic: Topic, post_number: int) -> Post:
    post = db.session.scalar(
        select(Post).where(Post.topic_id == topic.id, Post.post_number == post_number)
    )
    if post is None or not can(user, "post.see", post):
        raise NotFound()
    return post


def post_revisions(post: Post) -> list[PostRevision]:
    """Earlier versions of a post, oldest first."""
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.version)
        )
    )


def user_topics(viewer, author: User, *, limit: int = 20) -> list[Topic]:
    """Topics ``author`` started, in categories ``viewer`` can see, newest first."""
    visible = set(category_levels(viewer))
    if not visible:
        return []
    query = select(Topic).where(Topic.user_id == author.id, Topic.category_id.in_(visible))
    if not is_staff(viewer):
        query = query.where(Topic.deleted_at.is_(None))
    return list(db.session.scalars(query.order_by(Topic.created_at.desc()).limit(limit)))


def user_posts(viewer, author: User, *, limit: int = 20) -> list[Post]:
    """Posts ``author`` wrote, in topics ``viewer`` can see, newest first (topics loaded)."""
    visible = set(category_levels(viewer))
    if not visible:
        return []
    query = (
        select(Post)
        .join(Topic, Topic.id == Post.topic_id)
        .options(joinedload(Post.topic))
        .where(Post.user_id == author.id, Topic.category_id.in_(visible))
    )
    if not is_staff(viewer):
        query = query.where(Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
    return list(db.session.scalars(query.order_by(Post.created_at.desc()).limit(limit)))


def replies_to(user, topic: Topic, numbers, *, limit: int = 500) -> dict[int, list[tuple]]:
    """``{post_number: [(reply post_number, username), ...]}``: which posts answer each of
    the given posts, in one query (for the "N replies" list under a post)."""
    numbers = {n for n in numbers if n is not None}
    if not numbers:
        return {}
    query = (
        select(Post.reply_to_post_number, Post.post_number, User.username)
        .join(User, User.id == Post.user_id)
        .where(Post.topic_id == topic.id, Post.reply_to_post_number.in_(numbers))
        .order_by(Post.post_number)
        .limit(limit)
    )
    if not is_staff(user):
        query = query.where(Post.deleted_at.is_(None))
    replies: dict[int, list[tuple]] = {}
    for parent, number, username in db.session.execute(query):
        replies.setdefault(parent, []).append((number, username))
    return replies
