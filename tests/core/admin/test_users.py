"""Admin: the accounts list, approval, suspension, roles and ending sessions."""

import pytest

from forum.extensions import db
from tests.conftest import make_app
from tests.core.accounts.helpers import csrf_token, sign_in, signed_in, text
from tests.factories import make_user


def test_list_filters_by_status(admin_client):
    make_user("waiting", status="pending", name="Wendy Waiting")
    make_user("active1", name="Andy Active")
    body = text(admin_client.get("/admin/users?status=pending"))
    assert "Wendy Waiting" in body and "Andy Active" not in body
    assert "Approve @waiting" in body
    body = text(admin_client.get("/admin/users"))
    assert "Wendy Waiting" in body and "Andy Active" in body
    assert "Waiting for approval (1)" in body and "All (3)" in body


def test_unknown_status_filter_shows_everyone(admin_client):
    make_user("someone", name="Somebody")
    assert "Somebody" in text(admin_client.get("/admin/users?status=bogus"))


def test_search(admin_client):
    make_user("h.marsh", name="Helen Marsh")
    make_user("m.ellison", name="Mark Ellison")
    body = text(admin_client.get("/admin/users?q=MARSH"))
    assert "Helen Marsh" in body and "Mark Ellison" not in body
    body = text(admin_client.get("/admin/users?q=%25"))  # LIKE wildcards are literal
    assert "Helen Marsh" not in body and "No accounts" in body


def test_pagination(admin_client):
    for n in range(55):
        make_user(f"member{n:02d}")
    first = text(admin_client.get("/admin/users"))
    assert "Next page" in first and "Page 1" in first
    second = text(admin_client.get("/admin/users?page=2"))
    assert "Page 2" in second and "Next page" not in second and "Previous page" in second
    # 56 accounts, 50 a page, newest first: the oldest ones are on page 2.
    assert "@boss" in second and "@boss" not in first
    assert admin_client.get("/admin/users?page=abc").status_code == 200
    assert admin_client.get("/admin/users?page=99999999999999999999").status_code == 200


def test_approve(app, admin_client):
    user = make_user("waiting", status="pending")
    response = admin_client.post(
        f"/admin/users/{user.id}/approve", data={"back": "/admin/users?status=pending"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?status=pending"
    db.session.refresh(user)
    assert user.status == "active" and user.approved_at is not None
    other = app.test_client()
    assert sign_in(other, "waiting").status_code == 302


def test_back_must_stay_in_admin(admin_client):
    user = make_user("waiting", status="pending")
    for back in ("//evil.com/admin/", "https://evil.com/admin/", "/login"):
        other = make_user(status="pending")
        response = admin_client.post(f"/admin/users/{other.id}/approve", data={"back": back})
        assert response.headers["Location"] == "/admin/users"
    assert user.status == "pending"


def test_approving_an_active_user_changes_nothing(admin_client):
    user = make_user("already")
    response = admin_client.post(f"/admin/users/{user.id}/approve", follow_redirects=True)
    assert "is not waiting for approval" in text(response)


def test_suspend_needs_confirmation_and_ends_sessions(app, admin_client):
    user = make_user("troublesome")
    victim_browser = app.test_client()
    sign_in(victim_browser, "troublesome")
    assert signed_in(victim_browser, "troublesome")

    page = admin_client.get(f"/admin/users/{user.id}/suspend")
    assert page.status_code == 200
    body = text(page)
    assert "Suspend @troublesome?" in body and "Suspend account" in body
    db.session.refresh(user)
    assert user.status == "active"  # the GET only asks

    response = admin_client.post(f"/admin/users/{user.id}/suspend")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.status == "suspended"
    assert not signed_in(victim_browser, "troublesome")
    assert "suspended" in text(sign_in(app.test_client(), "troublesome"))

    response = admin_client.post(f"/admin/users/{user.id}/unsuspend")
    db.session.refresh(user)
    assert user.status == "active"
    assert sign_in(app.test_client(), "troublesome").status_code == 302


def test_admin_cannot_suspend_or_demote_themselves(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/suspend", follow_redirects=True)
    assert "You cannot suspend your own account." in text(response)
    response = admin_client.post(
        f"/admin/users/{admin.id}/role", data={"role": "member"}, follow_redirects=True
    )
    assert "You cannot change the role of your own account." in text(response)
    db.session.refresh(admin)
    assert (admin.status, admin.role) == ("active", "admin")


@pytest.mark.parametrize("role", ["moderator", "admin", "member"])
def test_change_role(app, admin_client, role):
    user = make_user("someone", role="member" if role != "member" else "moderator")
    response = admin_client.post(f"/admin/users/{user.id}/role", data={"role": role})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == role


def test_unknown_role_is_refused(admin_client):
    user = make_user("someone")
    response = admin_client.post(
        f"/admin/users/{user.id}/role", data={"role": "superuser"}, follow_redirects=True
    )
    assert "Please choose a role from the list." in text(response)
    db.session.refresh(user)
    assert user.role == "member"


def test_new_admin_gets_the_admin_pages(app, admin_client):
    user = make_user("promoted")
    browser = app.test_client()
    sign_in(browser, "promoted")
    assert browser.get("/admin/").status_code == 404
    admin_client.post(f"/admin/users/{user.id}/role", data={"role": "admin"})
    assert browser.get("/admin/").status_code == 200


def test_end_sessions(app, admin_client):
    user = make_user("someone")
    browser = app.test_client()
    sign_in(browser, "someone")
    response = admin_client.post(f"/admin/users/{user.id}/sessions/end")
    assert response.status_code == 302
    assert not signed_in(browser, "someone")
    assert sign_in(browser, "someone").status_code == 302  # not suspended: can sign in again


@pytest.mark.parametrize(
    "path", ["/admin/users/999/approve", "/admin/users/99999999999999999999/approve"]
)
def test_unknown_user_is_404(admin_client, path):
    assert admin_client.post(path).status_code == 404


def test_admin_actions_need_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("boss", role="admin")
        waiting = make_user("waiting", status="pending")
        waiting_id = waiting.id
        db.session.remove()
    client = app.test_client()
    sign_in(client, "boss", data={"csrf_token": csrf_token(client)})
    assert client.post(f"/admin/users/{waiting_id}/approve").status_code == 403
    token = csrf_token(client, "/admin/users?status=pending")
    response = client.post(f"/admin/users/{waiting_id}/approve", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        from forum.accounts.models import User

        assert db.session.get(User, waiting_id).status == "active"
        db.session.remove()
        db.engine.dispose()
