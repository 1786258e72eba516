"""After the response: tell the many.

A post's own transaction queued a :class:`NotificationEvent`; here, in a transaction of its
own, it becomes notifications for the watchers of the topic and category, the members of
mentioned groups and the category's first-post watchers, and e-mail for those who want it
(mailing-list copies, delayed notification mail, announcements). The event is claimed and
marked processed in that same transaction, so it is fanned out exactly once, and a crash
leaves it to be retried by the next request or by ``flask forum mail send``.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from sqlalchemy import and_, or_, select, update

from forum.accounts.models import Group, GroupMembership, User
from forum.categories.models import Category
from forum.database import begin_write, stored_json, utcnow
from forum.extensions import db
from forum.mail import queue as mail_queue
from forum.notifications import types
from forum.notifications.audience import can_see_category
from forum.notifications.models import (
    MUTED,
    WATCHING,
    WATCHING_FIRST_POST,
    CategoryUser,
    NotificationEvent,
    TopicUser,
)
from forum.notifications.service import (
    Recipient,
    create,
    email_settings,
    insert_notifications,
    post_message,
)
from forum.topics.models import Post, Topic

log = logging.getLogger(__name__)
#: Events fanned out per call (each in its own transaction).
BATCH = 20


def init_app(app: Flask) -> None:
    app.after_request(_fan_out_after_response)


def _fan_out_after_response(response):
    if g.pop("notifications_queued", False):
        app = current_app._get_current_object()

        def run():
            with app.app_context():
                process_pending()

        response.call_on_close(run)
    return response


def process_pending(limit: int = BATCH) -> int:
    """Fan out up to ``limit`` queued events, oldest first; returns how many were done."""
    done = 0
    try:
        ids = db.session.scalars(
            select(NotificationEvent.id)
            .where(NotificationEvent.processed_at.is_(None))
            .order_by(NotificationEvent.id)
            .limit(limit)
        ).all()
        db.session.commit()
        for event_id in ids:
            if _process_one(event_id):
                done += 1
    except Exception:
        db.session.rollback()
        log.exception("notifications: fanning out queued events failed; they stay queued")
    return done


def _process_one(event_id: int) -> bool:
    begin_write()
    claimed = db.session.execute(
        update(NotificationEvent)
        .where(NotificationEvent.id == event_id, NotificationEvent.processed_at.is_(None))
        .values(processed_at=utcnow())
    ).rowcount
    if not claimed:  # another process took it
        db.session.rollback()
        return False
    event = db.session.get(NotificationEvent, event_id)
    try:
        if event.kind in ("post_created", "post_edited"):
            _fan_out_post(event)
        elif event.kind == "topic_announced":
            _fan_out_announcement(event)
        else:
            log.warning("notifications: unknown event kind %r skipped", event.kind)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return True


def _fan_out_post(event: NotificationEvent) -> None:
    post = db.session.get(Post, event.post_id) if event.post_id else None
    if post is None or post.deleted_at is not None:
        return
    topic = post.topic
    if topic.deleted_at is not None:
        return
    category = topic.category
    data = stored_json(event.data)
    recipients: list[Recipient] = []
    watching: set[int] | None = None
    for name in data.get("groups", []):
        members = db.session.scalars(
            select(GroupMembership.user_id)
            .join(Group, Group.id == GroupMembership.group_id)
            .where(Group.name == name, Group.builtin.is_(False))
        )
        recipients.extend(Recipient(uid, types.GROUP_MENTIONED, {"group": name}) for uid in members)
    if event.kind == "post_created":
        if post.post_number == 1:
            recipients.extend(
                Recipient(uid, types.WATCHING_FIRST_POST)
                for uid in category_watchers(category, topic, (WATCHING_FIRST_POST,))
            )
        watching = watchers(category, topic)
        recipients.extend(Recipient(uid, types.POSTED) for uid in watching)
    allowed = reachable(category, topic, {r.user_id for r in recipients} - {event.actor_id})
    created = create(
        [r for r in recipients if r.user_id in allowed], post=post, actor_id=event.actor_id
    )
    _queue_mail(created, post, event.actor_id, category, topic, watching)


def watchers(category: Category, topic: Topic) -> set[int]:
    """Who watches ``topic``: by their own choice for it, or through its category."""
    own = set(
        db.session.scalars(
            select(TopicUser.user_id).where(
                TopicUser.topic_id == topic.id, TopicUser.notification_level == WATCHING
            )
        )
    )
    return own | category_watchers(category, topic, (WATCHING,))


def category_watchers(category: Category, topic: Topic, levels: tuple[int, ...]) -> set[int]:
    """People whose level for ``category`` is one of ``levels`` (chosen, or the category's
    default for those who chose nothing), leaving out those who chose a level for the
    topic itself."""
    chose_topic = select(TopicUser.user_id).where(
        TopicUser.topic_id == topic.id, TopicUser.notification_level.is_not(None)
    )
    found = set(
        db.session.scalars(
            select(CategoryUser.user_id).where(
                CategoryUser.category_id == category.id,
                CategoryUser.notification_level.in_(levels),
                CategoryUser.user_id.not_in(chose_topic),
            )
        )
    )
    if category.default_notification_level in levels:
        chose_category = select(CategoryUser.user_id).where(CategoryUser.category_id == category.id)
        found.update(
            db.session.scalars(
                select(User.id).where(
                    can_see_category(category),
                    User.id.not_in(chose_category),
                    User.id.not_in(chose_topic),
                )
            )
        )
    return found


def reachable(category: Category, topic: Topic, user_ids: set[int]) -> set[int]:
    """Those of ``user_ids`` who can see the topic and do not follow it at Muted (their own
    level for it, else for its category, else the category's default)."""
    if not user_ids:
        return set()
    muted_topic = select(TopicUser.user_id).where(
        TopicUser.topic_id == topic.id, TopicUser.notification_level == MUTED
    )
    chose_topic = select(TopicUser.user_id).where(
        TopicUser.topic_id == topic.id, TopicUser.notification_level.is_not(None)
    )
    if category.default_notification_level == MUTED:  # only a chosen level unmutes it
        category_unmuted = User.id.in_(
            select(CategoryUser.user_id).where(
                CategoryUser.category_id == category.id, CategoryUser.notification_level != MUTED
            )
        )
    else:
        category_unmuted = User.id.not_in(
            select(CategoryUser.user_id).where(
                CategoryUser.category_id == category.id, CategoryUser.notification_level == MUTED
            )
        )
    found: set[int] = set()
    ids = list(user_ids)
    for start in range(0, len(ids), 900):
        found.update(
            db.session.scalars(
                select(User.id).where(
                    User.id.in_(ids[start : start + 900]),
                    can_see_category(category),
                    User.id.not_in(muted_topic),
                    or_(category_unmuted, User.id.in_(chose_topic)),
                )
            )
        )
    return found


def _queue_mail(
    created: list, post: Post, actor_id, category: Category, topic: Topic, watching=None
) -> None:
    """Mailing-list readers get the whole post at once; everyone else who wants e-mail
    about notifications gets a notification mail after the usual delay (not if read).
    ``watching``: the topic's watchers, when the caller has them already."""
    settings = email_settings([user_id for _, user_id, _ in created] + [actor_id or 0])
    now_list, delayed = [], []
    for notification_id, user_id, kind in created:
        address, options = settings.get(user_id, (None, None))
        if not address:
            continue
        mode = options.mailing_list_mode if options else "off"
        personal = options.email_personal if options else True
        watched = kind in (types.POSTED, types.WATCHING_FIRST_POST)
        message = post_message(notification_id, user_id, address, post)
        if mode == "every_post" and watched:
            message.kind = mail_queue.MAILING_LIST
            now_list.append(message)
        elif mode == "daily" and watched:
            continue  # the daily digest carries it
        elif personal:
            delayed.append(message)
    actor = settings.get(actor_id)
    if actor and actor[1] and actor[1].mailing_list_mode == "every_post":
        if watching is None:  # not asked yet (an edit's fan-out)
            watching = watchers(category, topic)
        if actor[1].mailing_list_include_own and actor_id in watching:
            own = post_message(None, actor_id, actor[0], post)
            own.kind = mail_queue.MAILING_LIST
            now_list.append(own)
    mail_queue.enqueue(now_list)
    mail_queue.enqueue(delayed, delay_seconds=current_app.config["MAIL_PERSONAL_DELAY_SECONDS"])


def announcement_recipients(topic: Topic, announcer_id: int | None) -> set[int]:
    """Who an announcement of ``topic`` reaches: those watching its category (every post
    or first posts) or the topic itself, who can see it, other than the announcer."""
    category = topic.category
    ids = category_watchers(category, topic, (WATCHING, WATCHING_FIRST_POST))
    ids |= watchers(category, topic)
    return reachable(category, topic, ids - {announcer_id})


def _fan_out_announcement(event: NotificationEvent) -> None:
    topic = db.session.get(Topic, event.topic_id) if event.topic_id else None
    if topic is None or topic.deleted_at is not None:
        return
    first = db.session.scalar(
        select(Post).where(and_(Post.topic_id == topic.id, Post.post_number == 1))
    )
    allowed = announcement_recipients(topic, event.actor_id)
    rows = [
        {
            "user_id": user_id,
            "type": types.ANNOUNCED,
            "topic_id": topic.id,
            "post_id": first.id if first else None,
            "post_number": 1,
            "actor_id": event.actor_id,
            "data": "{}",
            "dedupe_key": f"announce:{topic.id}",
            "read": False,
            "created_at": utcnow(),
        }
        for user_id in sorted(allowed)
    ]
    created = insert_notifications(rows)
    settings = email_settings([user_id for _, user_id, _ in created])
    mail_queue.enqueue(
        [
            mail_queue.Message(
                user_id=user_id,
                to_address=settings[user_id][0],
                kind=mail_queue.ANNOUNCEMENT,
                dedupe_key=f"announce:{topic.id}:{user_id}",
                notification_id=notification_id,
                post_id=first.id if first else None,
                topic_id=topic.id,
            )
            for notification_id, user_id, _ in created
            if user_id in settings
        ]
    )
