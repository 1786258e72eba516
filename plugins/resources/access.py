"""Who may see, download, add and change library items.

Every path that shows an item (the library, its page, its file, cards in posts, search, the
JSON) asks this module, either :func:`can_see` for one item or :func:`visible` as a SQL
condition for a list, so a restricted item is out of reach everywhere at once.

* ``public``: anyone, visitors included; ``members``: any active member;
  ``officers_staff``: members of the groups in ``RESOURCES_OFFICER_GROUPS``;
  ``restricted``: the groups and LMCs (organisations) granted on the item.
* Drafts are seen only by their contributor and by editors of the whole library.
* Staff (admins and moderators) see everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import and_, or_, select, true

from forum.accounts.models import Group, GroupMembership
from forum.extensions import db
from forum.permissions import can

from .models import AccessGrant, Resource


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def group_ids(user) -> frozenset[int]:
    """The groups ``user`` belongs to (asked once per request)."""
    if not _active(user):
        return frozenset()
    cache = g.setdefault("resources_group_ids", {})
    if user.id not in cache:
        cache[user.id] = frozenset(
            db.session.scalars(
                select(GroupMembership.group_id).where(GroupMembership.user_id == user.id)
            )
        )
    return cache[user.id]


def is_officer(user) -> bool:
    """Whether ``user`` counts as an LMC officer or staff member (or is forum staff)."""
    if not _active(user):
        return False
    if user.is_staff:
        return True
    names = current_app.config["RESOURCES_OFFICER_GROUPS"]
    ids = group_ids(user)
    if not ids:
        return False
    found = db.session.scalar(
        select(Group.id).where(Group.name.in_(names), Group.id.in_(ids)).limit(1)
    )
    return found is not None


def levels(user) -> list[str]:
    """The access levels ``user`` passes without a grant."""
    allowed = ["public"]
    if _active(user):
        allowed.append("members")
        if is_officer(user):
            allowed.append("officers_staff")
    return allowed


@dataclass(frozen=True)
class Visibility:
    """What one person may see, reduced to values (worked out once per request):
    ``everything`` (editors), else the access ``levels`` they pass and ``extra_ids``, the
    items they see besides (restricted items granted to their groups or LMC, and their own
    drafts and items above their levels). People with the same visibility see the same
    library, so it also keys the library's cached counts."""

    everything: bool
    levels: tuple[str, ...]
    extra_ids: frozenset[int]


def visibility(user) -> Visibility:
    key = getattr(user, "id", None)
    cache = g.setdefault("resources_visibility", {})
    if key not in cache:
        cache[key] = _visibility(user)
    return cache[key]


def _visibility(user) -> Visibility:
    if can_edit_all(user):
        return Visibility(True, (), frozenset())
    allowed = tuple(levels(user))
    if not _active(user):
        return Visibility(False, allowed, frozenset())
    conditions = []
    groups = group_ids(user)
    if groups:
        conditions.append(AccessGrant.group_id.in_(groups))
    if getattr(user, "organisation_id", None):
        conditions.append(AccessGrant.organisation_id == user.organisation_id)
    extra = set()
    if conditions:
        extra.update(
            db.session.scalars(
                select(Resource.id)
                .join(AccessGrant, AccessGrant.resource_id == Resource.id)
                .where(
                    or_(*conditions),
                    Resource.access_level == "restricted",
                    Resource.status != "draft",
                )
            )
        )
    extra.update(
        db.session.scalars(
            select(Resource.id).where(
                Resource.contributed_by_id == user.id,
                or_(Resource.status == "draft", Resource.access_level.not_in(allowed)),
            )
        )
    )
    return Visibility(False, allowed, frozenset(extra))


def forget() -> None:
    """Drop this request's worked-out visibility (after a write that changes it)."""
    g.pop("resources_visibility", None)


def visible(user):
    """A SQL condition on :class:`Resource`: the items ``user`` may see."""
    seen = visibility(user)
    if seen.everything:
        return true()
    published = and_(Resource.status != "draft", Resource.access_level.in_(seen.levels))
    if not seen.extra_ids:
        return published
    return or_(published, Resource.id.in_(sorted(seen.extra_ids)))


def can_see(user, resource: Resource | None) -> bool:
    if resource is None:
        return False
    if can_edit_all(user) or (_active(user) and resource.contributed_by_id == user.id):
        return True
    if resource.status == "draft":
        return False
    if resource.access_level in levels(user):
        return True
    if resource.access_level != "restricted" or not _active(user):
        return False
    groups = group_ids(user)
    return any(
        grant.group_id in groups
        or (grant.organisation_id and grant.organisation_id == user.organisation_id)
        for grant in resource.grants
    )


def can_contribute(user) -> bool:
    """Whether ``user`` may add items to the library."""
    return _active(user) and can(user, "resources.contribute")


def can_edit_all(user) -> bool:
    """Whether ``user`` edits every item and sees drafts and restricted items (staff)."""
    return _active(user) and can(user, "resources.manage")


def can_edit(user, resource: Resource) -> bool:
    """The item's contributor (while still allowed to contribute) or a library editor."""
    if can_edit_all(user):
        return True
    return can_contribute(user) and resource.contributed_by_id == user.id


# -- Search scopes ----------------------------------------------------------------------------


def scope_of(resource: Resource) -> str:
    """The search scope token of an item: one per level, and one per item for restricted
    items and drafts (granted by :func:`scopes`)."""
    if resource.status == "draft" or resource.access_level == "restricted":
        return f"resources:item:{resource.id}"
    return f"resources:{resource.access_level}"


def scopes(user) -> list[str]:
    """The scope tokens ``user`` may find."""
    seen = visibility(user)
    if seen.everything:
        tokens = [f"resources:{level}" for level in ("public", "members", "officers_staff")]
        special = db.session.scalars(
            select(Resource.id).where(
                or_(Resource.status == "draft", Resource.access_level == "restricted")
            )
        )
        return tokens + [f"resources:item:{rid}" for rid in special]
    return [f"resources:{level}" for level in seen.levels] + [
        f"resources:item:{rid}" for rid in sorted(seen.extra_ids)
    ]
