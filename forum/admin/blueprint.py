"""The admin blueprint and what every admin page shares: the admins-only gate, the staff
action log, form helpers and the "are you sure?" page.

Every change is a POST (CSRF is checked for all cookie-authenticated writes in
:mod:`forum.accounts.auth`); destructive ones (suspend, delete, revoke) go through a
confirmation page first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import current_user

from forum.accounts.views import safe_next
from forum.errors import ForumError, NotFound
from forum.extensions import db
from forum.permissions import can
from forum.validation import clean_text

bp = Blueprint("admin", __name__, url_prefix="/admin")
#: The staff action log: who did what to whom (security.md §2, logging).
audit_log = logging.getLogger("forum.admin.audit")

PER_PAGE = 50
#: Largest id an ``INTEGER`` column holds; bigger numbers in a URL would make PostgreSQL fail.
MAX_ID = 2**31 - 1


@bp.before_request
def _admins_only():
    # 404 rather than 403: non-admins are not told what lives under /admin.
    if not can(current_user, "admin"):
        raise NotFound()
    g.nav_active = "admin"


def page_number() -> int:
    """``?page=N`` of an admin list, from 1 (anything else: the first page)."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def get_or_404(model, object_id):
    """The row with this primary key, or :class:`NotFound` (out-of-range ids included)."""
    if not isinstance(object_id, int) or not 0 < object_id <= MAX_ID:
        raise NotFound()
    row = db.session.get(model, object_id)
    if row is None:
        raise NotFound()
    return row


def audit(action: str, target: str = "", **details) -> None:
    """Record a staff action. Values are logged with ``%r`` so text typed by users cannot
    forge extra log lines."""
    audit_log.info(
        "admin %s (%r) %s %r %r", current_user.id, current_user.username, action, target, details
    )


def form_text(name: str, *, multiline: bool = False) -> str:
    """A form field as clean, stripped text ('' for unusable input such as NUL bytes)."""
    try:
        value = clean_text(request.form.get(name, ""), name, required=False, multiline=multiline)
    except ForumError:
        return ""
    return value.strip()


def form_int(name: str, errors: list[str], label: str, *, default=None, minimum=0, maximum=10**6):
    """A whole number from the form, within bounds; adds a message to ``errors`` otherwise."""
    raw = request.form.get(name, "").strip()
    if not raw:
        if default is None:
            errors.append(f"Please enter {label.lower()}.")
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"{label} must be a whole number.")
        return default
    if not minimum <= value <= maximum:
        errors.append(f"{label} must be between {minimum} and {maximum}.")
        return default
    return value


def back_to(default_endpoint: str, **values) -> str:
    """Where to go after an action: the form's ``back`` field when it is an admin path (so
    list filters and pages survive), else ``default_endpoint``."""
    back = safe_next(request.form.get("back"))
    if back and back.startswith("/admin/"):
        return back
    return url_for(default_endpoint, **values)


@dataclass
class Confirmation:
    """What the "are you sure?" page shows."""

    title: str
    message: str
    action: str
    button: str
    cancel: str
    danger: bool = True


def confirm_page(confirmation: Confirmation, status: int = 200):
    return render_template("admin/confirm.html", confirm=confirmation), status


def redirect_back(default_endpoint: str, **values):
    return redirect(back_to(default_endpoint, **values))
