"""The embedded search backend: a Whoosh index in ``DATA_DIR/search/``.

Layout: ``CURRENT`` names the live index folder (``index-<stamp>``); a rebuild fills a new
folder and then replaces ``CURRENT`` atomically, so search never goes offline. Writers from
every process are serialised by an ``fcntl`` lock on ``write.lock`` (Whoosh's own lock fails
rather than waits); readers need no lock. Each process (each thread) keeps its searcher open
and refreshes it when the index has changed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from forum.hooktypes import SearchDocument
from forum.search.interface import Filters, Found, Hit, status_words
from forum.search.query import STOPWORDS, Query, Word, normalise_title, significant, stem

log = logging.getLogger(__name__)
POINTER = "CURRENT"
#: How long a writer waits for another process's write before giving up (the change stays
#: in the outbox for the next writer).
LOCK_TIMEOUT_SECONDS = 10.0
TITLE_BOOST = 3.0
EXACT_TITLE_BOOST = 30.0
FIRST_POST_BOOST = 0.3


def make_schema() -> Schema:
    analyzer = StemmingAnalyzer(stoplist=STOPWORDS, minsize=2, stemfn=stem, cachesize=0)
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        group=ID(stored=True, sortable=True),
        scope=ID,
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        title_exact=ID,
        body=TEXT(analyzer=analyzer, stored=True),
        url=STORED,
        created_at=DATETIME(stored=True, sortable=True),
        user_id=ID(stored=True),
        category_id=ID(stored=True),
        topic_id=STORED,
        post_number=STORED,
        first=ID,
        status=KEYWORD,
    )


def fields(doc: SearchDocument) -> dict:
    return {
        "key": doc.key,
        "kind": doc.kind,
        "group": doc.group_key,
        "scope": doc.scope,
        "title": doc.title,
        "title_exact": normalise_title(doc.title) if doc.first else "",
        "body": doc.body,
        "url": doc.url,
        "created_at": doc.created_at,
        "user_id": str(doc.user_id or ""),
        "category_id": str(doc.category_id or ""),
        "topic_id": doc.topic_id,
        "post_number": doc.post_number,
        "first": "1" if doc.first else "0",
        "status": status_words(doc),
    }


def term_query(term, fieldnames: tuple[str, ...]) -> wq.Query:
    if isinstance(term, Word):
        parts = [wq.Term(f, stem(term.text)) for f in fieldnames]
        if term.prefix:
            parts += [wq.Prefix(f, term.text) for f in fieldnames]
            parts += [wq.Term(f, s) for s in term.partial_stems() for f in fieldnames]
        return wq.Or(parts)
    words = [stem(w) for w in significant(term.words)]
    if len(words) == 1:
        return wq.Or([wq.Term(f, words[0]) for f in fieldnames])
    return wq.Or([wq.Phrase(f, words) for f in fieldnames])


def text_query(query: Query, fieldnames: tuple[str, ...]) -> wq.Query:
    clauses = [
        wq.Or([term_query(t, fieldnames) for t in clause.alternatives]) for clause in query.clauses
    ]
    if not clauses:
        main: wq.Query = wq.Every()
    elif query.any_clause:
        main = wq.Or(clauses)
    else:
        main = wq.And(clauses)
    if query.excluded:  # anywhere in the document, whatever in:title says
        main = wq.AndNot(main, wq.Or([term_query(t, ("title", "body")) for t in query.excluded]))
    if query.order == "relevance" and query.clauses:
        boosts = [wq.Term("first", "1", boost=FIRST_POST_BOOST)]
        if query.exact_title:
            boosts.append(wq.Term("title_exact", query.exact_title, boost=EXACT_TITLE_BOOST))
        main = wq.AndMaybe(main, wq.Or(boosts))
    return main


def filter_query(filters: Filters) -> wq.Query:
    parts: list[wq.Query] = [wq.Or([wq.Term("scope", s) for s in sorted(filters.scopes)])]
    if filters.kinds is not None:
        parts.append(wq.Or([wq.Term("kind", k) for k in sorted(filters.kinds)]))
    if filters.user_ids is not None:
        parts.append(wq.Or([wq.Term("user_id", str(u)) for u in sorted(filters.user_ids)]))
    if filters.first_only:
        parts.append(wq.Term("first", "1"))
    if filters.after or filters.before:
        parts.append(wq.DateRange("created_at", filters.after, filters.before, endexcl=True))
    if filters.statuses:
        parts.append(wq.Or([wq.Term("status", s) for s in filters.statuses]))
    return wq.And(parts)


def _within_group(query: Query, ordered: bool):
    if not ordered:
        return None  # the best-scoring
    return sorting.FieldFacet("created_at", reverse=query.order != "oldest")


class WhooshBackend:
    name = "whoosh"

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._open_lock = threading.Lock()

    # -- Index folders ------------------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            return (self.folder / POINTER).read_text().strip() or None
        except FileNotFoundError:
            return None

    def _set_current(self, name: str) -> None:
        tmp = self.folder / f"{POINTER}.{os.getpid()}.tmp"
        tmp.write_text(name)
        os.replace(tmp, self.folder / POINTER)

    def _new_index(self) -> tuple[str, whoosh_index.Index]:
        name = f"index-{datetime.now():%Y%m%d%H%M%S}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        path = self.folder / name
        path.mkdir()
        return name, whoosh_index.create_in(str(path), make_schema())

    def index(self) -> whoosh_index.Index:
        """The live index, created empty on first use."""
        name = self._current_name()
        if name is None or not (self.folder / name).is_dir():
            with self._open_lock, self.write_lock() as locked:
                if not locked:
                    raise OSError("timed out waiting for the search index's write lock")
                name = self._current_name()
                if name is None or not (self.folder / name).is_dir():
                    name, _ = self._new_index()
                    self._set_current(name)
        cached = getattr(self._local, "index", None)
        if cached is not None and cached[0] == name:
            return cached[1]
        ix = whoosh_index.open_dir(str(self.folder / name))
        self._local.index = (name, ix)
        self._local.searcher = None
        return ix

    def _searcher(self):
        ix = self.index()
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = ix.searcher()
        else:
            searcher = searcher.refresh()
        self._local.searcher = searcher
        return searcher

    def _drop_searcher(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        self._local.searcher = None
        self._local.index = None

    # -- Writing ------------------------------------------------------------------------------

    @contextmanager
    def write_lock(self):
        """An exclusive lock shared by every process using this folder; yields ``False`` if
        it could not be had within :data:`LOCK_TIMEOUT_SECONDS`."""
        if getattr(self._local, "locked", False):  # this thread holds it already
            yield True
            return
        with open(self.folder / "write.lock", "a+") as handle:
            deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.005)
            self._local.locked = True
            try:
                yield True
            finally:
                self._local.locked = False
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, docs, delete_keys) -> None:
        """Add or replace ``docs`` and remove ``delete_keys`` (hold :meth:`write_lock`)."""
        writer = self.index().writer(timeout=LOCK_TIMEOUT_SECONDS)
        try:
            for key in delete_keys:
                writer.delete_by_term("key", key)
            for doc in docs:
                writer.update_document(**fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self) -> WhooshBuilder:
        return WhooshBuilder(self)

    # -- Reading ------------------------------------------------------------------------------

    def search(self, query: Query, filters: Filters, *, offset: int, limit: int) -> Found:
        if not filters.scopes:
            return Found([], False)
        fieldnames = ("title",) if filters.title_only else ("title", "body")
        q = text_query(query, fieldnames)
        ordered = query.order in ("latest", "oldest") or not query.clauses
        for attempt in (1, 2):
            try:
                searcher = self._searcher()
                results = searcher.search(
                    # Not search(filter=...): Whoosh 2.7 drops the collapse when filtering.
                    wq.And([q, wq.ConstantScoreQuery(filter_query(filters), 0.0)]),
                    limit=offset + limit + 1,
                    collapse="group",
                    collapse_limit=1,
                    # Which of a topic's posts stands for it: the best, newest or oldest.
                    collapse_order=_within_group(query, ordered),
                    sortedby="created_at" if ordered else None,
                    # (reverse=True would also reverse a ranking by relevance)
                    reverse=ordered and query.order != "oldest",
                    terms=False,
                )
                rows = [hit.fields() for hit in results[offset : offset + limit + 1]]
                break
            except (OSError, whoosh_index.IndexError):
                # Another process merged segments under this searcher: reopen once.
                self._drop_searcher()
                if attempt == 2:
                    raise
        hits = [_hit(row) for row in rows[:limit]]
        return Found(hits, len(rows) > limit)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        searcher = self._searcher()
        for kind in searcher.lexicon("kind"):
            name = kind.decode() if isinstance(kind, bytes) else kind
            # doc_frequency() would count deleted documents until segments merge.
            counts[name] = sum(1 for _ in searcher.docs_for_query(wq.Term("kind", name)))
        return counts


def _hit(row: dict) -> Hit:
    kind, _, object_id = row["key"].rpartition(":")
    return Hit(
        key=row["key"],
        kind=kind,
        object_id=int(object_id),
        title=row.get("title", ""),
        body=row.get("body", ""),
        url=row.get("url", ""),
        created_at=row.get("created_at"),
        user_id=int(row["user_id"]) if row.get("user_id") else None,
        category_id=int(row["category_id"]) if row.get("category_id") else None,
        topic_id=row.get("topic_id"),
        post_number=row.get("post_number"),
    )


class WhooshBuilder:
    """Fills a new index folder; :meth:`finish` makes it live and removes older folders."""

    def __init__(self, backend: WhooshBackend):
        self.backend = backend
        self.name, self.ix = backend._new_index()
        self.writer = self.ix.writer(limitmb=256)

    def add(self, docs: list[SearchDocument]) -> None:
        for doc in docs:
            self.writer.add_document(**fields(doc))

    def replay(self, docs, delete_keys) -> None:
        self.writer.commit()
        self.writer = self.ix.writer()
        for key in delete_keys:
            self.writer.delete_by_term("key", key)
        for doc in docs:
            self.writer.update_document(**fields(doc))

    def finish(self) -> None:
        self.writer.commit()
        previous = self.backend._current_name()
        self.backend._set_current(self.name)
        keep = {self.name, previous}
        for path in self.backend.folder.glob("index-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def cancel(self) -> None:
        self.writer.cancel()
        shutil.rmtree(self.backend.folder / self.name, ignore_errors=True)
