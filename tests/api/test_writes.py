"""POST /posts (topics and replies) and PUT /posts/{id} (edits), with every way they fail."""

from __future__ import annotations

import io

import pytest

from forum.bootstrap import default_category
from forum.errors import RateLimited
from forum.topics import services
from tests.api.conftest import api_headers, error_of, json_of
from tests.factories import make_category, make_reply, make_topic, make_user

TITLE = "Phlebotomy LCS uplift for 2025/26"
RAW = "Has anyone agreed the uplift with their ICB yet?"


def create(client, headers, path="/posts", **data):
    return client.post(path, headers=headers, data=data)


# Creating topics --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/posts", "/posts.json"])
def test_create_topic_from_form(client, headers, member, category, path):
    response = create(client, headers, path, title=TITLE, raw=RAW, category=str(category.id))
    body = json_of(response)
    assert body["post_number"] == 1
    assert body["topic_slug"] == "phlebotomy-lcs-uplift-for-2025-26"
    assert body["raw"] == RAW
    assert body["cooked"] == f"<p>{RAW}</p>"
    assert body["username"] == "alice" and body["user_id"] == member.id
    assert body["yours"] is True and body["version"] == 1
    topic = json_of(client.get(f"/t/{body['topic_id']}.json"))
    assert topic["title"] == TITLE and topic["category_id"] == category.id
    assert topic["post_stream"]["posts"][0]["id"] == body["id"]


def test_create_topic_from_json_and_multipart(client, headers, category):
    by_json = client.post(
        "/posts.json",
        headers=headers,
        json={"title": TITLE, "raw": RAW, "category": category.id, "tags": ["lcs"]},
    )
    assert json_of(by_json)["post_number"] == 1
    by_multipart = client.post(
        "/posts",
        headers=headers,
        data={
            "title": "Another title that is long enough",
            "raw": "A different body, sent as multipart.",
            "category": str(category.id),
            "tags[]": ["lcs", "icb"],
            "file": (io.BytesIO(b"\xff\xfe binary is fine in a file"), "notes.bin"),
        },
        content_type="multipart/form-data",
    )
    body = json_of(by_multipart)
    assert body["raw"] == "A different body, sent as multipart."


def test_create_topic_without_category_goes_to_uncategorized(client, headers):
    body = json_of(create(client, headers, title=TITLE, raw=RAW))
    topic = json_of(client.get(f"/t/{body['topic_id']}.json"))
    assert topic["category_id"] == default_category().id


def test_nested_post_wraps_the_answer(client, headers):
    body = json_of(create(client, headers, title=TITLE, raw=RAW, nested_post="true"))
    assert set(body) == {"post"}
    assert body["post"]["post_number"] == 1 and body["post"]["raw"] == RAW


# Replies ----------------------------------------------------------------------------------


def test_reply_with_reply_to_post_number(client, headers, category):
    first = make_topic(category=category)
    second = make_reply(first.topic)
    body = json_of(
        create(
            client,
            headers,
            topic_id=str(first.topic_id),
            raw="Replying to the second post.",
            reply_to_post_number="2",
            title="ignored for replies",
        )
    )
    assert body["topic_id"] == first.topic_id and body["post_number"] == 3
    assert body["reply_to_post_number"] == 2
    assert body["reply_to_user"]["username"] == second.user.username
    assert json_of(client.get(f"/posts/{second.id}.json"))["reply_count"] == 1
    topic = json_of(client.get(f"/t/{first.topic_id}.json"))
    assert topic["title"] != "ignored for replies" and topic["posts_count"] == 3


def test_reply_from_json_with_numbers(client, headers, category):
    first = make_topic(category=category)
    body = json_of(
        client.post(
            "/posts",
            headers=headers,
            json={
                "topic_id": first.topic_id,
                "raw": "Numbers as numbers.",
                "reply_to_post_number": 1,
            },
        )
    )
    assert body["post_number"] == 2 and body["reply_to_post_number"] == 1
    plain = json_of(create(client, headers, topic_id=first.topic_id, raw="No reply-to at all."))
    assert plain["reply_to_post_number"] is None


# Creation failures ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", " \n\t "])
def test_missing_or_blank_raw_is_400(client, headers, category, raw):
    data = {"title": TITLE, "category": category.id}
    if raw is not None:
        data["raw"] = raw
    body = json_of(client.post("/posts", headers=headers, data=data), 400)
    assert body == {"errors": ["param is missing or the value is empty: raw"]}


def test_missing_raw_on_reply_is_400(client, headers, category):
    topic_id = make_topic(category=category).topic_id
    body = json_of(client.post("/posts", headers=headers, json={"topic_id": topic_id}), 400)
    assert body == {"errors": ["param is missing or the value is empty: raw"]}


@pytest.mark.parametrize("title", [None, "", "    "])
def test_missing_or_blank_title_is_refused(client, headers, title):
    data = {"raw": RAW}
    if title is not None:
        data["title"] = title
    body = json_of(client.post("/posts", headers=headers, data=data), 400)
    assert body == {"errors": ["param is missing or the value is empty: title"]}


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Too short", "Title is too short (minimum is 15 characters)"),
        ("x" * 256, "Title is too long (maximum is 255 characters)"),
    ],
)
def test_title_length_is_422_create_post(client, headers, title, message):
    body = json_of(create(client, headers, title=title, raw=RAW), 422)
    assert body == {"action": "create_post", "errors": [message]}


def test_body_over_the_limit_is_422(app, client, headers, category):
    limit = app.config["MAX_POST_LENGTH"]
    body = json_of(create(client, headers, title=TITLE, raw="x" * (limit + 1)), 422)
    assert body["action"] == "create_post"
    assert body["errors"] == [f"Body is too long (maximum is {limit} characters)"]
    assert "error_type" not in body
    topic_id = make_topic(category=category).topic_id
    reply = json_of(create(client, headers, topic_id=topic_id, raw="y" * (limit + 1)), 422)
    assert reply["action"] == "create_post"
    exactly = create(client, headers, topic_id=topic_id, raw="z" * limit)
    assert json_of(exactly)["post_number"] == 2


def test_duplicate_body_within_five_minutes_is_422(client, headers, category):
    topic_id = make_topic(category=category).topic_id
    json_of(create(client, headers, topic_id=topic_id, raw="Exactly the same words."))
    body = json_of(create(client, headers, topic_id=topic_id, raw="Exactly the same words."), 422)
    assert body == {
        "action": "create_post",
        "errors": ["Body is too similar to what you recently posted"],
    }


@pytest.mark.parametrize("flag", ["closed", "archived"])
def test_reply_to_closed_or_archived_topic_is_422(client, headers, category, flag):
    topic = make_topic(category=category).topic
    services.set_topic_flag(make_user(role="moderator"), topic, flag, True)
    body = json_of(create(client, headers, topic_id=topic.id, raw="Can I still reply?"), 422)
    assert body["action"] == "create_post"
    assert flag in body["errors"][0]
    assert json_of(client.get(f"/t/{topic.id}.json"))[flag] is True


def test_reply_to_missing_post_number_is_422(client, headers, category):
    topic_id = make_topic(category=category).topic_id
    body = json_of(
        create(client, headers, topic_id=topic_id, raw="To nowhere.", reply_to_post_number=7),
        422,
    )
    assert body["action"] == "create_post"
    assert "#7 does not exist" in body["errors"][0]


def test_unknown_topic_and_category_are_404(client, headers):
    error_of(create(client, headers, topic_id=999, raw="Hello there"), 404, "not_found")
    error_of(create(client, headers, title=TITLE, raw=RAW, category=999), 404, "not_found")


def test_non_numeric_ids_are_invalid_parameters(client, headers):
    for data in (
        {"topic_id": "abc", "raw": RAW},
        {"title": TITLE, "raw": RAW, "category": "prescribing"},
        {"topic_id": "1", "raw": RAW, "reply_to_post_number": "two"},
    ):
        error_of(client.post("/posts", headers=headers, data=data), 400, "invalid_parameters")


def test_private_messages_are_refused_not_published(client, headers):
    body = json_of(
        create(
            client,
            headers,
            title=TITLE,
            raw="Private words.",
            archetype="private_message",
            target_recipients="bob",
        ),
        422,
    )
    assert body["action"] == "create_post"
    assert json_of(client.get("/latest.json"))["topic_list"]["topics"] == []


def test_member_cannot_start_topic_in_reply_only_category(client, headers):
    reply_only = make_category("Notices", permissions={"everyone": 3, "members": 2})
    error_of(
        create(client, headers, title=TITLE, raw=RAW, category=reply_only.id),
        403,
        "invalid_access",
    )


def test_rate_limit_is_429_with_wait_seconds(client, headers, category, monkeypatch):
    topic_id = make_topic(category=category).topic_id

    def limited(*args, **kwargs):
        raise RateLimited(12)

    monkeypatch.setattr(services, "create_reply", limited)
    response = create(client, headers, topic_id=topic_id, raw="Too fast.")
    body = error_of(response, 429, "rate_limit")
    assert body["extras"]["wait_seconds"] == 12
    assert response.headers["Retry-After"] == "12"


# Editing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/posts/{id}", "/posts/{id}.json"])
def test_edit_from_form(client, headers, member, category, path):
    first = make_topic(member, category)
    reply = make_reply(first.topic, member, raw="Original words of the reply.")
    response = client.put(
        path.format(id=reply.id),
        headers=headers,
        data={"post[raw]": "Corrected words of the reply.", "post[edit_reason]": "typo"},
    )
    body = json_of(response)
    assert set(body) == {"post"}
    post = body["post"]
    assert post["id"] == reply.id and post["version"] == 2
    assert post["cooked"] == "<p>Corrected words of the reply.</p>"
    assert post["raw"] == "Corrected words of the reply."
    assert post["edit_reason"] == "typo"
    again = json_of(client.get(f"/posts/{reply.id}.json"))
    assert again["raw"] == "Corrected words of the reply." and again["version"] == 2


def test_edit_from_json_changes_first_post_title(client, headers, member, category):
    first = make_topic(member, category)
    body = json_of(
        client.put(
            f"/posts/{first.id}",
            headers=headers,
            json={"title": "A better title for this topic", "post": {"raw": "Better words."}},
        )
    )
    assert body["post"]["topic_slug"] == "a-better-title-for-this-topic"
    topic = json_of(client.get(f"/t/{first.topic_id}.json"))
    assert topic["title"] == "A better title for this topic"


def test_edit_without_post_is_400(client, headers, member, category):
    first = make_topic(member, category)
    for data in ({}, {"raw": "top-level raw is not enough"}):
        body = json_of(client.put(f"/posts/{first.id}", headers=headers, data=data), 400)
        assert body == {"errors": ["param is missing or the value is empty: post"]}
    blank = client.put(f"/posts/{first.id}", headers=headers, data={"post[raw]": "  "})
    assert json_of(blank, 400) == {"errors": ["param is missing or the value is empty: raw"]}
    odd = client.put(f"/posts/{first.id}", headers=headers, json={"post": ["not", "a", "hash"]})
    error_of(odd, 400, "invalid_parameters")


def test_edit_validation_failure_is_422_without_action(app, client, headers, member, category):
    first = make_topic(member, category)
    too_long = "x" * (app.config["MAX_POST_LENGTH"] + 1)
    body = json_of(
        client.put(f"/posts/{first.id}", headers=headers, data={"post[raw]": too_long}), 422
    )
    assert "action" not in body and "error_type" not in body
    assert body["errors"][0].startswith("Body is too long")
    short_title = client.put(
        f"/posts/{first.id}", headers=headers, data={"post[raw]": "Fine.", "title": "short"}
    )
    assert json_of(short_title, 422)["errors"] == ["Title is too short (minimum is 15 characters)"]


def test_edit_someone_elses_post_is_403_and_unknown_is_404(client, headers, category):
    other = make_topic(category=category)
    error_of(
        client.put(f"/posts/{other.id}", headers=headers, data={"post[raw]": "Mine now."}),
        403,
        "invalid_access",
    )
    assert json_of(client.get(f"/posts/{other.id}.json"))["version"] == 1
    error_of(
        client.put("/posts/999", headers=headers, data={"post[raw]": "Nothing here."}),
        404,
        "not_found",
    )


def test_moderator_moves_topic_with_category_id(client, category):
    moderator = make_user("moderator", role="moderator")
    first = make_topic(category=category)
    target = make_category("Contracts")
    body = json_of(
        client.put(
            f"/posts/{first.id}",
            headers=api_headers(moderator),
            json={"post": {"raw": "Moved and edited.", "category_id": target.id}},
        )
    )
    assert body["category"]["id"] == target.id
    assert json_of(client.get(f"/t/{first.topic_id}.json"))["category_id"] == target.id


def test_member_cannot_move_and_nothing_is_saved(client, headers, member, category):
    first = make_topic(member, category)
    target = make_category("Contracts")
    response = client.put(
        f"/posts/{first.id}",
        headers=headers,
        data={"post[raw]": "Should not be saved.", "post[category_id]": str(target.id)},
    )
    error_of(response, 403, "invalid_access")
    post = json_of(client.get(f"/posts/{first.id}.json"))
    assert post["version"] == 1 and post["raw"] != "Should not be saved."
