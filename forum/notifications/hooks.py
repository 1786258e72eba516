"""The core's notification rules, as hook implementations: its kinds, and the lifecycle
hooks that tell people about new and edited posts (inside the post's transaction)."""

from __future__ import annotations

from forum.hookspecs import hookimpl
from forum.hooktypes import Permission
from forum.notifications import service, types

ANNOUNCE = "topic.announce"


@hookimpl
def register_notification_types():
    return list(types.CORE_TYPES)


@hookimpl
def register_permissions():
    return [
        Permission(
            ANNOUNCE,
            "E-mail a topic to its category's watchers at once, as an announcement",
            default_roles=("admin", "moderator"),
        )
    ]


@hookimpl
def post_created(post, user):
    service.alert_post(post, user)


@hookimpl
def post_edited(post, user):
    service.alert_post(post, user, edited=True)
