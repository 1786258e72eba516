"""The core's topic and post rules and its "Latest" link, as hook implementations."""

from __future__ import annotations

from flask import url_for

from forum.categories.models import REPLY
from forum.hookspecs import hookimpl
from forum.hooktypes import NavItem, Permission
from forum.permissions import category_levels, decide

TOPIC_ACTIONS = {
    "topic.see": "Read a topic",
    "topic.reply": "Reply to a topic",
    "topic.moderate": "Pin, close, archive and move a topic",
    "post.see": "See a post (staff also see deleted ones)",
    "post.edit": "Edit a post",
    "post.delete": "Delete a post",
}


@hookimpl
def register_permissions():
    return [Permission(key, description) for key, description in TOPIC_ACTIONS.items()]


@hookimpl
def permission_allowed(user, action, resource):
    if action not in TOPIC_ACTIONS:
        return None
    return decide(_allowed(user, action, resource))


def _allowed(user, action: str, resource) -> bool:
    active = user.is_authenticated and user.is_active
    staff = active and user.is_staff
    topic = resource.topic if action.startswith("post.") else resource
    level = category_levels(user).get(topic.category_id)
    if level is None or (topic.deleted_at is not None and not staff):
        return False
    if action == "topic.see":
        return True
    if action == "topic.moderate":
        return staff
    if action == "topic.reply":
        if staff:
            return not topic.archived
        return active and level <= REPLY and not topic.closed and not topic.archived
    post = resource
    if action == "post.see":
        return post.deleted_at is None or staff
    # post.edit and post.delete
    if staff:
        return True
    mine = active and post.user_id == user.id and post.deleted_at is None
    return mine and not topic.archived


@hookimpl
def nav_items():
    return [NavItem("core.latest", "Latest", url_for("topics.latest"), order=10)]
