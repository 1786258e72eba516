"""The mentoring pages through the HTTP client: the directory and its filters, mentor pages,
the profile form, asking (with signposting first for urgent wellbeing requests), the
shortlist, answering, moving a request on, and the confidentiality of request pages and the
coordinators' table."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import g, render_template
from sqlalchemy import func, select

from forum.extensions import db
from plugins.mentoring import requests, views
from plugins.mentoring.models import MentoringRequest, MentorProfile
from tests.factories import add_member, make_user
from tests.mentoring.conftest import (
    make_lmc,
    make_mentee,
    make_mentor,
    make_request,
    profile_form,
    request_form,
)

GOALS = "Secret goals: preparing for a tough levy negotiation with our ICB."


def text(response) -> str:
    return response.get_data(as_text=True)


def mentor_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="mentor-card[^"]*" data-mentor="(\d+)"', page)]


def count_requests() -> int:
    return db.session.scalar(select(func.count()).select_from(MentoringRequest))


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">([^<]*)</p>', page)


# -- The directory ----------------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in(client):
    make_mentor("visible")
    response = client.get("/mentoring/")
    page = text(response)
    assert response.status_code == 200
    assert "Please <a" in page and "sign in</a>" in page
    assert mentor_ids(page) == []


def test_directory_lists_filters_and_shows_availability(client, auth):
    negotiator, _ = make_mentor("negotiator", expertise=["negotiation"])
    welsh, _ = make_mentor(
        "welsh", nation="wales", languages=["Welsh", "English"], expertise=["pensions"]
    )
    paused, _ = make_mentor("paused", accepting="0")
    full, full_profile = make_mentor("full", capacity="1")
    full_profile.active_count = 1
    db.session.commit()
    auth.login_as(make_user())

    page = text(client.get("/mentoring/"))
    assert "4 mentors" in page
    assert "Ask for a mentor" in page and "Your mentor profile" in page
    assert "Accepting" in page and "Full" in page and "Not accepting now" in page
    # Those taking mentees first.
    assert mentor_ids(page)[:2] == [negotiator.id, welsh.id]

    assert mentor_ids(text(client.get("/mentoring/?nation=wales"))) == [welsh.id]
    assert mentor_ids(text(client.get("/mentoring/?language=welsh"))) == [welsh.id]
    assert mentor_ids(text(client.get("/mentoring/?expertise=pensions"))) == [welsh.id]
    accepting = mentor_ids(text(client.get("/mentoring/?accepting_now=1")))
    assert sorted(accepting) == sorted([negotiator.id, welsh.id])
    assert full.id not in accepting and paused.id not in accepting

    page = text(client.get("/mentoring/?kind=pastoral_support"))
    assert mentor_ids(page) == [] and "No mentors match these filters" in page


@pytest.mark.parametrize(
    "query",
    ["kind=wizard", "expertise=alchemy", "nation=atlantis", "mode=pigeon", "accepting_now=maybe"],
)
def test_unknown_filter_values_are_bad_requests(client, auth, query):
    auth.login_as(make_user())
    assert client.get(f"/mentoring/?{query}").status_code == 400


def test_empty_directory_says_so(client, auth):
    auth.login_as(make_user())
    page = text(client.get("/mentoring/"))
    assert "No mentors are in the directory yet" in page


def test_visibility_levels(client, auth):
    everyone, _ = make_mentor("everyone")
    officers, _ = make_mentor("officersonly", directory_visibility="officers_staff")
    hidden, _ = make_mentor("hidden", directory_visibility="coordinators_only")

    member = make_user()
    auth.login_as(member)
    assert mentor_ids(text(client.get("/mentoring/"))) == [everyone.id]
    assert client.get(f"/mentoring/mentors/{officers.id}").status_code == 404
    assert client.get(f"/mentoring/mentors/{hidden.id}").status_code == 404
    assert client.get(f"/mentoring/mentors/{everyone.id}").status_code == 200

    officer = make_user()
    add_member(officer, "officers")
    auth.login_as(officer)
    assert sorted(mentor_ids(text(client.get("/mentoring/")))) == [everyone.id, officers.id]

    auth.login_as(make_user(role="admin"))
    assert sorted(mentor_ids(text(client.get("/mentoring/")))) == sorted(
        [everyone.id, officers.id, hidden.id]
    )
    assert client.get(f"/mentoring/mentors/{hidden.id}").status_code == 200

    auth.login_as(hidden)  # a mentor always sees their own
    assert hidden.id in mentor_ids(text(client.get("/mentoring/")))

    auth.logout()
    assert client.get(f"/mentoring/mentors/{everyone.id}").status_code == 404


def test_mentor_page_shows_qualifications_with_verified_marks(client, auth):
    mentor, profile = make_mentor("qualified", bio="Twenty years in general practice.")
    profile.qualifications = (
        '[{"name": "ILM Level 7 Coaching", "awarding_body": "ILM", "year": 2019, '
        '"verified": true}, {"name": "Mentoring course", "verified": false}]'
    )
    db.session.commit()
    auth.login_as(make_user())
    page = text(client.get(f"/mentoring/mentors/{mentor.id}"))
    assert "ILM Level 7 Coaching" in page and "Mentoring course" in page
    assert page.count(">verified</span>") == 1
    assert "Twenty years in general practice." in page


def test_profile_panel_and_list_view_helpers(app):
    mentor, _ = make_mentor("panelled")
    hidden, _ = make_mentor("hiddenpanel", directory_visibility="coordinators_only")
    member = make_user()
    with app.test_request_context("/c/mentors"):
        panels = views.profile_panel(mentor, member)
        assert [p.template for p in panels] == ["mentoring/_profile_card.html"]
        assert views.profile_panel(hidden, member) == []
        assert views.profile_panel(member, member) == []
        view = views.directory_list_view(None, member, 1)
        assert view.template == "mentoring/_directory.html"
        assert [c.profile.user_id for c in view.context["mentors"]] == [mentor.id]


# -- The profile form -------------------------------------------------------------------------


def test_profile_form_saves_and_shows_again(client, auth):
    member = make_mentee()
    auth.login_as(member)
    page = text(client.get("/mentoring/profile"))
    assert "Offer to mentor" in page

    response = client.post("/mentoring/profile", data=profile_form(accepting="1"))
    assert response.status_code == 303
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == member.id))
    assert profile.capacity_max == 2 and profile.accepting
    assert set(profile.values("expertise")) == {"negotiation", "lmc-governance"}

    page = text(client.get("/mentoring/profile"))
    assert "Your mentor profile" in page
    assert 'value="negotiation" checked' in page and 'value="2"' in page

    # An unticked "accepting" box turns accepting off.
    client.post("/mentoring/profile", data=profile_form())
    db.session.refresh(profile)
    assert not profile.accepting


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"capacity": "0"}, "Capacity must be at least 1 mentee"),
        ({"capacity": "1000"}, "Capacity can be at most 20 mentees"),
        ({"kinds": None, "modes": None}, "Choose at least one kind of mentoring you offer."),
    ],
)
def test_profile_form_refuses_with_every_message_and_keeps_values(client, auth, fields, message):
    member = make_mentee()
    auth.login_as(member)
    form = profile_form(bio="My bio stays put.", **fields)
    response = client.post("/mentoring/profile", data=form)
    page = text(response)
    assert response.status_code == 422
    assert message in page
    if "modes" in fields:
        assert "Choose at least one way of meeting" in page
    assert "My bio stays put." in page and 'value="negotiation" checked' in page
    assert db.session.scalar(select(func.count()).select_from(MentorProfile)) == 0


def test_visitors_cannot_use_the_forms(client):
    assert client.get("/mentoring/profile").status_code == 403
    assert client.get("/mentoring/ask").status_code == 403
    assert client.get("/mentoring/requests").status_code == 403


# -- Asking, the shortlist, answering ---------------------------------------------------------


def test_ask_shows_a_shortlist_respecting_capacity_and_conflicts(client, auth):
    home = make_lmc("Home LMC")
    mentee = make_mentee(lmc=home)
    good, _ = make_mentor("good")
    second, _ = make_mentor("second", expertise=["negotiation"], modes=["phone"])
    full, full_profile = make_mentor("fullup", capacity="1")
    full_profile.active_count = 1
    db.session.commit()
    conflicted, _ = make_mentor("conflicted", excluded_organisations=[str(home.id)])
    auth.login_as(mentee)

    assert "What do you hope to get" in text(client.get("/mentoring/ask"))
    response = client.post("/mentoring/ask", data=request_form())
    assert response.status_code == 303
    created = db.session.scalar(select(MentoringRequest))
    assert response.headers["Location"].endswith(f"/mentoring/requests/{created.id}")

    page = text(client.get(response.headers["Location"]))
    assert "Choose a mentor" in page and GOALS in page
    offered = mentor_ids(page)
    assert offered == [good.id, second.id]
    assert full.id not in offered and conflicted.id not in offered
    assert page.count("Ask this mentor") == 2
    assert "Why suggested" in page and "Negotiation" in page

    page = text(client.get("/mentoring/requests"))
    assert f"Request #{created.id}" in page and "Choose a mentor" in page


def test_ask_refuses_with_every_message(client, auth):
    auth.login_as(make_mentee())
    response = client.post(
        "/mentoring/ask", data=request_form(needs=None, goals="", preferences="kept text")
    )
    page = text(response)
    assert response.status_code == 422
    assert "Choose at least one thing you would like help with." in page
    assert "Say briefly what you hope to get from mentoring." in page
    assert "kept text" in page
    assert count_requests() == 0


def test_urgent_wellbeing_request_shows_signposting_first(client, auth):
    make_mentor("pastoral", kinds=["pastoral_support"], expertise=["wellbeing"])
    auth.login_as(make_mentee())
    form = request_form(
        urgency="urgent", wellbeing="1", needs=["wellbeing"], kinds=["pastoral_support"],
        goals="I am struggling and need someone to talk to.", pseudonym="Sam",
    )  # fmt: skip
    response = client.post("/mentoring/ask", data=form)
    page = text(response)
    assert response.status_code == 200
    assert "NHS Practitioner Health" in page and "116 123" in page
    assert "Continue with my request" in page and 'name="signposted_seen" value="1"' in page
    assert count_requests() == 0

    # The page carries the form on: continuing submits it.
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert carried["signposted_seen"] == "1" and carried["pseudonym"] == "Sam"
    response = client.post("/mentoring/ask", data={**form, "signposted_seen": "1"})
    assert response.status_code == 303
    created = db.session.scalar(select(MentoringRequest))
    assert created.wellbeing and created.pseudonym == "Sam" and created.urgency == "urgent"


def test_routine_wellbeing_request_is_not_held_up(client, auth):
    auth.login_as(make_mentee())
    response = client.post(
        "/mentoring/ask", data=request_form(wellbeing="1", kinds=["pastoral_support"])
    )
    assert response.status_code == 303 and count_requests() == 1


def test_pick_accept_and_both_see_matched(client, auth):
    mentee = make_mentee()
    mentor, profile = make_mentor("chosen")
    auth.login_as(mentee)
    client.post("/mentoring/ask", data=request_form())
    created = db.session.scalar(select(MentoringRequest))
    url = f"/mentoring/requests/{created.id}"

    response = client.post(f"{url}/pick", data={"mentor_id": str(mentor.id)})
    assert response.status_code == 303
    page = text(client.get(url))
    assert "Mentor invited" in page and "We have asked" in page

    auth.login_as(mentor)
    page = text(client.get(url))
    assert "asks you to be their mentor" in page and "Accept" in page and "Decline" in page
    assert GOALS in page
    assert "waiting for your answer" in text(client.get("/mentoring/requests"))
    response = client.post(f"{url}/answer", data={"accept": "1"})
    assert response.status_code == 303
    page = text(client.get(url, follow_redirects=True))
    assert 'data-state="matched"' in page and "Matched" in page
    assert "Confirm our agreement" in page

    # A second accept is a clear message, not an error page.
    response = client.post(f"{url}/answer", data={"accept": "1"}, follow_redirects=True)
    assert response.status_code == 200
    assert "This invitation has already been answered." in text(response)
    db.session.refresh(profile)
    assert profile.active_count == 1

    auth.login_as(mentee)
    page = text(client.get(url))
    assert 'data-state="matched"' in page and "Your mentor is" in page

    # The mentee confirms: active.
    response = client.post(f"{url}/move", data={"to": "active"}, follow_redirects=True)
    assert "This request is now: Active." in text(response)


def test_picking_someone_off_the_shortlist_is_a_clear_message(client, auth):
    mentee = make_mentee()
    make_mentor("listed")
    outsider, _ = make_mentor("outsider", expertise=["pensions"], kinds=["gp_mentor"])
    created = make_request(mentee)
    requests.make_shortlist(created)
    auth.login_as(mentee)
    response = client.post(
        f"/mentoring/requests/{created.id}/pick",
        data={"mentor_id": str(outsider.id)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Choose a mentor from your shortlist." in text(response)
    response = client.post(
        f"/mentoring/requests/{created.id}/pick", data={"mentor_id": "x"}, follow_redirects=True
    )
    assert "Choose a mentor from your shortlist." in text(response)


def test_completing_a_declined_request_is_a_clear_message(client, auth):
    mentee = make_mentee()
    mentor, _ = make_mentor("decliner")
    created = make_request(mentee)
    requests.make_shortlist(created)
    requests.pick(mentee, created, mentor.id)
    requests.move(created, "declined", mentor, "mentor")
    db.session.commit()
    auth.login_as(mentee)
    response = client.post(
        f"/mentoring/requests/{created.id}/move", data={"to": "completed"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "A request that was declined cannot be completed." in text(response)
    db.session.refresh(created)
    assert created.state == "declined"
    response = client.post(
        f"/mentoring/requests/{created.id}/move", data={"to": "nonsense"}, follow_redirects=True
    )
    assert response.status_code == 200 and "Choose one of the buttons shown." in text(response)


def test_invited_mentor_cannot_match_themselves_through_move(client, auth):
    mentee = make_mentee()
    mentor, profile = make_mentor("sneaky")
    created = make_request(mentee)
    requests.make_shortlist(created)
    requests.pick(mentee, created, mentor.id)
    auth.login_as(mentor)
    response = client.post(
        f"/mentoring/requests/{created.id}/move", data={"to": "matched"}, follow_redirects=True
    )
    assert "Please use the buttons on this page." in text(response)
    db.session.refresh(created)
    assert created.state == "mentor_invited" and created.mentor_id is None


# -- Confidentiality --------------------------------------------------------------------------


def test_other_peoples_requests_are_not_found(client, auth):
    make_mentor("available")
    created = make_request()
    requests.make_shortlist(created)
    url = f"/mentoring/requests/{created.id}"
    for someone in (make_user(), make_user(role="admin")):
        auth.login_as(someone)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}/move", data={"to": "withdrawn"}).status_code == 404
        assert client.post(f"{url}/answer", data={"accept": "1"}).status_code == 404
    assert client.get("/mentoring/requests/999999").status_code == 404
    db.session.refresh(created)
    assert created.state == "shortlisted"


def test_coordinators_see_status_only(client, auth):
    make_mentor("available")
    consented = make_request()
    requests.make_shortlist(consented)
    private = make_request(consent_to_coordinator=None, goals="Nobody else may read this.")

    auth.login_as(make_user())
    assert client.get("/mentoring/coordinate").status_code == 403

    auth.login_as(make_user(role="admin"))
    assert client.get(f"/mentoring/requests/{consented.id}").status_code == 404
    page = text(client.get("/mentoring/coordinate"))
    assert f"Request #{consented.id}" in page and "Choose a mentor" in page
    assert f"Request #{private.id}" not in page
    assert GOALS not in page and "Nobody else may read this." not in page
    assert "Negotiation" not in page and "negotiation" not in page
    requester = db.session.get(type(consented), consented.id).requester_id
    assert f"/u/{requester}" not in page


def test_card_profile_panel_and_category_list_render(app):
    lmc = make_lmc("Carded LMC")
    mentor, profile = make_mentor(
        "carded", lmc=lmc, expertise=["negotiation", "pensions", "premises", "workload"]
    )
    member = make_user()
    kind = SimpleNamespace(label="Mentor")
    with app.test_request_context("/t/some-topic"):
        g._login_user = member  # who flask-login says is looking
        card = render_template("mentoring/_card.html", attachment=profile, attachment_type=kind)
        assert f"/mentoring/mentors/{mentor.id}" in card and "Carded LMC" in card
        assert "Accepting" in card and "and 1 more" in card

        (panel,) = views.profile_panel(mentor, member)
        drawn = render_template(panel.template, panel=panel)
        assert f'data-mentor="{mentor.id}"' in drawn and "See their directory entry" in drawn

        view = views.directory_list_view(None, member, 1)
        drawn = render_template(view.template, panel=view)
        assert mentor_ids(drawn) == [mentor.id] and 'action="/t/some-topic"' in drawn
