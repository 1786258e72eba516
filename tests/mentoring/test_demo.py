"""The demo mentors and requests (domain.md §6.6) that ``flask forum seed-demo`` adds: the
eight mentors with their LMCs, kinds, expertise, capacities and places taken; three requests
shortlisted, active and completed with every transition stored; and a second run adds
nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, func, select

from forum.accounts.models import Organisation, User
from forum.extensions import db
from forum.notifications.models import Notification
from plugins.mentoring import demo, profiles
from plugins.mentoring.models import MentoringRequest, MentorProfile, RequestTransition

#: username → (LMC, nation, capacity, places taken, accepting, taking mentees)
MENTORS = {
    "helen.marsh": ("Devon LMC", "england", 2, 1, True, True),
    "mark.ellison": ("Cheshire LMC", "england", 3, 1, True, True),
    "aisha.okafor": ("Londonwide LMCs", "england", 3, 2, True, True),
    "sian.prys-jones": ("Morgannwg LMC", "wales", 2, 0, True, True),
    "callum.fraser": ("Glasgow LMC", "scotland", 1, 1, True, False),
    "janet.whitworth": ("Humberside Group of LMCs", "england", 4, 2, True, True),
    "rav.sandhu": ("Birmingham LMC", "england", 2, 2, False, False),
    "eilis.mccann": ("Northern Ireland LMC", "northern_ireland", 2, 1, True, True),
}


def seed(runner, *flags):
    result = runner.invoke(args=["forum", "seed-demo", *flags])
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def by_username() -> dict[str, MentorProfile]:
    rows = db.session.execute(
        select(User.username, MentorProfile).join(User, User.id == MentorProfile.user_id)
    )
    return dict(rows.all())


def username(user_id) -> str:
    return db.session.get(User, user_id).username


@pytest.fixture
def seeded(app, runner):
    seed(runner)
    return by_username()


def test_the_seed_adds_the_eight_mentors(seeded):
    found = seeded
    assert set(found) == set(MENTORS)
    lmcs = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    for name, (lmc, nation, capacity, taken, accepting, taking) in MENTORS.items():
        profile = found[name]
        assert profile.is_demo, name
        assert (lmcs[profile.organisation_id], profile.nation) == (lmc, nation), name
        assert (profile.capacity_max, profile.active_count) == (capacity, taken), name
        assert (profile.accepting, profile.taking_mentees) == (accepting, taking), name
        assert profile.values("kind") and profile.values("audience") and profile.values("mode")
        assert set(profile.values("expertise")) <= set(profiles.EXPERTISE), name
        assert json.loads(profile.qualifications), name
        assert profile.professional_number == ""

    helen = found["helen.marsh"]
    assert helen.values("kind") == ["gp_mentor", "lmc_officer_buddy"]
    assert "negotiation" in helen.values("expertise")
    assert helen.values("mode") == ["phone", "video"]
    assert json.loads(helen.qualifications)[0]["year"] == 2021
    assert found["callum.fraser"].full
    assert found["rav.sandhu"].next_available_date is not None
    assert "welsh" in found["sian.prys-jones"].values("language")
    assert found["eilis.mccann"].prefers_out_of_area
    assert "pastoral_support" in found["eilis.mccann"].values("kind")
    assert set(found["mark.ellison"].values("audience")) == {"new_lmc_officers", "lmc_staff"}


def test_the_seed_adds_three_requests_through_the_workflow(seeded):
    found = {
        r.state: r
        for r in db.session.scalars(select(MentoringRequest).order_by(MentoringRequest.id))
    }
    assert set(found) == {"shortlisted", "active", "completed"}

    shortlisted = found["shortlisted"]
    assert username(shortlisted.requester_id) == "dan.kowalski"
    shortlist = json.loads(shortlisted.shortlist)
    assert shortlisted.mentor_id is None and 1 <= len(shortlist) <= 3
    assert username(shortlist[0]) == "aisha.okafor"

    active = found["active"]
    assert (username(active.requester_id), username(active.mentor_id)) == (
        "owain.llewellyn",
        "callum.fraser",
    )
    assert active.started_at is not None and active.sessions == 3

    completed = found["completed"]
    assert username(completed.mentor_id) == "janet.whitworth"
    assert completed.closed_at is not None and completed.started_at < completed.closed_at

    steps = [
        t.to_state
        for t in db.session.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id == completed.id)
            .order_by(RequestTransition.id)
        )
    ]
    assert steps == [
        "submitted", "shortlisted", "mentor_invited", "matched", "active", "review_due",
        "completed",
    ]  # fmt: skip
    assert count(RequestTransition) == 2 + 5 + 7
    # The demo notifies nobody.
    assert not db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.type.like("mentoring.%"))
    )


def test_a_second_run_adds_nothing(seeded, runner):
    before = (count(MentorProfile), count(MentoringRequest), count(RequestTransition))
    places = {name: p.active_count for name, p in seeded.items()}
    seed(runner)
    db.session.expire_all()
    assert (count(MentorProfile), count(MentoringRequest), count(RequestTransition)) == before
    assert {name: p.active_count for name, p in by_username().items()} == places


def test_a_later_run_adds_a_missing_mentor_back(app, runner):
    seed(runner)
    helen = db.session.scalar(select(User).where(User.username == "helen.marsh"))
    profile = profiles.profile_of(helen.id)
    db.session.delete(profile)
    db.session.commit()
    seed(runner)
    assert profiles.profile_of(helen.id) is not None
    assert count(MentorProfile) == 8 and count(MentoringRequest) == 3


def test_seed_without_demo_people_adds_nothing(app):
    demo.seed({}, {})
    db.session.commit()
    assert count(MentorProfile) == 0 and count(MentoringRequest) == 0


def test_the_seed_leaves_the_transaction_to_the_core(app, runner):
    """demo.seed commits nothing: rolled back, it leaves no trace."""
    seed(runner)
    names = list(MENTORS) + ["dan.kowalski", "owain.llewellyn", "leanne.corbett"]
    users = {
        u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))
    }
    for model in (MentoringRequest, MentorProfile):
        db.session.execute(delete(model))
    db.session.commit()
    demo.seed(users, {})
    assert count(MentorProfile) == 8 and count(MentoringRequest) == 3
    db.session.rollback()
    assert count(MentorProfile) == 0 and count(MentoringRequest) == 0
