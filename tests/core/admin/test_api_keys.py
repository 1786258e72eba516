"""Admin: API keys are shown once, listed truncated, and revoked after confirmation."""

import re

import pytest
from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import ApiKey
from forum.extensions import db
from tests.core.accounts.helpers import text
from tests.factories import make_user

KEY_RE = re.compile(r'id="new-key" class="secret" value="([0-9a-f]{64})"')


def _create(client, **data):
    form = {"scope": "user", "username": "scripter", "description": "SLA report script"}
    form.update(data)
    return client.post("/admin/api-keys", data=form)


def test_create_key_for_one_user_shows_it_once(app, admin_client, admin):
    make_user("scripter")
    response = _create(admin_client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    key = KEY_RE.search(text(response)).group(1)

    listing = text(admin_client.get("/admin/api-keys"))
    assert key not in listing
    assert f"{key[:4]}…" in listing and "@scripter" in listing and "SLA report script" in listing
    assert "by @boss" in listing and "Never" in listing
    row = db.session.scalar(select(ApiKey))
    assert row.created_by_id == admin.id and row.key_hash != key


def test_new_key_works_for_its_user_only(app, admin_client):
    make_user("scripter")
    key = KEY_RE.search(text(_create(admin_client))).group(1)
    script = app.test_client()
    headers = {"Api-Key": key, "Api-Username": "scripter"}
    assert script.get("/latest.json", headers=headers).status_code == 200
    # A one-user key acts only as that user.
    wrong = script.get("/latest.json", headers={**headers, "Api-Username": "boss"})
    assert wrong.status_code == 403


def test_create_all_users_key(admin_client):
    make_user("someone")
    response = _create(admin_client, scope="all", username="")
    key = KEY_RE.search(text(response)).group(1)
    assert services.api_key_user(key, "someone").username == "someone"
    assert services.api_key_user(key, "boss").username == "boss"
    assert "All users" in text(admin_client.get("/admin/api-keys"))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": ""}, "Please enter the username the key will act as."),
        ({"username": "ghost"}, "No account with the username 'ghost'."),
        ({"username": "waiting"}, "is not active"),
        ({"description": ""}, "Please describe what the key is for"),
        ({"description": "x" * 201}, "Description is too long"),
        ({"scope": "root"}, "Please choose whom the key acts as."),
    ],
)
def test_bad_key_requests(admin_client, data, message):
    make_user("scripter")
    make_user("waiting", status="pending")
    response = _create(admin_client, **data)
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.scalar(select(ApiKey.id)) is None


def test_revoke_after_confirmation(admin_client):
    make_user("scripter")
    key = KEY_RE.search(text(_create(admin_client))).group(1)
    row = db.session.scalar(select(ApiKey))
    page = admin_client.get(f"/admin/api-keys/{row.id}/revoke")
    assert page.status_code == 200
    assert f"Revoke the key {key[:4]}… (@scripter)?" in text(page)
    assert services.api_key_user(key, "scripter") is not None  # the GET only asks

    response = admin_client.post(f"/admin/api-keys/{row.id}/revoke")
    assert response.headers["Location"] == "/admin/api-keys"
    assert services.api_key_user(key, "scripter") is None
    assert "Revoked" in text(admin_client.get("/admin/api-keys"))
    again = admin_client.post(f"/admin/api-keys/{row.id}/revoke", follow_redirects=True)
    assert "already revoked" in text(again)


def test_unknown_key_is_404(admin_client):
    assert admin_client.get("/admin/api-keys/999/revoke").status_code == 404
