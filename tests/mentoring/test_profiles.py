"""Mentor profiles: every field checked at once, the directory's filters and visibility."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from forum.errors import ValidationFailed
from forum.extensions import db
from plugins.mentoring import access, profiles
from tests.factories import add_member, make_user

from .conftest import make_lmc, make_mentor, profile_form


def errors_of(user, **fields) -> list[str]:
    with pytest.raises(ValidationFailed) as refused:
        profiles.save_profile(user, profile_form(**fields))
    return refused.value.messages


def test_save_profile_creates_then_updates_own_profile(app):
    user, profile = make_mentor(languages="Welsh, English")
    assert profile.user_id == user.id
    assert profile.values("language") == ["english", "welsh"]
    assert profile.values("expertise") == ["lmc-governance", "negotiation"]
    assert profile.capacity_max == 2 and profile.taking_mentees

    again = profiles.save_profile(user, profile_form(expertise=["negotiation"], capacity="3"))
    assert again.id == profile.id
    assert again.values("expertise") == ["negotiation"]
    assert again.capacity_max == 3


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ("0", "Capacity must be at least 1 mentee"),
        ("1000", "Capacity can be at most 20 mentees at once."),
        ("lots", "Capacity must be a whole number"),
        ("", "Say how many mentees you can take at once"),
    ],
)
def test_capacity_out_of_range_is_refused(app, capacity, message):
    user = make_user()
    assert any(m.startswith(message) for m in errors_of(user, capacity=capacity))
    assert profiles.profile_of(user.id) is None


def test_every_problem_is_listed_at_once(app):
    user = make_user()
    messages = errors_of(
        user,
        kinds=[],
        expertise=["astrology"],
        audiences=[],
        modes=["carrier_pigeon"],
        capacity="1000",
        nation="atlantis",
        directory_visibility="everyone",
        bio="x" * 1001,
        excluded_organisations=["999999"],
    )
    text = " | ".join(messages)
    for expected in (
        "Choose at least one kind of mentoring you offer.",
        "Unknown area of expertise: astrology.",
        "Choose at least one audience you serve.",
        "Unknown way of meeting",
        "at most 20 mentees",
        "Unknown nation: atlantis.",
        "Unknown directory visibility: everyone.",
        "Keep your bio to 1,000 characters",
        "No such organisation: 999999.",
    ):
        assert expected in text
    assert profiles.profile_of(user.id) is None


def test_empty_sets_are_refused(app):
    messages = errors_of(make_user(), kinds=None, expertise=None, audiences=None, modes=None)
    assert len([m for m in messages if m.startswith("Choose at least one")]) == 4


def test_excluded_organisations_are_stored(app):
    other = make_lmc("Avon LMC")
    _user, profile = make_mentor(excluded_organisations=[str(other.id)])
    assert [e.organisation_id for e in profile.exclusions] == [other.id]
    assert profiles.mentor_for_matching(profile).excluded_organisation_ids == {other.id}


def test_mentor_for_matching(app):
    user, profile = make_mentor(modes=["video"], kinds=["gp_mentor", "pastoral_support"])
    mentor = profiles.mentor_for_matching(profile)
    assert mentor.user_id == user.id
    assert mentor.kinds == {"gp_mentor", "pastoral_support"}
    assert mentor.modes == {"video"}
    assert mentor.capacity == 2 and mentor.active_count == 0 and mentor.accepting


def test_full_mentor_is_not_taking_mentees(app):
    _user, profile = make_mentor(capacity="1")
    profile.active_count = 1
    db.session.commit()
    assert profile.accepting and profile.full and not profile.taking_mentees


def test_directory_filters(app):
    viewer = make_user()
    _a, negotiator = make_mentor(languages=["Welsh"], nation="wales")
    _b, nurse = make_mentor(
        kinds=["nurse_mentor"],
        expertise=["workforce"],
        audiences=["new_to_practice_nurses"],
        modes=["in_person"],
    )
    _c, full = make_mentor(capacity="1")
    full.active_count = 1
    db.session.commit()

    def ids(**filters):
        return [p.id for p in profiles.directory(viewer, filters)]

    assert set(ids()) == {negotiator.id, nurse.id, full.id}
    assert ids(kind="nurse_mentor") == [nurse.id]
    assert set(ids(expertise="negotiation")) == {negotiator.id, full.id}
    assert ids(audience="new_to_practice_nurses") == [nurse.id]
    assert ids(nation="wales") == [negotiator.id]
    assert ids(mode="in_person") == [nurse.id]
    assert ids(language="welsh") == [negotiator.id]
    assert ids(language="Welsh", expertise="negotiation") == [negotiator.id]
    assert set(ids(accepting_now="1")) == {negotiator.id, nurse.id}
    assert ids(kind="nurse_mentor", expertise="negotiation") == []


def test_directory_is_one_query_plus_tags(app):
    viewer = make_user()
    for _ in range(4):
        make_mentor()
    db.session.expire_all()
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = profiles.directory(viewer, {"expertise": "negotiation"})
        [p.values("kind") for p in found]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(found) == 4
    profile_queries = [s for s in statements if "FROM mentoring_profile " in s + " "]
    tag_queries = [s for s in statements if "FROM mentoring_profile_tag" in s]
    assert len(profile_queries) == 1  # the profiles, their tag filter joined in SQL
    assert len(tag_queries) == 1  # the tags of all of them, by selectin


def test_directory_visibility(app):
    member = make_user()
    officer = make_user()
    add_member(officer, "officers")
    admin = make_user(role="admin")
    _m1, open_profile = make_mentor(directory_visibility="all_members")
    _m2, officers = make_mentor(directory_visibility="officers_staff")
    own_user, hidden = make_mentor(directory_visibility="coordinators_only")

    def ids(user):
        return {p.id for p in profiles.directory(user, {})}

    assert ids(member) == {open_profile.id}
    assert ids(officer) == {open_profile.id, officers.id}
    assert ids(admin) == {open_profile.id, officers.id, hidden.id}  # admins coordinate
    assert ids(own_user) == {open_profile.id, hidden.id}  # a mentor sees their own
    assert access.is_officer(officer) and not access.is_officer(member)
    assert access.is_coordinator(admin) and not access.is_coordinator(officer)


def test_suspended_mentor_and_visitors_see_nothing(app):
    user, _profile = make_mentor()
    pending = make_user(status="pending")
    assert profiles.directory(pending, {}) == []
    user.status = "suspended"
    db.session.commit()
    assert profiles.directory(make_user(), {}) == []
