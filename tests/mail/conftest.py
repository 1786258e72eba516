"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, on a free port.

``smtp`` (per test) empties what the server received, clears its refusals and points the
app's ``MAIL_SMTP_*`` settings at it; ``dead_port`` is a port nothing listens on.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, select


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The text of the ``text/<subtype>`` part."""
        found = self.message.get_body(preferencelist=(subtype,))
        assert found is not None and found.get_content_type() == f"text/{subtype}"
        return found.get_content()


@dataclass
class Collector:
    """An aiosmtpd handler that keeps every message, and refuses some recipients."""

    messages: list[Delivered] = field(default_factory=list)
    #: ``{address: "550 ..."}``: answers to RCPT TO for these recipients.
    refuse: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.refuse.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Delivered]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
        self.refuse.clear()


@dataclass
class SmtpServer:
    handler: Collector
    port: int

    @property
    def messages(self) -> list[Delivered]:
        return self.handler.messages

    def to(self, address: str) -> list[Delivered]:
        return self.handler.to(address)


@pytest.fixture(scope="session")
def _smtp_server():
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(handler, port)
    finally:
        controller.stop()


@pytest.fixture
def smtp(app, _smtp_server):
    """The SMTP server, emptied, with the app sending to it (settings restored after)."""
    _smtp_server.handler.reset()
    app.config.update(
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=_smtp_server.port,
        MAIL_SMTP_SECURITY=None,
        MAIL_SMTP_USERNAME=None,
        MAIL_SMTP_TIMEOUT_SECONDS=5,
        BASE_URL="https://hub.example.org",
        MAIL_FROM="LMC Hub <noreply@hub.example.org>",
        MAIL_REPLY_ADDRESS="reply+{key}@hub.example.org",
    )
    yield _smtp_server
    _smtp_server.handler.reset()


@pytest.fixture
def dead_port() -> int:
    return free_port()


class Queue:
    """Helpers to put rows in ``outgoing_mails`` directly (as the notification code does)."""

    def __init__(self):
        self._n = 0

    def clear(self) -> None:
        """Forget mail queued by anything else (the notification code reacting to the
        posts a test made), so a test sees only its own."""
        from forum.extensions import db
        from forum.mail.models import OutgoingMail
        from forum.notifications.fanout import process_pending

        while process_pending():  # the fan-out the sender would run first
            pass
        db.session.execute(delete(OutgoingMail))
        db.session.commit()

    def notification(self, user, post, type_="replied", *, actor=None, **data):
        """A notification of ``post`` for ``user`` and its queued e-mail; returns both."""
        from forum.extensions import db
        from forum.mail import queue
        from forum.notifications.models import Notification

        self._n += 1
        actor = actor if actor is not None else (post.user if post is not None else None)
        notification = Notification(
            user_id=user.id,
            type=type_,
            topic_id=post.topic_id if post is not None else data.pop("topic_id", None),
            post_id=post.id if post is not None else None,
            post_number=post.post_number if post is not None else None,
            actor_id=actor.id if actor is not None else None,
            data=json.dumps(data),
            dedupe_key=f"test:{self._n}",
        )
        db.session.add(notification)
        db.session.flush()
        row = self.add(
            user,
            queue.NOTIFICATION,
            notification_id=notification.id,
            post=post,
            topic_id=notification.topic_id,
        )
        return notification, row

    def add(self, user, kind, *, post=None, topic_id=None, notification_id=None, data=None):
        from forum.extensions import db
        from forum.mail import queue
        from forum.mail.models import OutgoingMail

        self._n += 1
        key = f"test:{kind}:{self._n}"
        queue.enqueue(
            [
                queue.Message(
                    user_id=user.id,
                    to_address=user.email,
                    kind=kind,
                    dedupe_key=key,
                    notification_id=notification_id,
                    post_id=post.id if post is not None else None,
                    topic_id=post.topic_id if post is not None else topic_id,
                    data=data or {},
                )
            ]
        )
        db.session.commit()
        return db.session.scalar(select(OutgoingMail).where(OutgoingMail.dedupe_key == key))

    @staticmethod
    def get(row_id):
        from forum.extensions import db
        from forum.mail.models import OutgoingMail

        db.session.expire_all()
        return db.session.get(OutgoingMail, row_id)


@pytest.fixture
def mailq(app):
    return Queue()
