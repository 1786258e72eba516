"""Records due for review: an open record (proposed, under negotiation or active) whose
review date has come, listed for its LMC.

:func:`due_for_review` is what one person's pages show (their LMC's records, every LMC's for
staff, only records they may see); :func:`due_by_lmc` is what ``flask forum sla
due-for-review`` prints, every LMC's list. Each is one query.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from forum.accounts.models import Organisation
from forum.extensions import db

from . import access
from .models import SlaRecord

#: Statuses still in force or in the making: the ones a review date matters for.
REVIEWED = ("proposed", "under_negotiation", "active")


def _due(today: date):
    return (
        select(SlaRecord)
        .where(
            SlaRecord.review_date.is_not(None),
            SlaRecord.review_date <= today,
            SlaRecord.status.in_(REVIEWED),
        )
        .order_by(SlaRecord.review_date, SlaRecord.id)
    )


def due_for_review(user, today: date | None = None, *, limit: int | None = None) -> list:
    """The open records of ``user``'s LMC whose review date is ``today`` (by default the real
    today) or earlier, the longest overdue first; every LMC's for staff (``sla.manage``).
    Only records ``user`` may see; none for someone outside any LMC or not signed in."""
    today = today or date.today()
    if not access.active(user):
        return []
    query = _due(today).where(access.visible(user))
    if not access.sees_everything(user):
        if not user.organisation_id:
            return []
        query = query.where(SlaRecord.lmc_id == user.organisation_id)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def due_by_lmc(today: date | None = None) -> list[tuple[str, list]]:
    """Every open record due for review on ``today``, as ``[(LMC name, records)]`` by LMC
    name, each LMC's records the longest overdue first."""
    today = today or date.today()
    rows = db.session.execute(
        _due(today)
        .add_columns(Organisation.name)
        .join(Organisation, Organisation.id == SlaRecord.lmc_id)
        .order_by(None)
        .order_by(Organisation.name, SlaRecord.review_date, SlaRecord.id)
    ).all()
    grouped: dict[str, list] = {}
    for record, lmc in rows:
        grouped.setdefault(lmc, []).append(record)
    return list(grouped.items())
