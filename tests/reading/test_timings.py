"""Recording reads: ``POST /topics/timings`` (what the topic page's script sends), the
``<noscript>`` read pixel, and what the topic page carries for them."""

from __future__ import annotations

import html
import re

import pytest

from forum.categories.models import CREATE
from forum.reading import pixel
from tests.api.conftest import error_of, json_of
from tests.factories import make_category, make_reply, make_topic, make_user
from tests.reading.conftest import last_read, read, topic_user


@pytest.fixture
def topic(alice, category):
    """Alice's topic with three replies by carol: posts 1 to 4."""
    topic = make_topic(alice, category).topic
    carol = make_user("carol")
    for n in range(3):
        make_reply(topic, carol, raw=f"Reply {n} from carol.")
    return topic


def test_timings_raise_the_mark_but_never_lower_it(client, auth, bob, topic):
    auth.login_as(bob)
    body = json_of(read(client, topic, 3))
    assert body == {"success": "OK"}
    row = topic_user(bob, topic)
    assert row.last_read_post_number == 3
    assert row.notification_level is None  # reading does not choose a level
    read(client, topic, 1)  # an older tab
    assert last_read(bob, topic) == 3
    read(client, topic, 99)  # beyond the last post: the topic's highest
    assert last_read(bob, topic) == 4


def test_timings_take_a_json_body_and_several_posts(client, auth, bob, topic):
    auth.login_as(bob)
    response = client.post(
        "/topics/timings.json",
        json={"topic_id": topic.id, "topic_time": 4000, "timings": {"1": 900, "2": 1200}},
    )
    json_of(response)
    assert last_read(bob, topic) == 2


def test_reading_keeps_a_level_chosen_before(client, auth, bob, topic):
    from tests.reading.conftest import set_topic_level

    set_topic_level(bob, topic, 3)
    auth.login_as(bob)
    read(client, topic, 2)
    row = topic_user(bob, topic)
    assert (row.notification_level, row.last_read_post_number) == (3, 2)


def test_a_hidden_topic_cannot_be_marked(client, auth, bob):
    admin = make_user("boss", role="admin")
    secret = make_category("Officers only", permissions={"officers": CREATE})
    hidden = make_topic(admin, secret).topic
    auth.login_as(bob)
    response = client.post("/topics/timings", data={"topic_id": hidden.id, "timings[1]": 10})
    error_of(response, 404, "not_found")
    assert topic_user(bob, hidden) is None
    response = client.post("/topics/timings", data={"topic_id": 2**40, "timings[1]": 10})
    error_of(response, 404, "not_found")


def test_visitors_cannot_record_reads(client, topic):
    response = client.post("/topics/timings", data={"topic_id": topic.id, "timings[1]": 10})
    error_of(response, 403, "not_logged_in")


@pytest.mark.parametrize(
    "data",
    [
        {"timings[1]": "10"},  # no topic_id
        {"topic_id": "abc", "timings[1]": "10"},
        {"topic_id": "1e3", "timings[1]": "10"},
        {"topic_id": str(10**30), "timings[1]": "10"},
        {"topic_id": "{id}"},  # no timings
        {"topic_id": "{id}", "timings": "7"},
        {"topic_id": "{id}", "timings[abc]": "10"},
        {"topic_id": "{id}", "timings[0]": "10"},
        {"topic_id": "{id}", "timings[-3]": "10"},
        {"topic_id": "{id}", f"timings[{10**40}]": "10"},
        {"topic_id": "{id}", "timings[1]": "ten"},
        {"topic_id": "{id}", "timings[1]": "-5"},
        {"topic_id": "{id}", "timings[1]": str(10**12)},
        {"topic_id": "{id}", "timings[1][x]": "10"},
        {"topic_id": "{id}", "topic_time": "soon", "timings[1]": "10"},
    ],
)
def test_bad_form_input_is_a_clear_400(client, auth, bob, topic, data):
    auth.login_as(bob)
    data = {key: value.replace("{id}", str(topic.id)) for key, value in data.items()}
    response = client.post("/topics/timings", data=data)
    body = json_of(response, 400)
    assert body["errors"] and all(isinstance(m, str) for m in body["errors"])
    assert topic_user(bob, topic) is None


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        {"topic_id": "{id}", "timings": [1, 2]},
        {"topic_id": "{id}", "timings": {"1": {"ms": 10}}},
        {"topic_id": "{id}", "timings": {"1": True}},
        {"topic_id": "{id}", "timings": {"1": 1.5}},
        {"topic_id": True, "timings": {"1": 10}},
        {"topic_id": "{id}", "timings": {str(n): 10 for n in range(1, 3001)}},
    ],
)
def test_bad_json_input_is_a_clear_400(client, auth, bob, topic, body):
    auth.login_as(bob)
    if isinstance(body, dict) and body.get("topic_id") == "{id}":
        body = {**body, "topic_id": topic.id}
    response = client.post("/topics/timings", json=body)
    json_of(response, 400)
    assert topic_user(bob, topic) is None


def test_thousands_of_form_keys_are_refused(client, auth, bob, topic):
    auth.login_as(bob)
    data = {"topic_id": str(topic.id)}
    data.update({f"timings[{n}]": "10" for n in range(1, 2001)})
    response = client.post("/topics/timings", data=data)
    body = error_of(response, 400, "invalid_parameters")
    assert "at most 500" in body["errors"][0]
    assert topic_user(bob, topic) is None


# -- The topic page -------------------------------------------------------------------------


def tracker_attributes(page: str) -> dict:
    tag = re.search(r"<div[^>]*data-reading-tracker[^>]*>", page).group(0)
    return {
        name: html.unescape(value) for name, value in re.findall(r'(data-[\w-]+)="([^"]*)"', tag)
    }


def pixel_url(page: str) -> str:
    noscript = re.search(r"<noscript><img[^>]*src=\"([^\"]+)\"", page)
    return html.unescape(noscript.group(1))


def test_the_topic_page_writes_nothing_but_carries_the_tracker(client, auth, bob, topic):
    page = client.get(f"/t/{topic.slug}/{topic.id}").text
    assert "data-reading-tracker" not in page and "read-pixel" not in page  # visitors
    auth.login_as(bob)
    page = client.get(f"/t/{topic.slug}/{topic.id}").text
    attributes = tracker_attributes(page)
    assert attributes["data-topic-id"] == str(topic.id)
    assert attributes["data-timings-url"] == "/topics/timings"
    assert attributes["data-csrf-token"]
    assert topic_user(bob, topic) is None  # showing the page recorded nothing
    assert f"/t/{topic.id}/read/4.gif?token=" in pixel_url(page)


def test_the_script_must_send_the_csrf_token(app, client, auth, bob, topic):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.login_as(bob)
    token = tracker_attributes(client.get(f"/t/{topic.slug}/{topic.id}").text)["data-csrf-token"]
    data = {"topic_id": topic.id, "timings[2]": 800}
    forged = client.post("/topics/timings", data=data, headers={"Accept": "application/json"})
    error_of(forged, 403, "invalid_access")
    assert topic_user(bob, topic) is None
    json_of(client.post("/topics/timings", data={**data, "csrf_token": token}))  # sendBeacon
    assert last_read(bob, topic) == 2
    data["timings[3]"] = 800
    json_of(client.post("/topics/timings", data=data, headers={"X-CSRFToken": token}))  # fetch
    assert last_read(bob, topic) == 3


def test_the_noscript_pixel_records_the_pages_last_post(app, client, auth, bob, topic):
    app.config["POSTS_PER_PAGE"] = 3
    auth.login_as(bob)
    page = client.get(f"/t/{topic.slug}/{topic.id}").text
    url = pixel_url(page)
    assert f"/t/{topic.id}/read/3.gif?token=" in url
    assert topic_user(bob, topic) is None
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/gif" and response.data.startswith(b"GIF89a")
    assert response.headers["Cache-Control"] == "no-store"
    assert last_read(bob, topic) == 3
    second = pixel_url(client.get(f"/t/{topic.slug}/{topic.id}?page=2").text)
    assert f"/t/{topic.id}/read/4.gif" in second
    client.get(second)
    assert last_read(bob, topic) == 4
    client.get(url)  # the first page again: never lowers
    assert last_read(bob, topic) == 4


def test_the_noscript_pixel_rejects_a_tampered_token(app, client, auth, bob, alice, topic):
    auth.login_as(bob)
    url = pixel_url(client.get(f"/t/{topic.slug}/{topic.id}").text)
    path, token = url.split("?token=")
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(f"{path}?token={tampered}").status_code == 403
    assert client.get(path).status_code == 403  # no token
    # A genuine token for another post number, topic or person is refused too.
    assert client.get(f"/t/{topic.id}/read/3.gif?token={token}").status_code == 403
    with app.test_request_context():
        alices = pixel.make_token(alice.id, topic.id, 4)
    assert client.get(f"{path}?token={alices}").status_code == 403
    assert topic_user(bob, topic) is None
    auth.logout()
    assert client.get(url).status_code == 403
    assert topic_user(bob, topic) is None
