"""The kinds of notification, and how each describes itself to its recipient.

The core's kinds carry Discourse's numeric codes in JSON; a plugin's kinds (registered with
the ``register_notification_types`` hook) are sent as Discourse's ``custom`` (14) with their
key in ``notification_type_name``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from forum.accounts.models import User
from forum.database import stored_json
from forum.extensions import db
from forum.hooktypes import NotificationType
from forum.notifications.models import Notification
from forum.plugin_system import current_plugins
from forum.topics.models import Topic

MENTIONED = "mentioned"
REPLIED = "replied"
QUOTED = "quoted"
POSTED = "posted"
GROUP_MENTIONED = "group_mentioned"
WATCHING_FIRST_POST = "watching_first_post"
ANNOUNCED = "announced"

#: The core's kinds, most specific first: when one post gives a person several reasons to
#: be told, they get one notification, of the first kind here that applies.
CORE_TYPES = (
    NotificationType(REPLIED, "Replies to your posts"),
    NotificationType(QUOTED, "Quotes of your posts"),
    NotificationType(MENTIONED, "Mentions of you"),
    NotificationType(GROUP_MENTIONED, "Mentions of your groups"),
    NotificationType(ANNOUNCED, "Announcements"),
    NotificationType(WATCHING_FIRST_POST, "New topics in categories you watch"),
    NotificationType(POSTED, "New posts in what you watch"),
)
#: Discourse's ``notification_type`` numbers.
DISCOURSE_CODES = {
    MENTIONED: 1,
    REPLIED: 2,
    QUOTED: 3,
    POSTED: 9,
    GROUP_MENTIONED: 15,
    WATCHING_FIRST_POST: 17,
    ANNOUNCED: 9,
}
CUSTOM_CODE = 14
#: Kinds that are about the reader personally (their post, their name).
PERSONAL = frozenset({REPLIED, QUOTED, MENTIONED, GROUP_MENTIONED})

_PHRASES = {
    REPLIED: "{actor} replied to your post in “{title}”",
    QUOTED: "{actor} quoted your post in “{title}”",
    MENTIONED: "{actor} mentioned you in “{title}”",
    GROUP_MENTIONED: "{actor} mentioned {group} in “{title}”",
    POSTED: "{actor} posted in “{title}”",
    WATCHING_FIRST_POST: "{actor} started “{title}”",
    ANNOUNCED: "Announcement: “{title}”",
}


@dataclass(frozen=True)
class Described:
    """What a notification says to its recipient, and where it leads (a path)."""

    text: str
    url: str
    topic_title: str = ""
    actor: User | None = None


def notification_type(key: str) -> NotificationType | None:
    return current_plugins().notification_types.get(key)


def discourse_code(key: str) -> int:
    return DISCOURSE_CODES.get(key, CUSTOM_CODE)


def data_of(notification: Notification) -> dict:
    return stored_json(notification.data)


def describe_many(notifications: list[Notification]) -> dict[int, Described]:
    """``{notification id: Described}``, with two queries for the lot (topics, actors)."""
    topic_ids = {n.topic_id for n in notifications if n.topic_id}
    actor_ids = {n.actor_id for n in notifications if n.actor_id}
    topics = (
        {t.id: t for t in db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))}
        if topic_ids
        else {}
    )
    actors = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
        if actor_ids
        else {}
    )
    return {
        n.id: _describe(n, topics.get(n.topic_id), actors.get(n.actor_id)) for n in notifications
    }


def describe(notification: Notification) -> Described:
    """What one notification says (see :func:`describe_many` for lists)."""
    return describe_many([notification])[notification.id]


def _describe(n: Notification, topic: Topic | None, actor: User | None) -> Described:
    data = data_of(n)
    phrase = _PHRASES.get(n.type)
    if phrase is None:  # a plugin's kind: its own words and link
        url = str(data.get("url") or "/notifications")
        if not url.startswith("/") or url.startswith("//"):
            url = "/notifications"
        return Described(str(data.get("message") or "You have a notification."), url, actor=actor)
    title = topic.title if topic else "a topic"
    text = phrase.format(
        actor=actor.display_name if actor else "Someone",
        title=title,
        group="@" + str(data.get("group", "your group")),
    )
    if topic is None:
        url = "/notifications"
    elif n.post_number and n.post_number > 1:
        url = f"/t/{topic.slug}/{topic.id}/{n.post_number}"
    else:
        url = f"/t/{topic.slug}/{topic.id}"
    return Described(text, url, topic_title=title, actor=actor)
