"""What every search backend takes and returns (:mod:`~forum.search.whoosh_backend`,
:mod:`~forum.search.postgres_backend`): the same query, filters and result shape on both."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from forum.hooktypes import SearchDocument
from forum.search.query import Query


@dataclass(frozen=True)
class Filters:
    """Where to look, decided by :mod:`forum.search.service` from the query and the user.

    ``scopes`` always applies (an empty set finds nothing): it is how a search never sees a
    category its user cannot. ``None`` elsewhere means "no restriction".
    """

    scopes: frozenset[str]
    kinds: frozenset[str] | None = None
    user_ids: frozenset[int] | None = None
    first_only: bool = False
    title_only: bool = False
    after: datetime | None = None
    before: datetime | None = None
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A found document: the best-ranked one of its group (a topic's posts are one group)."""

    key: str
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    created_at: datetime
    user_id: int | None
    category_id: int | None
    topic_id: int | None
    post_number: int | None


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    #: Whether another page follows.
    more: bool


class Builder(Protocol):
    """A rebuild in progress (``flask forum search reindex``)."""

    def add(self, docs: list[SearchDocument]) -> None: ...

    def replay(self, docs: list[SearchDocument], delete_keys: list[str]) -> None:
        """Apply changes made while the rebuild ran (called under the write lock)."""

    def finish(self) -> None:
        """Make the new index the live one (called under the write lock)."""


class Backend(Protocol):
    name: str

    def write_lock(self, timeout: float = 10.0) -> AbstractContextManager[bool]:
        """Serialise writers (across processes); yields whether the lock was had within
        ``timeout`` seconds."""

    def write(self, docs: Iterable[SearchDocument], delete_keys: Iterable[str]) -> None: ...

    def search(self, query: Query, filters: Filters, *, offset: int, limit: int) -> Found: ...

    def counts(self) -> dict[str, int]:
        """Indexed documents by kind."""

    def rebuild(self) -> Builder: ...


def status_words(doc: SearchDocument) -> str:
    return " ".join(doc.status)
