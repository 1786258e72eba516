"""A small process-local cache whose entries die with the content version they were made
under (see :mod:`forum.content_version`), with age and size bounds; and :func:`remember`,
the public service plugins use to keep what is expensive to count until the next write."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import current_app

MISSING = object()


class VersionedCache:
    def __init__(self, max_entries: int, max_age_seconds: float):
        self.max_entries = max_entries
        self.max_age = max_age_seconds
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, version: int):
        """The value stored for ``key`` under ``version``, or :data:`MISSING`."""
        if self.max_age <= 0:
            return MISSING
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return MISSING
            stored_version, stored_at, value = entry
            if stored_version != version or time.monotonic() - stored_at > self.max_age:
                del self._entries[key]
                return MISSING
            self._entries.move_to_end(key)
            return value

    def put(self, key, version: int, value) -> None:
        if self.max_age <= 0:
            return
        with self._lock:
            self._entries[key] = (version, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def remember(name: str, key, compute: Callable[[], Any], *, max_entries: int = 2000):
    """``compute()``'s value for ``key``, kept in this app's cache called ``name`` until
    the next committed write anywhere (the content version moves) or for at most
    ``CACHE_MAX_AGE_SECONDS``. The key must hold everything the value depends on, the
    viewer's access included; the value must not be changed by its users."""
    from forum.content_version import current_version

    cache = current_app.extensions.get(name)
    if cache is None:
        fresh = VersionedCache(max_entries, current_app.config["CACHE_MAX_AGE_SECONDS"])
        cache = current_app.extensions.setdefault(name, fresh)
    version = current_version()
    value = cache.get(key, version)
    if value is MISSING:
        value = compute()
        cache.put(key, version, value)
    return value
