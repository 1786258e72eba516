"""Hostile strings as titles, bodies and URL parts: never a 5xx, JSON errors in Discourse's
shape, and whatever was stored still renders everywhere afterwards (security.md §5.7, §7 #6).

A lone surrogate in a stored title once turned a home page into a permanent 500, so every test
that writes ends by reading the pages that list what it wrote.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from markupsafe import escape

from forum.accounts.services import create_api_key
from tests.core.rendering.xss_payloads import PAYLOADS
from tests.factories import make_category, make_topic, make_user

VALID_TITLE = "Hostile input survey for the board"
VALID_BODY = "A perfectly ordinary body for a hostile-input test."

HOSTILE = {
    "nul": "\x00",
    "nul inside": "Practice list\x00 size",
    "lone high surrogate": "\ud800",
    "lone low surrogate": "before \udfff after",
    "reversed surrogate pair": "\udc00\ud800",
    "100k chars": "a" * 100_000,
    "32001 chars": "b" * 32_001,
    "long word in title": "Pneumonoultramicroscopicsilicovolcanoconiosis" * 8,
    "rtl override": "\u202egnp.exe",
    "rtl arabic": "مرحبا بكم في منتدى اللجان الطبية المحلية",
    "rtl hebrew with numbers": "שלום 123 עולם 456",
    "bidi isolates": "\u2067x\u2069 \u2066y\u2069 \u2068z\u2069",
    "crlf": "Subject\r\nInjected-Header: yes",
    "cr only": "one\rtwo\rthree",
    "line separators": "one\u2028two\u2029three",
    "jinja": "{{ 7*7 }} {{ config.SECRET_KEY }}",
    "jinja block": "{% for x in range(9999999) %}{{x}}{% endfor %}",
    "jinja raw": "{% raw %}{{ self.__init__.__globals__ }}{% endraw %}",
    "other templates": "${7*7} #{7*7} <%= 7*7 %> {7*7} [[7*7]]",
    "sql quote": "' OR '1'='1' --",
    "sql drop": "Robert'); DROP TABLE posts;--",
    "sql union": "1 UNION SELECT username, password_hash FROM users --",
    "sql sleep": "1; SELECT pg_sleep(10); --",
    "like wildcards": "%_%_%\\%\\_",
    "printf": "%s%s%s%s%n%x%d",
    "python format": "{0} {__class__} {title!r:>{width}}",
    "percent dict": "%(title)s %(raw)s",
    "emoji": "Thanks 👍🏽🎉🙏",
    "emoji zwj family": "👨‍👩‍👧‍👦 👩🏽‍⚕️ 🧑‍🤝‍🧑",
    "flag tags": "🏴󠁧󠁢󠁷󠁬󠁳󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "astral plane": "\U0001d54f\U0001d560 \U00020000",
    "only spaces": "     ",
    "only whitespace mix": " \t\n\r\n\t ",
    "ideographic space": "\u3000\u3000\u3000",
    "zero width": "\u200b\u200c\u200d\ufeff",
    "nbsp only": "\u00a0\u00a0",
    "control chars": "".join(chr(c) for c in range(1, 32)),
    "ansi escape": "\x1b[31mred\x1b[0m \x07 bell",
    "del and c1": "\x7f\x80\x85\x9f",
    "bom": "\ufeffTitle with a byte order mark",
    "noncharacters": "\ufffe\uffff \U0010ffff",
    "replacement char": "\ufffd\ufffd",
    "combining zalgo": "Z\u0334\u0321\u032a\u032b\u0316\u0325\u0314\u036a\u035b\u0350\u0345algo",
    "normalisation": "A\u030angstr\u00f6m \u212b \ufb01le",
    "html": "<script>alert(1)</script>",
    "html entity": "&lt;b&gt; &amp;amp; &#0; &#x110000;",
    "attribute break": '" onmouseover="alert(1)" x="',
    "path traversal": "../../../../etc/passwd",
    "url encoded": "%00%0d%0a%ff%2e%2e%2f",
    "backslashes": "\\\\server\\share \\u0000 \\x00",
    "json-ish": '"}]} {"raw": "injected"',
    "literal null": "null",
    "number string": "-1e309",
    "nan": "NaN",
    "markdown only": "# \n---\n> ",
    "quote bbcode": '[quote="admin, post:1, topic:1"]\nforged\n[/quote]',
    "mentions": "@admin " * 200,
    "newlines": "\n" * 5000,
    "welsh": "Gwasanaethau meddygon teulu — ŵ ŷ â ê",
    "mixed scripts": "Ελληνικά Кириллица 中文 日本語 한국어 हिन्दी",
}
KEYS = list(HOSTILE)


@pytest.fixture
def forum(app):
    user = make_user("hostile_writer")
    category = make_category("Hostile")
    topic = make_topic(user, category, title="An existing topic for replies").topic
    _, key = create_api_key(user)
    return {
        "headers": {"Api-Key": key, "Api-Username": user.username},
        "category": category,
        "topic": topic,
    }


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.get_data()[:500])


def assert_discourse_error(response, what: str) -> None:
    """A 4xx JSON body Discourse clients understand: ``{"errors": [str, ...], ...}``."""
    assert response.headers["Content-Type"] == "application/json; charset=utf-8", what
    body = response.get_json()
    assert isinstance(body, dict), what
    assert isinstance(body.get("errors"), list) and body["errors"], (what, body)
    assert all(isinstance(m, str) and m for m in body["errors"]), (what, body)
    assert body.get("error_type") in (None, "invalid_parameters", "not_found", "rate_limit")


def utf8(value: str) -> bytes:
    """Encode as a careless client would: lone surrogates become (invalid) UTF-8 bytes."""
    return value.encode("utf-8", "surrogatepass")


def form_body(fields: dict) -> bytes:
    return b"&".join(
        quote(name).encode() + b"=" + quote(utf8(str(value)), safe="").encode()
        for name, value in fields.items()
    )


def post(client, headers, fields: dict, encoding: str):
    if encoding == "json":
        # ensure_ascii (the default) writes lone surrogates as "\ud800" escapes.
        return client.post(
            "/posts.json", headers=headers, data=json.dumps(fields), content_type="application/json"
        )
    return client.post(
        "/posts.json",
        headers=headers,
        data=form_body(fields),
        content_type="application/x-www-form-urlencoded",
    )


def assert_pages_still_render(client, topic_ids) -> None:
    """Render-after-store: every page listing or showing what was stored answers 200, and a
    stored title shows on its topic page exactly as stored (escaped)."""
    for path in ("/", "/latest.json", "/categories", "/categories.json", "/u/hostile_writer"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data()[:500])
    for topic_id in topic_ids:
        data = client.get(f"/t/{topic_id}.json")
        assert data.status_code == 200, (topic_id, data.get_data()[:500])
        title = data.get_json()["title"]
        page = client.get(f"/t/{data.get_json()['slug']}/{topic_id}")
        assert page.status_code == 200, (topic_id, page.get_data()[:500])
        assert str(escape(title)) in page.get_data(as_text=True)


@pytest.mark.parametrize("key", KEYS)
def test_hostile_string_as_title_and_body(client, forum, key):
    value = HOSTILE[key]
    headers, category, topic = forum["headers"], forum["category"], forum["topic"]
    created = []
    attempts = {
        "title": {"title": value, "raw": f"{VALID_BODY} (title {key})", "category": category.id},
        "padded title": {
            "title": f"{value} {VALID_TITLE}",
            "raw": f"{VALID_BODY} (padded {key})",
            "category": category.id,
        },
        "body": {"title": f"{VALID_TITLE} {key}", "raw": value, "category": category.id},
        "reply": {"topic_id": topic.id, "raw": value},
    }
    for name, fields in attempts.items():
        for encoding in ("json", "form"):
            if encoding == "form" and name != "reply":
                fields = {**fields, "raw": f"{fields['raw']} (form)"}  # not a duplicate
            what = f"{key} as {name} ({encoding})"
            response = post(client, headers, fields, encoding)
            assert_no_server_error(response, what)
            if response.status_code >= 400:
                assert_discourse_error(response, what)
            else:
                created.append(response.get_json()["topic_id"])
    assert_pages_still_render(client, set(created))


@pytest.mark.parametrize("key", ["emoji zwj family", "rtl arabic", "rtl override", "welsh"])
def test_stored_text_comes_back_exactly(client, forum, key):
    value = HOSTILE[key]
    title = f"{value} {VALID_TITLE}"
    response = post(
        client, forum["headers"], {"title": title, "raw": f"Body: {value}"}, encoding="json"
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["raw"] == f"Body: {value}"
    assert value in body["cooked"]
    topic = client.get(f"/t/{body['topic_id']}.json").get_json()
    assert topic["title"] == title
    for path in ("/", f"/t/{topic['slug']}/{topic['id']}", "/u/hostile_writer"):
        page = client.get(path)
        assert page.status_code == 200
        assert str(escape(title)) in page.get_data(as_text=True), path


def test_every_hostile_string_in_one_forum_still_renders(client, forum):
    """All of them stored side by side (where accepted), then every listing is read."""
    created = set()
    for n, (key, value) in enumerate(HOSTILE.items()):
        fields = {"title": f"{value} {VALID_TITLE} {n}", "raw": f"{value}\n\n(case {n})"}
        response = post(client, forum["headers"], fields, "json")
        assert_no_server_error(response, key)
        if response.status_code == 200:
            created.add(response.get_json()["topic_id"])
        reply = post(
            client, forum["headers"], {"topic_id": forum["topic"].id, "raw": value}, "json"
        )
        assert_no_server_error(reply, key)
    assert len(created) >= len(HOSTILE) // 2  # most are acceptable text and must be stored
    assert_pages_still_render(client, created)
    for page in (1, 2, 3):
        assert client.get(f"/?page={page}").status_code == 200
        assert client.get(f"/latest.json?page={page}").status_code == 200
    topic = forum["topic"]
    for page in (1, 2, 3, 4):
        assert client.get(f"/t/{topic.slug}/{topic.id}?page={page}").status_code == 200


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"title": "Invalid \xff\xfe bytes in a title", "raw": "ok body"}', "application/json"),
        (b'{"title": "A perfectly fine title here", "raw": "\xc3\x28"}', "application/json"),
        (b'{"title": "A perfectly fine title here", "raw": "\xed\xa0\x80"}', "application/json"),
        (b"\xff\xfe\x00{", "application/json"),
        (b"title=Invalid%FF%FE+bytes+in+a+title&raw=ok+body", "application/x-www-form-urlencoded"),
        (b"title=A+perfectly+fine+title+here&raw=%C3%28", "application/x-www-form-urlencoded"),
        (b"title=A+perfectly+fine+title+here&raw=\xff\xfe", "application/x-www-form-urlencoded"),
        (b"title=A+perfectly+fine+title+here&raw=%00", "application/x-www-form-urlencoded"),
    ],
)
def test_invalid_utf8_bodies_are_refused_cleanly(client, forum, body, content_type):
    response = client.post(
        "/posts.json", headers=forum["headers"], data=body, content_type=content_type
    )
    assert_no_server_error(response, repr(body))
    assert 400 <= response.status_code < 500, response.get_json()
    assert_discourse_error(response, repr(body))
    assert_pages_still_render(client, [])


@pytest.mark.parametrize("value", [12345, 1.5, True, None, [], {}, ["a"], {"a": "b"}])
def test_non_text_json_values_are_refused_cleanly(client, forum, value):
    for fields in (
        {"title": value, "raw": "Body for a non-text title."},
        {"title": VALID_TITLE, "raw": value},
    ):
        response = post(client, forum["headers"], fields, "json")
        assert_no_server_error(response, repr(fields))
        if response.status_code >= 400:
            assert_discourse_error(response, repr(fields))


# Hostile strings in URLs -------------------------------------------------------------------

#: Shorter than the bodies: these become URL parts, which servers cap anyway.
URL_KEYS = [k for k in KEYS if len(HOSTILE[k]) < 2000] + ["payload"]


def url_part(key: str) -> str:
    value = PAYLOADS[0] if key == "payload" else HOSTILE[key]
    return quote(utf8(value), safe="")


@pytest.mark.parametrize("key", URL_KEYS)
def test_hostile_string_in_urls(client, forum, key):
    part = url_part(key)
    topic, category = forum["topic"], forum["category"]
    paths = [
        f"/?page={part}",
        f"/?page=1&{part}={part}",
        f"/latest.json?page={part}",
        f"/categories?{part}",
        f"/t/{part}/{topic.id}",
        f"/t/abc/{part}",
        f"/t/{topic.slug}/{topic.id}?page={part}",
        f"/t/{topic.slug}/{topic.id}/{part}",
        f"/t/{topic.id}.json?page={part}",
        f"/t/{topic.id}/posts.json?post_ids[]={part}",
        f"/c/{part}/{category.id}",
        f"/c/{category.slug}/{part}",
        f"/c/{part}/{part}",
        f"/c/{part}/{category.id}.json?page={part}",
        f"/u/{part}",
        f"/u/{part}.json",
        f"/users/{part}.json",
        f"/posts/{part}.json",
        f"/login?next={part}",
        f"/signup?invite={part}",
        f"/{part}",
    ]
    for path in paths:
        response = client.get(path)
        assert_no_server_error(response, path)
        if response.status_code >= 400 and response.is_json:
            assert_discourse_error(response, path)
        if response.status_code >= 400 and not response.is_json:
            assert response.mimetype == "text/html", path
        response.close()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("key", ["jinja", "html", "attribute break", "crlf"])
def test_reflected_strings_are_escaped(client, forum, key):
    """Whatever a page echoes back from the URL is escaped text, and no header is forged."""
    value = HOSTILE[key]
    part = url_part(key)
    for path in (f"/login?next={part}", f"/u/{part}", f"/?page={part}", f"/t/{part}/1"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        if "<" in value or '"' in value:
            assert value not in html, path
        assert "test-secret" not in html  # {{ config.SECRET_KEY }} was not evaluated
        assert "Injected-Header" not in response.headers
