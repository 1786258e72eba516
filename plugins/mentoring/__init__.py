"""The mentoring directory: find a mentor or buddy, ask, match — confidential by default.

Mentor profiles (domain.md §3.2), mentoring requests that run the workflow of §3.4 with
every transition stored, shortlists made by pure, unit-tested matching rules (§3.3), and
the confidentiality rules of §3.5: request details and session notes are for the mentee and
the matched mentor only, never in site search (no search type is registered for them), and
erased a set time after closure.

Pages: the directory (``/mentoring/``, also the page of any category the plugin is enabled
on), a member's own mentor profile, asking for a mentor (urgent wellbeing requests see where
to get help first), the request's page for the mentee and the mentor, and the coordinators'
status-only view; a mentor's card on their user profile and attachable to posts.
"""

from __future__ import annotations

from flask import url_for

from forum import hookimpl
from forum.hooktypes import NavItem, NotificationType, Permission

from . import api, cards, demo, views  # noqa: F401 - api adds routes
from .cli import mentoring_cli
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


@hookimpl
def register_blueprints():
    return [views.bp]


@hookimpl
def register_attachment_types():
    return [cards.attachment_type()]


@hookimpl
def register_commands(cli):
    cli.add_command(mentoring_cli)


@hookimpl
def seed_demo_data(users, categories):
    demo.seed(users, categories)


@hookimpl
def nav_items():
    return [NavItem("mentoring.nav", "Mentoring", url_for("mentoring.index"), order=48)]


@hookimpl
def category_list_view(category, user, page):
    """The directory, instead of the topic list, on categories the plugin is enabled on."""
    return views.directory_list_view(category, user, page)


@hookimpl
def user_profile_panels(profile_user, viewer):
    return views.profile_panel(profile_user, viewer)
