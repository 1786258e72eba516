"""Rows every forum needs: the built-in groups and the Uncategorized category."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import BUILTIN_GROUPS, EVERYONE, MEMBERS, Group
from forum.categories.models import CREATE, SEE, Category, CategoryPermission
from forum.extensions import db

UNCATEGORIZED = "uncategorized"


def ensure_defaults() -> None:
    """Create what is missing; safe to run any number of times."""
    existing = set(db.session.scalars(select(Group.name)))
    labels = {EVERYONE: "Everyone (including visitors)", MEMBERS: "All members"}
    for name in BUILTIN_GROUPS:
        if name not in existing:
            db.session.add(Group(name=name, display_name=labels[name], builtin=True))
    db.session.flush()
    if db.session.scalar(select(Category.id).where(Category.slug == UNCATEGORIZED)) is None:
        category = Category(
            name="Uncategorized",
            slug=UNCATEGORIZED,
            description="Topics that don't need a category, or don't fit into any other.",
            color="5A5A5A",
            position=1000,
        )
        db.session.add(category)
        db.session.flush()
        groups = {g.name: g.id for g in db.session.scalars(select(Group))}
        db.session.add(
            CategoryPermission(category_id=category.id, group_id=groups[EVERYONE], permission=SEE)
        )
        db.session.add(
            CategoryPermission(category_id=category.id, group_id=groups[MEMBERS], permission=CREATE)
        )
    db.session.commit()


def default_category() -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == UNCATEGORIZED))
