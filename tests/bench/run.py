"""``make bench``: serve the forum on the synthetic corpus under gunicorn and measure it with wrk.

Steps: build (or reuse) the corpus in ``bench-data/``; serve a minimal Flask + Jinja app (the
floor, :mod:`tests.bench.floor`) under gunicorn and measure it; serve the forum the same way
(2 sync workers on 127.0.0.1, ``FORUM_DATA_DIR=bench-data``) and measure the topic page
(page 1 of a topic with at least 20 posts), the category page, the latest page and
``/latest.json``, each at 16 connections (throughput) and at 1 connection (latency); then
read the workers' resident memory. Then the forum is served twice at once, without plugins
and with every plugin in the tree loaded (:mod:`tests.bench.plugins`), and the topic page
(as a visitor and signed in) is measured on each in alternation; last, a topic page with
attachments. Results are printed as a table, with each page's throughput as a fraction of
the floor's, and saved to ``bench-data/results.json`` and ``bench-data/results.md``.

Then search (:mod:`tests.bench.search`): index build rate, search latency and throughput,
memory, replies while indexing and a multi-process consistency run, on Whoosh and on
PostgreSQL; ``--only search`` runs just that part, ``--no-search`` skips it, ``--scale`` adds
a 500,000-post corpus. Its results go to ``bench-data/search-results.json`` and ``.md``.

Then notifications (:mod:`tests.bench.notifications`): a reply's latency in a category
1,000 people watch, the fan-out after it, and draining 1,000 mails to a local SMTP server;
``--only notifications`` runs just that.

Then the Resource Centre (:mod:`tests.bench.resources`): the library page over 5,000 items,
a 100-page PDF upload while other pages are served, and importing 1,000 documents;
``--only resources`` runs just that.

Last, the SLA tracker (:mod:`tests.bench.sla`): the tracker over 5,000 records with two
facets chosen, a topic page with 3 SLAs attached against the same page without, and the CSV
export of 5,000 records; ``--only sla`` runs just that.

``--profile PAGE`` instead runs requests in-process under cProfile and prints where the
time goes and how many SQL queries a request makes (``--only search --profile QUERY``: a
search).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.bench import plugins as bench_plugins
from tests.bench.corpus import DATA_DIR, ROOT, Spec, database_url, ensure_corpus

WORKERS = 2
#: wrk's threads for the throughput run (the machine's cores are shared with the server).
WRK_THREADS = 2
GOAL_FRACTION = 0.5
GOAL_P50_MS = 5.0
GOAL_RSS_MB = 120.0
#: With every plugin loaded, the topic page keeps at least this share of its throughput.
GOAL_PLUGIN_RATIO = 0.9
#: Alternating runs per side when comparing the forum with and without plugins.
AB_RUNS = 6


@dataclass
class Run:
    """One wrk run."""

    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses plus socket errors


@dataclass
class PageResult:
    name: str
    path: str
    status: int
    busy: Run | None = None
    single: Run | None = None
    note: str = ""


# Servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """A gunicorn master we started (and only that one is ever signalled)."""

    def __init__(self, app: str, env: dict, log: Path, workers: int = WORKERS):
        self.port = free_port()
        self.log = log
        self.workers = workers
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(ROOT),
            app,
        ]
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        logfile = open(self.log, "w")  # noqa: SIM115 - closed in __exit__
        self._logfile = logfile
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=logfile, stderr=subprocess.STDOUT, cwd=ROOT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            if len(self.worker_pids()) == self.workers and _listening(self.port):
                return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start within 30 s; see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._logfile.close()

    def worker_pids(self) -> list[int]:
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            return [int(pid) for pid in children]
        except OSError:
            pids = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == master:
                    pids.append(int(stat.parent.name))
            return pids

    def rss_mb(self) -> dict[int, float]:
        return {pid: rss_mb(pid) for pid in self.worker_pids()}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def forum_env(data_dir: Path, url: str | None = None) -> dict:
    """The environment of a benchmarked forum: its data folder, its database (the corpus's
    unless ``url``), and the core alone (installed plugins are loaded only when named in
    ``FORUM_PLUGINS``)."""
    env = dict(os.environ)
    # Only the corpus: no DATABASE_URL or test database from the caller's shell.
    for key in ("DATABASE_URL", "FORUM_TEST_DATABASE_URL", "FORUM_SQLALCHEMY_DATABASE_URI"):
        env.pop(key, None)
    env["FORUM_DATA_DIR"] = str(data_dir)
    env["FORUM_SQLALCHEMY_DATABASE_URI"] = url or database_url(data_dir)
    env["FORUM_SECRET_KEY"] = "bench-secret-key"
    env["FORUM_LOAD_ENTRY_POINTS"] = "false"
    return env


# wrk ----------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(output: str, connections: int) -> Run:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(m.group(1))
    if m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(x) for x in m.groups())
    return Run(connections, rps, p50, p99, requests, errors)


def wrk(
    url: str, *, connections: int, duration: int, threads: int | None = None, headers=()
) -> Run:
    threads = threads or min(WRK_THREADS, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        *[arg for header in headers for arg in ("-H", header)],
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output, connections)


def fetch(url: str, headers=()) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def measure(
    name: str, base: str, path: str, duration: int, expect: str = "", headers=()
) -> PageResult:
    url = base + path
    status, body = fetch(url, headers)
    result = PageResult(name, path, status)
    if status != 200:
        result.note = f"HTTP {status}: not measured"
        print(f"  {name}: {path} answered {status}; skipped")
        return result
    if expect and expect not in body:
        result.note = "page does not show the expected text"
    print(f"  {name}: {path}")
    wrk(url, connections=2, duration=2, threads=1, headers=headers)  # warm both workers up
    result.busy = wrk(url, connections=16, duration=duration, headers=headers)
    result.single = wrk(url, connections=1, duration=duration, headers=headers)
    return result


def best_of(runs: list[PageResult]) -> PageResult:
    """One result from repeated measurements of a page: the best throughput and the best
    single-connection latency seen (on a shared machine, the least disturbed runs)."""
    measured = [r for r in runs if r.busy] or runs
    result = max(measured, key=lambda r: r.busy.requests_per_second if r.busy else 0)
    singles = [r.single for r in measured if r.single]
    if singles:
        result.single = min(singles, key=lambda run: run.p50_ms)
    return result


def member_cookie(data_dir: Path) -> str:
    """A ``Cookie`` header signed in as one of the corpus's members, made the way the forum
    makes one (a server-side session row and a signed cookie naming it)."""
    import secrets

    from sqlalchemy import select

    from forum import create_app
    from forum.accounts.models import User, UserSession
    from forum.accounts.services import token_hash
    from forum.extensions import db

    env = forum_env(data_dir)
    app = create_app(
        {
            "DATA_DIR": env["FORUM_DATA_DIR"],
            "SQLALCHEMY_DATABASE_URI": env["FORUM_SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": env["FORUM_SECRET_KEY"],
        }
    )
    with app.app_context():
        user = db.session.scalar(
            select(User).where(User.status == "active", User.role == "member").limit(1)
        )
        token = secrets.token_urlsafe(32)
        db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
        db.session.commit()
        value = app.session_interface.get_signing_serializer(app).dumps({"sid": token})
        db.engine.dispose()
    return f"Cookie: {app.config['SESSION_COOKIE_NAME']}={value}"


def measure_floor(duration: int, logs: Path) -> PageResult:
    print(f"Floor: minimal Flask + Jinja app under gunicorn ({WORKERS} sync workers)")
    with Gunicorn("tests.bench.floor:app", dict(os.environ), logs / "floor.log") as server:
        return measure("floor (Flask + Jinja)", server.base, "/", duration)


# Report -------------------------------------------------------------------------------------


def _row(result: PageResult, floor: PageResult | None) -> list[str]:
    if result.busy is None:
        return [result.name, _short(result.path), "–", "–", "–", "–", "–", "–", "–", result.note]
    b, s = result.busy, result.single
    fraction = (
        f"{b.requests_per_second / floor.busy.requests_per_second:.0%}"
        if floor and floor.busy
        else "–"
    )
    errors = b.errors + (s.errors if s else 0)
    note = result.note or (f"{errors} errors" if errors else "")
    single = (
        [f"{s.requests_per_second:,.0f}", f"{s.p50_ms:.2f}", f"{s.p99_ms:.2f}"]
        if s
        else ["–", "–", "–"]
    )
    return [
        result.name,
        _short(result.path),
        f"{b.requests_per_second:,.0f}",
        fraction,
        f"{b.p50_ms:.2f}",
        f"{b.p99_ms:.2f}",
        *single,
        note,
    ]


def _short(path: str) -> str:
    """``/t/a-long-slug/617`` → ``/t/…/617`` to keep the table narrow."""
    return re.sub(r"^/t/[^/]+/", "/t/…/", path)


HEADERS = [
    "page",
    "path",
    "req/s (16 conn)",
    "of floor",
    "p50 ms",
    "p99 ms",
    "req/s (1 conn)",
    "p50 ms",
    "p99 ms",
    "note",
]


def text_table(rows: list[list[str]], headers: list[str] = HEADERS) -> str:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(rows: list[list[str]], headers: list[str] = HEADERS, code=(1,)) -> str:
    """``code``: the columns shown as code (paths, queries)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = [f"`{c}`" if i in code else c for i, c in enumerate(row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass
class Comparison:
    """One page served by the forum without plugins and with every plugin, measured in
    alternation (A, B, B, A, A, B...) with both servers up, so that the machine's drifting
    speed falls on both alike; each side's figure is the median of its runs."""

    without: list[Run]
    plugged: list[Run]
    with_plugins: PageResult

    @property
    def without_plugins(self) -> PageResult:
        """The other side, as a row of the table (its median run)."""
        path = self.with_plugins.path
        name = self.with_plugins.name.split(", with every plugin")[0] + ", no plugins"
        row = PageResult(f"{name} (alternating with the next row)", path, 200)
        middle = _median_rps(self.without)
        row.busy = min(self.without, key=lambda r: abs(r.requests_per_second - middle))
        return row

    def ratio(self) -> float:
        return _median_rps(self.plugged) / _median_rps(self.without)

    def verdict(self) -> str:
        ratio = self.ratio()
        met = "met" if ratio >= GOAL_PLUGIN_RATIO else "NOT met"
        return (
            f"{self.with_plugins.name}: {_median_rps(self.plugged):,.0f} req/s against "
            f"{_median_rps(self.without):,.0f} without plugins, {ratio:.0%} (medians of "
            f"{len(self.plugged)} alternating runs each; goal >= {GOAL_PLUGIN_RATIO:.0%}): {met}"
        )


def _median_rps(runs: list[Run]) -> float:
    values = sorted(run.requests_per_second for run in runs)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def compare_plugins(args, logs: Path, plugin_pages) -> tuple[list[Comparison], PageResult]:
    """Issue 3's goal: with every plugin loaded, the topic page stays within 10% of the
    figure without plugins. Also measures a page with attachments (no goal: it shows more)."""
    core_env = forum_env(args.data_dir)
    plugged_env = bench_plugins.plugin_env(core_env)
    seconds = max(args.duration // 2, 2)
    comparisons = []
    with (
        Gunicorn("wsgi:app", core_env, logs / "forum.log") as core,
        Gunicorn("wsgi:app", plugged_env, logs / "forum-plugins.log") as plugged,
    ):
        for name, path, headers in plugin_pages[:2]:
            print(f"  {name}: {path}, {AB_RUNS} alternating runs of {seconds} s each side")
            servers = {"core": core, "plugged": plugged}
            runs: dict[str, list[Run]] = {"core": [], "plugged": []}
            for server in servers.values():
                wrk(server.base + path, connections=2, duration=2, threads=1, headers=headers)
            for n in range(AB_RUNS):
                order = ("core", "plugged") if n % 2 == 0 else ("plugged", "core")
                for which in order:
                    url = servers[which].base + path
                    runs[which].append(wrk(url, connections=16, duration=seconds, headers=headers))
            status, _body = fetch(plugged.base + path, headers)
            page = PageResult(name, path, status)
            middle = _median_rps(runs["plugged"])
            page.busy = min(runs["plugged"], key=lambda r: abs(r.requests_per_second - middle))
            comparisons.append(Comparison(runs["core"], runs["plugged"], page))
        name, path, headers = plugin_pages[2]
        attached = measure(name, plugged.base, path, args.duration, headers=headers)
    return comparisons, attached


def goals(floor: PageResult, topic: PageResult, rss: dict[int, float]) -> list[str]:
    out = []
    if topic.busy and floor.busy:
        fraction = topic.busy.requests_per_second / floor.busy.requests_per_second
        verdict = "met" if fraction >= GOAL_FRACTION else "MISSED"
        out.append(
            f"Topic page at 16 connections: {fraction:.0%} of the floor's requests/s "
            f"(goal ≥ {GOAL_FRACTION:.0%}): {verdict}"
        )
        p50 = topic.single.p50_ms
        verdict = "met" if p50 < GOAL_P50_MS else "MISSED"
        out.append(f"Topic page p50 at 1 connection: {p50:.2f} ms (goal < 5 ms): {verdict}")
    else:
        out.append("Topic page: not measured (the page did not answer 200).")
    if rss:
        worst = max(rss.values())
        verdict = "met" if worst < GOAL_RSS_MB else "MISSED"
        sizes = ", ".join(f"{v:.0f} MB" for v in rss.values())
        out.append(
            f"Gunicorn workers' RSS after the run: {sizes} (goal < {GOAL_RSS_MB:.0f} MB): {verdict}"
        )
    return out


# Profiling ----------------------------------------------------------------------------------


def profile(path: str, requests: int, data_dir: Path, env: dict | None = None) -> None:
    """Serve ``path`` in-process: time it, time each SQL statement, then run it under
    cProfile and print the hot spots. ``env``: the forum's environment (default: the
    corpus in ``data_dir``)."""
    import cProfile
    import pstats
    from collections import defaultdict

    from sqlalchemy import event

    os.environ.update(env or forum_env(data_dir))
    from forum import create_app
    from forum.extensions import db

    app = create_app()
    client = app.test_client()
    sql_time: dict[str, float] = defaultdict(float)
    sql_count: dict[str, int] = defaultdict(int)
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        key = " ".join(statement.split())[:120]
        sql_time[key] += time.perf_counter() - conn.info["bench_started"]
        sql_count[key] += 1

    for _ in range(20):
        response = client.get(path)
    print(f"{path}: HTTP {response.status_code}, {len(response.data):,} bytes")
    sql_time.clear()
    sql_count.clear()
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    each = (time.perf_counter() - started) / requests * 1000
    in_sql = sum(sql_time.values()) / requests * 1000
    statements = sum(sql_count.values()) / requests
    print(
        f"In-process, unprofiled: {each:.2f} ms a request, of which {in_sql:.2f} ms waiting on "
        f"{statements:.0f} SQL statements:"
    )
    for key, seconds in sorted(sql_time.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / requests * 1000:7.3f} ms  {key}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


# Main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the corpus")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help="profile a page in-process instead: topic, category, latest, latest.json or a "
        "path; with --only search, a search (a query or a path) on the last search run's copy",
    )
    parser.add_argument("--requests", type=int, default=300, help="requests to profile")
    parser.add_argument(
        "--only",
        choices=["search", "notifications", "resources", "sla"],
        help="run only this part (search: tests/bench/search.py; notifications: "
        "tests/bench/notifications.py; resources: tests/bench/resources.py; sla: "
        "tests/bench/sla.py)",
    )
    parser.add_argument(
        "--search",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure search after the pages (default; --no-search to skip it)",
    )
    from tests.bench import search as bench_search  # it imports this module

    bench_search.add_arguments(parser)
    args = parser.parse_args(argv)

    if args.only == "notifications":
        from tests.bench import notifications as bench_notifications

        return bench_notifications.main()
    if args.only == "resources":
        from tests.bench import resources as bench_resources

        return bench_resources.main()
    if args.only == "sla":
        from tests.bench import sla as bench_sla

        return bench_sla.main()
    facts = ensure_corpus(Spec(), args.data_dir, rebuild=args.rebuild)
    pages = {
        "topic": f"/t/{facts['topic']['slug']}/{facts['topic']['id']}",
        "category": f"/c/{facts['category']['slug']}/{facts['category']['id']}",
        "latest": "/",
        "latest.json": "/latest.json",
    }
    if args.profile and args.only == "search":
        return bench_search.profile(args)
    if args.profile:
        profile(pages.get(args.profile, args.profile), args.requests, args.data_dir)
        return 0
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 1
    if args.only == "search":
        return bench_search.run(args, facts)

    logs = args.data_dir / "logs"
    load_before = os.getloadavg()[0]
    if load_before > 0.5 * (os.cpu_count() or 1):
        print(
            f"Warning: load average {load_before:.1f} on {os.cpu_count()} CPUs; other work on the "
            "machine will lower every figure."
        )
    cookie = member_cookie(args.data_dir)
    plugin_names, attached_path = bench_plugins.prepare(args.data_dir, facts)
    topic_name = f"topic page ({facts['topic']['posts']} posts, page 1)"
    pages_to_measure = [
        (topic_name, pages["topic"], ()),
        (f"category page ({facts['category']['topics']} topics)", pages["category"], ()),
        ("latest page (home)", pages["latest"], ()),
        ("/latest.json", pages["latest.json"], ()),
        ("topic page, signed in (never cached)", pages["topic"], (cookie,)),
    ]
    with_plugins = f"with every plugin ({', '.join(plugin_names)})"
    plugin_pages = [
        (f"topic page, {with_plugins}", pages["topic"], ()),
        (f"topic page, signed in, {with_plugins}", pages["topic"], (cookie,)),
        (
            f"another topic page, signed in, {with_plugins}, 4 posts with attachments",
            attached_path,
            (cookie,),
        ),
    ]
    # Two rounds, each measuring the floor and then every page; each figure is the better of
    # its two runs. On a shared machine that treats the floor and the forum alike.
    floors, rounds = [], []
    for round_number in (1, 2):
        print(f"Round {round_number} of 2")
        floors.append(measure_floor(args.duration, logs))
        print(f"Forum: wsgi:app under gunicorn ({WORKERS} sync workers) on {args.data_dir}")
        with Gunicorn("wsgi:app", forum_env(args.data_dir), logs / "forum.log") as server:
            rounds.append(
                [
                    measure(name, server.base, path, args.duration, headers=headers)
                    for name, path, headers in pages_to_measure
                ]
            )
            rss = server.rss_mb()
    floor = best_of(floors)
    results = [best_of(list(runs)) for runs in zip(*rounds, strict=True)]
    print(f"Plugins: the forum without and with every plugin ({', '.join(plugin_names)})")
    comparisons, attached = compare_plugins(args, logs, plugin_pages)
    results += [row for c in comparisons for row in (c.without_plugins, c.with_plugins)]
    results.append(attached)
    load_after = os.getloadavg()[0]

    rows = [_row(floor, floor)] + [_row(r, floor) for r in results]
    verdicts = goals(floor, results[0], rss) + [c.verdict() for c in comparisons]
    spec = Spec()
    heading = (
        f"Corpus: {spec.topics:,} topics, {spec.posts:,} posts, {spec.users} users, "
        f"{spec.categories} categories ({facts['size_mb']} MB SQLite). gunicorn {WORKERS} sync "
        f"workers on 127.0.0.1; wrk {args.duration} s per run, {WRK_THREADS} threads at 16 "
        f"connections, 1 thread at 1 connection. Latencies in milliseconds. Every figure is "
        f"the better of two rounds (floor: "
        f"{' and '.join(f'{f.busy.requests_per_second:,.0f}' for f in floors)} req/s). "
        f"Visitors who are not signed in are served from the page cache after the first "
        f"request; the signed-in row is rendered every time. "
        f"Load average {load_before:.1f} before, {load_after:.1f} after."
    )
    print()
    print(heading)
    print(text_table(rows))
    print()
    for line in verdicts:
        print(line)

    record = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "corpus": facts,
        "floor": asdict(floor),
        "floor_runs": [asdict(f) for f in floors],
        "load_average": [load_before, load_after],
        "pages": [asdict(r) for r in results],
        "worker_rss_mb": rss,
        "goals": verdicts,
    }
    (args.data_dir / "results.json").write_text(json.dumps(record, indent=2))
    (args.data_dir / "results.md").write_text(
        heading + "\n\n" + markdown_table(rows) + "\n\n" + "\n".join(f"- {v}" for v in verdicts)
    )
    print(f"\nSaved {args.data_dir / 'results.json'} and results.md.")
    status = 0
    if args.search:
        print("\nSearch (tests/bench/search.py)")
        status = bench_search.run(args, facts)
    from tests.bench import notifications as bench_notifications

    print("\nNotifications (tests/bench/notifications.py)")
    status = bench_notifications.main() or status
    from tests.bench import resources as bench_resources

    print("\nResource Centre (tests/bench/resources.py)")
    status = bench_resources.main() or status
    from tests.bench import sla as bench_sla

    print("\nSLA tracker (tests/bench/sla.py)")
    return bench_sla.main() or status


if __name__ == "__main__":
    sys.exit(main())
