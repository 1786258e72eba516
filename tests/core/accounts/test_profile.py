"""Profiles: what they show, to whom, and editing them (password change included)."""

import pytest

from forum.accounts.models import Organisation
from forum.categories.models import CREATE
from forum.extensions import db
from tests.core.accounts.helpers import sign_in, signed_in, text
from tests.factories import PASSWORD, add_member, make_category, make_topic, make_user


@pytest.fixture
def helen(app):
    org = Organisation(name="Devon LMC", nation="England", region="South West")
    db.session.add(org)
    db.session.commit()
    return make_user(
        "h.marsh",
        name="Dr Helen Marsh",
        organisation_id=org.id,
        job_role="Medical secretary",
        bio="GP partner for 22 years.\nHappy to help with <b>LCS</b> pricing.",
    )


def test_profile_shows_the_person(client, helen):
    response = client.get("/u/h.marsh")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Dr Helen Marsh" in body and "@h.marsh" in body
    assert "Medical secretary" in body and "Devon LMC" in body
    # The bio is escaped text with its line breaks kept.
    assert "GP partner for 22 years.<br>Happy to help with &lt;b&gt;LCS&lt;/b&gt; pricing." in body
    assert "<b>LCS</b>" not in body
    assert "Joined" in body
    assert helen.email not in body  # only the member and admins see the address


def test_usernames_are_found_without_regard_to_case(client, helen):
    assert client.get("/u/H.MARSH").status_code == 200


def test_profile_lists_topics_and_posts_with_counts(client, helen):
    first = make_topic(helen, title="Phlebotomy LCS uplift for 2025/26")
    response = client.get("/u/h.marsh")
    body = text(response)
    assert "Phlebotomy LCS uplift for 2025/26" in body
    assert f'href="/t/{first.topic.slug}/{first.topic.id}"' in body
    assert f'href="/t/{first.topic.slug}/{first.topic.id}/1"' in body
    assert "<dt>Topics</dt><dd>1</dd>" in body and "<dt>Posts</dt><dd>1</dd>" in body


def test_posts_in_hidden_categories_never_appear(app, client, helen):
    """Flarum #680: members-only posts leaked through /u/username."""
    # Categories first: permissions are cached for the rest of the (test's) app context.
    private = make_category("Officers only", permissions={"officers": CREATE})
    public = make_category("Open forum")
    add_member(helen, "officers")
    make_topic(helen, private, title="Confidential: levy negotiations with the ICB")
    make_topic(helen, public, title="A public question about sessional GP rates")
    outsider = make_user("outsider")
    insider = make_user("insider")
    add_member(insider, "officers")

    for viewer in (None, outsider):
        c = app.test_client()
        if viewer is not None:
            sign_in(c, viewer.username)
        body = text(c.get("/u/h.marsh"))
        assert "A public question about sessional GP rates" in body
        assert "Confidential" not in body and "levy negotiations" not in body
        assert "<dt>Topics</dt><dd>1</dd>" in body and "<dt>Posts</dt><dd>1</dd>" in body

    c = app.test_client()
    sign_in(c, "insider")
    body = text(c.get("/u/h.marsh"))
    assert "Confidential: levy negotiations with the ICB" in body
    assert "<dt>Topics</dt><dd>2</dd>" in body


def test_unknown_user_is_404(client):
    assert client.get("/u/nobody").status_code == 404


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_inactive_users_are_hidden_from_non_staff(app, client, status):
    make_user("hidden", status=status)
    make_user("member")
    assert client.get("/u/hidden").status_code == 404
    sign_in(client, "member")
    assert client.get("/u/hidden").status_code == 404
    for role in ("moderator", "admin"):
        staff_client = app.test_client()
        make_user(f"staff-{role}", role=role)
        sign_in(staff_client, f"staff-{role}")
        response = staff_client.get("/u/hidden")
        assert response.status_code == 200
        assert ("Waiting for approval" if status == "pending" else "Suspended") in text(response)


# Editing -------------------------------------------------------------------------------------


def test_edit_own_profile(app, client, helen):
    sign_in(client, "h.marsh")
    page = client.get("/u/h.marsh/edit")
    assert page.status_code == 200
    assert 'value="Dr Helen Marsh"' in text(page)
    response = client.post(
        "/u/h.marsh/edit",
        data={
            "name": "Helen Marsh",
            "job_role": "Chair",
            "organisation_id": "",
            "bio": "Line one\r\nLine two",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/u/h.marsh"
    db.session.refresh(helen)
    assert (helen.name, helen.job_role, helen.organisation_id) == ("Helen Marsh", "Chair", None)
    assert helen.bio == "Line one\nLine two"
    assert "Line one<br>Line two" in client.get("/u/h.marsh").get_data(as_text=True)


def test_profile_errors_keep_typed_values(app, client, helen):
    sign_in(client, "h.marsh")
    response = client.post(
        "/u/h.marsh/edit",
        data={"name": "", "job_role": "Treasurer", "bio": "x" * 3001, "organisation_id": "abc"},
    )
    assert response.status_code == 422
    body = text(response)
    assert "Please enter a name." in body
    assert "About me is too long" in body
    assert "Please choose an organisation from the list." in body
    assert 'value="Treasurer"' in body
    assert "x" * 3001 in body
    db.session.refresh(helen)
    assert helen.name == "Dr Helen Marsh"


def test_others_cannot_edit_a_profile(app, client, helen):
    assert client.get("/u/h.marsh/edit").headers["Location"].startswith("/login?next=")
    make_user("nosy")
    sign_in(client, "nosy")
    assert client.get("/u/h.marsh/edit").status_code == 403
    response = client.post("/u/h.marsh/edit", data={"name": "Hacked"})
    assert response.status_code == 403
    db.session.refresh(helen)
    assert helen.name == "Dr Helen Marsh"


def test_admin_can_edit_someone_elses_profile_but_not_password(app, client, helen):
    make_user("boss", role="admin")
    sign_in(client, "boss")
    page = client.get("/u/h.marsh/edit")
    assert page.status_code == 200
    assert "Change password" not in text(page)
    response = client.post(
        "/u/h.marsh/edit", data={"name": "Dr H. Marsh", "job_role": "", "bio": ""}
    )
    assert response.status_code == 302
    db.session.refresh(helen)
    assert helen.name == "Dr H. Marsh"
    response = client.post(
        "/u/h.marsh/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 403


def test_change_password_ends_other_sessions(app, client, helen):
    sign_in(client, "h.marsh")
    laptop = app.test_client()
    sign_in(laptop, "h.marsh")
    assert signed_in(laptop, "h.marsh")

    response = client.post(
        "/u/h.marsh/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert signed_in(client, "h.marsh")  # this browser carries on
    assert not signed_in(laptop, "h.marsh")  # every other one is signed out
    client.post("/logout")
    assert sign_in(client, "h.marsh", PASSWORD).status_code == 422
    assert sign_in(client, "h.marsh", "a brand new passphrase").status_code == 302


@pytest.mark.parametrize(
    "current, new, message",
    [
        ("wrong current password", "a brand new passphrase", "current password is not right"),
        (PASSWORD, "short", "Password is too short"),
        (PASSWORD, "password1234", "too easy to guess"),
    ],
)
def test_change_password_errors(app, client, helen, current, new, message):
    sign_in(client, "h.marsh")
    response = client.post(
        "/u/h.marsh/password", data={"current_password": current, "new_password": new}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert signed_in(client, "h.marsh")
    client.post("/logout")
    assert sign_in(client, "h.marsh", PASSWORD).status_code == 302  # unchanged


def test_wrong_current_passwords_are_throttled(app, client, helen):
    sign_in(client, "h.marsh")
    data = {"current_password": "guess guess guess", "new_password": "a brand new passphrase"}
    for _ in range(6):
        assert client.post("/u/h.marsh/password", data=data).status_code == 422
    assert client.post("/u/h.marsh/password", data=data).status_code == 429


def test_pending_user_session_is_not_honoured(app, client, auth):
    """A pending (or suspended) member is treated as a visitor even with a session row, so
    they cannot post or edit anything."""
    from forum.permissions import can

    pending = make_user("waiting", status="pending")
    auth.login_as(pending)
    assert not signed_in(client, "waiting")
    category = make_category()
    assert not can(pending, "category.create_topic", category)
