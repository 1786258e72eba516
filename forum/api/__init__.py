"""The JSON API in Discourse's dialect (discourse.md §4).

Every route here answers JSON, errors included (:func:`forum.errors.wants_json` treats this
blueprint as JSON whatever the ``Accept`` header says). Reads go through
:mod:`forum.topics.queries` and writes through :mod:`forum.topics.services`, the same functions
the HTML pages use, so both paths see the same permissions and validation.

Read routes end in ``.json`` so they never collide with the HTML pages at the same paths; the
write routes (``POST /posts``, ``PUT /posts/{id}``) are served with and without ``.json``, as
Discourse clients call them without.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.routing import IntegerConverter

#: Largest id a database integer column holds (SQLite and PostgreSQL ``bigint``).
MAX_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive integer as ``<int:>``, but a number too large for the database
    becomes 0, an id no row has, so it answers 404 instead of overflowing the driver (SQLite
    raises ``OverflowError`` on integers above 2**63 - 1)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


bp = Blueprint("api", __name__)
# Registered before any route below is added, so the rules can use it.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))

from forum.api import (  # noqa: E402, F401 - they add the routes
    attachments,
    categories,
    notifications,
    posts,
    search,
    topics,
    users,
)
