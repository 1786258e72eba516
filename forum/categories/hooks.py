"""The core's category rules and its "Categories" link, as hook implementations."""

from __future__ import annotations

from flask import url_for

from forum.categories.models import CREATE
from forum.hookspecs import hookimpl
from forum.hooktypes import NavItem, Permission
from forum.permissions import category_levels, decide


@hookimpl
def register_permissions():
    return [
        Permission("category.see", "See a category and its topics"),
        Permission("category.create_topic", "Start topics in a category"),
    ]


@hookimpl
def permission_allowed(user, action, resource):
    if not action.startswith("category."):
        return None
    level = category_levels(user).get(resource.id)
    if action == "category.see":
        return decide(level is not None)
    if action == "category.create_topic":
        active = user.is_authenticated and user.is_active
        return decide(level is not None and level <= CREATE and active)
    return None


@hookimpl
def nav_items():
    return [NavItem("core.categories", "Categories", url_for("categories.index"), order=20)]
