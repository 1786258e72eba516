"""Topic lists and topic views: ``/latest.json``, ``/t/{id}.json`` and its variants,
``/t/{id}/posts.json``.

Routing (discourse.md §4.4): ``/t/{a}/{b}.json`` with both parts numeric means topic id and
post number; with a non-numeric first part it is slug and topic id. Werkzeug tries the
``<id:>`` (integer) rule first because integer converters outrank string ones. A slug that does
not match the topic's is ignored and the topic answered directly (200), never redirected:
common clients do not follow redirects on these calls.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, jsonify
from flask_login import current_user

from forum.api import bp
from forum.api.params import (
    bool_param,
    int_list,
    int_param,
    query_params,
    request_params,
    text_param,
)
from forum.api.serializers import (
    can_create_any_topic,
    serialize_posts,
    serialize_topic_list,
    serialize_topic_view,
)
from forum.errors import MissingParameter, NotLoggedIn
from forum.page_cache import cache_for_visitors
from forum.permissions import can, category_levels
from forum.reading import queries as reading
from forum.topics import queries, services

#: Topic list orders Discourse accepts; the ones we cannot sort by (likes) fall back to
#: activity, as Discourse does for an order it does not know.
LIST_ORDERS = frozenset(
    {"activity", "created", "posts", "views", "likes", "op_likes", "category", "posters"}
)
#: Pages beyond this are empty without asking the database (and without overflowing OFFSET).
MAX_LIST_PAGE = 100_000
#: ``print=true`` returns up to this many posts, as Discourse does.
PRINT_CHUNK = 1000


def viewer():
    """The signed-in user or the anonymous visitor (the object, not Flask-Login's proxy)."""
    return current_user._get_current_object()


# Topic lists ------------------------------------------------------------------------------


def topic_list_response(base_path: str, *, category_ids=None, can_create_topic=None):
    """The ``/latest.json`` shape for all visible topics or for ``category_ids``.

    ``base_path`` is the list's address without ``.json``; ``more_topics_url`` is built on it
    with the same ``order`` and ``ascending`` so the client can simply follow it.
    """
    user = viewer()
    args = query_params()
    page = int_param(args, "page", minimum=0) or 0
    order = args.get("order")
    order = order if isinstance(order, str) and order in LIST_ORDERS else "activity"
    ascending = bool_param(args, "ascending")
    per_page = current_app.config["TOPICS_PER_PAGE"]
    if page > MAX_LIST_PAGE:
        topics, has_more = [], False
    else:
        result = queries.latest_topics(
            user,
            category_ids=category_ids,
            page=page,
            per_page=per_page,
            order=order,
            ascending=ascending,
        )
        topics, has_more = result.topics, result.has_more
    more_url = None
    if has_more:
        query = {}
        if order != "activity":
            query["order"] = order
        if ascending:
            query["ascending"] = "true"
        query["page"] = page + 1
        more_url = f"{base_path}?{urlencode(query)}"
    if can_create_topic is None:
        can_create_topic = can_create_any_topic(user, category_levels(user))
    return jsonify(
        serialize_topic_list(
            topics,
            can_create_topic=can_create_topic,
            per_page=per_page,
            more_url=more_url,
            reading=reading.states(user, topics) if reading.signed_in(user) else None,
        )
    )


@bp.get("/latest.json")
@cache_for_visitors
def latest():
    return topic_list_response("/latest")


# Topic view -------------------------------------------------------------------------------


def replied_posts(topic, posts) -> dict:
    """``{post_number: Post}`` for every post the given posts answer: those in the window
    already, plus one query for the rest (never one per post)."""
    by_number = {post.post_number: post for post in posts}
    wanted = {p.reply_to_post_number for p in posts} - set(by_number) - {None}
    if wanted:
        by_number.update(queries.posts_by_numbers(topic, wanted))
    return by_number


def topic_response(topic_id: int, post_number: int | None = None):
    user = viewer()
    args = query_params()
    topic = queries.get_topic(user, topic_id)
    if post_number is None:
        post_number = int_param(args, "post_number", minimum=1)
    per_page = current_app.config["POSTS_PER_PAGE"]
    if bool_param(args, "print"):
        page, per_page = 1, PRINT_CHUNK
    elif post_number is not None:
        page = queries.post_page(post_number, per_page)
    else:
        page = min(int_param(args, "page", minimum=1) or 1, MAX_LIST_PAGE)
    window = queries.topic_posts(user, topic, page=page, per_page=per_page)
    posts = [post for post in window.posts if can(user, "post.see", post)]
    body = serialize_topic_view(
        topic,
        user,
        posts=posts,
        stream=queries.post_stream_ids(user, topic),
        replied=replied_posts(topic, posts),
        chunk_size=per_page,
    )
    response = jsonify(body)
    # After serialising: counting the view commits, which expires every loaded object.
    services.record_view(topic.id)
    return response


@bp.get("/t/<id:topic_id>.json")
@cache_for_visitors
def topic_view(topic_id: int):
    return topic_response(topic_id)


@bp.get("/t/<slug>/<id:topic_id>.json")
@cache_for_visitors
def topic_view_by_slug(slug: str, topic_id: int):
    return topic_response(topic_id)


@bp.get("/t/<id:topic_id>/<id:post_number>.json")
def topic_view_at_post(topic_id: int, post_number: int):
    return topic_response(topic_id, post_number)


@bp.get("/t/<slug>/<id:topic_id>/<id:post_number>.json")
def topic_view_by_slug_at_post(slug: str, topic_id: int, post_number: int):
    return topic_response(topic_id, post_number)


@bp.get("/t/<id:topic_id>/posts.json")
def topic_posts_view(topic_id: int):
    """Specific posts (``post_ids[]``) or the window around ``post_number``; no ``stream``."""
    user = viewer()
    args = query_params()
    topic = queries.get_topic(user, topic_id)
    post_ids = int_list(args, "post_ids", minimum=1)
    post_number = int_param(args, "post_number", minimum=1)
    if post_ids:
        posts = queries.posts_by_ids(topic, post_ids)
    else:
        page = queries.post_page(post_number) if post_number else 1
        posts = queries.topic_posts(user, topic, page=page).posts
    posts = [post for post in posts if can(user, "post.see", post)]
    serialized = serialize_posts(
        posts,
        user,
        topic=topic,
        replied=replied_posts(topic, posts),
        include_raw=bool_param(args, "include_raw"),
    )
    return jsonify({"post_stream": {"posts": serialized}, "id": topic.id})


@bp.route("/t/<id:topic_id>/status", methods=["PUT"])
@bp.route("/t/<id:topic_id>/status.json", methods=["PUT"])
def topic_status(topic_id: int):
    """Pin, close or archive a topic, or undo it (moderators): Discourse's
    ``PUT /t/{id}/status`` with ``status`` and ``enabled``."""
    user = viewer()
    if not user.is_authenticated:
        raise NotLoggedIn()
    params = request_params()
    status = text_param(params, "status")
    if not status:
        raise MissingParameter("status")
    if "enabled" not in params:
        raise MissingParameter("enabled")
    topic = queries.get_topic(user, topic_id)
    services.set_topic_flag(user, topic, status, bool_param(params, "enabled"))
    return jsonify({"success": "OK", "topic_status_update": None})
