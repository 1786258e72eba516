"""The New and Unread lists (HTML and JSON), their tab counts, the per-topic badges and
links in every topic list, and dismissing them."""

from __future__ import annotations

import re
from datetime import timedelta

from forum.categories.models import CREATE
from forum.database import utcnow
from forum.extensions import db
from forum.notifications.models import MUTED, TRACKING, WATCHING
from forum.topics import services
from forum.topics.models import Topic
from tests.api.conftest import error_of, json_of
from tests.factories import make_category, make_reply, make_topic, make_user
from tests.reading.conftest import (
    last_read,
    listed,
    read,
    set_category_level,
    set_topic_level,
    topic_ids,
    topic_user,
)


def counts(page: str) -> tuple[str, str]:
    """The New and Unread tab labels of a list page."""
    tabs = re.search(r'<nav class="list-tabs".*?</nav>', page, re.S).group(0)
    labels = [
        " ".join(re.sub(r"<[^>]+>", "", a).split()) for a in re.findall(r"<a [^>]*>(.*?)</a>", tabs)
    ]
    assert labels[0] == "Latest"
    return labels[1], labels[2]


def title_link(page: str, topic) -> str:
    match = re.search(rf'<a class="topic-title" href="([^"]+)">{re.escape(topic.title)}</a>', page)
    assert match, f"{topic.title} not listed"
    return match.group(1)


# -- New ------------------------------------------------------------------------------------


def test_a_new_topic_is_new_for_others_until_they_open_it(client, auth, alice, bob, category):
    topic = make_topic(alice, category).topic
    auth.login_as(bob)
    assert topic_ids(client, "/new.json") == [topic.id]
    item = listed(client, "/new.json", topic)
    assert item["unseen"] is True and item["last_read_post_number"] is None
    assert item["unread_posts"] == 0 and item["notification_level"] == 1
    page = client.get("/new").text
    assert counts(page) == ("New (1)", "Unread")
    assert title_link(page, topic) == f"/t/{topic.slug}/{topic.id}"
    assert 'class="reading-badge reading-new"' in page
    latest = client.get("/").text
    assert counts(latest) == ("New (1)", "Unread")
    assert "reading-new" in latest
    read(client, topic, 1)
    assert topic_ids(client, "/new.json") == []
    assert listed(client, "/latest.json", topic)["unseen"] is False
    page = client.get("/new").text
    assert "You're all caught up" in page and counts(page) == ("New", "Unread")
    # The author never sees their own topic as new.
    auth.login_as(alice)
    assert topic_ids(client, "/new.json") == []


def test_a_level_only_row_still_counts_as_unopened(client, auth, alice, bob, category):
    topic = make_topic(alice, category).topic
    set_topic_level(bob, topic, WATCHING)  # e.g. chosen from a notification, before reading
    auth.login_as(bob)
    assert topic_ids(client, "/new.json") == [topic.id]
    assert topic_ids(client, "/unread.json") == []


def test_new_is_limited_to_recent_topics(client, auth, alice, category):
    old = make_topic(alice, category).topic
    fresh = make_topic(alice, category).topic
    db.session.get(Topic, old.id).created_at = utcnow() - timedelta(days=15)
    db.session.commit()
    veteran = make_user("veteran")
    veteran.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    auth.login_as(veteran)
    assert topic_ids(client, "/new.json") == [fresh.id]
    # Someone who joined after a topic was started does not see it as new.
    newcomer = make_user("newcomer")
    auth.login_as(newcomer)
    assert topic_ids(client, "/new.json") == []


def test_muted_categories_stay_out_of_new_and_unread(client, auth, alice, bob, category):
    quiet = make_category("Quiet")
    muted = make_topic(alice, quiet).topic
    shown = make_topic(alice, category).topic
    set_category_level(bob, quiet, MUTED)
    auth.login_as(bob)
    assert topic_ids(client, "/new.json") == [shown.id]
    assert counts(client.get("/new").text) == ("New (1)", "Unread")
    # Even opened and with a tracked topic level... the topic level wins over the category's.
    read(client, muted, 1)
    make_reply(muted, alice)
    assert topic_ids(client, "/unread.json") == []
    set_topic_level(bob, muted, TRACKING)
    assert topic_ids(client, "/unread.json") == [muted.id]
    set_topic_level(bob, muted, MUTED)
    assert topic_ids(client, "/unread.json") == []


def test_hidden_and_deleted_topics_never_appear(client, auth, alice, bob, category):
    moderator = make_user("mod", role="moderator")
    secret = make_category("Officers only", permissions={"officers": CREATE})
    hidden = make_topic(moderator, secret).topic
    # bob once had it tracked and read (it was moved to the hidden category since).
    set_topic_level(bob, hidden, TRACKING)
    row = topic_user(bob, hidden)
    row.last_read_post_number = 1
    db.session.commit()
    make_reply(hidden, moderator)
    first = make_topic(alice, category)
    gone = first.topic
    services.delete_post(moderator, first)
    auth.login_as(bob)
    assert topic_ids(client, "/new.json") == []
    assert topic_ids(client, "/unread.json") == []
    assert counts(client.get("/").text) == ("New", "Unread")
    # Staff see deleted topics in Latest, never in New.
    boss = make_user("boss", role="admin")
    auth.login_as(boss)
    assert gone.id in topic_ids(client, "/latest.json")
    assert gone.id not in topic_ids(client, "/new.json")


# -- Unread ---------------------------------------------------------------------------------


def test_replies_make_a_tracked_topic_unread(app, client, auth, alice, bob, category):
    app.config["POSTS_PER_PAGE"] = 2
    topic = make_topic(alice, category).topic
    make_reply(topic, alice)
    set_category_level(bob, category, TRACKING)
    auth.login_as(bob)
    read(client, topic, 2)
    assert topic_ids(client, "/unread.json") == []
    carol = make_user("carol")
    for _ in range(3):
        make_reply(topic, carol)
    item = listed(client, "/unread.json", topic)
    assert (item["last_read_post_number"], item["unread_posts"], item["new_posts"]) == (2, 3, 3)
    assert item["notification_level"] == TRACKING and item["unseen"] is False
    page = client.get("/unread").text
    assert counts(page) == ("New", "Unread (1)")
    link = title_link(page, topic)
    assert link == f"/t/{topic.slug}/{topic.id}/3#post-3"
    assert "3 unread" in page
    assert title_link(client.get("/").text, topic) == link
    assert title_link(client.get(f"/c/{category.slug}/{category.id}").text, topic) == link
    # The link lands on the page holding post 3 (page 2 of 2 posts each), focused on it.
    landing = client.get(link.split("#")[0]).text
    assert 'id="post-3"' in landing and 'data-focus-post="3"' in landing
    assert 'id="post-1"' not in landing
    read(client, topic, 5)
    assert topic_ids(client, "/unread.json") == []
    assert title_link(client.get("/").text, topic) == f"/t/{topic.slug}/{topic.id}"


def test_replying_tracks_a_topic(client, auth, alice, bob, category):
    topic = make_topic(alice, category).topic
    make_reply(topic, bob)  # replying tracks the topic and reads what you wrote
    make_reply(topic, alice)
    auth.login_as(bob)
    assert topic_ids(client, "/unread.json") == [topic.id]
    assert listed(client, "/unread.json", topic)["unread_posts"] == 1


def test_normal_topics_link_to_the_first_unread_post_without_a_badge(
    client, auth, alice, bob, category
):
    topic = make_topic(alice, category).topic
    auth.login_as(bob)
    read(client, topic, 1)
    make_reply(topic, alice)
    page = client.get("/").text
    assert title_link(page, topic) == f"/t/{topic.slug}/{topic.id}/2#post-2"
    assert "reading-badge" not in page
    item = listed(client, "/latest.json", topic)
    assert (item["unread_posts"], item["new_posts"], item["notification_level"]) == (0, 1, 1)
    assert topic_ids(client, "/unread.json") == []


def test_visitors_get_no_reading_state(client, auth, alice, category):
    topic = make_topic(alice, category).topic
    item = listed(client, "/latest.json", topic)
    assert item["unseen"] is False and "unread_posts" not in item
    page = client.get("/").text
    assert "list-tabs" not in page and "reading-badge" not in page
    response = client.get("/new")
    assert response.status_code == 302 and "/login?next=/new" in response.headers["Location"]
    assert client.get("/unread").status_code == 302
    error_of(client.get("/unread.json"), 403, "not_logged_in")
    error_of(client.get("/new.json"), 403, "not_logged_in")
    error_of(client.put("/topics/reset-new.json"), 403, "not_logged_in")
    error_of(client.put("/topics/bulk.json", data={"filter": "unread"}), 403, "not_logged_in")


def test_lists_are_paginated_like_latest(app, client, auth, alice, bob, category):
    app.config["TOPICS_PER_PAGE"] = 2
    topics = [make_topic(alice, category).topic for _ in range(3)]
    auth.login_as(bob)
    body = client.get("/new.json").get_json()["topic_list"]
    assert [t["id"] for t in body["topics"]] == [topics[2].id, topics[1].id]
    assert body["more_topics_url"] == "/new?page=1"
    assert topic_ids(client, "/new.json?page=1") == [topics[0].id]
    page = client.get("/new").text
    assert 'href="/new?page=2"' in page and counts(page) == ("New (3)", "Unread")
    assert topics[0].title in client.get("/new?page=2").text
    assert "There are no more topics here" in client.get("/new?page=3").text
    json_of(client.get("/new.json?page=abc"), 400)


# -- Dismissing -----------------------------------------------------------------------------


def test_dismiss_new(client, auth, alice, bob, category):
    first = make_topic(alice, category).topic
    auth.login_as(bob)
    page = client.get("/new").text
    assert 'action="/new/dismiss"' in page and "Dismiss new" in page
    response = client.post("/new/dismiss")
    assert response.status_code == 303 and response.headers["Location"].endswith("/new")
    assert topic_ids(client, "/new.json") == []
    assert topic_user(bob, first) is None  # dismissing opens nothing
    later = make_topic(alice, category).topic
    assert topic_ids(client, "/new.json") == [later.id]
    json_of(client.put("/topics/reset-new.json"))
    assert topic_ids(client, "/new.json") == []
    json_of(client.post("/topics/reset-new"))  # again: the row is updated, not duplicated


def test_mark_all_read(client, auth, alice, bob, category):
    set_category_level(bob, category, TRACKING)
    one, two = make_topic(alice, category).topic, make_topic(alice, category).topic
    auth.login_as(bob)
    read(client, one, 1)
    read(client, two, 1)
    for topic in (one, two, one):
        make_reply(topic, alice)
    assert counts(client.get("/").text) == ("New", "Unread (2)")
    page = client.get("/unread").text
    assert 'action="/unread/dismiss"' in page and "Mark all read" in page
    response = client.post("/unread/dismiss")
    assert response.status_code == 303 and response.headers["Location"].endswith("/unread")
    assert (last_read(bob, one), last_read(bob, two)) == (3, 2)
    assert "You're all caught up" in client.get("/unread").text
    make_reply(one, alice)
    make_reply(two, alice)
    body = json_of(
        client.put(
            "/topics/bulk.json",
            data={"filter": "unread", "operation[type]": "dismiss_posts"},
        )
    )
    assert body == {"topic_ids": sorted([one.id, two.id])}
    assert (last_read(bob, one), last_read(bob, two)) == (4, 3)
    make_reply(one, alice)
    make_reply(two, alice)
    body = json_of(
        client.put(
            "/topics/bulk",
            json={"topic_ids": [two.id], "operation": {"type": "dismiss_posts"}},
        )
    )
    assert body == {"topic_ids": [two.id]}
    assert topic_ids(client, "/unread.json") == [one.id]
    huge = {"topic_ids": [2**40, 2**61], "operation": {"type": "dismiss_posts"}}
    assert json_of(client.put("/topics/bulk.json", json=huge)) == {"topic_ids": []}
    assert topic_ids(client, "/unread.json") == [one.id]


def test_bulk_refuses_what_it_does_not_do(client, auth, bob):
    auth.login_as(bob)
    json_of(client.put("/topics/bulk.json", data={"filter": "unread"}), 400)
    bad_type = {"filter": "unread", "operation[type]": "archive"}
    error_of(client.put("/topics/bulk.json", data=bad_type), 400, "invalid_parameters")
    bad_filter = {"filter": "new", "operation[type]": "dismiss_posts"}
    error_of(client.put("/topics/bulk.json", data=bad_filter), 400, "invalid_parameters")
    json_of(client.put("/topics/bulk.json", data={"operation[type]": "dismiss_posts"}), 400)
    bad_ids = {"topic_ids[]": ["x"], "operation[type]": "dismiss_posts"}
    error_of(client.put("/topics/bulk.json", data=bad_ids), 400, "invalid_parameters")
