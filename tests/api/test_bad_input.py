"""Bad request bodies and parameters: always a 4xx in Discourse's shape, never a 500, and
nothing stored. Also: text in any script, emoji included, comes back exactly as sent."""

from __future__ import annotations

import io
import json

import pytest
from werkzeug.datastructures import MultiDict

from forum.api.params import nest
from forum.errors import InvalidParameters
from tests.api.conftest import error_of, json_of
from tests.factories import make_topic

TITLE = "Phlebotomy LCS uplift for 2025/26"
FORM = "application/x-www-form-urlencoded"


def nothing_created(client) -> bool:
    return json_of(client.get("/latest.json"))["topic_list"]["topics"] == []


# Malformed JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ['{"title": "x", "raw": ', "{'single': 'quotes'}", "not json at all", '{"raw": "x",}'],
)
def test_malformed_json_is_400(client, headers, body):
    response = client.post("/posts", headers=headers, data=body, content_type="application/json")
    error = error_of(response, 400, "invalid_parameters")
    assert "malformed JSON" in error["errors"][0]
    assert nothing_created(client)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_json_is_400_not_500(client, headers, opener):
    response = client.post(
        "/posts", headers=headers, data=opener * 100_000, content_type="application/json"
    )
    error = error_of(response, 400, "invalid_parameters")
    assert "nested too deeply" in error["errors"][0]


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_400(client, headers, body):
    response = client.post("/posts", headers=headers, data=body, content_type="application/json")
    error_of(response, 400, "invalid_parameters")


def test_json_of_the_wrong_types_is_400(client, headers):
    for payload in (
        {"title": TITLE, "raw": ["a", "list"]},
        {"title": {"a": "hash"}, "raw": "Some words."},
        {"title": TITLE, "raw": "Some words.", "category": 1.5},
        {"title": TITLE, "raw": "Some words.", "category": True},
        {"title": TITLE, "raw": "Some words.", "nested_post": "perhaps"},
    ):
        error_of(client.post("/posts", headers=headers, json=payload), 400, "invalid_parameters")
    assert nothing_created(client)


def test_json_with_float_and_nan_ids(client, headers):
    response = client.post(
        "/posts",
        headers=headers,
        data='{"topic_id": NaN, "raw": "Hello there."}',
        content_type="application/json",
    )
    error_of(response, 400, "invalid_parameters")


# NUL bytes --------------------------------------------------------------------------------


def test_nul_bytes_are_400_in_form_json_and_query(client, headers, category):
    topic_id = make_topic(category=category).topic_id
    cases = [
        {"data": {"title": TITLE, "raw": "Before\x00after"}},
        {"data": {"title": "A title with a \x00 inside it", "raw": "Fine words."}},
        {"json": {"title": TITLE, "raw": "JSON \u0000 escape"}},
        {"json": {"topic_id": topic_id, "raw": "Fine words.", "reply_to_post_number": "1\x00"}},
    ]
    for case in cases:
        error = error_of(client.post("/posts", headers=headers, **case), 400, "invalid_parameters")
        assert error["errors"][0].startswith("You supplied invalid parameters to the request")
    error_of(client.get("/latest.json?page=%00"), 400, "invalid_parameters")
    error_of(client.get("/u/al%00ice.json"), 400, "invalid_parameters")
    assert json_of(client.get(f"/t/{topic_id}.json"))["posts_count"] == 1


def test_nul_byte_in_edit_is_400(client, headers, member, category):
    first = make_topic(member, category)
    response = client.put(f"/posts/{first.id}", headers=headers, json={"post": {"raw": "a\x00b"}})
    error_of(response, 400, "invalid_parameters")
    edit_reason = client.put(
        f"/posts/{first.id}",
        headers=headers,
        data={"post[raw]": "Good words.", "post[edit_reason]": "bad\x00reason"},
    )
    error_of(edit_reason, 400, "invalid_parameters")
    assert json_of(client.get(f"/posts/{first.id}.json"))["version"] == 1


# Invalid UTF-8 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"title=Phlebotomy+LCS+uplift+2025&raw=caf%E9+au+lait",  # Latin-1 é, percent-encoded
        b"title=Phlebotomy+LCS+uplift+2025&raw=caf\xe9",  # raw byte
        b"title=Phlebotomy+LCS+uplift+2025&raw=%ED%A0%80",  # an encoded surrogate
        b"title=Phlebotomy+LCS+uplift+2025&ra%FFw=hello+there",  # in a name
    ],
)
def test_invalid_utf8_in_form_is_400(client, headers, body):
    response = client.post("/posts", headers=headers, data=body, content_type=FORM)
    error = error_of(response, 400, "invalid_parameters")
    assert "UTF-8" in error["errors"][0]
    assert nothing_created(client)


def test_invalid_utf8_names_the_field(client, headers):
    body = b"title=Phlebotomy+LCS+uplift+2025&raw=%FF%FE"
    response = client.post("/posts", headers=headers, data=body, content_type=FORM)
    assert error_of(response, 400, "invalid_parameters")["errors"] == [
        "You supplied invalid parameters to the request: raw (not valid UTF-8)"
    ]


def test_invalid_utf8_in_json_is_400(client, headers):
    body = b'{"title": "Phlebotomy LCS uplift 2025", "raw": "caf\xe9"}'
    response = client.post("/posts", headers=headers, data=body, content_type="application/json")
    error_of(response, 400, "invalid_parameters")
    surrogate = '{"title": "Phlebotomy LCS uplift 2025", "raw": "\\ud800 alone"}'
    response = client.post(
        "/posts", headers=headers, data=surrogate, content_type="application/json"
    )
    error_of(response, 400, "invalid_parameters")
    assert nothing_created(client)


def test_invalid_utf8_in_multipart_field_is_400(client, headers):
    response = client.post(
        "/posts",
        headers=headers,
        data={"title": TITLE, "raw": (io.BytesIO(b"unused"), "file.txt")},
        content_type="multipart/form-data",
    )
    # A file where text is expected is not text.
    assert response.status_code == 400
    boundary = "XyZ"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{TITLE}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="raw"\r\n\r\n'
        ).encode()
        + b"caf\xe9\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/posts",
        headers=headers,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    error = error_of(response, 400, "invalid_parameters")
    assert error["errors"] == [
        "You supplied invalid parameters to the request: raw (not valid UTF-8)"
    ]
    assert nothing_created(client)


def test_invalid_utf8_in_query_string_is_400(client):
    error_of(client.get("/latest.json?order=%FF"), 400, "invalid_parameters")


def test_invalid_utf8_on_an_html_page_gets_an_html_error(client):
    response = client.post(
        "/login",
        data=b"login=caf%E9&password=x",
        content_type=FORM,
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "UTF-8" in response.get_data(as_text=True)


# Numbers in the URL and the query ---------------------------------------------------------


def test_huge_ids_are_not_found_not_500(client):
    for path in (
        "/t/99999999999999999999999.json",
        "/t/9223372036854775808.json",
        "/t/1/99999999999999999999999.json",
        "/posts/99999999999999999999999.json",
        "/c/99999999999999999999999.json",
        "/t/99999999999999999999999/posts.json",
    ):
        error_of(client.get(path), 404, "not_found")


def test_huge_numbers_in_parameters_are_refused(client, headers, category):
    topic_id = make_topic(category=category).topic_id
    response = client.post(
        "/posts", headers=headers, json={"topic_id": 10**30, "raw": "Overflowing."}
    )
    error_of(response, 400, "invalid_parameters")
    error_of(client.get(f"/t/{topic_id}.json?page={10**30}"), 400, "invalid_parameters")


# Text preserved exactly -------------------------------------------------------------------

ARABIC = "مرحبا 👋🏽"
MIXED = "مرحبا 👋🏽 שלום — 👩🏽‍⚕️ GP partner ✅\nSecond line ‏RTL‏ marks kept"


def test_emoji_and_right_to_left_text_round_trip_by_form(client, headers):
    title = f"{ARABIC} LMC update for April"
    body = json_of(client.post("/posts", headers=headers, data={"title": title, "raw": MIXED}))
    assert body["raw"] == MIXED
    post = json_of(client.get(f"/posts/{body['id']}.json"))
    assert post["raw"] == MIXED
    assert ARABIC in post["cooked"] and "👩🏽‍⚕️" in post["cooked"]
    topic = json_of(client.get(f"/t/{body['topic_id']}.json"))
    assert topic["title"] == title
    listed = json_of(client.get("/latest.json"))["topic_list"]["topics"][0]
    assert listed["title"] == title


def test_emoji_and_right_to_left_text_round_trip_by_json(client, headers, member, category):
    raw_bytes = json.dumps({"title": f"{ARABIC} shared care protocol", "raw": ARABIC}).encode()
    response = client.post(
        "/posts", headers=headers, data=raw_bytes, content_type="application/json"
    )
    body = json_of(response)
    assert body["raw"] == ARABIC
    edited = json_of(
        client.put(f"/posts/{body['id']}", headers=headers, json={"post": {"raw": MIXED}})
    )
    assert edited["post"]["raw"] == MIXED
    assert json_of(client.get(f"/posts/{body['id']}.json"))["raw"] == MIXED
    # The JSON on the wire is UTF-8 (Flask may \u-escape it; either way it decodes exactly).
    assert json.loads(client.get(f"/posts/{body['id']}.json").data.decode("utf-8"))["raw"] == MIXED


# Rails-style parameter nesting ------------------------------------------------------------


def test_nest_follows_rails_conventions():
    pairs = MultiDict(
        [
            ("post[raw]", "Body"),
            ("post[edit_reason]", "typo"),
            ("tags[]", "a"),
            ("tags[]", "b"),
            ("topic_id", "1"),
            ("topic_id", "2"),
            ("a[b][c]", "deep"),
            ("odd[", "kept"),
        ]
    )
    assert nest(pairs) == {
        "post": {"raw": "Body", "edit_reason": "typo"},
        "tags": ["a", "b"],
        "topic_id": "2",
        "a": {"b": {"c": "deep"}},
        "odd[": "kept",
    }


@pytest.mark.parametrize(
    "pairs",
    [
        [("post", "x"), ("post[raw]", "y")],
        [("post[raw]", "y"), ("post", "x")],
        [("a" + "[x]" * 20, "too deep")],
        [("a[][b]", "arrays of hashes")],
    ],
)
def test_nest_refuses_conflicts_and_depth(pairs):
    with pytest.raises(InvalidParameters):
        nest(MultiDict(pairs))


def test_conflicting_form_keys_are_400(client, headers, member, category):
    first = make_topic(member, category)
    response = client.put(
        f"/posts/{first.id}", headers=headers, data=MultiDict([("post", "x"), ("post[raw]", "y")])
    )
    error_of(response, 400, "invalid_parameters")
