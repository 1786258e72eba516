"""Notifications: who is told of a post, once, with the right reason, and who is not."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.mail.models import OutgoingMail
from forum.notifications import fanout, levels, service
from forum.notifications.models import (
    MUTED,
    WATCHING,
    WATCHING_FIRST_POST,
    CategoryUser,
    Notification,
    TopicUser,
    UserOption,
)
from tests.api.conftest import api_headers, json_of
from tests.factories import add_member, make_category, make_reply, make_topic, make_user


def notes(user) -> list[tuple[str, int | None]]:
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [(n.type, n.post_number) for n in rows]


def watch_category(user, category, level=WATCHING) -> None:
    db.session.add(CategoryUser(user_id=user.id, category_id=category.id, notification_level=level))
    db.session.commit()


def test_a_reply_notifies_the_author_of_the_post_it_answers(app):
    alice, bob = make_user("alice"), make_user("bob")
    first = make_topic(alice)
    make_reply(first.topic, bob, reply_to_post_number=1)
    assert notes(alice) == [("replied", 2)]
    assert notes(bob) == []


def test_a_mention_and_a_reply_to_the_same_person_make_one_notification(app):
    alice, bob = make_user("alice"), make_user("bob")
    first = make_topic(alice)
    make_reply(first.topic, bob, raw="Thanks @alice, agreed.", reply_to_post_number=1)
    fanout.process_pending()
    assert notes(alice) == [("replied", 2)]


def test_a_quote_notifies_the_quoted_author(app):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    first = make_topic(alice)
    make_reply(first.topic, bob, raw="Point one.")
    raw = f'[quote="bob, post:2, topic:{first.topic_id}"]\nPoint one.\n[/quote]\nExactly.'
    make_reply(first.topic, carol, raw=raw)
    assert notes(bob) == [("quoted", 3)]


def test_a_person_who_cannot_see_the_topic_is_not_told_of_a_mention(app, client, auth):
    officer, outsider = make_user("officer"), make_user("outsider")
    add_member(officer, "officers")
    private = make_category("Officers only", permissions={"officers": 1})
    first = make_topic(officer, private, raw="Should we ask @outsider about this?")
    fanout.process_pending()
    assert notes(outsider) == []
    # ... and the composer can warn before posting.
    headers = api_headers(officer)
    body = json_of(
        client.get(
            f"/composer/mentions.json?names[]=outsider&topic_id={first.topic_id}", headers=headers
        )
    )
    assert body["user_reasons"] == {"outsider": "private"}


def test_watchers_are_told_after_the_response_and_only_once(app):
    alice, bob, watcher = make_user("alice"), make_user("bob"), make_user("watcher")
    category = make_category()
    watch_category(watcher, category)
    first = make_topic(alice, category)
    make_reply(first.topic, bob)
    assert notes(watcher) == []  # nothing until the fan-out runs
    assert fanout.process_pending() == 2
    assert fanout.process_pending() == 0
    assert notes(watcher) == [("posted", 1), ("posted", 2)]
    # The topic's creator watches it: told of the reply, never of their own post.
    assert notes(alice) == [("posted", 2)]


def test_watching_first_post_tells_of_new_topics_only(app):
    alice, reader = make_user("alice"), make_user("reader")
    category = make_category()
    watch_category(reader, category, WATCHING_FIRST_POST)
    first = make_topic(alice, category)
    make_reply(first.topic, alice)
    fanout.process_pending()
    assert notes(reader) == [("watching_first_post", 1)]


def test_a_category_default_of_watching_reaches_only_those_who_can_see_it(app):
    officer, member = make_user("officer"), make_user("member")
    add_member(officer, "officers")
    private = make_category(
        "Officers", permissions={"officers": 1}, default_notification_level=WATCHING
    )
    author = make_user("author", role="moderator")
    make_topic(author, private)
    fanout.process_pending()
    assert notes(officer) == [("posted", 1)]
    assert notes(member) == []


def test_muting_a_topic_silences_it_even_for_mentions(app):
    alice, bob = make_user("alice"), make_user("bob")
    category = make_category()
    watch_category(alice, category)
    first = make_topic(bob, category)
    levels.set_topic_level(alice, first.topic, MUTED)
    make_reply(first.topic, bob, raw="What do you think, @alice?")
    fanout.process_pending()
    assert notes(alice) == []


def test_posting_tracks_the_topic_and_starting_one_watches_it(app):
    alice, bob = make_user("alice"), make_user("bob")
    first = make_topic(alice)
    make_reply(first.topic, bob)
    rows = {
        tu.user_id: tu
        for tu in db.session.scalars(select(TopicUser).where(TopicUser.topic_id == first.topic_id))
    }
    assert rows[alice.id].notification_level == WATCHING
    assert rows[bob.id].notification_level == 2
    assert rows[bob.id].last_read_post_number == 2


def test_a_group_mention_tells_its_members_who_can_see(app):
    alice = make_user("alice")
    member, other = make_user("member1"), make_user("other")
    add_member(member, "secretaries")
    first = make_topic(alice, raw="Over to @secretaries for the rota.")
    assert '<span class="mention-group">@secretaries</span>' in first.cooked
    fanout.process_pending()
    assert notes(member) == [("group_mentioned", 1)]
    assert notes(other) == []


def test_personal_mail_waits_and_mailing_list_mail_does_not(app):
    alice, bob, lister, digester = (make_user(n) for n in ("alice", "bob", "lister", "digester"))
    category = make_category()
    for person in (lister, digester):
        watch_category(person, category)
    db.session.add(UserOption(user_id=lister.id, mailing_list_mode="every_post"))
    db.session.add(UserOption(user_id=digester.id, mailing_list_mode="daily"))
    db.session.commit()
    first = make_topic(alice, category)
    make_reply(first.topic, bob, reply_to_post_number=1)
    fanout.process_pending()
    mails = {(m.user_id, m.post_id): m for m in db.session.scalars(select(OutgoingMail)).all()}
    reply_id = first.topic.highest_post_number and max(p for _, p in mails)
    assert mails[(alice.id, reply_id)].kind == "notification"
    assert mails[(alice.id, reply_id)].send_after > mails[(alice.id, reply_id)].created_at
    assert mails[(lister.id, reply_id)].kind == "mailing_list"
    assert not any(user_id == digester.id for user_id, _ in mails)  # the digest carries it


def test_bell_page_and_json(app, client, auth):
    alice, bob = make_user("alice"), make_user("bob")
    first = make_topic(alice, title="Practice merger checklist for LMCs")
    make_reply(first.topic, bob, reply_to_post_number=1)
    auth.login_as(alice)
    page = client.get("/latest").get_data(as_text=True)
    assert "data-bell-count>1<" in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "bob replied to your post in “Practice merger checklist for LMCs”" in listing
    body = json_of(client.get("/notifications.json", headers=api_headers(alice)))
    [item] = body["notifications"]
    assert item["notification_type"] == 2 and item["read"] is False
    assert body["unread_notifications"] == 1
    response = client.get(f"/notifications/{item['id']}/open")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/t/{first.topic.slug}/{first.topic_id}/2")
    assert "data-bell-count hidden" in client.get("/latest").get_data(as_text=True)


def test_someone_elses_notification_is_not_found(app, client, auth):
    alice, bob, eve = make_user("alice"), make_user("bob"), make_user("eve")
    make_reply(make_topic(alice).topic, bob, reply_to_post_number=1)
    [note] = db.session.scalars(select(Notification)).all()
    auth.login_as(eve)
    assert client.get(f"/notifications/{note.id}/open").status_code == 404
    response = client.put(
        "/notifications/mark-read.json", json={"id": note.id}, headers=api_headers(eve)
    )
    assert response.status_code == 404
    db.session.refresh(note)
    assert note.read is False


def test_a_notification_about_a_topic_moved_out_of_sight_is_hidden(app, client, auth):
    alice, bob = make_user("alice"), make_user("bob")
    first = make_topic(alice)
    make_reply(first.topic, bob, reply_to_post_number=1)
    private = make_category("Staff room", permissions={"staff": 1})
    first.topic.category_id = private.id
    db.session.commit()
    body = json_of(client.get("/notifications.json", headers=api_headers(alice)))
    assert body["notifications"] == []


@pytest.mark.parametrize("value", ["7", "loud", "", "-1"])
def test_bad_levels_are_refused_clearly(app, client, value):
    alice = make_user("alice")
    first = make_topic(alice)
    response = client.post(
        f"/t/{first.topic_id}/notifications.json",
        json={"notification_level": value},
        headers=api_headers(alice),
    )
    assert response.status_code in (400, 422)
    assert response.get_json()["errors"]


def test_levels_for_hidden_topics_and_categories_answer_404(app, client):
    alice = make_user("alice")
    private = make_category("Secret", permissions={"staff": 1})
    headers = api_headers(alice)
    assert (
        client.post(
            f"/category/{private.id}/notifications.json",
            json={"notification_level": 3},
            headers=headers,
        ).status_code
        == 404
    )
    topic = make_topic(make_user("mod", role="moderator"), private).topic
    assert (
        client.post(
            f"/t/{topic.id}/notifications.json", json={"notification_level": 3}, headers=headers
        ).status_code
        == 404
    )
    assert db.session.scalars(select(CategoryUser)).all() == []


def test_preferences_refuse_a_hidden_category_and_save_nothing(app, client, auth):
    alice = make_user("alice")
    private = make_category("Secret", permissions={"staff": 1})
    auth.login_as(alice)
    response = client.post(
        "/my/preferences/emails",
        data={
            "mailing_list_mode": "daily",
            "summary_frequency": "weekly",
            f"category_{private.id}": "3",
        },
    )
    assert response.status_code == 422
    assert db.session.get(UserOption, alice.id) is None
    public = make_category("Open")
    response = client.post(
        "/my/preferences/emails",
        data={
            "mailing_list_mode": "daily",
            "summary_frequency": "weekly",
            f"category_{public.id}": "3",
        },
    )
    assert response.status_code == 303
    options = db.session.get(UserOption, alice.id)
    assert (options.mailing_list_mode, options.summary_frequency, options.email_personal) == (
        "daily",
        "weekly",
        False,
    )
    assert levels.category_level(alice.id, public) == WATCHING


def test_an_announcement_is_mailed_once_to_the_watchers(app, client, auth):
    mod, watcher, bystander = (
        make_user("mod", role="moderator"),
        make_user("watcher"),
        make_user("bystander"),
    )
    category = make_category("Hot topics")
    watch_category(watcher, category, WATCHING_FIRST_POST)
    first = make_topic(mod, category, title="Hot topic: new contract changes from April")
    auth.login_as(mod)
    assert "1 person" in client.get(f"/t/{first.topic_id}/announce").get_data(as_text=True)
    assert client.post(f"/t/{first.topic_id}/announce").status_code == 303
    fanout.process_pending()
    again = client.post(f"/t/{first.topic_id}/announce")
    assert again.status_code == 422
    mails = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.kind == "announcement")
    ).all()
    assert [m.user_id for m in mails] == [watcher.id]
    assert notes(bystander) == []


def test_members_cannot_announce(app, client, auth):
    member = make_user("member")
    first = make_topic(member)
    auth.login_as(member)
    assert client.post(f"/t/{first.topic_id}/announce").status_code == 403


def test_plugin_notifications_need_a_registered_type(app):
    alice = make_user("alice")
    with pytest.raises(ValueError):
        service.notify(alice.id, "nope.kind", message="x", url="/", dedupe_key="nope:1")
    with pytest.raises(ValueError):
        service.notify(
            alice.id, "mentioned", message="x", url="https://evil.example/", dedupe_key="k"
        )
    assert service.notify(alice.id, "mentioned", message="Hi", url="/t/1", dedupe_key="k:1")
    assert service.notify(alice.id, "mentioned", message="Hi", url="/t/1", dedupe_key="k:1") is None
    db.session.commit()
    assert json.loads(db.session.scalars(select(Notification)).one().data)["url"] == "/t/1"


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example/"])
def test_the_category_level_form_never_redirects_off_site(app, client, auth, target):
    alice = make_user("alice")
    category = make_category("Open")
    auth.login_as(alice)
    response = client.post(
        f"/c/{category.id}/notification-level", data={"notification_level": "3", "next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/categories"
    assert levels.category_level(alice.id, category) == WATCHING


def test_a_category_muted_by_default_tells_only_those_who_unmuted_it(app):
    author, replier, quiet, keen = (make_user(n) for n in ("author", "replier", "quiet", "keen"))
    for person in (quiet, keen):
        add_member(person, "secretaries")
    category = make_category("Noisy", default_notification_level=MUTED)
    watch_category(keen, category)
    first = make_topic(author, category, raw="Over to @secretaries, and @quiet in particular.")
    make_reply(first.topic, replier, raw="Thoughts, @quiet and @keen?")
    fanout.process_pending()
    assert notes(quiet) == []
    assert sorted(notes(keen)) == [("group_mentioned", 1), ("mentioned", 2)]


def test_mailing_list_readers_may_get_their_own_posts(app):
    author, lister = make_user("author"), make_user("lister")
    category = make_category()
    watch_category(lister, category)
    db.session.add(
        UserOption(user_id=lister.id, mailing_list_mode="every_post", mailing_list_include_own=True)
    )
    db.session.commit()
    first = make_topic(author, category)
    reply = make_reply(first.topic, lister)
    fanout.process_pending()
    own = db.session.scalars(
        select(OutgoingMail).where(
            OutgoingMail.user_id == lister.id, OutgoingMail.post_id == reply.id
        )
    ).all()
    assert [m.kind for m in own] == ["mailing_list"]
