"""The mentoring directory's tables: mentor profiles with their set-valued fields and
excluded organisations, mentoring requests with every workflow transition, and session notes.

Set-valued fields (kinds, roles, expertise, audiences, modes, languages of a profile; the
needs, kinds and modes a request asks for) are rows of ``(facet, value)`` so that the
directory filters on them in SQL. Request details (goals, preferences, notes) are the
confidential part: :attr:`MentoringRequest.details_purged_at` records when they were erased.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.database import utcnow
from forum.extensions import db


class MentorProfile(db.Model):
    """One member's offer to mentor or buddy others (domain.md §3.2)."""

    __tablename__ = "mentoring_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    nation: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(60), default="")
    current_roles_text: Mapped[str] = mapped_column(String(200), default="")
    years_experience: Mapped[int | None]
    years_in_role: Mapped[int | None]
    #: JSON list of ``{"name", "awarding_body", "year", "verified"}``.
    qualifications: Mapped[str] = mapped_column(Text, default="[]")
    professional_body: Mapped[str] = mapped_column(String(10), default="")
    #: Seen by admins only.
    professional_number: Mapped[str] = mapped_column(String(20), default="")
    professional_verified: Mapped[bool] = mapped_column(default=False)
    in_person_area: Mapped[str] = mapped_column(String(120), default="")
    radius_km: Mapped[int | None]
    availability: Mapped[str] = mapped_column(Text, default="")
    next_available_date: Mapped[date | None] = mapped_column(Date)
    capacity_max: Mapped[int] = mapped_column(default=1)
    #: Matches now active (kept by the request service, so the directory need not count).
    active_count: Mapped[int] = mapped_column(default=0)
    #: The mentor's own switch; the directory also treats a full mentor as not accepting.
    accepting: Mapped[bool] = mapped_column(default=True, index=True)
    prefers_out_of_area: Mapped[bool] = mapped_column(default=False)
    bio: Mapped[str] = mapped_column(Text, default="")
    has_supervision: Mapped[bool] = mapped_column(default=False)
    directory_visibility: Mapped[str] = mapped_column(String(20), default="all_members")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    tags: Mapped[list[ProfileTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProfileTag.value"
    )
    exclusions: Mapped[list[ProfileExclusion]] = relationship(cascade="all, delete-orphan")

    def values(self, facet: str) -> list[str]:
        return [tag.value for tag in self.tags if tag.facet == facet]

    @property
    def full(self) -> bool:
        return self.active_count >= self.capacity_max

    @property
    def taking_mentees(self) -> bool:
        return self.accepting and not self.full


class ProfileTag(db.Model):
    """One value of a profile's set-valued field: ``("expertise", "negotiation")``."""

    __tablename__ = "mentoring_profile_tag"
    __table_args__ = (Index("ix_mentoring_profile_tag_facet_value", "facet", "value"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_profile.id", ondelete="CASCADE"), primary_key=True
    )
    #: ``kind``, ``role``, ``expertise``, ``audience``, ``mode`` or ``language``.
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)


class ProfileExclusion(db.Model):
    """An organisation whose people a mentor will not take on (a conflict of interest)."""

    __tablename__ = "mentoring_profile_exclusion"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_profile.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )


class MentoringRequest(db.Model):
    """Someone asking for a mentor or buddy, and where that has got to (domain.md §3.4).

    Coordinators see ``state`` and the dates only; everything else is for the requester and,
    once matched, their mentor."""

    __tablename__ = "mentoring_request"
    __table_args__ = (Index("ix_mentoring_request_state_updated", "state", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: A pastoral request may go under a name of the requester's choosing.
    pseudonym: Mapped[str] = mapped_column(String(60), default="")
    role: Mapped[str] = mapped_column(String(30), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    nation: Mapped[str] = mapped_column(String(20), default="")
    audience: Mapped[str] = mapped_column(String(30), default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    preferences: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(10), default="routine")
    wellbeing: Mapped[bool] = mapped_column(default=False)
    out_of_area: Mapped[bool] = mapped_column(default=False)
    nation_matters: Mapped[bool] = mapped_column(default=False)
    consent_to_coordinator: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(20), default="draft")
    #: Mentor user ids offered, best first (JSON list).
    shortlist: Mapped[str] = mapped_column(String(200), default="[]")
    invited_mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    sessions: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    details_purged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    tags: Mapped[list[RequestTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RequestTag.value"
    )

    def values(self, facet: str) -> list[str]:
        return [tag.value for tag in self.tags if tag.facet == facet]


class RequestTag(db.Model):
    """One need, kind or mode a request asks for."""

    __tablename__ = "mentoring_request_tag"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), primary_key=True
    )
    #: ``need``, ``kind`` or ``mode``.
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)


class RequestTransition(db.Model):
    """One step of a request's workflow: from what, to what, by whom, in which role, when."""

    __tablename__ = "mentoring_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: ``mentee``, ``mentor``, ``coordinator`` or ``system``.
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionNote(db.Model):
    """A note of a mentoring session, private to its author unless shared with the other
    party of the match."""

    __tablename__ = "mentoring_note"
    __table_args__ = (UniqueConstraint("request_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


MODELS = [
    MentorProfile,
    ProfileTag,
    ProfileExclusion,
    MentoringRequest,
    RequestTag,
    RequestTransition,
    SessionNote,
]
