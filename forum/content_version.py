"""A content version shared by every worker process, for caches that must never serve
anything older than the last committed write.

Every commit that changed rows bumps the version (the modification time of a small file in
``DATA_DIR``); process-local caches store the version they were filled under and treat an
entry from an older version as missing. The version is read *before* the database, and bumped
*after* the commit, so an entry can only be stored under a version that its data is at least
as new as. Writes that only count things (views, last-seen times) opt out with the execution
option ``forum_untracked=True``.

Caches are also bounded in age (``CACHE_MAX_AGE_SECONDS``), which bounds staleness when
several hosts share one database but not one ``DATA_DIR``.
"""

from __future__ import annotations

import os
import time

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

_CHANGED = "forum.changed"
_listening = False


class ContentVersion:
    def __init__(self, path: str):
        self.path = path
        if not os.path.exists(path):
            self.bump()

    def current(self) -> int:
        try:
            return os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            self.bump()
            return os.stat(self.path).st_mtime_ns

    def bump(self) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        try:
            previous = os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            with open(self.path, "w"):
                pass
            previous = 0
        stamp = max(time.time_ns(), previous + 1)
        os.utime(self.path, ns=(stamp, stamp))


def current_version() -> int:
    return current_app.extensions["forum.content_version"].current()


def _mark_flush(session, _flush_context):
    if session.new or session.dirty or session.deleted:
        session.info[_CHANGED] = True


def _mark_statement(state):
    if (state.is_update or state.is_delete or state.is_insert) and not state.execution_options.get(
        "forum_untracked"
    ):
        state.session.info[_CHANGED] = True


def _bump_after_commit(session):
    if session.info.pop(_CHANGED, False) and has_app_context():
        version = current_app.extensions.get("forum.content_version")
        if version is not None:
            version.bump()


def _forget(session, *_args):
    session.info.pop(_CHANGED, None)


def init_app(app: Flask) -> None:
    app.extensions["forum.content_version"] = ContentVersion(
        os.path.join(app.config["DATA_DIR"], "content-version")
    )
    global _listening
    if not _listening:  # class-level listeners serve every app in the process
        event.listen(Session, "after_flush", _mark_flush)
        event.listen(Session, "do_orm_execute", _mark_statement)
        event.listen(Session, "after_commit", _bump_after_commit)
        event.listen(Session, "after_rollback", _forget)
        _listening = True
