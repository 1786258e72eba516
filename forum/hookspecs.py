"""Every hook a plugin can implement: the plugin author's reference.

A plugin is a Python module (or package) whose functions are marked with
``@forum.hookimpl`` and named after the hooks below. An implementation may take any subset
of a hook's parameters, by name (pluggy's opt-in arguments), so hooks can gain parameters
without breaking plugins. A marked function whose name matches no spec here is an error at
start-up, and so is a page slot the core asks for that is not a spec here.

Rules every hook shares:

* **Names.** A plugin has one name: its module's last dotted part (``plugins.sla`` is
  ``sla``), or for an installed package its entry point's name. Everything it returns is
  namespaced with it: ``sla.nav`` keys, ``sla.submit`` permissions, ``sla_`` tables,
  ``SLA_`` settings, the ``/sla`` URL prefix, templates under ``templates/sla/``, the
  ``sla`` key in post JSON and the ``flask forum sla`` commands.
  Start-up checks these and refuses a plugin that breaks them.
* **List hooks** return a list (or ``None``); the core flattens the lists of every plugin
  and sorts them by ``(order, key)``, never by registration order.
* **Page hooks** (the "Page contributions" section) run while a page is drawn. A plugin
  that raises in one is logged under its name and left out; the page still renders. Hooks
  about a category (its panels, its list view, its composer extras, a topic's panels) are
  asked only of plugins that an admin enabled on that category.
* **Lifecycle hooks** run inside the write's database transaction, after the flush (ids
  exist), from :mod:`forum.topics.services` only. Rows a plugin adds commit or roll back
  with the core's change; an exception rolls the whole write back (raise
  :class:`forum.errors.ValidationFailed` to refuse it with a message for the user). They
  must do no external I/O (no e-mail, no HTTP): the transaction may still roll back.

The values hooks return are defined in :mod:`forum.hooktypes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Blueprint
    from flask.cli import AppGroup

    from forum.accounts.models import User
    from forum.categories.models import Category
    from forum.hooktypes import (
        ActionLink,
        AttachmentType,
        Badge,
        Decision,
        ListView,
        NavItem,
        NotificationType,
        Panel,
        Permission,
        SearchType,
    )
    from forum.topics.models import Post, Topic

PROJECT = "forum"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- Set-up: called once per app by create_app, in this order --------------------------------


@hookspec
def config_defaults() -> dict[str, Any] | None:
    """Called once, after the configuration is loaded and before anything reads it.

    Settings already configured (``forum.cfg``, ``FORUM_*`` variables, the mapping given to
    ``create_app``) win; these only fill gaps.

    :returns: ``{"<NAME>_SETTING": default}``; every key starts with the plugin's name in
        capitals and an underscore.
    """


@hookspec
def register_models() -> list[type] | None:
    """Called once, while the database is set up, to learn the plugin's tables.

    The core stamps each table with ``info["plugin"] = <name>`` so that migrations and
    ``flask db check`` know who owns it. Table names must start with ``<name>_``. The
    plugin's Alembic revisions live in the ``migrations/`` folder of its package
    (``plugins/<name>/migrations/`` for a first-party plugin), on a branch labelled
    ``<name>`` that ``depends_on`` the core revision it needs (see ``docs/plugins.md``).

    :returns: the plugin's model classes (subclasses of ``forum.extensions.db.Model``).
    """


@hookspec
def register_blueprints() -> list[Blueprint] | None:
    """Called once, after the core's routes are registered.

    Each blueprint must be named after the plugin; the core mounts it at ``/<name>``.

    :returns: the plugin's Flask blueprints.
    """


@hookspec
def register_permissions() -> list[Permission] | None:
    """Called once, when the permission registry is built.

    Only registered actions may be checked with :func:`forum.permissions.can`; asking about
    any other is an error. Keys start with ``<name>.`` (the core's with nothing: they are
    ``topic.reply``, ``category.see`` and so on).

    :returns: :class:`~forum.hooktypes.Permission` values.
    """


@hookspec
def register_attachment_types() -> list[AttachmentType] | None:
    """Called once, when the registry of post attachment types is built.

    People then attach objects of these types to posts, from the composer or afterwards;
    the topic page draws them under the post and post JSON carries them under the plugin's
    name. Keys start with ``<name>.``.

    :returns: :class:`~forum.hooktypes.AttachmentType` values.
    """


@hookspec
def register_search_types() -> list[SearchType] | None:
    """Called once, when the registry of search document types is built.

    Search indexes only what is registered here: a plugin whose objects must stay out of
    search (mentoring requests) simply does not register them. ``key`` starts with
    ``<name>.``; ``name`` (what people type after ``type:``) must be unique.

    :returns: :class:`~forum.hooktypes.SearchType` values.
    """


@hookspec
def register_notification_types() -> list[NotificationType] | None:
    """Called once, when the registry of notification types is built.

    A plugin then tells people of its events with :func:`forum.notifications.notify`; they
    appear under the bell and, for people who asked for it, by e-mail. Keys start with
    ``<name>.`` and are at most 60 characters.

    :returns: :class:`~forum.hooktypes.NotificationType` values.
    """


@hookspec
def search_synonyms() -> list[tuple[str, ...]] | None:
    """Called once, when the search query parser is built.

    Each group lists words or phrases that mean the same thing; a query naming one of them
    finds any of them (``("LES", "LCS", "locally commissioned service")``). Matching is
    case-insensitive, on whole words.

    :returns: groups of two or more words or phrases.
    """


@hookspec
def register_commands(cli: AppGroup) -> None:
    """Called once, when the ``flask forum`` command group is built.

    :param cli: the ``forum`` click group. Add one group or command named after the
        plugin (``flask forum <name> ...``); nothing else.
    :returns: nothing.
    """


@hookspec
def seed_demo_data(users: Mapping[str, User], categories: Mapping[str, Category]) -> None:
    """Called by ``flask forum seed-demo`` after the core's demo users, categories and
    threads exist, inside the seed's transaction (the core commits).

    Must be safe to run twice: add only what is missing.

    :param users: the demo users by username.
    :param categories: the demo categories by slug.
    :returns: nothing.
    """


# -- Rendering: called when the app's Markdown renderer is built ------------------------------


@hookspec
def markdown_extensions() -> list | None:
    """Called once, when the cooking pipeline (Markdown, then the sanitizer) is built.

    Each extension is a markdown-it-py plugin: a function taking the ``MarkdownIt`` parser
    and adding rules to it. What it emits still passes through the sanitizer, which stays
    the last writer of HTML: declare any extra tags or attributes with
    :func:`sanitizer_allowlist`, or they are stripped. The renderer's version (stored with
    each post) changes when a plugin that extends the pipeline is added or removed, or
    changes its module's ``COOK_VERSION`` (or ``__version__``); bump it whenever your rules'
    output changes, so that ``flask forum rebake --stale`` re-cooks stored posts.

    :returns: markdown-it-py plugin functions.
    """


@hookspec
def sanitizer_allowlist() -> dict | None:
    """Called once, when the sanitizer is built.

    Never allow raw-text or foreign-content elements (``script``, ``style``, ``svg``,
    ``math``, ``iframe``, ``template``, ``textarea``...); start-up refuses them.

    :returns: ``{"tags": [...], "attributes": {tag: [...]}, "protocols": [...]}`` (any of
        the three), added to the core's allowlist.
    """


# -- Lifecycle: inside the write's transaction, from forum.topics.services only --------------


@hookspec
def topic_created(topic: Topic, post: Post, user: User, form: Mapping[str, str]) -> None:
    """Called when a new topic and its first post are flushed, before ``post_created``.

    :param topic: the new topic (it has an id).
    :param post: its first post.
    :param user: who started it.
    :param form: the submitted fields (the new-topic form, or the API's parameters), where
        a plugin finds the fields its :func:`composer_extras` drew (``<name>-<field>``).
    :returns: nothing.
    """


@hookspec
def post_created(post: Post, user: User) -> None:
    """Called when any new post is flushed: a reply, or a topic's first post.

    :param post: the new post (``post.topic`` is its topic).
    :param user: its author.
    :returns: nothing.
    """


@hookspec
def post_edited(post: Post, user: User, previous_raw: str) -> None:
    """Called when an edited post has been re-cooked and flushed.

    :param post: the post, with its new ``raw`` and ``cooked``.
    :param user: who edited it.
    :param previous_raw: its Markdown before the edit.
    :returns: nothing.
    """


@hookspec
def post_deleted(post: Post, user: User) -> None:
    """Called when a post is soft-deleted (deleting a first post deletes its topic).

    :param post: the post, with ``deleted_at`` set.
    :param user: who deleted it.
    :returns: nothing.
    """


@hookspec
def post_restored(post: Post, user: User) -> None:
    """Called when a soft-deleted post is restored by staff.

    :param post: the post, with ``deleted_at`` cleared.
    :param user: who restored it.
    :returns: nothing.
    """


# -- Permissions ------------------------------------------------------------------------------


@hookspec
def permission_allowed(user: User, action: str, resource: Any) -> Decision | None:
    """Called by every :func:`forum.permissions.can` check, core actions included (the
    core's own rules are implementations of this hook).

    Any deny wins; otherwise any allow; otherwise the permission's ``default_roles``. Keep
    it cheap: a topic page asks dozens of times. Answer ``None`` for actions that are not
    yours unless you mean to restrict them.

    :param user: a user or the anonymous visitor.
    :param action: a registered permission key (``topic.reply``, ``meetings.schedule``).
    :param resource: what the action is on (a category, topic or post), or ``None``.
    :returns: a :class:`~forum.hooktypes.Decision`, or ``None`` to leave it to others.
    """


# -- Page contributions: while a page is drawn (errors are logged, the page still renders) ----


@hookspec
def nav_items(user: User) -> list[NavItem] | None:
    """Called for every page with the site layout, to build the main navigation (the
    core's own "Latest" and "Categories" come from this hook too).

    :param user: the viewer (maybe the anonymous visitor).
    :returns: :class:`~forum.hooktypes.NavItem` values.
    """


@hookspec
def category_panels(category: Category, user: User) -> list[Panel] | None:
    """Called when a category page is drawn, for plugins enabled on that category.

    :param category: the category shown.
    :param user: the viewer.
    :returns: :class:`~forum.hooktypes.Panel` values, shown above the topic list.
    """


@hookspec(firstresult=True)
def category_list_view(category: Category, user: User, page: int) -> ListView | None:
    """Called when a category page is drawn, for plugins enabled on that category, to
    replace the core's topic list with the plugin's own list (a library, a tracker).
    Stops at first non-None result (plugins are asked last-loaded first).

    :param category: the category shown.
    :param user: the viewer.
    :param page: the page asked for (``?page=N``, from 1).
    :returns: a :class:`~forum.hooktypes.ListView`, or ``None`` to keep the topic list.
    """


@hookspec
def topic_panels(topic: Topic, user: User) -> list[Panel] | None:
    """Called when a topic page is drawn, for plugins enabled on the topic's category.

    :param topic: the topic shown.
    :param user: the viewer.
    :returns: :class:`~forum.hooktypes.Panel` values, shown beside the posts.
    """


@hookspec
def topic_list_badges(topics: list[Topic], user: User) -> dict[int, list[Badge]] | None:
    """Called once per topic list drawn (the latest list, a category page), with every
    topic of the list at once: look them all up in one query, never one per topic.

    :param topics: the topics listed.
    :param user: the viewer.
    :returns: ``{topic id: [Badge, ...]}`` for the topics that get badges.
    """


@hookspec
def post_actions(posts: list[Post], topic: Topic, user: User) -> dict[int, list[ActionLink]] | None:
    """Called once per topic page drawn, with the page's visible posts, to add links to
    each post's row of actions (core adds Reply, Edit...). Never query once per post.

    :param posts: the posts on the page.
    :param topic: their topic.
    :param user: the viewer.
    :returns: ``{post id: [ActionLink, ...]}``.
    """


@hookspec
def composer_extras(category: Category, user: User, form: Mapping[str, str]) -> list[Panel] | None:
    """Called when the new-topic form is drawn for a category, for plugins enabled on it
    (the form reloads when the category changes). The panels' templates hold form fields
    named ``<name>-<field>``; their values reach :func:`topic_created` as ``form``.

    :param category: the category chosen.
    :param user: who is writing.
    :param form: what was submitted so far (empty on a fresh form), to redraw typed values.
    :returns: :class:`~forum.hooktypes.Panel` values, drawn under the post box.
    """


@hookspec
def user_profile_panels(profile_user: User, viewer: User) -> list[Panel] | None:
    """Called when a user's profile page is drawn.

    :param profile_user: whose profile it is.
    :param viewer: who is looking (maybe the anonymous visitor).
    :returns: :class:`~forum.hooktypes.Panel` values, shown on the profile.
    """
