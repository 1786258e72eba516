"""Who is making this request: a browser session cookie, or ``Api-Key``/``Api-Username``
headers. Runs before every request (static files excepted) and sets Flask-Login's current
user directly; CSRF is checked here for cookie-authenticated writes."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, request, session
from sqlalchemy import update

from forum.accounts.models import AnonymousUser, User
from forum.accounts.services import api_key_user, session_user
from forum.database import SAFE_METHODS, begin_write, utcnow
from forum.errors import InvalidAccess
from forum.extensions import csrf, db, login_manager

LAST_SEEN_EVERY = timedelta(minutes=5)
INVALID_KEY = (
    "You are not permitted to view the requested resource. The API username or key is invalid."
)


def _touch_last_seen(user: User) -> None:
    now = utcnow()
    if user.last_seen_at is not None and now - user.last_seen_at < LAST_SEEN_EVERY:
        return
    user_id = user.id
    begin_write()
    db.session.execute(update(User).where(User.id == user_id).values(last_seen_at=now))
    db.session.commit()


def authenticate() -> None:
    if request.endpoint == "static":
        return
    g.api_request = False  # the app context may be shared by several requests (tests)
    key = request.headers.get("Api-Key")
    if key is not None:
        g.api_request = True
        user = api_key_user(key.strip(), request.headers.get("Api-Username"))
        if user is None:
            raise InvalidAccess(INVALID_KEY)
        g._login_user = user
        return
    user = session_user(session.get("sid"))
    if user is None or not user.is_active:
        if user is not None:  # suspended or pending since sign-in
            session.clear()
        g._login_user = AnonymousUser()
    else:
        g._login_user = user
        _touch_last_seen(user)
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def init_app(app: Flask) -> None:
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    app.before_request(authenticate)
