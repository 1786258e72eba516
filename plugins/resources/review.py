"""Telling contributors that their library items are due for review
(``flask forum resources review-reminders``, run daily by cron).

An item is due once its review date has come (the same rule as the library's "due for
review" facet), while it is current or a draft. Its contributor, if still an active member,
gets a ``resources.review_due`` notification. The notification's key carries the item and its
review date, so running the command again tells nobody twice, while a review date moved on
(and come round again) tells them anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.notifications import notify

from .library import REVIEWED
from .models import Resource

NOTIFICATION_TYPE = "resources.review_due"


@dataclass
class Reminders:
    """What a run did: people told now, items whose contributor had already been told of
    this review date, and items with no active contributor to tell."""

    told: int = 0
    already_told: int = 0
    no_contributor: int = 0


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def send(today: date | None = None) -> Reminders:
    """Notify the contributor of every item due for review on ``today`` (by default the
    real today), and commit."""
    today = today or date.today()
    rows = db.session.execute(
        select(Resource.id, Resource.slug, Resource.title, Resource.review_date, User)
        .outerjoin(User, User.id == Resource.contributed_by_id)
        .where(
            Resource.review_date.is_not(None),
            Resource.review_date <= today,
            Resource.status.in_(REVIEWED),
        )
        .order_by(Resource.review_date, Resource.id)
    ).all()
    result = Reminders()
    for resource_id, slug, title, review_date, contributor in rows:
        if contributor is None or not contributor.is_active:
            result.no_contributor += 1
            continue
        created = notify(
            contributor.id,
            NOTIFICATION_TYPE,
            message=f"“{title}” is due for review (review date {long_date(review_date)})",
            url=f"/resources/{slug}",
            dedupe_key=f"resources.review:{resource_id}:{review_date.isoformat()}",
        )
        if created is None:
            result.already_told += 1
        else:
            result.told += 1
    db.session.commit()
    return result


def remind(today: date | None = None) -> int:
    """Notify contributors of items due for review; returns how many were told now."""
    return send(today).told
