"""Database wiring: which database, and how SQLite is made safe for several writers.

SQLite runs in WAL mode with foreign keys on and a busy timeout. A transaction that starts as
a reader and later writes cannot wait for the lock (SQLite refuses, to avoid deadlock), so
transactions that may write start with ``BEGIN IMMEDIATE``: every request other than GET,
HEAD and OPTIONS, and everything outside a request (CLI commands). Read-only page views begin
deferred so they never queue behind a writer.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def begin_write() -> None:
    """End the session's current (read) transaction and begin one that may write.

    For writes made while serving a GET (view counts, last-seen times): on SQLite the new
    transaction starts with ``BEGIN IMMEDIATE``, so it waits for the write lock instead of
    failing. Objects loaded earlier are expired by the commit and reload on next use.
    """
    from forum.extensions import db

    db.session.commit()
    db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def upsert_insert(target):
    """An INSERT of ``target`` (a model or table) that has ``on_conflict_do_nothing`` and
    ``on_conflict_do_update``: PostgreSQL's or SQLite's, whichever the session uses."""
    from forum.extensions import db

    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(target)


def stored_json(text: str | None) -> dict:
    """A JSON object kept in a text column (``data`` of notifications, events and mail);
    ``{}`` when it is empty, unreadable or not an object."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def utcnow() -> datetime:
    """The current time as a naive UTC datetime (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def configure_database_uri(app: Flask) -> None:
    """Pick the database: the configured URI, else ``DATABASE_URL``, else SQLite in DATA_DIR."""
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + os.path.join(app.config["DATA_DIR"], "forum.sqlite3")
    if url.startswith("postgres://"):  # Heroku-style URLs
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):  # psycopg 3, not psycopg2
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _begin_mode(conn) -> str:
    explicit = conn.get_execution_options().get("sqlite_begin")
    if explicit:
        return explicit
    if has_request_context() and request.method in SAFE_METHODS:
        return "DEFERRED"
    return "IMMEDIATE"


def install_sqlite_pragmas(engine: Engine) -> None:
    """Set pragmas on each new SQLite connection and take over ``BEGIN``."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN instead of pysqlite's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(f"BEGIN {_begin_mode(conn)}")


@contextmanager
def write_unit(commit: bool = True):
    """One write of a service, a public service for plugins: with ``commit``, committed at
    the end and rolled back whole on any failure; without, it runs in a savepoint of the
    caller's transaction (a seed, a lifecycle hook) and a failure undoes only this write.
    The caller's transaction is never committed by it."""
    from forum.extensions import db

    savepoint = None if commit else db.session.begin_nested()
    try:
        yield
        if savepoint is None:
            db.session.commit()
        else:
            savepoint.commit()
    except BaseException:
        if savepoint is None:
            db.session.rollback()
        elif savepoint.is_active:
            savepoint.rollback()
        raise
