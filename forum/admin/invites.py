"""Admin: invite links. Whoever registers through one is active at once, skipping approval.
The link is shown once, when it is made; only a hash of its token is kept."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts import services
from forum.accounts.models import Invite
from forum.admin.blueprint import audit, bp, form_int, form_text, get_or_404
from forum.database import utcnow
from forum.extensions import db

MAX_USES = 1000
MAX_DAYS = 365


def _render_invites(form=None, errors=(), status=200):
    invites = db.session.scalars(
        select(Invite)
        .options(joinedload(Invite.created_by))
        .order_by(Invite.created_at.desc(), Invite.id.desc())
        .limit(200)
    ).all()
    default_days = current_app.config["INVITE_DAYS"]
    return render_template(
        "admin/invites.html",
        invites=invites,
        now=utcnow(),
        form=form or {"email": "", "max_uses": "1", "days": str(default_days)},
        errors=list(errors),
        max_uses=MAX_USES,
        max_days=MAX_DAYS,
    ), status


@bp.get("/invites")
def invites():
    return _render_invites()


@bp.post("/invites")
def create_invite():
    form = {
        "email": form_text("email").lower(),
        "max_uses": form_text("max_uses"),
        "days": form_text("days"),
    }
    errors: list[str] = []
    if form["email"] and (not services.EMAIL_RE.match(form["email"]) or len(form["email"]) > 254):
        errors.append("Please enter a valid e-mail address, or leave it empty.")
    max_uses = form_int(
        "max_uses", errors, "Number of uses", default=1, minimum=1, maximum=MAX_USES
    )
    days = form_int(
        "days",
        errors,
        "Days before it expires",
        default=current_app.config["INVITE_DAYS"],
        minimum=1,
        maximum=MAX_DAYS,
    )
    if errors:
        return _render_invites(form, errors, status=422)
    invite, token = services.create_invite(
        current_user, email=form["email"], max_uses=max_uses, days=days
    )
    audit("create invite", invite.email or "(any e-mail)", max_uses=max_uses, days=days)
    link = url_for("accounts.invite", token=token, _external=True)
    response = make_response(render_template("admin/invite_created.html", invite=invite, link=link))
    # The link is on this page only; keep it out of browser and proxy caches.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/invites/<int:invite_id>/revoke")
def revoke_invite(invite_id):
    invite = get_or_404(Invite, invite_id)
    if invite.expires_at > utcnow():
        invite.expires_at = utcnow()
        db.session.commit()
        audit("revoke invite", invite.email or "(any e-mail)", invite_id=invite.id)
        flash("The invite link no longer works.", "success")
    return redirect(url_for("admin.invites"))
