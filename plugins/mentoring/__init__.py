"""The mentoring directory: find a mentor or buddy, ask, match — confidential by default.

Mentor profiles (domain.md §3.2), mentoring requests that run the workflow of §3.4 with
every transition stored, shortlists made by pure, unit-tested matching rules (§3.3), and
the confidentiality rules of §3.5: request details and session notes are for the mentee and
the matched mentor only, never in site search (no search type is registered for them), and
erased a set time after closure.

Work in progress (issue 8): this package holds the tables, vocabularies, matching and
workflow rules so far; its pages, commands and demo data come next, and it is not yet
installed as an entry point, so only apps that name it in ``FORUM_PLUGINS`` load it.
"""

from __future__ import annotations

from forum import hookimpl
from forum.hooktypes import NotificationType, Permission

from .models import MODELS


@hookimpl
def config_defaults():
    return {
        #: Months after a request closes before its details are erased.
        "MENTORING_PURGE_AFTER_MONTHS": 12,
        #: Days a request may wait for a match before it expires.
        "MENTORING_EXPIRE_AFTER_DAYS": 60,
        #: Groups whose members count as LMC officers and staff (directory visibility).
        "MENTORING_OFFICER_GROUPS": ["officers", "lmc-staff", "lmcsn-staff"],
    }


@hookimpl
def register_models():
    return MODELS


@hookimpl
def register_permissions():
    return [
        Permission(
            "mentoring.coordinate",
            "Triage mentoring requests (their state, never their content)",
            frozenset({"admin"}),
        ),
    ]


@hookimpl
def register_notification_types():
    return [
        NotificationType("mentoring.request", "A mentoring request for you"),
        NotificationType("mentoring.answer", "Your mentor's answer"),
        NotificationType("mentoring.review_due", "Mentoring review due"),
        NotificationType("mentoring.expiring", "Mentoring request expiring"),
    ]
