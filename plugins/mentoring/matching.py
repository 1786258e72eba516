"""Matching mentees with mentors (domain.md §3.3): filter, score, shortlist.

Pure and app-free: plain frozen dataclasses in, plain values out, standard library only, so
the rules are unit-tested without an app. The caller turns its ``MentorProfile`` rows and a
``MentoringRequest`` into :class:`Mentor` and :class:`Need` values, asks for a
:func:`shortlist`, and labels the keys in each :class:`Candidate`'s reasons for people.

1. **Filter** (:func:`eligible`). A mentor is dropped when they are the requester, take no
   mentees (capacity 0 or less), are not accepting, are at capacity, have excluded the
   requester's organisation (conflict of interest), are in the requester's own organisation
   when either side wants someone from another LMC, or offer none of the kinds of mentoring
   asked for.
2. **Score** (:func:`score`). Expertise overlap dominates (:data:`PER_SHARED_NEED` for each
   need the mentor covers, plus up to :data:`NEEDS_COVERED` for the share of needs covered);
   then audience fit, a common mode (or a penalty for none, without excluding the mentor),
   nation and language. The weights are the module constants below.
3. **Shortlist** (:func:`shortlist`). The best 2–3, ordered by score (highest first), then by
   fewer active mentees (spreading the load), then by user id, so that equal scores always
   come out in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# -- Weights ----------------------------------------------------------------------------------

#: Points for each of the mentee's needs that the mentor's expertise covers: the dominant
#: factor (one shared need outweighs audience fit, a common mode and the same nation
#: together).
PER_SHARED_NEED = 10.0
#: Points for covering all of the mentee's needs, scaled by the share covered (2 of 3 needs
#: earn two thirds of it), so that covering more of a short list of needs ranks higher.
NEEDS_COVERED = 5.0
#: Points when the mentor serves the audience the mentee belongs to.
AUDIENCE_FIT = 5.0
#: Points when the mentor offers at least one of the modes the mentee prefers.
COMMON_MODE = 3.0
#: Points (negative) when the mentor offers none of the preferred modes; not an exclusion.
NO_COMMON_MODE = -5.0
#: Points for the same nation when nation-specific knowledge matters (e.g. the Scottish
#: contract).
NATION_MATTERS = 4.0
#: Points for the same nation otherwise.
SAME_NATION = 1.0
#: Points for each language the mentee asks for that the mentor speaks.
PER_SHARED_LANGUAGE = 3.0
#: The number of decimal places scores are rounded to, so that equal scores compare equal.
SCORE_PLACES = 2
#: The usual size of a shortlist (2–3 mentors, domain.md §3.3).
SHORTLIST_SIZE = 3


# -- Values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mentor:
    """What matching needs to know of a mentor profile (domain.md §3.2)."""

    user_id: int
    organisation_id: int | None
    #: ``england``, ``wales``, ``scotland`` or ``northern_ireland``.
    nation: str
    #: ``lmc_officer_buddy``, ``lmc_staff_buddy``, ``gp_mentor``, ``nurse_mentor``,
    #: ``practice_manager_mentor``, ``pastoral_support``.
    kinds: frozenset[str]
    #: Topic and mentoring expertise keys.
    expertise: frozenset[str]
    #: ``new_lmc_officers``, ``lmc_staff``, ``first5_gps``, ``new_to_practice_nurses``,
    #: ``returners``, ``practice_managers``.
    audiences: frozenset[str]
    #: ``video``, ``phone``, ``in_person``, ``async_messages``.
    modes: frozenset[str]
    #: Lower-case language names, e.g. ``welsh``.
    languages: frozenset[str]
    capacity: int
    active_count: int
    accepting: bool
    prefers_out_of_area: bool
    excluded_organisation_ids: frozenset[int]


@dataclass(frozen=True)
class Need:
    """What a mentee asks for (the matching part of a mentoring request)."""

    requester_id: int
    organisation_id: int | None
    nation: str
    #: The kinds of mentoring wanted; empty means any.
    kinds: frozenset[str]
    #: Expertise keys wanted.
    needs: frozenset[str]
    #: The audience the requester belongs to, if known.
    audience: str | None
    #: Preferred modes; empty means no preference.
    modes: frozenset[str]
    #: Languages asked for (lower-case).
    languages: frozenset[str]
    #: The mentee wants a mentor from another LMC.
    out_of_area: bool
    #: Nation-specific knowledge matters (e.g. the Scottish contract).
    nation_matters: bool


@dataclass(frozen=True)
class Candidate:
    """A scored mentor, with short reasons built from keys (the caller labels them)."""

    mentor: Mentor
    score: float
    reasons: tuple[str, ...]


# -- Filter -----------------------------------------------------------------------------------


def _same_organisation(mentor: Mentor, need: Need) -> bool:
    """Whether mentor and mentee are known to belong to the same organisation (LMC)."""
    return mentor.organisation_id is not None and mentor.organisation_id == need.organisation_id


def eligible(mentor: Mentor, need: Need) -> tuple[bool, str]:
    """Whether ``mentor`` may be offered for ``need``: ``(True, "")``, or ``(False, why)``
    with a short phrase saying why not (the first rule that drops them)."""
    if mentor.user_id == need.requester_id:
        return False, "the requester themselves"
    if mentor.capacity <= 0:
        return False, "takes no mentees"
    if not mentor.accepting:
        return False, "not accepting requests"
    if mentor.active_count >= mentor.capacity:
        return False, "at capacity"
    if need.organisation_id is not None and need.organisation_id in (
        mentor.excluded_organisation_ids
    ):
        return False, "excludes the requester's organisation"
    if need.out_of_area and _same_organisation(mentor, need):
        return False, "same organisation; an out-of-area mentor was asked for"
    if mentor.prefers_out_of_area and _same_organisation(mentor, need):
        return False, "same organisation; the mentor prefers mentees from other areas"
    if need.kinds and not (need.kinds & mentor.kinds):
        return False, "offers none of the kinds of mentoring asked for"
    return True, ""


# -- Score ------------------------------------------------------------------------------------


def _expertise(mentor: Mentor, need: Need) -> tuple[float, str | None]:
    """Points and reason for the mentee's needs that the mentor's expertise covers."""
    shared = need.needs & mentor.expertise
    if not shared:
        return 0.0, None
    points = PER_SHARED_NEED * len(shared) + NEEDS_COVERED * len(shared) / len(need.needs)
    return points, f"{len(shared)} of {len(need.needs)} needs: {', '.join(sorted(shared))}"


def _audience(mentor: Mentor, need: Need) -> tuple[float, str | None]:
    """Points and reason for serving the mentee's audience."""
    if need.audience is not None and need.audience in mentor.audiences:
        return AUDIENCE_FIT, f"audience: {need.audience}"
    return 0.0, None


def _modes(mentor: Mentor, need: Need) -> tuple[float, str | None]:
    """Points and reason for a common mode; a penalty when there is none. No preference
    (no modes asked for) scores nothing either way."""
    if not need.modes:
        return 0.0, None
    common = need.modes & mentor.modes
    if common:
        return COMMON_MODE, f"modes: {', '.join(sorted(common))}"
    return NO_COMMON_MODE, "no common mode"


def _nation(mentor: Mentor, need: Need) -> tuple[float, str | None]:
    """Points and reason for the same nation, more when nation-specific knowledge matters."""
    if not need.nation or mentor.nation.casefold() != need.nation.casefold():
        return 0.0, None
    return (NATION_MATTERS if need.nation_matters else SAME_NATION), f"nation: {need.nation}"


def _languages(mentor: Mentor, need: Need) -> tuple[float, str | None]:
    """Points and reason for each language asked for that the mentor speaks."""
    spoken = {language.casefold() for language in mentor.languages}
    shared = sorted({language.casefold() for language in need.languages} & spoken)
    if not shared:
        return 0.0, None
    return PER_SHARED_LANGUAGE * len(shared), f"languages: {', '.join(shared)}"


#: The scoring factors, in the order their reasons are listed.
FACTORS = (_expertise, _audience, _modes, _nation, _languages)


def score(mentor: Mentor, need: Need) -> Candidate:
    """Score ``mentor`` for ``need`` (whether or not they are :func:`eligible`)."""
    total = 0.0
    reasons: list[str] = []
    for factor in FACTORS:
        points, reason = factor(mentor, need)
        total += points
        if reason is not None:
            reasons.append(reason)
    return Candidate(mentor=mentor, score=round(total, SCORE_PLACES), reasons=tuple(reasons))


# -- Shortlist --------------------------------------------------------------------------------


def _order(candidate: Candidate) -> tuple[float, int, int]:
    """Sort key: score (highest first), then fewer active mentees, then user id."""
    return (-candidate.score, candidate.mentor.active_count, candidate.mentor.user_id)


def rank(mentors: Iterable[Mentor], need: Need) -> list[Candidate]:
    """Every eligible mentor, scored and in shortlist order (for a coordinator choosing
    someone else). A mentor given twice (same user id) counts once: the first is kept."""
    seen: set[int] = set()
    candidates = []
    for mentor in mentors:
        if mentor.user_id in seen:
            continue
        seen.add(mentor.user_id)
        if eligible(mentor, need)[0]:
            candidates.append(score(mentor, need))
    return sorted(candidates, key=_order)


def shortlist(mentors: Iterable[Mentor], need: Need, size: int = SHORTLIST_SIZE) -> list[Candidate]:
    """The best ``size`` eligible mentors for ``need`` (fewer when fewer are eligible),
    never the requester, in a deterministic order (see :func:`rank`)."""
    if size < 1:
        raise ValueError("A shortlist must hold at least one mentor.")
    return rank(mentors, need)[:size]
