"""Reply by e-mail: ``flask forum mail receive`` and :func:`forum.mail.receive.receive`."""

from __future__ import annotations

import logging
import threading
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.bootstrap import ensure_defaults
from forum.categories.models import CREATE, SEE, CategoryPermission
from forum.extensions import db
from forum.mail import receive as receive_module
from forum.mail.models import IncomingMail, OutgoingMail
from forum.mail.receive import (
    EX_DATAERR,
    EX_NOPERM,
    EX_NOUSER,
    EX_OK,
    EX_TEMPFAIL,
    receive,
)
from forum.mail.reply_keys import reply_address, revoke
from forum.topics import services as topics
from forum.topics.models import Post
from tests.conftest import TEST_DATABASE_URL
from tests.factories import add_member, group, make_category, make_reply, make_topic, make_user

COMMAND = ["forum", "mail", "receive"]
GMAIL_QUOTE = (
    "On Mon, 3 Mar 2025 at 10:02, LMC Hub <noreply@lmchub.localhost> wrote:\n"
    "\n"
    "> Dr Patel posted in \u201cWinter rota\u201d:\n"
    "> Can everybody confirm their sessions?\n"
    ">\n"
    "> Visit the topic or reply to this e-mail to respond.\n"
)


@pytest.fixture
def replying(app):
    """A topic, a member with a reply address for it, and that address."""
    author = make_user("author")
    member = make_user("jane", email="Jane.Doe@Example.org")
    first = make_topic(author, title="Winter rota for the practices")
    topic = first.topic
    address = reply_address(member.id, topic.id)
    db.session.commit()
    return member, topic, address


def message(
    body: str = "I can do Tuesdays.",
    *,
    to: str | None = None,
    sender: str | None = "Jane Doe <jane.doe@example.org>",
    subject: str = "Re: [LMC Hub] Winter rota for the practices",
    message_id: str | None = "<abc123@mail.example.org>",
    headers: dict | None = None,
    html: str | None = None,
) -> bytes:
    msg = EmailMessage()
    if sender is not None:
        msg["From"] = sender
    if to is not None:
        msg["To"] = to
    msg["Subject"] = subject
    if message_id is not None:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    return bytes(msg)


def raw_message(to: str, body: bytes, content_type: str, *, extra: str = "") -> bytes:
    """A hand-made message, for bytes that ``EmailMessage`` would not write."""
    head = (
        "From: jane.doe@example.org\r\n"
        f"To: {to}\r\n"
        "Subject: Re: rota\r\n"
        "Message-ID: <raw-1@mail.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n"
        f"{extra}"
        "\r\n"
    )
    return head.encode() + body


def posts_in(topic) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.id)))


def post_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Post))


def logged() -> list[IncomingMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(IncomingMail).order_by(IncomingMail.id)))


def assert_refused(result, exit_code: int, reason: str, before: int) -> IncomingMail:
    """Refused with ``reason`` (a substring), nothing posted, one row logging why."""
    assert result.status == "refused", result
    assert result.exit_code == exit_code, result
    assert reason.lower() in result.reason.lower(), result
    assert result.post_id is None
    assert post_count() == before
    rows = logged()
    assert len(rows) == 1
    assert rows[0].status == "refused"
    assert rows[0].reason == result.reason
    assert rows[0].post_id is None
    return rows[0]


def new_post(result) -> Post:
    assert result.status == "posted", result
    assert result.exit_code == EX_OK
    return db.session.get(Post, result.post_id)


# --- Through the command -------------------------------------------------------------------


def test_gmail_reply_through_the_command_posts_only_the_new_text(app, runner, replying):
    member, topic, address = replying
    body = (
        "I can do Tuesdays and alternate Fridays.\n"
        "\n"
        "- Tuesday mornings\n"
        "- Friday afternoons (alternate weeks)\n"
        "\n" + GMAIL_QUOTE
    )
    html = "<div dir=ltr>I can do Tuesdays.</div><div class=gmail_quote>old</div>"
    result = runner.invoke(args=COMMAND, input=message(body, to=address, html=html))
    assert result.exit_code == EX_OK, result.output
    assert "posted" in result.output
    post = posts_in(topic)[-1]
    assert post.user_id == member.id
    assert post.post_number == 2
    assert post.raw == (
        "I can do Tuesdays and alternate Fridays.\n"
        "\n"
        "- Tuesday mornings\n"
        "- Friday afternoons (alternate weeks)"
    )
    assert "<li>Tuesday mornings</li>" in post.cooked
    assert "Can everybody confirm" not in post.raw
    (row,) = logged()
    assert (row.status, row.post_id, row.user_id, row.topic_id) == (
        "posted",
        post.id,
        member.id,
        topic.id,
    )
    assert row.from_address == "jane.doe@example.org"
    assert row.to_address == address
    assert row.subject == "Re: [LMC Hub] Winter rota for the practices"
    assert row.message_id == "<abc123@mail.example.org>"
    assert row.size > 0


def test_forged_sender_through_the_command_exits_77_with_the_reason(app, runner, replying):
    _, topic, address = replying
    before = post_count()
    raw = message("Let me in.", to=address, sender="Mallory <mallory@example.net>")
    result = runner.invoke(args=COMMAND, input=raw)
    assert result.exit_code == EX_NOPERM
    assert "sent from an address that does not own this reply address" in result.output
    assert post_count() == before
    (row,) = logged()
    assert row.status == "refused" and row.from_address == "mallory@example.net"


def test_unknown_key_through_the_command_exits_67(app, runner, replying):
    raw = message("Hello", to="reply+0123456789abcdef0123456789abcdef@lmchub.localhost")
    result = runner.invoke(args=COMMAND, input=raw)
    assert result.exit_code == EX_NOUSER
    assert "unknown reply address" in result.output
    assert logged()[0].status == "refused"


def test_ten_megabyte_attachment_is_refused_by_the_size_limit(app, runner, replying):
    _, topic, address = replying
    before = post_count()
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.org"
    msg["To"] = address
    msg["Subject"] = "Re: rota, with the spreadsheet"
    msg["Message-ID"] = "<big@mail.example.org>"
    msg.set_content("Spreadsheet attached.")
    msg.add_attachment(
        b"\0" * (10 * 1024 * 1024), maintype="application", subtype="pdf", filename="rota.pdf"
    )
    result = runner.invoke(args=COMMAND, input=bytes(msg))
    assert result.exit_code == EX_DATAERR
    assert "message is larger than 5 MB" in result.output
    assert post_count() == before
    (row,) = logged()
    assert row.status == "refused"
    assert row.message_id == "<big@mail.example.org>"
    assert row.size == app.config["MAIL_INCOMING_MAX_BYTES"] + 1  # never read further


def test_same_message_twice_through_the_command_posts_once(app, runner, replying):
    _, topic, address = replying
    raw = message("Count me in.", to=address)
    first = runner.invoke(args=COMMAND, input=raw)
    second = runner.invoke(args=COMMAND, input=raw)
    assert (first.exit_code, second.exit_code) == (EX_OK, EX_OK)
    assert "already received" in second.output
    assert [p.raw for p in posts_in(topic)].count("Count me in.") == 1
    assert len(logged()) == 1


def test_unexpected_error_exits_75_so_the_mail_server_retries(app, runner, replying, monkeypatch):
    def broken(raw):
        raise RuntimeError("database went away")

    monkeypatch.setattr(receive_module, "receive", broken)
    result = runner.invoke(args=COMMAND, input=message("Hi", to=replying[2]))
    assert result.exit_code == EX_TEMPFAIL
    assert "try again later" in result.output


def test_read_limited_keeps_one_byte_more_than_the_limit():
    import io

    assert receive_module.read_limited(io.BytesIO(b"x" * 10), 10) == b"x" * 10
    stream = io.BytesIO(b"x" * 200_000)
    assert receive_module.read_limited(stream, 100) == b"x" * 101
    assert stream.read() == b""  # the rest was drained, not kept


# --- Quoted history and signatures ---------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param(
            "Happy with that.\n\n"
            "Dr Jane Doe\n"
            "________________________________\n"
            "From: LMC Hub <noreply@lmchub.localhost>\n"
            "Sent: 03 March 2025 10:02\n"
            "To: Doe, Jane <jane.doe@example.org>\n"
            "Subject: [LMC Hub] Winter rota for the practices\n\n"
            "Dr Patel posted: Can everybody confirm their sessions?\n",
            "Happy with that.\n\nDr Jane Doe",
            id="outlook-from-sent-block",
        ),
        pytest.param(
            "Fine by me.\n\n"
            "-----Original Message-----\n"
            "From: LMC Hub [mailto:noreply@lmchub.localhost]\n"
            "Sent: Monday, March 3, 2025 10:02 AM\n"
            "To: Jane Doe\n"
            "Subject: Winter rota\n\n"
            "Can everybody confirm their sessions?\n",
            "Fine by me.",
            id="outlook-original-message",
        ),
        pytest.param(
            "Yes please.\n\n"
            "Sent from my iPhone\n\n"
            "> On 3 Mar 2025, at 10:02, LMC Hub <noreply@lmchub.localhost> wrote:\n"
            ">\n"
            "> Can everybody confirm their sessions?\n",
            "Yes please.",
            id="apple-mail-iphone",
        ),
        pytest.param(
            "Sounds good.\n\n"
            "On Mon, 3 Mar 2025 at 10:02, Dr Patel via LMC Hub <\n"
            "noreply@lmchub.localhost> wrote:\n\n"
            "> Can everybody confirm their sessions?\n",
            "Sounds good.",
            id="gmail-wrapped-attribution",
        ),
        pytest.param(
            "Here is my answer.\n\n-- \nDr Jane Doe\nHigh Street Surgery\n",
            "Here is my answer.",
            id="dash-dash-signature",
        ),
        pytest.param(
            "My answer.\n\n> Can everybody confirm their sessions?\n> Thanks\n",
            "My answer.",
            id="trailing-quote",
        ),
        pytest.param(
            "> Can you do Tuesdays?\nYes.\n\n> And Fridays?\nEvery other week.\n",
            "> Can you do Tuesdays?\nYes.\n\n> And Fridays?\nEvery other week.",
            id="interleaved-quotes-kept",
        ),
        pytest.param(
            "Two lists:\n\n- one\n  - nested\n- two\n\n    code block\n\nKind regards,\nJane\n",
            "Two lists:\n\n- one\n  - nested\n- two\n\n    code block",
            id="indentation-kept-sign-off-dropped",
        ),
        pytest.param(
            "Noted.\nThanks, that is really helpful and I will tell the practice.\nJane",
            "Noted.\nThanks, that is really helpful and I will tell the practice.\nJane",
            id="sentence-starting-with-thanks-kept",
        ),
        pytest.param(
            "CAUTION: This email originated from outside of the organisation. Do not click "
            "links or open attachments unless you recognise the sender.\n\n"
            "I agree.\n",
            "I agree.",
            id="nhs-external-mail-banner",
        ),
    ],
)
def test_quoted_history_and_signatures_are_trimmed(app, replying, body, expected):
    _, topic, address = replying
    post = new_post(receive(message(body, to=address)))
    assert post.raw == expected
    assert post.topic_id == topic.id


def test_format_flowed_lines_are_joined(app, replying):
    _, _, address = replying
    body = (
        b"This is one long paragraph that the mail program wrapped \r\n"
        b"at seventy-two characters for sending.\r\n"
        b"\r\n"
        b"Second paragraph.\r\n"
    )
    raw = raw_message(address, body, 'text/plain; charset="utf-8"; format=flowed')
    post = new_post(receive(raw))
    assert post.raw == (
        "This is one long paragraph that the mail program wrapped at seventy-two characters "
        "for sending.\n\nSecond paragraph."
    )


# --- HTML ----------------------------------------------------------------------------------


def test_html_only_reply_becomes_markdown_without_scripts(app, replying):
    member, topic, address = replying
    html = (
        "<html><head><title>Re: rota</title><style>p { color: red }</style>"
        "<script>alert('head script')</script></head><body>"
        "<p>I can do <b>Tuesdays</b>:</p>"
        "<ul><li>mornings</li><li>evenings</li></ul>"
        "<script>document.write('steal cookies')</script>"
        "<p><a href='https://example.org/rota'>the rota</a></p>"
        "<img src='cid:logo123'>"
        "<div class='gmail_quote'><div class='gmail_attr'>On Mon, 3 Mar 2025, LMC Hub"
        " wrote:</div><blockquote>Can everybody confirm their sessions?</blockquote></div>"
        "</body></html>"
    )
    post = new_post(receive(message(None, to=address, html=html)))
    assert post.user_id == member.id
    assert "I can do **Tuesdays**:" in post.raw
    assert "- mornings\n- evenings" in post.raw
    assert "[the rota](https://example.org/rota)" in post.raw
    for gone in ("alert", "steal cookies", "document.write", "color: red", "Re: rota", "cid:"):
        assert gone not in post.raw
        assert gone not in post.cooked
    assert "Can everybody confirm" not in post.raw
    assert "<script" not in post.cooked


def test_outlook_html_reply_drops_the_quoted_message(app, replying):
    _, _, address = replying
    html = (
        "<html><body><div>Agreed, let us meet on Thursday.</div>"
        "<div id='appendonsend'></div><hr>"
        "<div id='divRplyFwdMsg'><b>From:</b> LMC Hub<br><b>Sent:</b> Monday</div>"
        "<div>Can everybody confirm their sessions?</div></body></html>"
    )
    post = new_post(receive(message(None, to=address, html=html)))
    assert post.raw == "Agreed, let us meet on Thursday."


def test_blockquote_history_after_an_attribution_is_dropped(app, replying):
    _, _, address = replying
    html = (
        "<p>Yes, that works.</p>"
        "<p>On 3 Mar 2025, at 10:02, LMC Hub &lt;noreply@lmchub.localhost&gt; wrote:</p>"
        "<blockquote type='cite'><p>Can everybody confirm their sessions?</p></blockquote>"
    )
    post = new_post(receive(message(None, to=address, html=html)))
    assert post.raw == "Yes, that works."


def test_plain_text_is_preferred_to_html(app, replying):
    _, _, address = replying
    raw = message("Plain words.", to=address, html="<p>HTML words.</p>")
    assert new_post(receive(raw)).raw == "Plain words."


# --- Charsets ------------------------------------------------------------------------------


def test_windows_1252_body(app, replying):
    _, _, address = replying
    text = "\u201cFine\u201d \u2013 it costs \u00a3250 or \u20ac300, na\u00efve caf\u00e9."
    raw = raw_message(
        address,
        text.encode("cp1252"),
        'text/plain; charset="windows-1252"',
        extra="Content-Transfer-Encoding: 8bit\r\n",
    )
    assert new_post(receive(raw)).raw == text


def test_iso_8859_1_body_quoted_printable(app, replying):
    _, _, address = replying
    raw = raw_message(
        address,
        b"Caf=E9 at 7 costs =A35.\r\n",
        "text/plain; charset=ISO-8859-1",
        extra="Content-Transfer-Encoding: quoted-printable\r\n",
    )
    assert new_post(receive(raw)).raw == "Caf\u00e9 at 7 costs \u00a35."


def test_iso_8859_1_label_on_windows_1252_bytes(app, replying):
    _, _, address = replying
    raw = raw_message(address, b"\x93Quoted\x94 reply", "text/plain; charset=iso-8859-1")
    assert new_post(receive(raw)).raw == "\u201cQuoted\u201d reply"


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Grüße from the café".encode(), "Grüße from the café"),
        ("£5 for the café".encode("cp1252"), "£5 for the café"),
    ],
)
@pytest.mark.parametrize("charset", ["x-klingon-42", "base64", "utf-8\x00"])
def test_bogus_charset_falls_back(app, replying, body, expected, charset):
    _, _, address = replying
    raw = raw_message(address, body, f'text/plain; charset="{charset}"')
    assert new_post(receive(raw)).raw == expected


def test_8bit_header_garbage_is_stored_safely(app, replying):
    _, _, address = replying
    raw = raw_message(
        address,
        b"Reply with odd headers.",
        "text/plain",
        extra="X-Junk: \xff\xfe\r\n",
    ).replace(b"Subject: Re: rota", b"Subject: Re: caf\xe9 \xff rota")
    post = new_post(receive(raw))
    assert post.raw == "Reply with odd headers."
    assert logged()[0].subject.startswith("Re: café")


def test_encoded_subject_is_decoded_and_long_fields_truncated(app, replying):
    _, _, address = replying
    subject = "=?utf-8?q?Re=3A_caf=C3=A9?= " + "x" * 400
    post = new_post(receive(message("Noted.", to=address, subject=subject)))
    (row,) = logged()
    assert row.post_id == post.id
    assert row.subject.startswith("Re: café x")
    assert len(row.subject) == 255


# --- Missing and malformed headers ---------------------------------------------------------


def test_missing_from_is_refused(app, replying):
    _, _, address = replying
    before = post_count()
    result = receive(message("Hello", to=address, sender=None))
    assert_refused(result, EX_DATAERR, "no From address", before)


def test_unreadable_from_is_refused(app, replying):
    _, _, address = replying
    before = post_count()
    result = receive(message("Hello", to=address, sender="<<<@@>>>"))
    assert result.status == "refused" and result.exit_code in (EX_DATAERR, EX_NOPERM)
    assert post_count() == before


def test_missing_to_is_refused(app, replying):
    before = post_count()
    result = receive(message("Hello", to=None))
    row = assert_refused(result, EX_NOUSER, "not addressed to a reply address", before)
    assert row.user_id is None and row.topic_id is None


def test_in_reply_to_alone_is_not_trusted(app, replying):
    member, topic, _ = replying
    db.session.add(
        OutgoingMail(
            user_id=member.id,
            to_address=member.email,
            kind="notification",
            topic_id=topic.id,
            post_id=topic.id,
            message_id="<sent-1@lmchub.localhost>",
            unsubscribe_key="k1",
        )
    )
    db.session.commit()
    before = post_count()
    raw = message(
        "Hello",
        to="someone@lmchub.localhost",
        headers={"In-Reply-To": "<sent-1@lmchub.localhost>"},
    )
    assert_refused(receive(raw), EX_NOUSER, "not addressed to a reply address", before)


def test_missing_message_id_uses_a_digest_of_the_bytes(app, replying):
    _, topic, address = replying
    raw = message("No id here.", to=address, message_id=None)
    first = receive(raw)
    post = new_post(first)
    (row,) = logged()
    assert row.message_id.startswith("sha256:") and row.post_id == post.id
    second = receive(raw)
    assert second.status == "duplicate" and second.post_id == post.id
    assert [p.raw for p in posts_in(topic)].count("No id here.") == 1


@pytest.mark.parametrize("header", ["Cc", "Delivered-To", "X-Original-To", "Envelope-To"])
def test_key_is_found_in_other_recipient_headers(app, replying, header):
    member, topic, address = replying
    raw = message("Found it.", to="team@example.org", headers={header: address})
    post = new_post(receive(raw))
    assert (post.topic_id, post.user_id) == (topic.id, member.id)


def test_key_matching_ignores_case(app, replying):
    _, topic, address = replying
    post = new_post(receive(message("Shouting.", to=address.upper())))
    assert post.topic_id == topic.id


def test_display_name_and_case_of_from_do_not_matter(app, replying):
    _, _, address = replying
    raw = message("Case.", to=address, sender='"Doe, Jane (Dr)" <JANE.DOE@EXAMPLE.ORG>')
    new_post(receive(raw))


# --- Who may reply ---------------------------------------------------------------------------


def test_forged_from_is_refused(app, replying):
    _, _, address = replying
    before = post_count()
    result = receive(message("Hi", to=address, sender="jane.doe@example.org.evil.test"))
    assert_refused(result, EX_NOPERM, "does not own this reply address", before)


def test_two_from_addresses_are_refused(app, replying):
    _, _, address = replying
    before = post_count()
    raw = message("Hi", to=address, sender="mallory@example.net, jane.doe@example.org")
    assert_refused(receive(raw), EX_NOPERM, "does not own this reply address", before)


def test_another_members_address_is_refused(app, replying):
    _, topic, address = replying
    other = make_user("other")
    before = post_count()
    result = receive(message("Hi", to=address, sender=other.email))
    row = assert_refused(result, EX_NOPERM, "does not own", before)
    assert row.from_address == other.email


def test_unknown_key_is_refused(app, replying):
    before = post_count()
    raw = message("Hi", to="reply+ffffffffffffffffffffffffffffffff@lmchub.localhost")
    assert_refused(receive(raw), EX_NOUSER, "unknown reply address", before)


def test_revoked_key_is_refused(app, replying):
    member, topic, address = replying
    revoke(member.id, topic.id)
    db.session.commit()
    before = post_count()
    row = assert_refused(receive(message("Hi", to=address)), EX_NOUSER, "revoked", before)
    assert row.user_id == member.id and row.topic_id == topic.id


def test_reply_by_email_turned_off(app, replying):
    _, _, address = replying
    app.config["MAIL_REPLY_ADDRESS"] = None
    before = post_count()
    assert_refused(receive(message("Hi", to=address)), EX_NOUSER, "turned off", before)


@pytest.mark.parametrize(
    "flag, reason",
    [
        ("closed", "This topic is closed; it no longer accepts replies."),
        ("archived", "This topic is archived; it can no longer be replied to."),
    ],
)
def test_closed_or_archived_topic_is_refused(app, replying, flag, reason):
    _, topic, address = replying
    setattr(topic, flag, True)
    db.session.commit()
    before = post_count()
    result = receive(message("Too late?", to=address))
    assert_refused(result, EX_NOPERM, reason, before)
    assert result.reason == reason


def test_deleted_topic_is_refused(app, replying):
    _, topic, address = replying
    admin = make_user("admin", role="admin")
    topics.delete_post(admin, posts_in(topic)[0])
    before = post_count()
    result = receive(message("Anyone?", to=address))
    assert_refused(result, EX_NOPERM, "no longer exists", before)


@pytest.mark.parametrize("status", ["suspended", "pending"])
def test_inactive_user_is_refused(app, replying, status):
    member, _, address = replying
    member.status = status
    db.session.commit()
    before = post_count()
    result = receive(message("Hi", to=address))
    assert_refused(result, EX_NOPERM, "cannot post", before)


def test_user_who_lost_access_to_the_category_is_refused(app):
    author = make_user("author")
    member = make_user("jane", email="jane.doe@example.org")
    add_member(author, "partners")
    add_member(member, "partners")
    category = make_category("Partners only", permissions={"partners": CREATE})
    topic = make_topic(author, category, title="Partnership agreement changes").topic
    address = reply_address(member.id, topic.id)
    db.session.commit()
    # Still allowed: posts.
    new_post(receive(message("First.", to=address, message_id="<one@x>")))
    # Removed from the group: refused, with the forum's own reason.
    db.session.execute(
        CategoryPermission.__table__.delete().where(CategoryPermission.category_id == category.id)
    )
    db.session.add(
        CategoryPermission(category_id=category.id, group_id=group("council").id, permission=1)
    )
    db.session.commit()
    before = post_count()
    result = receive(message("Second.", to=address, message_id="<two@x>"))
    assert result.status == "refused" and result.exit_code == EX_NOPERM
    assert "can no longer see it" in result.reason
    assert post_count() == before
    assert [row.status for row in logged()] == ["posted", "refused"]


def test_read_only_access_is_refused_with_the_forum_reason(app):
    member = make_user("jane", email="jane.doe@example.org")
    category = make_category("Announcements", permissions={"everyone": SEE})
    admin = make_user("boss", role="admin")
    topic = make_topic(admin, category, title="An announcement here").topic
    address = reply_address(member.id, topic.id)
    db.session.commit()
    before = post_count()
    result = receive(message("Can I reply?", to=address))
    assert_refused(result, EX_NOPERM, "You are not allowed to reply in that category.", before)


# --- Bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "",
        "\n\n   \n",
        GMAIL_QUOTE,
        "-- \nDr Jane Doe\nHigh Street Surgery\n",
        "Sent from my iPhone\n",
        "> Can everybody confirm their sessions?\n",
    ],
    ids=["empty", "blank", "only-quote", "signature-only", "iphone-only", "gt-quote-only"],
)
def test_empty_reply_is_refused(app, replying, body):
    _, _, address = replying
    before = post_count()
    assert_refused(receive(message(body, to=address)), EX_DATAERR, "your reply was empty", before)


def test_attachment_only_message_is_empty(app, replying):
    _, _, address = replying
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.org"
    msg["To"] = address
    msg["Message-ID"] = "<att@x>"
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    before = post_count()
    assert_refused(receive(bytes(msg)), EX_DATAERR, "your reply was empty", before)


def test_attachments_are_ignored(app, replying):
    _, _, address = replying
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.org"
    msg["To"] = address
    msg["Message-ID"] = "<att2@x>"
    msg.set_content("See the figures.")
    msg.add_attachment("secret,figures\n1,2\n", subtype="csv", filename="figures.csv")
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    post = new_post(receive(bytes(msg)))
    assert post.raw == "See the figures."


def test_too_long_reply_is_refused_with_the_validation_message(app, replying):
    _, _, address = replying
    app.config["MAX_POST_LENGTH"] = 50
    before = post_count()
    result = receive(message("word " * 40, to=address))
    assert_refused(result, EX_DATAERR, "Body is too long (maximum is 50 characters)", before)


def test_oversized_message_is_refused_by_receive_itself(app, replying):
    _, _, address = replying
    app.config["MAIL_INCOMING_MAX_BYTES"] = 2 * 1024 * 1024
    before = post_count()
    raw = message("x" * (3 * 1024 * 1024), to=address)
    row = assert_refused(receive(raw), EX_DATAERR, "message is larger than 2 MB", before)
    assert row.message_id == "<abc123@mail.example.org>"


def test_reply_to_the_post_the_notification_was_about(app, replying):
    member, topic, address = replying
    reply = make_reply(topic)
    db.session.add(
        OutgoingMail(
            user_id=member.id,
            to_address=member.email,
            kind="notification",
            topic_id=topic.id,
            post_id=reply.id,
            message_id="<n-7@lmchub.localhost>",
            unsubscribe_key="k7",
        )
    )
    db.session.commit()
    raw = message("Answering you.", to=address, headers={"In-Reply-To": "<n-7@lmchub.localhost>"})
    assert new_post(receive(raw)).reply_to_post_number == reply.post_number


# --- Robots ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated; owner-email=x@y"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
        {"Precedence": "junk"},
        {"X-Autoreply": "yes"},
        {"Return-Path": "<>"},
    ],
)
def test_auto_replies_are_never_posted_or_answered(app, replying, headers):
    _, _, address = replying
    before = post_count()
    raw = message("I am out of the office until Monday.", to=address, headers=headers)
    result = receive(raw)
    # Exit 0: the mail server must not bounce (answer) a robot.
    assert_refused(result, EX_OK, "automatically generated", before)


def test_auto_submitted_no_is_a_person(app, replying):
    _, _, address = replying
    new_post(receive(message("A person.", to=address, headers={"Auto-Submitted": "no"})))


def test_delivery_status_report_is_ignored(app, runner, replying):
    _, _, address = replying
    report = (
        "From: MAILER-DAEMON@example.org\r\n"
        f"To: {address}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-1@example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n'
        "\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; example.org\r\n\r\nFinal-Recipient: rfc822; x@example.org\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\n"
        "--b--\r\n"
    ).encode()
    before = post_count()
    result = runner.invoke(args=COMMAND, input=report)
    assert result.exit_code == EX_OK
    assert post_count() == before
    (row,) = logged()
    assert row.status == "refused" and "delivery status report" in row.reason


# --- Duplicates ------------------------------------------------------------------------------


def test_same_message_id_twice_posts_once(app, replying):
    _, topic, address = replying
    first = receive(message("Only once.", to=address))
    # Redelivered by another route: other bytes, same Message-ID.
    second = receive(message("Only once.", to=address, headers={"Delivered-To": address}))
    assert first.status == "posted"
    assert second.status == "duplicate" and second.exit_code == EX_OK
    assert second.post_id == first.post_id
    assert [p.raw for p in posts_in(topic)].count("Only once.") == 1
    assert len(logged()) == 1


def test_refused_message_redelivered_is_a_duplicate_not_a_second_bounce(app, replying):
    _, _, address = replying
    raw = message("Hi", to=address, sender="mallory@example.net")
    assert receive(raw).status == "refused"
    again = receive(raw)
    assert again.status == "duplicate" and again.exit_code == EX_OK
    assert "refused" in again.reason


def test_race_on_the_message_id_is_a_duplicate(app, replying, monkeypatch):
    """Two deliveries pass the first look at the same time; the unique index decides."""
    _, topic, address = replying
    raw = message("Racing.", to=address)
    assert receive(raw).status == "posted"
    before = post_count()
    real = receive_module._earlier
    calls = []

    def not_yet(message_id):
        calls.append(message_id)
        return None if len(calls) == 1 else real(message_id)

    monkeypatch.setattr(receive_module, "_earlier", not_yet)
    result = receive(raw)
    assert result.status == "duplicate" and result.exit_code == EX_OK
    assert post_count() == before
    assert len(logged()) == 1


def test_race_on_a_refusal_is_a_duplicate(app, replying, monkeypatch):
    _, _, address = replying
    raw = message("Hi", to=address, sender="mallory@example.net")
    receive(raw)
    real = receive_module._earlier
    calls = []

    def not_yet(message_id):
        calls.append(message_id)
        return None if len(calls) == 1 else real(message_id)

    monkeypatch.setattr(receive_module, "_earlier", not_yet)
    assert receive(raw).status == "duplicate"
    assert len(logged()) == 1


# --- Logging ---------------------------------------------------------------------------------


def test_every_outcome_is_logged_with_python_logging(app, replying, caplog):
    _, _, address = replying
    caplog.set_level(logging.INFO, logger="forum.mail.receive")
    receive(message("Logged.", to=address, message_id="<log-1@x>"))
    receive(message("Hi", to=address, sender="mallory@example.net", message_id="<log-2@x>"))
    text = caplog.text
    assert "<log-1@x>" in text and "posted" in text
    assert "<log-2@x>" in text and "does not own this reply address" in text


def test_simultaneous_deliveries_post_once(request, tmp_path):
    """The same message delivered several times at once (each delivery its own process and
    connection in real life; threads here): one post, the others duplicates."""
    if TEST_DATABASE_URL:
        target = request.getfixturevalue("app")  # PostgreSQL: connections from its pool
        context = None
    else:  # an SQLite file, so that each thread has a connection of its own
        target = create_app(
            {
                "SECRET_KEY": "receive-race",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.db'}",
                "DATA_DIR": str(tmp_path),
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "LOAD_ENTRY_POINTS": False,
            }
        )
        context = target.app_context()
        context.push()
        db.create_all()
        ensure_defaults()
    try:
        member = make_user("jane", email="jane.doe@example.org")
        topic = make_topic(title="Winter rota for the practices").topic
        topic_id = topic.id
        address = reply_address(member.id, topic_id)
        db.session.commit()
        raw = message("Delivered four times.", to=address, message_id="<race@x>")
        barrier = threading.Barrier(4)
        results, errors = [], []

        def deliver():
            with target.app_context():
                barrier.wait(timeout=30)
                try:
                    results.append(receive(raw))
                except Exception as error:  # pragma: no cover - reported below
                    errors.append(error)

        threads = [threading.Thread(target=deliver) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert sorted(r.status for r in results) == [
            "duplicate",
            "duplicate",
            "duplicate",
            "posted",
        ]
        assert {r.exit_code for r in results} == {EX_OK}
        db.session.expire_all()
        texts = db.session.scalars(select(Post.raw).where(Post.topic_id == topic_id)).all()
        assert texts.count("Delivered four times.") == 1
        assert len(logged()) == 1
    finally:
        if context is not None:
            db.session.remove()
            db.engine.dispose()
            context.pop()


def test_a_bug_in_reading_the_body_refuses_the_message(app, replying, monkeypatch, caplog):
    _, _, address = replying

    def broken(message, max_chars):
        raise ValueError("bug")

    monkeypatch.setattr(receive_module, "reply_text", broken)
    before = post_count()
    result = receive(message("Hello", to=address))
    assert_refused(result, EX_DATAERR, "could not be read", before)
    assert "bug" in caplog.text


def test_empty_plain_alternative_falls_back_to_html(app, replying):
    _, _, address = replying
    raw = message("\n", to=address, html="<p>Only in <em>HTML</em>.</p>")
    assert new_post(receive(raw)).raw == "Only in *HTML*."
