"""The scheduled reminders (plugins/mentoring/reminders.py: review due after 6 sessions or
3 months, a week's warning before expiry sent once, expiry) and the commands that run them
and the purge (``flask forum mentoring reminders | purge-closed``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.database import utcnow
from forum.extensions import db
from forum.notifications.models import Notification
from plugins.mentoring import reminders, requests
from plugins.mentoring.models import MentoringRequest, RequestTransition
from plugins.mentoring.workflow import add_months

from .conftest import make_mentee, make_mentor, make_request

GOALS = "Secret goals: preparing for a tough levy negotiation with our ICB."


def set_columns(request, **values) -> None:
    db.session.execute(
        update(MentoringRequest).where(MentoringRequest.id == request.id).values(**values)
    )
    db.session.commit()
    db.session.expire_all()


def active(**mentor_fields):
    """An active request: ``(request, mentee, mentor)``."""
    mentor, _ = make_mentor(**mentor_fields)
    mentee = make_mentee()
    request = make_request(mentee)
    requests.make_shortlist(request)
    requests.pick(mentee, request, mentor.id)
    requests.answer(mentor, request, True)
    requests.move(request, "active", mentee, requests.MENTEE)
    db.session.commit()
    return request, mentee, mentor


def sent(type_key: str) -> list[tuple[int, str, str]]:
    rows = db.session.scalars(
        select(Notification).where(Notification.type == type_key).order_by(Notification.id)
    )
    return [(n.user_id, n.dedupe_key, n.data) for n in rows]


def last_transition(request) -> tuple:
    t = db.session.scalars(
        select(RequestTransition)
        .where(RequestTransition.request_id == request.id)
        .order_by(RequestTransition.id.desc())
    ).first()
    return t.from_state, t.to_state, t.actor_id, t.role


def state(request) -> str:
    return db.session.get(MentoringRequest, request.id).state


# -- Review due -------------------------------------------------------------------------------


def test_review_due_after_six_sessions(app):
    request, mentee, mentor = active()
    set_columns(request, sessions=5)
    assert reminders.review_due() == 0 and state(request) == "active"
    set_columns(request, sessions=6)
    assert reminders.review_due() == 1
    assert state(request) == "review_due"
    assert last_transition(request) == ("active", "review_due", None, "system")
    notes = sent("mentoring.review_due")
    assert sorted(user for user, _, _ in notes) == sorted([mentee.id, mentor.id])
    assert all(GOALS not in data and "levy" not in data for _, _, data in notes)
    assert all(f"/mentoring/requests/{request.id}" in data for _, _, data in notes)
    # Nothing more to do the next day.
    assert reminders.review_due() == 0 and len(sent("mentoring.review_due")) == 2


def test_review_due_after_three_months(app):
    request, _mentee, _mentor = active()
    started = utcnow() - timedelta(days=40)
    set_columns(request, started_at=started)
    assert reminders.review_due() == 0
    assert reminders.review_due(add_months(started, 3) - timedelta(minutes=1)) == 0
    assert reminders.review_due(add_months(started, 3)) == 1
    assert state(request) == "review_due"


def test_paused_mentoring_is_not_reviewed(app):
    request, mentee, _mentor = active()
    requests.move(request, "paused", mentee, requests.MENTEE)
    db.session.commit()
    set_columns(request, sessions=9)
    assert reminders.review_due() == 0 and state(request) == "paused"


# -- Expiry -----------------------------------------------------------------------------------


def waiting(days_ago: int):
    """A request submitted ``days_ago`` days ago, still waiting for a match."""
    request = make_request()
    set_columns(request, created_at=utcnow() - timedelta(days=days_ago))
    return request


def test_a_week_before_expiry_the_requester_is_warned_once(app):
    fresh = waiting(10)
    due = waiting(54)  # expires at 60 days
    assert reminders.warn_expiring() == 1
    assert reminders.warn_expiring() == 0
    assert reminders.expire() == 0
    notes = sent("mentoring.expiring")
    assert [(user, key) for user, key, _ in notes] == [
        (due.requester_id, f"mentoring.expiring:{due.id}:week")
    ]
    assert GOALS not in notes[0][2]
    assert state(due) == "submitted" and state(fresh) == "submitted"


def test_requests_waiting_too_long_expire(app):
    old = waiting(61)
    shortlisted = make_request()
    make_mentor()  # someone to shortlist, so that it is "shortlisted", not "triage"
    requests.make_shortlist(shortlisted)
    set_columns(shortlisted, created_at=utcnow() - timedelta(days=70))
    recent = waiting(5)
    matched, _mentee, _mentor = active()
    set_columns(matched, created_at=utcnow() - timedelta(days=200))
    assert reminders.expire() == 2
    assert state(old) == "expired" and state(shortlisted) == "expired"
    assert state(recent) == "submitted" and state(matched) == "active"
    assert last_transition(old) == ("submitted", "expired", None, "system")
    assert db.session.get(MentoringRequest, old.id).closed_at is not None
    keys = {key for _, key, _ in sent("mentoring.expiring")}
    assert keys == {
        f"mentoring.expiring:{old.id}:expired",
        f"mentoring.expiring:{shortlisted.id}:expired",
    }
    assert reminders.expire() == 0


def test_expiry_follows_the_setting(app):
    request = waiting(20)
    app.config["MENTORING_EXPIRE_AFTER_DAYS"] = 14
    try:
        assert reminders.expire() == 1
    finally:
        app.config["MENTORING_EXPIRE_AFTER_DAYS"] = 60
    assert state(request) == "expired"


# -- Commands ---------------------------------------------------------------------------------


def mentoring(runner, *args):
    return runner.invoke(args=["forum", "mentoring", *args])


def test_reminders_command_prints_its_counts(app, runner):
    request, _mentee, _mentor = active()
    set_columns(request, sessions=6)
    waiting(55)
    old = waiting(90)
    result = mentoring(runner, "reminders")
    assert result.exit_code == 0, result.output
    assert "Marked 1 mentoring relationship due for review." in result.output
    assert "Warned 1 requester that their request expires in a week." in result.output
    assert "Marked 1 request expired." in result.output
    assert state(old) == "expired"
    result = mentoring(runner, "reminders")
    assert "Marked 0 mentoring relationships due for review." in result.output
    assert "Warned 0 requesters" in result.output and "Marked 0 requests expired." in result.output


@pytest.fixture
def closed(app):
    """Two withdrawn requests, closed 13 and 5 months ago."""
    made = []
    for months in (13, 5):
        request = make_request()
        requests.move(request, "withdrawn", None, requests.COORDINATOR)
        db.session.commit()
        set_columns(request, closed_at=add_months(utcnow(), -months))
        made.append(request)
    return made


def test_purge_closed_uses_the_setting_by_default(runner, closed):
    old, recent = closed
    result = mentoring(runner, "purge-closed")
    assert result.exit_code == 0, result.output
    assert "Erased the details of 1 request closed more than 12 months ago." in result.output
    assert db.session.get(MentoringRequest, old.id).goals == ""
    assert db.session.get(MentoringRequest, recent.id).goals == GOALS


def test_purge_closed_takes_months(app, runner, closed):
    result = mentoring(runner, "purge-closed", "--months", "3")
    assert result.exit_code == 0, result.output
    assert "Erased the details of 2 requests closed more than 3 months ago." in result.output
    assert app.config["MENTORING_PURGE_AFTER_MONTHS"] == 12
    result = mentoring(runner, "purge-closed", "--months", "0")
    assert result.exit_code == 2
    result = mentoring(runner, "purge-closed", "--months", "3")
    assert "Erased the details of 0 requests" in result.output
