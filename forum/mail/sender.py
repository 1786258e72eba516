"""Sending queued mail: ``flask forum mail send`` (once, or ``--loop``) and ``status``.

:func:`send_pending` works through the due rows of ``outgoing_mails`` in batches:

1. **Claim** up to ``MAIL_BATCH_SIZE`` rows (``queued``, ``send_after`` passed, oldest
   first) by switching them to ``sending`` in one UPDATE that re-checks ``status = 'queued'``
   (on PostgreSQL the candidates are also picked ``FOR UPDATE SKIP LOCKED``), then commit:
   two senders never get the same row. While a row is ``sending``, its ``send_after``
   holds the time it was claimed.
2. **Compose** each at send time (:mod:`forum.mail.compose`): a message that is no longer
   wanted or allowed (read on the site, post deleted, topic no longer visible, preference
   turned off, account not active) becomes ``skipped``, with the reason in ``last_error``.
3. **Send** them over one SMTP connection and record each result at once (one commit per
   message): ``sent``; or back to ``queued`` with ``attempts + 1`` and ``send_after = now +
   MAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1)``; or ``failed`` after
   ``MAIL_MAX_ATTEMPTS`` attempts, or at once when the server refuses the recipient or the
   message for good (5xx).

A row still ``sending`` 15 minutes after it was claimed belongs to a sender that stopped
mid-way: it may or may not have gone out, so it is marked ``failed`` (never sent twice)
and shown to admins on ``/admin/mail``, who can retry it.

Writes to the queue do not bump the content version (``forum_untracked``): sending mail
changes nothing a page shows.
"""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select, update

from forum.database import utcnow
from forum.extensions import db
from forum.mail import digests
from forum.mail.compose import Composed, Skip, compose
from forum.mail.models import FAILED, QUEUED, SENDING, SENT, SKIPPED, OutgoingMail
from forum.mail.smtp import PERMANENT, ConnectFailed, SmtpSession
from forum.mail.smtp import SENT as SMTP_SENT

log = logging.getLogger(__name__)

#: A row ``sending`` for longer than this was left by a sender that stopped.
STALE_AFTER = timedelta(minutes=15)
STALE_ERROR = "sender stopped while sending; not retried to avoid a duplicate"
STATUSES = (QUEUED, SENDING, SENT, SKIPPED, FAILED)
MAX_ERROR_LENGTH = 2000


@dataclass
class SendReport:
    """What one :func:`send_pending` call did."""

    digests_queued: int = 0
    stale_failed: int = 0
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    batches: int = 0
    seconds: float = 0.0

    @property
    def busy(self) -> bool:
        return bool(self.claimed or self.digests_queued or self.stale_failed)

    def summary(self) -> str:
        parts = [
            f"sent {self.sent}",
            f"skipped {self.skipped}",
            f"to retry {self.retrying}",
            f"failed {self.failed}",
        ]
        if self.digests_queued:
            parts.insert(0, f"queued {self.digests_queued} digest/summary")
        if self.stale_failed:
            parts.append(f"abandoned by a stopped sender {self.stale_failed}")
        return ", ".join(parts) + f" ({self.seconds:.1f} s)"


def _write(statement) -> None:
    db.session.execute(statement.execution_options(forum_untracked=True, synchronize_session=False))


def fail_stale(now: datetime) -> int:
    """Mark rows left ``sending`` by a stopped sender as failed (see the module doc)."""
    result = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.status == SENDING, OutgoingMail.send_after < now - STALE_AFTER)
        .values(status=FAILED, last_error=STALE_ERROR)
        .execution_options(forum_untracked=True, synchronize_session=False)
    )
    count = max(result.rowcount or 0, 0)
    if count:
        log.warning("%d e-mail(s) left 'sending' by a stopped sender marked failed", count)
    return count


def claim(size: int, after_id: int, now: datetime) -> list[int]:
    """Switch up to ``size`` due rows with ids above ``after_id`` to ``sending``; their ids.

    The candidates are read first (on PostgreSQL locked ``FOR UPDATE SKIP LOCKED``, so a
    second sender takes the next ones instead of waiting), then switched by an UPDATE that
    checks ``status = 'queued'`` again: a row another sender took meanwhile is not returned.
    (Not one ``UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)``: PostgreSQL
    may run such a subquery more than once and switch more than ``n`` rows.)
    """
    due = (
        select(OutgoingMail.id)
        .where(
            OutgoingMail.status == QUEUED,
            OutgoingMail.send_after <= now,
            OutgoingMail.id > after_id,
        )
        .order_by(OutgoingMail.id)
        .limit(size)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    candidates = list(db.session.scalars(due))
    if not candidates:
        return []
    result = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(candidates), OutgoingMail.status == QUEUED)
        .values(status=SENDING, send_after=now)
        .returning(OutgoingMail.id)
        .execution_options(forum_untracked=True, synchronize_session=False)
    )
    return sorted(result.scalars())


def _error(text: str) -> str:
    return text[:MAX_ERROR_LENGTH]


def _mark_sent(row_id: int, attempts: int, composed: Composed, now: datetime) -> None:
    _write(
        update(OutgoingMail)
        .where(OutgoingMail.id == row_id)
        .values(
            status=SENT,
            sent_at=now,
            attempts=attempts + 1,
            message_id=composed.message_id[:255],
            subject=composed.subject[:255],
            to_address=composed.to_address[:254],
            data=composed.data,
            last_error="",
        )
    )


def _mark_skipped(row_id: int, reason: str) -> None:
    _write(
        update(OutgoingMail)
        .where(OutgoingMail.id == row_id)
        .values(status=SKIPPED, last_error=_error(reason))
    )


def _mark_failed(row_id: int, attempts: int, error: str) -> None:
    _write(
        update(OutgoingMail)
        .where(OutgoingMail.id == row_id)
        .values(status=FAILED, attempts=attempts + 1, last_error=_error(error))
    )


def _mark_retry(row_id: int, attempts: int, error: str, now: datetime, report: SendReport) -> None:
    """Back to the queue with a doubling wait, or failed after ``MAIL_MAX_ATTEMPTS``."""
    config = current_app.config
    attempts += 1
    if attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
        _write(
            update(OutgoingMail)
            .where(OutgoingMail.id == row_id)
            .values(
                status=FAILED,
                attempts=attempts,
                last_error=_error(f"{error} (gave up after {attempts} attempts)"),
            )
        )
        report.failed += 1
        return
    wait = float(config["MAIL_RETRY_BASE_SECONDS"]) * 2 ** (attempts - 1)
    _write(
        update(OutgoingMail)
        .where(OutgoingMail.id == row_id)
        .values(
            status=QUEUED,
            attempts=attempts,
            send_after=now + timedelta(seconds=wait),
            last_error=_error(error),
        )
    )
    report.retrying += 1


def _release(row_ids: list[int]) -> None:
    """Put rows claimed but never attempted back in the queue (the sender is stopping)."""
    if row_ids:
        _write(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(row_ids), OutgoingMail.status == SENDING)
            .values(status=QUEUED)
        )


def _compose_batch(ids: list[int], clock, report: SendReport) -> list[tuple[int, int, Composed]]:
    """Compose each claimed row; skipped ones and composing errors are recorded here."""
    rows = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.id.in_(ids)).order_by(OutgoingMail.id)
    ).all()
    ready = []
    for row in rows:
        row_id, attempts = row.id, row.attempts
        savepoint = db.session.begin_nested()  # a reply key made for a message that fails
        try:
            composed = compose(row)
        except Skip as skip:
            savepoint.rollback()
            _mark_skipped(row_id, str(skip))
            report.skipped += 1
            continue
        except Exception as exc:  # a bug or a database error: try again later
            savepoint.rollback()
            log.exception("could not compose e-mail %s", row_id)
            _mark_retry(row_id, attempts, f"could not compose: {exc!r}", clock(), report)
            continue
        savepoint.commit()
        ready.append((row_id, attempts, composed))
    db.session.commit()  # reply keys made while composing, skips
    return ready


def _send_batch(ready: list[tuple[int, int, Composed]], clock, report: SendReport) -> None:
    attempted = 0  # how many of ``ready`` were handed to the server (or given up on)
    try:
        with SmtpSession() as smtp:
            for index, (row_id, attempts, composed) in enumerate(ready):
                attempted = index + 1
                try:
                    result = smtp.send(composed.message, composed.to_address)
                except ConnectFailed as exc:
                    # Nothing more can go out now: every message left waits and retries.
                    log.warning("%s", exc)
                    for later_id, later_attempts, _ in ready[index:]:
                        _mark_retry(later_id, later_attempts, str(exc), clock(), report)
                    db.session.commit()
                    attempted = len(ready)
                    return
                if result.outcome == SMTP_SENT:
                    _mark_sent(row_id, attempts, composed, clock())
                    report.sent += 1
                elif result.outcome == PERMANENT:
                    log.warning("e-mail %s refused: %s", row_id, result.error)
                    _mark_failed(row_id, attempts, result.error)
                    report.failed += 1
                else:
                    _mark_retry(row_id, attempts, result.error, clock(), report)
                db.session.commit()
    finally:
        never_tried = [row_id for row_id, _, _ in ready[attempted:]]
        if never_tried:
            # Stopped part-way (Ctrl-C, SIGTERM, an error): the message being sent stays
            # 'sending' (it may have gone out); the ones never tried go back to the queue.
            db.session.rollback()
            _release(never_tried)
            db.session.commit()


def send_pending(
    *, now: datetime | None = None, limit: int | None = None, progress=None
) -> SendReport:
    """Send what is due (at most ``limit`` messages); see the module documentation.

    ``now`` fixes the clock (tests); by default each step reads the time. ``progress`` is
    called with the report so far after each batch.
    """
    clock = (lambda: now) if now is not None else utcnow
    started = time.monotonic()
    report = SendReport()
    report.stale_failed = fail_stale(clock())
    db.session.commit()
    # Events a worker did not fan out (it stopped, or the post came from a command) are
    # fanned out here, so their e-mails are queued before this run sends.
    from forum.notifications.fanout import process_pending

    while process_pending():
        pass
    report.digests_queued = digests.enqueue_due(clock())
    db.session.commit()
    batch_size = max(int(current_app.config["MAIL_BATCH_SIZE"]), 1)
    after_id = 0  # rows retried in this call are not claimed again by it
    while limit is None or report.claimed < limit:
        size = batch_size if limit is None else min(batch_size, limit - report.claimed)
        ids = claim(size, after_id, clock())
        db.session.commit()
        if not ids:
            break
        after_id = ids[-1]
        report.claimed += len(ids)
        report.batches += 1
        ready = _compose_batch(ids, clock, report)
        if ready:
            _send_batch(ready, clock, report)
        if progress is not None:
            report.seconds = time.monotonic() - started
            progress(report)
    report.seconds = time.monotonic() - started
    if report.claimed:
        log.info("mail: %s", report.summary())
    return report


def status_counts() -> dict[str, int]:
    counts = dict(
        db.session.execute(
            select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
        ).all()
    )
    return {status: counts.get(status, 0) for status in STATUSES}


def recent_failures(limit: int = 10) -> list[OutgoingMail]:
    return list(
        db.session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.status == FAILED)
            .order_by(OutgoingMail.id.desc())
            .limit(limit)
        )
    )


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop()


@click.command("send")
@click.option(
    "--loop/--once",
    default=False,
    help="Keep running, looking for due mail every few seconds (default: send once).",
)
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds between looks, with --loop.",
)
@click.option("--limit", type=click.IntRange(1), help="Send at most this many per pass.")
@with_appcontext
def send_command(loop, interval, limit):
    """Send queued e-mail (and queue the digests and summaries that are due)."""
    previous = signal.signal(signal.SIGTERM, _raise_stop) if loop else None

    def progress(report: SendReport) -> None:
        if report.batches > 1 or report.claimed >= current_app.config["MAIL_BATCH_SIZE"]:
            click.echo(f"… {report.claimed} handled so far: {report.summary()}")

    try:
        while True:
            try:
                report = send_pending(limit=limit, progress=progress)
            except (_Stop, KeyboardInterrupt):
                raise
            except Exception as exc:
                if not loop:
                    raise
                db.session.rollback()
                log.exception("sending mail failed")
                click.echo(f"Sending mail failed: {exc!r}; trying again shortly.", err=True)
            else:
                if report.busy or not loop:
                    click.echo(f"Mail: {report.summary()}.")
            finally:
                if loop:
                    db.session.remove()  # a fresh session (and connection) each pass
            if not loop:
                break
            time.sleep(interval)
    except (_Stop, KeyboardInterrupt):
        click.echo("Stopped sending mail.")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@click.command("status")
@click.option("--failures", default=10, show_default=True, type=click.IntRange(0, 1000))
@with_appcontext
def status_command(failures):
    """What is queued, sent and failed, and the latest failures with their errors."""
    counts = status_counts()
    width = max(len(s) for s in STATUSES)
    for status, count in counts.items():
        click.echo(f"{status:<{width}}  {count}")
    due = db.session.scalar(
        select(func.min(OutgoingMail.send_after)).where(OutgoingMail.status == QUEUED)
    )
    if due is not None:
        click.echo(f"Next queued message is due at {due:%Y-%m-%d %H:%M:%S} UTC.")
    if not failures:
        return
    rows = recent_failures(failures)
    if rows:
        click.echo("")
        click.echo("Latest failures (newest first; retry them on /admin/mail):")
        for row in rows:
            click.echo(
                f"#{row.id} {row.kind} to {row.to_address}, {row.attempts} attempt(s), "
                f"queued {row.created_at:%Y-%m-%d %H:%M}: {row.last_error}"
            )
