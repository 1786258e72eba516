"""The search page (``/search``): results grouped by topic, snippets, and the filters as
links that add themselves to the query."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from forum.categories.views import page_arg, visible_category_map
from forum.plugin_system import current_plugins
from forum.search import service
from forum.search.query import clean
from forum.search.rate_limit import search_limit

bp = Blueprint("search", __name__)
SEARCH_PATH = "/search"
ORDERS = (("relevance", "Most relevant"), ("latest", "Newest first"))


def with_filter(text: str, token: str) -> str:
    """The query with ``token`` added (or replacing a filter of the same kind)."""
    kind = token.split(":", 1)[0] + ":" if ":" in token else token[:1]
    words = [w for w in text.split() if not (w.startswith(kind) and (":" in kind or w[:1] == kind))]
    return " ".join([*words, token])


def search_url(text: str) -> str:
    """``/search?q=...`` (built directly: a page has dozens of these links)."""
    return SEARCH_PATH + "?" + urlencode({"q": text})


def facets(text: str, results) -> dict:
    """Links that narrow the search: categories, types, authors on this page, dates."""
    today = date.today()
    categories = sorted(visible_category_map().values(), key=lambda c: (c.position, c.name))
    authors = []
    for result in results.results if results else ():
        if result.user is not None and result.user not in authors:
            authors.append(result.user)
    types = [("topic", "Topics"), ("post", "Posts")] + [
        (t.name, t.label) for t in current_plugins().search_types.values() if t.name != "post"
    ]
    dates = [
        ("Past week", f"after:{today - timedelta(days=7):%Y-%m-%d}"),
        ("Past month", f"after:{today - timedelta(days=31):%Y-%m-%d}"),
        ("Past year", f"after:{today - timedelta(days=365):%Y-%m-%d}"),
    ]
    return {
        "categories": [(c.name, search_url(with_filter(text, f"#{c.slug}"))) for c in categories],
        "types": [(label, search_url(with_filter(text, f"type:{name}"))) for name, label in types],
        "authors": [
            (f"@{u.username}", search_url(with_filter(text, f"@{u.username}"))) for u in authors[:8]
        ],
        "dates": [(label, search_url(with_filter(text, token))) for label, token in dates],
        "orders": [(label, search_url(with_filter(text, f"order:{key}"))) for key, label in ORDERS],
    }


@bp.get(SEARCH_PATH)
@search_limit
def search_page():
    text = clean(request.args.get("q", ""))[: current_app.config["SEARCH_MAX_QUERY_LENGTH"] * 2]
    page = min(page_arg(), service.MAX_PAGE)
    results = None
    if text.strip():
        per_page = current_app.config["SEARCH_PER_PAGE"]
        results = service.search(current_user, text, page=page, per_page=per_page)
    return render_template(
        "search/results.html",
        q=text,
        page=page,
        results=results,
        facets=facets(text, results),
        max_page=service.MAX_PAGE,
    )
