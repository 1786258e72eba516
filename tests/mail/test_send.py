"""Sending queued mail over SMTP: ``forum.mail.sender.send_pending``, ``flask forum mail
send|status`` and ``/admin/mail``, against a real (aiosmtpd) SMTP server."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from forum.accounts.models import GroupMembership
from forum.categories.models import CREATE
from forum.database import utcnow
from forum.extensions import db
from forum.mail import queue
from forum.mail.models import OutgoingMail, ReplyKey
from forum.mail.sender import STALE_ERROR, claim, send_pending
from forum.notifications.models import WATCHING, CategoryUser, TopicUser, UserOption
from forum.topics import services as topics
from tests.conftest import make_app
from tests.factories import add_member, group, make_category, make_reply, make_topic, make_user

HOST = "hub.example.org"


def hdr(message, name):
    """A header's value as a mail program shows it (a long one may be folded onto a line of
    its own, which Python's parser returns with a leading space)."""
    value = message[name]
    return None if value is None else str(value).strip()


TITLE = "Extended access rota for the winter months"


@pytest.fixture
def thread(app):
    """Alice's topic in Practice Finance, with Bob's reply to it."""
    alice = make_user("alice", name="Alice Smith")
    bob = make_user("bob", name="Bob Jones")
    category = make_category("Practice Finance")
    first = make_topic(alice, category, title=TITLE, raw="Who can cover **Saturdays**?")
    reply = make_reply(
        first.topic,
        bob,
        raw="I can, see **the rota** and [the policy](/t/policy/99).\n\nThanks, Bob",
        reply_to_post_number=1,
    )
    return alice, bob, category, first, reply


def watch(user, topic=None, category=None, *, mode=None):
    if topic is not None:
        db.session.merge(TopicUser(user_id=user.id, topic_id=topic.id, notification_level=WATCHING))
    if category is not None:
        db.session.merge(
            CategoryUser(user_id=user.id, category_id=category.id, notification_level=WATCHING)
        )
    if mode is not None:
        db.session.merge(UserOption(user_id=user.id, mailing_list_mode=mode))
    db.session.commit()


def test_a_notification_arrives_with_both_parts_and_the_right_headers(smtp, mailq, thread):
    alice, bob, category, first, reply = thread
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)

    report = send_pending()

    assert (report.claimed, report.sent, report.failed, report.skipped) == (1, 1, 0, 0)
    [delivered] = smtp.messages
    message = delivered.message
    assert delivered.rcpt_tos == ["alice@example.org"]
    assert delivered.mail_from == f"noreply@{HOST}"
    assert hdr(message, "Subject") == f"[LMC Hub] [Practice Finance] {TITLE}"
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Bob Jones via LMC Hub", f"noreply@{HOST}")
    assert message["To"].addresses[0].addr_spec == "alice@example.org"
    key = db.session.scalar(
        select(ReplyKey.key).where(
            ReplyKey.user_id == alice.id, ReplyKey.topic_id == first.topic_id
        )
    )
    assert hdr(message, "Reply-To") == f"reply+{key}@{HOST}"
    unsubscribe_url = f"https://{HOST}/email/unsubscribe/{row.unsubscribe_key}"
    assert hdr(message, "List-Unsubscribe") == f"<{unsubscribe_url}>"
    assert hdr(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert hdr(message, "List-ID") == f"Practice Finance <practice-finance.{HOST}>"
    assert hdr(message, "Auto-Submitted") == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"

    text, html = delivered.part("plain"), delivered.part("html")
    assert f"Bob Jones replied to your post in “{TITLE}”" in text
    # The text part is the Markdown as written; the HTML part the cooked post, never Markdown.
    assert "I can, see **the rota** and [the policy](/t/policy/99)." in text
    assert "<strong>the rota</strong>" in html
    assert "**" not in html
    assert f'href="https://{HOST}/t/policy/99"' in html
    post_link = f"https://{HOST}/t/{first.topic.slug}/{first.topic_id}/2"
    assert post_link in text and post_link in html
    for body in (text, html):
        tail = body[-900:]
        assert unsubscribe_url in tail
        assert f"https://{HOST}/my/preferences/emails" in tail

    row = mailq.get(row.id)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    assert row.message_id == hdr(message, "Message-ID")
    assert row.subject == hdr(message, "Subject")


def test_a_topic_stays_one_thread(smtp, mailq, thread):
    alice, bob, category, first, second = thread
    carol, reader = make_user("carol"), make_user("reader")
    third = make_reply(first.topic, carol, raw="Replying to Bob.", reply_to_post_number=2)
    fourth = make_reply(first.topic, carol, raw="And to everyone.")
    watch(reader, topic=first.topic, mode="every_post")
    mailq.clear()
    rows = [mailq.add(reader, queue.MAILING_LIST, post=p) for p in (first, second, third, fourth)]

    assert send_pending().sent == 4

    by_id = {hdr(m.message, "Message-ID"): m.message for m in smtp.messages}
    topic_id = first.topic_id
    root = f"<topic/{topic_id}@{HOST}>"
    ids = [root] + [f"<topic/{topic_id}/{p.id}@{HOST}>" for p in (second, third, fourth)]
    assert set(by_id) == set(ids)
    m1, m2, m3, m4 = (by_id[i] for i in ids)
    assert hdr(m1, "In-Reply-To") is None and hdr(m1, "References") is None
    assert hdr(m2, "In-Reply-To") == root and hdr(m2, "References") == root
    assert hdr(m3, "In-Reply-To") == ids[1] and hdr(m3, "References") == f"{root} {ids[1]}"
    assert hdr(m4, "In-Reply-To") == root and hdr(m4, "References") == root
    assert {hdr(m, "Subject") for m in by_id.values()} == {f"[LMC Hub] [Practice Finance] {TITLE}"}
    assert all(hdr(m, "Precedence") == "list" for m in by_id.values())
    assert by_id[ids[1]]["From"].addresses[0].display_name == "Bob Jones via LMC Hub"

    # Sent again (an admin's retry), a message keeps its Message-ID.
    db.session.execute(
        update(OutgoingMail).where(OutgoingMail.id == rows[2].id).values(status="queued")
    )
    db.session.commit()
    smtp.handler.reset()
    assert send_pending().sent == 1
    assert hdr(smtp.messages[0].message, "Message-ID") == ids[2]


def test_a_quick_edit_is_included(smtp, mailq, thread):
    alice, bob, _, _, reply = thread
    mailq.clear()
    mailq.notification(alice, reply, "replied", actor=bob)
    topics.edit_post(bob, reply, raw="Corrected: I can do alternate Saturdays.")

    send_pending()

    assert "Corrected: I can do alternate Saturdays." in smtp.messages[0].part("plain")


def test_a_notification_read_on_the_site_is_skipped(smtp, mailq, thread):
    alice, bob, _, _, reply = thread
    mailq.clear()
    notification, row = mailq.notification(alice, reply, "replied", actor=bob)
    notification.read = True
    db.session.commit()

    report = send_pending()

    assert (report.sent, report.skipped) == (0, 1)
    assert smtp.messages == []
    row = mailq.get(row.id)
    assert row.status == "skipped" and "read on the site" in row.last_error


def test_a_deleted_post_is_skipped(smtp, mailq, thread):
    alice, bob, _, _, reply = thread
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)
    topics.delete_post(bob, reply)

    assert send_pending().skipped == 1
    assert smtp.messages == []
    row = mailq.get(row.id)
    assert row.status == "skipped" and "deleted" in row.last_error


def test_a_recipient_who_lost_access_is_skipped(smtp, mailq):
    officers = group("officers")
    alice, bob = make_user("alice"), make_user("bob")
    add_member(alice, "officers")
    add_member(bob, "officers")
    private = make_category("Officers only", permissions={"officers": CREATE})
    first = make_topic(alice, private)
    reply = make_reply(first.topic, bob, reply_to_post_number=1)
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)
    db.session.execute(
        delete(GroupMembership).where(
            GroupMembership.user_id == alice.id, GroupMembership.group_id == officers.id
        )
    )
    db.session.commit()

    assert send_pending().skipped == 1
    assert smtp.messages == []
    assert "can no longer see" in mailq.get(row.id).last_error


def test_suspended_recipients_and_preferences_turned_off_are_skipped(smtp, mailq, thread):
    alice, bob, _, first, reply = thread
    carol = make_user("carol")
    mailq.clear()
    _, to_alice = mailq.notification(alice, reply, "replied", actor=bob)
    _, to_carol = mailq.notification(carol, reply, "mentioned", actor=bob)
    to_list = mailq.add(carol, queue.MAILING_LIST, post=reply)
    db.session.merge(UserOption(user_id=alice.id, email_personal=False))
    carol.status = "suspended"
    db.session.commit()

    assert send_pending().skipped == 3
    assert smtp.messages == []
    assert "turned off" in mailq.get(to_alice.id).last_error
    assert "suspended" in mailq.get(to_carol.id).last_error
    assert "suspended" in mailq.get(to_list.id).last_error


def test_unwatching_after_queueing_stops_the_mailing_list_copy(smtp, mailq, thread):
    _, _, _, first, reply = thread
    reader = make_user("reader")
    watch(reader, topic=first.topic, mode="every_post")
    mailq.clear()
    row = mailq.add(reader, queue.MAILING_LIST, post=reply)
    db.session.execute(
        update(TopicUser)
        .where(TopicUser.user_id == reader.id, TopicUser.topic_id == first.topic_id)
        .values(notification_level=1)
    )
    db.session.commit()

    assert send_pending().skipped == 1
    assert "no longer watches" in mailq.get(row.id).last_error


def test_a_plugin_notification_without_a_post_has_its_text_and_link(smtp, mailq, app):
    alice, bob = make_user("alice", name="Alice Smith"), make_user("bob", name="Dr Bob Patel")
    mailq.clear()
    _, row = mailq.notification(
        alice,
        None,
        "mentoring.request",
        actor=bob,
        message="Dr Bob Patel asked you to be their mentor",
        url="/mentoring/requests/3",
    )

    assert send_pending().sent == 1
    [delivered] = smtp.messages
    assert (
        hdr(delivered.message, "Subject") == "[LMC Hub] Dr Bob Patel asked you to be their mentor"
    )
    assert delivered.message["From"].addresses[0].display_name == "Dr Bob Patel via LMC Hub"
    assert hdr(delivered.message, "Reply-To") is None
    for body in (delivered.part("plain"), delivered.part("html")):
        assert "Dr Bob Patel asked you to be their mentor" in body
        assert f"https://{HOST}/mentoring/requests/3" in body
    assert hdr(delivered.message, "Message-ID").endswith(f"@{HOST}>")


def test_an_announcement_goes_to_a_category_watcher(smtp, mailq, thread):
    _, _, category, first, _ = thread
    reader = make_user("reader")
    watch(reader, category=category)
    mailq.clear()
    mailq.add(reader, queue.ANNOUNCEMENT, post=first)

    assert send_pending().sent == 1
    message = smtp.messages[0].message
    assert hdr(message, "Message-ID") == f"<topic/{first.topic_id}@{HOST}>"
    assert "Announcement in Practice Finance" in smtp.messages[0].part("plain")
    assert hdr(message, "Precedence") == "list"


def test_when_the_server_is_down_mail_is_retried_with_back_off_then_failed(
    smtp, mailq, thread, app, dead_port, auth, client, runner
):
    alice, bob, _, _, reply = thread
    app.config.update(MAIL_SMTP_PORT=dead_port, MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=60)
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)
    start = utcnow() + timedelta(seconds=1)

    report = send_pending(now=start)
    row = mailq.get(row.id)
    assert (report.retrying, row.status, row.attempts) == (1, "queued", 1)
    assert row.send_after == start + timedelta(seconds=60)
    assert "could not connect" in row.last_error

    assert send_pending(now=start + timedelta(seconds=59)).claimed == 0  # not due yet
    second = start + timedelta(seconds=61)
    send_pending(now=second)
    row = mailq.get(row.id)
    assert (row.status, row.attempts) == ("queued", 2)
    assert row.send_after == second + timedelta(seconds=120)  # the wait doubles

    report = send_pending(now=second + timedelta(seconds=121))
    row = mailq.get(row.id)
    assert (report.failed, row.status, row.attempts) == (1, "failed", 3)
    assert "gave up after 3 attempts" in row.last_error

    # Admins see it, on the admin page and from the command line.
    result = runner.invoke(args=["forum", "mail", "status"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^failed +1$", result.output, re.M)
    assert f"#{row.id} notification to alice@example.org" in result.output
    assert "could not connect" in result.output
    admin = make_user("admin", role="admin")
    auth.login_as(admin)
    page = client.get("/admin/mail")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"#{row.id}" in html and "could not connect" in html and "Failed (1)" in html

    # ...and can send it again once the server is back.
    app.config["MAIL_SMTP_PORT"] = smtp.port
    assert client.get(f"/admin/mail/{row.id}/retry").status_code == 200
    response = client.post(f"/admin/mail/{row.id}/retry")
    assert response.status_code == 302
    assert mailq.get(row.id).status == "queued"
    assert send_pending().sent == 1
    assert len(smtp.messages) == 1


def test_a_permanent_refusal_fails_at_once_and_the_batch_goes_on(smtp, mailq, thread):
    alice, bob, _, _, reply = thread
    carol, dave = make_user("carol"), make_user("dave")
    smtp.handler.refuse["alice@example.org"] = "550 5.1.1 No such mailbox"
    smtp.handler.refuse["carol@example.org"] = "451 4.7.1 Greylisted, try later"
    mailq.clear()
    _, refused = mailq.notification(alice, reply, "replied", actor=bob)
    _, greylisted = mailq.notification(carol, reply, "mentioned", actor=bob)
    _, fine = mailq.notification(dave, reply, "mentioned", actor=bob)

    report = send_pending()

    assert (report.sent, report.failed, report.retrying) == (1, 1, 1)
    refused, greylisted = mailq.get(refused.id), mailq.get(greylisted.id)
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "550" in refused.last_error and "No such mailbox" in refused.last_error
    assert (greylisted.status, greylisted.attempts) == ("queued", 1)
    assert "451" in greylisted.last_error
    assert mailq.get(fine.id).status == "sent"
    assert [m.rcpt_tos for m in smtp.messages] == [["dave@example.org"]]


def test_sending_twice_never_sends_a_row_twice(smtp, mailq, thread, app):
    _, _, _, first, reply = thread
    readers = [make_user(f"reader{i}") for i in range(7)]
    for reader in readers:
        watch(reader, topic=first.topic, mode="every_post")
    mailq.clear()
    for reader in readers:
        mailq.add(reader, queue.MAILING_LIST, post=reply)
    app.config["MAIL_BATCH_SIZE"] = 3

    # Two claims never overlap, and a claimed row is not claimable again.
    now = utcnow()
    a, b = claim(4, 0, now), claim(4, 0, now)
    db.session.commit()
    assert len(a) == 4 and len(b) == 3 and not set(a) & set(b)
    db.session.execute(update(OutgoingMail).values(status="queued"))
    db.session.commit()

    assert send_pending(limit=5).sent == 5
    assert send_pending().sent == 2
    assert send_pending().claimed == 0
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(r.email for r in readers)


def test_two_senders_at_once_never_send_a_row_twice(_smtp_server, tmp_path, app):
    """Two threads, each with its own connection, drain one queue (PostgreSQL, or a file
    SQLite database: an in-memory one is a single shared connection)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        shared = app
    else:
        shared = make_app(
            tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'mail.sqlite3'}"
        )
    shared.config.update(
        MAIL_SMTP_PORT=_smtp_server.port, MAIL_BATCH_SIZE=5, BASE_URL=f"https://{HOST}"
    )
    _smtp_server.handler.reset()
    with shared.app_context():
        from tests.mail.conftest import Queue

        mailq = Queue()
        author = make_user("author")
        first = make_topic(author, make_category("Shared"))
        readers = [make_user(f"reader{i}") for i in range(40)]
        for reader in readers:
            watch(reader, topic=first.topic, mode="every_post")
        mailq.clear()
        for reader in readers:
            mailq.add(reader, queue.MAILING_LIST, post=first)

    reports, errors = [], []

    def sender():
        try:
            with shared.app_context():
                reports.append(send_pending())
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r.sent for r in reports) == 40
    addresses = [m.rcpt_tos[0] for m in _smtp_server.messages]
    assert len(addresses) == len(set(addresses)) == 40
    with shared.app_context():
        counts = dict(
            db.session.execute(
                select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
            ).all()
        )
        assert counts == {"sent": 40}
    _smtp_server.handler.reset()


def test_a_row_left_sending_by_a_stopped_sender_fails_instead_of_being_resent(smtp, mailq, thread):
    alice, bob, _, _, reply = thread
    carol = make_user("carol")
    mailq.clear()
    _, stale = mailq.notification(alice, reply, "replied", actor=bob)
    _, recent = mailq.notification(carol, reply, "mentioned", actor=bob)
    now = utcnow()
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == stale.id)
        .values(status="sending", send_after=now - timedelta(minutes=16))
    )
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == recent.id)
        .values(status="sending", send_after=now - timedelta(minutes=5))
    )
    db.session.commit()

    report = send_pending()

    assert (report.stale_failed, report.sent) == (1, 0)
    assert smtp.messages == []
    stale, recent = mailq.get(stale.id), mailq.get(recent.id)
    assert (stale.status, stale.last_error) == ("failed", STALE_ERROR)
    assert recent.status == "sending"  # perhaps still being sent by another sender


def test_the_send_command(smtp, mailq, thread, runner):
    alice, bob, _, _, reply = thread
    mailq.clear()
    mailq.notification(alice, reply, "replied", actor=bob)

    result = runner.invoke(args=["forum", "mail", "send", "--once"])

    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp.messages) == 1
    result = runner.invoke(args=["forum", "mail", "status"])
    assert re.search(r"^sent +1$", result.output, re.M)


def test_the_admin_page_lists_every_status_and_retries_all_failed(
    smtp, mailq, thread, client, auth
):
    alice, bob, _, _, reply = thread
    carol = make_user("carol")
    mailq.clear()
    _, failed = mailq.notification(alice, reply, "replied", actor=bob)
    _, skipped = mailq.notification(carol, reply, "mentioned", actor=bob)
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == failed.id)
        .values(status="failed", attempts=6, last_error="421 <script>too busy</script>")
    )
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == skipped.id)
        .values(status="skipped", last_error="the post was deleted")
    )
    db.session.commit()
    auth.login_as(make_user("admin", role="admin"))

    html = client.get("/admin/mail").get_data(as_text=True)
    assert "421 &lt;script&gt;too busy&lt;/script&gt;" in html and "<script>too" not in html
    assert "Failed (1)" in html and "Skipped (1)" in html and "Queued (0)" in html
    assert 'href="/admin/mail"' in client.get("/admin/").get_data(as_text=True)
    for status in ("queued", "sending", "skipped", "sent", "nonsense"):
        page = client.get(f"/admin/mail?status={status}&page=2")
        assert page.status_code == 200
    assert "the post was deleted" in client.get("/admin/mail?status=skipped").get_data(as_text=True)
    assert client.get("/admin/mail/retry-failed").status_code == 200
    assert client.post("/admin/mail/retry-failed").status_code == 302
    row = mailq.get(failed.id)
    assert (row.status, row.attempts) == ("queued", 0)
    assert mailq.get(skipped.id).status == "skipped"
    assert client.post(f"/admin/mail/{skipped.id}/retry").status_code == 302
    assert mailq.get(skipped.id).status == "skipped"  # only failed ones are retried
    assert client.get("/admin/mail/99999999999/retry").status_code == 404


def test_the_admin_page_is_for_admins_only(client, auth, app):
    auth.login_as(make_user("member"))
    assert client.get("/admin/mail").status_code == 404
    assert client.post("/admin/mail/retry-failed").status_code == 404


def test_a_composing_error_is_retried_later(smtp, mailq, thread, monkeypatch):
    alice, bob, _, _, reply = thread
    mailq.clear()
    _, row = mailq.notification(alice, reply, "replied", actor=bob)

    def broken(row):
        raise RuntimeError("template exploded")

    monkeypatch.setattr("forum.mail.sender.compose", broken)
    assert send_pending().retrying == 1
    row = mailq.get(row.id)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "could not compose" in row.last_error and "template exploded" in row.last_error


def test_a_sender_stopped_mid_batch_puts_back_what_it_never_tried(smtp, mailq, thread, monkeypatch):
    _, _, _, first, reply = thread
    readers = [make_user(f"reader{i}") for i in range(4)]
    for reader in readers:
        watch(reader, topic=first.topic, mode="every_post")
    mailq.clear()
    rows = [mailq.add(reader, queue.MAILING_LIST, post=reply) for reader in readers]
    from forum.mail import smtp as smtp_module

    real_send = smtp_module.SmtpSession.send
    calls = []

    def send_then_stop(self, message, to_address):
        calls.append(to_address)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second message is being sent
        return real_send(self, message, to_address)

    monkeypatch.setattr(smtp_module.SmtpSession, "send", send_then_stop)
    with pytest.raises(KeyboardInterrupt):
        send_pending()

    statuses = [mailq.get(row.id).status for row in rows]
    # Sent; perhaps sent (left for the stale check, never re-sent); never tried (queued).
    assert statuses == ["sent", "sending", "queued", "queued"]
    assert len(smtp.messages) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_smtp_authentication(app, mailq, thread):
    from aiosmtpd.smtp import AuthResult

    from tests.mail.conftest import Collector, free_port

    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        login, password = (
            v.decode() if isinstance(v, bytes) else v for v in (auth_data.login, auth_data.password)
        )
        seen.append((login, password))
        return AuthResult(success=(login, password) == ("forum", "s3cret"))

    handler, port = Collector(), free_port()
    from aiosmtpd.controller import Controller

    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    try:
        app.config.update(
            MAIL_SMTP_HOST="127.0.0.1",
            MAIL_SMTP_PORT=port,
            MAIL_SMTP_USERNAME="forum",
            MAIL_SMTP_PASSWORD="s3cret",
        )
        alice, bob, _, _, reply = thread
        mailq.clear()
        mailq.notification(alice, reply, "replied", actor=bob)
        assert send_pending().sent == 1
        assert len(handler.messages) == 1
        assert seen == [("forum", "s3cret")]
    finally:
        controller.stop()
