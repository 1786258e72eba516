"""The mentoring directory's pages (HTML): the directory of mentors, a mentor's page, the
signed-in member's own mentor profile, asking for a mentor (with signposting first for an
urgent wellbeing request), their requests, one request's page with its actions, and the
coordinators' status table.

Reads go through :mod:`plugins.mentoring.profiles` and :mod:`plugins.mentoring.access`,
writes through :mod:`plugins.mentoring.profiles` and :mod:`plugins.mentoring.requests`.
Confidentiality (domain.md §3.5): a request's page is drawn only for its parties
(:func:`access.request_for`, 404 for anyone else, admins and coordinators included), and the
coordinators' table shows state and dates only, with a form to set a request's shortlist by
mentors' usernames. Session notes are shown to, and taken from, the mentee and the matched
mentor only (:func:`requests.notes_for`, :func:`requests.add_note`). Coordinators verify a
mentor's qualifications from the mentor's page.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.datastructures import MultiDict

from forum.accounts.models import Organisation, User
from forum.errors import InvalidAccess, InvalidParameters, NotFound, NotLoggedIn, ValidationFailed
from forum.extensions import db
from forum.hooktypes import ListView, Panel

from . import access, matching, profiles, requests, vocabulary, workflow
from .models import MentoringRequest, MentorProfile, RequestTransition

bp = Blueprint("mentoring", __name__)

#: The most requests listed on the coordinators' table.
MAX_COORDINATE_ROWS = 500
#: Needs that make an urgent request a wellbeing one (signposting first).
PASTORAL_NEEDS = frozenset({"wellbeing"})
PASTORAL_KINDS = frozenset({"pastoral_support"})
#: Button labels for the moves a party may make on a matched request.
MOVE_LABELS = {
    "active": "Confirm our agreement: mentoring is active",
    "paused": "Pause mentoring",
    "completed": "Mark as completed",
    "rematch_requested": "Ask for a different mentor",
    "withdrawn": "Withdraw this request",
}
ROLE_LABELS = {
    workflow.MENTEE: "Mentee",
    workflow.MENTOR: "Mentor",
    workflow.COORDINATOR: "Coordinator",
    workflow.SYSTEM: "LMC Hub",
}


# -- Template helpers -------------------------------------------------------------------------


@bp.app_template_global("mentoring_vocabulary")
def mentoring_vocabulary():
    """The vocabularies, for labels in templates."""
    return SimpleNamespace(
        KINDS=vocabulary.KINDS,
        ROLES=vocabulary.ROLES,
        EXPERTISE=profiles.EXPERTISE,
        AUDIENCES=vocabulary.AUDIENCES,
        MODES=vocabulary.MODES,
        NATIONS=profiles.NATIONS,
        STATES=vocabulary.STATES,
        URGENCY=vocabulary.URGENCY,
        DIRECTORY_VISIBILITY=vocabulary.DIRECTORY_VISIBILITY,
        SIGNPOSTS=vocabulary.SIGNPOSTS,
        MOVE_LABELS=MOVE_LABELS,
        ROLE_LABELS=ROLE_LABELS,
    )


@bp.app_template_filter("mentoring_date")
def format_date(value) -> str:
    """``2 December 2026`` (empty for none)."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def qualifications(profile: MentorProfile) -> list[dict]:
    """A profile's qualifications as dicts (an unreadable value reads as none)."""
    try:
        found = json.loads(profile.qualifications or "[]")
    except ValueError:
        return []
    return [q for q in found if isinstance(q, dict) and q.get("name")]


@bp.app_template_global("mentoring_qualifications")
def _qualifications(profile):
    return qualifications(profile)


@bp.app_template_global("mentoring_availability")
def availability(profile: MentorProfile) -> tuple[str, str]:
    """``(css key, label)``: accepting, full, or not accepting now."""
    if not profile.accepting:
        return "off", "Not accepting now"
    if profile.full:
        return "full", "Full"
    return "open", "Accepting"


@bp.app_template_global("mentoring_person")
def card_person(profile: MentorProfile) -> SimpleNamespace:
    """The name and LMC shown on a mentor card under a post. Names for every profile the
    page has asked about so far are kept for the request; a caller drawing many cards can
    fill the cache for all of them at once with :func:`remember_people`."""
    cache = g.setdefault("mentoring_people", {})
    if profile.user_id not in cache:
        remember_people([profile])
    return cache.get(profile.user_id) or SimpleNamespace(name="A member", lmc="")


def remember_people(found) -> None:
    """Look up the names and LMCs of ``found`` profiles' members in one query each."""
    cache = g.setdefault("mentoring_people", {})
    found = [p for p in found if p.user_id not in cache]
    if not found:
        return
    who = people(p.user_id for p in found)
    lmcs = organisation_names(p.organisation_id for p in found)
    for p in found:
        person = who.get(p.user_id)
        cache[p.user_id] = SimpleNamespace(
            name=person.name if person else "A member", lmc=lmcs.get(p.organisation_id, "")
        )


# -- Helpers ----------------------------------------------------------------------------------


def _user():
    return current_user._get_current_object()


def _require_member(what: str):
    user = _user()
    if not access.active(user):
        raise NotLoggedIn(f"Please sign in to {what}.")
    return user


def people(user_ids) -> dict[int, SimpleNamespace]:
    """``{user id: (name, organisation)}`` for ``user_ids``, in one query."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.username, User.name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(User.id.in_(ids))
    )
    return {
        row[0]: SimpleNamespace(username=row[1], name=row[2] or row[1], organisation=row[3] or "")
        for row in rows
    }


def organisation_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return dict(rows.all())


def _cards(found: list[MentorProfile]) -> list[SimpleNamespace]:
    """Profiles with their member's name and LMC (one query for the lot)."""
    who = people(p.user_id for p in found)
    lmcs = organisation_names(p.organisation_id for p in found)
    return [
        SimpleNamespace(
            profile=p,
            person=who.get(p.user_id),
            lmc=lmcs.get(p.organisation_id, ""),
        )
        for p in found
    ]


_FILTERS = {
    "kind": vocabulary.KINDS,
    "expertise": profiles.EXPERTISE,
    "audience": vocabulary.AUDIENCES,
    "nation": profiles.NATIONS,
    "mode": vocabulary.MODES,
}


def parse_filters(args) -> dict:
    """The directory's filters from a query string; :class:`InvalidParameters` (400) for an
    unknown value."""
    filters: dict = {}
    for name, allowed in _FILTERS.items():
        value = (args.get(name) or "").strip()
        if value:
            if value not in allowed:
                raise InvalidParameters(name)
            filters[name] = value
    language = (args.get("language") or "").strip()
    if language:
        errors: list[str] = []
        profiles.languages([language], errors)
        if errors:
            raise InvalidParameters("language")
        filters["language"] = language
    accepting = (args.get("accepting_now") or "").strip().lower()
    if accepting:
        if accepting not in {"1", "0", "true", "false", "on", "yes", "no"}:
            raise InvalidParameters("accepting_now")
        if accepting in {"1", "true", "on", "yes"}:
            filters["accepting_now"] = "1"
    return filters


def _directory_context(user, filters: dict, base_url: str, category=None) -> dict:
    signed_in = access.active(user)
    found = profiles.directory(user, filters) if signed_in else []
    return {
        "mentors": _cards(found),
        "filters": filters,
        "base_url": base_url,
        "category": category,
        "signed_in": signed_in,
        "has_profile": signed_in and profiles.profile_of(user.id) is not None,
    }


# -- Hooks' views (called from __init__.py) ---------------------------------------------------


def directory_list_view(category, user, page: int = 1) -> ListView:
    """The directory instead of a category's topic list (filters from the query string;
    unknown ones are ignored there rather than refusing the category page)."""
    try:
        filters = parse_filters(request.args)
    except InvalidParameters:
        filters = {}
    return ListView(
        key="mentoring.directory",
        template="mentoring/_directory.html",
        context=_directory_context(user, filters, request.path, category),
    )


def profile_panel(profile_user, viewer) -> list[Panel]:
    """The mentor card on a member's profile, when the viewer may see their profile."""
    profile = profiles.profile_of(profile_user.id)
    if not access.can_see_profile(viewer, profile):
        return []
    card = _cards([profile])[0]
    return [
        Panel(
            key="mentoring.profile",
            title="Mentoring",
            template="mentoring/_profile_card.html",
            context={"card": card, "own": viewer.id == profile_user.id},
            order=60,
        )
    ]


# -- The directory ----------------------------------------------------------------------------


@bp.get("/")
def index():
    """The directory of mentors and buddies, filtered by the query string."""
    user = _user()
    filters = parse_filters(request.args)
    panel = SimpleNamespace(context=_directory_context(user, filters, url_for("mentoring.index")))
    return render_template("mentoring/index.html", panel=panel)


@bp.get("/mentors/<int:user_id>")
def mentor(user_id):
    """One mentor's entry in the directory (404 unless the viewer may see it)."""
    user = _user()
    profile = profiles.profile_of(user_id)
    if not access.can_see_profile(user, profile):
        raise NotFound()
    card = _cards([profile])[0]
    checkable = []
    if access.is_coordinator(user):
        checkable = [
            (index, q)
            for index, q in enumerate(profiles.qualification_list(profile))
            if isinstance(q, dict) and q.get("name")
        ]
    return render_template(
        "mentoring/mentor.html", card=card, own=user.id == user_id, checkable=checkable
    )


@bp.post("/mentors/<int:user_id>/qualifications/<int:index>/verify")
def verify_qualification(user_id, index):
    """A coordinator marks one of a mentor's qualifications as checked (``verified=1``) or
    not (``verified=0``)."""
    user = _require_member("verify qualifications")
    profile = profiles.profile_of(user_id)
    if profile is None or not access.can_see_profile(user, profile):
        raise NotFound()
    raw = (request.form.get("verified") or "").strip()
    if raw not in {"0", "1"}:
        raise InvalidParameters("verified")
    found = profiles.verify_qualification(user, profile, index, raw == "1")
    state = "verified" if found["verified"] else "not verified"
    flash(f"{found.get('name') or 'The qualification'} is now marked {state}.", "success")
    return redirect(url_for("mentoring.mentor", user_id=user_id), 303)


# -- The member's own profile -----------------------------------------------------------------


def _profile_form(profile: MentorProfile | None) -> MultiDict:
    """The profile form's values as a browser would send them."""
    if profile is None:
        return MultiDict({"accepting": "1", "capacity": "1", "directory_visibility": "all_members"})
    pairs: list[tuple[str, str]] = []
    for name, (facet, _allowed, _required) in profiles.FACETS.items():
        pairs += [(name, value) for value in profile.values(facet)]
    for name in (
        "nation", "directory_visibility", "bio", "region", "current_roles_text",
        "in_person_area", "availability",
    ):  # fmt: skip
        pairs.append((name, getattr(profile, name) or ""))
    pairs.append(("capacity", str(profile.capacity_max)))
    for name in ("years_experience", "years_in_role", "radius_km"):
        value = getattr(profile, name)
        pairs.append((name, "" if value is None else str(value)))
    if profile.organisation_id is not None:
        pairs.append(("organisation", str(profile.organisation_id)))
    pairs += [("excluded_organisations", str(e.organisation_id)) for e in profile.exclusions]
    for name in ("accepting", "prefers_out_of_area", "has_supervision"):
        if getattr(profile, name):
            pairs.append((name, "1"))
    return MultiDict(pairs)


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """The signed-in member's own mentor profile: offer to mentor, or change the offer."""
    user = _require_member("offer to mentor")
    existing = profiles.profile_of(user.id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = request.form.copy()
        # An unticked box sends nothing: say so, or the service keeps its default.
        form.setdefault("accepting", "0")
        try:
            profiles.save_profile(user, form)
        except ValidationFailed as error:
            db.session.rollback()
            errors, status = error.messages, 422
            values = request.form
        else:
            flash("Your mentor profile is saved.", "success")
            return redirect(url_for("mentoring.profile"), 303)
    else:
        values = _profile_form(existing)
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    return (
        render_template(
            "mentoring/profile.html",
            form=values,
            errors=list(errors),
            existing=existing,
            organisations=organisations,
        ),
        status,
    )


# -- Asking for a mentor ----------------------------------------------------------------------


def needs_signposting(form) -> bool:
    """An urgent request about the requester's wellbeing (or pastoral support)."""
    if (form.get("urgency") or "").strip() != "urgent":
        return False
    return bool(
        profiles.flag(form, "wellbeing")
        or PASTORAL_NEEDS & set(profiles.many(form, "needs"))
        or PASTORAL_KINDS & set(profiles.many(form, "kinds"))
    )


@bp.route("/ask", methods=["GET", "POST"])
def ask():
    """The request form. An urgent wellbeing request shows where to get help first; it is
    stored only once the member chooses to continue."""
    user = _require_member("ask for a mentor")
    if request.method == "GET":
        return _ask_page(MultiDict({"urgency": "routine"}))
    form = request.form
    if needs_signposting(form) and form.get("signposted_seen") != "1":
        return render_template("mentoring/signpost.html", form=form)
    try:
        created = requests.submit(user, form)
    except ValidationFailed as error:
        db.session.rollback()
        return _ask_page(form, errors=error.messages, status=422)
    try:
        chosen = requests.make_shortlist(created, None, workflow.SYSTEM)
    except workflow.TransitionRefused as refused:
        flash(refused.message, "error")
        chosen = []
    if chosen:
        flash("Your request is in: choose a mentor from your shortlist.", "success")
    else:
        flash(
            "Your request is in. Nobody suitable is free just now, so a mentoring "
            "coordinator will look for a mentor for you.",
            "info",
        )
    return redirect(url_for("mentoring.request_page", request_id=created.id), 303)


def _ask_page(form, *, errors=(), status=200):
    return render_template("mentoring/ask.html", form=form, errors=list(errors)), status


# -- The member's requests --------------------------------------------------------------------


@bp.get("/requests")
def my_requests():
    """The member's requests as mentee, and those they mentor or are invited to."""
    user = _require_member("see your mentoring requests")
    own = list(
        db.session.scalars(
            select(MentoringRequest)
            .where(MentoringRequest.requester_id == user.id)
            .order_by(MentoringRequest.created_at.desc(), MentoringRequest.id.desc())
        )
    )
    mentoring = list(
        db.session.scalars(
            select(MentoringRequest)
            .where(
                or_(
                    MentoringRequest.mentor_id == user.id,
                    (MentoringRequest.state == "mentor_invited")
                    & (MentoringRequest.invited_mentor_id == user.id),
                )
            )
            .order_by(MentoringRequest.updated_at.desc(), MentoringRequest.id.desc())
        )
    )
    return render_template("mentoring/requests.html", own=own, mentoring=mentoring, me=user)


# -- One request ------------------------------------------------------------------------------


def role_of(user, found: MentoringRequest) -> str:
    return workflow.MENTEE if found.requester_id == user.id else workflow.MENTOR


def _shortlist(found: MentoringRequest) -> list[SimpleNamespace]:
    """The mentors offered, best first, with the reasons matching gives."""
    ids = requests.shortlist_ids(found)
    if not ids:
        return []
    rows = {
        p.user_id: p
        for p in db.session.scalars(select(MentorProfile).where(MentorProfile.user_id.in_(ids)))
    }
    need = requests.need_for(found)
    cards = _cards([rows[i] for i in ids if i in rows])
    for card in cards:
        candidate = matching.score(profiles.mentor_for_matching(card.profile), need)
        card.reasons = [_reason(r) for r in candidate.reasons]
        card.taking = card.profile.taking_mentees
    return cards


def _reason(reason: str) -> str:
    """A matching reason with its keys replaced by labels."""
    head, sep, tail = reason.partition(": ")
    if not sep:
        return reason
    labels = {
        **profiles.EXPERTISE,
        **vocabulary.AUDIENCES,
        **vocabulary.MODES,
        **profiles.NATIONS,
    }
    named = ", ".join(labels.get(part, part) for part in tail.split(", "))
    return f"{head.capitalize()}: {named}"


def _matched(found: MentoringRequest) -> bool:
    return found.mentor_id is not None and found.state not in {"mentor_invited", "declined"}


def allowed_moves(user, found: MentoringRequest) -> list[str]:
    """The buttons ``user`` gets on ``found``: moves the workflow allows their role, among
    those this page offers (accepting and declining have their own buttons, so that the
    mentor's place is counted); before a match, only withdrawing (for the mentee)."""
    role = role_of(user, found)
    if role == workflow.MENTOR and found.mentor_id != user.id:
        return []
    return [
        target
        for target in workflow.next_states(found.state, role)
        if target in MOVE_LABELS and (_matched(found) or target == "withdrawn")
    ]


@bp.get("/requests/<int:request_id>")
def request_page(request_id):
    """A request, as its mentee, its invited mentor or its matched mentor sees it."""
    user = _require_member("see this request")
    found = access.request_for(user, request_id)
    role = role_of(user, found)
    history = list(
        db.session.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id == found.id)
            .order_by(RequestTransition.at, RequestTransition.id)
        )
    )
    invited = found.state == "mentor_invited" and found.invited_mentor_id == user.id
    matched = _matched(found)
    moves = allowed_moves(user, found)
    who = people([found.requester_id, found.mentor_id, found.invited_mentor_id])
    keeps_notes = _keeps_notes(user, found)
    notes = requests.notes_for(user, found) if keeps_notes else []
    return render_template(
        "mentoring/request.html",
        keeps_notes=keeps_notes,
        notes=notes,
        note_max=requests.NOTE_MAX,
        req=found,
        role=role,
        history=history,
        shortlist=_shortlist(found) if role == workflow.MENTEE else [],
        invited=invited,
        matched=matched,
        moves=moves,
        who=who,
        requester_name=found.pseudonym or getattr(who.get(found.requester_id), "name", ""),
    )


def _keeps_notes(user, found: MentoringRequest) -> bool:
    """Whether the page shows session notes: to the matched pair, while mentoring is under
    way and the details are kept."""
    return (
        found.mentor_id is not None
        and user.id in (found.requester_id, found.mentor_id)
        and found.state in requests.HOLDING_STATES
        and found.details_purged_at is None
    )


@bp.post("/requests/<int:request_id>/notes")
def add_note(request_id):
    """The mentee or the matched mentor keeps a note, private or shared with the other."""
    user = _require_member("keep session notes")
    found = access.request_for(user, request_id)
    try:
        requests.add_note(
            user, found, request.form.get("body"), profiles.flag(request.form, "shared")
        )
    except ValidationFailed as error:
        db.session.rollback()
        _flash_refusal(error)
    else:
        flash("Your note is saved.", "success")
    return _back(request_id)


def _back(found_id):
    return redirect(url_for("mentoring.request_page", request_id=found_id), 303)


@bp.post("/requests/<int:request_id>/pick")
def pick(request_id):
    """The mentee asks one mentor from their shortlist."""
    user = _require_member("choose a mentor")
    found = access.request_for(user, request_id)
    try:
        requests.pick(user, found, request.form.get("mentor_id"))
    except (ValidationFailed, workflow.TransitionRefused) as error:
        db.session.rollback()
        _flash_refusal(error)
    else:
        flash("We have asked this mentor; you will hear when they answer.", "success")
    return _back(request_id)


@bp.post("/requests/<int:request_id>/answer")
def answer(request_id):
    """The invited mentor accepts (``accept=1``) or declines (``accept=0``)."""
    user = _require_member("answer this request")
    found = access.request_for(user, request_id)
    raw = (request.form.get("accept") or "").strip()
    if raw not in {"0", "1"}:
        flash("Choose Accept or Decline.", "error")
        return _back(request_id)
    accept = raw == "1"
    try:
        requests.answer(user, found, accept)
    except (ValidationFailed, workflow.TransitionRefused) as error:
        db.session.rollback()
        _flash_refusal(error)
        return _back(request_id)
    except NotFound:
        db.session.rollback()
        flash(requests.ANSWERED, "error")
        return redirect(url_for("mentoring.my_requests"), 303)
    if accept:
        flash("You have accepted: you are now matched.", "success")
        return _back(request_id)
    flash("You have declined; the member will choose someone else.", "info")
    return redirect(url_for("mentoring.my_requests"), 303)


@bp.post("/requests/<int:request_id>/move")
def move(request_id):
    """A party moves the request on (``to=``): confirm, pause, complete, withdraw…"""
    user = _require_member("change this request")
    found = access.request_for(user, request_id)
    target = (request.form.get("to") or "").strip()
    if target not in vocabulary.STATES:
        flash("Choose one of the buttons shown.", "error")
        return _back(request_id)
    role = role_of(user, found)
    try:
        if target not in allowed_moves(user, found):
            workflow.check(found.state, target, role)
            flash("Please use the buttons on this page.", "error")
            return _back(request_id)
        requests.move(found, target, user, role)
        db.session.commit()
    except workflow.TransitionRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        flash(f"This request is now: {vocabulary.STATES[target]}.", "success")
    return _back(request_id)


def _flash_refusal(error) -> None:
    messages = getattr(error, "messages", None) or [getattr(error, "message", str(error))]
    for message in messages:
        flash(message, "error")


# -- Coordinators -----------------------------------------------------------------------------


@bp.get("/coordinate")
def coordinate():
    """Requests by state, with their dates only: never their content or who asked."""
    user = _user()
    if not access.active(user):
        raise NotLoggedIn("Please sign in to coordinate mentoring.")
    if not access.is_coordinator(user):
        raise InvalidAccess("Only mentoring coordinators can see this page.")
    rows = db.session.execute(
        select(
            MentoringRequest.id,
            MentoringRequest.state,
            MentoringRequest.created_at,
            MentoringRequest.updated_at,
            MentoringRequest.closed_at,
        )
        .where(
            MentoringRequest.consent_to_coordinator.is_(True),
            MentoringRequest.state != "draft",
        )
        .order_by(MentoringRequest.updated_at.desc(), MentoringRequest.id.desc())
        .limit(MAX_COORDINATE_ROWS)
    ).all()
    by_state: dict[str, list] = {state: [] for state in vocabulary.STATES}
    for row in rows:
        by_state.setdefault(row.state, []).append(row)
    groups = [(state, by_state[state]) for state in by_state if by_state[state]]
    return render_template(
        "mentoring/coordinate.html",
        groups=groups,
        total=len(rows),
        overridable=requests.OVERRIDE_STATES,
    )


def _usernames(raw: str) -> list[str]:
    """Usernames from a box: separated by commas, spaces or lines, an ``@`` allowed."""
    parts = raw.replace(",", " ").split()
    return [part.lstrip("@") for part in parts if part.lstrip("@")]


@bp.post("/coordinate/<int:request_id>/shortlist")
def override_shortlist(request_id):
    """A coordinator sets a request's shortlist to 2–3 mentors, by username."""
    user = _user()
    if not access.active(user):
        raise NotLoggedIn("Please sign in to coordinate mentoring.")
    if not access.is_coordinator(user):
        raise InvalidAccess("Only mentoring coordinators can set a shortlist.")
    found = db.session.get(MentoringRequest, request_id)
    if not access.can_see_status(user, found):
        raise NotFound()
    names = _usernames(request.form.get("mentors") or "")[:10]
    ids: dict[str, int] = {}
    if names:
        rows = db.session.execute(
            select(User.username, User.id).where(
                func.lower(User.username).in_([n.lower() for n in names])
            )
        )
        ids = {username.lower(): key for username, key in rows}
    unknown = [n for n in names if n.lower() not in ids]
    try:
        if unknown:
            raise ValidationFailed(*(f"No member is called {n[:40]}." for n in unknown))
        chosen = [ids[n.lower()] for n in names]
        requests.override_shortlist(user, found, chosen)
    except (ValidationFailed, workflow.TransitionRefused) as error:
        db.session.rollback()
        _flash_refusal(error)
    else:
        flash(f"The shortlist of request #{request_id} is set.", "success")
    return redirect(url_for("mentoring.coordinate"), 303)
