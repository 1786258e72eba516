"""Keeping the index in step with the database.

:func:`changed` records ``(kind, id)`` rows in the caller's transaction. After the commit,
:func:`apply_pending` (run after the response is sent, before each search, and on a
process's first request) re-reads those objects and writes them to the index, under the
backend's write lock so that processes take turns. Rows are marked applied rather than
deleted, and kept for :data:`RETENTION`, so that a rebuild can replay what changed while it
ran. Applying is idempotent: a row applied twice writes the same document twice.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from flask import g, has_request_context
from sqlalchemy import delete, func, insert, literal, select, update

from forum.database import begin_write, utcnow
from forum.extensions import db
from forum.plugin_system import current_plugins
from forum.search.models import SearchOutboxRow as Row

log = logging.getLogger(__name__)
PENDING = Row.applied_at.is_(None)
#: Applied rows are kept this long (a rebuild replays the rows created while it ran).
RETENTION = timedelta(days=1)
BATCH = 1000
_last_cleanup = 0.0


def changed(kind: str, ids: Iterable[int]) -> None:
    """Record, in the current transaction, that these objects of search type ``kind``
    changed (created, edited, deleted, moved, hidden): the index follows after the commit."""
    now = utcnow()
    rows = [{"kind": kind, "object_id": int(i), "created_at": now} for i in ids]
    if rows:
        db.session.execute(insert(Row), rows)
        mark_dirty()


def changed_where(kind: str, id_query) -> None:
    """Like :func:`changed` for every id a ``select`` of one id column returns (all the posts
    of a topic), in one statement."""
    ids = id_query.subquery()
    column = next(iter(ids.c))
    db.session.execute(
        insert(Row).from_select(
            ["kind", "object_id", "created_at"],
            select(literal(kind, Row.kind.type), column, literal(utcnow(), Row.created_at.type)),
        )
    )
    mark_dirty()


def mark_dirty() -> None:
    if has_request_context():
        g.search_changed = True


def has_pending() -> bool:
    return db.session.scalar(select(Row.id).where(PENDING).limit(1)) is not None


def pending_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Row).where(PENDING))


def documents_for(rows) -> tuple[list, list[str]]:
    """The current documents of the changed objects, and the keys to remove (objects that
    are gone or no longer findable, or of a kind no longer registered)."""
    types = current_plugins().search_types
    by_kind: dict[str, set[int]] = defaultdict(set)
    for _, kind, object_id in rows:
        by_kind[kind].add(object_id)
    docs, deletes = [], []
    for kind, ids in by_kind.items():
        search_type = types.get(kind)
        found = search_type.load(sorted(ids)) if search_type else []
        docs.extend(found)
        live = {doc.object_id for doc in found}
        deletes.extend(f"{kind}:{i}" for i in sorted(ids - live))
    return docs, deletes


def apply_pending(backend, *, max_batches: int | None = None, wait: float = 10.0) -> int:
    """Write pending changes to the index; returns how many rows were applied. If another
    process is writing to the index for longer than ``wait`` seconds, leave the rest queued
    (that process applies what is pending when it finishes its batch)."""
    applied = 0
    batches = 0
    began = read_transaction(commit=False)
    if not has_pending():  # the common case: no commit, so nothing loaded expires...
        if began:  # ...unless the read transaction is ours: a POST must not inherit it
            db.session.commit()
        return 0
    while True:
        db.session.commit()  # hold no database lock while waiting for the index's
        with backend.write_lock(timeout=wait) as locked:
            if not locked:
                break
            read_transaction(commit=False)
            rows = db.session.execute(
                select(Row.id, Row.kind, Row.object_id).where(PENDING).order_by(Row.id).limit(BATCH)
            ).all()
            if not rows:
                db.session.commit()
                break
            docs, deletes = documents_for(rows)
            backend.write(docs, deletes)
            prepare_to_mark()
            mark_applied([r.id for r in rows])
            _cleanup()
            db.session.commit()
        applied += len(rows)
        batches += 1
        if max_batches is not None and batches >= max_batches:
            break
        read_transaction()
        if not has_pending():
            break
    db.session.commit()  # end our read transaction: a POST must begin its own
    return applied


def read_transaction(*, commit: bool = True) -> bool:
    """End the session's transaction (``commit``) and begin a reading one: on SQLite,
    outside a GET, transactions begin IMMEDIATE and would hold the write lock while we wait
    for the index's. Returns whether it began one (on SQLite; a transaction a deferred one
    turns into a writing one cannot wait for the lock, so the caller must end it)."""
    if commit:
        db.session.commit()
    if db.engine.dialect.name == "sqlite" and not db.session().in_transaction():
        db.session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        return True
    return False


def prepare_to_mark() -> None:
    """On SQLite, turn the read transaction (a GET's) into a write one before marking rows
    applied. Not on PostgreSQL: committing there would release the advisory write lock."""
    if db.engine.dialect.name == "sqlite":
        begin_write()


def _cleanup() -> None:
    """Delete applied rows older than :data:`RETENTION` (at most once a minute a process)."""
    global _last_cleanup
    if time.monotonic() - _last_cleanup < 60:
        return
    _last_cleanup = time.monotonic()
    db.session.execute(delete(Row).where(Row.applied_at < utcnow() - RETENTION))


def replay_since(since) -> list:
    """Every row created since ``since``, applied or not (for a rebuild)."""
    return db.session.execute(
        select(Row.id, Row.kind, Row.object_id).where(Row.created_at >= since).order_by(Row.id)
    ).all()


def mark_applied(ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        db.session.execute(
            update(Row).where(Row.id.in_(chunk), PENDING).values(applied_at=utcnow())
        )
