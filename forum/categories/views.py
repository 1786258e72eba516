"""HTML pages for categories: the index of categories and one category's topic list.

Also the per-category colour stylesheet: the Content-Security-Policy forbids ``style=""``
attributes, so each category's badge colour comes from a small generated stylesheet instead,
as classes ``cat-bg-{id}`` (badge background, darkened when needed so white text keeps WCAG
AA contrast) and ``cat-border-{id}`` (the category's colour as a left border).
"""

from __future__ import annotations

import hashlib
import re

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_login import current_user

from forum.categories.models import Category
from forum.page_cache import cache_for_visitors
from forum.permissions import can
from forum.plugin_system import slot
from forum.reading.queries import states as reading_states
from forum.topics import queries

bp = Blueprint("categories", __name__)

_HEX_COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")
#: WCAG AA for normal-size text.
MIN_CONTRAST = 4.5


# -- Helpers shared with the topic pages --------------------------------------------------


def visible_category_map() -> dict[int, Category]:
    """``{id: Category}`` for every category the current user can see; one query per
    request, kept on ``flask.g`` (category links need a subcategory's parent slug)."""
    cache = g.setdefault("forum_category_map", {})
    key = current_user.id if current_user.is_authenticated else None
    if key not in cache:
        cache[key] = {c.id: c for c in queries.visible_categories(current_user)}
    return cache[key]


@bp.app_template_global()
def category_url(category: Category, page: int | None = None) -> str:
    """The canonical URL of a category page: ``/c/{slug}/{id}``, or
    ``/c/{parent}/{slug}/{id}`` for a subcategory."""
    page = page if page and page > 1 else None
    if category.parent_id is not None:
        parent = visible_category_map().get(category.parent_id)
        if parent is not None:
            return url_for(
                "categories.show_subcategory",
                parent_slug=parent.slug,
                slug=category.slug,
                category_id=category.id,
                page=page,
            )
    return url_for("categories.show", slug=category.slug, category_id=category.id, page=page)


def page_arg() -> int:
    """``?page=N`` counting from 1; anything missing or unusable means page 1."""
    value = request.args.get("page", "")
    page = int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1
    return max(page, 1)


# -- Pages ----------------------------------------------------------------------------------


@bp.get("/categories")
@cache_for_visitors
def index():
    """Every visible category with its description and counts, subcategories listed under
    their parents."""
    g.nav_active = "core.categories"
    categories = list(visible_category_map().values())
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    top = [c for c in categories if c.parent_id is None]
    return render_template("categories/index.html", categories=top, children=children)


@bp.get("/c/<int:category_id>")
def show_by_id(category_id):
    category = queries.get_category(current_user, category_id)
    return redirect(category_url(category, page_arg()), 301)


@bp.get("/c/<slug>/<int:category_id>")
@cache_for_visitors
def show(slug, category_id):
    return _category_page(category_id, slug, None)


@bp.get("/c/<parent_slug>/<slug>/<int:category_id>")
@cache_for_visitors
def show_subcategory(parent_slug, slug, category_id):
    return _category_page(category_id, slug, parent_slug)


def _category_page(category_id: int, slug: str, parent_slug: str | None):
    category = queries.get_category(current_user, category_id)
    categories = visible_category_map()
    parent = categories.get(category.parent_id) if category.parent_id else None
    page = page_arg()
    wanted = (parent.slug if parent else None, category.slug)
    if (parent_slug, slug) != wanted:
        return redirect(category_url(category, page), 301)
    subcategories = [c for c in categories.values() if c.parent_id == category.id]
    user = current_user._get_current_object()
    # A plugin enabled here may draw the page's list itself (a library, a tracker).
    list_view = slot("category_list_view", category=category, user=user, page=page)
    topics, has_more, badges = [], False, {}
    if list_view is None:
        result = queries.latest_topics(
            user, category_ids=[category.id, *(c.id for c in subcategories)], page=page - 1
        )
        topics, has_more = result.topics, result.has_more
        badges = slot("topic_list_badges", topics=topics, user=user) if topics else {}
    reading = reading_states(user, topics) if topics else {}
    return render_template(
        "categories/show.html",
        category=category,
        parent=parent,
        subcategories=subcategories,
        topics=topics,
        badges=badges,
        reading=reading,
        list_view=list_view,
        panels=slot("category_panels", category=category, user=user),
        page=page,
        has_more=has_more,
        can_create=can(user, "category.create_topic", category),
    )


# -- Colours --------------------------------------------------------------------------------


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g_, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g_ + 0.0722 * b


def badge_background(colour: str) -> str:
    """``colour`` (six hex digits), darkened just enough for white text to reach 4.5:1."""
    rgb = tuple(float(int(colour[i : i + 2], 16)) for i in (0, 2, 4))
    while (1.05 / (_luminance(rgb) + 0.05)) < MIN_CONTRAST:
        rgb = tuple(c * 0.92 for c in rgb)
    return "".join(f"{int(c):02x}" for c in rgb)


@bp.get("/category-colours.css")
@cache_for_visitors
def colours_css():
    """Badge and border colours for the categories this viewer can see."""
    rules = []
    for category in visible_category_map().values():
        colour = category.color or ""
        if not _HEX_COLOUR.match(colour):  # never let a stored value write CSS
            continue
        rules.append(f".cat-bg-{category.id}{{background-color:#{badge_background(colour)}}}")
        rules.append(f".cat-border-{category.id}{{border-left-color:#{colour.lower()}}}")
    css = "\n".join(rules) + "\n"
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.set_etag(hashlib.sha256(css.encode()).hexdigest()[:32])
    return response.make_conditional(request)
