"""Mentor profiles: the only code that writes ``mentoring_profile`` (apart from the request
service keeping ``active_count``), and the directory's query.

:func:`save_profile` checks every field and lists every problem at once
(:class:`forum.errors.ValidationFailed`); :func:`directory` filters in SQL, one query plus the
tags' ``selectin`` load; :func:`mentor_for_matching` turns a row into the pure
:class:`plugins.mentoring.matching.Mentor`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from forum.accounts.models import Organisation, User
from forum.database import utcnow
from forum.errors import InvalidAccess, NotFound, ValidationFailed
from forum.extensions import db

from . import access, matching, vocabulary
from .models import MentorProfile, ProfileExclusion, ProfileTag

#: The library's 24 topics (domain.md §2.4), by the same slugs as the Resource Centre, as
#: expertise areas; kept here so that this plugin does not import another.
TOPIC_EXPERTISE = {
    "contracts": "GP contracts & regulations",
    "funding": "Funding & payments",
    "enhanced-services": "Enhanced & locally commissioned services",
    "pcns": "PCNs & Network Contract DES",
    "commissioners": "Commissioners & system relations",
    "premises": "Premises & estates",
    "workforce": "Workforce, employment & HR",
    "sessional-gps": "Sessional, salaried, locum & trainee GPs",
    "partnerships": "Partnerships & partnership agreements",
    "resilience": "Practice resilience: mergers, closures, handbacks",
    "workload": "Workload & safe working",
    "interface": "Primary/secondary care interface",
    "regulation": "Regulation, quality & performance",
    "pensions": "Pensions, tax & personal finance",
    "information-governance": "Information governance, data sharing & digital",
    "prescribing": "Prescribing, medicines & shared care",
    "public-health": "Immunisations, screening & public health",
    "lmc-governance": "LMC constitution, elections & governance",
    "lmc-finance": "LMC finance, levy & company matters",
    "conflicts": "Conflicts of interest & probity",
    "representation": "National representation & conferences",
    "communications": "Communications, media & campaigns",
    "wellbeing": "Wellbeing, pastoral & practitioner support",
    "development": "LMC officer & staff development",
}
#: Every expertise area a profile may list and a request may ask for.
EXPERTISE = {**TOPIC_EXPERTISE, **vocabulary.MENTORING_EXPERTISE}

NATIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}

CAPACITY_MIN = 1
CAPACITY_MAX = 20
BIO_MAX = 1000
LANGUAGE_MAX = 40
LANGUAGES_MAX = 10
_LANGUAGE = re.compile(r"^[^\W\d_][\w' -]*$")

#: Set-valued fields: form name → (facet, vocabulary or ``None`` for free text, required).
FACETS = {
    "kinds": ("kind", vocabulary.KINDS, True),
    "roles": ("role", vocabulary.ROLES, False),
    "expertise": ("expertise", EXPERTISE, True),
    "audiences": ("audience", vocabulary.AUDIENCES, True),
    "modes": ("mode", vocabulary.MODES, True),
    "languages": ("language", None, False),
}
_FACET_NOUNS = {
    "kinds": "kind of mentoring you offer",
    "roles": "role",
    "expertise": "area of expertise",
    "audiences": "audience you serve",
    "modes": "way of meeting (video, phone, in person or messages)",
}

_TRUE = {"1", "true", "on", "yes", "y"}


# -- Reading a form ---------------------------------------------------------------------------


def many(form: Mapping, name: str) -> list[str]:
    """A multi-valued field as a list of stripped, distinct strings: a list, a werkzeug
    ``MultiDict``'s values, or one comma-separated string."""
    if hasattr(form, "getlist"):
        raw = form.getlist(name)
        if len(raw) == 1 and isinstance(raw[0], str):
            raw = raw[0].split(",")
    else:
        raw = form.get(name)
        if raw is None:
            raw = []
        elif isinstance(raw, str):
            raw = raw.split(",")
        elif not isinstance(raw, Iterable):
            raw = [raw]
    seen: list[str] = []
    for item in raw:
        value = str(item).strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def flag(form: Mapping, name: str, default: bool = False) -> bool:
    value = form.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


def text(form: Mapping, name: str) -> str:
    value = form.get(name)
    return "" if value is None else str(value).strip()


def choices(values: list[str], allowed: Mapping, what: str, errors: list[str]) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        errors.append(f"Unknown {what}: {', '.join(sorted(unknown))}.")
    return [value for value in values if value in allowed]


def languages(values: list[str], errors: list[str]) -> list[str]:
    cleaned = []
    for value in values:
        if len(value) > LANGUAGE_MAX or not _LANGUAGE.match(value):
            errors.append(f"{value[:LANGUAGE_MAX]!r} is not a language name.")
            continue
        if value.casefold() not in cleaned:
            cleaned.append(value.casefold())
    if len(cleaned) > LANGUAGES_MAX:
        errors.append(f"List at most {LANGUAGES_MAX} languages.")
    return cleaned


def _capacity(form: Mapping, errors: list[str]) -> int | None:
    raw = form.get("capacity", form.get("capacity_max"))
    if raw is None or str(raw).strip() == "":
        errors.append("Say how many mentees you can take at once (1 to 20).")
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors.append("Capacity must be a whole number of mentees, from 1 to 20.")
        return None
    if value < CAPACITY_MIN:
        errors.append(
            "Capacity must be at least 1 mentee; to pause, turn off 'accepting new mentees'."
        )
        return None
    if value > CAPACITY_MAX:
        errors.append(f"Capacity can be at most {CAPACITY_MAX} mentees at once.")
        return None
    return value


def _organisation_ids(values: list[str], errors: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        try:
            ids.append(int(value))
        except ValueError:
            errors.append(f"{value[:20]!r} is not an organisation.")
    if ids:
        found = set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(ids))))
        missing = [i for i in ids if i not in found]
        if missing:
            errors.append(f"No such organisation: {', '.join(map(str, missing))}.")
        ids = [i for i in ids if i in found]
    return list(dict.fromkeys(ids))


def _optional_int(form, name, label, low, high, errors) -> int | None:
    raw = text(form, name)
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"{label} must be a whole number.")
        return None
    if not low <= value <= high:
        errors.append(f"{label} must be from {low} to {high}.")
        return None
    return value


def clean_profile(user, form: Mapping) -> dict:
    """Every field of a profile checked; :class:`ValidationFailed` lists all problems."""
    errors: list[str] = []
    values: dict = {"tags": {}}
    for name, (facet, allowed, required) in FACETS.items():
        given = many(form, name)
        if allowed is None:
            chosen = languages(given, errors)
        else:
            chosen = choices(given, allowed, _FACET_NOUNS[name], errors)
        if required and not given:
            errors.append(f"Choose at least one {_FACET_NOUNS[name]}.")
        values["tags"][facet] = chosen
    values["capacity_max"] = _capacity(form, errors)

    nation = text(form, "nation").lower()
    if not nation:
        errors.append("Choose your nation.")
    elif nation not in NATIONS:
        errors.append(f"Unknown nation: {nation[:30]}.")
    values["nation"] = nation

    visibility = text(form, "directory_visibility") or "all_members"
    if visibility not in vocabulary.DIRECTORY_VISIBILITY:
        errors.append(f"Unknown directory visibility: {visibility[:30]}.")
    values["directory_visibility"] = visibility

    bio = text(form, "bio")
    if len(bio) > BIO_MAX:
        errors.append(f"Keep your bio to {BIO_MAX:,} characters (it has {len(bio):,}).")
    values["bio"] = bio

    for name, limit, label in (
        ("region", 60, "Region"),
        ("current_roles_text", 200, "Current roles"),
        ("in_person_area", 120, "In-person area"),
    ):
        value = text(form, name)
        if len(value) > limit:
            errors.append(f"{label} can be at most {limit} characters.")
        values[name] = value
    values["availability"] = text(form, "availability")[:2000]
    values["years_experience"] = _optional_int(
        form, "years_experience", "Years of experience", 0, 70, errors
    )
    values["years_in_role"] = _optional_int(form, "years_in_role", "Years in role", 0, 70, errors)
    values["radius_km"] = _optional_int(form, "radius_km", "Radius", 0, 1000, errors)

    organisation = many(form, "organisation")
    if organisation:
        found = _organisation_ids(organisation[:1], errors)
        values["organisation_id"] = found[0] if found else None
    else:
        values["organisation_id"] = getattr(user, "organisation_id", None)
    values["excluded"] = _organisation_ids(many(form, "excluded_organisations"), errors)

    values["accepting"] = flag(form, "accepting", True)
    values["prefers_out_of_area"] = flag(form, "prefers_out_of_area")
    values["has_supervision"] = flag(form, "has_supervision")
    if errors:
        raise ValidationFailed(*errors)
    return values


# -- Writing ----------------------------------------------------------------------------------

PLAIN = (
    "capacity_max", "nation", "directory_visibility", "bio", "region", "current_roles_text",
    "in_person_area", "availability", "years_experience", "years_in_role", "radius_km",
    "organisation_id", "accepting", "prefers_out_of_area", "has_supervision",
)  # fmt: skip


def profile_of(user_id: int) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user_id))


def save_profile(user, form: Mapping) -> MentorProfile:
    """Create or update ``user``'s own mentor profile from ``form`` (committed)."""
    if not access.active(user):
        raise ValidationFailed("Only active members can offer mentoring.")
    values = clean_profile(user, form)
    profile = profile_of(user.id)
    if profile is None:
        profile = MentorProfile(user_id=user.id, active_count=0)
        db.session.add(profile)
    for name in PLAIN:
        setattr(profile, name, values[name])
    profile.updated_at = utcnow()

    wanted = {(facet, value) for facet, chosen in values["tags"].items() for value in chosen}
    for tag in list(profile.tags):
        if (tag.facet, tag.value) not in wanted:
            profile.tags.remove(tag)
    have = {(tag.facet, tag.value) for tag in profile.tags}
    for facet, value in sorted(wanted - have):
        profile.tags.append(ProfileTag(facet=facet, value=value))

    excluded = set(values["excluded"])
    for exclusion in list(profile.exclusions):
        if exclusion.organisation_id not in excluded:
            profile.exclusions.remove(exclusion)
    kept = {exclusion.organisation_id for exclusion in profile.exclusions}
    for organisation_id in sorted(excluded - kept):
        profile.exclusions.append(ProfileExclusion(organisation_id=organisation_id))
    db.session.commit()
    return profile


# -- Qualifications ---------------------------------------------------------------------------


def qualification_list(profile: MentorProfile) -> list:
    """A profile's qualifications as stored (a JSON list; unreadable reads as empty)."""
    try:
        found = json.loads(profile.qualifications or "[]")
    except ValueError:
        return []
    return found if isinstance(found, list) else []


def verify_qualification(coordinator, profile: MentorProfile, index, verified: bool) -> dict:
    """A mentoring coordinator marks the qualification at ``index`` of ``profile`` as checked
    (``verified``) or not (committed); returns it. :class:`InvalidAccess` for anyone who is
    not a coordinator, :class:`NotFound` for an index with no qualification."""
    if not access.is_coordinator(coordinator):
        raise InvalidAccess("Only mentoring coordinators can verify qualifications.")
    found = qualification_list(profile)
    try:
        key = int(index)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 <= key < len(found) or not isinstance(found[key], dict):
        raise NotFound()
    found[key]["verified"] = bool(verified)
    profile.qualifications = json.dumps(found)
    profile.updated_at = utcnow()
    db.session.commit()
    return found[key]


# -- Matching and the directory ---------------------------------------------------------------


def mentor_for_matching(profile: MentorProfile) -> matching.Mentor:
    return matching.Mentor(
        user_id=profile.user_id,
        organisation_id=profile.organisation_id,
        nation=profile.nation,
        kinds=frozenset(profile.values("kind")),
        expertise=frozenset(profile.values("expertise")),
        audiences=frozenset(profile.values("audience")),
        modes=frozenset(profile.values("mode")),
        languages=frozenset(profile.values("language")),
        capacity=profile.capacity_max,
        active_count=profile.active_count,
        accepting=profile.accepting,
        prefers_out_of_area=profile.prefers_out_of_area,
        excluded_organisation_ids=frozenset(e.organisation_id for e in profile.exclusions),
    )


#: Directory filters on a set-valued field: filter name → facet.
TAG_FILTERS = {
    "kind": "kind",
    "expertise": "expertise",
    "audience": "audience",
    "mode": "mode",
    "language": "language",
}


def directory(user, filters: Mapping | None = None) -> list[MentorProfile]:
    """The profiles ``user`` may see that match ``filters`` (``kind``, ``expertise``,
    ``audience``, ``nation``, ``region``, ``mode``, ``language``, ``accepting_now``), those
    taking mentees first: one query, plus the tags' ``selectin`` load."""
    filters = filters or {}
    query = (
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(User.status == "active", access.directory_visible(user))
    )
    for name, facet in TAG_FILTERS.items():
        value = text(filters, name)
        if not value:
            continue
        if facet == "language":
            value = value.casefold()
        tag = aliased(ProfileTag)
        query = query.join(
            tag,
            and_(tag.profile_id == MentorProfile.id, tag.facet == facet, tag.value == value),
        )
    nation = text(filters, "nation").lower()
    if nation:
        query = query.where(MentorProfile.nation == nation)
    region = text(filters, "region")
    if region:
        query = query.where(MentorProfile.region == region)
    if flag(filters, "accepting_now"):
        query = query.where(
            MentorProfile.accepting.is_(True),
            MentorProfile.active_count < MentorProfile.capacity_max,
        )
    query = query.order_by(MentorProfile.id)
    profiles = list(db.session.scalars(query))
    return sorted(profiles, key=lambda profile: not profile.taking_mentees)
