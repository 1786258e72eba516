"""People and who they belong to: organisations (the LMCs), users, groups, sessions, API keys
and invites."""

from __future__ import annotations

from datetime import datetime

from flask_login import AnonymousUserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.database import utcnow
from forum.extensions import db

NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
ROLES = ("admin", "moderator", "member")
STATUSES = ("pending", "active", "suspended")
#: The two built-in groups: everyone (anonymous visitors included) and every active member.
EVERYONE = "everyone"
MEMBERS = "members"
BUILTIN_GROUPS = (EVERYONE, MEMBERS)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    nation: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(20))
    #: ``username.lower()``: usernames are unique without regard to case.
    username_lower: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    job_role: Mapped[str] = mapped_column(String(100), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    last_posted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    post_count: Mapped[int] = mapped_column(default=0)
    topic_count: Mapped[int] = mapped_column(default=0)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    # Flask-Login's interface.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"

    @property
    def is_staff(self) -> bool:
        return self.role in ("admin", "moderator")

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class AnonymousUser(AnonymousUserMixin):
    """The visitor who has not signed in."""

    id = None
    username = None
    role = None
    status = None
    is_admin = False
    is_moderator = False
    is_staff = False


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-case handle, e.g. ``officers``.
    name: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: ``everyone`` and ``members`` are automatic: nobody is added to them by hand.
    builtin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupMembership(db.Model):
    __tablename__ = "group_memberships"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(db.Model):
    """A signed-in browser. The cookie holds a random token; only its hash is stored, so a
    session ends for good when its row is deleted (sign-out, suspension, password change)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")


class ApiKey(db.Model):
    """A key for the JSON API. With a user it acts only as that user; without one (an
    "all users" key, admins only) it acts as whoever ``Api-Username`` names."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: First characters of the key, shown in the admin list so keys can be told apart.
    truncated_key: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class Invite(db.Model):
    """An invite link: whoever registers through it is active at once, skipping approval."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254), default="")
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()
