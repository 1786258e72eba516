"""Admin pages (admins only; everyone else gets 404): the dashboard here, and one module per
area, all on the same ``admin`` blueprint:

* :mod:`forum.admin.users` – approve, suspend, roles, end sessions
* :mod:`forum.admin.groups` – groups and members
* :mod:`forum.admin.categories` – categories and their group permissions
* :mod:`forum.admin.api_keys` – API keys
* :mod:`forum.admin.invites` – invite links
* :mod:`forum.admin.mail` – outgoing e-mail: counts, failures, retrying
* :mod:`forum.admin.plugins` – loaded plugins, and which are enabled on each category
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from forum.accounts.models import ApiKey, Group, Invite, User
from forum.admin import (  # noqa: F401 - registers routes
    api_keys,
    categories,
    groups,
    invites,
    mail,
    plugins,
    users,
)
from forum.admin.blueprint import bp
from forum.categories.models import Category
from forum.database import utcnow
from forum.extensions import db
from forum.topics.models import Post, Topic

__all__ = ["bp"]


def _count(query) -> int:
    return db.session.scalar(query) or 0


@bp.get("/")
def index():
    users_by_status = dict(
        db.session.execute(select(User.status, func.count()).group_by(User.status)).all()
    )
    counts = {
        "topics": _count(select(func.count(Topic.id)).where(Topic.deleted_at.is_(None))),
        "posts": _count(select(func.count(Post.id)).where(Post.deleted_at.is_(None))),
        "categories": _count(select(func.count(Category.id))),
        "groups": _count(select(func.count(Group.id)).where(Group.builtin.is_(False))),
        "api_keys": _count(select(func.count(ApiKey.id)).where(ApiKey.revoked_at.is_(None))),
        "invites": _count(
            select(func.count(Invite.id)).where(
                Invite.expires_at >= utcnow(), Invite.uses < Invite.max_uses
            )
        ),
    }
    return render_template("admin/index.html", users_by_status=users_by_status, counts=counts)
