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

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Visibility:
    """What one person may see, reduced to values (worked out once per request): everything
    (staff), or whether they are an officer, their LMC, and the records they see only as
    their submitter. People with the same visibility see the same records, so it also keys
    the tracker's cached counts."""

    everything: bool
    officer: bool
    lmc_id: int | None
    own_ids: frozenset[int]


def visibility(user) -> Visibility:
    cache = g.setdefault("sla_visibility", {})
    key = getattr(user, "id", None)
    if key not in cache:
        cache[key] = _visibility(user)
    return cache[key]


def forget() -> None:
    """Drop this request's worked-out visibility (after a write that changes it)."""
    g.pop("sla_visibility", None)


def _visibility(user) -> Visibility:
    if sees_everything(user):
        return Visibility(True, True, None, frozenset())
    if not active(user):
        return Visibility(False, False, None, frozenset())
    seen = Visibility(False, is_officer(user), user.organisation_id, frozenset())
    own = db.session.scalars(
        select(SlaRecord.id).where(SlaRecord.submitted_by_id == user.id, ~_shared(seen))
    )
    return Visibility(seen.everything, seen.officer, seen.lmc_id, frozenset(own))


def _shared(seen: Visibility):
    """The records anyone with ``seen``'s access sees, submitter or not."""
    allowed = [SlaRecord.visibility == "all_members"]
    if seen.officer:
        allowed.append(SlaRecord.visibility == "officers_only")
    if seen.lmc_id:
        allowed.append(
            and_(SlaRecord.visibility == "own_lmc_only", SlaRecord.lmc_id == seen.lmc_id)
        )
    return or_(*allowed)


def visible(user):
    """A SQL condition on :class:`SlaRecord`: the records ``user`` may see."""
    if not active(user):
        return false()
    seen = visibility(user)
    if seen.everything:
        return true()
    if seen.own_ids:
        return or_(_shared(seen), SlaRecord.id.in_(sorted(seen.own_ids)))
    return _shared(seen)


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
