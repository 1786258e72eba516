"""The visitors' page cache, the content version behind it, and buffered view counts."""

from forum.extensions import db
from forum.permissions import category_levels
from forum.topics import services
from forum.topics.models import Topic
from forum.topics.view_counter import ViewCounter
from tests.factories import add_member, make_category, make_reply, make_topic, make_user


def topic_url(topic):
    return f"/t/{topic.slug}/{topic.id}"


def test_visitors_get_cached_pages_until_something_is_written(client):
    topic = make_topic().topic
    first = client.get(topic_url(topic))
    assert first.headers["X-Cache"] == "miss"
    second = client.get(topic_url(topic))
    assert second.headers["X-Cache"] == "hit"
    assert second.get_data() == first.get_data()
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    make_reply(topic, raw="A brand new reply about the ICB's uplift.")
    third = client.get(topic_url(topic))
    assert third.headers["X-Cache"] == "miss"
    assert "A brand new reply" in third.text


def test_every_visit_counts_even_from_the_cache(client):
    topic = make_topic().topic
    for _ in range(3):
        client.get(topic_url(topic))
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).views == 3


def test_view_counts_do_not_invalidate_the_cache(app):
    version = app.extensions["forum.content_version"]
    topic_id = make_topic().topic_id
    before = version.current()
    services.record_view(topic_id)
    assert version.current() == before


def test_signed_in_members_are_never_served_from_the_cache(client, auth):
    topic = make_topic().topic
    client.get(topic_url(topic))  # a visitor fills the cache
    auth.login_as(make_user("reader"))
    response = client.get(topic_url(topic))
    assert "X-Cache" not in response.headers
    assert "reader" in response.text  # the signed-in header, not the visitor's page


def test_api_key_requests_bypass_the_cache(client):
    from forum.accounts.services import create_api_key

    user = make_user("scripter")
    _, key = create_api_key(user)
    client.get("/latest.json")
    response = client.get("/latest.json", headers={"Api-Key": key, "Api-Username": "scripter"})
    assert "X-Cache" not in response.headers


def test_pages_not_marked_cacheable_are_not_cached(client):
    client.get("/login")
    assert "X-Cache" not in client.get("/login").headers


def test_errors_are_not_cached(client):
    assert client.get("/t/nothing/999").status_code == 404
    assert "X-Cache" not in client.get("/t/nothing/999").headers


def test_cached_pages_answer_conditional_requests(client):
    client.get("/category-colours.css")
    hit = client.get("/category-colours.css")
    assert hit.headers["X-Cache"] == "hit"
    again = client.get("/category-colours.css", headers={"If-None-Match": hit.headers["ETag"]})
    assert again.status_code == 304


def test_permission_changes_apply_at_once(app):
    officers_only = make_category("Officers", permissions={"officers": 1})
    user = make_user()
    assert officers_only.id not in category_levels(user)
    add_member(user, "officers")
    assert officers_only.id in category_levels(user)


def test_view_counter_buffers_until_due(app):
    topic_id = make_topic().topic_id
    counter = ViewCounter(flush_seconds=3600)
    for _ in range(5):
        counter.add(topic_id)
    db.session.expire_all()
    assert db.session.get(Topic, topic_id).views == 0
    counter.flush()
    db.session.expire_all()
    assert db.session.get(Topic, topic_id).views == 5
