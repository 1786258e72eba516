"""Every response class carries the safety headers (security.md §1.4, §7 #2): a
Content-Security-Policy that forbids inline script, ``nosniff``, a referrer policy and framing
rules — on pages, error pages, forms, JSON and JSON errors alike."""

from __future__ import annotations

import pytest

from tests.factories import make_category, make_reply, make_topic, make_user


def directives(csp: str) -> dict[str, list[str]]:
    """``"default-src 'self'; img-src https:"`` → ``{"default-src": ["'self'"], ...}``."""
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            assert words[0].lower() not in parsed, f"directive {words[0]} given twice"
            parsed[words[0].lower()] = words[1:]
    return parsed


def assert_safe_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy")
    assert csp, f"no CSP on {response.request.path}"
    policy = directives(csp)
    script_src = policy.get("script-src", policy.get("default-src"))
    assert script_src, "no script-src or default-src"
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert unsafe not in script_src, f"script-src allows {unsafe}"
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("base-uri") in (["'none'"], ["'self'"])
    assert "'unsafe-inline'" not in policy.get("style-src", policy.get("default-src", []))
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )
    frame_ancestors = policy.get("frame-ancestors")
    assert frame_ancestors in (["'self'"], ["'none'"]) or response.headers.get(
        "X-Frame-Options"
    ) in ("DENY", "SAMEORIGIN")


@pytest.fixture
def first_post(app):
    user = make_user("hdr_author")
    first = make_topic(user, make_category("Headers"), title="Headers on every single page")
    make_reply(first.topic, user, raw="A reply so the topic has two posts.")
    return first


@pytest.fixture
def topic(first_post):
    return first_post.topic


@pytest.fixture
def first_post_id(first_post):
    return first_post.id


def html_paths(topic):
    return [
        "/",
        "/?page=2",
        "/categories",
        f"/c/{topic.category.slug}/{topic.category.id}",
        f"/t/{topic.slug}/{topic.id}",
        f"/t/{topic.slug}/{topic.id}/2",
        f"/t/{topic.id}",
        "/u/hdr_author",
        "/login",
        "/signup",
        "/t/no-such-topic/999999",  # 404 page
        "/no/such/page",  # 404 from the router
        "/new-topic",  # sign-in required
        "/admin/",  # not allowed
    ]


def json_paths(topic, first_post_id):
    return [
        "/latest.json",
        "/categories.json",
        f"/t/{topic.id}.json",
        f"/t/{topic.id}/posts.json",
        f"/posts/{first_post_id}.json",
        "/u/hdr_author.json",
        "/t/999999.json",  # JSON 404
        "/u/nobody-here.json",
    ]


def test_html_responses_carry_safe_headers(client, topic):
    for path in html_paths(topic):
        response = client.get(path)
        assert response.status_code < 500, path
        assert response.mimetype == "text/html", path
        assert_safe_headers(response)


def test_html_error_statuses_are_covered(client, topic):
    statuses = {path: client.get(path).status_code for path in html_paths(topic)}
    assert statuses["/"] == 200
    assert statuses[f"/t/{topic.slug}/{topic.id}"] == 200
    assert statuses["/login"] == 200
    assert statuses["/no/such/page"] == 404
    assert statuses["/t/no-such-topic/999999"] == 404


def test_json_responses_carry_safe_headers(client, topic, first_post_id):
    for path in json_paths(topic, first_post_id):
        response = client.get(path)
        assert response.status_code < 500, path
        assert response.mimetype == "application/json", path
        assert_safe_headers(response)


def test_json_error_responses_carry_safe_headers(client):
    for response in (
        client.get("/t/999999.json"),
        client.post("/posts.json", json={"raw": "no credentials"}),
        client.post("/posts.json", headers={"Api-Key": "wrong", "Api-Username": "x"}),
        client.put("/posts/1.json", data="{not json", content_type="application/json"),
    ):
        assert response.status_code in (400, 403, 404, 422), response.request.path
        assert response.is_json
        assert_safe_headers(response)


def test_form_posts_and_redirects_carry_safe_headers(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"login": "x", "password": "y"})
    assert response.status_code in (400, 403, 422)
    assert_safe_headers(response)


def test_static_files_carry_nosniff(client):
    for path in ("/static/css/forum.css", "/static/js/forum.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        response.close()


def test_method_not_allowed_and_head_carry_safe_headers(client):
    response = client.delete("/")
    assert response.status_code == 405
    assert_safe_headers(response)
    assert_safe_headers(client.head("/"))


def test_the_check_fails_without_the_headers(client, app):
    """Guard against a vacuous check."""
    app.config["SECURITY_HEADERS"] = False
    with pytest.raises(AssertionError):
        assert_safe_headers(client.get("/login"))
