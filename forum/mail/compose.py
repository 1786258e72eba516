"""Turning a queued row into an e-mail, at send time (so a quick edit is included, and a
message that is no longer wanted or allowed is skipped instead).

Each message has a plain-text part (the post's Markdown, as written) and an HTML part (its
stored, sanitized ``cooked`` HTML with links made absolute), from the templates in
``templates/mail/``. Headers keep a topic one conversation in mail programs:

* the topic's first post is ``<topic/{topic id}@{host}>``, every other post
  ``<topic/{topic id}/{post id}@{host}>`` (the same for every recipient and every attempt);
* ``In-Reply-To`` is the post it answers (or the topic), ``References`` the topic (and
  that post).

Every message carries ``List-Unsubscribe`` (with RFC 8058 one-click) and ends with its
unsubscribe link and a link to the e-mail preferences.
"""

from __future__ import annotations

import email.policy
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from urllib.parse import urlsplit

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from forum.accounts.models import User
from forum.bootstrap import UNCATEGORIZED
from forum.categories.models import Category
from forum.database import stored_json, utcnow
from forum.extensions import db
from forum.mail import unsubscribe
from forum.mail.models import OutgoingMail
from forum.mail.queue import ANNOUNCEMENT, DIGEST, MAILING_LIST, NOTIFICATION, SUMMARY
from forum.mail.reply_keys import reply_address
from forum.notifications import types
from forum.notifications.levels import category_level, own_topic_level
from forum.notifications.models import (
    WATCHING,
    WATCHING_FIRST_POST,
    Notification,
    UserOption,
)
from forum.permissions import can
from forum.topics.models import Post, Topic

PREFERENCES_PATH = "/my/preferences/emails"
#: ``href="/…"`` and ``src="/…"`` in cooked HTML (not ``//host``, which is already absolute).
RELATIVE_LINK_RE = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")
#: CRLF line ends, and bodies with anything but ASCII sent quoted-printable or base64 (not
#: 8-bit, which a server without 8BITMIME may mangle).
MAIL_POLICY = email.policy.SMTP.clone(cte_type="7bit")


class Skip(Exception):
    """The message should not be sent; the reason is kept on the row for admins."""


@dataclass
class Composed:
    message: EmailMessage
    subject: str
    message_id: str
    to_address: str
    #: The row's ``data`` with what its unsubscribe link does (stored when it is sent).
    data: str


@dataclass
class Recipient:
    user: User
    options: UserOption | None

    @property
    def email_personal(self) -> bool:
        return self.options.email_personal if self.options else True

    @property
    def mailing_list_mode(self) -> str:
        return self.options.mailing_list_mode if self.options else "off"

    @property
    def include_own(self) -> bool:
        return bool(self.options and self.options.mailing_list_include_own)


# -- Addresses and links --------------------------------------------------------------------


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def mail_host() -> str:
    """The right-hand side of Message-IDs: the site's host name (from ``BASE_URL``)."""
    return urlsplit(base_url()).hostname or "localhost"


def absolute(path: str) -> str:
    return base_url() + path if path.startswith("/") else path


def absolutize_html(html: str) -> str:
    """Cooked HTML with site-relative links and images made absolute (``BASE_URL``)."""
    return RELATIVE_LINK_RE.sub(lambda m: f'{m.group(1)}{absolute(m.group(2))}"', html)


def topic_message_id(topic_id: int) -> str:
    return f"<topic/{topic_id}@{mail_host()}>"


def post_message_id(post: Post) -> str:
    if post.post_number == 1:
        return topic_message_id(post.topic_id)
    return f"<topic/{post.topic_id}/{post.id}@{mail_host()}>"


def row_message_id(row: OutgoingMail) -> str:
    """A Message-ID for a message that is not one post (digest, summary, plugin notice):
    unique to the row and the same on every attempt."""
    tag = hashlib.sha256(f"{row.id}:{row.unsubscribe_key}".encode()).hexdigest()[:12]
    return f"<{row.kind.replace('_', '-')}/{row.id}.{tag}@{mail_host()}>"


def topic_path(topic: Topic, post_number: int | None = None) -> str:
    path = f"/t/{topic.slug}/{topic.id}"
    return f"{path}/{post_number}" if post_number and post_number > 1 else path


def _clean(text: str) -> str:
    return CONTROL_RE.sub(" ", text or "").strip()


def from_header(actor: User | None) -> str:
    """``MAIL_FROM``, named after the actor when there is one ("Alice Smith via LMC Hub")."""
    config = current_app.config
    name, address = parseaddr(config["MAIL_FROM"])
    if not address:
        return config["MAIL_FROM"]
    if actor is not None:
        name = f"{_clean(actor.display_name)} via {config['SITE_NAME']}"
    return formataddr((name or config["SITE_NAME"], address))


def subject_for(topic: Topic) -> str:
    """``[LMC Hub] [Category] Title`` (no category for Uncategorized), as Discourse."""
    site = current_app.config["SITE_NAME"]
    category = "" if topic.category.slug == UNCATEGORIZED else f"[{topic.category.name}] "
    return _clean(f"[{site}] {category}{topic.title}")


def site_subject(text: str) -> str:
    return _clean(f"[{current_app.config['SITE_NAME']}] {text}")


# -- Checks made at send time ------------------------------------------------------------


def recipient_of(row: OutgoingMail) -> Recipient:
    user = db.session.get(User, row.user_id) if row.user_id else None
    if user is None:
        raise Skip("the recipient's account no longer exists")
    if not user.is_active:
        raise Skip(f"the recipient's account is {user.status}, not active")
    if not user.email:
        raise Skip("the recipient has no e-mail address")
    return Recipient(user, db.session.get(UserOption, user.id))


def live_post(post_id: int | None, user: User) -> Post:
    """The post, if it still exists, is not deleted and ``user`` can still see it."""
    post = db.session.get(Post, post_id) if post_id else None
    if post is None:
        raise Skip("the post no longer exists")
    topic = post.topic
    if topic.deleted_at is not None:
        raise Skip("the topic was deleted")
    if post.deleted_at is not None:
        raise Skip("the post was deleted")
    if not can(user, "topic.see", topic) or not can(user, "post.see", post):
        raise Skip("the recipient can no longer see this topic")
    return post


def watching(user_id: int, topic: Topic, post_number: int) -> bool:
    """Whether ``user_id`` still watches ``topic`` (or, for a first post, its category
    for first posts)."""
    own = own_topic_level(user_id, topic.id)
    if own is not None:
        return own == WATCHING
    level = category_level(user_id, topic.category)
    return level == WATCHING or (post_number == 1 and level == WATCHING_FIRST_POST)


# -- Rendering ------------------------------------------------------------------------------


def render(name: str, **context) -> str:
    """A ``templates/mail/`` template, outside any request (``.html`` ones autoescaped)."""
    template = current_app.jinja_env.get_template(f"mail/{name}")
    return template.render(site_name=current_app.config["SITE_NAME"], **context)


def _footer(row: OutgoingMail, effect: unsubscribe.Effect) -> dict:
    return {
        "unsubscribe_url": f"{base_url()}/email/unsubscribe/{row.unsubscribe_key}",
        "unsubscribe_what": effect.description,
        "reason": effect.reason,
        "preferences_url": absolute(PREFERENCES_PATH),
        "site_url": base_url() + "/",
    }


def build(
    row: OutgoingMail,
    recipient: Recipient,
    *,
    subject: str,
    template: str,
    context: dict,
    message_id: str,
    actor: User | None = None,
    reply_to: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] = (),
    list_id: tuple[str, str] | None = None,
    precedence_list: bool = True,
) -> Composed:
    effect = unsubscribe.work_out_effect(row)
    footer = _footer(row, effect)
    context = {**context, **footer, "subject": subject}
    text = render(f"{template}.txt", **context)
    html = render(f"{template}.html", **context)
    user = recipient.user
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = subject
    message["From"] = from_header(actor)
    message["To"] = formataddr((_clean(user.display_name), user.email))
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC), usegmt=True)
    message["Message-ID"] = message_id
    if reply_to:
        message["Reply-To"] = reply_to
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    host = mail_host()
    label, name = list_id or ("notifications", f"{current_app.config['SITE_NAME']}")
    message["List-ID"] = formataddr((_clean(name), f"{label}.{host}"))
    message["List-Unsubscribe"] = f"<{footer['unsubscribe_url']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Keep out-of-office replies away (they would arrive at the reply-by-e-mail address).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    if precedence_list:
        message["Precedence"] = "list"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    data = unsubscribe.data_with_effect(row, effect)
    return Composed(message, subject[:255], message_id, user.email, data)


def _post_mail(
    row: OutgoingMail, recipient: Recipient, post: Post, *, heading: str = "", personal=False
) -> Composed:
    topic = post.topic
    parent = None
    if post.reply_to_post_number and post.reply_to_post_number > 1:
        parent = db.session.scalar(
            select(Post).where(
                Post.topic_id == topic.id, Post.post_number == post.reply_to_post_number
            )
        )
    first = post.post_number == 1
    in_reply_to = None
    references: list[str] = []
    if not first:
        references = [topic_message_id(topic.id)]
        if parent is not None:
            references.append(post_message_id(parent))
        in_reply_to = references[-1]
    reply_to = reply_address(recipient.user.id, topic.id)
    category: Category = topic.category
    context = {
        "heading": heading,
        "post": post,
        "topic": topic,
        "category": category,
        "author": post.user,
        "post_url": absolute(topic_path(topic, post.post_number)),
        "topic_url": absolute(topic_path(topic)),
        "cooked": Markup(absolutize_html(post.cooked)),
        "raw": post.raw,
        "parent": parent,
        "can_reply_by_email": bool(reply_to),
    }
    return build(
        row,
        recipient,
        subject=subject_for(topic),
        template="post",
        context=context,
        message_id=post_message_id(post),
        actor=post.user,
        reply_to=reply_to,
        in_reply_to=in_reply_to,
        references=references,
        list_id=(category.slug, category.name),
        precedence_list=not personal,
    )


def _notification_mail(row: OutgoingMail, recipient: Recipient) -> Composed:
    notification = (
        db.session.get(Notification, row.notification_id) if row.notification_id else None
    )
    if notification is None:
        raise Skip("the notification no longer exists")
    if notification.read:
        raise Skip("the notification was read on the site before the e-mail was sent")
    if not recipient.email_personal:
        raise Skip("the recipient turned off e-mail about notifications")
    described = types.describe(notification)
    user = recipient.user
    post_id = row.post_id or notification.post_id
    if post_id is None:
        # A plugin's notification: its words and its link.
        topic = db.session.get(Topic, notification.topic_id) if notification.topic_id else None
        if topic is not None and not can(user, "topic.see", topic):
            raise Skip("the recipient can no longer see this topic")
        kind = types.notification_type(notification.type)
        if kind is not None and not kind.email:
            raise Skip("this kind of notification is not sent by e-mail")
        context = {"text": described.text, "url": absolute(described.url), "topic": topic}
        return build(
            row,
            recipient,
            subject=site_subject(described.text)[:255],
            template="notice",
            context=context,
            message_id=row_message_id(row),
            actor=described.actor,
            reply_to=reply_address(user.id, topic.id) if topic is not None else None,
            references=[topic_message_id(topic.id)] if topic is not None else [],
            precedence_list=False,
        )
    post = live_post(post_id, user)
    if notification.type == types.POSTED and not watching(user.id, post.topic, post.post_number):
        raise Skip("the recipient no longer watches this topic")
    if notification.type in (types.WATCHING_FIRST_POST, types.ANNOUNCED) and not watching(
        user.id, post.topic, 1
    ):
        raise Skip("the recipient no longer watches this category")
    return _post_mail(
        row,
        recipient,
        post,
        heading=described.text,
        personal=notification.type in types.PERSONAL,
    )


def _mailing_list_mail(row: OutgoingMail, recipient: Recipient) -> Composed:
    if recipient.mailing_list_mode != "every_post":
        raise Skip("the recipient turned off mailing list mode")
    post = live_post(row.post_id, recipient.user)
    if post.user_id == recipient.user.id and not recipient.include_own:
        raise Skip("the recipient does not want their own posts")
    if not watching(recipient.user.id, post.topic, post.post_number):
        raise Skip("the recipient no longer watches this topic")
    return _post_mail(row, recipient, post)


def _announcement_mail(row: OutgoingMail, recipient: Recipient) -> Composed:
    post = live_post(row.post_id, recipient.user)
    if not watching(recipient.user.id, post.topic, 1):
        raise Skip("the recipient no longer watches this category")
    return _post_mail(row, recipient, post, heading=f"Announcement in {post.topic.category.name}")


def compose(row: OutgoingMail) -> Composed:
    """The message for ``row`` as things are now; raises :class:`Skip` when it should not
    be sent (read meanwhile, deleted, no longer visible, no longer wanted)."""
    recipient = recipient_of(row)
    if row.kind == NOTIFICATION:
        return _notification_mail(row, recipient)
    if row.kind == MAILING_LIST:
        return _mailing_list_mail(row, recipient)
    if row.kind == ANNOUNCEMENT:
        return _announcement_mail(row, recipient)
    if row.kind in (DIGEST, SUMMARY):
        from forum.mail import digests

        if row.kind == DIGEST:
            return digests.compose_digest(row, recipient)
        return digests.compose_summary(row, recipient)
    raise Skip(f"unknown kind of message {row.kind!r}")


def row_data(row: OutgoingMail) -> dict:
    return stored_json(row.data)
