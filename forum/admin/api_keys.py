"""Admin: API keys. A key is shown once, when it is created; only its hash and first four
characters are kept. A single-user key acts only as that user; an all-users key acts as
whoever ``Api-Username`` names, so only admins make them (this whole blueprint is
admins-only)."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts import services
from forum.accounts.models import ApiKey, User
from forum.admin.blueprint import Confirmation, audit, bp, confirm_page, form_text, get_or_404
from forum.extensions import db


def _render_keys(form=None, errors=(), status=200):
    keys = db.session.scalars(
        select(ApiKey)
        .options(joinedload(ApiKey.user))
        .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc(), ApiKey.id.desc())
    ).all()
    creator_ids = {k.created_by_id for k in keys if k.created_by_id}
    creators = {}
    if creator_ids:
        creators = dict(
            db.session.execute(select(User.id, User.username).where(User.id.in_(creator_ids))).all()
        )
    return render_template(
        "admin/api_keys.html",
        keys=keys,
        creators=creators,
        form=form or {"scope": "user", "username": "", "description": ""},
        errors=list(errors),
    ), status


@bp.get("/api-keys")
def api_keys():
    return _render_keys()


@bp.post("/api-keys")
def create_api_key():
    form = {
        "scope": request.form.get("scope", "user"),
        "username": form_text("username").lstrip("@"),
        "description": form_text("description"),
    }
    errors = []
    user = None
    if form["scope"] not in ("user", "all"):
        errors.append("Please choose whom the key acts as.")
    elif form["scope"] == "user":
        user = services.find_user(form["username"]) if form["username"] else None
        if not form["username"]:
            errors.append("Please enter the username the key will act as.")
        elif user is None:
            errors.append(f"No account with the username {form['username']!r}.")
        elif not user.is_active:
            errors.append(f"@{user.username} is not active, so a key for them would not work.")
    if not form["description"]:
        errors.append("Please describe what the key is for (for example, the script using it).")
    elif len(form["description"]) > 200:
        errors.append("Description is too long (maximum is 200 characters).")
    if errors:
        return _render_keys(form, errors, status=422)
    api_key, plaintext = services.create_api_key(
        user, description=form["description"], created_by=current_user
    )
    audit("create api key", api_key.truncated_key, user=user.username if user else "(all users)")
    response = make_response(
        render_template("admin/api_key_created.html", api_key=api_key, key=plaintext, user=user)
    )
    # The key is on this page only; keep it out of browser and proxy caches.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api-keys/<int:key_id>/revoke", methods=["GET", "POST"])
def revoke_api_key(key_id):
    api_key = get_or_404(ApiKey, key_id)
    if api_key.revoked_at is not None:
        flash("That key was already revoked.", "error")
        return redirect(url_for("admin.api_keys"))
    owner = f"@{api_key.user.username}" if api_key.user else "all users"
    if request.method == "GET":
        return confirm_page(
            Confirmation(
                title=f"Revoke the key {api_key.truncated_key}… ({owner})?",
                message=(
                    f"“{api_key.description or 'No description'}” stops working at once. "
                    "Anything still using it will get “invalid access” errors. "
                    "This cannot be undone."
                ),
                action=url_for("admin.revoke_api_key", key_id=api_key.id),
                button="Revoke key",
                cancel=url_for("admin.api_keys"),
            )
        )
    services.revoke_api_key(api_key)
    audit("revoke api key", api_key.truncated_key, user=owner)
    flash(f"Revoked the key {api_key.truncated_key}… ({owner}).", "success")
    return redirect(url_for("admin.api_keys"))
