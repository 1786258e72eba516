"""What each message's unsubscribe link turns off, and turning it off.

Every queued message has its own unguessable ``unsubscribe_key``. The link turns off exactly
the thing that made this message be sent, for its own recipient only:

* a notification about a post in a topic or category they watch: that topic (or category)
  back to Normal;
* a reply, quote or mention (and a plugin's notification): e-mail about notifications
  (``UserOption.email_personal``);
* a mailing-list message or the daily digest: mailing-list mode off;
* the summary: ``summary_frequency`` to ``never``;
* an announcement: the category back to Normal.

What the link does is decided when the message is composed and kept in the row's ``data``
(``"unsubscribe"``), so it does what the message said even if the notification is deleted
afterwards.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import select

from forum.categories.models import Category
from forum.database import stored_json, utcnow
from forum.extensions import db
from forum.mail.models import OutgoingMail
from forum.mail.queue import ANNOUNCEMENT, DIGEST, MAILING_LIST, NOTIFICATION, SUMMARY
from forum.notifications import types
from forum.notifications.levels import own_topic_level, store_category_level, store_topic_level
from forum.notifications.models import (
    NORMAL,
    Notification,
)
from forum.notifications.preferences import store_options
from forum.topics.models import Topic

#: What a link can turn off.
PERSONAL, LIST_MODE, SUMMARY_MAIL, TOPIC, CATEGORY = (
    "email_personal",
    "mailing_list_mode",
    "summary_frequency",
    "topic",
    "category",
)
KEY_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Effect:
    """What one link turns off: ``what`` (see above), a description to show ("e-mails
    about new posts in “Budget 2025”"), the topic or category id, and why the person gets
    such e-mail ("you are watching “Budget 2025”"), for the message's footer."""

    what: str
    description: str
    target_id: int | None = None
    reason: str = ""


def effect_of(row: OutgoingMail) -> Effect:
    """What ``row``'s link turns off: as recorded when it was composed, else worked out now."""
    stored = stored_json(row.data).get("unsubscribe")
    if isinstance(stored, dict) and stored.get("what") in (
        PERSONAL,
        LIST_MODE,
        SUMMARY_MAIL,
        TOPIC,
        CATEGORY,
    ):
        target = stored.get("target_id")
        return Effect(
            stored["what"],
            str(stored.get("description") or ""),
            target if isinstance(target, int) else None,
            str(stored.get("reason") or ""),
        )
    return work_out_effect(row)


def data_with_effect(row: OutgoingMail, effect: Effect) -> str:
    """The row's ``data`` with ``effect`` kept in it (written when the message is sent)."""
    data = stored_json(row.data)
    data["unsubscribe"] = asdict(effect)
    return json.dumps(data)


def _personal() -> Effect:
    return Effect(
        PERSONAL,
        "e-mails about your notifications (replies to you, quotes and mentions)",
        reason="you get e-mails when someone replies to you, quotes you or mentions you",
    )


def _topic(topic: Topic) -> Effect:
    return Effect(
        TOPIC,
        f"e-mails about new posts in “{topic.title}”",
        topic.id,
        reason=f"you are watching the topic “{topic.title}”",
    )


def _category(category: Category, announcement: bool = False) -> Effect:
    what = "announcements and new topics" if announcement else "new topics and posts"
    return Effect(
        CATEGORY,
        f"e-mails about {what} in the {category.name} category",
        category.id,
        reason=f"you are watching the {category.name} category",
    )


def work_out_effect(row: OutgoingMail) -> Effect:
    """What the link of ``row`` should turn off, from the current state of things."""
    if row.kind == MAILING_LIST:
        return Effect(
            LIST_MODE,
            "mailing list mode (an e-mail for every new post in what you watch)",
            reason="you turned on mailing list mode",
        )
    if row.kind == DIGEST:
        return Effect(
            LIST_MODE,
            "the daily digest of new posts in what you watch",
            reason="you asked for a daily digest of new posts in what you watch",
        )
    if row.kind == SUMMARY:
        return Effect(
            SUMMARY_MAIL,
            "the summary of popular topics",
            reason="you asked for a regular summary of popular topics",
        )
    topic = db.session.get(Topic, row.topic_id) if row.topic_id else None
    if row.kind == ANNOUNCEMENT:
        return _category(topic.category, announcement=True) if topic else _personal()
    if row.kind != NOTIFICATION:
        return _personal()
    notification = (
        db.session.get(Notification, row.notification_id) if row.notification_id else None
    )
    kind = notification.type if notification else None
    if kind is None or topic is None or kind in types.PERSONAL:
        return _personal()
    if kind == types.ANNOUNCED:
        return _category(topic.category, announcement=True)
    if kind == types.WATCHING_FIRST_POST:
        return _category(topic.category)
    if kind == types.POSTED:
        own = own_topic_level(row.user_id, topic.id)
        # Watching because they chose to watch the topic (or started it), or through its
        # category: turn off whichever it was.
        return _topic(topic) if own is not None else _category(topic.category)
    return _personal()  # a plugin's kind: sent to people who get notification e-mail


def find(key: str) -> OutgoingMail | None:
    """The message whose link carries ``key`` (a recipient is needed), or ``None``."""
    if not key or len(key) > 64 or not set(key) <= KEY_CHARACTERS:
        return None
    row = db.session.scalar(select(OutgoingMail).where(OutgoingMail.unsubscribe_key == key))
    if row is None or row.user_id is None:
        return None
    return row


def apply(row: OutgoingMail) -> Effect:
    """Turn off what ``row``'s link is about, for its recipient, in the current
    transaction, and record that the link was used."""
    effect = effect_of(row)
    user_id = row.user_id
    if effect.what == PERSONAL:
        store_options(user_id, email_personal=False)
    elif effect.what == LIST_MODE:
        store_options(user_id, mailing_list_mode="off")
    elif effect.what == SUMMARY_MAIL:
        store_options(user_id, summary_frequency="never")
    elif effect.what == TOPIC and effect.target_id is not None:
        if db.session.get(Topic, effect.target_id) is not None:
            store_topic_level(user_id, effect.target_id, NORMAL, reason="user_changed")
    elif effect.what == CATEGORY and effect.target_id is not None:
        if db.session.get(Category, effect.target_id) is not None:
            store_category_level(user_id, effect.target_id, NORMAL)
    row.unsubscribed_at = utcnow()
    return effect
