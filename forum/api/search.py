"""Search in Discourse's dialect: ``/search.json`` and ``/topics/similar_to``."""

from __future__ import annotations

from flask import current_app, jsonify

from forum.api import bp
from forum.api.params import int_param, query_params
from forum.api.serializers import _topic_common, serialize_basic_user, timestamp
from forum.api.topics import viewer
from forum.errors import InvalidParameters
from forum.search import service
from forum.search.rate_limit import search_limit

#: Discourse's full-page search serves 50 results a page.
PER_PAGE = 50


def _text(params: dict, name: str) -> str:
    value = params.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidParameters(name, "must be text")
    return value


def result_json(result) -> dict:
    """A post hit as Discourse sends it (``blurb``, not ``cooked``); a plugin document in the
    same shape, with its own ``url`` and ``type`` instead of a topic."""
    if result.post is None:
        return {
            "id": None,
            "type": result.kind,
            "title": result.title,
            "url": result.url,
            "created_at": timestamp(result.created_at),
            "blurb": str(result.blurb),
        }
    post, user = result.post, result.user
    return {
        "id": post.id,
        **{k: v for k, v in serialize_basic_user(user).items() if k != "id"},
        "user_id": user.id,
        "created_at": timestamp(post.created_at),
        "like_count": 0,
        "blurb": str(result.blurb),
        "post_number": post.post_number,
        "topic_id": post.topic_id,
        "topic_title_headline": result.title,
    }


@bp.get("/search.json")
@bp.get("/search/query.json")
@search_limit
def search_json():
    params = query_params()
    text = _text(params, "q") or _text(params, "term")
    page = int_param(params, "page", minimum=1) or 1
    if page > service.MAX_PAGE:
        raise InvalidParameters("page", f"must be between 1 and {service.MAX_PAGE}")
    results = service.search(viewer(), text, page=page, per_page=PER_PAGE)
    if results.error:
        raise InvalidParameters("q", results.error)
    posts, topics, seen = [], [], set()
    for result in results.results:
        if result.post is None:
            posts.append(result_json(result))
            continue
        posts.append(result_json(result))
        if result.topic.id not in seen:
            seen.add(result.topic.id)
            topics.append({**_topic_common(result.topic), "has_accepted_answer": False})
    return jsonify(
        {
            "posts": [p for p in posts if p["id"] is not None],
            "topics": topics,
            "users": [],
            "categories": [],
            "tags": [],
            "groups": [],
            "documents": [p for p in posts if p["id"] is None],
            "grouped_search_result": {
                "term": results.query.text,
                "post_ids": [p["id"] for p in posts if p["id"] is not None],
                "user_ids": [],
                "category_ids": [],
                "tag_ids": [],
                "group_ids": [],
                "more_posts": None,
                "more_users": None,
                "more_categories": None,
                "more_full_page_results": True if results.more else None,
                "can_create_topic": viewer().is_authenticated,
                "error": None,
                "notices": results.notices,
                "search_log_id": None,
            },
        }
    )


@bp.get("/topics/similar_to")
@bp.get("/topics/similar_to.json")
@search_limit
def similar_to():
    params = query_params()
    title, raw = _text(params, "title"), _text(params, "raw")
    limit = current_app.config["MAX_TITLE_LENGTH"]
    found = service.similar_topics(viewer(), title[:limit], raw[:2000])
    return jsonify(
        {
            "similar_topics": [
                {
                    "blurb": str(result.blurb),
                    "created_at": timestamp(result.created_at),
                    "url": result.url,
                    "topic_id": result.topic.id,
                    "topic": {**_topic_common(result.topic), "category_id": result.category.id},
                }
                for result in found
            ]
        }
    )
