"""Fixtures in the flaskr style: ``app`` (fresh database), ``client``, ``runner``, ``auth``.

Set ``FORUM_TEST_DATABASE_URL`` to run the suite on PostgreSQL; otherwise each test gets a
fresh in-memory SQLite database.
"""

from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import text

from forum import create_app
from forum.accounts.models import UserSession
from forum.accounts.services import token_hash
from forum.bootstrap import ensure_defaults
from forum.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
_schema_ready = False


def _reset_postgres() -> None:
    global _schema_ready
    if not _schema_ready:
        db.drop_all()
        db.create_all()
        _schema_ready = True
        return
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


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
        "DATA_DIR": str(tmp_path) if tmp_path else None,
    }
    settings.update(config)
    app = create_app(settings)
    with app.app_context():
        if TEST_DATABASE_URL and app.config["SQLALCHEMY_DATABASE_URI"] == TEST_DATABASE_URL:
            _reset_postgres()
        else:
            db.create_all()
        ensure_defaults()
    limiter.reset()
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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
