"""The demo mentor profiles and mentoring requests (domain.md §6.6): run by
``flask forum seed-demo`` through the plugin's ``seed_demo_data`` hook, inside the seed's
transaction (the core commits).

Eight mentors, each a demo member of the LMC the table names (Dr Helen Marsh of Devon LMC,
Mark Ellison of Cheshire LMC, Dr Aisha Okafor of Londonwide LMCs, Siân Prys-Jones of
Morgannwg LMC, Dr Callum Fraser of Glasgow LMC, Janet Whitworth of the Humberside Group of
LMCs, Dr Rav Sandhu of Birmingham LMC, Dr Eilís McCann of Northern Ireland LMC), with their
kinds of mentoring, expertise (the library's topics and the mentoring terms), audiences,
qualifications, ways of meeting, capacity and places taken. Callum is full, Rav has paused,
Siân speaks Welsh and Eilís prefers mentees from other areas. Every profile is checked by
:func:`profiles.clean_profile` and marked ``is_demo``.

Three requests, one each ``shortlisted``, ``active`` and ``completed``, moved through
:func:`requests.move` so that every transition is stored with its actor and role, dated over
the past months. The places they hold are real: Callum's one place is taken by the active
request, and the completed one gave Janet's place back. The other places taken are mentees
who are not on the forum (set as ``active_count``). The service functions that commit
(``save_profile``, ``submit``, ``pick``, ``answer``) are not used: the seed's transaction is
not ours, and the demo should not notify anyone.

Safe to run again: a mentor who has a profile keeps it, and a demo mentee who already has a
request gets no other. A mentor or mentee missing from the forum is left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from forum.accounts.models import Organisation
from forum.database import utcnow
from forum.errors import ValidationFailed
from forum.extensions import db

from . import matching, profiles, requests
from .models import MentoringRequest, MentorProfile, ProfileTag
from .workflow import MENTEE, MENTOR, SYSTEM


@dataclass(frozen=True)
class DemoMentor:
    username: str
    lmc: str
    form: dict
    #: Places taken by mentees who are not on the forum.
    other_mentees: int = 0
    qualifications: tuple[tuple[str, str, int | None], ...] = ()


@dataclass(frozen=True)
class DemoRequest:
    mentee: str
    mentor: str
    #: ``shortlisted``, ``active`` or ``completed``.
    state: str
    form: dict
    days_ago: int
    sessions: int = 0
    extra: dict = field(default_factory=dict)


def _next_quarter(today: date) -> date:
    month = (today.month - 1) // 3 * 3 + 4
    return date(today.year + (month > 12), (month - 1) % 12 + 1, 1)


def mentors(today: date | None = None) -> list[DemoMentor]:
    """The eight mentors of §6.6."""
    today = today or utcnow().date()
    return [
        DemoMentor(
            "helen.marsh",
            "Devon LMC",
            {
                "kinds": ["lmc_officer_buddy", "gp_mentor"],
                "roles": ["medical_secretary", "gp_partner"],
                "expertise": ["negotiation", "enhanced-services", "commissioners", "contracts"],
                "audiences": ["new_lmc_officers"],
                "modes": ["video", "phone"],
                "capacity": "2",
                "nation": "england",
                "region": "South West",
                "current_roles_text": "Medical secretary, Devon LMC; GP partner",
                "years_experience": "22",
                "years_in_role": "9",
                "bio": "GP partner for 22 years and medical secretary of Devon LMC. Happy to "
                "help new officers with LCS negotiation and pricing, ICB relations and "
                "contract disputes.",
            },
            other_mentees=1,
            qualifications=(("Level 5 Certificate in Coaching and Mentoring", "ILM", 2021),),
        ),
        DemoMentor(
            "mark.ellison",
            "Cheshire LMC",
            {
                "kinds": ["lmc_staff_buddy", "lmc_officer_buddy"],
                "roles": ["chief_executive"],
                "expertise": ["lmc-governance", "lmc-finance", "new_to_role_induction"],
                "audiences": ["new_lmc_officers", "lmc_staff"],
                "modes": ["video", "in_person"],
                "in_person_area": "North West",
                "capacity": "3",
                "nation": "england",
                "region": "North West",
                "current_roles_text": "Chief executive, Cheshire LMC",
                "bio": "Non-clinical chief executive, formerly an NHS manager. LMC governance, "
                "the levy and company matters, and the first months of a new chief executive.",
            },
            other_mentees=1,
            qualifications=(("Foundation Award in Coaching and Mentoring", "EMCC", None),),
        ),
        DemoMentor(
            "aisha.okafor",
            "Londonwide LMCs",
            {
                "kinds": ["gp_mentor"],
                "roles": ["salaried_gp", "sessional_gp"],
                "expertise": ["sessional-gps", "career_portfolio", "return_to_practice"],
                "audiences": ["first5_gps", "returners"],
                "modes": ["video"],
                "capacity": "3",
                "nation": "england",
                "region": "London",
                "current_roles_text": "Salaried GP; sessional GP representative",
                "bio": "Salaried GP and sessional representative. Sessional and locum issues, "
                "the move from training into practice, and portfolio careers.",
            },
            other_mentees=2,
            qualifications=(
                ("Supporting Mentors Scheme", "NHS England", None),
                ("Level 5 Certificate in Coaching and Mentoring", "ILM", None),
            ),
        ),
        DemoMentor(
            "sian.prys-jones",
            "Morgannwg LMC",
            {
                "kinds": ["nurse_mentor"],
                "roles": ["gpn"],
                "expertise": ["new_to_role_induction", "enhanced-services", "development"],
                "audiences": ["new_to_practice_nurses"],
                "modes": ["phone", "in_person"],
                "in_person_area": "South Wales",
                "languages": ["English", "Welsh"],
                "capacity": "2",
                "nation": "wales",
                "region": "South Wales",
                "current_roles_text": "Lead general practice nurse; co-opted nurse member",
                "bio": "Lead practice nurse. New-to-practice nursing, nurse-led services "
                "(wound care, INR) and CPD. Rwy'n hapus i siarad Cymraeg.",
            },
            qualifications=(("Practice assessor", "NMC", None),),
        ),
        DemoMentor(
            "callum.fraser",
            "Glasgow LMC",
            {
                "kinds": ["lmc_officer_buddy"],
                "roles": ["medical_secretary", "gp_partner"],
                "expertise": ["contracts", "pcns", "commissioners", "premises"],
                "audiences": ["new_lmc_officers"],
                "modes": ["video"],
                "capacity": "1",
                "nation": "scotland",
                "region": "West of Scotland",
                "current_roles_text": "LMC secretary, Glasgow LMC; GP partner",
                "bio": "LMC secretary and GP partner. The 2018 Scottish GMS contract, the "
                "PCIP and CTAC transition, HSCP relations and premises.",
            },
            qualifications=(("GP appraiser", "NHS Education for Scotland", None),),
        ),
        DemoMentor(
            "janet.whitworth",
            "Humberside Group of LMCs",
            {
                "kinds": ["lmc_staff_buddy"],
                "roles": ["lmc_office_manager"],
                "expertise": [
                    "development",
                    "lmc-governance",
                    "lmc-finance",
                    "information-governance",
                    "communications",
                ],
                "audiences": ["lmc_staff"],
                "modes": ["video", "phone"],
                "capacity": "4",
                "nation": "england",
                "region": "Yorkshire and the Humber",
                "current_roles_text": "LMC office manager",
                "bio": "Office manager. Running an LMC office, elections, levy collection, "
                "GDPR and events.",
            },
            other_mentees=2,
            qualifications=(("Level 5 Certificate in Management and Leadership", "CMI", None),),
        ),
        DemoMentor(
            "rav.sandhu",
            "Birmingham LMC",
            {
                "kinds": ["lmc_officer_buddy", "gp_mentor"],
                "roles": ["lmc_officer", "gp_partner"],
                "expertise": ["pcns", "workforce", "funding"],
                "audiences": ["new_lmc_officers", "gp_partners"],
                "modes": ["video", "in_person"],
                "in_person_area": "Midlands",
                "capacity": "2",
                "accepting": "0",
                "availability": "Paused until next quarter.",
                "nation": "england",
                "region": "Midlands",
                "current_roles_text": "Vice-chair, Birmingham LMC; former PCN clinical director",
                "bio": "Vice-chair and former PCN clinical director. PCNs and the Network DES, "
                "ARRS roles and access payments.",
            },
            other_mentees=2,
            qualifications=(("GP trainer", "NHS England", None),),
        ),
        DemoMentor(
            "eilis.mccann",
            "Northern Ireland LMC",
            {
                "kinds": ["pastoral_support", "gp_mentor"],
                "roles": ["lmc_officer", "gp_partner"],
                "expertise": ["resilience", "wellbeing"],
                "audiences": ["gps_in_difficulty", "gp_partners"],
                "modes": ["phone", "video"],
                "capacity": "2",
                "prefers_out_of_area": "1",
                "nation": "northern_ireland",
                "region": "Western",
                "current_roles_text": "Divisional representative (Western); GP partner",
                "bio": "GP partner and divisional representative. Practice resilience and "
                "handbacks, wellbeing, and finding the right support service. I prefer "
                "mentees from outside my own area.",
            },
            other_mentees=1,
            qualifications=(("Balint group leader training", "Balint Society", None),),
        ),
    ]


#: Rav's paused profile is available again from the next quarter.
NEXT_AVAILABLE = {"rav.sandhu": _next_quarter}


def demo_requests() -> list[DemoRequest]:
    """The three requests: one waiting for its mentee to choose, one active, one completed."""
    return [
        DemoRequest(
            "dan.kowalski",
            "aisha.okafor",
            "shortlisted",
            {
                "needs": ["sessional-gps", "career_portfolio"],
                "kinds": ["gp_mentor"],
                "modes": ["video"],
                "audience": "first5_gps",
                "role": "sessional_gp",
                "nation": "england",
                "goals": "I have been a locum for two years and want to build a portfolio "
                "career alongside my sessions without losing my footing in practice.",
                "urgency": "routine",
            },
            days_ago=6,
        ),
        DemoRequest(
            "owain.llewellyn",
            "callum.fraser",
            "active",
            {
                "needs": ["premises", "contracts"],
                "kinds": ["lmc_officer_buddy"],
                "modes": ["video"],
                "audience": "new_lmc_officers",
                "role": "medical_secretary",
                "nation": "wales",
                "goals": "New medical secretary: I would like a buddy from another nation's "
                "LMC to talk through premises disputes and contract negotiations.",
                "out_of_area": "1",
                "consent_to_coordinator": "1",
            },
            days_ago=40,
            sessions=3,
        ),
        DemoRequest(
            "leanne.corbett",
            "janet.whitworth",
            "completed",
            {
                "needs": ["lmc-finance", "development"],
                "kinds": ["lmc_staff_buddy"],
                "modes": ["video", "phone"],
                "audience": "lmc_staff",
                "role": "lmc_staff",
                "nation": "england",
                "goals": "New to running levy collection and the LMC office: a buddy for my "
                "first six months.",
            },
            days_ago=240,
            sessions=6,
        ),
    ]


# -- Seeding ----------------------------------------------------------------------------------


def seed(users: Mapping, categories: Mapping | None = None) -> None:
    """Add the demo mentors and requests that are missing (does not commit)."""
    _seed_mentors(users)
    for item in demo_requests():
        _seed_request(users, item)
    db.session.flush()


def _lmcs(names) -> dict[str, int]:
    rows = db.session.execute(
        select(Organisation.name, Organisation.id).where(Organisation.name.in_(list(names)))
    )
    return dict(rows.all())


def _seed_mentors(users: Mapping) -> list[MentorProfile]:
    demo = mentors()
    lmcs = _lmcs(m.lmc for m in demo)
    people = [users.get(m.username) for m in demo]
    have = set(
        db.session.scalars(
            select(MentorProfile.user_id).where(
                MentorProfile.user_id.in_([p.id for p in people if p is not None])
            )
        )
    )
    added = []
    today = utcnow().date()
    for item, user in zip(demo, people, strict=True):
        if user is None or user.id in have:
            continue
        form = {**item.form, "organisation": str(lmcs[item.lmc]) if item.lmc in lmcs else ""}
        if not form["organisation"]:
            form.pop("organisation")
        try:
            values = profiles.clean_profile(user, form)
        except ValidationFailed:
            continue  # a forum whose vocabularies have changed: leave this mentor out
        profile = MentorProfile(
            user_id=user.id,
            active_count=item.other_mentees,
            is_demo=True,
            qualifications=json.dumps(
                [
                    {"name": name, "awarding_body": body, "year": year, "verified": False}
                    for name, body, year in item.qualifications
                ]
            ),
        )
        for name in profiles.PLAIN:
            setattr(profile, name, values[name])
        if item.username in NEXT_AVAILABLE:
            profile.next_available_date = NEXT_AVAILABLE[item.username](today)
        profile.tags = [
            ProfileTag(facet=facet, value=value)
            for facet, chosen in sorted(values["tags"].items())
            for value in chosen
        ]
        db.session.add(profile)
        added.append(profile)
    db.session.flush()
    return added


def _has_request(user_id: int) -> bool:
    return (
        db.session.scalar(
            select(MentoringRequest.id).where(MentoringRequest.requester_id == user_id).limit(1)
        )
        is not None
    )


def _take_place(mentor_id: int) -> None:
    db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.user_id == mentor_id)
        .values(active_count=MentorProfile.active_count + 1)
        .execution_options(synchronize_session=False)
    )
    profile = profiles.profile_of(mentor_id)
    if profile is not None:
        db.session.refresh(profile, ["active_count"])


def _shortlist(request: MentoringRequest, mentor_id: int) -> list[int]:
    """The matching rules' shortlist, with the demo's mentor on it (first when the rules
    left them out)."""
    candidates = [
        profiles.mentor_for_matching(p) for p in requests._candidate_profiles(request.requester_id)
    ]
    chosen = [c.mentor.user_id for c in matching.shortlist(candidates, requests.need_for(request))]
    if mentor_id not in chosen:
        chosen = [mentor_id, *chosen][: matching.SHORTLIST_SIZE]
    return chosen


def _seed_request(users: Mapping, item: DemoRequest) -> MentoringRequest | None:
    mentee, mentor = users.get(item.mentee), users.get(item.mentor)
    if mentee is None or mentor is None or profiles.profile_of(mentor.id) is None:
        return None
    if _has_request(mentee.id):
        return None
    try:
        values = requests.clean_request(mentee, item.form)
    except ValidationFailed:
        return None
    now = utcnow().replace(microsecond=0)
    created = now - timedelta(days=item.days_ago)
    request = requests.build(mentee, values, created)
    _walk(request, item, mentee, mentor, created, now)
    return request


def _walk(request, item: DemoRequest, mentee, mentor, created: datetime, now: datetime) -> None:
    """Move ``request`` along the workflow to ``item.state``, each step dated."""

    def at(hours: float) -> datetime:
        return min(created + timedelta(hours=hours), now)

    requests.move(request, "submitted", mentee, MENTEE, at=at(0))
    shortlist = json.dumps(_shortlist(request, mentor.id))
    requests.move(request, "shortlisted", None, SYSTEM, values={"shortlist": shortlist}, at=at(0))
    if item.state == "shortlisted":
        return
    requests.move(
        request, "mentor_invited", mentee, MENTEE,
        values={"invited_mentor_id": mentor.id}, at=at(2),
    )  # fmt: skip
    requests.move(request, "matched", mentor, MENTOR, values={"mentor_id": mentor.id}, at=at(26))
    _take_place(mentor.id)
    requests.move(request, "active", mentee, MENTEE, at=at(24 * 6))
    request.sessions = item.sessions
    if item.state == "active":
        return
    started = request.started_at
    requests.move(request, "review_due", None, SYSTEM, at=min(started + timedelta(days=92), now))
    requests.move(request, "completed", mentee, MENTEE, at=min(started + timedelta(days=170), now))
