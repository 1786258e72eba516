"""One search budget per IP address for visitors who are not signed in (search is the costly
endpoint; Discourse limits anonymous search the same way). Members are not limited here."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from forum.extensions import limiter


def _limit() -> str:
    return current_app.config["SEARCH_VISITOR_RATE_LIMIT"]


def _exempt() -> bool:
    return bool(current_user.is_authenticated)


#: Shared by the search page, ``/search.json`` and ``/topics/similar_to``.
search_limit = limiter.shared_limit(
    _limit,
    scope="search",
    exempt_when=_exempt,
    error_message="You are searching too quickly; please wait a moment and try again.",
)
