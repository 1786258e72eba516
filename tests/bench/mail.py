"""How fast queued mail drains: :func:`drain_1000` queues 1,000 mailing-list messages (50
readers in mailing-list mode watching a category, 20 posts) and times
:func:`forum.mail.sender.send_pending` sending them all to a local aiosmtpd server (goal:
under 60 s). Alone: ``python -m tests.bench.mail`` (SQLite in memory, or
``FORUM_TEST_DATABASE_URL``)."""

from __future__ import annotations

import socket
import threading
import time

from aiosmtpd.controller import Controller
from sqlalchemy import delete

from forum.extensions import db
from forum.mail import queue
from forum.mail.models import OutgoingMail
from forum.mail.sender import send_pending
from forum.notifications.models import WATCHING, UserOption

READERS = 50
POSTS = 20


class _Counter:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _queue_1000() -> None:
    from tests.factories import make_category, make_reply, make_topic, make_user

    author = make_user("bench_author")
    category = make_category("Bench mailing list", default_notification_level=WATCHING)
    readers = [make_user(f"bench_reader{i}") for i in range(READERS)]
    for reader in readers:
        db.session.merge(UserOption(user_id=reader.id, mailing_list_mode="every_post"))
    first = make_topic(author, category, raw="The opening post of the mail benchmark, **bold**.")
    posts = [first] + [
        make_reply(first.topic, author, raw=f"Reply {n} with a [link](/t/x/1) and *emphasis*.")
        for n in range(POSTS - 1)
    ]
    db.session.execute(delete(OutgoingMail))  # whatever the notification code queued
    queue.enqueue(
        [
            queue.Message(
                user_id=reader.id,
                to_address=reader.email,
                kind=queue.MAILING_LIST,
                dedupe_key=queue.post_key(post.id, reader.id),
                post_id=post.id,
                topic_id=post.topic_id,
            )
            for post in posts
            for reader in readers
        ]
    )
    db.session.commit()


def drain_1000(app) -> float:
    """Seconds :func:`send_pending` takes to send 1,000 queued messages over SMTP."""
    handler = _Counter()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_SMTP_HOST", "MAIL_SMTP_PORT", "MAIL_SMTP_SECURITY")}
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port, MAIL_SMTP_SECURITY=None)
    try:
        with app.app_context():
            _queue_1000()
            started = time.perf_counter()
            report = send_pending()
            seconds = time.perf_counter() - started
            db.session.remove()
        if report.sent != READERS * POSTS or handler.count != READERS * POSTS:
            raise RuntimeError(f"sent {report.sent}, received {handler.count}: {report}")
        return seconds
    finally:
        app.config.update(saved)
        controller.stop()


def main() -> None:
    from tests.conftest import make_app

    app = make_app()
    seconds = drain_1000(app)
    print(
        f"drain_1000: {READERS * POSTS} messages in {seconds:.1f} s "
        f"({READERS * POSTS / seconds:.0f}/s; goal under 60 s)"
    )
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
