"""Several processes: gunicorn workers posting and searching at once share one index.

A smaller run of the benchmark's check (``make bench`` runs 4 workers and 8 clients for 30 s):
every reply is findable within 2 s of its creation, no request fails, and no index lock error
reaches the log.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from forum.accounts.services import create_api_key
from forum.bootstrap import ensure_defaults
from forum.extensions import db
from tests.contract.databases import BACKENDS, bare_app, scratch_database, skip_reason
from tests.factories import make_category, make_topic, make_user

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
CLIENTS = 4
SECONDS = 5
FINDABLE_WITHIN = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url, key, username, body=None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method="POST" if body is not None else "GET",
        headers={"Api-Key": key, "Api-Username": username, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def _prepare(url: str, tmp_path) -> tuple[int, str]:
    app = bare_app(url, tmp_path)
    with app.app_context():
        db.create_all()
        ensure_defaults()
        admin = make_user("writer", role="admin")
        topic_id = make_topic(
            admin, make_category("Busy"), title="A busy thread for many writers"
        ).topic_id
        key = create_api_key(None, description="multi-process test")[1]
        db.session.remove()
        db.engine.dispose()
    return topic_id, key


def _serve(url: str, tmp_path, backend: str, log) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FORUM_DATA_DIR": str(tmp_path),
        "FORUM_SECRET_KEY": secrets.token_hex(16),
        "FORUM_SEARCH_BACKEND": backend,
        "FORUM_LOAD_ENTRY_POINTS": "false",
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "wsgi:app"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/latest.json", timeout=1):
                return process, base
        except urllib.error.HTTPError:
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise RuntimeError("gunicorn did not start; see its log")


@pytest.mark.parametrize(
    ("database", "backend"),
    [("sqlite", "whoosh"), ("postgresql", "whoosh"), ("postgresql", "postgres")],
)
def test_posts_from_several_workers_are_all_findable(tmp_path, database, backend):
    if skip_reason(database):
        pytest.skip(skip_reason(database))
    assert database in BACKENDS
    log = tmp_path / "gunicorn.log"
    with scratch_database(tmp_path, database) as url, log.open("w") as handle:
        topic_id, key = _prepare(url, tmp_path)
        process, base = _serve(url, tmp_path, backend, handle)
        try:
            statuses, delays = _run_clients(base, key, topic_id)
        finally:
            process.terminate()
            process.wait(timeout=15)
    output = log.read_text()
    print(f"{len(statuses)} replies; slowest findable after {max(delays):.2f} s")
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
    assert len(delays) == len(statuses)
    assert max(delays) < FINDABLE_WITHIN, sorted(delays)[-5:]
    assert "Traceback" not in output and "LockError" not in output, output[-3000:]


def _run_clients(base: str, key: str, topic_id: int) -> tuple[list[int], list[float]]:
    statuses: list[int] = []
    delays: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client(n: int) -> None:
        while time.monotonic() < stop:
            word = f"zq{secrets.token_hex(5)}"
            status, _ = _request(
                base + "/posts.json",
                key,
                "writer",
                {"topic_id": topic_id, "raw": f"Client {n} says {word} in a reply."},
            )
            created = time.monotonic()
            found_after = None
            if status == 200:
                while time.monotonic() - created < FINDABLE_WITHIN + 1:
                    code, data = _request(base + f"/search.json?q={word}", key, "writer")
                    if code == 200 and data.get("posts"):
                        found_after = time.monotonic() - created
                        break
                    time.sleep(0.02)
            with lock:
                statuses.append(status)
                delays.append(found_after if found_after is not None else float("inf"))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, delays
