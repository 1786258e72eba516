"""Admin: the list of accounts, approving new ones, suspending, roles, ending sessions."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from forum.accounts import services
from forum.accounts.models import ROLES, STATUSES, User
from forum.admin.blueprint import (
    PER_PAGE,
    Confirmation,
    audit,
    bp,
    confirm_page,
    get_or_404,
    page_number,
    redirect_back,
)
from forum.extensions import db

STATUS_LABELS = {"pending": "Waiting for approval", "active": "Active", "suspended": "Suspended"}


def _user(user_id: int) -> User:
    return get_or_404(User, user_id)


@bp.get("/users")
def users():
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    q = request.args.get("q", "").strip()[:100].replace("\x00", "")
    page = page_number()
    query = select(User)
    if status:
        query = query.where(User.status == status)
    if q:
        query = query.where(
            or_(
                User.username_lower.contains(q.lower(), autoescape=True),
                User.email.contains(q.lower(), autoescape=True),
                func.lower(User.name).contains(q.lower(), autoescape=True),
            )
        )
    # Oldest first while waiting for approval (first come, first served), else newest first.
    order = User.created_at.asc() if status == "pending" else User.created_at.desc()
    rows = db.session.scalars(
        query.order_by(order, User.id).offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)
    ).all()
    counts = dict(db.session.execute(select(User.status, func.count()).group_by(User.status)).all())
    return render_template(
        "admin/users.html",
        users=rows[:PER_PAGE],
        has_more=len(rows) > PER_PAGE,
        page=page,
        status=status,
        q=q,
        counts=counts,
        total=sum(counts.values()),
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        roles=ROLES,
    )


def _refuse_self(user: User, what: str) -> bool:
    if user.id == current_user.id:
        flash(f"You cannot {what} your own account.", "error")
        return True
    return False


@bp.post("/users/<int:user_id>/approve")
def approve_user(user_id):
    user = _user(user_id)
    if user.status != "pending":
        flash(f"@{user.username} is not waiting for approval.", "error")
    else:
        services.set_status(user, "active")
        audit("approve user", user.username)
        flash(f"Approved @{user.username}. They can sign in now.", "success")
    return redirect_back("admin.users")


@bp.route("/users/<int:user_id>/suspend", methods=["GET", "POST"])
def suspend_user(user_id):
    user = _user(user_id)
    if request.method == "GET":
        return confirm_page(
            Confirmation(
                title=f"Suspend @{user.username}?",
                message=(
                    f"{user.display_name} will be signed out everywhere at once and will not be "
                    "able to sign in, post or use API keys until you unsuspend the account. "
                    "Their posts stay visible."
                ),
                action=url_for("admin.suspend_user", user_id=user.id),
                button="Suspend account",
                cancel=url_for("admin.users"),
            )
        )
    if not _refuse_self(user, "suspend"):
        services.set_status(user, "suspended")
        audit("suspend user", user.username)
        flash(f"Suspended @{user.username} and ended their sessions.", "success")
    return redirect_back("admin.users")


@bp.post("/users/<int:user_id>/unsuspend")
def unsuspend_user(user_id):
    user = _user(user_id)
    if user.status != "suspended":
        flash(f"@{user.username} is not suspended.", "error")
    else:
        services.set_status(user, "active")
        audit("unsuspend user", user.username)
        flash(f"@{user.username} is active again.", "success")
    return redirect_back("admin.users")


@bp.post("/users/<int:user_id>/role")
def change_role(user_id):
    user = _user(user_id)
    role = request.form.get("role", "")
    if role not in ROLES:
        flash("Please choose a role from the list.", "error")
    elif not _refuse_self(user, "change the role of"):
        before = user.role
        services.set_role(user, role)
        audit("change role", user.username, before=before, after=role)
        flash(f"@{user.username} is now {'an' if role == 'admin' else 'a'} {role}.", "success")
    return redirect_back("admin.users")


@bp.post("/users/<int:user_id>/sessions/end")
def end_user_sessions(user_id):
    user = _user(user_id)
    services.end_sessions(user)
    db.session.commit()
    audit("end sessions", user.username)
    if user.id == current_user.id:
        flash("You have been signed out everywhere, this browser included.", "success")
    else:
        flash(f"@{user.username} has been signed out everywhere.", "success")
    return redirect_back("admin.users")
