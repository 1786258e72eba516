import pytest

from forum.errors import MissingParameter, NotFound, ValidationFailed
from forum.topics import services
from tests.factories import make_category, make_reply, make_topic, make_user


def test_create_topic_sets_counters(app):
    user = make_user()
    category = make_category()
    post = make_topic(user, category, title="Phlebotomy LCS uplift for 2025/26")
    topic = post.topic
    assert post.post_number == 1
    assert topic.slug == "phlebotomy-lcs-uplift-for-2025-26"
    assert topic.posts_count == 1
    assert category.topic_count == 1 and category.post_count == 1
    assert user.topic_count == 1 and user.post_count == 1


def test_reply_numbers_posts_and_counts_replies(app):
    first = make_topic()
    topic = first.topic
    second = make_reply(topic)
    third = make_reply(topic, reply_to_post_number=2)
    assert (second.post_number, third.post_number) == (2, 3)
    assert second.reply_count == 1
    assert topic.posts_count == 3 and topic.highest_post_number == 3


def test_reply_to_missing_post_is_refused(app):
    topic = make_topic().topic
    with pytest.raises(ValidationFailed, match="does not exist"):
        make_reply(topic, reply_to_post_number=9)


def test_whitespace_body_is_missing(app):
    topic = make_topic().topic
    with pytest.raises(MissingParameter):
        services.create_reply(make_user(), topic, raw="   \n  ")


def test_same_body_twice_is_refused(app):
    user = make_user()
    topic = make_topic().topic
    make_reply(topic, user, raw="Exactly the same words")
    with pytest.raises(ValidationFailed, match="too similar"):
        make_reply(topic, user, raw="Exactly the same words")


def test_hidden_category_is_not_found(app):
    private = make_category(permissions={"staff-only": 1})
    with pytest.raises(NotFound):
        make_topic(make_user(), private)


def test_edit_keeps_revision(app):
    post = make_topic()
    user = post.user
    services.edit_post(user, post, raw="New words entirely", edit_reason="typo")
    assert post.version == 2
    assert post.cooked == "<p>New words entirely</p>"
    revisions = __import__("forum.topics.models", fromlist=["PostRevision"]).PostRevision
    from forum.extensions import db

    assert db.session.query(revisions).count() == 1
