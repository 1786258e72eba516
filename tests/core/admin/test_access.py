"""Only active admins reach the admin pages; everyone else gets 404 and changes nothing."""

import pytest

from forum.accounts.models import User
from forum.extensions import db
from tests.core.accounts.helpers import text
from tests.factories import make_user

PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/users?status=pending",
    "/admin/groups",
    "/admin/groups/1",
    "/admin/categories",
    "/admin/categories/new",
    "/admin/categories/1/edit",
    "/admin/api-keys",
    "/admin/invites",
]


@pytest.mark.parametrize("path", PAGES)
def test_admin_sees_every_page(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert 'aria-label="Admin sections"' in text(response)


@pytest.mark.parametrize("role", [None, "member", "moderator"])
@pytest.mark.parametrize("path", PAGES)
def test_others_get_404(app, client, auth, role, path):
    if role is not None:
        auth.login_as(make_user(role=role))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("status", ["suspended", "pending"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/users"])
def test_inactive_admins_get_404(app, client, auth, status, path):
    auth.login_as(make_user(role="admin", status=status))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path, data",
    [
        ("/admin/users/{target}/approve", {}),
        ("/admin/users/{target}/role", {"role": "admin"}),
        ("/admin/users/{target}/suspend", {}),
        ("/admin/groups", {"name": "sneaky"}),
        ("/admin/categories/new", {"name": "Sneaky", "color": "#123456", "access": "public"}),
        ("/admin/api-keys", {"scope": "all", "description": "mine now"}),
        ("/admin/invites", {"max_uses": "5", "days": "30"}),
    ],
)
def test_members_cannot_use_admin_actions(app, client, auth, path, data):
    target = make_user("target", status="pending")
    auth.login_as(make_user("member"))
    response = client.post(path.format(target=target.id), data=data)
    assert response.status_code == 404
    db.session.refresh(target)
    assert (target.status, target.role) == ("pending", "member")


def test_admin_link_only_for_admins(app, client, auth):
    auth.login_as(make_user("member"))
    assert 'href="/admin/"' not in text(client.get("/u/member"))
    admin = make_user("boss", role="admin")
    auth.login_as(admin)
    assert 'href="/admin/"' in text(client.get("/u/member"))


def test_dashboard_counts(admin_client, admin):
    make_user("waiting1", status="pending")
    make_user("waiting2", status="pending")
    make_user("away", status="suspended")
    body = text(admin_client.get("/admin/"))
    assert "2 accounts are waiting for approval" in body
    assert '<span class="stat-number">1</span> active member<' in body
    assert '<span class="stat-number">1</span> suspended' in body
    assert db.session.query(User).count() == 4
