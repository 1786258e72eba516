"""A mentor's card attached to a post: in reply to "has anyone been through a practice
merger?", a member attaches the card of a mentor who has (the composer's picker, or the
post's Attach page, by username). The card shows the profile as the directory does, to those who may
see it in the directory; nothing about anyone's requests."""

from __future__ import annotations

from sqlalchemy import and_, select

from forum.accounts.models import User
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.hooktypes import AttachmentType

from . import access
from .models import MentorProfile

KEY = "mentoring.mentor"
COOK_VERSION = "mentoring:1"


def attachment_type() -> AttachmentType:
    return AttachmentType(
        key=KEY,
        label="Mentor",
        load=load,
        validate=validate,
        template="mentoring/_card.html",
        to_json=to_json,
        options=options,
        everywhere=True,
    )


def load(ids: list[int], user) -> dict[int, MentorProfile]:
    """The profiles with these ids that ``user`` may see in the directory, in one query."""
    rows = db.session.scalars(
        select(MentorProfile).where(and_(MentorProfile.id.in_(ids), access.directory_visible(user)))
    )
    found = {profile.id: profile for profile in rows}
    from .views import remember_people  # the cards' names and LMCs, in one query each

    remember_people(list(found.values()))
    return found


def validate(user, ref: str, post) -> int:
    """A mentor's username (or profile number) that ``user`` may see in the directory."""
    ref = ref.strip().removeprefix("@")
    query = select(MentorProfile).join(User, User.id == MentorProfile.user_id)
    if ref.isascii() and ref.isdecimal() and len(ref) < 12:
        profile = db.session.scalar(query.where(MentorProfile.id == int(ref)))
    else:
        profile = db.session.scalar(query.where(User.username_lower == ref.lower()[:20]))
    if profile is None or not access.can_see_profile(user, profile):
        raise ValidationFailed(f"There is no mentor {ref[:30]!r} in the directory you can see.")
    return profile.id


def to_json(profile: MentorProfile) -> dict:
    """What post JSON carries: the directory's public face of the profile."""
    return {
        "id": profile.id,
        "user_id": profile.user_id,
        "url": f"/mentoring/mentors/{profile.user_id}",
        "kinds": profile.values("kind"),
        "expertise": profile.values("expertise"),
        "modes": profile.values("mode"),
        "accepting": profile.taking_mentees,
    }


def options(user, category) -> list[tuple[str, str]]:
    """The picker's choices: mentors ``user`` may see, by name."""
    rows = db.session.execute(
        select(MentorProfile.id, User.username, User.name)
        .join(User, User.id == MentorProfile.user_id)
        .where(access.directory_visible(user))
        .order_by(User.name, User.username)
        .limit(500)
    )
    return [(str(pid), name or username) for pid, username, name in rows]
