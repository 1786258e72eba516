"""Who can see a category, as SQL: the fan-out tells a thousand watchers in one query
instead of asking :func:`forum.permissions.can` once per person. It follows the same rules
(group grants, a subcategory needs its parent, staff see everything, only active people);
plugins' extra restrictions are applied when each e-mail is sent."""

from __future__ import annotations

from sqlalchemy import and_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from forum.accounts.models import BUILTIN_GROUPS, Group, GroupMembership, User
from forum.categories.models import Category, CategoryPermission
from forum.extensions import db

STAFF_ROLES = ("admin", "moderator")


def can_see_category(category: Category) -> ColumnElement[bool]:
    """A condition on :class:`User`: active and able to see ``category``."""
    conditions = [User.status == "active"]
    for category_id in (category.id, category.parent_id):
        if category_id is None:
            continue
        grants = db.session.execute(
            select(Group.id, Group.name)
            .join(CategoryPermission, CategoryPermission.group_id == Group.id)
            .where(CategoryPermission.category_id == category_id)
        ).all()
        if any(name in BUILTIN_GROUPS for _, name in grants):
            continue  # every active member
        members = select(GroupMembership.user_id).where(
            GroupMembership.group_id.in_([group_id for group_id, _ in grants])
        )
        conditions.append(or_(User.role.in_(STAFF_ROLES), User.id.in_(members)))
    return and_(true(), *conditions)
