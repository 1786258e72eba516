"""The core's account rules, as hook implementations: who may see a profile, who is admin."""

from __future__ import annotations

from forum.hookspecs import hookimpl
from forum.hooktypes import Permission
from forum.permissions import decide, is_staff


@hookimpl
def register_permissions():
    return [
        Permission("user.see", "See a user's profile (staff also see pending and suspended)"),
        Permission("admin", "Use the admin pages", frozenset({"admin"})),
    ]


@hookimpl
def permission_allowed(user, action, resource):
    if action == "user.see":
        return decide(resource is not None and (resource.status == "active" or is_staff(user)))
    if action == "admin":
        return decide(user.is_authenticated and user.is_active and user.is_admin)
    return None
