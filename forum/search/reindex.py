"""Rebuilding the index from the database without taking search offline.

The backend's builder fills a new index (Whoosh: a new folder; PostgreSQL: the same table,
rewritten in place) while searches keep using the old one and writers keep queueing and
applying changes. Then, under the write lock, every change recorded since the rebuild began
is replayed onto the new index and it becomes the live one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from forum.database import utcnow
from forum.extensions import db
from forum.plugin_system import current_plugins
from forum.search import backend
from forum.search.outbox import (
    documents_for,
    mark_applied,
    prepare_to_mark,
    read_transaction,
    replay_since,
)

BATCH = 1000
#: Changes recorded this long before the rebuild began are replayed too (a transaction that
#: started earlier may commit after the rebuild read its rows).
MARGIN = timedelta(minutes=1)


def reindex(progress: Callable[[int], None] | None = None, *, announce=None) -> dict[str, int]:
    """Rebuild the whole index; returns documents indexed by kind. ``announce(total)`` is
    called with the number of objects once known; ``progress(n)`` after each batch."""
    target = backend()
    started = utcnow() - MARGIN
    read_transaction()  # never hold SQLite's write lock while building
    types = current_plugins().search_types
    ids = {key: list(search_type.all_ids()) for key, search_type in types.items()}
    if announce:
        announce(sum(len(v) for v in ids.values()))
    counts = {key: 0 for key in types}
    builder = target.rebuild()
    try:
        for key, search_type in types.items():
            for start in range(0, len(ids[key]), BATCH):
                chunk = ids[key][start : start + BATCH]
                docs = search_type.load(chunk)
                builder.add(docs)
                read_transaction(commit=False)  # PostgreSQL's builder commits each batch
                counts[key] += len(docs)
                if progress:
                    progress(len(chunk))
        db.session.commit()  # end the read transaction before taking the lock
        with target.write_lock() as locked:
            if not locked:
                raise RuntimeError("another process held the search index lock for too long")
            read_transaction(commit=False)
            rows = replay_since(started)
            docs, deletes = documents_for(rows)
            builder.replay(docs, deletes)
            builder.finish()
            prepare_to_mark()
            mark_applied([r.id for r in rows])
            db.session.commit()
    except BaseException:
        builder.cancel()
        raise
    return counts
