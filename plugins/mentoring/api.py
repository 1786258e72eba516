"""The mentoring directory's JSON endpoints, on the plugin's blueprint (``/mentoring``).

* ``GET /mentoring/mentors.json``: the directory as the caller may see it, with the page's
  filters (:func:`plugins.mentoring.views.parse_filters`: ``kind``, ``expertise``,
  ``audience``, ``nation``, ``mode``, ``language``, ``accepting_now``); an unknown value
  answers 400 ``invalid_parameters`` naming the filter.
* ``GET /mentoring/mentors/<user_id>.json``: one mentor's profile; 404 unless the caller may
  see it.
* ``GET /mentoring/requests.json``: the caller's own requests, as mentee and as mentor. The
  details (goals, needs, preferences) are sent only where the caller may read them
  (:func:`access.can_see_request`); otherwise the state and dates alone.
* ``GET /mentoring/requests/<id>.json``: one request with its details and notes; 404 for
  anyone but its parties, admins and coordinators included, exactly as for a request that
  does not exist.

Visitors who are not signed in get 403 ``not_logged_in``. Professional registration numbers
are never sent (they are for admins, on the admin pages). Errors are the core API's
(``{"errors": [...], "error_type": ...}``).
"""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import or_, select

from forum.accounts.models import User
from forum.api.serializers import timestamp
from forum.errors import NotFound, NotLoggedIn
from forum.extensions import db

from . import access, profiles, requests, vocabulary, workflow
from .models import MentoringRequest, MentorProfile, SessionNote
from .views import bp, organisation_names, parse_filters, people, qualifications

#: The largest id a database integer column holds: anything above it cannot exist.
MAX_ID = 2**31 - 1


def _signed_in():
    user = current_user._get_current_object()
    if not access.active(user):
        raise NotLoggedIn()
    return user


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def _labelled(values: list[str], labels: dict) -> list[dict]:
    return [{"value": value, "label": labels.get(value, value)} for value in values]


# -- Mentors ----------------------------------------------------------------------------------


def mentor_json(profile: MentorProfile, person, lmc: str | None, viewer) -> dict:
    """A profile as the API sends it (never the professional registration number)."""
    data = {
        "user": {
            "id": profile.user_id,
            "username": person.username if person else None,
            "name": person.name if person else None,
        },
        "url": f"/mentoring/mentors/{profile.user_id}",
        "organisation": {"id": profile.organisation_id, "name": lmc}
        if profile.organisation_id
        else None,
        "nation": profile.nation,
        "nation_label": profiles.NATIONS.get(profile.nation, profile.nation),
        "region": profile.region or None,
        "current_roles": profile.current_roles_text or None,
        "roles": _labelled(profile.values("role"), vocabulary.ROLES),
        "kinds": _labelled(profile.values("kind"), vocabulary.KINDS),
        "expertise": _labelled(profile.values("expertise"), profiles.EXPERTISE),
        "audiences": _labelled(profile.values("audience"), vocabulary.AUDIENCES),
        "modes": _labelled(profile.values("mode"), vocabulary.MODES),
        "languages": profile.values("language"),
        "years_experience": profile.years_experience,
        "years_in_role": profile.years_in_role,
        "qualifications": [
            {
                "name": q.get("name"),
                "awarding_body": q.get("awarding_body") or None,
                "year": q.get("year"),
                "verified": bool(q.get("verified")),
            }
            for q in qualifications(profile)
        ],
        "professional_body": profile.professional_body or None,
        "professional_verified": profile.professional_verified,
        "in_person_area": profile.in_person_area or None,
        "radius_km": profile.radius_km,
        "availability": profile.availability or None,
        "next_available_date": _day(profile.next_available_date),
        "capacity": profile.capacity_max,
        "active_count": profile.active_count,
        "accepting": profile.accepting,
        "full": profile.full,
        "taking_mentees": profile.taking_mentees,
        "prefers_out_of_area": profile.prefers_out_of_area,
        "has_supervision": profile.has_supervision,
        "bio": profile.bio,
        "is_demo": profile.is_demo,
        "updated_at": timestamp(profile.updated_at),
        "yours": profile.user_id == viewer.id,
    }
    if profile.user_id == viewer.id:
        data["directory_visibility"] = profile.directory_visibility
    return data


def _mentors_json(found: list[MentorProfile], viewer) -> list[dict]:
    who = people(p.user_id for p in found)
    lmcs = organisation_names(p.organisation_id for p in found)
    return [mentor_json(p, who.get(p.user_id), lmcs.get(p.organisation_id), viewer) for p in found]


@bp.get("/mentors.json")
def api_mentors():
    """The directory as the caller may see it, those taking mentees first."""
    user = _signed_in()
    filters = parse_filters(request.args)
    found = profiles.directory(user, filters)
    return jsonify({"mentors": _mentors_json(found, user), "total": len(found), "filters": filters})


@bp.get("/mentors/<int:user_id>.json")
def api_mentor(user_id: int):
    """One mentor's profile; 404 unless the caller may see it."""
    user = _signed_in()
    profile = None
    if user_id <= MAX_ID:
        profile = db.session.scalar(
            select(MentorProfile)
            .join(User, User.id == MentorProfile.user_id)
            .where(MentorProfile.user_id == user_id, User.status == "active")
        )
    if not access.can_see_profile(user, profile):
        raise NotFound()
    return jsonify({"mentor": _mentors_json([profile], user)[0]})


# -- Requests ---------------------------------------------------------------------------------


def _your_role(request_: MentoringRequest, user) -> str:
    return workflow.MENTEE if request_.requester_id == user.id else workflow.MENTOR


def _notes(request_: MentoringRequest, user) -> list[dict]:
    """The caller's own notes and the other party's shared ones."""
    notes = db.session.scalars(
        select(SessionNote)
        .where(
            SessionNote.request_id == request_.id,
            or_(SessionNote.author_id == user.id, SessionNote.shared.is_(True)),
        )
        .order_by(SessionNote.created_at, SessionNote.id)
    )
    return [
        {
            "id": note.id,
            "yours": note.author_id == user.id,
            "body": note.body,
            "shared": note.shared,
            "created_at": timestamp(note.created_at),
        }
        for note in notes
    ]


def request_json(request_: MentoringRequest, user, names: dict, *, full: bool = False) -> dict:
    """A request as its party sees it: state and dates always; the details only when
    :func:`access.can_see_request` (never for anyone else). ``names`` is :func:`people` of
    the requesters and mentors, fetched once for a list."""
    role = _your_role(request_, user)
    data = {
        "id": request_.id,
        "url": f"/mentoring/requests/{request_.id}",
        "your_role": role,
        "state": request_.state,
        "state_label": vocabulary.STATES.get(request_.state, request_.state),
        "created_at": timestamp(request_.created_at),
        "updated_at": timestamp(request_.updated_at),
        "started_at": timestamp(request_.started_at),
        "closed_at": timestamp(request_.closed_at),
    }
    if not access.can_see_request(user, request_):
        return data
    signposts = request_.wellbeing and request_.urgency == "urgent"
    if signposts:
        data = {
            "signposts": [
                {"name": name, "text": text, "url": url or None}
                for name, text, url in vocabulary.SIGNPOSTS
            ],
            **data,
        }
    mentor = names.get(request_.mentor_id or request_.invited_mentor_id)
    if role == workflow.MENTEE:
        other = (
            {"id": request_.mentor_id or request_.invited_mentor_id, "name": mentor.name}
            if mentor
            else None
        )
    else:
        mentee = names.get(request_.requester_id)
        if request_.pseudonym:
            other = {"id": None, "name": request_.pseudonym}
        else:
            other = {"id": request_.requester_id, "name": mentee.name} if mentee else None
    data.update(
        {
            "other_party": other,
            "details_erased": request_.details_purged_at is not None,
            "goals": request_.goals,
            "preferences": request_.preferences,
            "needs": _labelled(request_.values("need"), profiles.EXPERTISE),
            "kinds": _labelled(request_.values("kind"), vocabulary.KINDS),
            "modes": _labelled(request_.values("mode"), vocabulary.MODES),
            "languages": request_.values("language"),
            "urgency": request_.urgency,
            "wellbeing": request_.wellbeing,
            "role": request_.role or None,
            "audience": request_.audience or None,
            "nation": request_.nation or None,
            "out_of_area": request_.out_of_area,
            "nation_matters": request_.nation_matters,
            "sessions": request_.sessions,
        }
    )
    if role == workflow.MENTEE:
        data["pseudonym"] = request_.pseudonym or None
        data["consent_to_coordinator"] = request_.consent_to_coordinator
        data["shortlist"] = requests.shortlist_ids(request_)
    if full:
        data["next_states"] = workflow.next_states(request_.state, role)
        data["notes"] = _notes(request_, user)
    return data


def _names(found: list[MentoringRequest]) -> dict:
    return people(
        i
        for r in found
        for i in (r.requester_id, r.mentor_id, r.invited_mentor_id)
        if i is not None
    )


@bp.get("/requests.json")
def api_requests():
    """The caller's own requests: those they made, and those they mentor or are invited to."""
    user = _signed_in()
    found = list(
        db.session.scalars(
            select(MentoringRequest)
            .where(
                or_(
                    MentoringRequest.requester_id == user.id,
                    MentoringRequest.mentor_id == user.id,
                    MentoringRequest.invited_mentor_id == user.id,
                )
            )
            .order_by(MentoringRequest.updated_at.desc(), MentoringRequest.id.desc())
        )
    )
    names = _names(found)
    mine = [request_json(r, user, names) for r in found]
    return jsonify(
        {
            "as_mentee": [r for r in mine if r["your_role"] == workflow.MENTEE],
            "as_mentor": [r for r in mine if r["your_role"] == workflow.MENTOR],
        }
    )


@bp.get("/requests/<int:request_id>.json")
def api_request(request_id: int):
    """One request with its details and notes; 404 for anyone but its parties."""
    user = _signed_in()
    if request_id > MAX_ID:
        raise NotFound()
    found = access.request_for(user, request_id)
    return jsonify({"request": request_json(found, user, _names([found]), full=True)})
