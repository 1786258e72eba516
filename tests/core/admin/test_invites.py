"""Admin: invite links, shown once; registering through one skips approval."""

import re

import pytest
from sqlalchemy import select

from forum.accounts.models import Invite, User
from forum.extensions import db
from tests.core.accounts.helpers import signed_in, text

LINK_RE = re.compile(r'id="invite-link" class="secret" value="(http://localhost/invites/([^"]+))"')


def _create(client, **data):
    form = {"email": "", "max_uses": "1", "days": "14"}
    form.update(data)
    return client.post("/admin/invites", data=form)


def test_invite_flow_through_the_admin_page(app, admin_client):
    response = _create(admin_client, email="New.Person@Example.org", max_uses="1", days="7")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    link, token = LINK_RE.search(text(response)).groups()
    invite = db.session.scalar(select(Invite))
    assert (invite.email, invite.max_uses) == ("new.person@example.org", 1)
    assert token not in text(admin_client.get("/admin/invites"))  # shown once only

    newcomer = app.test_client()
    redirect = newcomer.get(link.removeprefix("http://localhost"))
    assert redirect.headers["Location"] == f"/signup?invite={token}"
    form = newcomer.get(redirect.headers["Location"])
    assert 'value="new.person@example.org"' in text(form)
    response = newcomer.post(
        f"/signup?invite={token}",
        data={
            "username": "newperson",
            "name": "New Person",
            "email": "new.person@example.org",
            "password": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    assert signed_in(newcomer, "newperson")
    user = db.session.scalar(select(User).where(User.username == "newperson"))
    assert user.status == "active"
    listing = text(admin_client.get("/admin/invites"))
    assert "1 of 1" in listing and "Used up" in listing


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "nonsense"}, "Please enter a valid e-mail address"),
        ({"max_uses": "0"}, "Number of uses must be between 1 and 1000."),
        ({"max_uses": "lots"}, "Number of uses must be a whole number."),
        ({"days": "400"}, "Days before it expires must be between 1 and 365."),
    ],
)
def test_bad_invite_requests_keep_typed_values(admin_client, data, message):
    response = _create(admin_client, **data)
    assert response.status_code == 422
    body = text(response)
    assert message in body
    for value in data.values():
        assert f'value="{value}"' in body
    assert db.session.scalar(select(Invite.id)) is None


def test_revoke_invite(app, admin_client):
    _, token = LINK_RE.search(text(_create(admin_client, max_uses="5"))).groups()
    invite = db.session.scalar(select(Invite))
    response = admin_client.post(f"/admin/invites/{invite.id}/revoke")
    assert response.status_code == 302
    page = app.test_client().get(f"/signup?invite={token}")
    assert "expired or has already been used" in text(page)
    assert "Expired" in text(admin_client.get("/admin/invites"))
