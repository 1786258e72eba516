"""The mentoring directory's JSON endpoints (plugins/mentoring/api.py): the directory and its
filters, one mentor, and the caller's own requests. Confidentiality is the point: nobody but
a request's parties (not another member, an admin or a coordinator) gets any of its content
from any endpoint, and another person's request id answers exactly as one that does not
exist."""

from __future__ import annotations

from sqlalchemy import update

from forum.extensions import db
from plugins.mentoring import access, requests
from plugins.mentoring.models import MentoringRequest, MentorProfile, SessionNote
from tests.api.conftest import api_headers, error_of, json_of
from tests.factories import make_user

from .conftest import make_lmc, make_mentee, make_mentor, make_request

GOALS = "Secret goals: preparing for a tough levy negotiation with our ICB."
PREFERENCES = "Private preference: someone outside the Midlands."
NOTE = "Private session note about the levy."
MENTORS = "/mentoring/mentors.json"
REQUESTS = "/mentoring/requests.json"


def one(request_id) -> str:
    return f"/mentoring/requests/{request_id}.json"


def active_request():
    """A request matched and made active, with a shared session note:
    ``(request, mentee, mentor)``."""
    mentor, _ = make_mentor(username="mentor1")
    mentee = make_mentee("mentee1")
    request = make_request(mentee, preferences=PREFERENCES)
    assert requests.make_shortlist(request) == [mentor.id]
    requests.pick(mentee, request, mentor.id)
    requests.answer(mentor, request, True)
    requests.move(request, "active", mentee, requests.MENTEE)
    db.session.add(SessionNote(request_id=request.id, author_id=mentor.id, body=NOTE, shared=True))
    db.session.commit()
    return request, mentee, mentor


def leaks(response) -> bool:
    text = response.get_data(as_text=True)
    return any(secret in text for secret in (GOALS, PREFERENCES, NOTE))


# -- The directory ----------------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in(client, app):
    make_mentor()
    for url in (MENTORS, "/mentoring/mentors/1.json", REQUESTS, one(1)):
        error_of(client.get(url), 403, "not_logged_in")


def test_directory_lists_visible_mentors_with_filters(client, app):
    devon = make_lmc("Devon LMC")
    helen, _ = make_mentor("helen", lmc=devon, expertise=["negotiation"], kinds=["gp_mentor"])
    make_mentor("hidden", directory_visibility="coordinators_only")
    officers, _ = make_mentor("officersonly", directory_visibility="officers_staff")
    member = make_user("member")
    body = json_of(client.get(MENTORS, headers=api_headers(member)))
    assert [m["user"]["username"] for m in body["mentors"]] == ["helen"]
    assert body["total"] == 1
    helen_json = body["mentors"][0]
    assert helen_json["organisation"] == {"id": devon.id, "name": "Devon LMC"}
    assert helen_json["kinds"] == [{"value": "gp_mentor", "label": "GP mentor"}]
    assert helen_json["taking_mentees"] is True and helen_json["capacity"] == 2

    body = json_of(client.get(MENTORS + "?kind=lmc_officer_buddy", headers=api_headers(member)))
    assert body["mentors"] == []
    body = json_of(client.get(MENTORS + "?expertise=negotiation&accepting_now=1",
                              headers=api_headers(member)))  # fmt: skip
    assert [m["user"]["id"] for m in body["mentors"]] == [helen.id]

    admin = make_user(role="admin")
    body = json_of(client.get(MENTORS, headers=api_headers(admin)))
    assert {m["user"]["username"] for m in body["mentors"]} == {"helen", "hidden", "officersonly"}


def test_unknown_filter_values_answer_400_naming_them(client, app):
    member = make_user()
    for query, name in (
        ("kind=astrologer", "kind"),
        ("expertise=<script>", "expertise"),
        ("nation=atlantis", "nation"),
        ("accepting_now=perhaps", "accepting_now"),
        ("language=12345", "language"),
    ):
        body = error_of(
            client.get(f"{MENTORS}?{query}", headers=api_headers(member)), 400, "invalid_parameters"
        )
        assert name in body["errors"][0]


def test_professional_numbers_are_never_sent(client, app):
    mentor, profile = make_mentor("gmcmentor")
    profile.professional_body = "GMC"
    profile.professional_number = "7654321"
    db.session.commit()
    for viewer in (make_user(), make_user(role="admin"), mentor):
        headers = api_headers(viewer)
        for url in (MENTORS, f"/mentoring/mentors/{mentor.id}.json"):
            response = client.get(url, headers=headers)
            assert response.status_code == 200
            assert "7654321" not in response.get_data(as_text=True)
            assert "professional_number" not in response.get_data(as_text=True)


def test_one_mentor_is_404_unless_visible(client, app):
    shown, _ = make_mentor("shown")
    hidden, _ = make_mentor("hidden", directory_visibility="coordinators_only")
    suspended, _ = make_mentor("gone")
    suspended.status = "suspended"
    db.session.commit()
    member = make_user()
    headers = api_headers(member)
    body = json_of(client.get(f"/mentoring/mentors/{shown.id}.json", headers=headers))
    assert body["mentor"]["user"]["username"] == "shown" and body["mentor"]["yours"] is False
    for user_id in (hidden.id, suspended.id, member.id, 999999, 2**40):
        error_of(client.get(f"/mentoring/mentors/{user_id}.json", headers=headers), 404,
                 "not_found")  # fmt: skip
    # A mentor always sees their own, with its visibility.
    body = json_of(client.get(f"/mentoring/mentors/{hidden.id}.json", headers=api_headers(hidden)))
    assert body["mentor"]["directory_visibility"] == "coordinators_only"


# -- Requests ---------------------------------------------------------------------------------


def test_parties_see_their_request_with_details(client, app):
    request, mentee, mentor = active_request()
    body = json_of(client.get(one(request.id), headers=api_headers(mentee)))["request"]
    assert body["your_role"] == "mentee" and body["state"] == "active"
    assert body["goals"] == GOALS and body["preferences"] == PREFERENCES
    assert body["other_party"]["id"] == mentor.id
    assert [n["body"] for n in body["notes"]] == [NOTE]
    assert body["shortlist"] == [mentor.id]

    body = json_of(client.get(one(request.id), headers=api_headers(mentor)))["request"]
    assert body["your_role"] == "mentor" and body["goals"] == GOALS
    assert body["other_party"] == {"id": mentee.id, "name": mentee.username}
    assert "shortlist" not in body and "consent_to_coordinator" not in body

    mine = json_of(client.get(REQUESTS, headers=api_headers(mentee)))
    assert [r["id"] for r in mine["as_mentee"]] == [request.id] and mine["as_mentor"] == []
    assert mine["as_mentee"][0]["goals"] == GOALS and "notes" not in mine["as_mentee"][0]
    theirs = json_of(client.get(REQUESTS, headers=api_headers(mentor)))
    assert [r["id"] for r in theirs["as_mentor"]] == [request.id] and theirs["as_mentee"] == []


def test_nobody_else_gets_any_content_of_a_request(client, app):
    request, _mentee, _mentor = active_request()
    member = make_user("member")
    admin = make_user("admin1", role="admin")
    moderator = make_user("moderator1", role="moderator")
    assert access.is_coordinator(admin)
    missing = None
    for stranger in (member, admin, moderator):
        headers = api_headers(stranger)
        response = client.get(one(request.id), headers=headers)
        body = error_of(response, 404, "not_found")
        assert not leaks(response)
        absent = error_of(client.get(one(request.id + 1000), headers=headers), 404, "not_found")
        assert body == absent
        missing = missing or body
        assert body == missing
        response = client.get(REQUESTS, headers=headers)
        assert json_of(response) == {"as_mentee": [], "as_mentor": []}
        for url in (MENTORS, f"/mentoring/mentors/{_mentor.id}.json"):
            assert not leaks(client.get(url, headers=headers))
    error_of(client.get(one(2**40), headers=api_headers(member)), 404, "not_found")


def test_directory_never_carries_request_content(client, app):
    request, _mentee, mentor = active_request()
    db.session.execute(
        update(MentorProfile).where(MentorProfile.user_id == mentor.id).values(bio="Mentor bio.")
    )
    db.session.commit()
    for viewer in (make_user(), make_user(role="admin")):
        for url in (MENTORS, f"/mentoring/mentors/{mentor.id}.json"):
            response = client.get(url, headers=api_headers(viewer))
            assert response.status_code == 200 and not leaks(response)


def test_invited_mentor_sees_enough_to_decide_then_nothing_after_declining(client, app):
    mentor, _ = make_mentor("invitee")
    mentee = make_mentee()
    request = make_request(mentee)
    requests.make_shortlist(request)
    requests.pick(mentee, request, mentor.id)
    body = json_of(client.get(one(request.id), headers=api_headers(mentor)))["request"]
    assert body["state"] == "mentor_invited" and body["goals"] == GOALS
    assert body["your_role"] == "mentor"
    requests.answer(mentor, request, False)
    error_of(client.get(one(request.id), headers=api_headers(mentor)), 404, "not_found")
    response = client.get(REQUESTS, headers=api_headers(mentor))
    assert json_of(response) == {"as_mentee": [], "as_mentor": []}


def test_a_former_invitee_sees_state_only_in_the_list(client, app):
    """A mentor whose invitation was withdrawn keeps the request in their list, without
    any of its content."""
    mentor, _ = make_mentor("invitee")
    mentee = make_mentee()
    request = make_request(mentee)
    requests.make_shortlist(request)
    requests.pick(mentee, request, mentor.id)
    requests.move(request, "withdrawn", mentee, requests.MENTEE)
    db.session.commit()
    response = client.get(REQUESTS, headers=api_headers(mentor))
    body = json_of(response)
    assert [r["state"] for r in body["as_mentor"]] == ["withdrawn"]
    assert "goals" not in body["as_mentor"][0] and not leaks(response)
    error_of(client.get(one(request.id), headers=api_headers(mentor)), 404, "not_found")


def test_pseudonymous_request_shows_the_pseudonym_to_the_mentor(client, app):
    mentor, _ = make_mentor("pastoral", kinds=["pastoral_support"])
    mentee = make_mentee("realname")
    request = make_request(
        mentee, kinds=["pastoral_support"], wellbeing="1", urgency="urgent", pseudonym="Robin"
    )
    requests.make_shortlist(request)
    requests.pick(mentee, request, mentor.id)
    response = client.get(one(request.id), headers=api_headers(mentor))
    body = json_of(response)["request"]
    assert body["other_party"] == {"id": None, "name": "Robin"}
    assert "realname" not in response.get_data(as_text=True)
    assert body["signposts"][0]["name"] == "NHS Practitioner Health"


def test_purged_request_says_so(client, app):
    request, mentee, _mentor = active_request()
    db.session.execute(
        update(MentoringRequest)
        .where(MentoringRequest.id == request.id)
        .values(goals="", preferences="", details_purged_at=request.created_at)
    )
    db.session.commit()
    body = json_of(client.get(one(request.id), headers=api_headers(mentee)))["request"]
    assert body["details_erased"] is True and body["goals"] == ""
