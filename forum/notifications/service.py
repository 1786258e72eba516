"""Creating notifications, inside the transaction of the write they tell of.

A post tells the people it answers, quotes and mentions at once (a handful of rows); the
rest — watchers of its topic and category, members of mentioned groups, mailing-list
readers — may be thousands, so the post only queues a :class:`NotificationEvent` for
:mod:`forum.notifications.fanout` to work through after the response. Each person gets one
notification per post (``dedupe_key``), of the most specific kind, and one e-mail at most.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from flask import current_app, g
from sqlalchemy import and_, func, or_, select, tuple_, update

from forum.accounts.models import User
from forum.database import upsert_insert, utcnow
from forum.errors import InvalidAccess, NotFound, ValidationFailed
from forum.extensions import db
from forum.mail import queue as mail_queue
from forum.notifications import types
from forum.notifications.levels import MUTED, follow_after_posting
from forum.notifications.models import (
    CategoryUser,
    Notification,
    NotificationEvent,
    TopicUser,
    UserOption,
)
from forum.permissions import can, visible_category_ids
from forum.topics.models import Post, Topic

_USER_MENTION = re.compile(r'<a class="mention" href="/u/([^"/?#]+)"')
_GROUP_MENTION = re.compile(r'<span class="mention-group">@([^<]+)</span>')
_QUOTE = re.compile(r"<aside class=\"quote\"[^>]*>")
_QUOTE_POST = re.compile(r'data-post="(\d+)"')
_QUOTE_TOPIC = re.compile(r'data-topic="(\d+)"')
#: At most this many people are notified of one post's @mentions (Discourse: 10).
MAX_MENTIONS = 10


@dataclass
class Recipient:
    user_id: int
    type: str
    data: dict = field(default_factory=dict)


def post_key(post_id: int) -> str:
    return f"post:{post_id}"


def mentions_in(cooked: str) -> tuple[list[str], list[str]]:
    """The usernames and group names a post's cooked HTML mentions, in order, once each."""
    users = list(dict.fromkeys(m.lower() for m in _USER_MENTION.findall(cooked)))
    groups = list(dict.fromkeys(m.lower() for m in _GROUP_MENTION.findall(cooked)))
    return users, groups


def quotes_in(cooked: str) -> list[tuple[int, int]]:
    """``(topic id, post number)`` of each post a post's ``[quote]`` blocks cite."""
    found = []
    for tag in _QUOTE.findall(cooked):
        post, topic = _QUOTE_POST.search(tag), _QUOTE_TOPIC.search(tag)
        if post and topic and len(post.group(1)) < 10 and len(topic.group(1)) < 15:
            found.append((int(topic.group(1)), int(post.group(1))))
    return list(dict.fromkeys(found))


def alert_post(post: Post, actor: User, *, edited: bool = False) -> None:
    """Tell the people ``post`` replies to, quotes and mentions; queue the fan-out."""
    topic = post.topic
    if not edited:
        follow_after_posting(actor.id, topic.id, post.post_number, topic.category)
    usernames, groups = mentions_in(post.cooked)
    recipients = _direct_recipients(post, usernames)
    recipients = [r for r in recipients if r.user_id != actor.id]
    if recipients:
        allowed = _who_may_know(topic, [r.user_id for r in recipients])
        created = create(
            [r for r in recipients if r.user_id in allowed], post=post, actor_id=actor.id
        )
        queue_personal_mail(created, post=post)
    if not edited or groups:
        db.session.add(
            NotificationEvent(
                kind="post_edited" if edited else "post_created",
                post_id=post.id,
                topic_id=topic.id,
                actor_id=actor.id,
                data=json.dumps({"groups": groups[:MAX_MENTIONS]}),
            )
        )
        g.notifications_queued = True


def _direct_recipients(post: Post, usernames: list[str]) -> list[Recipient]:
    """Who ``post`` answers, quotes and mentions, most specific reason first."""
    found: list[Recipient] = []
    if post.reply_to_post_number:
        author = db.session.scalar(
            select(Post.user_id).where(
                Post.topic_id == post.topic_id, Post.post_number == post.reply_to_post_number
            )
        )
        if author is not None:
            found.append(Recipient(author, types.REPLIED))
    quoted = quotes_in(post.cooked)[:MAX_MENTIONS]
    if quoted:
        rows = db.session.execute(
            select(Post.user_id, Post.topic_id, Post.post_number).where(
                tuple_(Post.topic_id, Post.post_number).in_(quoted)
            )
        )
        for user_id, topic_id, number in rows:
            if topic_id == post.topic_id and number == post.post_number:
                continue
            found.append(Recipient(user_id, types.QUOTED, {"quoted_post_number": number}))
    if usernames:
        ids = db.session.scalars(
            select(User.id).where(User.username_lower.in_(usernames[:MAX_MENTIONS]))
        )
        found.extend(Recipient(user_id, types.MENTIONED) for user_id in ids)
    return found


def _who_may_know(topic: Topic, user_ids: list[int]) -> set[int]:
    """Those of ``user_ids`` who are active, can see ``topic`` and do not follow it at Muted
    (their own level for it, else for its category, else the category's default): a
    handful of people, so ``can`` is asked for each."""
    users = db.session.scalars(
        select(User).where(User.id.in_(set(user_ids)), User.status == "active")
    ).all()
    own = dict(
        db.session.execute(
            select(TopicUser.user_id, TopicUser.notification_level).where(
                TopicUser.topic_id == topic.id,
                TopicUser.user_id.in_(user_ids),
                TopicUser.notification_level.is_not(None),
            )
        ).all()
    )
    by_category = dict(
        db.session.execute(
            select(CategoryUser.user_id, CategoryUser.notification_level).where(
                CategoryUser.category_id == topic.category_id, CategoryUser.user_id.in_(user_ids)
            )
        ).all()
    )
    default = topic.category.default_notification_level
    return {
        u.id
        for u in users
        if own.get(u.id, by_category.get(u.id, default)) != MUTED and can(u, "topic.see", topic)
    }


def create(recipients: list[Recipient], *, post: Post | None, actor_id: int | None) -> list:
    """Insert one notification per recipient about ``post`` (the first reason given for a
    person wins; one already made for this post is kept). Returns ``[(id, user_id, type)]``
    of those created."""
    if not recipients:
        return []
    seen: set[int] = set()
    rows = []
    for r in recipients:
        if r.user_id in seen:
            continue
        seen.add(r.user_id)
        rows.append(
            {
                "user_id": r.user_id,
                "type": r.type,
                "topic_id": post.topic_id if post else None,
                "post_id": post.id if post else None,
                "post_number": post.post_number if post else None,
                "actor_id": actor_id,
                "data": json.dumps(r.data),
                "dedupe_key": post_key(post.id),
                "read": False,
                "created_at": post.created_at if post else utcnow(),
            }
        )
    return insert_notifications(rows)


def insert_notifications(rows: list[dict]) -> list:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: ``[(id, user_id, type)]`` of the rows
    inserted."""
    if not rows:
        return []
    table = Notification.__table__
    statement = (
        upsert_insert(table)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(table.c.id, table.c.user_id, table.c.type, sort_by_parameter_order=True)
    )
    # Many parameter sets, one compiled statement (batched into multi-row INSERTs).
    return [tuple(row) for row in db.session.execute(statement, rows).all()]


def email_settings(user_ids) -> dict[int, tuple[str, UserOption | None]]:
    """``{user id: (address, options or None)}`` for active users among ``user_ids``."""
    rows = db.session.execute(
        select(User.id, User.email, UserOption)
        .outerjoin(UserOption, UserOption.user_id == User.id)
        .where(User.id.in_(set(user_ids)), User.status == "active")
    )
    return {user_id: (email, options) for user_id, email, options in rows}


def post_message(notification_id: int | None, user_id: int, address: str, post: Post):
    """The e-mail telling one person of a notification about ``post`` (one per person and
    post, whatever the reason: see :func:`forum.mail.queue.post_key`)."""
    return mail_queue.Message(
        user_id=user_id,
        to_address=address,
        kind=mail_queue.NOTIFICATION,
        dedupe_key=mail_queue.post_key(post.id, user_id),
        notification_id=notification_id,
        post_id=post.id,
        topic_id=post.topic_id,
    )


def queue_personal_mail(created: list, *, post: Post) -> None:
    """Queue the e-mail of each new notification whose recipient wants them: sent after
    ``MAIL_PERSONAL_DELAY_SECONDS``, and not at all if read on the site meanwhile."""
    if not created:
        return
    settings = email_settings(user_id for _, user_id, _ in created)
    messages = []
    for notification_id, user_id, _kind in created:
        address, options = settings.get(user_id, (None, None))
        if address and (options is None or options.email_personal):
            messages.append(post_message(notification_id, user_id, address, post))
    mail_queue.enqueue(messages, delay_seconds=current_app.config["MAIL_PERSONAL_DELAY_SECONDS"])


def notify(
    user_id: int,
    type_key: str,
    *,
    message: str,
    url: str,
    dedupe_key: str,
    actor_id: int | None = None,
    topic_id: int | None = None,
    email: bool = True,
) -> int | None:
    """Notify one person of a plugin's event, in the caller's transaction.

    ``type_key`` must be registered (``register_notification_types``). ``message`` and
    ``url`` (a path on this site) are shown to the recipient only. ``dedupe_key`` (in the
    plugin's namespace: ``mentoring.request:12:accepted``) makes a repeat of the same event
    a no-op. E-mails the person too when the type allows it, ``email`` is true and they
    get e-mail about notifications. Returns the new notification's id, or ``None``.
    """
    kind = types.notification_type(type_key)
    if kind is None:
        raise ValueError(f"unknown notification type {type_key!r}")
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("url must be a path on this site, such as /mentoring/requests/3")
    created = insert_notifications(
        [
            {
                "user_id": user_id,
                "type": type_key,
                "topic_id": topic_id,
                "post_id": None,
                "post_number": None,
                "actor_id": actor_id,
                "data": json.dumps({"message": message[:500], "url": url}),
                "dedupe_key": dedupe_key[:160],
                "read": False,
                "created_at": utcnow(),
            }
        ]
    )
    if not created:
        return None
    notification_id = created[0][0]
    if email and kind.email:
        address, options = email_settings([user_id]).get(user_id, (None, None))
        if address and (options is None or options.email_personal):
            mail_queue.enqueue(
                [
                    mail_queue.Message(
                        user_id=user_id,
                        to_address=address,
                        kind=mail_queue.NOTIFICATION,
                        dedupe_key=f"n:{notification_id}",
                        notification_id=notification_id,
                        topic_id=topic_id,
                    )
                ]
            )
    return notification_id


def unread_count(user) -> int:
    """The bell's number: unread notifications (one indexed count)."""
    if not user.is_authenticated:
        return 0
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read.is_(False))
    )


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications read (or all of them); returns how many."""
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read.is_(False)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    statement = statement.values(read=True).execution_options(forum_untracked=True)
    count = db.session.execute(statement).rowcount
    db.session.commit()
    return count


def mark_topic_read(user_id: int, topic_id: int, up_to_post_number: int) -> None:
    """Reading a topic up to a post reads its notifications about posts up to there (the
    reading tracker calls this in its own write; the caller commits)."""
    db.session.execute(
        update(Notification)
        .where(
            and_(
                Notification.user_id == user_id,
                Notification.topic_id == topic_id,
                Notification.read.is_(False),
                Notification.post_number <= up_to_post_number,
            )
        )
        .values(read=True)
        # What a member has read changes no page a visitor is served from cache.
        .execution_options(forum_untracked=True)
    )


@dataclass
class NotificationPage:
    notifications: list[Notification]
    described: dict[int, types.Described]
    page: int
    per_page: int
    has_more: bool
    total: int


def notifications_for(user, *, page: int = 0, per_page: int | None = None) -> NotificationPage:
    """``user``'s notifications, newest first, leaving out any about a topic they can no
    longer see (moved to a private category, deleted): four queries for the page."""
    per_page = per_page or current_app.config["NOTIFICATIONS_PER_PAGE"]
    visible = visible_category_ids(user)
    shown = or_(
        Notification.topic_id.is_(None),
        Notification.topic_id.in_(
            select(Topic.id).where(
                Topic.id == Notification.topic_id,
                Topic.category_id.in_(visible),
                Topic.deleted_at.is_(None),
            )
        ),
    )
    base = select(Notification).where(Notification.user_id == user.id, shown)
    rows = db.session.scalars(
        base.order_by(Notification.id.desc()).offset(page * per_page).limit(per_page + 1)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    shown_rows = list(rows[:per_page])
    return NotificationPage(
        shown_rows,
        types.describe_many(shown_rows),
        page,
        per_page,
        len(rows) > per_page,
        total,
    )


def own_notification(user, notification_id) -> Notification:
    """One of ``user``'s notifications; anyone else's (or none) is 404."""
    notification = (
        db.session.get(Notification, notification_id)
        if isinstance(notification_id, int) and 0 < notification_id < 2**31
        else None
    )
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    return notification


def announce(user, topic: Topic | None) -> None:
    """E-mail ``topic`` at once to its category's watchers (LMCs' "hot topic" e-mails).
    Moderators only, once per topic."""
    if topic is None or not can(user, "topic.see", topic):
        raise NotFound()
    if not (user.is_authenticated and user.is_active and can(user, "topic.announce", topic)):
        raise InvalidAccess("Only moderators can send announcements.")
    if topic.announced_at is not None:
        raise ValidationFailed(
            f"This topic was already announced on {topic.announced_at:%d %B %Y at %H:%M} UTC; "
            "an announcement is e-mailed once."
        )
    changed = db.session.execute(
        update(Topic)
        .where(Topic.id == topic.id, Topic.announced_at.is_(None))
        .values(announced_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:  # another moderator was quicker
        db.session.rollback()
        raise ValidationFailed("This topic has just been announced by someone else.")
    db.session.add(NotificationEvent(kind="topic_announced", topic_id=topic.id, actor_id=user.id))
    g.notifications_queued = True
    db.session.commit()


def unreachable_mentions(post: Post) -> list[str]:
    """The people ``post`` mentions who cannot see its topic, so were not told (the
    composer warns before posting; the page says so after)."""
    usernames, _ = mentions_in(post.cooked)
    if not usernames:
        return []
    people = db.session.scalars(
        select(User).where(User.username_lower.in_(usernames[:MAX_MENTIONS]))
    ).all()
    return [p.username for p in people if not can(p, "topic.see", post.topic)]
