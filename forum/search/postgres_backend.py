"""The PostgreSQL search backend: documents in ``search_documents`` with a weighted
``tsvector`` under a GIN index, so several app servers share one index without a shared disk.

Stemming is PostgreSQL's ``english`` configuration (Snowball, the same Porter2 stemmer the
Whoosh backend uses). Prefix matching uses the ``simple`` configuration on the unstemmed word,
so "redis" never becomes the prefix "redi" of "redirect". Writers are serialised across
machines by a transaction-scoped advisory lock. A rebuild rewrites the table in place, batch
by batch, then deletes what it did not see: search stays online throughout.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from sqlalchemy import (
    Boolean,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on

from forum.database import utcnow
from forum.extensions import db
from forum.hooktypes import SearchDocument
from forum.search.interface import Filters, Found, Hit, status_words
from forum.search.models import SearchDocumentRow as D
from forum.search.query import Phrase, Query, Word, normalise_title

CONFIG = "english"
#: ``pg_advisory_xact_lock`` key shared by every writer ("lmcsearch" as digits).
LOCK_KEY = 7_213_011_472
EXACT_TITLE_BONUS = 10.0
FIRST_POST_BONUS = 0.01
UPSERT = text(
    """
    INSERT INTO search_documents (key, kind, object_id, group_key, scope, title, title_exact,
        body, url, created_at, user_id, category_id, topic_id, post_number, first, status,
        indexed_at, tsv)
    VALUES (:key, :kind, :object_id, :group_key, :scope, :title, :title_exact, :body, :url,
        :created_at, :user_id, :category_id, :topic_id, :post_number, :first, :status,
        :indexed_at,
        setweight(to_tsvector('english', :title), 'A')
            || setweight(to_tsvector('english', :body), 'D'))
    ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, object_id = excluded.object_id,
        group_key = excluded.group_key, scope = excluded.scope, title = excluded.title,
        title_exact = excluded.title_exact, body = excluded.body, url = excluded.url,
        created_at = excluded.created_at, user_id = excluded.user_id,
        category_id = excluded.category_id, topic_id = excluded.topic_id,
        post_number = excluded.post_number, first = excluded.first, status = excluded.status,
        indexed_at = excluded.indexed_at, tsv = excluded.tsv
    """
)


def row(doc: SearchDocument, now) -> dict:
    return {
        "key": doc.key,
        "kind": doc.kind,
        "object_id": doc.object_id,
        "group_key": doc.group_key,
        "scope": doc.scope,
        "title": doc.title,
        "title_exact": normalise_title(doc.title) if doc.first else "",
        # PostgreSQL refuses NUL in text; the body is plain text, so it carries no meaning.
        "body": doc.body.replace("\x00", " "),
        "url": doc.url,
        "created_at": doc.created_at,
        "user_id": doc.user_id,
        "category_id": doc.category_id,
        "topic_id": doc.topic_id,
        "post_number": doc.post_number,
        "first": doc.first,
        "status": status_words(doc),
        "indexed_at": now,
    }


def term_tsquery(term):
    if isinstance(term, Word):
        q = func.plainto_tsquery(CONFIG, term.text)
        if term.prefix:
            q = func.tsquery_or(q, func.to_tsquery("simple", literal(f"'{term.text}':*")))
            for partial in term.partial_stems():
                q = func.tsquery_or(q, func.to_tsquery("simple", literal(f"'{partial}'")))
        return q
    assert isinstance(term, Phrase)
    return func.phraseto_tsquery(CONFIG, " ".join(term.words))


def combine(parts, fn):
    result = parts[0]
    for part in parts[1:]:
        result = fn(result, part)
    return result


def text_tsquery(query: Query):
    """The query's words as one ``tsquery`` expression, or ``None`` for "every document"."""
    if not query.clauses:
        return None
    clauses = [
        combine([term_tsquery(t) for t in c.alternatives], func.tsquery_or) for c in query.clauses
    ]
    return combine(clauses, func.tsquery_or if query.any_clause else func.tsquery_and)


def _within_group(query: Query, score, ordered: bool):
    """Which of a topic's matching posts stands for it: the best, newest or oldest."""
    if not ordered:
        return score.desc()
    return D.created_at.asc() if query.order == "oldest" else D.created_at.desc()


class PostgresBackend:
    name = "postgres"

    @contextmanager
    def write_lock(self, timeout: float = 10.0):
        """Held until the session's transaction ends (the caller commits); yields ``False``
        if another writer kept it for ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not db.session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_KEY))):
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(0.005)
        yield True

    def write(self, docs, delete_keys) -> None:
        now = utcnow()
        keys = list(delete_keys)
        if keys:
            db.session.execute(delete(D).where(D.key.in_(keys)))
        rows = [row(doc, now) for doc in docs]
        if rows:
            db.session.execute(UPSERT, rows)

    def rebuild(self) -> PostgresBuilder:
        return PostgresBuilder(self)

    def search(self, query: Query, filters: Filters, *, offset: int, limit: int) -> Found:
        if not filters.scopes:
            return Found([], False)
        conditions = [
            D.scope == func.any(bindparam("scopes", sorted(filters.scopes), ARRAY(D.scope.type)))
        ]
        tsq = text_tsquery(query)
        score = literal(0.0)
        if tsq is not None:
            conditions.append(D.tsv.op("@@")(tsq))
            if filters.title_only:
                conditions.append(func.ts_filter(D.tsv, text("'{a}'::\"char\"[]")).op("@@")(tsq))
            score = func.ts_rank(D.tsv, tsq)
            if query.exact_title:
                score = score + case(
                    (D.title_exact == query.exact_title, EXACT_TITLE_BONUS), else_=0.0
                )
            score = score + case((D.first, FIRST_POST_BONUS), else_=0.0)
        for term in query.excluded:
            conditions.append(~D.tsv.op("@@", return_type=Boolean)(term_tsquery(term)))
        if filters.kinds is not None:
            conditions.append(D.kind.in_(sorted(filters.kinds)))
        if filters.user_ids is not None:
            conditions.append(D.user_id.in_(sorted(filters.user_ids)))
        if filters.first_only:
            conditions.append(D.first.is_(True))
        if filters.after:
            conditions.append(D.created_at >= filters.after)
        if filters.before:
            conditions.append(D.created_at < filters.before)
        if filters.statuses:
            conditions.append(
                or_(*(func.strpos(" " + D.status + " ", f" {s} ") > 0 for s in filters.statuses))
            )
        columns = [
            D.key,
            D.kind,
            D.object_id,
            D.title,
            D.body,
            D.url,
            D.created_at,
            D.user_id,
            D.category_id,
            D.topic_id,
            D.post_number,
        ]
        ordered = query.order in ("latest", "oldest") or tsq is None
        best = (
            select(*columns, score.label("score"))
            .where(and_(*conditions))
            .ext(distinct_on(D.group_key))
            .order_by(D.group_key, _within_group(query, score, ordered))
            .subquery()
        )
        if ordered:
            order = best.c.created_at.asc() if query.order == "oldest" else best.c.created_at.desc()
        else:
            order = best.c.score.desc()
        rows = db.session.execute(
            select(best).order_by(order, best.c.key).offset(offset).limit(limit + 1)
        ).all()
        hits = [
            Hit(
                key=r.key,
                kind=r.kind,
                object_id=r.object_id,
                title=r.title,
                body=r.body,
                url=r.url,
                created_at=r.created_at,
                user_id=r.user_id,
                category_id=r.category_id,
                topic_id=r.topic_id,
                post_number=r.post_number,
            )
            for r in rows[:limit]
        ]
        return Found(hits, len(rows) > limit)

    def counts(self) -> dict[str, int]:
        return dict(db.session.execute(select(D.kind, func.count()).group_by(D.kind)).all())


class PostgresBuilder:
    """Rewrites every document in place (each batch committed), then drops the documents no
    batch rewrote: they belong to objects that no longer exist or are no longer findable."""

    def __init__(self, backend: PostgresBackend):
        self.backend = backend
        self.started = utcnow()

    def add(self, docs: list[SearchDocument]) -> None:
        self.backend.write(docs, ())
        db.session.commit()

    def replay(self, docs, delete_keys) -> None:
        self.backend.write(docs, delete_keys)

    def finish(self) -> None:
        db.session.execute(delete(D).where(D.indexed_at < self.started))

    def cancel(self) -> None:
        db.session.rollback()
