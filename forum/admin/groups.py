"""Admin: groups and their members. The built-in groups (everyone, members) are automatic and
nobody is added to them by hand."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.accounts import services
from forum.accounts.models import Group, GroupMembership, User
from forum.admin.blueprint import MAX_ID, audit, bp, form_text, get_or_404
from forum.errors import NotFound
from forum.extensions import db

GROUP_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")


def _group(group_id: int) -> Group:
    return get_or_404(Group, group_id)


def _render_groups(form=None, errors=(), status=200):
    groups = db.session.scalars(select(Group).order_by(Group.builtin.desc(), Group.name)).all()
    return render_template(
        "admin/groups.html",
        groups=groups,
        member_counts=services.group_member_counts(),
        form=form or {"name": "", "display_name": "", "description": ""},
        errors=list(errors),
    ), status


@bp.get("/groups")
def groups():
    return _render_groups()


@bp.post("/groups")
def create_group():
    form = {
        "name": form_text("name").lower(),
        "display_name": form_text("display_name"),
        "description": form_text("description", multiline=True),
    }
    errors = []
    if not GROUP_NAME_RE.match(form["name"]):
        errors.append(
            "Group name must be 2 to 40 characters: lower-case letters, digits, _ or -, "
            "starting with a letter or digit."
        )
    elif services.find_group(form["name"]) is not None:
        errors.append("A group with that name already exists.")
    if len(form["display_name"]) > 100:
        errors.append("Display name is too long (maximum is 100 characters).")
    if len(form["description"]) > 1000:
        errors.append("Description is too long (maximum is 1000 characters).")
    if not errors:
        group = Group(
            name=form["name"],
            display_name=form["display_name"] or form["name"].replace("-", " ").title(),
            description=form["description"],
        )
        db.session.add(group)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            errors.append("A group with that name already exists.")
        else:
            audit("create group", group.name)
            flash(f"Created the group {group.display_name}. Add its members below.", "success")
            return redirect(url_for("admin.group", group_id=group.id))
    return _render_groups(form, errors, status=422)


def _render_group(group: Group, *, usernames="", errors=(), status=200):
    members = db.session.scalars(
        select(User)
        .join(GroupMembership, GroupMembership.user_id == User.id)
        .where(GroupMembership.group_id == group.id)
        .order_by(User.username_lower)
    ).all()
    return render_template(
        "admin/group.html", group=group, members=members, usernames=usernames, errors=list(errors)
    ), status


@bp.get("/groups/<int:group_id>")
def group(group_id):
    return _render_group(_group(group_id))


@bp.post("/groups/<int:group_id>/members")
def add_members(group_id):
    """Add one or more members, usernames separated by commas or spaces."""
    group = _group(group_id)
    typed = form_text("usernames")
    if group.builtin:
        return _render_group(
            group,
            usernames=typed,
            errors=[f"{group.display_name} is automatic: nobody is added to it by hand."],
            status=422,
        )
    names = [name.lstrip("@") for name in re.split(r"[\s,]+", typed) if name.strip("@")]
    users, unknown = [], []
    for name in names[:100]:
        user = services.find_user(name)
        if user is None:
            unknown.append(name)
        elif user not in users:
            users.append(user)
    errors = []
    if not names:
        errors.append("Please enter at least one username.")
    if unknown:
        errors.append("No account with the username: " + ", ".join(unknown))
    if errors:
        return _render_group(group, usernames=typed, errors=errors, status=422)
    for user in users:
        services.add_to_group(user, group)
    db.session.commit()
    audit("add group members", group.name, users=[u.username for u in users])
    flash(f"Added {', '.join('@' + u.username for u in users)} to {group.display_name}.", "success")
    return redirect(url_for("admin.group", group_id=group.id))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/remove")
def remove_member(group_id, user_id):
    group = _group(group_id)
    membership = db.session.get(GroupMembership, (group.id, user_id)) if user_id <= MAX_ID else None
    if membership is None:
        raise NotFound()
    user = db.session.get(User, user_id)
    db.session.delete(membership)
    db.session.commit()
    audit("remove group member", group.name, user=user.username)
    flash(f"Removed @{user.username} from {group.display_name}.", "success")
    return redirect(url_for("admin.group", group_id=group.id))
