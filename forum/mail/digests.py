"""The daily digest (mailing-list mode ``daily``) and the summary of popular topics.

:func:`enqueue_due` runs at the start of every ``flask forum mail send``:

* **Digest**: people in mailing-list mode ``daily`` whose last digest is 24 hours old (or
  who never had one) get every post since then in the topics and categories they watch
  (their own left out unless ``mailing_list_include_own``), in topics they can see. With
  nothing to say no mail is queued, but the clock still moves on.
* **Summary**: people with ``summary_frequency`` ``daily`` or ``weekly`` get, once a day or
  week, whether they visited or not (Discourse only mails it to people who stay away), the
  ten topics with the most posts in that period (then the most viewed) among those they can
  see and have not muted, each with its opening lines.

Each person's mail is queued and their ``last_digest_at``/``last_summary_at`` moved in one
transaction; the dedupe keys (``digest:{user}:{date}``, ``summary:{user}:{date}``) make a
second sender running at the same moment harmless. Both are composed at send time from the
ids kept in the row's ``data``, leaving out what was deleted or hidden since.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from forum.accounts.models import User
from forum.extensions import db
from forum.mail import queue
from forum.mail.compose import (
    Composed,
    Recipient,
    Skip,
    absolute,
    absolutize_html,
    build,
    row_data,
    row_message_id,
    site_subject,
    topic_path,
)
from forum.mail.models import OutgoingMail
from forum.notifications.levels import LevelJoin
from forum.notifications.models import (
    MUTED,
    WATCHING,
    WATCHING_FIRST_POST,
    UserOption,
)
from forum.permissions import can, category_levels
from forum.search.documents import html_to_text
from forum.topics.models import Post, Topic

DAY = timedelta(days=1)
SUMMARY_PERIODS = {"daily": DAY, "weekly": timedelta(days=7)}
#: A digest after a long pause covers at most this far back.
MAX_DIGEST_SPAN = timedelta(days=7)
#: Posts in one digest (the rest are on the site).
MAX_DIGEST_POSTS = 200
SUMMARY_TOPICS = 10
EXCERPT_LENGTH = 300

# -- Choosing what goes in ------------------------------------------------------------------


def digest_post_ids(user: User, since: datetime, until: datetime, include_own: bool) -> list[int]:
    """Posts of ``(since, until]`` in what ``user`` watches and can see, oldest first."""
    visible = list(category_levels(user))
    if not visible:
        return []
    levels = LevelJoin.new()
    query = levels.apply(
        select(Post.id, Post.topic_id).join(Topic, Topic.id == Post.topic_id), user.id
    )
    query = query.where(
        Post.created_at > since,
        Post.created_at <= until,
        Post.deleted_at.is_(None),
        Topic.deleted_at.is_(None),
        Topic.category_id.in_(visible),
        or_(
            levels.level == WATCHING,
            # A new topic in a category watched for first posts.
            and_(
                Post.post_number == 1,
                levels.topic_user.notification_level.is_(None),
                levels.category_level == WATCHING_FIRST_POST,
            ),
        ),
    )
    if not include_own:
        query = query.where(Post.user_id != user.id)
    rows = db.session.execute(query.order_by(Post.id).limit(MAX_DIGEST_POSTS)).all()
    allowed = _visible_topics(user, {topic_id for _, topic_id in rows})
    return [post_id for post_id, topic_id in rows if topic_id in allowed]


def _visible_topics(user: User, topic_ids) -> set[int]:
    """Those of ``topic_ids`` that ``user`` may see (plugins may hide more than categories)."""
    if not topic_ids:
        return set()
    topics = db.session.scalars(select(Topic).where(Topic.id.in_(list(topic_ids))))
    return {t.id for t in topics if t.deleted_at is None and can(user, "topic.see", t)}


def hot_topics(user: User, since: datetime, until: datetime) -> list[tuple[int, int]]:
    """``[(topic id, posts in the period)]``: the most active topics ``user`` can see and
    has not muted, most posts first, then most viewed."""
    visible = list(category_levels(user))
    if not visible:
        return []
    levels = LevelJoin.new()
    posts = func.count(Post.id).label("posts")
    query = levels.apply(select(Topic.id, posts).join(Post, Post.topic_id == Topic.id), user.id)
    rows = db.session.execute(
        query.where(
            Post.created_at > since,
            Post.created_at <= until,
            Post.deleted_at.is_(None),
            Topic.deleted_at.is_(None),
            Topic.category_id.in_(visible),
            levels.level != MUTED,
        )
        .group_by(Topic.id, Topic.views)
        .order_by(posts.desc(), Topic.views.desc(), Topic.id.desc())
        .limit(SUMMARY_TOPICS * 2)
    ).all()
    allowed = _visible_topics(user, {topic_id for topic_id, _ in rows})
    return [(topic_id, count) for topic_id, count in rows if topic_id in allowed][:SUMMARY_TOPICS]


# -- Queueing -------------------------------------------------------------------------------


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _enqueue_digests(now: datetime) -> int:
    due = db.session.execute(
        select(UserOption.user_id, UserOption.last_digest_at, UserOption.mailing_list_include_own)
        .join(User, User.id == UserOption.user_id)
        .where(
            UserOption.mailing_list_mode == "daily",
            User.status == "active",
            or_(UserOption.last_digest_at.is_(None), UserOption.last_digest_at <= now - DAY),
        )
        .order_by(UserOption.user_id)
    ).all()
    queued = 0
    for user_id, last, include_own in due:
        user = db.session.get(User, user_id)
        since = max(last or now - DAY, now - MAX_DIGEST_SPAN)
        post_ids = digest_post_ids(user, since, now, include_own)
        if post_ids:
            queue.enqueue(
                [
                    queue.Message(
                        user_id=user.id,
                        to_address=user.email,
                        kind=queue.DIGEST,
                        dedupe_key=f"digest:{user.id}:{now.date().isoformat()}",
                        data={"since": _iso(since), "until": _iso(now), "post_ids": post_ids},
                        send_after=now,
                    )
                ]
            )
            queued += 1  # (or found queued already by another sender, today)
        db.session.execute(
            update(UserOption)
            .where(UserOption.user_id == user.id)
            .values(last_digest_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return queued


def _enqueue_summaries(now: datetime) -> int:
    due = db.session.execute(
        select(UserOption.user_id, UserOption.summary_frequency)
        .join(User, User.id == UserOption.user_id)
        .where(
            User.status == "active",
            or_(
                *(
                    and_(
                        UserOption.summary_frequency == frequency,
                        or_(
                            UserOption.last_summary_at.is_(None),
                            UserOption.last_summary_at <= now - period,
                        ),
                    )
                    for frequency, period in SUMMARY_PERIODS.items()
                )
            ),
        )
        .order_by(UserOption.user_id)
    ).all()
    queued = 0
    for user_id, frequency in due:
        user = db.session.get(User, user_id)
        since = now - SUMMARY_PERIODS[frequency]
        topics = hot_topics(user, since, now)
        if topics:
            queue.enqueue(
                [
                    queue.Message(
                        user_id=user.id,
                        to_address=user.email,
                        kind=queue.SUMMARY,
                        dedupe_key=f"summary:{user.id}:{now.date().isoformat()}",
                        data={
                            "since": _iso(since),
                            "until": _iso(now),
                            "frequency": frequency,
                            "topics": [[topic_id, count] for topic_id, count in topics],
                        },
                        send_after=now,
                    )
                ]
            )
            queued += 1
        db.session.execute(
            update(UserOption)
            .where(UserOption.user_id == user.id)
            .values(last_summary_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return queued


def enqueue_due(now: datetime | None = None) -> int:
    """Queue the digests and summaries that are due; returns how many were queued."""
    from forum.database import utcnow

    now = now or utcnow()
    return _enqueue_digests(now) + _enqueue_summaries(now)


# -- Composing ------------------------------------------------------------------------------


def _ids(values) -> list[int]:
    if not isinstance(values, list):
        return []
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def compose_digest(row: OutgoingMail, recipient: Recipient) -> Composed:
    if recipient.mailing_list_mode != "daily":
        raise Skip("the recipient turned off the daily digest")
    user = recipient.user
    post_ids = _ids(row_data(row).get("post_ids"))
    posts = (
        db.session.scalars(
            select(Post)
            .join(Topic, Topic.id == Post.topic_id)
            .where(Post.id.in_(post_ids), Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
            .order_by(Post.id)
        ).all()
        if post_ids
        else []
    )
    allowed = _visible_topics(user, {p.topic_id for p in posts})
    posts = [p for p in posts if p.topic_id in allowed]
    if not posts:
        raise Skip("nothing left to send: the posts were deleted or can no longer be seen")
    groups: dict[int, dict] = {}
    for post in posts:
        topic = post.topic
        group = groups.get(topic.id)
        if group is None:
            group = groups[topic.id] = {
                "topic": topic,
                "category": topic.category,
                "url": absolute(topic_path(topic)),
                "posts": [],
            }
        group["posts"].append(
            {
                "post": post,
                "author": post.user,
                "url": absolute(topic_path(topic, post.post_number)),
                "cooked": absolutize_html(post.cooked),
                "raw": post.raw,
            }
        )
    summary = f"{_plural(len(posts), 'new post')} in {_plural(len(groups), 'topic')}"
    return build(
        row,
        recipient,
        subject=site_subject(f"Daily digest: {summary}"),
        template="digest",
        context={"groups": list(groups.values()), "summary": summary},
        message_id=row_message_id(row),
        list_id=("digest", "Daily digest"),
    )


def compose_summary(row: OutgoingMail, recipient: Recipient) -> Composed:
    data = row_data(row)
    frequency = data.get("frequency")
    options = recipient.options
    if options is None or options.summary_frequency not in SUMMARY_PERIODS:
        raise Skip("the recipient turned off the summary")
    counts = Counter()
    for entry in data.get("topics") or []:
        if isinstance(entry, list) and len(entry) == 2:
            topic_id, count = _ids(entry[:1]), entry[1]
            if topic_id and isinstance(count, int):
                counts[topic_id[0]] = count
    user = recipient.user
    allowed = _visible_topics(user, set(counts))
    topics = {t.id: t for t in db.session.scalars(select(Topic).where(Topic.id.in_(list(allowed))))}
    first_posts = {
        p.topic_id: p
        for p in db.session.scalars(
            select(Post).where(Post.topic_id.in_(list(allowed)), Post.post_number == 1)
        )
    }
    entries = []
    for topic_id, count in counts.items():  # in the order they were ranked
        topic = topics.get(topic_id)
        if topic is None:
            continue
        first = first_posts.get(topic_id)
        excerpt = ""
        if first is not None and first.deleted_at is None:
            excerpt = html_to_text(first.cooked)
            if len(excerpt) > EXCERPT_LENGTH:
                excerpt = excerpt[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"
        entries.append(
            {
                "topic": topic,
                "category": topic.category,
                "url": absolute(topic_path(topic)),
                "new_posts": count,
                "replies": topic.reply_count,
                "author": topic.user,
                "excerpt": excerpt,
            }
        )
    if not entries:
        raise Skip("nothing left to send: the topics were deleted or can no longer be seen")
    period = "week" if frequency == "weekly" else "day"
    label = "weekly" if frequency == "weekly" else "daily"
    return build(
        row,
        recipient,
        subject=site_subject(f"Your {label} summary: {_plural(len(entries), 'popular topic')}"),
        template="summary",
        context={"entries": entries, "period": period, "label": label},
        message_id=row_message_id(row),
        list_id=("summary", f"{label.title()} summary"),
    )
