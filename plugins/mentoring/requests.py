"""Mentoring requests: the only code that writes ``mentoring_request`` (domain.md §3.3–3.5).

Every change of state goes through :func:`move`, which asks :func:`workflow.check`, makes the
change as a conditional ``UPDATE … WHERE state = <the state it was read in>`` (so two people
acting on one request at once cannot both win), stores a :class:`RequestTransition` and sets
``updated_at``. Notifications say that something happened and link to the request; they
never carry its content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forum.accounts.models import User
from forum.database import utcnow
from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.notifications import notify

from . import access, matching, profiles, vocabulary, workflow
from .models import MentoringRequest, MentorProfile, RequestTag, RequestTransition, SessionNote
from .workflow import COORDINATOR, MENTEE, MENTOR, SYSTEM, TransitionRefused

GOALS_MAX = 4000
NOTE_MAX = 4000
#: How many mentors a coordinator puts on a shortlist.
OVERRIDE_MIN, OVERRIDE_MAX = 2, 3
#: States in which a coordinator may set the shortlist by hand.
OVERRIDE_STATES = frozenset({"triage", "shortlisted"})
PREFERENCES_MAX = 2000
PSEUDONYM_MAX = 60
#: States in which a mentor holds one of their places for the request.
HOLDING_STATES = frozenset({"matched", "active", "paused", "review_due"})
ANSWERED = "This invitation has already been answered."
CHANGED = "This request has changed since you opened it; reload it and try again."

__all__ = [
    "ANSWERED",
    "COORDINATOR",
    "MENTEE",
    "MENTOR",
    "SYSTEM",
    "TransitionRefused",
    "add_note",
    "answer",
    "make_shortlist",
    "move",
    "need_for",
    "notes_for",
    "override_shortlist",
    "pick",
    "purge_closed",
    "shortlist_ids",
    "submit",
]


# -- Submitting -------------------------------------------------------------------------------


def clean_request(user, form: Mapping) -> dict:
    errors: list[str] = []
    values: dict = {}
    needs = profiles.many(form, "needs")
    if not needs:
        errors.append("Choose at least one thing you would like help with.")
    values["need"] = profiles.choices(needs, profiles.EXPERTISE, "need", errors)
    values["kind"] = profiles.choices(
        profiles.many(form, "kinds"), vocabulary.KINDS, "kind of mentoring", errors
    )
    values["mode"] = profiles.choices(
        profiles.many(form, "modes"), vocabulary.MODES, "way of meeting", errors
    )
    values["language"] = profiles.languages(profiles.many(form, "languages"), errors)

    goals = profiles.text(form, "goals")
    if not goals:
        errors.append("Say briefly what you hope to get from mentoring.")
    elif len(goals) > GOALS_MAX:
        errors.append(f"Keep your goals to {GOALS_MAX:,} characters (they have {len(goals):,}).")
    values["goals"] = goals
    preferences = profiles.text(form, "preferences")
    if len(preferences) > PREFERENCES_MAX:
        errors.append(f"Keep your preferences to {PREFERENCES_MAX:,} characters.")
    values["preferences"] = preferences

    urgency = profiles.text(form, "urgency") or "routine"
    if urgency not in vocabulary.URGENCY:
        errors.append(f"Unknown urgency: {urgency[:20]}.")
    values["urgency"] = urgency

    role = profiles.text(form, "role")
    if role and role not in vocabulary.ROLES:
        errors.append(f"Unknown role: {role[:30]}.")
    values["role"] = role
    audience = profiles.text(form, "audience")
    if audience and audience not in vocabulary.AUDIENCES:
        errors.append(f"Unknown audience: {audience[:30]}.")
    values["audience"] = audience
    nation = profiles.text(form, "nation").lower()
    if nation and nation not in profiles.NATIONS:
        errors.append(f"Unknown nation: {nation[:30]}.")
    values["nation"] = nation

    values["wellbeing"] = profiles.flag(form, "wellbeing")
    values["out_of_area"] = profiles.flag(form, "out_of_area")
    values["nation_matters"] = profiles.flag(form, "nation_matters")
    values["consent_to_coordinator"] = profiles.flag(form, "consent_to_coordinator")

    pseudonym = profiles.text(form, "pseudonym")
    pastoral = values["wellbeing"] or "pastoral_support" in values["kind"]
    if pseudonym and not pastoral:
        errors.append("A pseudonym can be used for pastoral (wellbeing) requests only.")
    elif len(pseudonym) > PSEUDONYM_MAX:
        errors.append(f"A pseudonym can be at most {PSEUDONYM_MAX} characters.")
    values["pseudonym"] = pseudonym
    if errors:
        raise ValidationFailed(*errors)
    return values


def build(user, values: dict, at) -> MentoringRequest:
    """A draft request of ``user`` from checked values (:func:`clean_request`), made at
    ``at``, added and flushed (not committed)."""
    request = MentoringRequest(
        requester_id=user.id,
        organisation_id=getattr(user, "organisation_id", None),
        state="draft",
        shortlist="[]",
        created_at=at,
        updated_at=at,
        consent_at=at if values["consent_to_coordinator"] else None,
        **{name: values[name] for name in REQUEST_FIELDS},
    )
    request.tags = [
        RequestTag(facet=facet, value=value)
        for facet in ("need", "kind", "mode", "language")
        for value in values[facet]
    ]
    db.session.add(request)
    db.session.flush()
    return request


#: Checked values copied as they are onto a request.
REQUEST_FIELDS = (
    "pseudonym", "role", "nation", "audience", "goals", "preferences", "urgency",
    "wellbeing", "out_of_area", "nation_matters", "consent_to_coordinator",
)  # fmt: skip


def submit(user, form: Mapping) -> MentoringRequest:
    """Record ``user``'s request and submit it (committed); the caller then asks for a
    :func:`make_shortlist`. Consent to a coordinator seeing it is timestamped."""
    if not access.active(user):
        raise ValidationFailed("Only active members can ask for a mentor.")
    values = clean_request(user, form)
    request = build(user, values, utcnow())
    move(request, "submitted", user, MENTEE)
    db.session.commit()
    return request


# -- The one way a state changes --------------------------------------------------------------


def move(
    request: MentoringRequest,
    target: str,
    actor,
    role: str,
    *,
    guard=(),
    values: Mapping | None = None,
    lost: str = CHANGED,
    at: datetime | None = None,
) -> RequestTransition:
    """Move ``request`` to ``target`` as ``actor`` (``None`` for the system) in ``role``.

    Raises :class:`workflow.TransitionRefused` for a move the workflow does not allow, and
    (with message ``lost``) when the request is no longer in the state it was read in (or
    ``guard``, extra SQL conditions, fails): then the session is rolled back and nothing
    changes. ``values`` are other columns set in the same ``UPDATE``. Does not commit.
    """
    state = request.state
    workflow.check(state, target, role)
    now = at or utcnow()
    changes = {"state": target, "updated_at": now, **(values or {})}
    if target in workflow.TERMINAL_STATES:
        changes["closed_at"] = now
    if target == "active" and (request.started_at is None or request.state == "review_due"):
        # A first start, or a renewal after review: the next review counts from now.
        changes["started_at"] = now
        changes["sessions"] = 0
    db.session.flush()
    result = db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.id == request.id, MentoringRequest.state == state, *guard)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise TransitionRefused(lost, state=state, target=target, role=role)
    for name, value in changes.items():
        set_committed_value(request, name, value)
    if state in HOLDING_STATES and target not in HOLDING_STATES and request.mentor_id:
        _release_place(request.mentor_id)
    transition = RequestTransition(
        request_id=request.id,
        from_state=state,
        to_state=target,
        actor_id=getattr(actor, "id", None),
        role=role,
        at=now,
    )
    db.session.add(transition)
    return transition


def _release_place(mentor_id: int) -> None:
    db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.user_id == mentor_id, MentorProfile.active_count > 0)
        .values(active_count=MentorProfile.active_count - 1)
        .execution_options(synchronize_session=False)
    )
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor_id))
    if profile is not None:
        db.session.refresh(profile, ["active_count"])


# -- Matching ---------------------------------------------------------------------------------


def need_for(request: MentoringRequest) -> matching.Need:
    return matching.Need(
        requester_id=request.requester_id or 0,
        organisation_id=request.organisation_id,
        nation=request.nation,
        kinds=frozenset(request.values("kind")),
        needs=frozenset(request.values("need")),
        audience=request.audience or None,
        modes=frozenset(request.values("mode")),
        languages=frozenset(request.values("language")),
        out_of_area=request.out_of_area,
        nation_matters=request.nation_matters,
    )


def shortlist_ids(request: MentoringRequest) -> list[int]:
    try:
        ids = json.loads(request.shortlist or "[]")
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, int)]


def _candidate_profiles(exclude_user_id: int | None) -> list[MentorProfile]:
    """Every profile that could take a mentee now, in one query (tags and exclusions by
    ``selectin``)."""
    query = (
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .options(selectinload(MentorProfile.exclusions))
        .where(
            User.status == "active",
            MentorProfile.accepting.is_(True),
            MentorProfile.active_count < MentorProfile.capacity_max,
        )
        .order_by(MentorProfile.id)
    )
    if exclude_user_id is not None:
        query = query.where(MentorProfile.user_id != exclude_user_id)
    return list(db.session.scalars(query))


def make_shortlist(request: MentoringRequest, actor=None, role: str = SYSTEM) -> list[int]:
    """Rank the mentors for ``request`` (:func:`matching.shortlist`), store the best 2–3 and
    move it to ``shortlisted``; with nobody suitable it goes to a coordinator (``triage``)
    when the workflow allows. Committed; returns the mentor user ids offered."""
    mentors = [profiles.mentor_for_matching(p) for p in _candidate_profiles(request.requester_id)]
    chosen = [c.mentor.user_id for c in matching.shortlist(mentors, need_for(request))]
    if not chosen and workflow.allowed(request.state, "triage", role):
        move(request, "triage", actor, role, values={"shortlist": "[]"})
    else:
        move(request, "shortlisted", actor, role, values={"shortlist": json.dumps(chosen)})
    db.session.commit()
    return chosen


_PICK_REFUSALS = {
    "at capacity": "This mentor has no place for a new mentee just now; choose another.",
    "not accepting requests": "This mentor is not taking new mentees just now; choose another.",
    "takes no mentees": "This mentor is not taking new mentees just now; choose another.",
    "excludes the requester's organisation": (
        "This mentor cannot take requests from your organisation; choose another."
    ),
}


def pick(user, request: MentoringRequest, mentor_user_id) -> MentoringRequest:
    """The mentee chooses a mentor from their shortlist, who is invited and notified."""
    if not access.active(user) or request.requester_id != user.id:
        raise NotFound()
    try:
        mentor_id = int(mentor_user_id)
    except (TypeError, ValueError):
        raise ValidationFailed("Choose a mentor from your shortlist.") from None
    if mentor_id == user.id:
        raise ValidationFailed("You cannot ask yourself to be your mentor.")
    workflow.check(request.state, "mentor_invited", MENTEE)
    if mentor_id not in shortlist_ids(request):
        raise ValidationFailed("Choose a mentor from your shortlist.")
    profile = db.session.scalar(
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .options(selectinload(MentorProfile.exclusions))
        .where(MentorProfile.user_id == mentor_id, User.status == "active")
    )
    if profile is None:
        raise ValidationFailed("This mentor is no longer in the directory; choose another.")
    ok, why = matching.eligible(profiles.mentor_for_matching(profile), need_for(request))
    if not ok:
        raise ValidationFailed(
            _PICK_REFUSALS.get(why, f"This mentor cannot be asked ({why}); choose another.")
        )
    move(request, "mentor_invited", user, MENTEE, values={"invited_mentor_id": mentor_id})
    notify(
        mentor_id,
        "mentoring.request",
        message="Someone asks you to be their mentor",
        url=f"/mentoring/requests/{request.id}",
        dedupe_key=f"mentoring.request:{request.id}:invite:{mentor_id}",
    )
    db.session.commit()
    return request


_OVERRIDE_REFUSALS = {
    "the requester themselves": "is the member who asked",
    "takes no mentees": "is not taking mentees",
    "not accepting requests": "is not taking mentees just now",
    "at capacity": "has no free place",
    "excludes the requester's organisation": "has a conflict of interest",
}


def override_shortlist(coordinator, request: MentoringRequest, mentor_user_ids) -> list[int]:
    """A coordinator sets the shortlist of a request in ``triage`` or ``shortlisted`` to 2–3
    mentors of their choosing (committed). Each must be an active member with a profile,
    taking mentees and eligible (:func:`matching.eligible`: a free place, no conflict of
    interest, not the member who asked). A request in ``triage`` moves to ``shortlisted``;
    either way the change is stored as a transition by a coordinator. The coordinator never
    sees the request's content, and the messages here say nothing of it.

    :class:`NotFound` for someone who is not a coordinator or a request they may not see the
    state of; :class:`ValidationFailed` listing every problem with the mentors chosen."""
    if not access.is_coordinator(coordinator) or not access.can_see_status(coordinator, request):
        raise NotFound()
    if request.state not in OVERRIDE_STATES:
        raise ValidationFailed(
            "A coordinator can set the shortlist only while a request is being triaged "
            "or waiting for the mentee to choose."
        )
    ids: list[int] = []
    for raw in mentor_user_ids:
        try:
            key = int(raw)
        except (TypeError, ValueError):
            raise ValidationFailed("Choose mentors from the directory.") from None
        if key not in ids:
            ids.append(key)
    if not OVERRIDE_MIN <= len(ids) <= OVERRIDE_MAX:
        raise ValidationFailed(f"Choose {OVERRIDE_MIN} or {OVERRIDE_MAX} different mentors.")
    found = {
        p.user_id: p
        for p in db.session.scalars(
            select(MentorProfile)
            .join(User, User.id == MentorProfile.user_id)
            .options(selectinload(MentorProfile.exclusions))
            .where(MentorProfile.user_id.in_(ids), User.status == "active")
        )
    }
    names = dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    need = need_for(request)
    errors: list[str] = []
    for key in ids:
        name = names.get(key) or f"Member {key}"
        profile = found.get(key)
        if profile is None:
            errors.append(f"{name} is not a mentor in the directory.")
            continue
        ok, why = matching.eligible(profiles.mentor_for_matching(profile), need)
        if not ok:
            errors.append(f"{name} cannot be offered: {_OVERRIDE_REFUSALS.get(why, why)}.")
    if errors:
        raise ValidationFailed(*errors)
    values = {"shortlist": json.dumps(ids)}
    if request.state == "triage":
        move(request, "shortlisted", coordinator, COORDINATOR, values=values)
    else:
        _reshortlist(request, coordinator, values)
    if request.requester_id is not None:
        notify(
            request.requester_id,
            "mentoring.request",
            message="A mentoring coordinator has suggested mentors for you",
            url=f"/mentoring/requests/{request.id}",
            dedupe_key=f"mentoring.request:{request.id}:shortlist:{'-'.join(map(str, ids))}",
        )
    db.session.commit()
    return ids


def _reshortlist(request: MentoringRequest, coordinator, values: Mapping) -> None:
    """Replace the shortlist of a request already ``shortlisted`` (a conditional ``UPDATE``,
    as :func:`move` makes), storing the change as a ``shortlisted → shortlisted`` transition."""
    now = utcnow()
    changes = {**values, "updated_at": now}
    db.session.flush()
    result = db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.id == request.id, MentoringRequest.state == "shortlisted")
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise TransitionRefused(
            CHANGED, state=request.state, target="shortlisted", role=COORDINATOR
        )
    for name, value in changes.items():
        set_committed_value(request, name, value)
    db.session.add(
        RequestTransition(
            request_id=request.id,
            from_state="shortlisted",
            to_state="shortlisted",
            actor_id=coordinator.id,
            role=COORDINATOR,
            at=now,
        )
    )


def answer(user, request: MentoringRequest, accept: bool) -> MentoringRequest:
    """The invited mentor accepts or declines. Of two answers racing, exactly one wins: the
    change is ``UPDATE … WHERE state = 'mentor_invited' AND invited_mentor_id = <me>``, and
    the loser gets :class:`ValidationFailed` (:data:`ANSWERED`) with nothing changed. A
    decline sends the request back to the shortlist, without the mentor who declined."""
    if not access.active(user):
        raise NotFound()
    if request.invited_mentor_id != user.id and request.mentor_id != user.id:
        raise NotFound()
    if request.state != "mentor_invited" or request.invited_mentor_id != user.id:
        raise ValidationFailed(ANSWERED)
    guard = (MentoringRequest.invited_mentor_id == user.id,)
    try:
        if accept:
            move(
                request, "matched", user, MENTOR, guard=guard,
                values={"mentor_id": user.id}, lost=ANSWERED,
            )  # fmt: skip
            taken = db.session.execute(
                update(MentorProfile)
                .where(
                    MentorProfile.user_id == user.id,
                    MentorProfile.active_count < MentorProfile.capacity_max,
                )
                .values(active_count=MentorProfile.active_count + 1)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount != 1:
                db.session.rollback()
                raise ValidationFailed(
                    "You have no free place for a new mentee; raise your capacity or decline."
                )
            profile = profiles.profile_of(user.id)
            if profile is not None:
                db.session.refresh(profile, ["active_count"])
        else:
            remaining = [i for i in shortlist_ids(request) if i != user.id]
            move(
                request, "declined", user, MENTOR, guard=guard,
                values={"invited_mentor_id": None, "shortlist": json.dumps(remaining)},
                lost=ANSWERED,
            )  # fmt: skip
            move(request, "shortlisted", None, SYSTEM)
    except TransitionRefused as refused:
        raise ValidationFailed(refused.message) from None
    if request.requester_id is not None:
        outcome = "accepted" if accept else "declined"
        notify(
            request.requester_id,
            "mentoring.answer",
            message=(
                "A mentor has accepted your request"
                if accept
                else "A mentor could not take your request; choose another from your shortlist"
            ),
            url=f"/mentoring/requests/{request.id}",
            dedupe_key=f"mentoring.answer:{request.id}:{user.id}:{outcome}",
        )
    db.session.commit()
    return request


# -- Erasing ----------------------------------------------------------------------------------


# -- Session notes ----------------------------------------------------------------------------


def _party(user, request: MentoringRequest) -> MentoringRequest:
    """``request`` if ``user`` is its mentee or its matched mentor, else :class:`NotFound`
    (admins and coordinators included: notes are for the pair only)."""
    found = access.request_for(user, request.id)
    if found.mentor_id is None or user.id not in (found.requester_id, found.mentor_id):
        raise NotFound()
    return found


def add_note(user, request: MentoringRequest, body, shared: bool) -> SessionNote:
    """The mentee or the matched mentor keeps a note of a session (committed): private to
    them, or shared with the other party. Notes go to nobody else, in no search, export or
    notification, and are erased with the request's details (:func:`purge_closed`)."""
    found = _party(user, request)
    if found.state not in HOLDING_STATES or found.details_purged_at is not None:
        raise ValidationFailed("Notes can be kept only while mentoring is under way.")
    text = (body or "").strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationFailed("Write something in your note.")
    if len(text) > NOTE_MAX:
        raise ValidationFailed(f"Keep a note to {NOTE_MAX:,} characters (it has {len(text):,}).")
    note = SessionNote(
        request_id=found.id, author_id=user.id, body=text, shared=bool(shared), created_at=utcnow()
    )
    db.session.add(note)
    db.session.commit()
    return note


def notes_for(user, request: MentoringRequest) -> list[SessionNote]:
    """``user``'s own notes on ``request`` and the other party's shared ones, oldest first;
    :class:`NotFound` for anyone but the mentee and the matched mentor."""
    found = _party(user, request)
    return list(
        db.session.scalars(
            select(SessionNote)
            .where(
                SessionNote.request_id == found.id,
                or_(
                    SessionNote.author_id == user.id,
                    and_(SessionNote.shared.is_(True), SessionNote.author_id != user.id),
                ),
            )
            .order_by(SessionNote.created_at, SessionNote.id)
        )
    )


def purge_closed(now: datetime | None = None) -> int:
    """Erase the details (goals, preferences, pseudonym, tags, session notes) of requests
    closed more than ``MENTORING_PURGE_AFTER_MONTHS`` ago, keeping state and dates; returns
    how many requests were purged (committed)."""
    now = now or utcnow()
    months = int(current_app.config["MENTORING_PURGE_AFTER_MONTHS"])
    cutoff = workflow.add_months(now, -months)
    ids = list(
        db.session.scalars(
            select(MentoringRequest.id).where(
                MentoringRequest.closed_at.is_not(None),
                MentoringRequest.closed_at <= cutoff,
                MentoringRequest.details_purged_at.is_(None),
            )
        )
    )
    if not ids:
        return 0
    db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.id.in_(ids))
        .values(goals="", preferences="", pseudonym="", details_purged_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(RequestTag)
        .where(RequestTag.request_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(SessionNote)
        .where(SessionNote.request_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire_all()
    return len(ids)
