"""Who may see, add and change SLA records, and who reads the officers-only notes.

Every path that shows a record (the tracker, its page, cards in posts, the comparison,
search, the CSV export and the JSON) asks :func:`can_see` for one record or :func:`visible`
as a SQL condition for a list, so a record's visibility holds everywhere at once:

* ``all_members``: every active member; ``officers_only``: members of the groups in
  ``SLA_OFFICER_GROUPS``; ``own_lmc_only``: members of the record's LMC (organisation).
* Whoever submitted a record always sees it; staff (admins and moderators) see everything.
* Visitors who are not signed in see no records.
* ``negotiation_notes`` are shown to officers only (:func:`sees_notes`), never indexed.
"""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy import and_, false, or_, select, true

from forum.accounts.models import Group, GroupMembership
from forum.extensions import db
from forum.permissions import can

from .models import SlaRecord


def active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _in_groups(user, setting: str) -> bool:
    names = current_app.config[setting]
    cache = g.setdefault("sla_groups", {})
    key = (user.id, setting)
    if key not in cache:
        cache[key] = (
            db.session.scalar(
                select(Group.id)
                .join(GroupMembership, GroupMembership.group_id == Group.id)
                .where(GroupMembership.user_id == user.id, Group.name.in_(names))
                .limit(1)
            )
            is not None
        )
    return cache[key]


def is_officer(user) -> bool:
    """An LMC officer or staff member (``SLA_OFFICER_GROUPS``), or forum staff."""
    if not active(user):
        return False
    return user.is_staff or _in_groups(user, "SLA_OFFICER_GROUPS")


def in_contributor_group(user) -> bool:
    return active(user) and _in_groups(user, "SLA_CONTRIBUTOR_GROUPS")


def sees_everything(user) -> bool:
    return active(user) and can(user, "sla.manage")


def can_submit(user) -> bool:
    return active(user) and can(user, "sla.submit")


def can_edit(user, record: SlaRecord) -> bool:
    """Its submitter (while still allowed to submit) or staff."""
    if sees_everything(user):
        return True
    return can_submit(user) and record.submitted_by_id == user.id


def sees_notes(user) -> bool:
    """Whether ``user`` reads the officers-only negotiation notes."""
    return is_officer(user)


def visible(user):
    """A SQL condition on :class:`SlaRecord`: the records ``user`` may see."""
    if sees_everything(user):
        return true()
    if not active(user):
        return false()
    allowed = [SlaRecord.visibility == "all_members"]
    if is_officer(user):
        allowed.append(SlaRecord.visibility == "officers_only")
    if user.organisation_id:
        allowed.append(
            and_(
                SlaRecord.visibility == "own_lmc_only",
                SlaRecord.lmc_id == user.organisation_id,
            )
        )
    allowed.append(SlaRecord.submitted_by_id == user.id)
    return or_(*allowed)


def can_see(user, record: SlaRecord | None) -> bool:
    if record is None or not active(user):
        return False
    if sees_everything(user) or record.submitted_by_id == user.id:
        return True
    if record.visibility == "all_members":
        return True
    if record.visibility == "officers_only":
        return is_officer(user)
    return record.visibility == "own_lmc_only" and record.lmc_id == user.organisation_id


# -- Search scopes ----------------------------------------------------------------------------


def scope_of(record: SlaRecord) -> str:
    return {
        "all_members": "sla:members",
        "officers_only": "sla:officers",
    }.get(record.visibility, f"sla:lmc:{record.lmc_id}")


def scopes(user) -> list[str]:
    """The scope tokens ``user`` may find (records they submitted with a narrower
    visibility are found through the tracker, not search)."""
    if not active(user):
        return []
    if sees_everything(user):
        lmcs = db.session.scalars(
            select(SlaRecord.lmc_id).where(SlaRecord.visibility == "own_lmc_only").distinct()
        )
        return ["sla:members", "sla:officers", *(f"sla:lmc:{lmc}" for lmc in lmcs)]
    tokens = ["sla:members"]
    if is_officer(user):
        tokens.append("sla:officers")
    if user.organisation_id:
        tokens.append(f"sla:lmc:{user.organisation_id}")
    return tokens
