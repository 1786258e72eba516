"""Review reminders (``flask forum resources review-reminders``): contributors are told once
per review date of their items past it; items not yet due, superseded ones and those whose
contributor is gone or suspended tell no one."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications.models import Notification
from plugins.resources import review
from plugins.resources.models import Resource

from .conftest import make_officer, make_resource

TODAY = date(2025, 6, 1)


def notifications(user=None) -> list[Notification]:
    query = select(Notification).where(Notification.type == "resources.review_due")
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_a_contributor_is_told_once_per_review_date(app):
    officer = make_officer()
    due = make_resource(officer, title="Model lease", review_date="2025-05-31")

    assert review.remind(TODAY) == 1
    [told] = notifications(officer)
    data = json.loads(told.data)
    assert data == {
        "message": "“Model lease” is due for review (review date 31 May 2025)",
        "url": f"/resources/{due.slug}",
    }
    assert told.dedupe_key == f"resources.review:{due.id}:2025-05-31"

    assert review.remind(TODAY) == 0  # a re-run tells no one again
    assert review.remind(TODAY + timedelta(days=30)) == 0
    assert len(notifications(officer)) == 1

    due.review_date = date(2025, 6, 1)  # reviewed, and due again
    db.session.commit()
    assert review.remind(TODAY) == 1
    assert len(notifications(officer)) == 2


def test_items_not_due_or_no_longer_current_tell_no_one(app):
    officer = make_officer()
    make_resource(officer, review_date="2025-06-02")  # tomorrow
    make_resource(officer)  # no review date
    old = make_resource(officer, review_date="2025-01-01")
    make_resource(officer, review_date="2025-01-01", status="withdrawn")
    make_resource(officer, review_date="2025-02-01", supersedes=old.slug)  # old is superseded

    result = review.send(TODAY)

    assert (result.told, result.already_told, result.no_contributor) == (1, 0, 0)
    [told] = notifications(officer)
    assert "1 February 2025" in json.loads(told.data)["message"]


def test_drafts_of_suspended_contributors_are_skipped(app):
    active, suspended = make_officer(), make_officer()
    make_resource(active, review_date="2025-05-01", status="draft")
    make_resource(suspended, review_date="2025-05-01", status="draft")
    orphan = make_resource(make_officer(), review_date="2025-05-01")
    suspended.status = "suspended"
    orphan.contributed_by_id = None
    db.session.commit()

    result = review.send(TODAY)

    assert (result.told, result.no_contributor) == (1, 2)
    assert len(notifications(active)) == 1
    assert notifications(suspended) == []
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 3


def test_the_command_says_how_many_were_told(app, runner):
    officer = make_officer()
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    make_resource(officer, review_date=yesterday)
    gone = make_resource(make_officer(), review_date=yesterday)
    gone.contributed_by_id = None
    db.session.commit()

    result = runner.invoke(args=["forum", "resources", "review-reminders"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 review reminder." in result.output
    assert "1 item due for review: no contributor to tell." in result.output

    again = runner.invoke(args=["forum", "resources", "review-reminders"])
    assert "Sent 0 review reminders." in again.output
    assert "1 item due for review: contributor told already." in again.output
    assert len(notifications(officer)) == 1
