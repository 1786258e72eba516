"""The life of a mentoring request (domain.md §3.4): states, who may move it, and when.

Pure and app-free: standard library only. The caller asks :func:`check` (or
:func:`transition`) before changing a request's state, stores the :class:`Transition` it
gets back (every transition is kept with its actor and time), and draws buttons from
:func:`next_states`. :func:`review_due` and :func:`expired` tell a scheduled job when to move
a request on as ``system``.

The main path is ``draft → submitted → triage → shortlisted → mentor_invited → matched →
active ⇄ paused → review_due → completed``; a declined invitation goes back to the
shortlist, a rapport that fails goes to ``rematch_requested`` and back to the shortlist, and
the side exits are ``withdrawn`` (by the mentee, or a coordinator, from any open state),
``expired`` (no match within N days) and ``signposted`` (needs beyond mentoring).

Roles: ``mentee``, ``mentor``, ``coordinator`` and ``system`` (the forum itself, e.g. a
scheduled job or the step after a decline). Renewing at review (``review_due → active``)
is open to the mentee and the mentor; that both agree is for the caller to record.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import vocabulary  # plain values too: this module stays app-free

# -- States and roles -------------------------------------------------------------------------

MENTEE = "mentee"
MENTOR = "mentor"
COORDINATOR = "coordinator"
SYSTEM = "system"
#: Every role, in the order used in messages.
ROLES = (MENTEE, MENTOR, COORDINATOR, SYSTEM)

#: Every state, in the order of the workflow, with its label for people.
STATES = tuple(vocabulary.STATES)
#: States a request ends in: nothing moves it on.
TERMINAL_STATES = frozenset({"completed", "withdrawn", "expired", "signposted"})
#: States a request can still move on from.
OPEN_STATES = frozenset(STATES) - TERMINAL_STATES
#: States in which nobody is matched yet: a request left in one too long expires.
AWAITING_MATCH_STATES = frozenset({"submitted", "triage", "shortlisted", "mentor_invited"})

_MENTEE_OR_MENTOR = frozenset({MENTEE, MENTOR})
_MENTEE_OR_COORDINATOR = frozenset({MENTEE, COORDINATOR})
_COORDINATOR_OR_SYSTEM = frozenset({COORDINATOR, SYSTEM})
_COORDINATOR = frozenset({COORDINATOR})
_MENTOR = frozenset({MENTOR})
_MENTEE = frozenset({MENTEE})
_SYSTEM = frozenset({SYSTEM})

#: The allowed transitions: state → {target state → roles that may make the move}. A state
#: with no targets is terminal. ``withdrawn`` is open from every open state (mentee or
#: coordinator), ``expired`` from the states awaiting a match (system), ``signposted`` before
#: anyone is invited (coordinator).
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "draft": {
        "submitted": _MENTEE,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "submitted": {
        "triage": _COORDINATOR_OR_SYSTEM,
        "shortlisted": _COORDINATOR_OR_SYSTEM,
        "withdrawn": _MENTEE_OR_COORDINATOR,
        "expired": _SYSTEM,
        "signposted": _COORDINATOR,
    },
    "triage": {
        "shortlisted": _COORDINATOR_OR_SYSTEM,
        "withdrawn": _MENTEE_OR_COORDINATOR,
        "expired": _SYSTEM,
        "signposted": _COORDINATOR,
    },
    "shortlisted": {
        # The mentee picks from the shortlist; a coordinator may override it.
        "mentor_invited": _MENTEE_OR_COORDINATOR,
        "withdrawn": _MENTEE_OR_COORDINATOR,
        "expired": _SYSTEM,
        "signposted": _COORDINATOR,
    },
    "mentor_invited": {
        "matched": _MENTOR,
        "declined": _MENTOR,
        "withdrawn": _MENTEE_OR_COORDINATOR,
        "expired": _SYSTEM,
    },
    "declined": {
        # Straight back to the shortlist, automatically.
        "shortlisted": _SYSTEM,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "matched": {
        # Either party confirms the agreement (goals, frequency, duration, confidentiality).
        "active": _MENTEE_OR_MENTOR,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "active": {
        "paused": _MENTEE_OR_MENTOR,
        # After 6 sessions or 3 months (:func:`review_due`).
        "review_due": _SYSTEM,
        "rematch_requested": _MENTEE_OR_MENTOR,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "paused": {
        "active": _MENTEE_OR_MENTOR,
        "rematch_requested": _MENTEE_OR_MENTOR,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "review_due": {
        # Renew for another term.
        "active": _MENTEE_OR_MENTOR,
        "completed": _MENTEE_OR_MENTOR,
        "rematch_requested": _MENTEE_OR_MENTOR,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "rematch_requested": {
        "shortlisted": _COORDINATOR_OR_SYSTEM,
        "withdrawn": _MENTEE_OR_COORDINATOR,
    },
    "completed": {},
    "withdrawn": {},
    "expired": {},
    "signposted": {},
}

# -- Messages ---------------------------------------------------------------------------------

#: How each state reads in "A request that … cannot be …".
_STATE_PHRASES = {
    "draft": "is still a draft",
    "submitted": "has just been submitted",
    "triage": "is being triaged",
    "shortlisted": "is waiting for the mentee to choose a mentor",
    "mentor_invited": "is waiting for the mentor's answer",
    "declined": "was declined",
    "matched": "has been matched",
    "active": "is active",
    "paused": "is paused",
    "review_due": "is due for review",
    "completed": "has been completed",
    "withdrawn": "was withdrawn",
    "expired": "has expired",
    "signposted": "was signposted elsewhere",
    "rematch_requested": "is waiting for a rematch",
}
#: How each target state reads in "… cannot be …".
_TARGET_PHRASES = {
    "draft": "returned to draft",
    "submitted": "submitted",
    "triage": "triaged",
    "shortlisted": "shortlisted",
    "mentor_invited": "sent to a mentor",
    "declined": "declined",
    "matched": "matched",
    "active": "made active",
    "paused": "paused",
    "review_due": "marked due for review",
    "completed": "completed",
    "withdrawn": "withdrawn",
    "expired": "marked expired",
    "signposted": "signposted elsewhere",
    "rematch_requested": "sent for a rematch",
}
#: How each role reads in "… only by …".
_ROLE_PHRASES = {
    MENTEE: "the mentee",
    MENTOR: "the mentor",
    COORDINATOR: "a coordinator",
    SYSTEM: "the forum itself",
}


class TransitionRefused(Exception):
    """A move the workflow does not allow; ``str()`` is a message for people."""

    def __init__(self, message: str, *, state: str = "", target: str = "", role: str = ""):
        super().__init__(message)
        self.message = message
        self.state = state
        self.target = target
        self.role = role


def _join(phrases: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(phrases) <= 1:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} or {phrases[-1]}"


def _refusal(state: str, target: str, role: str) -> str | None:
    """Why ``role`` may not move a request from ``state`` to ``target``, or ``None``."""
    if state not in TRANSITIONS:
        return f"Unknown request state: {state!r}."
    if target not in TRANSITIONS:
        return f"Unknown request state: {target!r}."
    if role not in ROLES:
        return f"Unknown role: {role!r}."
    roles = TRANSITIONS[state].get(target)
    if roles is None:
        again = " again" if state == target else ""
        return f"A request that {_STATE_PHRASES[state]} cannot be {_TARGET_PHRASES[target]}{again}."
    if role not in roles:
        who = _join([_ROLE_PHRASES[r] for r in ROLES if r in roles])
        return f"A request can be {_TARGET_PHRASES[target]} only by {who}."
    return None


# -- Questions --------------------------------------------------------------------------------


def allowed(state: str, target: str, role: str) -> bool:
    """Whether ``role`` may move a request from ``state`` to ``target`` (``False`` for any
    unknown state or role)."""
    return _refusal(state, target, role) is None


def check(state: str, target: str, role: str) -> None:
    """Raise :class:`TransitionRefused` with a clear message unless :func:`allowed`."""
    message = _refusal(state, target, role)
    if message is not None:
        raise TransitionRefused(message, state=state, target=target, role=role)


def next_states(state: str, role: str) -> list[str]:
    """The states ``role`` may move a request on to from ``state``, in the table's order (for
    drawing buttons); empty for a terminal or unknown state or an unknown role."""
    return [target for target, roles in TRANSITIONS.get(state, {}).items() if role in roles]


@dataclass(frozen=True)
class Transition:
    """One move of a request, as the caller stores it: who (``actor_id`` is ``None`` for the
    system), in which role, from where to where, and when."""

    from_state: str
    to_state: str
    actor_id: int | None
    role: str
    at: datetime


def transition(
    state: str, target: str, role: str, *, actor_id: int | None, at: datetime
) -> Transition:
    """:func:`check` the move and return the :class:`Transition` to store."""
    check(state, target, role)
    return Transition(from_state=state, to_state=target, actor_id=actor_id, role=role, at=at)


# -- Time -------------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus ``months`` calendar months, the day clamped to the end of a shorter
    month (31 January + 1 month is 28 or 29 February; + 3 months is 30 April)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def review_due(
    started_at: datetime,
    sessions: int,
    now: datetime,
    *,
    sessions_limit: int = 6,
    months: int = 3,
) -> bool:
    """Whether a mentoring relationship started at ``started_at`` is due for review: after
    ``sessions_limit`` sessions or ``months`` calendar months, whichever comes first."""
    if sessions_limit < 1 or months < 1:
        raise ValueError("A review needs a positive number of sessions and months.")
    return sessions >= sessions_limit or now >= add_months(started_at, months)


def expired(created_at: datetime, now: datetime, *, days: int) -> bool:
    """Whether a request made at ``created_at`` has waited ``days`` days or more unmatched
    (the caller applies it to :data:`AWAITING_MATCH_STATES` only)."""
    if days < 1:
        raise ValueError("A request must be given at least one day to find a match.")
    return now >= created_at + timedelta(days=days)
