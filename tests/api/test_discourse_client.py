"""An unmodified third-party Discourse client (pydiscourse, from PyPI) against a real server:
what issue 2 means by "a Discourse API client can do the same over JSON"."""

from __future__ import annotations

import pytest
from pydiscourse import DiscourseClient
from pydiscourse.exceptions import DiscourseClientError

from forum import create_app
from forum.accounts.services import create_api_key
from forum.bootstrap import ensure_defaults
from forum.extensions import db
from tests.factories import make_category, make_user
from tests.live_server import serving


@pytest.fixture
def forum(tmp_path):
    """A served forum with a member, a moderator, a category, and their API keys."""
    app = create_app(
        {
            "SECRET_KEY": "client-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.db'}",
            "DATA_DIR": str(tmp_path),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
        ensure_defaults()
        member = make_user("alice", name="Alice Moreton")
        moderator = make_user("mod.marsh", role="moderator")
        category = make_category("Prescribing")
        keys = {
            "alice": create_api_key(member)[1],
            "mod.marsh": create_api_key(moderator)[1],
        }
        category_id = category.id
        db.session.remove()
    try:
        with serving(app) as url:
            yield url, keys, category_id
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_discourse_client_can_do_the_whole_round_trip(forum):
    url, keys, category_id = forum
    client = DiscourseClient(url, api_username="alice", api_key=keys["alice"], timeout=10)

    names = {c["name"] for c in client.categories()}
    assert "Prescribing" in names

    created = client.create_post(
        "Which formulary do your practices use for **shared care** drugs?",
        category_id=category_id,
        title="Shared care formularies across the region",
    )
    topic_id, slug = created["topic_id"], created["topic_slug"]
    assert created["post_number"] == 1

    reply = client.create_post("We use the ICB's formulary, updated quarterly.", topic_id=topic_id)
    answer = client.create_post(
        "Thanks, that is helpful.", topic_id=topic_id, reply_to_post_number=2
    )
    assert (reply["post_number"], answer["post_number"]) == (2, 3)
    assert answer["reply_to_post_number"] == 2

    topic = client.topic(slug, topic_id)
    posts = topic["post_stream"]["posts"]
    assert [p["post_number"] for p in posts] == [1, 2, 3]
    assert posts[2]["reply_to_post_number"] == 2
    assert "<strong>shared care</strong>" in posts[0]["cooked"]

    single = client.post_by_id(reply["id"])
    assert single["raw"] == "We use the ICB's formulary, updated quarterly."
    assert single["cooked"] == "<p>We use the ICB's formulary, updated quarterly.</p>"

    edited = client.update_post(reply["id"], "We use the ICB's formulary, updated monthly.", "typo")
    assert edited["post"]["version"] == 2
    assert "monthly" in client.post_by_id(reply["id"])["cooked"]

    latest = client.latest_topics()
    assert topic_id in [t["id"] for t in latest["topic_list"]["topics"]]
    assert client.category_topics(category_id)["topic_list"]["topics"][0]["id"] == topic_id
    assert len(client.topic_posts(topic_id)["post_stream"]["posts"]) == 3

    user = client.user("alice")
    assert (user["username"], user["name"]) == ("alice", "Alice Moreton")


def test_a_discourse_client_gets_errors_it_understands(forum):
    url, keys, category_id = forum
    client = DiscourseClient(url, api_username="alice", api_key=keys["alice"], timeout=10)
    with pytest.raises(DiscourseClientError) as missing:
        client.topic("nothing-here", 999999)
    assert missing.value.response.status_code == 404
    with pytest.raises(DiscourseClientError) as short:
        client.create_post("Body text long enough.", category_id=category_id, title="Too short")
    assert short.value.response.status_code == 422
    assert "Title is too short" in str(short.value)
    impostor = DiscourseClient(url, api_username="alice", api_key="0" * 64, timeout=10)
    with pytest.raises(DiscourseClientError) as forbidden:
        impostor.latest_topics()
    assert forbidden.value.response.status_code == 403


def test_a_moderator_closes_a_topic_through_the_client(forum):
    url, keys, category_id = forum
    member = DiscourseClient(url, api_username="alice", api_key=keys["alice"], timeout=10)
    moderator = DiscourseClient(
        url, api_username="mod.marsh", api_key=keys["mod.marsh"], timeout=10
    )
    topic_id = member.create_post(
        "Opening post for a topic that will be closed.",
        category_id=category_id,
        title="A topic the moderators will close",
    )["topic_id"]
    with pytest.raises(DiscourseClientError) as refused:
        member.update_topic_status(topic_id, "closed", True)
    assert refused.value.response.status_code == 403
    moderator.update_topic_status(topic_id, "closed", True)
    assert member.topic("x", topic_id)["closed"] is True
    with pytest.raises(DiscourseClientError) as closed:
        member.create_post("A reply that arrives too late.", topic_id=topic_id)
    assert closed.value.response.status_code == 422
