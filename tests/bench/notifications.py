"""Notification benchmarks (``make bench``, or ``python -m tests.bench.notifications``).

1. **Reply with 1,000 watchers.** A fresh forum on SQLite (and PostgreSQL when reachable) is
   served by gunicorn (2 sync workers); a category has 1,000 members watching it. Replies
   are posted one at a time through ``POST /posts.json``; each one's response time is
   measured (goal: p50 < 50 ms — the fan-out to the watchers runs after the response), and
   then how long until every watcher's notification and e-mail exist.
2. **Draining 1,000 mails** to a local SMTP server (aiosmtpd) with ``send_pending``
   (goal: < 60 s), from :mod:`tests.bench.mail`.

Results go to ``bench-data/notifications-results.json`` and ``.md``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.bench.corpus import DATA_DIR, ROOT
from tests.bench.run import Gunicorn, forum_env

WATCHERS = 1_000
REPLIES = 40
GOAL_REPLY_P50_MS = 50.0
GOAL_DRAIN_SECONDS = 60.0
POSTGRES_URL = os.environ.get(
    "FORUM_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/lmchub_bench_notify"
)


def _env(data_dir: Path, database_url: str) -> dict:
    env = forum_env(data_dir, database_url)
    return env


def _app(data_dir: Path, database_url: str):
    from forum import create_app

    return create_app(
        {
            "DATA_DIR": str(data_dir),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-secret-key",
            "LOAD_ENTRY_POINTS": False,
        }
    )


def prepare(data_dir: Path, database_url: str) -> tuple[str, int, int]:
    """A migrated forum with one topic in a category 1,000 members watch; returns an
    all-users API key, the topic id and the category id."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from forum.accounts.models import User
    from forum.accounts.services import create_api_key
    from forum.bootstrap import ensure_defaults
    from forum.extensions import db
    from forum.notifications.models import WATCHING, CategoryUser
    from tests.factories import make_category, make_topic, make_user

    app = _app(data_dir, database_url)
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        ensure_defaults()
        author = make_user("author")
        category = make_category("Watched by everyone")
        first = make_topic(author, category, title="A topic a thousand people watch closely")
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"w{i}",
                    "username_lower": f"w{i}",
                    "email": f"w{i}@bench.example",
                    "status": "active",
                    "role": "member",
                }
                for i in range(WATCHERS)
            ],
        )
        ids = db.session.scalars(text("SELECT id FROM users WHERE username LIKE 'w%'")).all()
        db.session.execute(
            insert(CategoryUser),
            [
                {"user_id": i, "category_id": category.id, "notification_level": WATCHING}
                for i in ids
            ],
        )
        db.session.commit()
        for i in range(5):
            make_user(f"replier{i}")
        _, key = create_api_key(None, description="notifications benchmark")
        topic_id, category_id = first.topic_id, category.id
        db.session.remove()
        db.engine.dispose()
    return key, topic_id, category_id


def post_reply(base: str, key: str, topic_id: int, n: int) -> float:
    body = json.dumps({"topic_id": topic_id, "raw": f"Reply number {n} for the watchers."})
    request = urllib.request.Request(
        f"{base}/posts.json",
        data=body.encode(),
        method="POST",
        headers={
            "Api-Key": key,
            "Api-Username": f"replier{n % 5}",
            "Content-Type": "application/json",
        },
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def fanned_out(data_dir: Path, database_url: str) -> tuple[int, int, int]:
    """(pending events, notifications, queued mails)."""
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.mail.models import OutgoingMail
    from forum.notifications.models import Notification, NotificationEvent

    app = _app(data_dir, database_url)
    with app.app_context():
        pending = db.session.scalar(
            select(func.count())
            .select_from(NotificationEvent)
            .where(NotificationEvent.processed_at.is_(None))
        )
        notes = db.session.scalar(select(func.count()).select_from(Notification))
        mails = db.session.scalar(select(func.count()).select_from(OutgoingMail))
        db.engine.dispose()
    return pending, notes, mails


def _wait_for_fan_out(data_dir: Path, database_url: str, limit: float = 120) -> float:
    start = time.perf_counter()
    while fanned_out(data_dir, database_url)[0] and time.perf_counter() - start < limit:
        time.sleep(0.05)
    return time.perf_counter() - start


def _summary(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p90_ms": round(times[max(int(len(times) * 0.9) - 1, 0)], 1),
        "max_ms": round(times[-1], 1),
    }


def reply_benchmark(label: str, database_url: str, workdir: Path) -> dict:
    """Replies one at a time, each after the last one's fan-out finished ("spaced": what a
    reply costs its writer), then back to back 50 ms apart ("burst": each reply may queue
    behind the fan-out of the one before, on a worker or on SQLite's write lock)."""
    data_dir = workdir / label
    data_dir.mkdir(parents=True, exist_ok=True)
    key, topic_id, _ = prepare(data_dir, database_url)
    env = _env(data_dir, database_url)
    with Gunicorn("wsgi:app", env, workdir / f"{label}-gunicorn.log") as server:
        base = server.base
        for n in range(4):  # warm both workers
            post_reply(base, key, topic_id, 1000 + n)
        _wait_for_fan_out(data_dir, database_url)
        spaced, fan_out = [], []
        for n in range(REPLIES):
            spaced.append(post_reply(base, key, topic_id, n))
            fan_out.append(_wait_for_fan_out(data_dir, database_url) * 1000)
        burst = []
        for n in range(REPLIES):
            burst.append(post_reply(base, key, topic_id, 2000 + n))
            time.sleep(0.05)
        drained = _wait_for_fan_out(data_dir, database_url)
    pending, notes, mails = fanned_out(data_dir, database_url)
    return {
        "database": label,
        "watchers": WATCHERS,
        "replies": REPLIES,
        "spaced": _summary(spaced),
        "fan_out_ms": _summary(fan_out),
        "burst": _summary(burst),
        "burst_drained_after_s": round(drained, 2),
        "pending_events": pending,
        "notifications": notes,
        "mails_queued": mails,
    }


def _postgres_ready(url: str) -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        server = create_engine(
            make_url(url).set(drivername="postgresql+psycopg", database="postgres"),
            isolation_level="AUTOCOMMIT",
        )
        name = make_url(url).database
        with server.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        server.dispose()
        return True
    except Exception:
        return False


def main() -> int:
    out = DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    results: dict = {"replies": [], "drain": None}
    with tempfile.TemporaryDirectory(prefix="bench-notify-", dir=out) as tmp:
        workdir = Path(tmp)
        results["replies"].append(
            reply_benchmark("sqlite", f"sqlite:///{workdir}/sqlite/forum.db", workdir)
        )
        if _postgres_ready(POSTGRES_URL):
            results["replies"].append(reply_benchmark("postgresql", POSTGRES_URL, workdir))
        try:
            from tests.bench.mail import drain_1000

            results["drain"] = drain_1000_seconds(drain_1000, workdir)
        except ImportError as exc:
            results["drain"] = {"error": str(exc)}
    lines = [
        "| database | watchers | reply p50 (spaced) | p90 | fan-out done after (p50) | "
        "reply p50 (burst, 20/s) | p90 | burst drained after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results["replies"]:
        lines.append(
            f"| {r['database']} | {r['watchers']} | {r['spaced']['p50_ms']} ms | "
            f"{r['spaced']['p90_ms']} ms | {r['fan_out_ms']['p50_ms']} ms | "
            f"{r['burst']['p50_ms']} ms | {r['burst']['p90_ms']} ms | "
            f"{r['burst_drained_after_s']} s |"
        )
    lines.append("")
    lines.append(f"Drain of 1,000 mails to a local SMTP server: {results['drain']}")
    text = "\n".join(lines)
    print(text)
    (out / "notifications-results.json").write_text(json.dumps(results, indent=2))
    (out / "notifications-results.md").write_text(text + "\n")
    ok = all(r["spaced"]["p50_ms"] < GOAL_REPLY_P50_MS for r in results["replies"])
    return 0 if ok else 1


def drain_1000_seconds(drain, workdir: Path):
    data_dir = workdir / "drain"
    data_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{data_dir}/forum.db"
    from flask_migrate import upgrade

    app = _app(data_dir, url)
    with app.app_context():
        upgrade()
        from forum.bootstrap import ensure_defaults

        ensure_defaults()
    return drain(app)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
