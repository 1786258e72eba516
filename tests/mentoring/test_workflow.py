"""The mentoring workflow of domain.md §3.4: the transition table, messages and timing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plugins.mentoring.workflow import (
    AWAITING_MATCH_STATES,
    OPEN_STATES,
    ROLES,
    STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Transition,
    TransitionRefused,
    add_months,
    allowed,
    check,
    expired,
    next_states,
    review_due,
    transition,
)

#: Every (state, target, role) the table allows.
ALLOWED = [
    (state, target, role)
    for state, targets in TRANSITIONS.items()
    for target, roles in targets.items()
    for role in sorted(roles)
]
#: Every (state, target, role) for a move in the table by a role it does not name.
WRONG_ROLE = [
    (state, target, role)
    for state, targets in TRANSITIONS.items()
    for target, roles in targets.items()
    for role in ROLES
    if role not in roles
]
#: Every (state, target) pair that is not in the table.
NOT_IN_TABLE = [
    (state, target) for state in STATES for target in STATES if target not in TRANSITIONS[state]
]


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- The table --------------------------------------------------------------------------------


def test_the_table_names_every_state_and_only_known_roles():
    assert set(TRANSITIONS) == set(STATES)
    assert len(STATES) == 15
    for targets in TRANSITIONS.values():
        assert set(targets) <= set(STATES)
        for roles in targets.values():
            assert roles and roles <= set(ROLES)


def test_terminal_states_lead_nowhere_and_open_states_lead_somewhere():
    assert TERMINAL_STATES == {"completed", "withdrawn", "expired", "signposted"}
    assert OPEN_STATES == set(STATES) - TERMINAL_STATES
    for state in TERMINAL_STATES:
        assert TRANSITIONS[state] == {}
    for state in OPEN_STATES:
        assert TRANSITIONS[state]


def test_the_table_is_the_one_the_issue_describes():
    expected = {
        ("draft", "submitted"): {"mentee"},
        ("submitted", "triage"): {"coordinator", "system"},
        ("submitted", "shortlisted"): {"coordinator", "system"},
        ("triage", "shortlisted"): {"coordinator", "system"},
        ("shortlisted", "mentor_invited"): {"mentee", "coordinator"},
        ("mentor_invited", "matched"): {"mentor"},
        ("mentor_invited", "declined"): {"mentor"},
        ("declined", "shortlisted"): {"system"},
        ("matched", "active"): {"mentee", "mentor"},
        ("active", "paused"): {"mentee", "mentor"},
        ("paused", "active"): {"mentee", "mentor"},
        ("active", "review_due"): {"system"},
        ("review_due", "active"): {"mentee", "mentor"},
        ("review_due", "completed"): {"mentee", "mentor"},
        ("active", "rematch_requested"): {"mentee", "mentor"},
        ("paused", "rematch_requested"): {"mentee", "mentor"},
        ("review_due", "rematch_requested"): {"mentee", "mentor"},
        ("rematch_requested", "shortlisted"): {"coordinator", "system"},
    }
    for state in OPEN_STATES:
        expected[(state, "withdrawn")] = {"mentee", "coordinator"}
    for state in ("submitted", "triage", "shortlisted", "mentor_invited"):
        expected[(state, "expired")] = {"system"}
    for state in ("submitted", "triage", "shortlisted"):
        expected[(state, "signposted")] = {"coordinator"}
    actual = {
        (state, target): set(roles)
        for state, targets in TRANSITIONS.items()
        for target, roles in targets.items()
    }
    assert actual == expected
    assert AWAITING_MATCH_STATES == {state for state in STATES if "expired" in TRANSITIONS[state]}


@pytest.mark.parametrize(("state", "target", "role"), ALLOWED)
def test_every_move_in_the_table_is_allowed_for_its_roles(state, target, role):
    assert allowed(state, target, role)
    check(state, target, role)  # does not raise
    assert target in next_states(state, role)


@pytest.mark.parametrize(("state", "target", "role"), WRONG_ROLE)
def test_every_move_in_the_table_is_refused_for_other_roles(state, target, role):
    assert not allowed(state, target, role)
    with pytest.raises(TransitionRefused, match=r"^A request can be .+ only by .+\.$"):
        check(state, target, role)
    assert target not in next_states(state, role)


def test_every_move_outside_the_table_is_refused_for_everyone():
    assert len(NOT_IN_TABLE) == 15 * 15 - sum(len(t) for t in TRANSITIONS.values())
    for state, target in NOT_IN_TABLE:
        for role in ROLES:
            assert not allowed(state, target, role)
            with pytest.raises(TransitionRefused, match=r"^A request that .+ cannot be .+\.$"):
                check(state, target, role)


# -- Messages ---------------------------------------------------------------------------------


def test_completing_a_declined_request_is_refused_clearly():
    with pytest.raises(TransitionRefused) as refused:
        check("declined", "completed", "mentee")
    assert str(refused.value) == "A request that was declined cannot be completed."
    assert refused.value.message == str(refused.value)
    assert (refused.value.state, refused.value.target, refused.value.role) == (
        "declined",
        "completed",
        "mentee",
    )


def test_accepting_twice_is_refused():
    check("mentor_invited", "matched", "mentor")
    with pytest.raises(TransitionRefused) as refused:
        check("matched", "matched", "mentor")
    assert str(refused.value) == "A request that has been matched cannot be matched again."


def test_only_the_mentor_accepts():
    with pytest.raises(TransitionRefused) as refused:
        check("mentor_invited", "matched", "mentee")
    assert str(refused.value) == "A request can be matched only by the mentor."


def test_the_roles_allowed_are_listed_in_the_message():
    with pytest.raises(TransitionRefused) as refused:
        check("shortlisted", "mentor_invited", "mentor")
    assert str(refused.value) == (
        "A request can be sent to a mentor only by the mentee or a coordinator."
    )
    with pytest.raises(TransitionRefused) as refused:
        check("active", "review_due", "coordinator")
    assert str(refused.value) == "A request can be marked due for review only by the forum itself."


def test_a_finished_request_cannot_be_reopened():
    for state in TERMINAL_STATES:
        for role in ROLES:
            assert next_states(state, role) == []
    with pytest.raises(TransitionRefused, match="^A request that was withdrawn cannot be"):
        check("withdrawn", "active", "coordinator")


@pytest.mark.parametrize(
    ("state", "target", "role", "message"),
    [
        ("approved", "active", "mentee", "Unknown request state: 'approved'."),
        ("active", "finished", "mentee", "Unknown request state: 'finished'."),
        ("", "active", "mentee", "Unknown request state: ''."),
        ("Active", "paused", "mentee", "Unknown request state: 'Active'."),
        ("active", "paused", "admin", "Unknown role: 'admin'."),
    ],
)
def test_unknown_states_and_roles_are_refused(state, target, role, message):
    assert not allowed(state, target, role)
    with pytest.raises(TransitionRefused) as refused:
        check(state, target, role)
    assert str(refused.value) == message


# -- Buttons ----------------------------------------------------------------------------------


def test_next_states_for_drawing_buttons():
    assert next_states("draft", "mentee") == ["submitted", "withdrawn"]
    assert next_states("shortlisted", "mentee") == ["mentor_invited", "withdrawn"]
    assert next_states("shortlisted", "coordinator") == [
        "mentor_invited",
        "withdrawn",
        "signposted",
    ]
    assert next_states("mentor_invited", "mentor") == ["matched", "declined"]
    assert next_states("mentor_invited", "mentee") == ["withdrawn"]
    assert next_states("active", "mentor") == ["paused", "rematch_requested"]
    assert next_states("review_due", "mentee") == [
        "active",
        "completed",
        "rematch_requested",
        "withdrawn",
    ]
    assert next_states("declined", "system") == ["shortlisted"]
    assert next_states("matched", "coordinator") == ["withdrawn"]
    assert next_states("nonsense", "mentee") == []
    assert next_states("active", "nobody") == []


# -- Stored transitions -----------------------------------------------------------------------


def test_transition_returns_what_the_caller_stores():
    when = at(2025, 3, 1, 9, 30)
    stored = transition("mentor_invited", "matched", "mentor", actor_id=7, at=when)
    assert stored == Transition(
        from_state="mentor_invited", to_state="matched", actor_id=7, role="mentor", at=when
    )
    automatic = transition("declined", "shortlisted", "system", actor_id=None, at=when)
    assert automatic.actor_id is None and automatic.role == "system"


def test_transition_refuses_what_check_refuses():
    with pytest.raises(TransitionRefused):
        transition("declined", "completed", "mentee", actor_id=1, at=at(2025, 1, 1))


def test_a_transition_cannot_be_changed_once_made():
    stored = transition("draft", "submitted", "mentee", actor_id=1, at=at(2025, 1, 1))
    with pytest.raises(AttributeError):
        stored.to_state = "matched"  # type: ignore[misc]


# -- Time -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (at(2025, 1, 31), 3, at(2025, 4, 30)),
        (at(2024, 1, 31), 1, at(2024, 2, 29)),  # leap year
        (at(2025, 1, 31), 1, at(2025, 2, 28)),
        (at(2024, 11, 30), 3, at(2025, 2, 28)),  # over the year end
        (at(2025, 10, 15, 14, 5), 3, at(2026, 1, 15, 14, 5)),
        (at(2025, 12, 31), 12, at(2026, 12, 31)),
        (at(2025, 3, 31), 0, at(2025, 3, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, end):
    assert add_months(start, months) == end


def test_review_is_due_after_six_sessions():
    start = at(2025, 1, 10)
    now = at(2025, 2, 1)
    assert not review_due(start, 5, now)
    assert review_due(start, 6, now)
    assert review_due(start, 7, now)
    assert review_due(start, 3, now, sessions_limit=3)


def test_review_is_due_after_three_months_at_month_ends():
    start = at(2025, 1, 31, 12, 0)
    assert not review_due(start, 0, at(2025, 4, 30, 11, 59))
    assert review_due(start, 0, at(2025, 4, 30, 12, 0))
    assert review_due(start, 0, at(2025, 5, 1))
    assert not review_due(start, 0, at(2025, 3, 31))  # two months is not three
    assert review_due(start, 0, at(2026, 1, 31, 12, 0), months=12)


def test_review_needs_positive_limits():
    with pytest.raises(ValueError):
        review_due(at(2025, 1, 1), 0, at(2025, 1, 2), sessions_limit=0)
    with pytest.raises(ValueError):
        review_due(at(2025, 1, 1), 0, at(2025, 1, 2), months=0)


def test_naive_datetimes_work_too():
    assert review_due(datetime(2025, 1, 31), 0, datetime(2025, 4, 30))
    assert expired(datetime(2025, 1, 1), datetime(2025, 1, 31), days=30)


def test_a_request_expires_after_its_days():
    created = at(2025, 1, 1, 8, 0)
    assert not expired(created, created, days=30)
    assert not expired(created, created + timedelta(days=30) - timedelta(seconds=1), days=30)
    assert expired(created, created + timedelta(days=30), days=30)
    assert expired(created, at(2025, 6, 1), days=30)


@pytest.mark.parametrize("days", [0, -1])
def test_expiry_needs_at_least_a_day(days):
    with pytest.raises(ValueError):
        expired(at(2025, 1, 1), at(2025, 2, 1), days=days)
