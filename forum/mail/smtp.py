"""One SMTP connection for a batch of messages, and what each kind of refusal means.

:class:`SmtpSession` connects on the first message (``MAIL_SMTP_*`` settings), reuses the
connection for the rest of the batch and reconnects once when the server drops it. Every
outcome is a :class:`Result`: sent, worth trying again later (the server is down, busy or
answered 4xx), or refused for good (a 5xx answer to the recipient or the message).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

#: What the outcome of one message was.
SENT, RETRY, PERMANENT = "sent", "retry", "permanent"


class ConnectFailed(Exception):
    """The server could not be reached or refused us (nothing in the batch can be sent)."""


@dataclass(frozen=True)
class Result:
    outcome: str
    error: str = ""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {_text(reply)}" for code, reply in exc.recipients.values()]
        return "recipient refused: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    name = type(exc).__name__
    return f"{name}: {exc}" if str(exc) else name


def _text(reply) -> str:
    if isinstance(reply, bytes):
        return reply.decode("utf-8", "replace")
    return str(reply)


def envelope_sender(config) -> str:
    """The bare address of ``MAIL_FROM`` (where bounces go)."""
    return parseaddr(config["MAIL_FROM"])[1] or config["MAIL_FROM"]


class SmtpSession:
    """A lazily opened SMTP connection, for ``with`` blocks."""

    def __init__(self, config=None):
        self.config = config or current_app.config
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SMTP_HOST"], int(config["MAIL_SMTP_PORT"])
        timeout = float(config["MAIL_SMTP_TIMEOUT_SECONDS"])
        security = (config.get("MAIL_SMTP_SECURITY") or "").lower()
        conn = None
        try:
            if security == "ssl":
                conn = smtplib.SMTP_SSL(
                    host, port, timeout=timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(host, port, timeout=timeout)
                if security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if config.get("MAIL_SMTP_USERNAME"):
                conn.login(config["MAIL_SMTP_USERNAME"], config.get("MAIL_SMTP_PASSWORD") or "")
        except (OSError, smtplib.SMTPException) as exc:
            if conn is not None:
                _close_quietly(conn)
            raise ConnectFailed(
                f"could not connect to the mail server {host}:{port}: {_describe(exc)}"
            ) from exc
        return conn

    def send(self, message: EmailMessage, to_address: str) -> Result:
        """Send one message; raises :class:`ConnectFailed` when the server is unreachable."""
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect()
            try:
                self._conn.send_message(
                    message, from_addr=envelope_sender(self.config), to_addrs=[to_address]
                )
                return Result(SENT)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                permanent = bool(codes) and all(500 <= code < 600 for code in codes)
                return Result(PERMANENT if permanent else RETRY, _describe(exc))
            except smtplib.SMTPDataError as exc:
                # 5xx after DATA: this message is refused (too big, judged spam...).
                permanent = 500 <= exc.smtp_code < 600
                return Result(PERMANENT if permanent else RETRY, _describe(exc))
            except smtplib.SMTPServerDisconnected as exc:
                # Servers drop idle or long-lived connections: reconnect once.
                self.close()
                if attempt == 2:
                    return Result(RETRY, _describe(exc))
            except (smtplib.SMTPException, OSError) as exc:
                # A refused sender, a timeout, a broken pipe: try again later, on a fresh
                # connection for the next message.
                self.close()
                return Result(RETRY, _describe(exc))
        return Result(RETRY, "could not send")  # pragma: no cover - the loop returns

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            _close_quietly(conn)


def _close_quietly(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        pass
    try:
        conn.close()
    except OSError:
        pass
