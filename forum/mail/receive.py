"""Reply by e-mail: ``flask forum mail receive`` reads one RFC 822 message on standard input
(a mail server such as Postfix pipes it in) and posts its new text as a reply.

The recipient address carries the key (``MAIL_REPLY_ADDRESS`` with ``{key}`` filled in) that
says who may reply to which topic; the ``From`` address must be that person's. The post is
made by :func:`forum.topics.services.create_reply`, so every rule of the web composer holds.
Every message, posted or refused, leaves an :class:`~forum.mail.models.IncomingMail` row;
a refusal writes nothing else. The command's exit status is a ``sysexits.h`` code, so the
mail server bounces a refused message with the reason printed (this module never sends
mail itself).

:func:`receive` knows nothing of click, for the tests and a future HTTP mail-receiver.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from contextlib import suppress
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.errors import NOT_FOUND_MESSAGE, ForumError, InvalidAccess, NotFound, NotLoggedIn
from forum.extensions import db
from forum.mail import reply_keys
from forum.mail.incoming_body import decode, reply_text
from forum.mail.models import IncomingMail, OutgoingMail, ReplyKey
from forum.topics.models import Post, Topic
from forum.topics.services import create_reply

log = logging.getLogger(__name__)

POSTED, REFUSED, DUPLICATE = "posted", "refused", "duplicate"

# sysexits.h: what a mail server makes of the command's exit status.
EX_OK = 0
EX_DATAERR = 65  # bad, empty or oversized message: bounced
EX_NOUSER = 67  # no such reply address (unknown or revoked key): bounced
EX_SOFTWARE = 70  # a plugin failed while saving: bounced, "try again later"
EX_TEMPFAIL = 75  # the database is unreachable, say: the mail server tries again later
EX_NOPERM = 77  # forged sender, or not allowed to reply there: bounced

#: Headers naming the recipient, the envelope's first (they tell which of several
#: recipients this delivery is for), then the message's own.
RECIPIENT_HEADERS = ("X-Original-To", "Delivered-To", "Envelope-To", "To", "Cc")
_ENVELOPE_HEADERS = {"x-original-to", "delivered-to", "envelope-to"}
_AUTO_PRECEDENCE = {"bulk", "auto_reply", "junk"}
_AUTO_FLAG_HEADERS = ("X-Autoreply", "X-Autorespond")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_KEY_CHARS = r"[A-Za-z0-9_-]{1,64}"
_WHITESPACE = re.compile(r"\s+")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f]")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Received:
    """What became of one incoming message."""

    #: ``posted``, ``refused`` or ``duplicate``.
    status: str
    #: Why it was refused, or what was done (the text a bounce carries).
    reason: str = ""
    post_id: int | None = None
    #: The ``sysexits.h`` status for a mail server (0: delivered, nothing to bounce).
    exit_code: int = EX_OK


class _Refusal(Exception):
    def __init__(self, reason: str, exit_code: int):
        super().__init__(reason)
        self.reason = reason
        self.exit_code = exit_code


@dataclass
class _Log:
    """The fields of the IncomingMail row, filled in as the message is understood."""

    message_id: str
    size: int
    from_address: str = ""
    to_address: str = ""
    subject: str = ""
    user_id: int | None = None
    topic_id: int | None = None

    def row(self, status: str, reason: str = "", post_id: int | None = None) -> IncomingMail:
        return IncomingMail(
            message_id=self.message_id,
            from_address=_truncate(self.from_address, 254),
            to_address=_truncate(self.to_address, 500),
            subject=_truncate(self.subject, 255),
            size=self.size,
            user_id=self.user_id,
            topic_id=self.topic_id,
            post_id=post_id,
            status=status,
            reason=reason,
        )


def receive(raw: bytes) -> Received:
    """Post the message ``raw`` (its bytes as delivered) as a reply, or refuse it.

    Commits its own work. Unexpected errors (the database gone, say) propagate, with
    nothing written, so that the caller can ask the mail server to try again later."""
    limit = int(current_app.config["MAIL_INCOMING_MAX_BYTES"])
    oversized = len(raw) > limit
    message, readable = _parse(raw, headers_only=oversized)
    entry = _Log(message_id=_message_id(message, raw), size=len(raw))
    entry.subject = _header_text(message, "Subject")
    entry.from_address = ", ".join(_addresses(message, "From"))
    entry.to_address = ", ".join(_addresses(message, "To"))

    earlier = _earlier(entry.message_id)
    if earlier is not None:
        return _duplicate(entry, earlier)
    try:
        if oversized:
            raise _Refusal(f"message is larger than {_megabytes(limit)} MB", EX_DATAERR)
        if not readable:
            raise _Refusal("the message could not be read", EX_DATAERR)
        automatic = _automatic(message)
        if automatic:
            # Never posted, and never answered: exit 0 so no bounce goes back to a robot.
            raise _Refusal(f"automatically generated message ({automatic}); ignored", EX_OK)
        key = _find_key(message, entry)
        user = db.session.get(User, key.user_id)
        _check_sender(message, user)
        topic = db.session.get(Topic, key.topic_id)
        # End the read transaction while the body is decoded and trimmed (a big HTML
        # message takes a while): on SQLite it holds the write lock.
        db.session.rollback()
        text = _reply_text(message)
        if not text.strip():
            raise _Refusal("your reply was empty", EX_DATAERR)
        reply_to = _replied_post_number(message, key)
    except _Refusal as refusal:
        return _refuse(entry, refusal)

    # Claim the message id in the post's own transaction: of two deliveries of the same
    # message racing each other, the second waits for the first and then fails here.
    row = entry.row(POSTED)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = _earlier(entry.message_id)
        if earlier is None:
            raise
        return _duplicate(entry, earlier)
    try:
        post = create_reply(user, topic, raw=text, reply_to_post_number=reply_to)
    except ForumError as error:
        db.session.rollback()
        return _refuse(entry, _Refusal(_forum_reason(error), _forum_exit_code(error, topic)))
    except BaseException:
        db.session.rollback()
        raise
    row.post_id = post.id
    db.session.commit()
    reason = f"posted as reply #{post.post_number} in topic {post.topic_id}"
    log.info("incoming mail %s from %s: %s", entry.message_id, entry.from_address, reason)
    return Received(POSTED, reason, post.id, EX_OK)


# --- Outcomes --------------------------------------------------------------------------------


def _earlier(message_id: str) -> IncomingMail | None:
    return db.session.scalar(select(IncomingMail).where(IncomingMail.message_id == message_id))


def _duplicate(entry: _Log, earlier: IncomingMail | None) -> Received:
    outcome = f" (it was {earlier.status})" if earlier is not None else ""
    reason = f"message {entry.message_id} was already received{outcome}; ignored"
    log.info("incoming mail %s from %s: %s", entry.message_id, entry.from_address, reason)
    post_id = earlier.post_id if earlier is not None else None
    return Received(DUPLICATE, reason, post_id, EX_OK)


def _refuse(entry: _Log, refusal: _Refusal) -> Received:
    """Log the refusal (the only thing a refused message writes)."""
    db.session.rollback()
    db.session.add(entry.row(REFUSED, refusal.reason))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = _earlier(entry.message_id)
        if earlier is None:
            raise
        return _duplicate(entry, earlier)
    log.info(
        "incoming mail %s from %s refused: %s",
        entry.message_id,
        entry.from_address,
        refusal.reason,
    )
    return Received(REFUSED, refusal.reason, None, refusal.exit_code)


def _forum_reason(error: ForumError) -> str:
    messages = [m for m in error.messages if m]
    if isinstance(error, NotFound) and messages in ([], [NOT_FOUND_MESSAGE]):
        return "the topic no longer exists, or you can no longer see it"
    return " ".join(messages) or error.title


def _forum_exit_code(error: ForumError, topic: Topic | None) -> int:
    if isinstance(error, InvalidAccess | NotFound | NotLoggedIn):
        return EX_NOPERM
    if topic is not None and (topic.closed or topic.archived or topic.deleted_at is not None):
        return EX_NOPERM
    if error.status >= 500:
        return EX_SOFTWARE
    return EX_DATAERR


# --- Understanding the message -------------------------------------------------------------


def _parse(raw: bytes, *, headers_only: bool) -> tuple[Message, bool]:
    """The parsed message, and whether it could be parsed at all (the parser records
    defects rather than raising, but a bug in it must not stop the log row being written)."""
    parser = BytesParser(policy=policy.default)
    try:
        return parser.parsebytes(raw, headersonly=headers_only), True
    except Exception:
        log.exception("incoming mail could not be parsed")
        return parser.parsebytes(b""), False


def _reply_text(message: Message) -> str:
    try:
        return reply_text(message, int(current_app.config["MAX_POST_LENGTH"]))
    except Exception:
        # Decoding and trimming never raise by design; if they do, refuse the message
        # (and keep the traceback) rather than have the mail server retry it for days.
        log.exception("incoming mail: the body could not be read")
        raise _Refusal("the message's text could not be read", EX_DATAERR) from None


def _raw_values(message: Message, name: str) -> list[str]:
    """Every value of header ``name`` as it stands in the message (never parsed, so a
    malformed header cannot raise)."""
    wanted = name.lower()
    return [_unicode(value) for key, value in message.raw_items() if key.lower() == wanted]


def _unicode(value) -> str:
    """Header text made storable: 8-bit bytes the parser kept as surrogates are decoded
    (UTF-8, else Windows-1252), line folding and control characters become spaces."""
    value = decode(str(value).encode("utf-8", "surrogateescape"), None)
    return _WHITESPACE.sub(" ", _UNPRINTABLE.sub(" ", value)).strip()


def _header_text(message: Message, name: str) -> str:
    """The decoded value of a header (encoded-words and all), or its raw text."""
    values = _raw_values(message, name)
    if not values:
        return ""
    try:
        return _unicode(message.policy.header_fetch_parse(name, values[0]))
    except Exception:
        return values[0]


def _addresses(message: Message, name: str) -> list[str]:
    """The addr-specs in every ``name`` header: parsed with the header registry, or with
    :func:`email.utils.getaddresses` where the registry cannot (headers it does not know
    as address headers, or values it chokes on)."""
    found: list[str] = []
    for value in _raw_values(message, name):
        try:
            if name.lower() in _ENVELOPE_HEADERS:
                raise TypeError("not an address header to the registry")
            header = message.policy.header_fetch_parse(name, value)
            specs = [address.addr_spec for address in header.addresses]
        except Exception:
            specs = [spec for _, spec in getaddresses([value])]
        found.extend(_unicode(spec) for spec in specs if spec and "@" in spec)
    return found


def _message_id(message: Message, raw: bytes) -> str:
    """The ``Message-ID`` (angle brackets and all), or a digest of the bytes without one."""
    values = _raw_values(message, "Message-ID")
    value = values[0] if values else ""
    match = _MESSAGE_ID.search(value)
    value = match.group() if match else value.strip()
    if not value:
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if len(value) > 255:
        return "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


def _automatic(message: Message) -> str:
    """Why ``message`` looks machine-made (auto-reply, bounce, bulk mail), or ''."""
    for value in _raw_values(message, "Auto-Submitted"):
        token = value.split(";")[0].strip().lower()
        if token != "no":
            return f"Auto-Submitted: {token or 'empty'}"
    for value in _raw_values(message, "Precedence"):
        if value.strip().lower() in _AUTO_PRECEDENCE:
            return f"Precedence: {value.strip().lower()}"
    for name in _AUTO_FLAG_HEADERS:
        if _raw_values(message, name):
            return f"{name} header"
    try:
        content_type = message.get_content_type()
    except Exception:
        content_type = ""
    if content_type in ("multipart/report", "message/delivery-status"):
        return "a delivery status report"
    if any(value.strip() == "<>" for value in _raw_values(message, "Return-Path")):
        return "sent with an empty return path (a bounce or auto-reply)"
    return ""


def _key_pattern() -> re.Pattern | None:
    template = current_app.config.get("MAIL_REPLY_ADDRESS")
    if not template or template.count("{key}") != 1:
        return None
    prefix, suffix = template.strip().split("{key}")
    if "@" in prefix:  # "Name <reply+{key}@…>" templates: match the address alone
        prefix = prefix[prefix.rfind("<") + 1 :]
    suffix = suffix.rstrip(">").strip()
    return re.compile(re.escape(prefix) + f"({_KEY_CHARS})" + re.escape(suffix), re.IGNORECASE)


def _find_key(message: Message, entry: _Log) -> ReplyKey:
    """The live key in the recipient addresses (noting it, and the address it was found in,
    in ``entry``)."""
    pattern = _key_pattern()
    if pattern is None:
        raise _Refusal("reply by e-mail is turned off on this site", EX_NOUSER)
    revoked: tuple[ReplyKey, str] | None = None
    seen: set[str] = set()
    candidates = 0
    for name in RECIPIENT_HEADERS:
        for address in _addresses(message, name):
            match = pattern.fullmatch(address)
            if match is None or match.group(1) in seen:
                continue
            value = match.group(1)
            seen.add(value)
            candidates += 1
            key = reply_keys.find_key(value) or (
                reply_keys.find_key(value.lower()) if value != value.lower() else None
            )
            if key is None:
                continue
            if key.revoked_at is None:
                entry.to_address = address
                entry.user_id, entry.topic_id = key.user_id, key.topic_id
                return key
            revoked = revoked or (key, address)
    if revoked is not None:
        key, entry.to_address = revoked
        entry.user_id, entry.topic_id = key.user_id, key.topic_id
        raise _Refusal(
            "this reply address has been revoked; reply on the website instead", EX_NOUSER
        )
    if candidates:
        raise _Refusal("unknown reply address", EX_NOUSER)
    raise _Refusal("the message is not addressed to a reply address of this site", EX_NOUSER)


def _check_sender(message: Message, user: User | None) -> None:
    froms = _raw_values(message, "From")
    if not froms:
        raise _Refusal("the message has no From address", EX_DATAERR)
    addresses = _addresses(message, "From")
    if not addresses:
        raise _Refusal("the message's From address could not be read", EX_DATAERR)
    if (
        user is None
        or len(froms) != 1
        or len(addresses) != 1
        or addresses[0].casefold() != (user.email or "").strip().casefold()
    ):
        # Info, not warning: with no logging set up, warnings go to stderr, which the mail
        # server copies into the bounce, and that must not name the key's owner.
        log.info(
            "incoming mail from %s for user %s: sender does not own the reply address",
            ", ".join(addresses),
            user.id if user else None,
        )
        raise _Refusal("sent from an address that does not own this reply address", EX_NOPERM)


def _replied_post_number(message: Message, key: ReplyKey) -> int | None:
    """The post the e-mail being answered was about, when ``In-Reply-To`` names a message
    this site sent to this person about this topic (only for threading: the key, not this
    header, decides where the reply goes)."""
    values = _raw_values(message, "In-Reply-To")
    match = _MESSAGE_ID.search(values[0]) if values else None
    if match is None:
        return None
    ids = {match.group(), match.group()[1:-1]}
    post_id = db.session.scalar(
        select(OutgoingMail.post_id)
        .where(
            OutgoingMail.message_id.in_(ids),
            OutgoingMail.user_id == key.user_id,
            OutgoingMail.topic_id == key.topic_id,
            OutgoingMail.post_id.is_not(None),
        )
        .limit(1)
    )
    if post_id is None:
        return None
    number = db.session.scalar(
        select(Post.post_number).where(Post.id == post_id, Post.topic_id == key.topic_id)
    )
    return number if number and number > 1 else None


def _truncate(value: str, length: int) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"


# --- The command ---------------------------------------------------------------------------


def read_limited(stream, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of ``stream`` (one more than allowed is enough to know a
    message is too large); the rest is read and thrown away, so that the mail server's
    pipe is not broken, but never kept."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    while stream.read(_CHUNK):
        pass
    return b"".join(chunks)


@click.command("receive")
@click.argument("source", type=click.File("rb"), default="-")
@with_appcontext
def receive_command(source):
    """Read one RFC 822 message on standard input (or from SOURCE, a file) and post it as a
    reply.

    For a mail server's pipe transport (Postfix: ``flask forum mail receive`` as the
    command of a pipe(8) service). Exit status: 0 posted (or a duplicate, or an ignored
    auto-reply), 65 bad/empty/too large, 67 unknown or revoked reply address, 77 sender
    not allowed, 70 a plugin failed, 75 temporary failure (the server tries again)."""
    limit = int(current_app.config["MAIL_INCOMING_MAX_BYTES"])
    raw = read_limited(source, limit)
    try:
        result = receive(raw)
    except Exception as error:
        # Nothing was written: let the mail server keep the message and try again later
        # (a database that is down, or a bug fixed before the retries run out).
        log.exception("incoming mail not processed")
        with suppress(Exception):
            db.session.rollback()
        click.echo(f"temporary failure, try again later ({error.__class__.__name__})", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo(result.reason, err=result.status == REFUSED)
    sys.exit(result.exit_code)
