"""Reading state costs a fixed number of queries per topic list, never one per topic: the
latest page, a category page and their JSON twins, and New and Unread, run as many queries
for 8 topics as for 2 (with topics read, unread, new and muted among them)."""

from __future__ import annotations

from forum.notifications.models import MUTED, TRACKING
from tests.api.test_query_counts import count_queries
from tests.factories import make_category, make_reply, make_topic, make_user
from tests.reading.conftest import read, set_category_level, set_topic_level


def add_topics(client, alice, bob, category, n: int) -> None:
    """``n`` topics in each of four states for bob: new, unread, read, muted."""
    for _ in range(n):
        make_topic(alice, category)  # new
        unread = make_topic(alice, category).topic
        read(client, unread, 1)
        make_reply(unread, alice)
        done = make_topic(alice, category).topic
        read(client, done, 1)
        muted = make_topic(alice, category).topic
        set_topic_level(bob, muted, MUTED)


def query_count(client, path: str) -> int:
    client.get(path)  # caches (permissions, category map) filled after the last write
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def test_topic_lists_do_not_query_per_topic(app, client, auth):
    alice, bob = make_user("alice"), make_user("bob")
    category = make_category("Contracts")
    set_category_level(bob, category, TRACKING)
    auth.login_as(bob)
    paths = [
        "/",
        "/latest.json",
        f"/c/{category.slug}/{category.id}",
        f"/c/{category.id}.json",
        "/new",
        "/new.json",
        "/unread",
        "/unread.json",
    ]
    add_topics(client, alice, bob, category, 1)
    few = {path: query_count(client, path) for path in paths}
    add_topics(client, alice, bob, category, 3)
    many = {path: query_count(client, path) for path in paths}
    assert many == few, few
    page = client.get("/").text
    assert page.count("reading-badge reading-new") == 4
    assert page.count("1 unread<") == 4
