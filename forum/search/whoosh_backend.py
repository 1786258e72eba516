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

from whoosh import collectors, columns, sorting
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.reading import ReaderClosed

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
EPOCH = datetime(1970, 1, 1)


def make_schema() -> Schema:
    """What each document holds. Only words and the few filters that are terms (type,
    author, opening post, status, exact title) are indexed; scope, group and date are
    columns, read for the candidates a query matched (scope and date) or for sorting and
    collapsing. Fewer indexed terms make the index quicker to build and lighter to hold."""
    analyzer = StemmingAnalyzer(stoplist=STOPWORDS, minsize=2, stemfn=stem, cachesize=0)
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID,
        group=COLUMN(columns.VarBytesColumn()),
        scope=COLUMN(columns.VarBytesColumn()),
        #: Microseconds since 1970 (UTC), for sorting and the before:/after: filters.
        created=COLUMN(columns.NumericColumn("q")),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        title_exact=ID,
        body=TEXT(analyzer=analyzer, stored=True),
        user_id=ID,
        first=ID,
        status=KEYWORD,
        #: ``(url, created_at, user_id, category_id, topic_id, post_number)``.
        meta=STORED,
    )


def microseconds(moment: datetime) -> int:
    """A naive UTC datetime as microseconds since 1970 (posts a moment apart sort apart)."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def fields(doc: SearchDocument) -> dict:
    values = {
        "key": doc.key,
        "kind": doc.kind,
        "group": doc.group_key.encode(),
        "scope": doc.scope.encode(),
        "created": microseconds(doc.created_at),
        "title": doc.title,
        "body": doc.body,
        "user_id": str(doc.user_id or ""),
        "first": "1" if doc.first else "0",
        "status": status_words(doc),
        "meta": (
            doc.url,
            doc.created_at,
            doc.user_id,
            doc.category_id,
            doc.topic_id,
            doc.post_number,
        ),
    }
    if doc.first:
        values["title_exact"] = normalise_title(doc.title)
    return values


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


def _any(field: str, values) -> wq.Query:
    """Any of ``values`` in ``field``, adding nothing to the score."""
    return wq.Or([wq.Term(field, v, boost=0.0) for v in sorted(values)], boost=0.0)


def filter_query(filters: Filters) -> wq.Query | None:
    """The chosen restrictions (author, type, dates...) as query clauses that score nothing.
    (Not ``search(filter=...)``: Whoosh 2.7 then drops the collapse; and not a
    ``ConstantScoreQuery``, which lists every allowed document on each search.) Scopes are
    checked per candidate instead, by :class:`ScopeCollector`."""
    parts: list[wq.Query] = []
    if filters.kinds is not None:
        parts.append(_any("kind", filters.kinds))
    if filters.user_ids is not None:
        parts.append(_any("user_id", (str(u) for u in filters.user_ids)))
    if filters.first_only:
        parts.append(wq.Term("first", "1", boost=0.0))
    if filters.statuses:
        parts.append(_any("status", filters.statuses))
    return wq.And(parts) if parts else None


class AllowedCollector(collectors.WrappingCollector):
    """Lets through only documents in one of ``scopes`` and, if asked, written between
    ``after`` and ``before``, reading each candidate's columns: the cost follows the number
    of documents the words matched, not the size of the index."""

    def __init__(self, child, filters: Filters):
        super().__init__(child)
        self.scopes = frozenset(s.encode() for s in filters.scopes)
        self.after = microseconds(filters.after) if filters.after else None
        self.before = microseconds(filters.before) if filters.before else None
        self.scope_column = self.created_column = None

    def set_subsearcher(self, subsearcher, offset):
        super().set_subsearcher(subsearcher, offset)
        reader = subsearcher.reader()
        if reader.has_column("scope"):
            self.scope_column = reader.column_reader("scope")
            self.created_column = reader.column_reader("created")
        else:  # an empty index
            self.scope_column = self.created_column = None

    def matches(self):
        scope_of, created_of = self.scope_column, self.created_column
        if scope_of is None:
            return
        scopes, after, before = self.scopes, self.after, self.before
        dated = after is not None or before is not None
        for sub_docnum in self.child.matches():
            if scope_of[sub_docnum] not in scopes:
                continue
            if dated:
                created = created_of[sub_docnum]
                if (after is not None and created < after) or (
                    before is not None and created >= before
                ):
                    continue
            yield sub_docnum


def make_collector(query: Query, filters: Filters, limit: int, ordered: bool):
    """Best (or newest, or oldest) ``limit`` groups among the documents in scope."""
    if ordered:
        top = collectors.SortingCollector("created", limit=limit, reverse=query.order != "oldest")
    else:
        top = collectors.TopCollector(limit)
    return collectors.CollapseCollector(
        AllowedCollector(top, filters),
        "group",
        limit=1,
        # Which of a topic's posts stands for it: the best, newest or oldest.
        order=_within_group(query, ordered),
    )


def _within_group(query: Query, ordered: bool):
    if not ordered:
        return None  # the best-scoring
    return sorting.FieldFacet("created", reverse=query.order != "oldest")


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
        if searcher is not None:
            try:
                searcher = searcher.refresh()
            except Exception:  # a segment merged away under it: start afresh
                self._drop_searcher()
                ix, searcher = self.index(), None
        if searcher is None:
            searcher = ix.searcher()
        self._local.searcher = searcher
        return searcher

    def _drop_searcher(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            try:
                searcher.close()
            except Exception:  # already closed by a failed refresh
                pass
        self._local.searcher = None
        self._local.index = None

    # -- Writing ------------------------------------------------------------------------------

    @contextmanager
    def write_lock(self, timeout: float = LOCK_TIMEOUT_SECONDS):
        """An exclusive lock shared by every process using this folder; yields ``False`` if
        it could not be had within ``timeout`` seconds."""
        if getattr(self._local, "locked", False):  # this thread holds it already
            yield True
            return
        with open(self.folder / "write.lock", "a+") as handle:
            deadline = time.monotonic() + timeout
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
            apply_changes(writer, docs, delete_keys)
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
        restrictions = filter_query(filters)
        if restrictions is not None:
            q = wq.And([q, restrictions])
        for attempt in (1, 2):
            try:
                searcher = self._searcher()
                collector = make_collector(query, filters, offset + limit + 1, ordered)
                searcher.search_with_collector(q, collector)
                results = collector.results()
                rows = [hit.fields() for hit in results[offset : offset + limit + 1]]
                break
            except (OSError, whoosh_index.IndexError, ReaderClosed):
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


def apply_changes(writer, docs, delete_keys) -> None:
    """Remove ``delete_keys`` and add or replace ``docs`` through a Whoosh writer."""
    for key in delete_keys:
        writer.delete_by_term("key", key)
    for doc in docs:
        writer.update_document(**fields(doc))


def _hit(row: dict) -> Hit:
    kind, _, object_id = row["key"].rpartition(":")
    url, created_at, user_id, category_id, topic_id, post_number = row["meta"]
    return Hit(
        key=row["key"],
        kind=kind,
        object_id=int(object_id),
        title=row.get("title", ""),
        body=row.get("body", ""),
        url=url,
        created_at=created_at,
        user_id=user_id,
        category_id=category_id,
        topic_id=topic_id,
        post_number=post_number,
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
        apply_changes(self.writer, docs, delete_keys)

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
