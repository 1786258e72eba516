"""Sign-in, sign-out, registration (with approval or an invite link) and profiles.

Security choices (from the project's security notes, security.md §1.6–1.7 and §2):

* Sign-in answers the same for an unknown account and a wrong password (the password is
  hashed either way), so the form cannot be used to find out who has an account.
* Failed sign-ins are throttled per IP address with Flask-Limiter (``LOGIN_FAILURE_LIMIT``);
  only failures count, so people who type their password right are never slowed down, and a
  victim can still sign in from another address (no malicious lock-out).
* Signing in starts a fresh server-side session; signing out deletes it, so a copied cookie
  stops working. Changing a password ends every other session.
* ``next`` may only name a path on this site (no ``//host``, schemes or backslashes).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.accounts import services
from forum.accounts.models import NATIONS, Organisation, User
from forum.errors import ForumError, InvalidAccess, NotFound
from forum.extensions import db, limiter
from forum.permissions import can, category_levels
from forum.plugin_system import slot
from forum.topics import queries
from forum.topics.models import Post, Topic
from forum.validation import clean_text

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)

GENERIC_LOGIN_ERROR = "That username, e-mail address or password is not right."
PENDING_MESSAGE = (
    "Your account is waiting for approval by an administrator. "
    "You will be able to sign in once it has been approved."
)
SUSPENDED_MESSAGE = (
    "This account is suspended. Please contact the LMC Hub administrators if you think "
    "this is a mistake."
)
THROTTLED_MESSAGE = "Too many failed sign-in attempts from your network."
#: Suggestions offered for "job role" (free text: LMCs use many titles).
JOB_ROLES = (
    "Chief executive",
    "Medical secretary",
    "Chair",
    "Vice chair",
    "Treasurer",
    "Executive officer",
    "Office manager",
    "Administrator",
    "Committee member",
    "GP partner",
    "Salaried GP",
    "Practice manager",
)
MAX_BIO_LENGTH = 3000
MAX_FIELD_LENGTH = 100
PROFILE_LIST_LIMIT = 10


# Helpers -------------------------------------------------------------------------------------


def safe_next(target) -> str | None:
    """``target`` if it is a path on this site, else ``None``.

    Refuses absolute URLs, scheme-relative ``//host`` and their disguises: browsers treat
    ``\\`` as ``/`` and drop tabs and newlines, so ``/\\evil.com`` or ``/\\t/evil.com`` would
    leave the site.
    """
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if not target.startswith("/") or "\\" in target:
        return None
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.rstrip("?") or "/"


def _home() -> str:
    return url_for("topics.latest")


def _client() -> dict:
    return {
        "ip": request.remote_addr or "",
        "user_agent": request.headers.get("User-Agent", ""),
    }


def _text(name: str, *, multiline: bool = False) -> str:
    """A form field as clean text; unusable input (NUL bytes) becomes an empty string so the
    form re-renders instead of failing."""
    try:
        value = clean_text(request.form.get(name, ""), name, required=False, multiline=multiline)
    except ForumError:
        return ""
    return value if multiline else value.strip()


#: Marks a request whose password check failed. Kept in the WSGI environ, which lives
#: exactly as long as the request (``flask.g`` can outlive it when an app context is reused).
FAILED_FLAG = "forum.sign_in_failed"


def _sign_in_failed(_response) -> bool:
    """Flask-Limiter asks this after the response: only failed attempts use up the limit."""
    return bool(request.environ.get(FAILED_FLAG))


def _login_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


#: One budget of failed password checks per IP address, shared by the sign-in form and the
#: change-password form (a stolen session must not be a way to guess the password).
password_attempts = limiter.shared_limit(
    _login_limit,
    scope="password-attempts",
    methods=["POST"],
    deduct_when=_sign_in_failed,
    error_message=THROTTLED_MESSAGE,
)


def _organisations() -> dict[str, list[Organisation]]:
    """Organisations grouped by nation, for the ``<select>``."""
    grouped: dict[str, list[Organisation]] = {nation: [] for nation in NATIONS}
    for org in db.session.scalars(select(Organisation).order_by(Organisation.name)):
        grouped.setdefault(org.nation, []).append(org)
    return {nation: orgs for nation, orgs in grouped.items() if orgs}


def _organisation_id(errors: list[str]) -> int | None:
    raw = request.form.get("organisation_id", "").strip()
    if not raw:
        return None
    # Bounded so an absurd number cannot overflow PostgreSQL's INTEGER.
    if not raw.isdigit() or len(raw) > 9 or db.session.get(Organisation, int(raw)) is None:
        errors.append("Please choose an organisation from the list.")
        return None
    return int(raw)


def _check_length(value: str, label: str, maximum: int, errors: list[str]) -> None:
    if len(value) > maximum:
        errors.append(f"{label} is too long (maximum is {maximum} characters).")


# Sign-in and sign-out ------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@password_attempts
def login():
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or _home())
    form = {"login": "", "next": next_url or ""}
    errors: list[str] = []
    if request.method == "POST":
        form["login"] = _text("login")
        password = request.form.get("password", "")
        user = None
        if form["login"] and len(form["login"]) <= 254:
            user = services.find_user_by_login(form["login"])
        ok = len(password) <= 1024 and services.verify_password(user, password)
        if not ok:
            request.environ[FAILED_FLAG] = True
            log.info("sign-in failed for %r from %s", form["login"][:60], request.remote_addr)
            errors.append(GENERIC_LOGIN_ERROR)
        elif user.status == "pending":
            errors.append(PENDING_MESSAGE)
        elif user.status == "suspended":
            errors.append(SUSPENDED_MESSAGE)
        else:
            services.sign_in(user, **_client())
            log.info("sign-in: user %s from %s", user.id, request.remote_addr)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(next_url or _home())
    status = 422 if errors else 200
    return render_template("accounts/login.html", form=form, errors=errors), status


@bp.post("/logout")
def logout():
    services.sign_out()
    flash("You have signed out.", "success")
    return redirect(_home())


# Registration --------------------------------------------------------------------------------


def _invite_from_request():
    """``(token, invite)``: the invite token in the request and the invite if still usable."""
    token = request.values.get("invite") or None
    return token, services.usable_invite(token) if token else None


def _validate_signup(form: dict, password: str, errors: list[str]) -> None:
    """Collect every problem with the sign-up form at once (not just the first)."""
    for field, message in (
        ("username", "Please choose a username."),
        ("name", "Please enter your name."),
        ("email", "Please enter your e-mail address."),
    ):
        if not form[field]:
            errors.append(message)
    if form["username"] and form["email"]:
        try:
            services.validate_new_user(form["username"], form["email"], form["name"])
        except ForumError as exc:
            errors.extend(exc.messages)
    elif form["username"]:
        if not services.USERNAME_RE.match(form["username"]):
            errors.append("Username must be 3 to 20 characters: letters, digits, _ . or -")
        elif services.find_user(form["username"]) is not None:
            errors.append("That username is taken")
    elif form["email"] and not services.EMAIL_RE.match(form["email"]):
        errors.append("Please enter a valid e-mail address")
    if not (form["username"] and form["email"]):  # else validate_new_user checked it
        _check_length(form["name"], "Name", MAX_FIELD_LENGTH, errors)
    _check_length(form["job_role"], "Job role", MAX_FIELD_LENGTH, errors)
    if not password:
        errors.append("Please choose a password.")
    elif "\x00" in password:
        errors.append("Your password contains a character that cannot be used.")
    else:
        try:
            services.check_password_rules(password, form["username"])
        except ForumError as exc:
            errors.extend(exc.messages)


def _register(form: dict, password: str, token: str | None, errors: list[str]):
    """Create the account, or add to ``errors`` and return ``None``."""
    organisation_id = _organisation_id(errors)
    _validate_signup(form, password, errors)
    if errors:
        return None
    try:
        user = services.register(
            form["username"],
            form["email"],
            password,
            name=form["name"],
            invite_token=token,
            organisation_id=organisation_id,
        )
        user.job_role = form["job_role"]
        db.session.commit()
    except ForumError as exc:
        db.session.rollback()
        errors.extend(exc.messages)
    except IntegrityError:
        # Someone took the username or e-mail between our check and the insert.
        db.session.rollback()
        errors.append("That username or e-mail address has just been taken.")
    else:
        log.info("registered: user %s (%s)", user.id, "invite" if token else "pending")
        return user
    return None


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        flash("You already have an account and are signed in.", "info")
        return redirect(_home())
    token, invite = _invite_from_request()
    errors: list[str] = []
    if token and invite is None:
        errors.append(
            "That invite link has expired or has already been used. You can still register "
            "below; an administrator will then approve your account."
        )
    form = {
        "username": "",
        "name": "",
        "email": invite.email if invite else "",
        "organisation_id": "",
        "job_role": "",
    }
    if request.method == "POST":
        for field in ("username", "name", "email", "job_role"):
            form[field] = _text(field)
        form["organisation_id"] = request.form.get("organisation_id", "").strip()
        if not errors:
            user = _register(form, request.form.get("password", ""), token, errors)
            if user is not None and user.is_active:
                services.sign_in(user, **_client())
                flash(f"Welcome to {current_app.config['SITE_NAME']}, {user.display_name}.")
                return redirect(_home())
            if user is not None:
                return redirect(url_for("accounts.signup_pending"))
    page = render_template(
        "accounts/signup.html",
        form=form,
        errors=errors,
        invite=invite,
        invite_token=token if invite else None,
        organisations=_organisations(),
        job_roles=JOB_ROLES,
        min_password=current_app.config["MIN_PASSWORD_LENGTH"],
    )
    return page, (422 if errors and request.method == "POST" else 200)


@bp.get("/signup/pending")
def signup_pending():
    return render_template("accounts/signup_pending.html")


@bp.get("/invites/<token>")
def invite(token):
    """The link given out by admins; the sign-up form does the checking."""
    return redirect(url_for("accounts.signup", invite=token))


# Profiles ------------------------------------------------------------------------------------


def _visible_counts(viewer, user: User) -> tuple[int, int]:
    """How many topics and posts ``user`` has where ``viewer`` can see them (the stored
    counters include private categories, which must not leak)."""
    visible = list(category_levels(viewer))
    if not visible:
        return 0, 0
    staff = viewer.is_authenticated and viewer.is_active and viewer.is_staff
    topics = select(func.count(Topic.id)).where(
        Topic.user_id == user.id, Topic.category_id.in_(visible)
    )
    posts = (
        select(func.count(Post.id))
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.user_id == user.id, Topic.category_id.in_(visible))
    )
    if not staff:
        topics = topics.where(Topic.deleted_at.is_(None))
        posts = posts.where(Post.deleted_at.is_(None), Topic.deleted_at.is_(None))
    return db.session.scalar(topics) or 0, db.session.scalar(posts) or 0


def _visible_user(username) -> User:
    user = services.find_user(username)
    if user is None or not can(current_user, "user.see", user):
        raise NotFound()
    return user


@bp.get("/u/<username>")
def profile(username):
    user = _visible_user(username)
    topic_count, post_count = _visible_counts(current_user, user)
    is_self = current_user.is_authenticated and current_user.id == user.id
    return render_template(
        "accounts/profile.html",
        user=user,
        topics=queries.user_topics(current_user, user, limit=PROFILE_LIST_LIMIT),
        posts=queries.user_posts(current_user, user, limit=PROFILE_LIST_LIMIT),
        topic_count=topic_count,
        post_count=post_count,
        is_self=is_self,
        can_edit=is_self or can(current_user, "admin"),
        panels=slot(
            "user_profile_panels", profile_user=user, viewer=current_user._get_current_object()
        ),
    )


def _editable_user(username):
    """The user whose profile the current user may edit: their own, or anyone's for admins."""
    if not current_user.is_authenticated:
        return None
    user = services.find_user(username)
    if user is None:
        raise NotFound()
    if user.id != current_user.id and not can(current_user, "admin"):
        raise InvalidAccess()
    return user


def _render_edit(user, *, form=None, errors=(), password_errors=(), status=200):
    form = form or {
        "name": user.name,
        "job_role": user.job_role,
        "organisation_id": str(user.organisation_id or ""),
        "bio": user.bio,
    }
    return render_template(
        "accounts/edit.html",
        user=user,
        form=form,
        errors=list(errors),
        password_errors=list(password_errors),
        organisations=_organisations(),
        job_roles=JOB_ROLES,
        is_self=user.id == current_user.id,
        min_password=current_app.config["MIN_PASSWORD_LENGTH"],
        max_bio=MAX_BIO_LENGTH,
    ), status


@bp.route("/u/<username>/edit", methods=["GET", "POST"])
def edit_profile(username):
    user = _editable_user(username)
    if user is None:
        return redirect(url_for("accounts.login", next=request.path))
    if request.method == "GET":
        return _render_edit(user)
    errors: list[str] = []
    form = {
        "name": _text("name"),
        "job_role": _text("job_role"),
        "organisation_id": request.form.get("organisation_id", "").strip(),
        "bio": _text("bio", multiline=True).strip(),
    }
    organisation_id = _organisation_id(errors)
    if not form["name"]:
        errors.append("Please enter a name.")
    _check_length(form["name"], "Name", MAX_FIELD_LENGTH, errors)
    _check_length(form["job_role"], "Job role", MAX_FIELD_LENGTH, errors)
    _check_length(form["bio"], "About me", MAX_BIO_LENGTH, errors)
    if errors:
        return _render_edit(user, form=form, errors=errors, status=422)
    user.name = form["name"]
    user.job_role = form["job_role"]
    user.organisation_id = organisation_id
    user.bio = form["bio"]
    db.session.commit()
    if user.id != current_user.id:
        log.info("admin %s edited the profile of user %s", current_user.id, user.id)
    flash("Profile saved.", "success")
    return redirect(url_for("accounts.profile", username=user.username))


@bp.post("/u/<username>/password")
@password_attempts
def change_password(username):
    user = _editable_user(username)
    if user is None:
        return redirect(url_for("accounts.login", next=url_for(".edit_profile", username=username)))
    if user.id != current_user.id:
        # Admins edit profiles, never other people's passwords.
        raise InvalidAccess()
    current = request.form.get("current_password", "")
    new = request.form.get("new_password", "")
    errors: list[str] = []
    if len(current) > 1024 or not services.verify_password(user, current):
        request.environ[FAILED_FLAG] = True
        errors.append("Your current password is not right.")
    elif "\x00" in new:
        errors.append("Your new password contains a character that cannot be used.")
    else:
        try:
            services.set_password(user, new)  # also ends every session of this user
        except ForumError as exc:
            db.session.rollback()
            errors.extend(exc.messages)
    if errors:
        return _render_edit(user, password_errors=errors, status=422)
    db.session.commit()
    services.sign_in(user, **_client())  # this browser carries on with a fresh session
    log.info("password changed: user %s", user.id)
    flash("Password changed. You have been signed out on every other device.", "success")
    return redirect(url_for("accounts.profile", username=user.username))
