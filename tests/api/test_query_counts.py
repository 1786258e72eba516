"""``/t/{id}.json`` runs the same number of SQL queries for 3 posts as for 25 (no N+1)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from forum.extensions import db
from tests.api.conftest import api_headers, json_of
from tests.factories import make_reply, make_topic, make_user


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def build_topic(category, posts: int):
    """A topic of ``posts`` posts by several people, with replies to earlier posts (one of
    them outside the first window when there are more than 20)."""
    authors = [make_user() for _ in range(4)]
    first = make_topic(authors[0], category)
    topic = first.topic
    for n in range(2, posts + 1):
        reply_to = 1 if n == posts else (n - 1 if n % 3 == 0 else None)
        make_reply(
            topic, authors[n % 4], raw=f"Post {n} of {posts}.", reply_to_post_number=reply_to
        )
    return topic.id


def queries_for(client, path, headers) -> tuple[int, dict]:
    with count_queries() as statements:
        body = json_of(client.get(path, headers=headers))
    return len(statements), body


def test_topic_json_query_count_does_not_grow_with_posts(client, member, category):
    small = build_topic(category, 3)
    large = build_topic(category, 25)
    headers = api_headers(member)
    client.get("/latest.json", headers=headers)  # anything once-only happens here
    small_count, small_body = queries_for(client, f"/t/{small}.json", headers)
    large_count, large_body = queries_for(client, f"/t/{large}.json", headers)
    assert len(small_body["post_stream"]["posts"]) == 3
    assert len(large_body["post_stream"]["posts"]) == 20
    assert small_count == large_count
    assert large_count <= 15, large_count
    # The last window: its reply to post 1 needs one lookup outside the window, still fixed.
    late_count, late_body = queries_for(client, f"/t/{large}/25.json", headers)
    assert late_body["post_stream"]["posts"][-1]["reply_to_user"]
    assert late_count <= large_count + 1


def test_lists_do_not_query_per_topic(client, member, category):
    headers = api_headers(member)
    build_topic(category, 2)
    queries_for(client, "/latest.json", headers)  # the first use of a key records it
    few = {path: queries_for(client, path, headers)[0] for path in LISTS(category)}
    for _ in range(6):
        build_topic(category, 2)
    # The writes above invalidate the cached permission table; rebuild it before counting.
    queries_for(client, "/latest.json", headers)
    for path in LISTS(category):
        many, body = queries_for(client, path, headers)
        assert len(body["topic_list"]["topics"]) == 7
        assert many == few[path], path


def LISTS(category):  # noqa: N802 - reads as a constant
    return ["/latest.json", f"/c/{category.id}.json", f"/c/{category.slug}/{category.id}.json"]
