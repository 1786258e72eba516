"""Admin: outgoing e-mail. How many messages are queued, sent, skipped and failed, the
latest of each with its error, and retrying failed ones (which sends them again, so a
message marked failed because its sender stopped mid-way may arrive twice)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from sqlalchemy import select, update

from forum.admin.blueprint import (
    PER_PAGE,
    Confirmation,
    audit,
    bp,
    confirm_page,
    get_or_404,
    page_number,
    redirect_back,
)
from forum.database import utcnow
from forum.extensions import db
from forum.mail.models import FAILED, QUEUED, SENDING, SENT, SKIPPED, OutgoingMail
from forum.mail.sender import STALE_ERROR, status_counts

#: The tabs, problems first.
TABS = (FAILED, QUEUED, SENDING, SKIPPED, SENT)
LABELS = {
    FAILED: "Failed",
    QUEUED: "Queued",
    SENDING: "Sending",
    SKIPPED: "Skipped",
    SENT: "Sent",
}
KIND_LABELS = {
    "notification": "Notification",
    "mailing_list": "Mailing list",
    "digest": "Daily digest",
    "summary": "Summary",
    "announcement": "Announcement",
}


@bp.get("/mail")
def mail():
    status = request.args.get("status", FAILED)
    status = status if status in TABS else FAILED
    page = page_number()
    rows = db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.status == status)
        .order_by(OutgoingMail.id.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
    ).all()
    return render_template(
        "admin/mail.html",
        rows=rows[:PER_PAGE],
        has_more=len(rows) > PER_PAGE,
        page=page,
        status=status,
        counts=status_counts(),
        tabs=TABS,
        labels=LABELS,
        kind_labels=KIND_LABELS,
        stale_error=STALE_ERROR,
    )


def _retry_rows(query) -> int:
    result = db.session.execute(
        update(OutgoingMail)
        .where(query, OutgoingMail.status == FAILED)
        .values(status=QUEUED, attempts=0, send_after=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return max(result.rowcount or 0, 0)


@bp.route("/mail/<int:mail_id>/retry", methods=["GET", "POST"])
def retry_mail(mail_id):
    row = get_or_404(OutgoingMail, mail_id)
    if row.status != FAILED:
        flash("That message has not failed, so there is nothing to retry.", "error")
        return redirect_back("admin.mail")
    if request.method == "GET":
        warning = (
            " It may have been sent already (its sender stopped while sending it), so it "
            "may arrive twice."
            if row.last_error == STALE_ERROR
            else ""
        )
        return confirm_page(
            Confirmation(
                title=f"Send message #{row.id} to {row.to_address} again?",
                message=(
                    f"It failed with: “{row.last_error or 'no error recorded'}”. It goes back "
                    f"in the queue and is sent the next time the sender runs.{warning}"
                ),
                action=url_for("admin.retry_mail", mail_id=row.id),
                button="Retry",
                cancel=url_for("admin.mail"),
                danger=bool(warning),
            )
        )
    count = _retry_rows(OutgoingMail.id == row.id)
    audit("retry mail", str(row.id), to=row.to_address)
    flash(
        f"Message #{row.id} is queued again." if count else "That message was not failed.",
        "success" if count else "error",
    )
    return redirect_back("admin.mail")


@bp.route("/mail/retry-failed", methods=["GET", "POST"])
def retry_failed_mail():
    failed = status_counts()[FAILED]
    if not failed:
        flash("No failed messages to retry.", "error")
        return redirect_back("admin.mail")
    if request.method == "GET":
        return confirm_page(
            Confirmation(
                title=f"Retry all {failed} failed message{'s' if failed != 1 else ''}?",
                message=(
                    "They go back in the queue and are sent the next time the sender runs. Any "
                    "that failed because their sender stopped while sending them may arrive "
                    "twice."
                ),
                action=url_for("admin.retry_failed_mail"),
                button="Retry all",
                cancel=url_for("admin.mail"),
                danger=False,
            )
        )
    count = _retry_rows(OutgoingMail.status == FAILED)
    audit("retry failed mail", f"{count} message(s)")
    flash(f"{count} failed message{'s are' if count != 1 else ' is'} queued again.", "success")
    return redirect_back("admin.mail")
