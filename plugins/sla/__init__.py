"""The SLA tracker: locally commissioned services agreements from across the UK, attached to
threads, filterable, never ranked like-for-like.

Records hold what an officer needs to judge a service (domain.md §1.8): service type,
commissioner, LMC, scope with its inclusions and exclusions, dates, payment model and
tariffs with their units, caps, claims, equipment, reporting, KPIs, accreditation, notice,
a specification document, an LMC RAG rating and commentary, and officers-only negotiation
notes. A record is shared as a new thread ("share an SLA" in the new-topic form of a
category where the plugin is enabled) or attached to any post (the picker, or
``[[sla:ID]]``); the topic page lists a thread's records beside the posts. The tracker
(``/sla/``) filters them by the facets of §1.10 and exports CSV; the comparison sets up to
four records of one service type side by side, aligning prices only where the unit is the
same, always under the "not like-for-like" notice.

Everything here goes through hooks (:mod:`forum.hookspecs`) and public services only:
``forum.search``, ``forum.files``, ``forum.uploads``, ``forum.attachments.references`` and
``forum.attachments.services``, ``forum.permissions.can`` and ``forum.topics.services``.
"""

from __future__ import annotations

from flask import url_for

from forum import hookimpl
from forum.hooktypes import Decision, NavItem, Permission

from . import access, api, cards, demo, import_views, search_index, threads  # noqa: F401 - api adds routes
from .cli import sla_cli
from .models import MODELS
from .views import bp

COOK_VERSION = cards.COOK_VERSION
GROUPS = ["officers", "lmc-staff", "lmcsn-staff"]


# -- Set-up -----------------------------------------------------------------------------------


@hookimpl
def config_defaults():
    return {
        #: Groups whose members count as LMC officers (``officers_only`` records, notes).
        "SLA_OFFICER_GROUPS": GROUPS,
        #: Groups whose members may add records (staff always may).
        "SLA_CONTRIBUTOR_GROUPS": GROUPS,
        "SLA_MAX_UPLOAD_BYTES": 25 * 1024 * 1024,
        #: Where specification documents are kept; ``None`` means ``DATA_DIR/sla``.
        "SLA_STORAGE_DIR": None,
        "SLA_PER_PAGE": 25,
        #: The most rows one spreadsheet import may hold.
        "SLA_IMPORT_MAX_ROWS": 20_000,
    }


@hookimpl
def register_models():
    return MODELS


@hookimpl
def register_permissions():
    staff = frozenset({"admin", "moderator"})
    return [
        Permission("sla.submit", "Add SLA records to the tracker", staff),
        Permission("sla.manage", "Edit every SLA record and see every one", staff),
    ]


@hookimpl
def permission_allowed(user, action):
    if action == "sla.submit" and access.in_contributor_group(user):
        return Decision(True, "sla: a contributor group")
    return None


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_attachment_types():
    return [cards.attachment_type()]


@hookimpl
def register_search_types():
    return search_index.search_types()


@hookimpl
def search_synonyms():
    return search_index.synonyms()


@hookimpl
def register_commands(cli):
    cli.add_command(sla_cli)


@hookimpl
def seed_demo_data(users, categories):
    demo.seed(users, categories)


# -- Rendering --------------------------------------------------------------------------------


@hookimpl
def markdown_extensions():
    return [cards.markdown_rule]


@hookimpl
def sanitizer_allowlist():
    return {"attributes": {"a": ["class"]}}


# -- Lifecycle --------------------------------------------------------------------------------


@hookimpl
def topic_created(topic, post, user, form):
    threads.share_from_composer(topic, post, user, form)


@hookimpl
def post_created(post, user):
    cards.attach_refs(post, user)


@hookimpl
def post_edited(post, user):
    cards.attach_refs(post, user)


# -- Page contributions -----------------------------------------------------------------------


@hookimpl
def nav_items():
    return [NavItem("sla.nav", "SLA tracker", url_for("sla.index"), order=45)]


@hookimpl
def composer_extras(category, user, form):
    return threads.composer_panels(category, user, form)


@hookimpl
def topic_panels(topic, user):
    return threads.topic_panels(topic, user)


@hookimpl
def topic_list_badges(topics, user):
    return threads.badges(topics, user)
