"""Mentoring requests: submit, shortlist, pick, answer, the workflow's refusals, racing
accepts, who sees what, notifications without content, and purging closed requests."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from forum.database import utcnow
from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.notifications.models import Notification
from plugins.mentoring import access, profiles, requests
from plugins.mentoring.models import (
    MentoringRequest,
    RequestTag,
    RequestTransition,
    SessionNote,
)
from plugins.mentoring.workflow import TransitionRefused
from tests.factories import make_user

from .conftest import make_lmc, make_mentee, make_mentor, make_request, request_form

GOALS = "Secret goals: preparing for a tough levy negotiation with our ICB."


def transitions(request):
    return [
        (t.from_state, t.to_state, t.actor_id, t.role)
        for t in db.session.scalars(
            select(RequestTransition)
            .where(RequestTransition.request_id == request.id)
            .order_by(RequestTransition.id)
        )
    ]


def invited(mentee=None, **mentor_fields):
    """A request whose mentee has picked a mentor: ``(request, mentee, mentor, profile)``."""
    mentor, profile = make_mentor(**mentor_fields)
    mentee = mentee or make_mentee()
    request = make_request(mentee)
    assert requests.make_shortlist(request) == [mentor.id]
    requests.pick(mentee, request, mentor.id)
    return request, mentee, mentor, profile


# -- Submitting -------------------------------------------------------------------------------


def test_submit_records_request_and_consent(app):
    mentee = make_mentee()
    request = make_request(mentee)
    assert request.state == "submitted"
    assert request.requester_id == mentee.id
    assert request.values("need") == ["negotiation"]
    assert request.consent_to_coordinator and request.consent_at is not None
    assert transitions(request) == [("draft", "submitted", mentee.id, "mentee")]


def test_submit_without_consent_has_no_consent_time(app):
    request = make_request(consent_to_coordinator=None)
    assert not request.consent_to_coordinator and request.consent_at is None


def test_submit_lists_every_problem(app):
    mentee = make_mentee()
    with pytest.raises(ValidationFailed) as refused:
        requests.submit(
            mentee,
            request_form(
                needs=[], goals="x" * 4001, urgency="yesterday", modes=["fax"], pseudonym="Ann"
            ),
        )
    text = " | ".join(refused.value.messages)
    assert "Choose at least one thing you would like help with." in text
    assert "Keep your goals to 4,000 characters" in text
    assert "Unknown urgency: yesterday." in text
    assert "Unknown way of meeting: fax." in text
    assert "A pseudonym can be used for pastoral (wellbeing) requests only." in text
    assert db.session.scalar(select(MentoringRequest.id)) is None


def test_pseudonymous_pastoral_request(app):
    request = make_request(kinds=["pastoral_support"], wellbeing="1", pseudonym="Robin")
    assert request.pseudonym == "Robin"


# -- The journey ------------------------------------------------------------------------------


def test_shortlist_respects_capacity_and_conflicts_then_pick_and_accept(app):
    home = make_lmc("Home LMC")
    mentee = make_mentee(lmc=home)
    good, good_profile = make_mentor("good")
    _full, full_profile = make_mentor("full", capacity="1")
    full_profile.active_count = 1
    db.session.commit()
    conflicted, _ = make_mentor("conflicted", excluded_organisations=[str(home.id)])
    _paused, _ = make_mentor("paused", accepting="0")
    second, _ = make_mentor("second", expertise=["negotiation"], modes=["phone"])

    request = make_request(mentee)
    shortlist = requests.make_shortlist(request)
    assert shortlist == [good.id, second.id]
    assert request.state == "shortlisted"
    assert json.loads(request.shortlist) == shortlist

    with pytest.raises(ValidationFailed, match="Choose a mentor from your shortlist."):
        requests.pick(mentee, request, conflicted.id)
    with pytest.raises(ValidationFailed, match="cannot ask yourself"):
        requests.pick(mentee, request, mentee.id)
    assert request.state == "shortlisted"

    requests.pick(mentee, request, good.id)
    assert request.state == "mentor_invited" and request.invited_mentor_id == good.id
    requests.answer(good, request, True)
    assert request.state == "matched" and request.mentor_id == good.id
    db.session.refresh(good_profile)
    assert good_profile.active_count == 1

    assert transitions(request) == [
        ("draft", "submitted", mentee.id, "mentee"),
        ("submitted", "shortlisted", None, "system"),
        ("shortlisted", "mentor_invited", mentee.id, "mentee"),
        ("mentor_invited", "matched", good.id, "mentor"),
    ]
    # Both parties see it.
    assert access.request_for(mentee, request.id) is request
    assert access.request_for(good, request.id) is request


def test_pick_refuses_mentor_who_filled_up_or_excluded_since_shortlist(app):
    home = make_lmc("Home LMC")
    mentee = make_mentee(lmc=home)
    mentor, profile = make_mentor(capacity="1")
    other, other_profile = make_mentor()
    request = make_request(mentee)
    requests.make_shortlist(request)
    profile.active_count = 1
    db.session.commit()
    with pytest.raises(ValidationFailed, match="no place for a new mentee"):
        requests.pick(mentee, request, mentor.id)
    profiles.save_profile(
        other,
        {
            "kinds": ["lmc_officer_buddy"],
            "expertise": ["negotiation"],
            "audiences": ["new_lmc_officers"],
            "modes": ["video"],
            "capacity": "2",
            "nation": "england",
            "excluded_organisations": [str(home.id)],
        },
    )
    with pytest.raises(ValidationFailed, match="cannot take requests from your organisation"):
        requests.pick(mentee, request, other.id)
    assert request.state == "shortlisted" and request.invited_mentor_id is None


def test_decline_goes_back_to_shortlist_without_the_decliner(app):
    first, _ = make_mentor("first")
    second, _ = make_mentor("second")
    mentee = make_mentee()
    request = make_request(mentee)
    requests.make_shortlist(request)
    requests.pick(mentee, request, first.id)
    requests.answer(first, request, False)
    assert request.state == "shortlisted"
    assert request.invited_mentor_id is None
    assert requests.shortlist_ids(request) == [second.id]
    assert transitions(request)[-2:] == [
        ("mentor_invited", "declined", first.id, "mentor"),
        ("declined", "shortlisted", None, "system"),
    ]
    assert not access.can_see_request(first, request)


def test_no_suitable_mentor_goes_to_triage(app):
    request = make_request()
    assert requests.make_shortlist(request) == []
    assert request.state == "triage"


def test_mentor_at_capacity_cannot_accept(app):
    request, _mentee, mentor, profile = invited(capacity="1")
    db.session.execute(update(type(profile)).values(active_count=1))
    db.session.commit()
    with pytest.raises(ValidationFailed, match="no free place"):
        requests.answer(mentor, request, True)
    db.session.refresh(request)
    assert request.state == "mentor_invited" and request.mentor_id is None


# -- Refusals ---------------------------------------------------------------------------------


def test_completing_a_declined_request_is_refused_with_no_change(app):
    request, mentee, mentor, _ = invited()
    requests.move(request, "declined", mentor, "mentor")
    db.session.commit()
    before = transitions(request)
    with pytest.raises(TransitionRefused, match="A request that was declined cannot be completed."):
        requests.move(request, "completed", mentee, "mentee")
    db.session.refresh(request)
    assert request.state == "declined"
    assert transitions(request) == before


def test_wrong_role_is_refused(app):
    request, mentee, _mentor, _ = invited()
    with pytest.raises(TransitionRefused, match="only by the mentor"):
        requests.move(request, "matched", mentee, "mentee")
    assert request.state == "mentor_invited"


def test_two_accepts_one_after_the_other(app):
    request, _mentee, mentor, profile = invited()
    requests.answer(mentor, request, True)
    with pytest.raises(ValidationFailed, match="already been answered"):
        requests.answer(mentor, request, True)
    db.session.refresh(profile)
    assert profile.active_count == 1
    assert [t[1] for t in transitions(request)].count("matched") == 1


def test_stale_second_accept_loses_the_race(app):
    """The second answer read the request before the first was committed: its conditional
    UPDATE finds no row in ``mentor_invited`` and it changes nothing."""
    request, _mentee, mentor, profile = invited()
    requests.answer(mentor, request, True)
    # Make the object look as the second session read it, before the first answer.
    set_committed_value(request, "state", "mentor_invited")
    set_committed_value(request, "mentor_id", None)
    with pytest.raises(ValidationFailed, match="already been answered"):
        requests.answer(mentor, request, False)  # a decline racing the accept loses too
    db.session.refresh(request)
    db.session.refresh(profile)
    assert request.state == "matched" and request.mentor_id == mentor.id
    assert profile.active_count == 1
    assert [t[1] for t in transitions(request)] == [
        "submitted",
        "shortlisted",
        "mentor_invited",
        "matched",
    ]


def test_conditional_update_from_a_second_connection_matches_nothing(app):
    request, _mentee, mentor, _profile = invited()
    request_id, mentor_id = request.id, mentor.id
    requests.answer(mentor, request, True)
    db.session.close()  # the second "session" has the connection to itself
    statement = (
        update(MentoringRequest)
        .where(
            MentoringRequest.id == request_id,
            MentoringRequest.state == "mentor_invited",
            MentoringRequest.invited_mentor_id == mentor_id,
        )
        .values(state="matched", mentor_id=mentor_id)
    )
    with db.engine.begin() as connection:
        assert connection.execute(statement).rowcount == 0
    assert db.session.get(MentoringRequest, request_id).mentor_id == mentor_id


def test_only_the_invited_mentor_answers(app):
    request, mentee, _mentor, _ = invited()
    stranger = make_user()
    with pytest.raises(NotFound):
        requests.answer(stranger, request, True)
    with pytest.raises(NotFound):
        requests.pick(stranger, request, stranger.id)
    assert request.state == "mentor_invited"


# -- Who sees what ----------------------------------------------------------------------------


def test_another_users_request_id_is_not_found(app):
    request = make_request()
    stranger = make_user()
    with pytest.raises(NotFound) as missing:
        access.request_for(stranger, request.id)
    with pytest.raises(NotFound) as absent:
        access.request_for(stranger, request.id + 1000)
    assert missing.value.messages == absent.value.messages
    with pytest.raises(NotFound):
        access.request_for(stranger, "1 OR 1=1")


def test_coordinators_and_admins_get_status_only(app):
    request, mentee, mentor, _ = invited()
    admin = make_user(role="admin")
    assert access.is_coordinator(admin)
    assert not access.can_see_request(admin, request)
    with pytest.raises(NotFound):
        access.request_for(admin, request.id)
    status = access.request_status(admin, request.id)
    assert set(status) == {"id", "state", "state_label", "created_at", "updated_at", "closed_at"}
    assert status["state"] == "mentor_invited"
    assert GOALS not in repr(status)
    # The invited mentor sees the invitation; the mentee sees theirs.
    assert access.can_see_request(mentor, request)
    assert access.can_see_request(mentee, request)


def test_coordinator_sees_no_status_without_consent(app):
    request = make_request(consent_to_coordinator=None)
    admin = make_user(role="admin")
    with pytest.raises(NotFound):
        access.request_status(admin, request.id)
    with pytest.raises(NotFound):
        access.request_status(make_user(), request.id)


def test_notifications_carry_no_content(app):
    request, mentee, mentor, _ = invited()
    requests.answer(mentor, request, True)
    sent = list(db.session.scalars(select(Notification).order_by(Notification.id)))
    assert [(n.user_id, n.type) for n in sent] == [
        (mentor.id, "mentoring.request"),
        (mentee.id, "mentoring.answer"),
    ]
    for notification in sent:
        data = json.loads(notification.data)
        assert data["url"] == f"/mentoring/requests/{request.id}"
        assert "levy" not in notification.data and "Secret" not in notification.data
    assert json.loads(sent[0].data)["message"] == "Someone asks you to be their mentor"


# -- Purging ----------------------------------------------------------------------------------


def test_purge_closed_erases_details_after_the_configured_months(app):
    app.config["MENTORING_PURGE_AFTER_MONTHS"] = 6
    mentee = make_mentee()
    old = make_request(mentee)
    recent = make_request(mentee)
    still_open = make_request(mentee)
    requests.move(old, "withdrawn", mentee, "mentee")
    requests.move(recent, "withdrawn", mentee, "mentee")
    db.session.add(SessionNote(request_id=old.id, author_id=mentee.id, body="private note"))
    db.session.commit()
    now = utcnow()
    old.closed_at = now - timedelta(days=200)
    recent.closed_at = now - timedelta(days=30)
    db.session.commit()

    assert requests.purge_closed(now) == 1
    old, recent, still_open = (
        db.session.get(MentoringRequest, r.id) for r in (old, recent, still_open)
    )
    assert old.goals == "" and old.preferences == "" and old.details_purged_at == now
    assert old.state == "withdrawn" and old.created_at is not None and old.closed_at
    assert db.session.scalar(select(RequestTag).where(RequestTag.request_id == old.id)) is None
    assert db.session.scalar(select(SessionNote).where(SessionNote.request_id == old.id)) is None
    assert len(transitions(old)) == 2  # the history of states stays
    assert recent.goals == GOALS and recent.details_purged_at is None
    assert still_open.goals == GOALS and still_open.values("need") == ["negotiation"]
    assert requests.purge_closed(now) == 0  # already done

    app.config["MENTORING_PURGE_AFTER_MONTHS"] = 1
    assert requests.purge_closed(now) == 1


def test_closing_a_match_frees_the_mentors_place(app):
    request, mentee, mentor, profile = invited(capacity="1")
    requests.answer(mentor, request, True)
    db.session.refresh(profile)
    assert profile.full and not profile.taking_mentees
    requests.move(request, "withdrawn", mentee, "mentee")
    db.session.commit()
    db.session.refresh(profile)
    assert profile.active_count == 0 and profile.taking_mentees
    assert request.closed_at is not None


def test_renewing_after_review_counts_the_next_review_from_then(app):
    from datetime import timedelta

    from forum.database import utcnow
    from plugins.mentoring import workflow

    request, mentee, mentor, _profile = invited()
    requests.answer(mentor, request, True)
    requests.move(request, "active", mentee, "mentee")
    request.sessions = 6
    requests.move(request, "review_due", None, "system")
    requests.move(request, "active", mentor, "mentor")
    assert request.sessions == 0
    assert not workflow.review_due(request.started_at, request.sessions, utcnow())
    later = utcnow() + timedelta(days=95)
    assert workflow.review_due(request.started_at, request.sessions, later)
