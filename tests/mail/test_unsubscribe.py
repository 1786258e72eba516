"""``/email/unsubscribe/<key>``: GET explains, POST (the page's button or a mail program's
RFC 8058 one-click POST, without CSRF token or session) turns off what the message was
about, for the key's own recipient only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.mail import queue
from forum.mail.sender import send_pending
from forum.notifications.models import (
    NORMAL,
    WATCHING,
    CategoryUser,
    TopicUser,
    UserOption,
)
from tests.factories import make_category, make_reply, make_topic, make_user

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.fixture
def scene(app):
    alice, bob = make_user("alice"), make_user("bob")
    category = make_category("Contracts")
    first = make_topic(alice, category, title="Global sum changes for next April")
    reply = make_reply(first.topic, bob, reply_to_post_number=1)
    return alice, bob, category, first, reply


def url(row) -> str:
    return f"/email/unsubscribe/{row.unsubscribe_key}"


DEFAULTS = {"email_personal": True, "mailing_list_mode": "off", "summary_frequency": "never"}


def option(user, name):
    db.session.expire_all()
    options = db.session.get(UserOption, user.id)
    return getattr(options, name) if options else DEFAULTS[name]


def topic_level(user, topic_id):
    db.session.expire_all()
    return db.session.scalar(
        select(TopicUser.notification_level).where(
            TopicUser.user_id == user.id, TopicUser.topic_id == topic_id
        )
    )


def category_level(user, category_id):
    db.session.expire_all()
    return db.session.scalar(
        select(CategoryUser.notification_level).where(
            CategoryUser.user_id == user.id, CategoryUser.category_id == category_id
        )
    )


def test_get_explains_and_changes_nothing_post_applies_and_reuse_is_harmless(
    client, mailq, scene, csrf_on
):
    alice, bob, _, _, reply = scene
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)

    page = client.get(url(row))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "replies to you, quotes and mentions" in html
    assert 'method="post"' in html and "Unsubscribe</button>" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert option(alice, "email_personal") is True
    assert mailq.get(row.id).unsubscribed_at is None

    # The page's own button: no CSRF token, and nobody signed in.
    done = client.post(url(row))
    assert done.status_code == 200
    assert "You are unsubscribed" in done.get_data(as_text=True)
    assert option(alice, "email_personal") is False
    assert mailq.get(row.id).unsubscribed_at is not None

    again = client.post(url(row), data=ONE_CLICK)
    assert again.status_code == 200
    assert "You already unsubscribed with this link" in again.get_data(as_text=True)
    assert "You already unsubscribed" in client.get(url(row)).get_data(as_text=True)


def test_one_click_post_needs_no_csrf_token_nor_session(client, mailq, scene, csrf_on, auth):
    alice, bob, _, _, reply = scene
    mailq.clear()
    _, row = mailq.notification(alice, reply, "mentioned", actor=bob)
    # A different person signed in in this browser changes nothing: the key decides.
    auth.login_as(bob)

    response = client.post(url(row), data=ONE_CLICK)

    assert response.status_code == 200
    assert option(alice, "email_personal") is False
    assert option(bob, "email_personal") is True
    # Elsewhere CSRF is still checked.
    assert client.post("/t/1/reply", data={"raw": "x" * 30}).status_code in (400, 403)


def test_an_unknown_or_tampered_key_is_404_and_changes_nothing(client, mailq, scene, csrf_on):
    alice, bob, _, _, reply = scene
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)
    tampered = row.unsubscribe_key[:-1] + ("A" if row.unsubscribe_key[-1] != "A" else "B")

    for key in (tampered, "nonsense", "x" * 300, "a.b", row.unsubscribe_key.lower()):
        for method in (client.get, client.post):
            response = method(f"/email/unsubscribe/{key}", data=ONE_CLICK)
            assert response.status_code == 404, key
            assert "This unsubscribe link is not valid" in response.get_data(as_text=True)
    assert option(alice, "email_personal") is True
    assert mailq.get(row.id).unsubscribed_at is None


def test_a_watched_topic_goes_back_to_normal(client, mailq, scene):
    alice, bob, category, first, reply = scene
    reader = make_user("reader")
    db.session.merge(
        TopicUser(user_id=reader.id, topic_id=first.topic_id, notification_level=WATCHING)
    )
    db.session.merge(
        TopicUser(user_id=bob.id, topic_id=first.topic_id, notification_level=WATCHING)
    )
    db.session.commit()
    mailq.clear()
    _, row = mailq.notification(reader, reply, "posted", actor=bob)

    assert "new posts in “Global sum changes for next April”" in client.get(url(row)).get_data(
        as_text=True
    )
    client.post(url(row), data=ONE_CLICK)

    assert topic_level(reader, first.topic_id) == NORMAL
    assert topic_level(bob, first.topic_id) == WATCHING  # only the key's own recipient
    assert option(reader, "email_personal") is True
    assert category_level(reader, category.id) is None


def test_a_watched_category_goes_back_to_normal(client, mailq, scene):
    alice, bob, category, first, reply = scene
    reader = make_user("reader")
    db.session.merge(
        CategoryUser(user_id=reader.id, category_id=category.id, notification_level=WATCHING)
    )
    db.session.commit()
    mailq.clear()
    _, new_topic = mailq.notification(reader, first, "watching_first_post", actor=alice)
    _, new_post = mailq.notification(reader, reply, "posted", actor=bob)

    assert "in the Contracts category" in client.get(url(new_topic)).get_data(as_text=True)
    client.post(url(new_post), data=ONE_CLICK)

    assert category_level(reader, category.id) == NORMAL
    assert topic_level(reader, first.topic_id) is None


def test_an_announcement_link_sets_the_category_to_normal(client, mailq, scene):
    alice, _, category, first, _ = scene
    reader = make_user("reader")
    mailq.clear()
    row = mailq.add(reader, queue.ANNOUNCEMENT, post=first)

    client.post(url(row), data=ONE_CLICK)

    assert category_level(reader, category.id) == NORMAL


@pytest.mark.parametrize(
    ("kind", "setting", "before", "after"),
    [
        (queue.MAILING_LIST, "mailing_list_mode", "every_post", "off"),
        (queue.DIGEST, "mailing_list_mode", "daily", "off"),
        (queue.SUMMARY, "summary_frequency", "weekly", "never"),
    ],
)
def test_list_digest_and_summary_links_turn_their_mail_off(
    client, mailq, scene, kind, setting, before, after
):
    _, bob, _, _, reply = scene
    reader = make_user("reader")
    for user in (reader, bob):
        db.session.merge(UserOption(user_id=user.id, **{setting: before}))
    db.session.commit()
    mailq.clear()
    row = mailq.add(reader, kind, post=reply if kind == queue.MAILING_LIST else None)

    assert client.post(url(row), data=ONE_CLICK).status_code == 200

    assert option(reader, setting) == after
    assert option(bob, setting) == before


def test_the_link_does_what_the_sent_message_said(smtp, client, mailq, scene):
    """What the link turns off is kept when the message is sent: deleting the
    notification afterwards does not change it."""
    alice, bob, _, first, reply = scene
    reader = make_user("reader")
    db.session.merge(
        TopicUser(user_id=reader.id, topic_id=first.topic_id, notification_level=WATCHING)
    )
    db.session.commit()
    mailq.clear()
    notification, row = mailq.notification(reader, reply, "posted", actor=bob)
    assert send_pending().sent == 1
    footer = smtp.messages[0].part("plain")
    assert "Unsubscribe from e-mails about new posts in “Global sum changes" in footer
    db.session.delete(notification)
    db.session.commit()

    client.post(url(row), data=ONE_CLICK)

    assert topic_level(reader, first.topic_id) == NORMAL
    assert option(reader, "email_personal") is True
