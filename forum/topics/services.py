"""The only write path for topics and posts: HTML views and the JSON API both call these.

Each function checks permission, validates, writes, keeps the stored counters right and
commits. Counters are moved with single UPDATE statements so concurrent writers never lose
an increment. Lifecycle hooks (``topic_created``, ``post_created``, ``post_edited``,
``post_deleted``, ``post_restored``) are fired here and only here, after the flush and
before the commit: a plugin's rows commit with the post, and a plugin that raises rolls the
whole write back (:func:`_commit_after`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import select, update

from forum.accounts.models import Group, User
from forum.attachments import services as attachments
from forum.categories.models import Category
from forum.database import utcnow
from forum.errors import ForumError, InvalidAccess, NotFound, NotLoggedIn, ValidationFailed
from forum.extensions import db
from forum.permissions import can
from forum.plugin_system import PluginFailed, fire
from forum.rendering import cook
from forum.rendering.markdown import MentionedGroup
from forum.search import changed as search_changed
from forum.search.documents import POST_KIND, topic_changed
from forum.topics.models import Post, PostRevision, Topic
from forum.topics.slugs import slugify
from forum.topics.view_counter import count_view
from forum.validation import check_length, clean_text

TOPIC_FLAGS = ("pinned", "closed", "archived")
log = logging.getLogger(__name__)


def lookup_mentions(candidates: set[str]) -> dict:
    """``{lower name: username}`` for the mentioned names that belong to active users, and
    ``{name: MentionedGroup}`` for groups (other than the built-in ones) a user does not
    share a name with."""
    rows = db.session.execute(
        select(User.username_lower, User.username).where(
            User.username_lower.in_(candidates), User.status == "active"
        )
    )
    found: dict = dict(rows.all())
    others = candidates - set(found)
    if others:  # only names that are not people can be groups
        groups = db.session.scalars(
            select(Group.name).where(Group.name.in_(others), Group.builtin.is_(False))
        )
        found.update({name: MentionedGroup(name) for name in groups})
    return found


def _cook(raw: str):
    return cook(raw, lookup_mentions)


class PluginWriteFailed(ForumError):
    """A plugin failed inside a write; the write was rolled back."""

    status = 500
    title = "Nothing was saved"

    def __init__(self, failure: PluginFailed):
        super().__init__(
            f"The {failure.plugin} plugin failed while saving this, so nothing was saved. "
            "The error has been logged; please try again later or tell an administrator."
        )


def _commit_after(*events: tuple[str, dict]) -> None:
    """Fire lifecycle hooks inside the transaction, then commit; roll everything back if a
    plugin fails (its :class:`~forum.errors.ForumError` reaches the user as it is)."""
    try:
        for hook, kwargs in events:
            fire(hook, **kwargs)
    except PluginFailed as failure:
        db.session.rollback()
        log.error("write rolled back: %s", failure, exc_info=failure.error)
        raise PluginWriteFailed(failure) from failure
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _require_writer(user) -> None:
    if not user.is_authenticated:
        raise NotLoggedIn()
    if not user.is_active:
        if user.status == "suspended":
            raise InvalidAccess("Your account is suspended, so you cannot post.")
        raise InvalidAccess("Your account is waiting for approval, so you cannot post yet.")


def clean_title(title) -> str:
    title = clean_text(title, "title", multiline=False).strip()
    cfg = current_app.config
    check_length(title, "Title", cfg["MIN_TITLE_LENGTH"], cfg["MAX_TITLE_LENGTH"])
    return title


def clean_body(raw) -> str:
    raw = clean_text(raw, "raw")
    check_length(raw.strip(), "Body", None, current_app.config["MAX_POST_LENGTH"])
    return raw


def _check_not_duplicate(user, raw: str) -> None:
    window = timedelta(seconds=current_app.config["DUPLICATE_POST_WINDOW_SECONDS"])
    recent = db.session.scalar(
        select(Post.id)
        .where(
            Post.user_id == user.id,
            Post.created_at >= utcnow() - window,
            Post.raw == raw,
            Post.deleted_at.is_(None),
        )
        .limit(1)
    )
    if recent is not None:
        raise ValidationFailed("Body is too similar to what you recently posted")


def _bump_counters(user_id: int, category_id: int, *, posts: int, topics: int = 0, now=None):
    values = {"post_count": Category.post_count + posts}
    if topics:
        values["topic_count"] = Category.topic_count + topics
    db.session.execute(update(Category).where(Category.id == category_id).values(**values))
    user_values = {"post_count": User.post_count + posts}
    if topics:
        user_values["topic_count"] = User.topic_count + topics
    if now is not None:
        user_values["last_posted_at"] = now
    db.session.execute(update(User).where(User.id == user_id).values(**user_values))


def create_topic(
    user,
    *,
    title,
    raw,
    category: Category | None,
    attach: list[tuple[str, str]] = (),
    form: Mapping[str, str] | None = None,
) -> Post:
    """Start a topic in ``category`` with ``raw`` as its first post.

    ``attach``: ``(attachment type key, reference)`` pairs to attach to the first post.
    ``form``: every submitted field, handed to the ``topic_created`` hook (plugins' composer
    extras)."""
    _require_writer(user)
    if category is None or not can(user, "category.see", category):
        raise NotFound()
    if not can(user, "category.create_topic", category):
        raise InvalidAccess("You are not allowed to start topics in that category.")
    title, raw = clean_title(title), clean_body(raw)
    _check_not_duplicate(user, raw)
    checked = attachments.check(user, category, list(attach))
    cooked = _cook(raw)
    now = utcnow()
    topic = Topic(
        title=title,
        slug=slugify(title),
        category_id=category.id,
        user_id=user.id,
        created_at=now,
        bumped_at=now,
        last_posted_at=now,
        last_post_user_id=user.id,
        posts_count=1,
        highest_post_number=1,
    )
    db.session.add(topic)
    db.session.flush()
    post = Post(
        topic_id=topic.id,
        post_number=1,
        user_id=user.id,
        raw=raw,
        cooked=cooked.html,
        cooked_version=cooked.version,
        created_at=now,
        updated_at=now,
    )
    db.session.add(post)
    db.session.flush()
    _bump_counters(user.id, category.id, posts=1, topics=1, now=now)
    attachments.add(user, post, checked)
    search_changed(POST_KIND, [post.id])
    _commit_after(
        ("topic_created", {"topic": topic, "post": post, "user": user, "form": form or {}}),
        ("post_created", {"post": post, "user": user}),
    )
    return post


def create_reply(
    user,
    topic: Topic | None,
    *,
    raw,
    reply_to_post_number=None,
    attach: list[tuple[str, str]] = (),
) -> Post:
    """Add a post to ``topic``, optionally answering post ``reply_to_post_number``, with
    ``attach`` (``(type key, reference)`` pairs) attached to it."""
    _require_writer(user)
    if topic is None or not can(user, "topic.see", topic):
        raise NotFound()
    if not can(user, "topic.reply", topic):
        if topic.archived:
            raise ValidationFailed("This topic is archived; it can no longer be replied to.")
        if topic.closed:
            raise ValidationFailed("This topic is closed; it no longer accepts replies.")
        raise InvalidAccess("You are not allowed to reply in that category.")
    raw = clean_body(raw)
    if reply_to_post_number is not None:
        exists = db.session.scalar(
            select(Post.id).where(
                Post.topic_id == topic.id, Post.post_number == reply_to_post_number
            )
        )
        if exists is None:
            raise ValidationFailed(
                f"Post #{reply_to_post_number} does not exist in this topic, so you cannot "
                "reply to it."
            )
    _check_not_duplicate(user, raw)
    checked = attachments.check(user, topic.category, list(attach))
    cooked = _cook(raw)
    now = utcnow()
    post_number = db.session.execute(
        update(Topic)
        .where(Topic.id == topic.id)
        .values(
            highest_post_number=Topic.highest_post_number + 1,
            posts_count=Topic.posts_count + 1,
            bumped_at=now,
            last_posted_at=now,
            last_post_user_id=user.id,
        )
        .returning(Topic.highest_post_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    post = Post(
        topic_id=topic.id,
        post_number=post_number,
        user_id=user.id,
        raw=raw,
        cooked=cooked.html,
        cooked_version=cooked.version,
        reply_to_post_number=reply_to_post_number,
        created_at=now,
        updated_at=now,
    )
    db.session.add(post)
    if reply_to_post_number is not None:
        db.session.execute(
            update(Post)
            .where(Post.topic_id == topic.id, Post.post_number == reply_to_post_number)
            .values(reply_count=Post.reply_count + 1)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    _bump_counters(user.id, topic.category_id, posts=1, now=now)
    attachments.add(user, post, checked)
    search_changed(POST_KIND, [post.id])
    _commit_after(("post_created", {"post": post, "user": user}))
    db.session.refresh(topic)
    return post


def edit_post(user, post: Post | None, *, raw, title=None, edit_reason=None) -> Post:
    """Change a post's text (and, for a first post, its topic's title), keeping a revision."""
    _require_writer(user)
    if post is None or not can(user, "topic.see", post.topic) or not can(user, "post.see", post):
        raise NotFound()
    if not can(user, "post.edit", post):
        raise InvalidAccess("You are not allowed to edit that post.")
    raw = clean_body(raw)
    topic = post.topic
    new_title = None
    if title is not None and post.post_number == 1:
        candidate = clean_title(title)
        if candidate != topic.title:
            new_title = candidate
    if edit_reason is not None:
        edit_reason = clean_text(edit_reason, "edit_reason", required=False, multiline=False)
        edit_reason = edit_reason.strip()[:255] or None
    if raw == post.raw and new_title is None:
        return post  # nothing changed: no revision
    now = utcnow()
    db.session.add(
        PostRevision(
            post_id=post.id,
            version=post.version,
            raw=post.raw,
            title=topic.title if new_title else None,
            editor_id=user.id,
            reason=edit_reason,
            created_at=now,
        )
    )
    previous_raw = post.raw
    if raw != post.raw:
        cooked = _cook(raw)
        post.raw, post.cooked, post.cooked_version = raw, cooked.html, cooked.version
    if new_title:
        topic.title, topic.slug = new_title, slugify(new_title)
    post.version += 1
    post.edit_reason = edit_reason
    post.updated_at = now
    db.session.flush()
    if new_title:
        topic_changed(topic.id)  # every post carries the title
    else:
        search_changed(POST_KIND, [post.id])
    _commit_after(("post_edited", {"post": post, "user": user, "previous_raw": previous_raw}))
    return post


def _set_deleted(user, post: Post, deleted: bool) -> None:
    topic = post.topic
    sign = -1 if deleted else 1
    post.deleted_at = utcnow() if deleted else None
    post.deleted_by_id = user.id if deleted else None
    if post.post_number == 1:
        topic.deleted_at = post.deleted_at
        topic.deleted_by_id = post.deleted_by_id
        db.session.execute(
            update(Category)
            .where(Category.id == topic.category_id)
            .values(topic_count=Category.topic_count + sign)
        )
        db.session.execute(
            update(User).where(User.id == topic.user_id).values(topic_count=User.topic_count + sign)
        )
    topic.posts_count += sign
    if post.reply_to_post_number is not None:
        db.session.execute(
            update(Post)
            .where(Post.topic_id == topic.id, Post.post_number == post.reply_to_post_number)
            .values(reply_count=Post.reply_count + sign)
            .execution_options(synchronize_session=False)
        )
    _bump_counters(post.user_id, topic.category_id, posts=sign)
    db.session.flush()
    if post.post_number == 1:
        topic_changed(topic.id)  # the topic's replies go (or come back) with it
    else:
        search_changed(POST_KIND, [post.id])
    _commit_after(("post_deleted" if deleted else "post_restored", {"post": post, "user": user}))


def check_delete(user, post: Post | None) -> None:
    """Raise unless ``user`` may delete ``post`` now (the confirmation page asks too)."""
    _require_writer(user)
    if post is None or not can(user, "topic.see", post.topic):
        raise NotFound()
    if post.deleted_at is not None:
        raise ValidationFailed("That post is already deleted.")
    if not can(user, "post.delete", post):
        raise InvalidAccess("You are not allowed to delete that post.")


def delete_post(user, post: Post | None) -> None:
    """Soft-delete a post; deleting a first post deletes its topic."""
    check_delete(user, post)
    _set_deleted(user, post, True)


def check_restore(user, post: Post | None) -> None:
    """Raise unless ``user`` may restore ``post`` now (staff only; the post is deleted)."""
    _require_writer(user)
    if post is None or not can(user, "topic.see", post.topic):
        raise NotFound()
    if not user.is_staff:
        raise InvalidAccess("Only moderators can restore posts.")
    if post.deleted_at is None:
        raise ValidationFailed("That post is not deleted.")


def restore_post(user, post: Post | None) -> None:
    """Undo a soft delete (staff only)."""
    check_restore(user, post)
    _set_deleted(user, post, False)


def set_topic_flag(user, topic: Topic | None, flag: str, enabled: bool) -> Topic:
    """Pin, close or archive a topic (or undo it). Moderators only."""
    _require_writer(user)
    if topic is None or not can(user, "topic.see", topic):
        raise NotFound()
    if not can(user, "topic.moderate", topic):
        raise InvalidAccess("Only moderators can change a topic's status.")
    if flag not in TOPIC_FLAGS:
        raise ValidationFailed(f"Unknown status {flag!r}; use one of {', '.join(TOPIC_FLAGS)}.")
    if getattr(topic, flag) != bool(enabled):
        setattr(topic, flag, bool(enabled))
        if flag != "pinned":  # status:open|closed|archived searches
            topic_changed(topic.id)
    db.session.commit()
    return topic


def move_topic(user, topic: Topic | None, category: Category | None) -> Topic:
    """Move a topic (and its counts) to another category. Moderators only."""
    _require_writer(user)
    if topic is None or not can(user, "topic.see", topic):
        raise NotFound()
    if not can(user, "topic.moderate", topic):
        raise InvalidAccess("Only moderators can move topics.")
    if category is None:
        raise ValidationFailed("Choose a category to move the topic to.")
    if category.id == topic.category_id:
        return topic
    live_posts = topic.posts_count
    topics = 0 if topic.deleted_at else 1
    for category_id, sign in ((topic.category_id, -1), (category.id, 1)):
        db.session.execute(
            update(Category)
            .where(Category.id == category_id)
            .values(
                topic_count=Category.topic_count + sign * topics,
                post_count=Category.post_count + sign * live_posts,
            )
        )
    topic.category_id = category.id
    topic_changed(topic.id)  # its posts are now seen by whoever sees the new category
    db.session.commit()
    db.session.refresh(topic)
    return topic


def record_view(topic_id: int) -> None:
    """Count a view of a topic (buffered; see :mod:`forum.topics.view_counter`). Views call
    it once the page is rendered; the page cache replays it for pages served from memory."""
    g.viewed_topic_id = topic_id
    count_view(topic_id)
