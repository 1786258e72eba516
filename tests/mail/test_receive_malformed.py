"""Whatever arrives on standard input, ``receive`` answers posted or refused and never raises."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.mail.incoming_body import decode, html_to_markdown, trim_reply, unflow
from forum.mail.models import IncomingMail
from forum.mail.receive import receive
from forum.mail.reply_keys import reply_address
from tests.factories import make_topic, make_user


def head(address: str, content_type: str = "text/plain", extra: str = "") -> str:
    return (
        "From: Jane <jane@example.org>\r\n"
        f"To: {address}\r\n"
        "Subject: Re: rota\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n"
        f"{extra}\r\n"
    )


CASES = {
    "empty-input": lambda a: b"",
    "binary-garbage": lambda a: b"\x00\xff\xfe garbage \x00\r\n\r\n\x00",
    "headers-only": lambda a: head(a).encode(),
    "no-blank-line": lambda a: f"From: jane@example.org\r\nTo: {a}".encode(),
    "multipart-without-boundary": lambda a: (
        head(a, "multipart/alternative") + "Hello there\r\n"
    ).encode(),
    "multipart-never-closed": lambda a: (
        head(a, 'multipart/mixed; boundary="zz"') + "--zz\r\nContent-Type: text/plain\r\n\r\nHi"
    ).encode(),
    "invalid-base64": lambda a: (
        head(a, "text/plain", "Content-Transfer-Encoding: base64\r\n") + "!!!not base64@@@\r\n"
    ).encode(),
    "unknown-transfer-encoding": lambda a: (
        head(a, "text/plain", "Content-Transfer-Encoding: x-uuencode\r\n") + "begin 644 x\r\n"
    ).encode(),
    "rfc2231-charset": lambda a: (head(a, "text/plain; charset*=bogus''%E9%E9") + "Caf\xe9").encode(
        "latin-1"
    ),
    "utf16-label-on-utf8": lambda a: (head(a, "text/plain; charset=utf-16") + "Hello!").encode(),
    "bad-encoded-word-from": lambda a: (
        head(a).replace("From: Jane", "From: =?x-bogus?q?Jane?=") + "Hi"
    ).encode(),
    "eight-bit-from": lambda a: (head(a).replace("From: Jane", "From: J\xe9r\xf4me") + "Hi").encode(
        "latin-1"
    ),
    "huge-header": lambda a: (head(a, extra="X-Long: " + "a" * 200_000 + "\r\n") + "Hi").encode(),
    "only-attached-message": lambda a: (
        head(a, "message/rfc822") + "From: x@y\r\nSubject: inner\r\n\r\nInner body\r\n"
    ).encode(),
    "deep-multipart": lambda a: (
        head(a, 'multipart/mixed; boundary="b0"')
        + "".join(
            f'--b{i}\r\nContent-Type: multipart/mixed; boundary="b{i + 1}"\r\n\r\n'
            for i in range(60)
        )
        + "--b60\r\nContent-Type: text/plain\r\n\r\nDeep hello\r\n"
    ).encode(),
    "deep-html": lambda a: (
        head(a, "text/html") + "<div>" * 5000 + "Deep" + "</div>" * 5000
    ).encode(),
    "null-in-body": lambda a: (head(a) + "Hello\x00 world").encode(),
    "long-on-lines": lambda a: (head(a) + ("On " + "a " * 3000 + "\n") * 40).encode(),
    "message-id-huge": lambda a: (
        head(a, extra="Message-ID: <" + "x" * 1000 + "@example.org>\r\n") + "Hi"
    ).encode(),
    "many-to-addresses": lambda a: (
        head(", ".join(f"p{i}@example.org" for i in range(2000)) + ", " + a) + "Hi"
    ).encode(),
}


@pytest.fixture
def address(app):
    jane = make_user("jane", email="jane@example.org")
    topic = make_topic(title="Winter rota for the practices").topic
    value = reply_address(jane.id, topic.id)
    db.session.commit()
    return value


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_messages_never_raise(app, address, name):
    raw = CASES[name](address)
    result = receive(raw)
    assert result.status in ("posted", "refused"), result
    assert result.reason
    row = db.session.scalar(select(IncomingMail))
    assert row is not None and row.status == result.status
    assert len(row.message_id) <= 255
    assert db.session.scalar(select(func.count()).select_from(IncomingMail)) == 1


def test_decode_never_raises():
    assert decode(b"caf\xc3\xa9", None) == "café"
    assert decode(b"caf\xe9", None) == "café"
    assert decode(b"\x81\x8d", "iso-8859-1") == "\x81\x8d"  # undefined in 1252: Latin-1
    assert decode(b"caf\xc3\xa9", "us-ascii") == "café"
    assert decode(b"caf\xe9", "utf-8") == "café"
    assert decode(b"x", "rot13") == "x"
    assert decode("Grüße".encode("utf-16"), "utf-16") == "Grüße"


def test_unflow_joins_soft_breaks_but_keeps_signature_separator():
    text = "One \r\ntwo\r\n> quoted \r\n> more\r\n-- \r\nSig"
    assert unflow(text) == "One two\n> quoted more\n-- \nSig"
    assert unflow("Long wo \nrd", delsp=True) == "Long word"


def test_html_to_markdown_drops_active_content():
    html = (
        "<p>Keep</p><script>bad()</script><style>.x{}</style><iframe>frame</iframe>"
        "<!-- hidden --><noscript>ns</noscript><img src='data:image/png;base64,AAAA' alt='pic'>"
    )
    text = html_to_markdown(html)
    assert "Keep" in text and "pic" in text
    for gone in ("bad()", ".x{}", "frame", "hidden", "ns", "data:"):
        assert gone not in text


def test_trim_reply_keeps_plain_text_without_history():
    assert trim_reply("Just this.\n\nAnd this.") == "Just this.\n\nAnd this."
    assert trim_reply("Ends with a rule\n\n---\n") == "Ends with a rule"


def test_disclaimer_like_sentences_in_the_middle_are_kept():
    text = "Hello all.\nImportant note: e-mail the practice manager by Friday.\nThat is all."
    assert trim_reply(text) == text
    banner = "CAUTION: This email originated from outside of the organisation.\n\nI agree."
    assert trim_reply(banner) == "I agree."
