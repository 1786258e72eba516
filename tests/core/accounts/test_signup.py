"""Registration: accounts wait for approval unless they come with an invite link."""

import re

import pytest
from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import Organisation, User
from forum.extensions import db
from tests.conftest import AuthActions
from tests.core.accounts.helpers import sign_in, signed_in, text
from tests.factories import make_user

GOOD_PASSWORD = "a long enough passphrase"


def _form(**overrides):
    form = {
        "username": "h.marsh",
        "name": "Dr Helen Marsh",
        "email": "helen@devonlmc.example",
        "password": GOOD_PASSWORD,
        "organisation_id": "",
        "job_role": "Medical secretary",
    }
    form.update(overrides)
    return form


def _user(username) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username_lower == username.lower()))


@pytest.fixture
def devon(app):
    org = Organisation(name="Devon LMC", nation="England", region="South West")
    db.session.add(org)
    db.session.commit()
    return org


def test_signup_page_lists_organisations(client, devon):
    response = client.get("/signup")
    assert response.status_code == 200
    body = text(response)
    assert "Devon LMC" in body and 'optgroup label="England"' in body
    assert "approve" in body  # explains that accounts wait for approval


def test_signup_without_invite_waits_for_approval(app, client, devon):
    response = client.post("/signup", data=_form(organisation_id=str(devon.id)))
    assert response.status_code == 302
    assert response.headers["Location"] == "/signup/pending"
    page = client.get("/signup/pending")
    assert "waiting for approval" in text(page)
    user = _user("h.marsh")
    assert user.status == "pending"
    assert user.name == "Dr Helen Marsh"
    assert user.organisation_id == devon.id
    assert user.job_role == "Medical secretary"
    assert user.email == "helen@devonlmc.example"
    # Not signed in, and cannot sign in yet.
    assert not signed_in(client, "h.marsh")
    assert "waiting for approval" in text(sign_in(client, "h.marsh", GOOD_PASSWORD))


def test_approving_lets_the_user_sign_in(app, client):
    client.post("/signup", data=_form())
    admin = make_user("boss", role="admin")
    admin_client = app.test_client()
    AuthActions(admin_client).login_as(admin)
    user = _user("h.marsh")
    response = admin_client.post(f"/admin/users/{user.id}/approve")
    assert response.status_code == 302
    assert _user("h.marsh").status == "active"
    assert sign_in(client, "h.marsh", GOOD_PASSWORD).status_code == 302
    assert signed_in(client, "h.marsh")


def test_errors_keep_typed_values_but_not_the_password(app, client, devon):
    make_user("taken")
    response = client.post(
        "/signup",
        data=_form(
            username="Taken",
            password="short",
            organisation_id=str(devon.id),
            job_role="Chief executive",
        ),
    )
    assert response.status_code == 422
    body = text(response)
    assert "That username is taken" in body
    assert "Password is too short" in body  # every problem at once
    assert 'value="Taken"' in body
    assert 'value="Dr Helen Marsh"' in body
    assert 'value="helen@devonlmc.example"' in body
    assert 'value="Chief executive"' in body
    assert f'<option value="{devon.id}" selected>' in body
    assert "short" not in re.findall(r'type="password"[^>]*', body)[0]
    assert 'value="short"' not in body
    assert _user("taken").email == "taken@example.org"  # nothing changed


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"username": ""}, "Please choose a username."),
        ({"username": "ab"}, "Username must be 3 to 20 characters"),
        ({"username": "a" * 21}, "Username must be 3 to 20 characters"),
        ({"username": "has space"}, "Username must be 3 to 20 characters"),
        ({"username": "émile"}, "Username must be 3 to 20 characters"),
        ({"name": "   "}, "Please enter your name."),
        ({"email": ""}, "Please enter your e-mail address."),
        ({"email": "not-an-email"}, "Please enter a valid e-mail address"),
        ({"password": ""}, "Please choose a password."),
        ({"password": "123456789"}, "Password is too short"),
        ({"password": "password1234"}, "too easy to guess"),
        ({"password": "h.marsh1234", "username": "h.marsh1234"}, "too easy to guess"),
        ({"organisation_id": "99999"}, "Please choose an organisation from the list."),
        ({"organisation_id": "9" * 40}, "Please choose an organisation from the list."),
        ({"job_role": "x" * 101}, "Job role is too long"),
        ({"name": "x" * 101}, "Name is too long"),
        ({"username": "nul\x00byte"}, "Please choose a username."),
        ({"password": "nul\x00byte in a password"}, "cannot be used"),
    ],
)
def test_bad_signup_input_gets_a_message(app, client, overrides, message):
    response = client.post("/signup", data=_form(**overrides))
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.scalar(select(User.id).where(User.email == "helen@devonlmc.example")) is None


def test_usernames_and_emails_are_unique_without_regard_to_case(app, client):
    make_user("Alice", email="alice@example.org")
    response = client.post("/signup", data=_form(username="ALICE", email="ALICE@example.ORG"))
    body = text(response)
    assert "That username is taken" in body
    assert "An account with that e-mail address already exists" in body


def test_long_password_round_trips(app, client):
    long_password = "correct horse battery staple " * 4 + "x" * 12  # 128 characters
    assert len(long_password) == 128
    client.post("/signup", data=_form(password=long_password))
    services.set_status(_user("h.marsh"), "active")
    assert sign_in(client, "h.marsh", long_password).status_code == 302
    client.post("/logout")
    assert sign_in(client, "h.marsh", long_password[:-1]).status_code == 422


def test_signed_in_user_is_sent_away_from_signup(app, client):
    make_user("alice")
    sign_in(client, "alice")
    assert client.get("/signup").status_code == 302


# Invites -------------------------------------------------------------------------------------


def _invite(**kwargs):
    admin = services.find_user("boss") or make_user("boss", role="admin")
    invite, token = services.create_invite(admin, **kwargs)
    return invite, token


def test_invite_link_redirects_to_signup(client):
    response = client.get("/invites/abc123")
    assert response.status_code == 302
    assert response.headers["Location"] == "/signup?invite=abc123"


def test_invited_signup_is_active_and_signed_in(app, client):
    invite, token = _invite()
    page = client.get(f"/signup?invite={token}")
    assert "You have been invited" in text(page)
    assert f"invite={token}" in text(page)  # the form posts the token back
    response = client.post(f"/signup?invite={token}", data=_form())
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _user("h.marsh").status == "active"
    assert signed_in(client, "h.marsh")
    db.session.refresh(invite)
    assert invite.uses == 1


def test_used_invite_cannot_be_used_again(app, client):
    _, token = _invite(max_uses=1)
    client.post(f"/signup?invite={token}", data=_form())
    other = app.test_client()
    page = other.get(f"/signup?invite={token}")
    assert "expired or has already been used" in text(page)
    response = other.post(
        f"/signup?invite={token}", data=_form(username="second", email="second@example.org")
    )
    assert response.status_code == 422
    assert "expired or has already been used" in text(response)
    assert 'value="second"' in text(response)  # what they typed is kept
    assert _user("second") is None


def test_invite_for_several_people(app, client):
    _, token = _invite(max_uses=2)
    for n in (1, 2):
        fresh = app.test_client()
        response = fresh.post(
            f"/signup?invite={token}", data=_form(username=f"user{n}x", email=f"u{n}@example.org")
        )
        assert response.status_code == 302
        assert _user(f"user{n}x").status == "active"
    third = app.test_client().post(
        f"/signup?invite={token}", data=_form(username="user3x", email="u3@example.org")
    )
    assert third.status_code == 422


def test_expired_invite_is_refused(app, client):
    _invite_row, token = _invite(days=1)
    from datetime import timedelta

    from forum.database import utcnow

    _invite_row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"/signup?invite={token}", data=_form())
    assert response.status_code == 422
    assert _user("h.marsh") is None


def test_invite_for_one_address_prefills_it_and_refuses_others(app, client):
    _, token = _invite(email="helen@devonlmc.example")
    page = client.get(f"/signup?invite={token}")
    assert 'value="helen@devonlmc.example"' in text(page)
    response = client.post(f"/signup?invite={token}", data=_form(email="someone@else.example"))
    assert response.status_code == 422
    assert "different e-mail address" in text(response)
    response = client.post(f"/signup?invite={token}", data=_form())
    assert response.status_code == 302
    assert _user("h.marsh").status == "active"


def test_each_problem_is_reported_once(app, client):
    response = client.post("/signup", data=_form(name="x" * 101, password="short"))
    body = text(response)
    assert body.count("Name is too long") == 1
    assert body.count("Password is too short") == 1
