"""Site search: one small interface, two backends.

* :func:`changed` — call it in the transaction that changes something searchable; the index
  follows after the commit (:mod:`forum.search.outbox`).
* :func:`forum.search.service.search` — a page of results for a user and a query string.
* :func:`backend` — the configured backend: Whoosh in ``DATA_DIR/search`` (the default), or
  PostgreSQL full-text search (``SEARCH_BACKEND = "postgres"``, PostgreSQL databases only).

What is searchable is registered through the ``register_search_types`` hook (the core
registers posts, in :mod:`forum.search.hooks`); synonyms come from ``search_synonyms``.
"""

from __future__ import annotations

import logging
import os

from flask import Flask, current_app, g

from forum.extensions import db
from forum.plugin_system import current_plugins
from forum.search.outbox import apply_pending, changed, changed_where
from forum.search.query import Parser

__all__ = ["apply_pending_now", "backend", "changed", "changed_where", "init_app", "parser"]
log = logging.getLogger(__name__)
BACKENDS = ("whoosh", "postgres")
#: How long a worker that has just answered a write waits for another process's index write
#: before leaving its change to it: the process writing applies what is pending when it
#: finishes, and every search applies what is still pending first.
AFTER_WRITE_WAIT = 0.5


class SearchState:
    """Per app: the query parser and the backends (one Whoosh backend per data folder)."""

    def __init__(self, app: Flask):
        plugins = current_plugins(app)
        self.parser = Parser(plugins.synonyms, max_length=app.config["SEARCH_MAX_QUERY_LENGTH"])
        self.backends: dict[str, object] = {}
        #: Whether this process has applied the changes a previous one left queued.
        self.started = False


def init_app(app: Flask) -> None:
    name = app.config["SEARCH_BACKEND"]
    if name not in BACKENDS:
        raise RuntimeError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    if name == "postgres" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise RuntimeError("SEARCH_BACKEND = 'postgres' needs a PostgreSQL database")
    app.extensions["forum.search"] = SearchState(app)
    app.before_request(_apply_on_first_request)
    app.after_request(_apply_after_response)


def _state() -> SearchState:
    return current_app.extensions["forum.search"]


def parser() -> Parser:
    return _state().parser


def backend():
    """The app's search backend."""
    state = _state()
    if current_app.config["SEARCH_BACKEND"] == "postgres":
        key = "postgres"
    else:
        key = os.path.join(current_app.config["DATA_DIR"], "search")
    found = state.backends.get(key)
    if found is None:
        if key == "postgres":
            from forum.search.postgres_backend import PostgresBackend

            found = PostgresBackend()
        else:
            from forum.search.whoosh_backend import WhooshBackend

            found = WhooshBackend(key)
        state.backends[key] = found
    return found


def apply_pending_now(*, max_batches: int | None = None, wait: float = 10.0) -> int:
    """Apply queued index changes; an error is logged, never raised (the database stays the
    source of truth and the changes stay queued)."""
    try:
        return apply_pending(backend(), max_batches=max_batches, wait=wait)
    except Exception:
        db.session.rollback()
        log.exception("search: applying queued index changes failed; they stay queued")
        return 0


def _apply_on_first_request() -> None:
    state = _state()
    if not state.started:
        state.started = True
        # A large backlog drains over the next requests; another process may be on it.
        apply_pending_now(max_batches=5, wait=AFTER_WRITE_WAIT)


def _apply_after_response(response):
    """After a write, index it once the response has gone: the writer does not wait."""
    if g.pop("search_changed", False):
        app = current_app._get_current_object()

        def apply():
            with app.app_context():
                apply_pending_now(max_batches=5, wait=AFTER_WRITE_WAIT)

        response.call_on_close(apply)
    return response
