"""User lookup: ``/u/{username}.json`` and ``/users/{username}.json``.

Never the e-mail address. A user who is pending approval or suspended is hidden from everyone
but staff (``can(viewer, "user.see", user)``) and answers 404 like an unknown name.
"""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from forum.accounts.models import Group, GroupMembership
from forum.accounts.services import USERNAME_RE, find_user
from forum.api import bp
from forum.api.serializers import serialize_user
from forum.api.topics import viewer
from forum.errors import NotFound
from forum.extensions import db
from forum.permissions import can
from forum.rendering import cook


def _groups(user) -> list[Group]:
    """The user's own groups (not the automatic ``everyone``/``members``), in one query."""
    return list(
        db.session.scalars(
            select(Group)
            .join(GroupMembership, GroupMembership.group_id == Group.id)
            .where(GroupMembership.user_id == user.id, Group.builtin.is_(False))
            .order_by(Group.name)
        )
    )


@bp.get("/u/<username>.json")
@bp.get("/users/<username>.json")
def show_user(username: str):
    # Anything that cannot be a username (NUL bytes, odd characters) is simply not found,
    # and never reaches the database.
    user = find_user(username) if USERNAME_RE.match(username) else None
    current = viewer()
    if user is None or not can(current, "user.see", user):
        raise NotFound()
    bio_cooked = cook(user.bio).html if user.bio else ""
    return jsonify(serialize_user(user, current, groups=_groups(user), bio_cooked=bio_cooked))
