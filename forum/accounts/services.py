"""Accounts: registration, approval, passwords, sessions, API keys and invites."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts.models import (
    ROLES,
    ApiKey,
    Group,
    GroupMembership,
    Invite,
    User,
    UserSession,
)
from forum.database import utcnow
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.validation import clean_text

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{3,20}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
#: A few of the most common passwords; longer lists belong in a later issue.
COMMON_PASSWORDS = frozenset(
    {
        "password123", "password1234", "1234567890", "qwertyuiop", "letmein123",
        "iloveyou123", "welcome123", "password12", "abc1234567", "passw0rd123",
        "0123456789", "1111111111", "administrator", "changeme123",
    }
)  # fmt: skip


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(username: str | None) -> User | None:
    if not username or not isinstance(username, str):
        return None
    return db.session.scalar(select(User).where(User.username_lower == username.lower()))


def find_user_by_login(login: str) -> User | None:
    """The user whose username or e-mail is ``login``."""
    login = (login or "").strip().lower()
    if "@" in login:
        return db.session.scalar(select(User).where(User.email == login))
    return db.session.scalar(select(User).where(User.username_lower == login))


def check_password_rules(password: str, username: str = "") -> None:
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    if len(password) < minimum:
        raise ValidationFailed(f"Password is too short (minimum is {minimum} characters)")
    if len(password) > 1024:
        raise ValidationFailed("Password is too long (maximum is 1024 characters)")
    if password.lower() in COMMON_PASSWORDS or (username and password.lower() == username.lower()):
        raise ValidationFailed("That password is too easy to guess; please choose another.")


def validate_new_user(username, email, name="") -> tuple[str, str, str]:
    username = clean_text(username, "username", multiline=False).strip()
    email = clean_text(email, "email", multiline=False).strip().lower()
    name = clean_text(name, "name", required=False, multiline=False).strip()
    errors = []
    if not USERNAME_RE.match(username):
        errors.append("Username must be 3 to 20 characters: letters, digits, _ . or -")
    elif find_user(username) is not None:
        errors.append("That username is taken")
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors.append("Please enter a valid e-mail address")
    elif db.session.scalar(select(User.id).where(User.email == email)) is not None:
        errors.append("An account with that e-mail address already exists")
    if len(name) > 100:
        errors.append("Name is too long (maximum is 100 characters)")
    if errors:
        raise ValidationFailed(*errors)
    return username, email, name


def create_user(
    username,
    email,
    password,
    *,
    name="",
    role="member",
    status="active",
    organisation_id=None,
    job_role="",
    bio="",
    commit=True,
) -> User:
    username, email, name = validate_new_user(username, email, name)
    password = clean_text(password, "password", multiline=False)
    check_password_rules(password, username)
    if role not in ROLES:
        raise ValidationFailed(f"Role must be one of {', '.join(ROLES)}")
    user = User(
        username=username,
        username_lower=username.lower(),
        email=email,
        name=name,
        password_hash=_hash(password),
        role=role,
        status=status,
        organisation_id=organisation_id,
        job_role=job_role,
        bio=bio,
        approved_at=utcnow() if status == "active" else None,
    )
    db.session.add(user)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return user


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(user: User | None, password: str) -> bool:
    if user is None or not user.password_hash:
        # Spend the same time as a real check so the answer does not reveal who exists.
        check_password_hash(_dummy_hash(), password or "")
        return False
    return check_password_hash(user.password_hash, password or "")


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(generate_password_hash(secrets.token_hex(8)))
    return _DUMMY[0]


def set_password(user: User, password: str) -> None:
    check_password_rules(password, user.username)
    user.password_hash = _hash(password)
    end_sessions(user)  # every other browser must sign in again


# Sessions ------------------------------------------------------------------------------------


def sign_in(user: User, *, ip: str = "", user_agent: str = "") -> None:
    """Start a fresh server-side session for ``user`` (the old cookie is discarded)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            ip_address=(ip or "")[:64],
            user_agent=(user_agent or "")[:255],
        )
    )
    db.session.commit()
    session["sid"] = token
    session.permanent = True


def sign_out() -> None:
    token = session.get("sid")
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
        db.session.commit()
    session.clear()


def session_user(token) -> User | None:
    """The active user whose session ``token`` names, if it has not expired."""
    if not token or not isinstance(token, str):
        return None
    max_age = timedelta(seconds=current_app.config["SESSION_MAX_AGE_SECONDS"])
    return db.session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == token_hash(token))
        .where(UserSession.created_at >= utcnow() - max_age)
    )


def end_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


# Moderation of accounts ----------------------------------------------------------------------


def set_status(user: User, status: str) -> None:
    if status not in ("pending", "active", "suspended"):
        raise ValidationFailed("Unknown status")
    user.status = status
    if status == "active" and user.approved_at is None:
        user.approved_at = utcnow()
    if status != "active":
        end_sessions(user)
    db.session.commit()


def set_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValidationFailed(f"Role must be one of {', '.join(ROLES)}")
    user.role = role
    db.session.commit()


# Groups --------------------------------------------------------------------------------------


def find_group(name: str) -> Group | None:
    return db.session.scalar(select(Group).where(Group.name == (name or "").lower()))


def add_to_group(user: User, group: Group) -> None:
    if group.builtin:
        raise ValidationFailed(f"Nobody is added to the automatic group {group.name!r} by hand")
    exists = db.session.get(GroupMembership, (group.id, user.id))
    if exists is None:
        db.session.add(GroupMembership(group_id=group.id, user_id=user.id))


def group_member_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(GroupMembership.group_id, func.count()).group_by(GroupMembership.group_id)
    )
    return dict(rows.all())


# API keys ------------------------------------------------------------------------------------


def create_api_key(user: User | None, *, description: str = "", created_by: User | None = None):
    """Create a key; returns ``(ApiKey, plaintext)``. The plaintext is shown once only."""
    key = secrets.token_hex(32)
    api_key = ApiKey(
        key_hash=token_hash(key),
        truncated_key=key[:4],
        user_id=user.id if user else None,
        description=description[:200],
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(api_key)
    db.session.commit()
    return api_key, key


def revoke_api_key(api_key: ApiKey) -> None:
    api_key.revoked_at = utcnow()
    db.session.commit()


def find_api_key(key: str, username: str | None) -> tuple[ApiKey, User] | None:
    """The key and the user a request with these headers acts as, or ``None`` when they are
    invalid (unknown or revoked key, another user's single-user key, inactive user)."""
    if not key or len(key) > 200:
        return None
    api_key = db.session.scalar(
        select(ApiKey).where(ApiKey.key_hash == token_hash(key), ApiKey.revoked_at.is_(None))
    )
    if api_key is None:
        return None
    if api_key.user_id is not None:
        user = api_key.user
        if username and user.username_lower != username.lower():
            return None
    else:
        user = find_user(username)
    if user is None or not user.is_active:
        return None
    return api_key, user


def api_key_user(key: str, username: str | None) -> User | None:
    """The user a request with these headers acts as, or ``None`` when they are invalid."""
    found = find_api_key(key, username)
    return found[1] if found else None


# Invites -------------------------------------------------------------------------------------


def create_invite(created_by: User, *, email: str = "", max_uses: int = 1, days: int | None = None):
    """Create an invite link token; returns ``(Invite, plaintext token)``."""
    token = secrets.token_urlsafe(24)
    days = days or current_app.config["INVITE_DAYS"]
    invite = Invite(
        token_hash=token_hash(token),
        created_by_id=created_by.id,
        email=(email or "").strip().lower(),
        max_uses=max(1, min(int(max_uses), 1000)),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invite)
    db.session.commit()
    return invite, token


def usable_invite(token) -> Invite | None:
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    if invite is None or invite.uses >= invite.max_uses or invite.expires_at < utcnow():
        return None
    return invite


def register(username, email, password, *, name="", invite_token=None, organisation_id=None):
    """Create an account: active at once with a valid invite, otherwise pending approval."""
    invite = usable_invite(invite_token) if invite_token else None
    if invite_token and invite is None:
        raise ValidationFailed("That invite link has expired or has already been used.")
    if invite is not None and invite.email and invite.email != (email or "").strip().lower():
        raise ValidationFailed("That invite link was made for a different e-mail address.")
    user = create_user(
        username,
        email,
        password,
        name=name,
        status="active" if invite else "pending",
        organisation_id=organisation_id,
        commit=False,
    )
    if invite is not None:
        invite.uses += 1
    db.session.commit()
    return user
