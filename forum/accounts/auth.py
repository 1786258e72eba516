"""Who is making this request: a browser session cookie, or ``Api-Key``/``Api-Username``
headers. Runs before every request (static files excepted) and sets Flask-Login's current
user directly; CSRF is checked here for cookie-authenticated writes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, g, request, session
from sqlalchemy import update

from forum.accounts.models import AnonymousUser, ApiKey, User
from forum.accounts.services import find_api_key, session_user
from forum.database import SAFE_METHODS, begin_write, utcnow
from forum.errors import InvalidAccess
from forum.extensions import csrf, db, login_manager

TOUCH_EVERY = timedelta(minutes=5)
INVALID_KEY = (
    "You are not permitted to view the requested resource. The API username or key is invalid."
)


def _touch(model, row_id: int, column: str, last: datetime | None) -> None:
    """Record "last seen"/"last used" times, at most once every few minutes per row."""
    now = utcnow()
    if last is not None and now - last < TOUCH_EVERY:
        return
    begin_write()
    db.session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column: now})
        .execution_options(forum_untracked=True)  # not content: keep page caches
    )
    db.session.commit()


def authenticate() -> None:
    if request.endpoint == "static":
        return
    g.api_request = False  # the app context may be shared by several requests (tests)
    key = request.headers.get("Api-Key")
    if key is not None:
        g.api_request = True
        found = find_api_key(key.strip(), request.headers.get("Api-Username"))
        if found is None:
            raise InvalidAccess(INVALID_KEY)
        api_key, g._login_user = found
        _touch(ApiKey, api_key.id, "last_used_at", api_key.last_used_at)
        return
    user = session_user(session.get("sid"))
    if user is None or not user.is_active:
        if user is not None:  # suspended or pending since sign-in
            session.clear()
        g._login_user = AnonymousUser()
    else:
        g._login_user = user
        _touch(User, user.id, "last_seen_at", user.last_seen_at)
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def init_app(app: Flask) -> None:
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    app.before_request(authenticate)
