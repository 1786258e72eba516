"""Who may see and write what: hidden categories answer 404 on every path and appear in no
list; bad keys are 403 ``invalid_access``; writes without credentials 403 ``not_logged_in``."""

from __future__ import annotations

import pytest

from forum.accounts.services import create_api_key, revoke_api_key, set_status
from forum.errors import INVALID_ACCESS_MESSAGE
from forum.extensions import db
from forum.topics import services
from tests.api.conftest import api_headers, error_of, json_of
from tests.conftest import make_app
from tests.factories import add_member, make_category, make_reply, make_topic, make_user

INVALID_KEY = {
    "errors": [f"{INVALID_ACCESS_MESSAGE} The API username or key is invalid."],
    "error_type": "invalid_access",
}


@pytest.fixture
def hidden(app):
    """A category only the ``officers`` group may see, with a topic of two posts and a
    subcategory; the member ``alice`` is not an officer."""
    officer = make_user("officer")
    add_member(officer, "officers")
    category = make_category("Officers only", permissions={"officers": 1})
    child = make_category("Officers sub", parent=category, permissions={"officers": 1})
    first = make_topic(officer, category, title="Confidential negotiating position")
    reply = make_reply(first.topic, officer)
    child_topic = make_topic(officer, child, title="Confidential subcategory topic")
    return {
        "officer": officer,
        "category": category,
        "child": child,
        "topic": first.topic,
        "first": first,
        "reply": reply,
        "child_topic": child_topic.topic,
    }


def hidden_read_paths(h) -> list[str]:
    category, child, topic = h["category"], h["child"], h["topic"]
    return [
        f"/c/{category.id}.json",
        f"/c/{category.slug}/{category.id}.json",
        f"/c/{category.slug}/{category.id}/l/latest.json",
        f"/c/{category.slug}/{category.id}/none.json",
        f"/c/{category.slug}/{child.slug}/{child.id}.json",
        f"/c/{child.id}.json",
        f"/categories.json?parent_category_id={category.id}",
        f"/t/{topic.id}.json",
        f"/t/{topic.slug}/{topic.id}.json",
        f"/t/{topic.id}/1.json",
        f"/t/{topic.slug}/{topic.id}/2.json",
        f"/t/{topic.id}/posts.json",
        f"/t/{topic.id}/posts.json?post_ids[]={h['reply'].id}",
        f"/t/{h['child_topic'].id}.json",
        f"/posts/{h['first'].id}.json",
        f"/posts/{h['reply'].id}.json",
        f"/posts/by_number/{topic.id}/1.json",
    ]


def test_hidden_category_is_not_found_on_every_read_path(client, headers, hidden):
    for path in hidden_read_paths(hidden):
        error_of(client.get(path, headers=headers), 404, "not_found")
        error_of(client.get(path), 404, "not_found")  # and for visitors


def test_hidden_category_appears_in_no_list(client, headers, hidden, category):
    public = make_topic(category=category).topic_id
    for extra in ({}, headers):
        cats = json_of(client.get("/categories.json?include_subcategories=true", headers=extra))
        ids = {c["id"] for c in cats["category_list"]["categories"]}
        assert hidden["category"].id not in ids and hidden["child"].id not in ids
        assert "Officers" not in str(cats)
        latest = json_of(client.get("/latest.json", headers=extra))
        assert [t["id"] for t in latest["topic_list"]["topics"]] == [public]
        assert "Confidential" not in str(latest)
        assert "officer" not in {u["username"] for u in latest["users"]}


def test_hidden_category_refuses_writes_with_404(client, headers, hidden, member):
    topic = hidden["topic"]
    error_of(
        client.post("/posts", headers=headers, data={"topic_id": topic.id, "raw": "Let me in."}),
        404,
        "not_found",
    )
    error_of(
        client.post(
            "/posts",
            headers=headers,
            data={
                "title": "Trying to post in a hidden place",
                "raw": "Let me in.",
                "category": hidden["category"].id,
            },
        ),
        404,
        "not_found",
    )
    error_of(
        client.put(f"/posts/{hidden['first'].id}", headers=headers, data={"post[raw]": "Changed."}),
        404,
        "not_found",
    )


def test_officers_see_what_is_hidden_from_others(client, hidden):
    officer = api_headers(hidden["officer"])
    for path in hidden_read_paths(hidden):
        assert client.get(path, headers=officer).status_code == 200, path
    cats = json_of(client.get("/categories.json", headers=officer))
    found = next(c for c in cats["category_list"]["categories"] if c["id"] == hidden["category"].id)
    assert found["read_restricted"] is True and found["subcategory_ids"] == [hidden["child"].id]
    latest = json_of(client.get("/latest.json", headers=officer))
    assert hidden["topic"].id in {t["id"] for t in latest["topic_list"]["topics"]}


def test_deleted_topic_is_not_found_for_members(client, headers, category):
    first = make_topic(category=category)
    services.delete_post(make_user(role="moderator"), first)
    error_of(client.get(f"/t/{first.topic_id}.json", headers=headers), 404, "not_found")
    assert json_of(client.get("/latest.json", headers=headers))["topic_list"]["topics"] == []


# API keys ---------------------------------------------------------------------------------


def test_bad_api_key_is_403_invalid_access_even_on_get(client, member):
    bad = {"Api-Key": "0" * 64, "Api-Username": "alice"}
    for response in (
        client.get("/latest.json", headers=bad),
        client.get("/categories.json", headers=bad),
        client.post("/posts", headers=bad, data={"title": "x" * 20, "raw": "Words."}),
        client.put("/posts/1", headers=bad, data={"post[raw]": "Words."}),
    ):
        assert json_of(response, 403) == INVALID_KEY


def test_key_for_another_username_revoked_or_suspended_is_403(client, member):
    _, key = create_api_key(member)
    wrong_user = {"Api-Key": key, "Api-Username": "bob"}
    assert json_of(client.get("/latest.json", headers=wrong_user), 403) == INVALID_KEY
    headers = {"Api-Key": key, "Api-Username": "alice"}
    assert client.get("/latest.json", headers=headers).status_code == 200
    # Header names are case-insensitive.
    lower = {"api-key": key, "api-username": "ALICE"}
    assert client.get("/latest.json", headers=lower).status_code == 200
    set_status(member, "suspended")
    assert json_of(client.get("/latest.json", headers=headers), 403) == INVALID_KEY
    set_status(member, "active")
    api_key, other_key = create_api_key(member)
    revoke_api_key(api_key)
    revoked = {"Api-Key": other_key, "Api-Username": "alice"}
    assert json_of(client.get("/latest.json", headers=revoked), 403) == INVALID_KEY


def test_all_users_key_acts_as_named_user(client, member, category):
    _, key = create_api_key(None)
    headers = {"Api-Key": key, "Api-Username": "alice"}
    body = json_of(
        client.post(
            "/posts",
            headers=headers,
            data={"title": "Posted through an all-users key", "raw": "Hello."},
        )
    )
    assert body["username"] == "alice"


# Writes without credentials ---------------------------------------------------------------


def anonymous_writes(client, post_id: int):
    data = {"title": "Anonymous topic attempt here", "raw": "Hello there."}
    return [
        client.post("/posts", data=data),
        client.post("/posts.json", data=data),
        client.post("/posts", json=data),
        client.post("/posts", data={"topic_id": "abc"}),  # refused before parameters are read
        client.put(f"/posts/{post_id}", data={"post[raw]": "Changed."}),
        client.put(f"/posts/{post_id}.json", json={"post": {"raw": "Changed."}}),
        client.put("/posts/999", data={"post[raw]": "Changed."}),
        client.put(f"/posts/{post_id}", data={}, headers={"Accept": "text/html"}),
    ]


def test_writes_without_credentials_are_403_not_logged_in(client, category):
    first = make_topic(category=category)
    for response in anonymous_writes(client, first.id):
        error_of(response, 403, "not_logged_in")
    assert json_of(client.get(f"/posts/{first.id}.json"))["version"] == 1


def test_not_logged_in_also_with_csrf_protection_on(tmp_path):
    """With CSRF checks on (as in production) an anonymous API write must still be told to
    log in, not that its (non-existent) form expired."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        try:
            post_id = make_topic().id
            db.session.commit()
            for response in anonymous_writes(app.test_client(), post_id):
                assert response.status_code == 403
                assert response.get_json()["error_type"] == "not_logged_in"
        finally:
            db.session.remove()
            db.engine.dispose()


def test_session_cookie_user_can_write_through_the_api(client, auth, member, category):
    auth.login_as(member)
    body = json_of(
        client.post(
            "/posts.json",
            json={
                "title": "Posted from the browser session",
                "raw": "Hi.",
                "category": category.id,
            },
        )
    )
    assert body["username"] == "alice"


def test_pending_user_session_cannot_write(client, auth, category):
    pending = make_user("waiting", status="pending")
    auth.login_as(pending)
    response = client.post(
        "/posts.json", json={"title": "Posted while pending approval", "raw": "Hello."}
    )
    error_of(response, 403, "not_logged_in")
