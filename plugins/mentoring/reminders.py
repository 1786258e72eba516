"""The mentoring directory's scheduled reminders (domain.md §3.4), run by
``flask forum mentoring reminders`` (daily, from cron).

* :func:`review_due`: an active mentoring relationship is due for review after 6 sessions or
  3 months (:func:`workflow.review_due`); it moves to ``review_due`` as ``system`` and both
  parties are told.
* :func:`warn_expiring`: a request still waiting for a match a week before it would expire
  tells its requester, once.
* :func:`expire`: a request waiting for a match ``MENTORING_EXPIRE_AFTER_DAYS`` days or more
  is marked ``expired`` as ``system`` and its requester is told (after the week's warning,
  which it sends first if it is due).

Notifications say only that something happened and link to the request: never its content.
Each request is moved and committed on its own, so one that someone changes at the same
moment (the move is refused) leaves the others done.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from forum.database import utcnow
from forum.extensions import db
from forum.notifications import notify

from . import requests, workflow
from .models import MentoringRequest

#: How long before expiry the requester is warned.
WARNING_BEFORE = timedelta(days=7)


def _url(request_id: int) -> str:
    return f"/mentoring/requests/{request_id}"


def _expire_days() -> int:
    return int(current_app.config["MENTORING_EXPIRE_AFTER_DAYS"])


def review_due(now: datetime | None = None) -> int:
    """Move active requests that are due for review to ``review_due`` and tell both parties;
    returns how many were moved."""
    now = now or utcnow()
    rows = db.session.execute(
        select(MentoringRequest.id, MentoringRequest.started_at, MentoringRequest.sessions).where(
            MentoringRequest.state == "active", MentoringRequest.started_at.is_not(None)
        )
    ).all()
    due = [row.id for row in rows if workflow.review_due(row.started_at, row.sessions, now)]
    moved = 0
    for request_id in due:
        request = db.session.get(MentoringRequest, request_id)
        if request is None or request.state != "active":
            continue
        try:
            step = requests.move(request, "review_due", None, requests.SYSTEM, at=now)
        except workflow.TransitionRefused:
            continue  # changed by someone at the same moment; nothing was changed here
        db.session.flush()  # the step's id keys the notification: one per review
        for person in {request.requester_id, request.mentor_id} - {None}:
            notify(
                person,
                "mentoring.review_due",
                message="Your mentoring is due for review",
                url=_url(request.id),
                dedupe_key=f"mentoring.review_due:{request.id}:{step.id}",
            )
        db.session.commit()
        moved += 1
    return moved


def _waiting(before: datetime) -> list[tuple[int, int | None, datetime]]:
    """``(id, requester id, created at)`` of requests awaiting a match made before
    ``before``."""
    rows = db.session.execute(
        select(
            MentoringRequest.id, MentoringRequest.requester_id, MentoringRequest.created_at
        ).where(
            MentoringRequest.state.in_(sorted(workflow.AWAITING_MATCH_STATES)),
            MentoringRequest.created_at <= before,
        )
    )
    return [tuple(row) for row in rows]


def warn_expiring(now: datetime | None = None) -> int:
    """Tell each requester whose request will expire within a week, once per request;
    returns how many were told for the first time."""
    now = now or utcnow()
    days = _expire_days()
    warned = 0
    for request_id, requester_id, created_at in _waiting(
        now - timedelta(days=days) + WARNING_BEFORE
    ):
        if requester_id is None or workflow.expired(created_at, now, days=days):
            continue
        sent = notify(
            requester_id,
            "mentoring.expiring",
            message="Your mentoring request expires in a week unless a mentor is matched",
            url=_url(request_id),
            dedupe_key=f"mentoring.expiring:{request_id}:week",
        )
        if sent is not None:
            warned += 1
    db.session.commit()
    return warned


def expire(now: datetime | None = None) -> int:
    """Warn requests a week from expiry (:func:`warn_expiring`), then mark those that have
    waited ``MENTORING_EXPIRE_AFTER_DAYS`` days for a match ``expired`` and tell their
    requesters; returns how many expired."""
    now = now or utcnow()
    warn_expiring(now)
    days = _expire_days()
    expired = 0
    for request_id, _requester_id, created_at in _waiting(now - timedelta(days=days)):
        if not workflow.expired(created_at, now, days=days):
            continue
        request = db.session.get(MentoringRequest, request_id)
        if request is None or request.state not in workflow.AWAITING_MATCH_STATES:
            continue
        try:
            requests.move(request, "expired", None, requests.SYSTEM, at=now)
        except workflow.TransitionRefused:
            continue
        if request.requester_id is not None:
            notify(
                request.requester_id,
                "mentoring.expiring",
                message="Your mentoring request has expired without a match; you can ask again",
                url=_url(request.id),
                dedupe_key=f"mentoring.expiring:{request.id}:expired",
            )
        db.session.commit()
        expired += 1
    return expired
