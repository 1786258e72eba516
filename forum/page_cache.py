"""Pages for visitors who are not signed in, served from memory (Discourse's "anonymous
cache").

Only views marked with :func:`cache_for_visitors` are cached, only for GET requests that carry
no session cookie and no API key, and only successful responses that set no cookie. An entry
is served only while the content version it was made under is current (any committed write
bumps it), and for at most ``CACHE_MAX_AGE_SECONDS``. A view that counts topic views sets
``g.viewed_topic_id``; the count is replayed on every cache hit.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from forum.caching import MISSING, VersionedCache
from forum.content_version import current_version


def cache_for_visitors(view):
    """Mark a view whose response may be cached for visitors who are not signed in."""
    view.cache_for_visitors = True
    return view


def _cacheable_request() -> bool:
    if request.method != "GET" or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "cache_for_visitors", False):
        return False
    cookie = current_app.config["SESSION_COOKIE_NAME"]
    return cookie not in request.cookies and "Api-Key" not in request.headers


def _serve_from_cache():
    if not _cacheable_request():
        return None
    version = current_version()
    g.page_cache_version = version
    entry = current_app.extensions["forum.page_cache"].get(request.full_path, version)
    if entry is MISSING:
        return None
    status, headers, body, topic_id = entry
    if topic_id is not None:
        from forum.topics.view_counter import count_view

        count_view(topic_id)
    response = current_app.response_class(body, status=status, headers=headers)
    response.headers["X-Cache"] = "hit"
    return response.make_conditional(request)


def _store_in_cache(response):
    version = g.pop("page_cache_version", None)
    if version is None or "X-Cache" in response.headers:
        return response
    if (
        response.status_code != 200
        or response.direct_passthrough
        or "Set-Cookie" in response.headers
    ):
        return response
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    entry = (response.status_code, headers, response.get_data(), g.get("viewed_topic_id"))
    current_app.extensions["forum.page_cache"].put(request.full_path, version, entry)
    response.headers["X-Cache"] = "miss"
    return response


def init_app(app: Flask) -> None:
    app.extensions["forum.page_cache"] = VersionedCache(
        max_entries=app.config["PAGE_CACHE_ENTRIES"],
        max_age_seconds=app.config["CACHE_MAX_AGE_SECONDS"],
    )
    # First among the before_request functions: a hit needs no database, session or limiter.
    app.before_request_funcs.setdefault(None, []).insert(0, _serve_from_cache)
    app.after_request(_store_in_cache)
