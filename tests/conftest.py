"""Fixtures in the flaskr style: ``app`` (fresh database), ``client``, ``runner``, ``auth``.

One app is built per test session and its database is emptied before each test (Warehouse's
habit once a suite grows): building an app compiles every URL rule and template, which cost
about half a second per test. Tests that need other settings build their own with
:func:`make_app`. Set ``FORUM_TEST_DATABASE_URL`` to run the suite on PostgreSQL; otherwise the
database is an in-memory SQLite one.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from forum import create_app
from forum.accounts.models import UserSession
from forum.accounts.services import token_hash
from forum.bootstrap import ensure_defaults
from forum.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
_postgres_schema_ready = False
#: Every app made by :func:`make_app`, kept alive until the session ends: an app garbage
#: collected mid-run would leave pooled PostgreSQL connections for psycopg to warn about
#: (warnings are errors) in whichever test happens to be running.
_apps: list = []
#: How many tables the metadata had when each engine's tables were last checked.
_tables_seen: dict[int, int] = {}


def _reset_postgres() -> None:
    global _postgres_schema_ready
    if not _postgres_schema_ready:
        # Whatever an earlier run left, plugins' tables included.
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
        _postgres_schema_ready = True
        return
    _create_new_tables()
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def _create_new_tables() -> None:
    """Create the tables that plugin modules imported since the last reset have added to
    the shared metadata (every app's database has every table, whatever it loads)."""
    engine = db.engine
    if _tables_seen.get(id(engine)) == len(db.metadata.tables):
        return
    if set(db.metadata.tables) - set(db.inspect(engine).get_table_names()):
        db.create_all()
    _tables_seen[id(engine)] = len(db.metadata.tables)


def _reset_sqlite() -> None:
    """Empty every table of the in-memory database (its one connection, autocommit)."""
    _create_new_tables()
    db.session.remove()
    raw = db.engine.raw_connection()
    try:
        sqlite = raw.driver_connection
        sqlite.execute("PRAGMA foreign_keys=OFF")
        for table in reversed(db.metadata.sorted_tables):
            sqlite.execute(f'DELETE FROM "{table.name}"')
        sqlite.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


def reset_database(app) -> None:
    """Empty the database of ``app`` and recreate the built-in rows."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _reset_postgres()
    else:
        _reset_sqlite()
    ensure_defaults()
    limiter.reset()
    app.extensions["forum.content_version"].bump()  # the deletes above bypass the session


def make_app(tmp_path=None, **config):
    """A forum app for tests: fresh database, CSRF off unless asked, no secure cookies."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or "sqlite://",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "VIEW_FLUSH_SECONDS": 0,  # write view counts at once, so tests can read them
        "DATA_DIR": str(tmp_path) if tmp_path else None,
        "LOAD_ENTRY_POINTS": False,  # only the plugins a test names
        "SEARCH_VISITOR_RATE_LIMIT": "1000 per second",  # tests/search tests the real one
    }
    settings.update(config)
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    with app.app_context():
        reset_database(app)
    _apps.append(app)
    return app


class IsolatedClient(FlaskClient):
    """A test client whose requests each run in a fresh app context (own ``g``, own database
    session), exactly as under a WSGI server, even while the test holds an app context."""

    def open(self, *args, **kwargs):
        # End the test's own transaction first: with in-memory SQLite every session shares
        # one connection, and the request must be able to BEGIN.
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _dispose_engines():
    yield
    for app in _apps:
        with app.app_context():  # close pooled connections (psycopg warns about open ones)
            db.engine.dispose()


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("shared-data"))


@contextmanager
def fresh(app, tmp_path):
    """``app`` with its database emptied, its data folder (and so its search index) new and
    its settings restored afterwards, with its app context pushed."""
    saved = app.config.copy()
    app.config["DATA_DIR"] = str(tmp_path)
    with app.app_context():
        reset_database(app)
        yield app
        db.session.remove()
    app.config.clear()
    app.config.update(saved)


@pytest.fixture
def app(_shared_app, tmp_path):
    with fresh(_shared_app, tmp_path) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign a test client in as a user without going through the form."""

    def __init__(self, client):
        self._client = client

    def login_as(self, user) -> None:
        token = secrets.token_urlsafe(16)
        db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
        db.session.commit()
        with self._client.session_transaction() as session:
            session["sid"] = token

    def logout(self) -> None:
        with self._client.session_transaction() as session:
            session.clear()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def plugin_app(tmp_path):
    """Build an app that loads the given plugins (modules, dotted names or objects), with
    its app context pushed for the rest of the test: ``app = plugin_app(Probe())``."""
    contexts = []

    def build(*plugins, **config):
        config.setdefault("PLUGINS", list(plugins))
        app = make_app(tmp_path, **config)
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app

    yield build
    for context in reversed(contexts):
        db.session.remove()
        context.pop()
