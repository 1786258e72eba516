"""The Resource Centre: the network's reference library, searchable to the last page of every
document.

Contract documents, guidance and the tools and templates LMCs make, each with the fields an
officer needs (domain.md §2.3), a file or a link, an access level and a history. Uploaded
files are checked by their content, stored once by their SHA-256 outside the web root, and
their text (PDF, Word, Excel, CSV, text) is read in the background into pages and sections
that site search finds. Items attach to posts as cards (the composer's picker, or
``[[resource:slug]]``); the library replaces the topic list of the categories it is enabled
on, filtered to the topics an admin chose for each.

Everything here goes through hooks (:mod:`forum.hookspecs`) and public services only:
``forum.search.changed``, ``forum.notifications.notify``, ``forum.uploads``,
``forum.attachments.services.check``/``add`` and ``forum.permissions.can``.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from forum import hookimpl
from forum.errors import InvalidParameters
from forum.extensions import db
from forum.hooktypes import Decision, ListView, NavItem, NotificationType, Permission

from . import access, api, cards, demo, library, search_index  # noqa: F401 - api adds routes
from .cli import resources_cli
from .models import MODELS, CategoryTopic
from .views import bp

COOK_VERSION = cards.COOK_VERSION
MEGABYTE = 1024 * 1024


# -- Set-up -----------------------------------------------------------------------------------


@hookimpl
def config_defaults():
    return {
        "RESOURCES_MAX_UPLOAD_BYTES": 25 * MEGABYTE,
        #: Where files are kept; ``None`` means ``DATA_DIR/resources``.
        "RESOURCES_STORAGE_DIR": None,
        #: Groups whose members count as LMC officers and staff (``officers_staff`` items).
        "RESOURCES_OFFICER_GROUPS": ["officers", "lmc-staff", "lmcsn-staff"],
        #: Groups whose members may add items (staff always may).
        "RESOURCES_CONTRIBUTOR_GROUPS": ["officers", "lmc-staff", "lmcsn-staff"],
        "RESOURCES_EXTRACT_IN_BACKGROUND": True,
        "RESOURCES_EXTRACT_TIMEOUT_SECONDS": 120,
        "RESOURCES_PER_PAGE": 25,
        "RESOURCES_LINK_CHECK_TIMEOUT_SECONDS": 10,
    }


@hookimpl
def register_models():
    return MODELS


@hookimpl
def register_permissions():
    staff = frozenset({"admin", "moderator"})
    return [
        Permission("resources.contribute", "Add items to the library", staff),
        Permission("resources.manage", "Edit every library item and see restricted ones", staff),
    ]


@hookimpl
def permission_allowed(user, action):
    if action != "resources.contribute" or not getattr(user, "is_active", False):
        return None
    from flask import current_app

    from forum.accounts.models import Group

    names = current_app.config["RESOURCES_CONTRIBUTOR_GROUPS"]
    ids = access.group_ids(user)
    if ids and db.session.scalar(
        select(Group.id).where(Group.name.in_(names), Group.id.in_(ids)).limit(1)
    ):
        return Decision(True, "resources: a contributor group")
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
    return [
        ("PGM", "Policy and Guidance Manual"),
        ("SFE", "Statement of Financial Entitlements"),
        ("JD", "job description"),
        ("template", "model"),
    ]


@hookimpl
def register_notification_types():
    return [NotificationType("resources.review_due", "Library item due for review")]


@hookimpl
def register_commands(cli):
    cli.add_command(resources_cli)


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
def post_created(post, user):
    cards.attach_refs(post, user)


@hookimpl
def post_edited(post, user):
    cards.attach_refs(post, user)


# -- Page contributions -----------------------------------------------------------------------


@hookimpl
def nav_items():
    return [NavItem("resources.nav", "Library", url_for("resources.index"), order=40)]


@hookimpl
def category_list_view(category, user, page):
    """The library, filtered to the topics chosen for this category, instead of topics."""
    from flask import current_app, request

    topics = tuple(
        db.session.scalars(
            select(CategoryTopic.topic)
            .where(CategoryTopic.category_id == category.id)
            .order_by(CategoryTopic.topic)
        )
    )
    try:
        filters = library.parse({**request.args.to_dict(), "page": str(page)})
    except InvalidParameters:  # a stale or mistyped filter in the address: the whole list
        filters = library.parse({"page": str(page)})
    per_page = current_app.config["RESOURCES_PER_PAGE"]
    listing = library.browse(user, filters, per_page=per_page, topics=topics)
    return ListView(
        key="resources.library",
        template="resources/_library.html",
        context={
            "library": listing,
            "category": category,
            "base_url": request.path,
            "can_contribute": access.can_contribute(user),
        },
    )
