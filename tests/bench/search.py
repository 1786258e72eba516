"""Search benchmarks: part of ``make bench``, or alone with ``python -m tests.bench.run
--only search``.

Each *case* is one backend on one corpus: Whoosh (SQLite, the index in ``DATA_DIR/search``)
or PostgreSQL full-text search, on the 50,000-post corpus and, with ``--scale``, on a
500,000-post one. Every case works on its own copy of the corpus (the replies it creates
never reach the corpus the page benchmarks use) in which one post in 500 ends with a
sentence carrying a word the generator never makes ("zymurgy"), so that a one-word query
matches about 100 posts. For each case:

1. **Index build**: :func:`forum.search.reindex.reindex` in-process on the whole corpus
   (what ``flask forum search reindex`` runs), timed: posts/s.
2. **Search**: gunicorn with 2 sync workers serves ``/search.json?q=…`` to wrk: a 2 s
   warm-up, then 16 connections (requests/s) and 1 connection (p50/p99). Searches are made
   as a visitor with the visitor rate limit lifted (``FORUM_SEARCH_VISITOR_RATE_LIMIT``).
   A query whose first requests take over a second is timed with a few sequential requests
   instead (wrk would only time out).
3. **Memory**: the workers' resident memory after the searches, and the part of it that is
   private to each (RSS also counts index pages in the page cache that every worker maps).
4. **Replies while indexing** (50k cases): replies created one at a time with
   ``POST /posts.json`` and an API key, each with a unique word; the POST's latency, and the
   time from its response until ``/search.json`` finds the reply (polled every 20 ms).
5. **Consistency** (50k cases): 4 workers, 8 threads posting replies for 30 s; two checker
   threads search for every reply until found (ten replies a search, ``w1 OR w2 …``, each
   again 20 ms after a miss); failed requests are counted and the gunicorn log is searched
   for lock errors and tracebacks.

The commit measured (and a digest of uncommitted changes under ``forum/``) is recorded, and
a change during the run is reported.

PostgreSQL cases copy the corpus into a scratch database (``--postgres``, by default
``lmchub_bench`` on 127.0.0.1, and ``lmchub_bench_500k``; dropped and created again each run)
whose schema comes from the migrations. Two runs cannot share a ``--data-dir``.
"""

from __future__ import annotations

import fcntl
import hashlib
import heapq
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import string
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.bench.corpus import DB_FILE, ROOT, Spec, database_url, ensure_corpus
from tests.bench.run import (
    Gunicorn,
    Run,
    fetch,
    forum_env,
    markdown_table,
    text_table,
    wrk,
)

#: The word planted in one post in :data:`RARE_EVERY` (the generator's vocabulary is ~120
#: words, so each of those is in most posts and none matches about 100).
RARE_WORD = "zymurgy"
RARE_EVERY = 500
RARE_SENTENCE = f"The {RARE_WORD} levy was agreed at the committee."
COMMON_WORD = "pension"
SCALE_SPEC = Spec(topics=20_000, posts=500_000)
#: The scratch database (dropped and created again; the 500k corpus's gets "_500k").
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/lmchub_bench"
LIFTED_LIMIT = "100000 per second"
SEARCH_WORKERS = 2
CONSISTENCY_WORKERS = 4
WRITER_THREADS = 8
CHECKER_THREADS = 2
#: Words searched for at once by the consistency checker (``a OR b OR …``, within the
#: 200-character query limit).
CHECK_BATCH = 10
POLL_SECONDS = 0.02
#: A query slower than this is timed with sequential requests rather than wrk.
SLOW_SECONDS = 1.0

GOAL_BUILD_RATE = 2_000
GOAL_P50_MS = 15.0
GOAL_P99_MS = 50.0
GOAL_RPS = 200.0
GOAL_RSS_MB = 150.0
GOAL_POST_P50_MS = 20.0
GOAL_FINDABLE_S = 1.0
GOAL_CONSISTENT_S = 2.0


# Cases --------------------------------------------------------------------------------------


@dataclass
class Case:
    """One backend on one corpus, in its own folder (and its own PostgreSQL database)."""

    backend: str  # "whoosh" or "postgres"
    spec: Spec
    folder: Path
    postgres: str = DEFAULT_POSTGRES

    @property
    def label(self) -> str:
        name = "Whoosh" if self.backend == "whoosh" else "PostgreSQL"
        return f"{name}, {self.spec.posts:,} posts"

    @property
    def database(self) -> str:
        if self.backend == "whoosh":
            return database_url(self.folder)
        suffix = "" if self.spec == Spec() else f"_{self.spec.posts // 1000}k"
        return f"{self.postgres}{suffix}"

    def config(self) -> dict:
        """For ``create_app`` in this process."""
        return {
            "DATA_DIR": str(self.folder),
            "SQLALCHEMY_DATABASE_URI": self.database,
            "SECRET_KEY": "bench-secret-key",
            "SEARCH_BACKEND": self.backend,
        }

    def env(self) -> dict:
        """For gunicorn: the corpus copy, the backend, and no visitor search limit."""
        env = forum_env(self.folder)
        env["FORUM_SEARCH_VISITOR_RATE_LIMIT"] = LIFTED_LIMIT
        env["FORUM_SEARCH_BACKEND"] = self.backend
        if self.backend == "postgres":
            env.pop("FORUM_SQLALCHEMY_DATABASE_URI")
            env["DATABASE_URL"] = self.database
        return env


def app_for(case: Case):
    from forum import create_app

    return create_app(case.config())


def dispose(db) -> None:
    db.session.remove()
    db.engine.dispose()


# Corpus copies ------------------------------------------------------------------------------


def source_folder(spec: Spec, data_dir: Path) -> Path:
    """Where the corpus for ``spec`` is built: ``bench-data`` itself for the usual one."""
    return data_dir if spec == Spec() else data_dir / f"corpus-{spec.posts // 1000}k"


def prepared_corpus(spec: Spec, data_dir: Path) -> Path:
    """The (built) corpus for ``spec`` copied into ``data_dir/search/corpus-N`` with the rare
    word planted; returns the copy's folder."""
    folder = data_dir / "search" / f"corpus-{spec.posts // 1000}k"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Copying the corpus to {folder} and planting {RARE_WORD!r}…")
    copy_sqlite(source_folder(spec, data_dir) / DB_FILE, folder / DB_FILE)
    plant_rare_word(folder / DB_FILE)
    return folder


def copy_sqlite(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def plant_rare_word(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE posts SET raw = raw || ?, cooked = cooked || ? WHERE id % ? = 0",
            (f"\n\n{RARE_SENTENCE}", f"\n<p>{RARE_SENTENCE}</p>", RARE_EVERY),
        )


def case_folder(case: Case, corpus: Path) -> None:
    """Give a Whoosh case a fresh copy of the prepared corpus and no index."""
    case.folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(case.folder / "search", ignore_errors=True)
    if case.backend == "whoosh":
        copy_sqlite(corpus / DB_FILE, case.folder / DB_FILE)


# PostgreSQL ---------------------------------------------------------------------------------


def postgres_reachable(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((parsed.hostname or "127.0.0.1", parsed.port or 5432)) == 0


def recreate_database(url: str) -> None:
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def create_schema(case: Case) -> None:
    from flask_migrate import upgrade

    from forum.extensions import db

    app = app_for(case)
    with app.app_context():
        upgrade(revision="heads")
        dispose(db)


def copy_to_postgres(case: Case, corpus: Path) -> None:
    """Recreate the case's database, build the schema from the migrations and copy every
    table the two share from the prepared SQLite corpus (``COPY``, foreign key triggers off
    while loading)."""
    import psycopg

    started = time.perf_counter()
    print(f"Copying the corpus into {case.database}…")
    recreate_database(case.database)
    create_schema(case)
    with (
        closing(sqlite3.connect(corpus / DB_FILE)) as src,
        psycopg.connect(case.database) as dst,
    ):
        tables = shared_tables(src, dst)
        dst.execute("SET session_replication_role = replica")
        dst.execute(f"TRUNCATE {', '.join(_q(t) for t in tables)} RESTART IDENTITY CASCADE")
        for table, columns in tables.items():
            copy_table(src, dst, table, columns)
        reset_sequences(dst, tables)
        dst.commit()
    with psycopg.connect(case.database, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  copied in {time.perf_counter() - started:.0f} s")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def shared_tables(src, dst) -> dict[str, list[str]]:
    """PostgreSQL's tables (but the migrations' own and the search index) with the columns
    the SQLite corpus has too."""
    pg: dict[str, list[str]] = {}
    for table, column in dst.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ):
        pg.setdefault(table, []).append(column)
    shared = {}
    for table, columns in pg.items():
        if table in ("alembic_version", "search_documents"):
            continue
        present = {row[1] for row in src.execute(f"PRAGMA table_info({_q(table)})")}
        if present:
            shared[table] = [c for c in columns if c in present]
    return shared


def copy_table(src, dst, table: str, columns: list[str]) -> None:
    names = ", ".join(_q(c) for c in columns)
    with dst.cursor().copy(f"COPY {_q(table)} ({names}) FROM STDIN") as copy:
        for row in src.execute(f"SELECT {names} FROM {_q(table)}"):
            copy.write_row(row)


def reset_sequences(dst, tables: dict[str, list[str]]) -> None:
    for table, columns in tables.items():
        if "id" not in columns:
            continue
        sequence = dst.execute("SELECT pg_get_serial_sequence(%s, 'id')", (_q(table),)).fetchone()
        if sequence and sequence[0]:
            dst.execute(
                f"SELECT setval(%s, (SELECT coalesce(max(id), 0) + 1 FROM {_q(table)}), false)",
                (sequence[0],),
            )


# Index build --------------------------------------------------------------------------------


@dataclass
class Build:
    documents: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


class Progress:
    """Prints the build's progress at every tenth."""

    def __init__(self):
        self.total = self.done = self.next = 0
        self.started = time.perf_counter()

    def announce(self, total: int) -> None:
        self.total, self.next = total, total // 10
        print(f"  indexing {total:,} documents…")

    def update(self, n: int) -> None:
        self.done += n
        if self.done >= self.next and self.total:
            elapsed = time.perf_counter() - self.started
            print(
                f"    {self.done:,} of {self.total:,} in {elapsed:.0f} s "
                f"({self.done / elapsed:,.0f} a second before the final commit)"
            )
            self.next += self.total // 10


def build_index(case: Case) -> Build:
    """Time a full rebuild (``flask forum search reindex`` does the same)."""
    from sqlalchemy import text

    from forum.extensions import db
    from forum.search.reindex import reindex

    print(f"Index build: {case.label}")
    app = app_for(case)
    with app.app_context():
        progress = Progress()
        started = time.perf_counter()
        counts = reindex(progress=progress.update, announce=progress.announce)
        seconds = time.perf_counter() - started
        if case.backend == "postgres":  # as autovacuum would soon after
            db.session.execute(text("ANALYZE search_documents"))
            db.session.commit()
        dispose(db)
    build = Build(sum(counts.values()), round(seconds, 1))
    print(f"  {build.documents:,} documents in {build.seconds:.1f} s: {build.rate:,.0f} a second")
    return build


# Search latency and throughput --------------------------------------------------------------


@dataclass
class Query:
    name: str
    text: str
    #: A SQL condition on ``p`` (posts) and ``t`` (topics) matching what the query finds.
    where: str
    goal: bool = True


@dataclass
class QueryResult:
    name: str
    text: str
    matching_posts: int
    matching_topics: int
    status: int = 0
    results: int = 0  # posts on page 1 of /search.json (one per topic, 50 at most)
    busy: Run | None = None
    single: Run | None = None
    note: str = ""


def _like(word: str) -> str:
    return f"(p.cooked || ' ' || t.title) LIKE '%{word}%'"


def queries(category_slug: str, category_id: int) -> list[Query]:
    rare, common = _like(RARE_WORD), _like(COMMON_WORD)
    return [
        Query(f"one word ({RARE_WORD})", RARE_WORD, rare),
        Query("two words", f"{RARE_WORD} {COMMON_WORD}", f"{rare} AND {common}"),
        Query("quoted phrase", f'"{RARE_WORD} levy"', _like(f"{RARE_WORD} levy")),
        Query(
            "word + category filter",
            f"{RARE_WORD} #{category_slug}",
            f"{rare} AND t.category_id = {category_id}",
        ),
        Query(f"common word ({COMMON_WORD}), no goal", COMMON_WORD, common, goal=False),
    ]


def search_path(text: str) -> str:
    return "/search.json?" + urllib.parse.urlencode({"q": text})


def count_matches(corpus: Path, query: Query) -> tuple[int, int]:
    """Posts and topics the query should find (a ``LIKE`` over the text; stems aside)."""
    with closing(sqlite3.connect(corpus / DB_FILE)) as conn:
        return conn.execute(
            "SELECT count(*), count(DISTINCT p.topic_id) FROM posts p "
            f"JOIN topics t ON t.id = p.topic_id WHERE p.deleted_at IS NULL AND {query.where}"
        ).fetchone()


def timed_fetch(url: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    status, body = fetch(url)
    return time.perf_counter() - started, status, body


def sequential_run(url: str, count: int) -> Run:
    """A :class:`Run` from ``count`` requests one after another (for slow queries)."""
    times = sorted(timed_fetch(url)[0] * 1000 for _ in range(count))
    return Run(1, 1000 * count / sum(times), times[len(times) // 2], times[-1], count, 0)


def measure_query(base: str, query: Query, corpus: Path, duration: int) -> QueryResult:
    posts, topics = count_matches(corpus, query)
    result = QueryResult(query.name, query.text, posts, topics)
    url = base + search_path(query.text)
    print(f"  {query.name}: {query.text!r}, {posts:,} posts in {topics:,} topics")
    _, result.status, body = timed_fetch(url)
    if result.status != 200:
        result.note = f"HTTP {result.status}: not measured"
        return result
    result.results = len(json.loads(body)["posts"])
    probe = sequential_run(url, 3)  # each worker has searched at least once by now
    if probe.p50_ms > SLOW_SECONDS * 1000:
        result.single = sequential_run(url, 5)
        result.note = "too slow for wrk: 5 sequential requests"
        return result
    wrk(url, connections=2, duration=2, threads=1)  # warm both workers up
    result.busy = wrk(url, connections=16, duration=duration)
    result.single = wrk(url, connections=1, duration=duration)
    if result.single.requests < 100:
        result.note = f"{result.single.requests} requests at 1 connection"
    return result


# Replies while indexing ---------------------------------------------------------------------


def api_key(case: Case) -> str:
    """An all-users API key in the case's database."""
    from forum.accounts.services import create_api_key
    from forum.extensions import db

    app = app_for(case)
    with app.app_context():
        _, key = create_api_key(None, description="search benchmark")
        dispose(db)
    return key


class Poster:
    """Creates replies over HTTP as the corpus's members, each with a new unique word."""

    def __init__(self, base: str, key: str, spec: Spec, seed: int):
        self.base, self.key, self.spec = base, key, spec
        self.rng = random.Random(seed)

    def word(self) -> str:
        return "zq" + "".join(self.rng.choice(string.ascii_lowercase) for _ in range(10))

    def reply(self) -> tuple[float, int, int | None, str]:
        """``(seconds, status, post id, word)`` of one new reply."""
        word = self.word()
        data = urllib.parse.urlencode(
            {
                "topic_id": self.rng.randint(3, self.spec.topics),
                "raw": f"Benchmark reply about {word} and the practice contract review.",
            }
        ).encode()
        username = f"member{self.rng.randint(4, self.spec.users):03d}"
        request = urllib.request.Request(
            self.base + "/posts.json",
            data=data,
            headers={"Api-Key": self.key, "Api-Username": username},
            method="POST",
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                post_id = json.loads(response.read())["id"]
                return time.perf_counter() - started, response.status, post_id, word
        except urllib.error.HTTPError as exc:
            return time.perf_counter() - started, exc.code, None, word
        except OSError:
            return time.perf_counter() - started, 0, None, word


def found_ids(base: str, words: list[str]) -> tuple[set[int], int]:
    """The post ids ``/search.json?q=w1 OR w2…`` lists, and the HTTP status."""
    status, body = fetch(base + search_path(" OR ".join(words)))
    if status != 200:
        return set(), status
    return {p["id"] for p in json.loads(body)["posts"]}, status


def finds(base: str, word: str, post_id: int) -> tuple[bool, int]:
    """Whether ``/search.json?q=word`` lists the post, and the HTTP status."""
    ids, status = found_ids(base, [word])
    return post_id in ids, status


def time_to_find(
    base: str, word: str, post_id: int, limit: float = 10.0
) -> tuple[float, float] | None:
    """Seconds until search finds the post, polling every :data:`POLL_SECONDS`, as bounds:
    from the start of the last search that missed it (0 if none did) to the end of the
    search that found it. ``None`` if not found within ``limit``."""
    started = time.perf_counter()
    missed = started
    while time.perf_counter() - started < limit:
        poll = time.perf_counter()
        if finds(base, word, post_id)[0]:
            return missed - started, time.perf_counter() - started
        missed = poll
        time.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - poll)))
    return None


@dataclass
class Replies:
    replies: int
    failed: int
    post_ms: list[float] = field(default_factory=list)
    #: Upper bounds of the time until findable (see :func:`time_to_find`).
    findable_s: list[float] = field(default_factory=list)
    #: Lower bounds.
    findable_low_s: list[float] = field(default_factory=list)
    never_found: int = 0


def measure_replies(base: str, key: str, spec: Spec, count: int) -> Replies:
    print(f"  {count} replies one at a time, each searched for until found…")
    poster = Poster(base, key, spec, seed=1)
    result = Replies(count, 0)
    for _ in range(count):
        seconds, status, post_id, word = poster.reply()
        if post_id is None:
            result.failed += 1
            continue
        result.post_ms.append(seconds * 1000)
        found = time_to_find(base, word, post_id)
        if found is None:
            result.never_found += 1
        else:
            result.findable_low_s.append(found[0])
            result.findable_s.append(found[1])
    return result


# Consistency with several processes ---------------------------------------------------------


@dataclass(order=True)
class Created:
    due: float  # when to search for it next
    at: float = field(compare=False)  # when the POST's response arrived
    word: str = field(compare=False)
    post_id: int = field(compare=False)
    missed: float | None = field(default=None, compare=False)  # last search that missed it


@dataclass
class Consistency:
    seconds: int
    posted: int = 0
    post_failures: int = 0
    searches: int = 0
    search_failures: int = 0
    post_ms: list[float] = field(default_factory=list)
    findable_s: list[float] = field(default_factory=list)  # upper bounds, as in Replies
    findable_low_s: list[float] = field(default_factory=list)
    never_found: int = 0
    log_lines: list[str] = field(default_factory=list)
    rss_mb: dict = field(default_factory=dict)


class Checker:
    """Searches for every created post until found: the due posts, :data:`CHECK_BATCH` at a
    time, in one ``w1 OR w2 …`` search (so the checker keeps up with eight writers; one word
    a search would measure its own queue), each again :data:`POLL_SECONDS` after a miss."""

    def __init__(self, base: str, result: Consistency, give_up: float = 10.0):
        self.base, self.result, self.give_up = base, result, give_up
        self.pending: list[Created] = []  # a heap by due time
        self.in_flight = 0
        self.lock = threading.Lock()
        self.writers_done = threading.Event()

    def add(self, created: Created) -> None:
        with self.lock:
            heapq.heappush(self.pending, created)

    def _take(self) -> list[Created]:
        now = time.perf_counter()
        with self.lock:
            batch = []
            while self.pending and len(batch) < CHECK_BATCH and self.pending[0].due <= now:
                batch.append(heapq.heappop(self.pending))
            self.in_flight += bool(batch)
            return batch

    def _finished(self) -> bool:
        with self.lock:
            return self.writers_done.is_set() and not self.pending and not self.in_flight

    def run(self) -> None:
        while not self._finished():
            batch = self._take()
            if batch:
                self._poll(batch)
            else:
                time.sleep(POLL_SECONDS / 4)

    def _poll(self, batch: list[Created]) -> None:
        began = time.perf_counter()
        ids, status = found_ids(self.base, [item.word for item in batch])
        now = time.perf_counter()
        with self.lock:
            self.in_flight -= 1
            self.result.searches += 1
            self.result.search_failures += status != 200
            for item in batch:
                if item.post_id in ids:
                    self.result.findable_s.append(now - item.at)
                    self.result.findable_low_s.append((item.missed or item.at) - item.at)
                elif now - item.at > self.give_up:
                    self.result.never_found += 1
                else:
                    item.missed, item.due = began, now + POLL_SECONDS
                    heapq.heappush(self.pending, item)


def writer(poster: Poster, checker: Checker, deadline: float) -> None:
    result = checker.result
    while time.perf_counter() < deadline:
        seconds, status, post_id, word = poster.reply()
        with checker.lock:
            result.posted += 1
            if post_id is None or status != 200:
                result.post_failures += 1
                continue
            result.post_ms.append(seconds * 1000)
        now = time.perf_counter()
        checker.add(Created(now, now, word, post_id))


LOG_PROBLEM = re.compile(r"lock|traceback|error|worker timeout", re.IGNORECASE)


def measure_consistency(case: Case, key: str, seconds: int, logs: Path) -> Consistency:
    print(
        f"Consistency: {case.label}, {CONSISTENCY_WORKERS} workers, {WRITER_THREADS} threads "
        f"posting for {seconds} s, {CHECKER_THREADS} checker threads"
    )
    result = Consistency(seconds)
    log = logs / f"consistency-{case.backend}-{case.spec.posts // 1000}k.log"
    with Gunicorn("wsgi:app", case.env(), log, workers=CONSISTENCY_WORKERS) as server:
        checker = Checker(server.base, result)
        deadline = time.perf_counter() + seconds
        writers = [
            threading.Thread(
                target=writer,
                args=(Poster(server.base, key, case.spec, 100 + n), checker, deadline),
            )
            for n in range(WRITER_THREADS)
        ]
        checkers = [threading.Thread(target=checker.run) for _ in range(CHECKER_THREADS)]
        for thread in writers + checkers:
            thread.start()
        for thread in writers:
            thread.join()
        checker.writers_done.set()
        for thread in checkers:
            thread.join()
        result.rss_mb = server.rss_mb()
    result.log_lines = [line for line in log.read_text().splitlines() if LOG_PROBLEM.search(line)]
    return result


# One case -----------------------------------------------------------------------------------


@dataclass
class CaseResult:
    label: str
    backend: str
    posts: int
    build: Build
    queries: list[QueryResult]
    rss_mb: dict
    #: Each worker's memory that no other process shares (RSS counts the index's pages in
    #: the page cache that every worker maps).
    private_mb: dict
    replies: Replies | None = None
    consistency: Consistency | None = None


def run_case(case: Case, corpus: Path, facts: dict, args, *, writes: bool) -> CaseResult:
    case_folder(case, corpus)
    if case.backend == "postgres":
        copy_to_postgres(case, corpus)
    build = build_index(case)
    category = facts["category"]
    logs = args.data_dir / "logs"
    print(f"Search: {case.label}, gunicorn {SEARCH_WORKERS} sync workers")
    log = logs / f"search-{case.backend}-{case.spec.posts // 1000}k.log"
    with Gunicorn("wsgi:app", case.env(), log, workers=SEARCH_WORKERS) as server:
        measured = [
            measure_query(server.base, query, corpus, args.duration)
            for query in queries(category["slug"], category["id"])
        ]
        rss, private = server.rss_mb(), private_mb(server)
        replies = None
        if writes:
            replies = measure_replies(server.base, api_key(case), case.spec, args.replies)
    result = CaseResult(
        case.label, case.backend, case.spec.posts, build, measured, rss, private, replies
    )
    if writes:
        result.consistency = measure_consistency(
            case, api_key(case), args.consistency_seconds, logs
        )
    return result


def private_mb(server: Gunicorn) -> dict[int, float]:
    """Private_Clean + Private_Dirty of each worker, in MB."""
    sizes = {}
    for pid in server.worker_pids():
        fields = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        private = [int(line.split()[1]) for line in fields if line.startswith("Private_")]
        sizes[pid] = sum(private) / 1024
    return sizes


# Report -------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


QUERY_HEADERS = [
    "case",
    "query",
    "matches (posts/topics)",
    "on page 1",
    "p50 ms (1 conn)",
    "p99 ms (1 conn)",
    "req/s (16 conn)",
    "p50 ms (16 conn)",
    "p99 ms (16 conn)",
    "note",
]


def _figures(run: Run | None, rps: bool) -> list[str]:
    if run is None or not run.requests:
        return ["–"] * (3 if rps else 2)
    figures = [f"{run.p50_ms:.1f}", f"{run.p99_ms:.1f}"]
    return [f"{run.requests_per_second:,.1f}", *figures] if rps else figures


def query_row(label: str, q: QueryResult) -> list[str]:
    s, b = q.single, q.busy
    errors = (s.errors if s else 0) + (b.errors if b else 0)
    note = q.note + (f"; {errors} errors" if errors else "")
    return [
        label,
        q.text,
        f"{q.matching_posts:,}/{q.matching_topics:,}",
        str(q.results),
        *_figures(s, rps=False),
        *_figures(b, rps=True),
        note.strip("; "),
    ]


BUILD_HEADERS = [
    "case",
    "documents",
    "index build s",
    "posts/s",
    "worker RSS MB after searches",
    "of which private MB",
]


def build_row(r: CaseResult) -> list[str]:
    rss = ", ".join(f"{v:.0f}" for v in r.rss_mb.values())
    private = ", ".join(f"{v:.0f}" for v in r.private_mb.values())
    b = r.build
    return [r.label, f"{b.documents:,}", f"{b.seconds:.1f}", f"{b.rate:,.0f}", rss, private]


WRITE_HEADERS = [
    "case",
    "run",
    "replies (failed)",
    "POST p50 / p99 ms",
    "searches (failed)",
    "findable p50 / p99 / max s",
    "lower bounds p50 / max s",
    "not found in time",
    "lock/error log lines",
]


def _seconds(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{percentile(values, 0.5):.2f} / {percentile(values, 0.99):.2f} / {max(values):.2f}"


def write_rows(r: CaseResult) -> list[list[str]]:
    rows = []
    if p := r.replies:
        late = sum(1 for s in p.findable_s if s > GOAL_FINDABLE_S) + p.never_found
        rows.append(
            [
                r.label,
                f"{p.replies} replies one at a time, 2 workers",
                f"{len(p.post_ms)} ({p.failed})",
                _ms(p.post_ms),
                "–",
                _seconds(p.findable_s),
                _low(p.findable_low_s),
                f"{late} over {GOAL_FINDABLE_S:.0f} s ({p.never_found} never)",
                "–",
            ]
        )
    if c := r.consistency:
        late = sum(1 for s in c.findable_s if s > GOAL_CONSISTENT_S) + c.never_found
        rows.append(
            [
                r.label,
                f"{WRITER_THREADS} writers for {c.seconds} s, {CONSISTENCY_WORKERS} workers",
                f"{c.posted:,} ({c.post_failures})",
                _ms(c.post_ms),
                f"{c.searches:,} ({c.search_failures})",
                _seconds(c.findable_s),
                _low(c.findable_low_s),
                f"{late} over {GOAL_CONSISTENT_S:.0f} s ({c.never_found} never)",
                str(len(c.log_lines)),
            ]
        )
    return rows


def _ms(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.99):.1f}"


def _low(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.2f} / {max(values):.2f}" if values else "–"


def verdicts(results: list[CaseResult]) -> list[str]:
    out = []
    for r in results:
        out.append(
            f"{r.label}: index build {r.build.rate:,.0f} posts/s "
            f"({r.build.documents:,} in {r.build.seconds:.0f} s; goal ≥ {GOAL_BUILD_RATE:,}): "
            f"{met(r.build.rate >= GOAL_BUILD_RATE)}"
        )
        out += [f"{r.label}: {line}" for q in r.queries if (line := query_verdict(q))]
        if r.rss_mb:
            worst = max(r.rss_mb.values())
            out.append(
                f"{r.label}: worker RSS after the searches {worst:.0f} MB "
                f"(goal < {GOAL_RSS_MB:.0f}): {met(worst < GOAL_RSS_MB)}"
            )
        out += write_verdicts(r)
    return out


def query_verdict(q: QueryResult) -> str:
    if q.name.endswith("no goal"):
        return ""
    if q.single is None or not q.single.requests:
        return f"{q.name}: not measured ({q.note}): MISSED"
    s, b = q.single, q.busy
    rps = b.requests_per_second if b else 0.0
    ok = s.p50_ms < GOAL_P50_MS and s.p99_ms < GOAL_P99_MS and rps >= GOAL_RPS
    return (
        f"{q.name}: p50 {s.p50_ms:.1f} ms, p99 {s.p99_ms:.1f} ms, {rps:,.0f} req/s "
        f"(goals < {GOAL_P50_MS:.0f} ms, < {GOAL_P99_MS:.0f} ms, ≥ {GOAL_RPS:.0f}): {met(ok)}"
    )


def write_verdicts(r: CaseResult) -> list[str]:
    out = []
    if (p := r.replies) and p.post_ms:
        post = percentile(p.post_ms, 0.5)
        slowest = max(p.findable_s, default=float("inf"))
        out.append(
            f"{r.label}: reply POST p50 {post:.1f} ms (goal < {GOAL_POST_P50_MS:.0f}): "
            f"{met(post < GOAL_POST_P50_MS)}"
        )
        found = (
            f"p50 {percentile(p.findable_s, 0.5):.2f} s, slowest {slowest:.2f} s"
            if p.findable_s
            else "none found"
        )
        out.append(
            f"{r.label}: every reply findable within {GOAL_FINDABLE_S:.0f} s ({found}, "
            f"{p.never_found} never, {p.failed} failed): "
            f"{met(slowest <= GOAL_FINDABLE_S and not p.never_found)}"
        )
    if c := r.consistency:
        late = sum(1 for s in c.findable_s if s > GOAL_CONSISTENT_S) + c.never_found
        surely = sum(1 for s in c.findable_low_s if s > GOAL_CONSISTENT_S) + c.never_found
        failed = c.post_failures + c.search_failures
        ok = not late and not failed and not c.log_lines
        out.append(
            f"{r.label}: {CONSISTENCY_WORKERS} workers, {c.posted:,} replies in {c.seconds} s, "
            f"{c.searches:,} searches: {late} not found within {GOAL_CONSISTENT_S:.0f} s "
            f"({surely} of them certainly not findable by then), {failed} failed requests, "
            f"{len(c.log_lines)} lock/error lines in the log: {met(ok)}"
        )
    return out


def report(results: list[CaseResult], args, started: str, load: tuple, final: bool) -> None:
    """Save the results so far; print them too when ``final``."""
    tables = [
        (QUERY_HEADERS, [query_row(r.label, q) for r in results for q in r.queries], (1,)),
        (BUILD_HEADERS, [build_row(r) for r in results], ()),
        (WRITE_HEADERS, [row for r in results for row in write_rows(r)], ()),
    ]
    lines = verdicts(results)
    heading = (
        f"Search ({started}): gunicorn {SEARCH_WORKERS} sync workers, wrk {args.duration} s per "
        f"run (16 connections, 2 threads; 1 connection), searching /search.json as a visitor "
        f"with the visitor rate limit lifted (FORUM_SEARCH_VISITOR_RATE_LIMIT={LIFTED_LIMIT!r}). "
        f"'{RARE_WORD}' is planted in one post in {RARE_EVERY}. Findable times run from the "
        f"POST's response to the end of the search that found the reply (lower bounds: to the "
        f"start of the last search that missed it). Load average {load[0]:.1f} before, "
        f"{load[1]:.1f} after."
    )
    if final:
        print_report(heading, tables, lines, results)
    markdown = [heading]
    markdown += [markdown_table(rows, headers, code=code) for headers, rows, code in tables if rows]
    markdown.append("\n".join(f"- {line}" for line in lines))
    record = {
        "when": started,
        "machine": {"cpus": os.cpu_count()},
        "load_average": load,
        "cases": [asdict(r) | {"build_rate": r.build.rate} for r in results],
        "goals": lines,
    }
    (args.data_dir / "search-results.json").write_text(json.dumps(record, indent=2))
    (args.data_dir / "search-results.md").write_text("\n\n".join(markdown) + "\n")
    if final:
        print(f"\nSaved {args.data_dir / 'search-results.json'} and search-results.md.")


def print_report(heading: str, tables, lines: list[str], results: list[CaseResult]) -> None:
    print()
    print(heading)
    for headers, rows, _ in tables:
        if rows:
            print()
            print(text_table(rows, headers))
    print()
    for line in lines:
        print(line)
        for bad in _log_samples(results, line):
            print(f"    {bad}")


def _log_samples(results: list[CaseResult], line: str) -> list[str]:
    for r in results:
        if r.consistency and r.consistency.log_lines and line.startswith(f"{r.label}: 4 workers"):
            return r.consistency.log_lines[:5]
    return []


# Entry point --------------------------------------------------------------------------------


def add_arguments(parser) -> None:
    group = parser.add_argument_group("search")
    group.add_argument(
        "--search-backends",
        default="whoosh,postgres",
        help="backends to measure, comma separated (default: whoosh,postgres)",
    )
    group.add_argument(
        "--scale", action="store_true", help="also measure a 500,000-post corpus (slow)"
    )
    group.add_argument(
        "--scale-only", action="store_true", help="measure only the 500,000-post corpus"
    )
    group.add_argument("--replies", type=int, default=200, help="replies to time one by one")
    group.add_argument(
        "--consistency-seconds", type=int, default=30, help="length of the 4-worker run"
    )
    group.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help=f"scratch PostgreSQL database, dropped and created again (default {DEFAULT_POSTGRES})",
    )


def profile(args) -> int:
    """``--only search --profile QUERY``: one search in-process under cProfile, on the copy
    (and index) the last search run left for the first backend of ``--search-backends``."""
    from tests.bench.run import profile as profile_path

    case = cases_for(args, Spec())[0]
    if not (case.folder / "search").exists() and case.backend == "whoosh":
        print(f"No index in {case.folder}: run --only search first.")
        return 1
    path = args.profile if args.profile.startswith("/") else search_path(args.profile)
    print(f"Profiling {path} on {case.label} ({case.folder})")
    profile_path(path, args.requests, case.folder, env=case.env())
    return 0


def cases_for(args, spec: Spec) -> list[Case]:
    out = []
    for backend in args.search_backends.split(","):
        backend = backend.strip()
        if backend == "postgres" and not postgres_reachable(args.postgres):
            print(f"PostgreSQL is not reachable at {args.postgres}: its cases are skipped.")
            continue
        folder = args.data_dir / "search" / f"{backend}-{spec.posts // 1000}k"
        out.append(Case(backend, spec, folder, args.postgres))
    return out


def code_version() -> tuple[str, str]:
    """The commit measured (and any uncommitted change under ``forum/``), and a key that
    changes only when ``forum/`` does (not when other files are committed)."""

    def git(*command: str) -> str:
        return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True).stdout

    head = git("rev-parse", "--short", "HEAD").strip()
    if not head:
        return f"{ROOT} (not a git checkout)", ""
    tree = git("rev-parse", "--short", "HEAD:forum").strip()
    changed = [line[3:] for line in git("status", "--porcelain", "--", "forum").splitlines()]
    if not changed:
        return head, tree
    digest = hashlib.sha256(git("diff", "HEAD", "--", "forum").encode()).hexdigest()[:8]
    return f"{head} with uncommitted changes to {', '.join(changed)} (diff {digest})", digest


def run(args, facts: dict) -> int:
    """Every search case: the 50k corpus, then (``--scale``) the 500k one. Results are saved
    after each case, and printed at the end."""
    (args.data_dir / "search").mkdir(parents=True, exist_ok=True)
    with open(args.data_dir / "search" / "running.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another search benchmark is running on {args.data_dir}; use --data-dir.")
            return 1
        return run_cases(args, facts)


def run_cases(args, facts: dict) -> int:
    started = time.strftime("%Y-%m-%d %H:%M")
    version, key = code_version()
    print(f"Measuring the forum at {version}")
    load_before = os.getloadavg()[0]
    load = (load_before, load_before)
    results = []
    specs = [] if args.scale_only else [(Spec(), facts)]
    if args.scale or args.scale_only:
        source = source_folder(SCALE_SPEC, args.data_dir)
        specs.append((SCALE_SPEC, ensure_corpus(SCALE_SPEC, source, rebuild=args.rebuild)))
    for spec, spec_facts in specs:
        corpus = prepared_corpus(spec, args.data_dir)
        for case in cases_for(args, spec):
            writes = spec == Spec()
            results.append(run_case(case, corpus, spec_facts, args, writes=writes))
            now, now_key = code_version()
            if now_key != key:
                version += f"; WARNING: forum/ changed during the run, to {now}"
                key = now_key
            load = (load_before, os.getloadavg()[0])
            report(results, args, f"{started}, code {version}", load, final=False)
    report(results, args, f"{started}, code {version}", load, final=True)
    return 0
