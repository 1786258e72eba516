"""Who may see mentor profiles and mentoring requests (domain.md §3.2, §3.5).

* A mentor profile shows in the directory by its ``directory_visibility``: ``all_members``
  to every active member, ``officers_staff`` to LMC officers and staff
  (``MENTORING_OFFICER_GROUPS``, or forum staff), ``coordinators_only`` to mentoring
  coordinators (``mentoring.coordinate``). A mentor always sees their own. Visitors who are
  not signed in see none.
* A request's content (goals, needs, preferences, notes) is for its requester and its matched
  mentor only, plus the invited mentor while the invitation is open: :func:`can_see_request`.
  Admins and coordinators are *not* parties: they get :func:`request_status` (state and
  dates, and only once the requester has consented to a coordinator seeing it).
* :func:`request_for` answers another person's request id with
  :class:`forum.errors.NotFound`, exactly as if it did not exist.
"""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy import false, or_, select

from forum.accounts.models import Group, GroupMembership
from forum.errors import NotFound
from forum.extensions import db
from forum.permissions import can

from . import vocabulary
from .models import MentoringRequest, MentorProfile

COORDINATE = "mentoring.coordinate"


def active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _in_officer_groups(user) -> bool:
    cache = g.setdefault("mentoring_officer", {})
    if user.id not in cache:
        names = current_app.config["MENTORING_OFFICER_GROUPS"]
        cache[user.id] = (
            db.session.scalar(
                select(Group.id)
                .join(GroupMembership, GroupMembership.group_id == Group.id)
                .where(GroupMembership.user_id == user.id, Group.name.in_(names))
                .limit(1)
            )
            is not None
        )
    return cache[user.id]


def is_coordinator(user) -> bool:
    """A mentoring coordinator: triages requests, sees their state, never their content."""
    return active(user) and can(user, COORDINATE)


def is_officer(user) -> bool:
    """An LMC officer or staff member (``MENTORING_OFFICER_GROUPS``), or forum staff."""
    if not active(user):
        return False
    return bool(user.is_staff) or _in_officer_groups(user)


def directory_visible(user):
    """A SQL condition on :class:`MentorProfile`: the profiles ``user`` may see."""
    if not active(user):
        return false()
    shown = ["all_members"]
    if is_officer(user):
        shown.append("officers_staff")
    if is_coordinator(user):
        shown.append("coordinators_only")
    return or_(MentorProfile.directory_visibility.in_(shown), MentorProfile.user_id == user.id)


def can_see_profile(user, profile: MentorProfile | None) -> bool:
    if profile is None or not active(user):
        return False
    if profile.user_id == user.id or profile.directory_visibility == "all_members":
        return True
    if profile.directory_visibility == "officers_staff":
        return is_officer(user) or is_coordinator(user)
    return is_coordinator(user)


def can_see_request(user, request: MentoringRequest | None) -> bool:
    """Whether ``user`` may read ``request``'s content: its requester, its matched mentor,
    or the mentor invited while the invitation is open. Never admins or coordinators as
    such."""
    if request is None or not active(user):
        return False
    if request.requester_id == user.id:
        return True
    if request.mentor_id is not None and request.mentor_id == user.id:
        return True
    return request.state == "mentor_invited" and request.invited_mentor_id == user.id


def request_for(user, request_id) -> MentoringRequest:
    """The request ``request_id`` if ``user`` may read it, else :class:`NotFound` (another
    person's request answers exactly as a request that does not exist)."""
    try:
        key = int(request_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    request = db.session.get(MentoringRequest, key)
    if not can_see_request(user, request):
        raise NotFound()
    return request


def can_see_status(user, request: MentoringRequest | None) -> bool:
    """Parties see their request's status; coordinators see it once the requester consented
    to a coordinator seeing it (and never a draft)."""
    if request is None or not active(user):
        return False
    if can_see_request(user, request):
        return True
    return is_coordinator(user) and request.consent_to_coordinator and request.state != "draft"


def request_status(user, request_id) -> dict:
    """State and dates of a request, nothing of its content (what coordinators get);
    :class:`NotFound` for anyone who may not see even that."""
    try:
        key = int(request_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    request = db.session.get(MentoringRequest, key)
    if not can_see_status(user, request):
        raise NotFound()
    return {
        "id": request.id,
        "state": request.state,
        "state_label": vocabulary.STATES.get(request.state, request.state),
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "closed_at": request.closed_at,
    }
