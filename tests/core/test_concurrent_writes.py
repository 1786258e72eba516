"""Several writers at once on one SQLite file: every reply lands exactly once, numbered
without gaps or duplicates, and nobody sees "database is locked" (security.md §5.1).

A real server on 127.0.0.1 with a thread per request, so each writer has its own
connection, as gunicorn workers would."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from sqlalchemy import func, select

from forum import create_app
from forum.accounts.services import create_api_key
from forum.bootstrap import ensure_defaults
from forum.extensions import db
from forum.topics.models import Post, Topic
from tests.factories import make_category, make_topic, make_user
from tests.live_server import serving

WRITERS = 6
REPLIES_EACH = 10


def _post(url: str, key: str, username: str, body: dict) -> int:
    request = urllib.request.Request(
        url + "/posts.json",
        data=json.dumps(body).encode(),
        headers={"Api-Key": key, "Api-Username": username, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_concurrent_replies_all_land_once(tmp_path, caplog):
    app = create_app(
        {
            "SECRET_KEY": "concurrency-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.db'}",
            "DATA_DIR": str(tmp_path),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
        ensure_defaults()
        category = make_category("Busy")
        topic_id = make_topic(make_user(), category).topic_id
        writers = []
        for n in range(WRITERS):
            user = make_user(f"writer{n}")
            writers.append((user.username, create_api_key(user)[1]))
        db.session.remove()

    statuses: list[int] = []
    lock = threading.Lock()

    def write(username: str, key: str) -> None:
        for n in range(REPLIES_EACH):
            body = {"topic_id": topic_id, "raw": f"Reply {n} from {username}, at the same time."}
            status = _post(url, key, username, body)
            with lock:
                statuses.append(status)

    try:
        with serving(app) as url:
            threads = [threading.Thread(target=write, args=writer) for writer in writers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        with app.app_context():
            numbers = list(
                db.session.scalars(
                    select(Post.post_number).where(Post.topic_id == topic_id).order_by(Post.id)
                )
            )
            topic = db.session.get(Topic, topic_id)
            expected = 1 + WRITERS * REPLIES_EACH
            assert statuses == [200] * (WRITERS * REPLIES_EACH)
            assert sorted(numbers) == list(range(1, expected + 1))
            assert (topic.posts_count, topic.highest_post_number) == (expected, expected)
            assert db.session.scalar(select(func.count()).select_from(Post)) == expected
    finally:
        with app.app_context():
            db.engine.dispose()
    assert "database is locked" not in caplog.text
