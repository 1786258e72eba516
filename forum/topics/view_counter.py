"""Topic view counts, buffered in memory and written in batches (as Discourse does), so a
page view does not take the database's write lock. At most ``VIEW_FLUSH_SECONDS`` of counts
are held; a worker that is killed loses those, which is acceptable for a view counter."""

from __future__ import annotations

import threading
import time
from collections import Counter

from flask import Flask, current_app
from sqlalchemy import bindparam, update

from forum.database import begin_write
from forum.extensions import db
from forum.topics.models import Topic


class ViewCounter:
    def __init__(self, flush_seconds: float):
        self.flush_seconds = flush_seconds
        self._pending: Counter = Counter()
        self._last_flush = time.monotonic()
        self._lock = threading.Lock()

    def add(self, topic_id: int) -> None:
        with self._lock:
            self._pending[topic_id] += 1
            due = time.monotonic() - self._last_flush >= self.flush_seconds
        if due:
            self.flush()

    def flush(self) -> None:
        """Write the pending counts in one transaction."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        if not pending:
            return
        begin_write()
        topics = Topic.__table__
        db.session.execute(
            update(topics)
            .where(topics.c.id == bindparam("topic_id"))
            .values(views=topics.c.views + bindparam("n"))
            .execution_options(forum_untracked=True),
            [{"topic_id": topic_id, "n": n} for topic_id, n in pending.items()],
        )
        db.session.commit()


def count_view(topic_id: int) -> None:
    current_app.extensions["forum.view_counter"].add(topic_id)


def init_app(app: Flask) -> None:
    app.extensions["forum.view_counter"] = ViewCounter(app.config["VIEW_FLUSH_SECONDS"])
