"""Categories: ``/categories.json`` and each category's topic list (``/c/...json``).

A category the viewer may not see is left out of every list and answers 404 by id, because
:func:`forum.topics.queries.visible_categories` and ``get_category`` only return what the
viewer's groups allow.
"""

from __future__ import annotations

from flask import jsonify

from forum.accounts.models import AnonymousUser
from forum.api import bp
from forum.api.params import bool_param, int_param, query_params
from forum.api.serializers import can_create_any_topic, serialize_category
from forum.api.topics import topic_list_response, viewer
from forum.page_cache import cache_for_visitors
from forum.permissions import can, category_levels
from forum.rendering import cook
from forum.topics import queries


def category_json(category, user, *, children=(), levels=None, public_ids=None) -> dict:
    """One category in Discourse's shape, for ``user``."""
    if levels is None:
        levels = category_levels(user)
    if public_ids is None:
        public_ids = set(category_levels(AnonymousUser()))
    return serialize_category(
        category,
        user,
        levels=levels,
        public_ids=public_ids,
        children=list(children),
        description_html=cook(category.description).html if category.description else "",
    )


@bp.get("/categories.json")
@cache_for_visitors
def categories():
    """Top-level categories (or the children of ``parent_category_id``), each with its
    ``subcategory_ids``; ``include_subcategories=true`` embeds ``subcategory_list``."""
    user = viewer()
    args = query_params()
    parent_id = int_param(args, "parent_category_id", minimum=1)
    include_subcategories = bool_param(args, "include_subcategories")
    if parent_id is not None:
        queries.get_category(user, parent_id)  # 404 when unknown or hidden
    levels = category_levels(user)
    public_ids = set(category_levels(AnonymousUser()))
    visible = queries.visible_categories(user)
    children: dict[int, list] = {}
    for category in visible:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)

    def serialize(category) -> dict:
        kids = children.get(category.id, [])
        data = category_json(category, user, children=kids, levels=levels, public_ids=public_ids)
        if include_subcategories:
            data["subcategory_list"] = [serialize(kid) for kid in kids]
        return data

    listed = [c for c in visible if c.parent_id == parent_id]
    return jsonify(
        {
            "category_list": {
                "can_create_category": can(user, "admin"),
                "can_create_topic": can_create_any_topic(user, levels),
                "categories": [serialize(category) for category in listed],
            }
        }
    )


def category_topics(category_id: int, *, subcategories: bool = True):
    """The topic list of one category, its visible subcategories' topics included unless
    ``subcategories`` is false (Discourse's ``/none`` form). A wrong slug is ignored."""
    user = viewer()
    category = queries.get_category(user, category_id)
    ids = [category.id]
    if subcategories:
        ids += [c.id for c in queries.visible_categories(user) if c.parent_id == category.id]
    return topic_list_response(
        f"/c/{category.slug}/{category.id}/l/latest",
        category_ids=ids,
        can_create_topic=can(user, "category.create_topic", category),
    )


@bp.get("/c/<id:category_id>.json")
@cache_for_visitors
def category_by_id(category_id: int):
    return category_topics(category_id)


@bp.get("/c/<slug>/<id:category_id>.json")
@bp.get("/c/<slug>/<id:category_id>/l/latest.json")
@cache_for_visitors
def category(slug: str, category_id: int):
    return category_topics(category_id)


@bp.get("/c/<parent_slug>/<slug>/<id:category_id>.json")
@bp.get("/c/<parent_slug>/<slug>/<id:category_id>/l/latest.json")
@cache_for_visitors
def subcategory(parent_slug: str, slug: str, category_id: int):
    return category_topics(category_id)


@bp.get("/c/<slug>/<id:category_id>/none.json")
@cache_for_visitors
def category_without_subcategories(slug: str, category_id: int):
    return category_topics(category_id, subcategories=False)
