"""Sign-in and sign-out through the HTTP client: messages, sessions, cookies, CSRF,
redirects and throttling (security.md §1.6–1.7 and §2)."""

import pytest

from forum.extensions import db
from tests.conftest import make_app
from tests.core.accounts.helpers import (
    SESSION_COOKIE,
    csrf_token,
    session_cookie,
    sign_in,
    signed_in,
    text,
)
from tests.factories import PASSWORD, make_user


def test_login_page_renders(client):
    response = client.get("/login?next=/categories")
    assert response.status_code == 200
    body = text(response)
    assert 'name="login"' in body and 'type="password"' in body
    assert 'name="next" value="/categories"' in body


@pytest.mark.parametrize("login", ["alice", "ALICE", "alice@example.org", "Alice@Example.org"])
def test_sign_in_with_username_or_email(app, client, login):
    make_user("alice")
    response = sign_in(client, login)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client, "alice")


def test_wrong_password_and_unknown_account_get_the_same_answer(app, client):
    make_user("alice")
    wrong = sign_in(client, "alice", "not the password at all")
    unknown = sign_in(client, "nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    message = "That username, e-mail address or password is not right."
    assert message in text(wrong) and message in text(unknown)
    # The typed login is kept; the password never comes back.
    assert 'value="alice"' in text(wrong)
    assert "not the password at all" not in text(wrong)
    assert not signed_in(client, "alice")


def test_pending_account_cannot_sign_in(app, client):
    make_user("newbie", status="pending")
    response = sign_in(client, "newbie")
    assert response.status_code == 422
    assert "waiting for approval" in text(response)
    assert not signed_in(client, "newbie")
    with client.session_transaction() as session:
        assert "sid" not in session


def test_suspended_account_cannot_sign_in(app, client):
    make_user("gone", status="suspended")
    response = sign_in(client, "gone")
    assert response.status_code == 422
    assert "suspended" in text(response)
    assert not signed_in(client, "gone")


def test_wrong_password_for_pending_account_says_nothing_about_it(app, client):
    make_user("newbie", status="pending")
    response = sign_in(client, "newbie", "not the password at all")
    assert "waiting for approval" not in text(response)
    assert "not right" in text(response)


def test_signed_in_user_visiting_login_is_sent_on(app, client):
    make_user("alice")
    sign_in(client, "alice")
    response = client.get("/login?next=/categories")
    assert response.status_code == 302 and response.headers["Location"] == "/categories"


@pytest.mark.parametrize(
    "field, value",
    [("login", "ali\x00ce"), ("password", "pass\x00word"), ("login", "x" * 5000)],
)
def test_odd_input_is_a_normal_failure(app, client, field, value):
    make_user("alice")
    data = {"login": "alice", "password": PASSWORD, field: value}
    response = client.post("/login", data=data)
    assert response.status_code == 422
    assert "not right" in text(response)


# Redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "//evil.com/path",
        "https://evil.com",
        "http://evil.com/",
        "https:evil.com",
        "javascript:alert(1)",
        "/\\evil.com",
        "\\\\evil.com",
        "/\\/evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        " //evil.com",
        "evil.com",
    ],
)
def test_open_redirects_in_next_are_ignored(app, client, target):
    make_user("alice")
    response = sign_in(client, "alice", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_relative_next_is_followed(app, client):
    make_user("alice")
    response = sign_in(client, "alice", data={"next": "/t/some-topic/12?page=2"})
    assert response.headers["Location"] == "/t/some-topic/12?page=2"


def test_next_from_the_query_string_is_checked_too(app, client):
    make_user("alice")
    response = client.post("/login?next=//evil.com", data={"login": "alice", "password": PASSWORD})
    assert response.headers["Location"] == "/"


# Sessions ------------------------------------------------------------------------------------


def test_sign_in_renews_the_session(app, client):
    """A session id planted before sign-in (session fixation) is not kept."""
    make_user("alice")
    with client.session_transaction() as session:
        session["sid"] = "planted-by-an-attacker"
        session["other"] = "left over"
    before = session_cookie(client)
    sign_in(client, "alice")
    after = session_cookie(client)
    assert after and after != before
    with client.session_transaction() as session:
        assert session["sid"] != "planted-by-an-attacker"
        assert "other" not in session
    first_sid = session["sid"]
    # Signing in again gives yet another session.
    client.post("/logout")
    sign_in(client, "alice")
    with client.session_transaction() as session:
        assert session["sid"] != first_sid


def test_cookie_copied_before_sign_out_is_rejected_after_it(app, client):
    make_user("alice")
    sign_in(client, "alice")
    stolen = session_cookie(client)
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, stolen)
    assert signed_in(thief, "alice")  # the copy works while the session lives

    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not signed_in(client, "alice")
    assert not signed_in(thief, "alice")


def test_logout_needs_post(app, client):
    make_user("alice")
    sign_in(client, "alice")
    assert client.get("/logout").status_code == 405
    assert signed_in(client, "alice")


def test_session_cookie_flags(app, client):
    make_user("alice")
    response = sign_in(client, "alice")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test app turns it off; see the next test


def test_session_cookie_is_secure_when_configured(tmp_path):
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True)
    with app.app_context():
        make_user("alice")
        db.session.remove()
    response = app.test_client().post(
        "/login", data={"login": "alice", "password": PASSWORD}, base_url="https://localhost"
    )
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with app.app_context():
        db.engine.dispose()


def test_secure_cookies_are_the_default():
    from forum.config import DefaultConfig

    assert DefaultConfig.SESSION_COOKIE_SECURE is True


# CSRF ----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(tmp_path):
    """An app with CSRF checks on. Requests run outside the test's app context, as in
    production, so Flask-WTF's per-request token cache on ``g`` starts empty each time."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("alice")
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_login_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"login": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in text(response)
    assert not signed_in(client, "alice")


def test_login_with_a_wrong_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    csrf_token(client, "/login")
    response = sign_in(client, "alice", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert not signed_in(client, "alice")


def test_login_with_csrf_token_works(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client, "/login")
    response = sign_in(client, "alice", data={"csrf_token": token})
    assert response.status_code == 302
    assert signed_in(client, "alice")


def test_logout_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    sign_in(client, "alice", data={"csrf_token": csrf_token(client)})
    assert client.post("/logout").status_code == 403
    assert signed_in(client, "alice")
    token = csrf_token(client, "/u/alice")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not signed_in(client, "alice")


# Throttling ----------------------------------------------------------------------------------


def _fail(client, **kwargs):
    return sign_in(client, "alice", "wrong password here", **kwargs)


def test_failed_sign_ins_are_throttled_per_ip(app, client):
    make_user("alice")
    for _ in range(6):
        assert _fail(client).status_code == 422
    throttled = _fail(client)
    assert throttled.status_code == 429
    assert "Too many failed sign-in attempts" in text(throttled)
    retry_after = int(throttled.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    # Even the right password is refused from that address for now...
    assert sign_in(client, "alice").status_code == 429
    # ...but the account is not locked: the owner can sign in from elsewhere.
    elsewhere = app.test_client()
    response = sign_in(elsewhere, "alice", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 302
    assert signed_in(elsewhere, "alice")


def test_throttled_json_answer(app, client):
    make_user("alice")
    for _ in range(6):
        _fail(client)
    response = _fail(client, headers={"Accept": "application/json"})
    assert response.status_code == 429
    assert response.headers["Retry-After"].isdigit()
    body = response.get_json()
    assert body["error_type"] == "rate_limit"
    assert body["extras"]["wait_seconds"] >= 1
    assert any("Please wait" in message for message in body["errors"])


def test_successful_sign_ins_do_not_count(app, client):
    make_user("alice")
    for _ in range(10):
        assert sign_in(client, "alice").status_code == 302
        client.post("/logout")
    assert _fail(client).status_code == 422  # still allowed: nothing failed before


def test_login_form_still_shows_while_throttled(app, client):
    make_user("alice")
    for _ in range(7):
        _fail(client)
    assert client.get("/login").status_code == 200


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_inactive_member_with_a_session_cannot_post(app, client, auth, status):
    """Even with a session row (made before approval was withdrawn, say), a pending or
    suspended member is treated as a visitor: nothing they send is posted."""
    from sqlalchemy import func, select

    from forum.topics.models import Topic
    from tests.factories import make_category

    category = make_category("Open forum")
    user = make_user("inactive", status=status)
    auth.login_as(user)
    form = {
        "title": "A perfectly good topic title here",
        "raw": "And a perfectly good body for the topic.",
        "category": str(category.id),
    }
    response = client.post("/new-topic", data=form)
    assert response.status_code == 302  # sent to sign in, as a visitor would be
    assert response.headers["Location"].startswith("/login")
    api = client.post("/posts.json", json=form)
    assert api.status_code == 403
    assert db.session.scalar(select(func.count(Topic.id))) == 0
