"""Who may do what: one :func:`can` for every page and endpoint.

:func:`can` asks the ``permission_allowed`` hook. The core's own rules are implementations
of that hook like any plugin's (``forum/accounts/hooks.py``, ``forum/categories/hooks.py``,
``forum/topics/hooks.py``), built on the category levels computed here.

Category access follows Discourse: each category grants groups one of three levels (create,
reply, see). Everyone (anonymous visitors included) is in the ``everyone`` group; every active
member is also in ``members``. Staff (admins and moderators) see and post everywhere. A
subcategory is visible only when its parent is.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import select

from forum.accounts.models import EVERYONE, MEMBERS, Group, GroupMembership
from forum.caching import MISSING, VersionedCache
from forum.categories.models import CREATE, SEE, Category, CategoryPermission
from forum.content_version import current_version
from forum.extensions import db
from forum.hooktypes import Decision

ALLOW = Decision(True, "core")
DENY = Decision(False, "core")


def _group_ids(user) -> set[int]:
    names = [EVERYONE]
    if user.is_authenticated and user.is_active:
        names.append(MEMBERS)
    ids = set(db.session.scalars(select(Group.id).where(Group.name.in_(names))))
    if user.is_authenticated:
        ids.update(
            db.session.scalars(
                select(GroupMembership.group_id).where(GroupMembership.user_id == user.id)
            )
        )
    return ids


def category_levels(user) -> dict[int, int]:
    """``{category id: best permission level}`` for every category ``user`` can see.

    Kept in a process-local cache until the next committed write (permissions, groups and
    categories all change through writes) or ``CACHE_MAX_AGE_SECONDS``, and for the rest of
    the request once asked. Do not mutate it.
    """
    user = _unproxied(user)
    key = (user.get_id(), getattr(user, "role", None), getattr(user, "status", None))
    # A page asks dozens of times: remember the answer for the rest of this request.
    memo = g.get("forum_levels") if has_request_context() else None
    if memo is not None and memo[0] == key:
        return memo[1]
    cache = current_app.extensions["forum.permission_cache"]
    version = current_version()
    levels = cache.get(key, version)
    if levels is MISSING:
        levels = _compute_levels(user)
        cache.put(key, version, levels)
    if has_request_context():
        g.forum_levels = (key, levels)
    return levels


def _compute_levels(user) -> dict[int, int]:
    categories = db.session.execute(select(Category.id, Category.parent_id)).all()
    if user.is_authenticated and user.is_staff and user.is_active:
        levels = {cid: CREATE for cid, _ in categories}
    else:
        group_ids = _group_ids(user)
        levels = {}
        rows = db.session.execute(
            select(CategoryPermission.category_id, CategoryPermission.permission).where(
                CategoryPermission.group_id.in_(group_ids)
            )
        )
        for category_id, permission in rows:
            levels[category_id] = min(permission, levels.get(category_id, SEE + 1))
        parents = dict(categories)
        levels = {
            cid: level
            for cid, level in levels.items()
            if parents.get(cid) is None or parents[cid] in levels
        }
        if not (user.is_authenticated and user.is_active):
            # Suspended and pending people, and visitors, can read but never write.
            levels = {cid: SEE for cid in levels}
    return levels


def visible_category_ids(user) -> set[int]:
    return set(category_levels(user))


def is_staff(user) -> bool:
    """An active admin or moderator."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def decide(allowed: bool) -> Decision:
    """The core rules' answer: allow, or deny (which no plugin can overturn)."""
    return ALLOW if allowed else DENY


def _unproxied(user):
    """The user object behind Flask-Login's ``current_user`` proxy: every attribute read
    through the proxy costs a context lookup, and a topic page asks dozens of questions."""
    get = getattr(user, "_get_current_object", None)
    return get() if get is not None else user


def role(user) -> str:
    """The role a permission's ``default_roles`` are matched against: ``visitor`` for anyone
    not signed in or whose account is not active (pending, suspended)."""
    if not (user.is_authenticated and user.is_active):
        return "visitor"
    return user.role


def can(user, action: str, resource=None) -> bool:
    """Whether ``user`` (signed in or anonymous) may do ``action`` to ``resource``.

    ``action`` must be registered (``register_permissions``). Every ``permission_allowed``
    implementation is asked, the core's own rules included: any deny wins, otherwise any
    allow, otherwise the permission's default roles decide.
    """
    plugins = current_app.extensions["forum.plugins"]
    permission = plugins.permissions.get(action)
    if permission is None:
        raise ValueError(f"unknown action {action!r}")
    user = _unproxied(user)
    allowed = False
    try:
        decisions = plugins.pm.hook.permission_allowed(user=user, action=action, resource=resource)
    except Exception:
        # Ask again one plugin at a time, so the error names the plugin that raised.
        explain(user, action, resource)
        raise
    for decision in decisions:
        if not decision.allowed:
            return False
        allowed = True
    return allowed or role(user) in permission.default_roles


def explain(user, action: str, resource=None) -> list[tuple[str, Decision]]:
    """Every plugin's answer to a permission question, for debugging: ``[(plugin,
    decision)]``; an empty list means the default roles decided."""
    plugins = current_app.extensions["forum.plugins"]
    if action not in plugins.permissions:
        raise ValueError(f"unknown action {action!r}")
    kwargs = {"user": _unproxied(user), "action": action, "resource": resource}
    return [(a.plugin, a.value) for a in plugins.each("permission_allowed", kwargs)]


def init_app(app: Flask) -> None:
    app.extensions["forum.permission_cache"] = VersionedCache(
        max_entries=5000, max_age_seconds=app.config["CACHE_MAX_AGE_SECONDS"]
    )
