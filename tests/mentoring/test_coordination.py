"""Coordinators setting a shortlist by hand and verifying qualifications, and session notes
kept by the matched pair (never seen by anyone else)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.database import utcnow
from forum.errors import InvalidAccess, NotFound, ValidationFailed
from forum.extensions import db
from plugins.mentoring import requests
from plugins.mentoring.models import MentoringRequest, RequestTransition, SessionNote
from tests.factories import make_user

from .conftest import make_lmc, make_mentee, make_mentor, make_request

GOALS = "Secret goals: preparing for a tough levy negotiation with our ICB."


def text(response) -> str:
    return response.get_data(as_text=True)


def triaged(**fields):
    """A consented request nobody could be found for: in ``triage``."""
    request = make_request(**fields)
    requests.make_shortlist(request)
    assert request.state == "triage"
    return request


def matched_pair():
    """A request matched with its mentor: ``(request, mentee, mentor)``."""
    mentor, _profile = make_mentor()
    mentee = make_mentee()
    request = make_request(mentee)
    requests.make_shortlist(request)
    requests.pick(mentee, request, mentor.id)
    requests.answer(mentor, request, True)
    assert request.state == "matched"
    return request, mentee, mentor


# -- Coordinators set the shortlist -----------------------------------------------------------


def test_coordinator_override_moves_triage_to_shortlisted(app):
    request = triaged()
    coordinator = make_user(role="admin")
    first, _ = make_mentor("firstchoice")
    second, _ = make_mentor("secondchoice")
    chosen = requests.override_shortlist(coordinator, request, [first.id, str(second.id)])
    assert chosen == [first.id, second.id]
    request = db.session.get(MentoringRequest, request.id)
    assert request.state == "shortlisted" and requests.shortlist_ids(request) == chosen
    last = db.session.scalars(
        select(RequestTransition)
        .where(RequestTransition.request_id == request.id)
        .order_by(RequestTransition.id.desc())
    ).first()
    assert (last.from_state, last.to_state, last.role) == ("triage", "shortlisted", "coordinator")
    assert last.actor_id == coordinator.id

    # Set again while shortlisted: stored, and recorded as a coordinator's change.
    third, _ = make_mentor("thirdchoice")
    requests.override_shortlist(coordinator, request, [third.id, first.id, second.id])
    assert requests.shortlist_ids(request) == [third.id, first.id, second.id]
    assert request.state == "shortlisted"
    roles = db.session.scalars(
        select(RequestTransition.role).where(RequestTransition.request_id == request.id)
    ).all()
    assert roles.count("coordinator") == 2


@pytest.mark.parametrize("problem", ["capacity", "conflict", "requester", "not_accepting"])
def test_coordinator_override_refuses_an_ineligible_mentor(app, problem):
    lmc = make_lmc()
    mentee = make_mentee(lmc=lmc)
    request = triaged(user=mentee)
    good, _ = make_mentor()
    if problem == "capacity":
        bad, profile = make_mentor("busy", capacity="1")
        profile.active_count = 1
        db.session.commit()
        message = "busy cannot be offered: has no free place."
    elif problem == "conflict":
        bad, _ = make_mentor("conflicted", excluded_organisations=[str(lmc.id)])
        message = "conflicted cannot be offered: has a conflict of interest."
    elif problem == "not_accepting":
        bad, _ = make_mentor("resting", accepting="0")
        message = "resting cannot be offered: is not taking mentees just now."
    else:
        bad = mentee
        message = f"{mentee.username} is not a mentor in the directory."
    with pytest.raises(ValidationFailed) as refused:
        requests.override_shortlist(make_user(role="admin"), request, [good.id, bad.id])
    assert message in refused.value.messages
    request = db.session.get(MentoringRequest, request.id)
    assert request.state == "triage" and requests.shortlist_ids(request) == []


def test_coordinator_override_refuses_the_requester_with_a_profile(app):
    lmc = make_lmc()
    mentee, _ = make_mentor("selfmentor", lmc=lmc)
    request = make_request(mentee)
    requests.make_shortlist(request)
    other, _ = make_mentor()
    assert request.state in {"triage", "shortlisted"}
    with pytest.raises(ValidationFailed) as refused:
        requests.override_shortlist(make_user(role="admin"), request, [other.id, mentee.id])
    assert "selfmentor cannot be offered: is the member who asked." in refused.value.messages


def test_coordinator_override_needs_two_or_three_mentors_and_the_right_state(app):
    coordinator = make_user(role="admin")
    request = triaged()
    mentors = [make_mentor()[0].id for _ in range(4)]
    for chosen in ([mentors[0]], mentors, [mentors[0], mentors[0]], ["x", mentors[1]]):
        with pytest.raises(ValidationFailed):
            requests.override_shortlist(coordinator, request, chosen)
    requests.move(request, "withdrawn", coordinator, "coordinator")
    db.session.commit()
    with pytest.raises(ValidationFailed):
        requests.override_shortlist(coordinator, request, mentors[:2])


def test_only_coordinators_override_and_only_with_consent(app):
    request = triaged()
    private = triaged(consent_to_coordinator=None)
    one, two = make_mentor()[0], make_mentor()[0]
    with pytest.raises(NotFound):
        requests.override_shortlist(make_user(), request, [one.id, two.id])
    with pytest.raises(NotFound):
        requests.override_shortlist(make_user(role="admin"), private, [one.id, two.id])


def test_coordinate_page_sets_the_shortlist_without_showing_content(client, auth):
    request = triaged()
    make_mentor("alpha")
    make_mentor("beta")
    auth.login_as(make_user())
    url = f"/mentoring/coordinate/{request.id}/shortlist"
    assert client.post(url, data={"mentors": "alpha, beta"}).status_code == 403

    auth.login_as(make_user(role="admin"))
    page = text(client.get("/mentoring/coordinate"))
    assert "Set the shortlist" in page and f'action="{url}"' in page
    assert GOALS not in page and "negotiation" not in page.lower()

    response = client.post(url, data={"mentors": "alpha nobody"}, follow_redirects=True)
    assert "No member is called nobody." in text(response)
    assert db.session.get(MentoringRequest, request.id).state == "triage"

    response = client.post(url, data={"mentors": "@Alpha, beta"}, follow_redirects=True)
    page = text(response)
    assert response.status_code == 200 and "is set" in page
    assert GOALS not in page
    request = db.session.get(MentoringRequest, request.id)
    assert request.state == "shortlisted" and len(requests.shortlist_ids(request)) == 2
    assert client.post("/mentoring/coordinate/999999/shortlist").status_code == 404


# -- Verifying qualifications -----------------------------------------------------------------

QUALIFICATIONS = json.dumps(
    [{"name": "ILM Level 7 Coaching", "verified": False}, {"name": "Course", "verified": True}]
)


def qualified():
    mentor, profile = make_mentor("qualified")
    profile.qualifications = QUALIFICATIONS
    db.session.commit()
    return mentor, profile


def test_verify_qualification_flips_the_flag(app):
    from plugins.mentoring import profiles

    _mentor, profile = qualified()
    coordinator = make_user(role="admin")
    assert profiles.verify_qualification(coordinator, profile, 0, True)["verified"] is True
    assert profiles.verify_qualification(coordinator, profile, 1, False)["verified"] is False
    stored = json.loads(profile.qualifications)
    assert [q["verified"] for q in stored] == [True, False]
    with pytest.raises(InvalidAccess):
        profiles.verify_qualification(make_user(), profile, 0, False)
    with pytest.raises(NotFound):
        profiles.verify_qualification(coordinator, profile, 5, True)
    assert json.loads(profile.qualifications)[0]["verified"] is True


def test_verify_route_for_coordinators_only(client, auth):
    mentor, profile = qualified()
    url = f"/mentoring/mentors/{mentor.id}/qualifications/0/verify"

    auth.login_as(make_user())
    page = text(client.get(f"/mentoring/mentors/{mentor.id}"))
    assert "Mark verified" not in page
    assert client.post(url, data={"verified": "1"}).status_code == 403

    auth.login_as(make_user(role="admin"))
    page = text(client.get(f"/mentoring/mentors/{mentor.id}"))
    assert f'action="{url}"' in page and "Mark verified" in page
    response = client.post(url, data={"verified": "1"}, follow_redirects=True)
    assert response.status_code == 200 and "is now marked verified" in text(response)
    db.session.refresh(profile)
    assert json.loads(profile.qualifications)[0]["verified"] is True
    bad = f"/mentoring/mentors/{mentor.id}/qualifications/9/verify"
    assert client.post(bad, data={"verified": "1"}).status_code == 404
    assert client.post(url, data={"verified": "maybe"}).status_code == 400
    assert client.post("/mentoring/mentors/999999/qualifications/0/verify").status_code == 404


# -- Session notes ----------------------------------------------------------------------------


def test_private_notes_stay_private_and_shared_ones_are_shared(app):
    request, mentee, mentor = matched_pair()
    private = requests.add_note(mentee, request, "  My private worry.  ", False)
    shared = requests.add_note(mentee, request, "Agreed: monthly calls.", True)
    own = requests.add_note(mentor, request, "Mentor's own note.", False)
    assert private.body == "My private worry."
    assert [n.id for n in requests.notes_for(mentee, request)] == [private.id, shared.id]
    assert [n.id for n in requests.notes_for(mentor, request)] == [shared.id, own.id]


def test_notes_are_for_the_matched_pair_only(app):
    request, _mentee, _mentor = matched_pair()
    for outsider in (make_user(role="admin"), make_user()):
        with pytest.raises(NotFound):
            requests.add_note(outsider, request, "Snooping.", True)
        with pytest.raises(NotFound):
            requests.notes_for(outsider, request)
    assert db.session.scalar(select(SessionNote)) is None


def test_notes_are_checked(app):
    request, mentee, _mentor = matched_pair()
    for body in ("", "   ", "x" * (requests.NOTE_MAX + 1), None):
        with pytest.raises(ValidationFailed):
            requests.add_note(mentee, request, body, False)
    assert requests.add_note(mentee, request, "x" * requests.NOTE_MAX, False)
    unmatched = make_request(mentee)
    with pytest.raises(NotFound):
        requests.add_note(mentee, unmatched, "Too early.", False)


def test_notes_on_the_request_page(client, auth):
    request, mentee, mentor = matched_pair()
    url = f"/mentoring/requests/{request.id}"
    auth.login_as(mentee)
    page = text(client.get(url))
    assert "Session notes" in page and "Share with my mentor" in page
    assert "not kept on LMC Hub yet" not in page
    client.post(f"{url}/notes", data={"body": "Only for me."})
    response = client.post(f"{url}/notes", data={"body": "For us both.", "shared": "1"})
    assert response.status_code == 303
    page = text(client.get(url))
    assert "Only for me." in page and "For us both." in page
    response = client.post(f"{url}/notes", data={"body": ""}, follow_redirects=True)
    assert response.status_code == 200 and "Write something in your note." in text(response)

    auth.login_as(mentor)
    page = text(client.get(url))
    assert "For us both." in page and "Only for me." not in page
    assert "Share with my mentee" in page

    for outsider in (make_user(role="admin"), make_user()):
        auth.login_as(outsider)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}/notes", data={"body": "Snooping."}).status_code == 404
        page = text(client.get("/mentoring/coordinate"))
        assert "For us both." not in page and "Only for me." not in page
    assert db.session.scalar(select(SessionNote).where(SessionNote.body == "Snooping.")) is None


def test_notes_are_erased_by_the_purge(app):
    request, mentee, mentor = matched_pair()
    requests.add_note(mentee, request, "Erase me.", True)
    requests.add_note(mentor, request, "Erase me too.", False)
    requests.move(request, "withdrawn", mentee, "mentee")
    db.session.commit()
    request.closed_at = utcnow() - timedelta(days=800)
    db.session.commit()
    assert requests.purge_closed() == 1
    assert db.session.scalar(select(SessionNote)) is None
