"""Plain factory functions for test data (Warehouse's habit, without factory_boy)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import Group, GroupMembership
from forum.categories.models import CREATE, Category, CategoryPermission
from forum.extensions import db
from forum.topics import services as topics

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(username=None, *, role="member", status="active", password=PASSWORD, **fields):
    n = next(_counter)
    username = username or f"user{n}"
    return accounts.create_user(
        username,
        fields.pop("email", f"{username.lower()}@example.org"),
        password,
        role=role,
        status=status,
        **fields,
    )


def group(name: str) -> Group:
    found = db.session.scalar(select(Group).where(Group.name == name))
    if found is None:
        found = Group(name=name, display_name=name.title())
        db.session.add(found)
        db.session.commit()
    return found


def add_member(user, group_name: str) -> None:
    db.session.add(GroupMembership(group_id=group(group_name).id, user_id=user.id))
    db.session.commit()


def make_category(name=None, *, permissions=None, parent=None, **fields) -> Category:
    """A category; ``permissions`` maps group names to levels (default: everyone sees,
    members create, as Discourse's public categories)."""
    n = next(_counter)
    name = name or f"Category {n}"
    category = Category(
        name=name,
        slug=fields.pop("slug", name.lower().replace(" ", "-")),
        parent_id=parent.id if parent else None,
        **fields,
    )
    db.session.add(category)
    db.session.flush()
    for group_name, level in (permissions or {"everyone": 3, "members": CREATE}).items():
        db.session.add(
            CategoryPermission(
                category_id=category.id, group_id=group(group_name).id, permission=level
            )
        )
    db.session.commit()
    return category


def make_topic(user=None, category=None, *, title=None, raw=None):
    """A topic with its first post; returns the first post (``post.topic`` is the topic)."""
    user = user or make_user()
    category = category or make_category()
    n = next(_counter)
    return topics.create_topic(
        user,
        title=title or f"A topic about local services number {n}",
        raw=raw or f"Opening post number {n} with enough words to say something.",
        category=category,
    )


def make_reply(topic, user=None, *, raw=None, reply_to_post_number=None):
    user = user or make_user()
    n = next(_counter)
    return topics.create_reply(
        user, topic, raw=raw or f"Reply number {n}.", reply_to_post_number=reply_to_post_number
    )
