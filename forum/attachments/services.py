"""Attaching objects to posts and taking them off: the only code that writes
``post_attachments``. Used by the topic services (attachments chosen in the composer are
written in the same transaction as the post) and by the post's attachments page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from forum.attachments.models import PostAttachment
from forum.attachments.queries import attachment_types
from forum.errors import ForumError, InvalidAccess, NotFound, ValidationFailed
from forum.extensions import db
from forum.hooktypes import AttachmentType
from forum.permissions import can
from forum.plugin_system.calls import recover_session
from forum.plugin_system.enablement import is_enabled
from forum.topics.models import Post

log = logging.getLogger("forum.plugins")

#: Most attachments one post may carry.
MAX_PER_POST = 20
#: Longest reference (an id or a slug) anyone may type.
MAX_REF_LENGTH = 200
#: Form fields ``attach.<type key>`` carry the references chosen in the composer.
FIELD_PREFIX = "attach."


def usable_types(category) -> list[AttachmentType]:
    """Attachment types that may be attached to posts in ``category``: those allowed
    everywhere, and those whose plugin is enabled there."""
    return [
        kind
        for kind in attachment_types().values()
        if kind.everywhere or is_enabled(category, kind.plugin)
    ]


def refs_from_form(form: Mapping) -> list[tuple[str, str]]:
    """``(type key, ref)`` pairs from composer fields named ``attach.<type key>``."""
    pairs = []
    for name in form:
        if isinstance(name, str) and name.startswith(FIELD_PREFIX):
            values = form.getlist(name) if hasattr(form, "getlist") else [form[name]]
            key = name[len(FIELD_PREFIX) :]
            pairs.extend((key, value) for value in values if isinstance(value, str))
    return [(key, ref.strip()) for key, ref in pairs if ref.strip()]


def refs_from_strings(values: Iterable) -> list[tuple[str, str]]:
    """``(type key, ref)`` pairs from the API's ``attachments`` strings, ``"key:ref"``."""
    pairs = []
    for value in values:
        if not isinstance(value, str) or ":" not in value:
            raise ValidationFailed(
                f"Attachment {str(value)[:50]!r} must look like type:reference, "
                "for example meetings.meeting:3."
            )
        key, ref = value.split(":", 1)
        if ref.strip():
            pairs.append((key.strip(), ref.strip()))
    return pairs


def check(user, category, refs: list[tuple[str, str]], post=None) -> list[tuple[str, int]]:
    """Turn references into ``(type key, object id)`` pairs, asking each type's ``validate``;
    every problem is reported at once, as a form's messages."""
    if len(refs) > MAX_PER_POST:
        raise ValidationFailed(f"A post can have at most {MAX_PER_POST} attachments.")
    types = attachment_types()
    usable = {kind.key for kind in usable_types(category)}
    checked, errors = [], []
    for key, ref in refs:
        kind = types.get(key) if isinstance(key, str) else None
        if kind is None or key not in usable:
            errors.append(f"{str(key)[:50]!r} is not something you can attach here.")
            continue
        if not isinstance(ref, str) or len(ref) > MAX_REF_LENGTH:
            errors.append(f"That {kind.label.lower()} reference is not valid.")
            continue
        try:
            object_id = kind.validate(user, ref, post)
        except ForumError as error:
            errors.extend(error.messages)
            continue
        except Exception:
            log.exception("plugin %r failed to check a %r reference", kind.plugin, key)
            recover_session()  # nothing is written yet: a failed statement must not linger
            errors.append(f"That {kind.label.lower()} could not be checked; please try again.")
            continue
        if not isinstance(object_id, int) or isinstance(object_id, bool):
            log.error("plugin %r: validate of %r must return an id", kind.plugin, key)
            errors.append(f"That {kind.label.lower()} could not be checked; please try again.")
            continue
        if (key, object_id) not in checked:
            checked.append((key, object_id))
    if errors:
        raise ValidationFailed(*errors)
    return checked


def add(user, post, checked: list[tuple[str, int]]) -> list[PostAttachment]:
    """Add the checked attachments to ``post`` (skipping ones it has); the caller commits."""
    if not checked:
        return []
    existing = {
        (key, object_id)
        for key, object_id in db.session.execute(
            select(PostAttachment.type_key, PostAttachment.object_id).where(
                PostAttachment.post_id == post.id
            )
        )
    }
    if len(existing | set(checked)) > MAX_PER_POST:
        raise ValidationFailed(f"A post can have at most {MAX_PER_POST} attachments.")
    rows = []
    for key, object_id in checked:
        if (key, object_id) in existing:
            continue
        row = PostAttachment(
            post_id=post.id, type_key=key, object_id=object_id, created_by_id=user.id
        )
        db.session.add(row)
        rows.append(row)
    if rows:
        _count(post, len(rows))
    return rows


def _count(post, change: int) -> None:
    """Move the post's stored attachment count (one UPDATE, safe beside other writers)."""
    db.session.execute(
        update(Post)
        .where(Post.id == post.id)
        .values(attachment_count=Post.attachment_count + change)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(post, ["attachment_count"])


def check_editable(user, post) -> None:
    """Raise unless ``user`` may change ``post``'s attachments (its author or staff, the post
    not deleted); the attachments page asks too."""
    if post is None or not can(user, "topic.see", post.topic) or not can(user, "post.see", post):
        raise NotFound()
    if not can(user, "post.edit", post) or post.deleted_at is not None:
        raise InvalidAccess("You are not allowed to change that post's attachments.")


def attach(user, post, key: str, ref: str) -> PostAttachment | None:
    """Attach one object to an existing post (the post's author or staff)."""
    check_editable(user, post)
    checked = check(user, post.topic.category, [(key, ref)], post)
    rows = add(user, post, checked)
    try:
        db.session.commit()
    except IntegrityError:  # attached by a simultaneous request: it is there either way
        db.session.rollback()
        return None
    return rows[0] if rows else None


def detach(user, post, attachment_id: int) -> None:
    """Take an attachment off a post (the post's author or staff)."""
    check_editable(user, post)
    if not 0 < attachment_id < 2**62:
        raise NotFound()
    removed = db.session.execute(
        delete(PostAttachment).where(
            PostAttachment.id == attachment_id, PostAttachment.post_id == post.id
        )
    ).rowcount
    if not removed:  # never there, or taken off a moment ago by someone else
        db.session.rollback()
        raise NotFound()
    _count(post, -1)
    db.session.commit()
