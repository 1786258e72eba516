"""Page slots: what plugins add to a page, asked for by the view that draws it.

Views bind slots explicitly (``slot("category_panels", category=c, user=u)``), as Datasette
does, and pass the results to their templates; templates never look hooks up by name. An
unknown slot name raises, so a misspelt slot fails loudly instead of drawing nothing (the
FlaskBB pitfall). A plugin that raises, or returns something malformed, is logged under its
name and left out: the rest of the page still renders.
"""

from __future__ import annotations

import logging

from flask import current_app

from forum.hooktypes import ActionLink, Badge, ListView, NavItem, Panel
from forum.plugin_system.calls import each
from forum.plugin_system.enablement import enabled_plugins

log = logging.getLogger("forum.plugins")


class UnknownSlot(LookupError):
    """A view asked for a page slot that is not a page-contribution hook."""


#: Page-contribution hooks: ``(what each item must be, shape of the answer, scope)``.
#: Shape ``list``: a list of items; ``by_id``: ``{id: [items]}``; ``one``: a single item
#: (first answer wins). Scope ``category``/``topic``: only plugins enabled on the category
#: (of the topic) are asked; ``None``: every plugin.
PAGE_HOOKS: dict[str, tuple[type, str, str | None]] = {
    "nav_items": (NavItem, "list", None),
    "category_panels": (Panel, "list", "category"),
    "category_list_view": (ListView, "one", "category"),
    "topic_panels": (Panel, "list", "topic"),
    "topic_list_badges": (Badge, "by_id", None),
    "post_actions": (ActionLink, "by_id", None),
    "composer_extras": (Panel, "list", "category"),
    "user_profile_panels": (Panel, "list", None),
}


def _sort_key(item) -> tuple:
    return (getattr(item, "order", 100), item.key)


def slot(name: str, **kwargs):
    """The contributions of every (enabled) plugin to the page slot ``name``: a sorted list,
    a ``{id: sorted list}`` dict, or one item or ``None``, as :data:`PAGE_HOOKS` says."""
    if name not in PAGE_HOOKS:
        raise UnknownSlot(f"no page slot called {name!r}")
    kind, shape, scope = PAGE_HOOKS[name]
    plugins = current_app.extensions["forum.plugins"]
    only = None
    if scope == "category":
        only = plugins.core_names | enabled_plugins(kwargs["category"].id)
    elif scope == "topic":
        only = plugins.core_names | enabled_plugins(kwargs["topic"].category_id)
    answers = each(plugins.pm, name, kwargs, only=only, isolate=True)
    if shape == "one":
        for answer in answers:
            if _valid(plugins, answer.plugin, name, kind, answer.value):
                return answer.value
        return None
    if shape == "list":
        items = [
            item
            for answer in answers
            for item in _as_list(answer, name)
            if _valid(plugins, answer.plugin, name, kind, item)
        ]
        return sorted(items, key=_sort_key)
    merged: dict = {}
    for answer in answers:
        if not isinstance(answer.value, dict):
            log.error("plugin %r: hook %r must return a dict", answer.plugin, name)
            continue
        for object_id, items in answer.value.items():
            if not isinstance(items, list | tuple):
                log.error("plugin %r: hook %r must map ids to lists", answer.plugin, name)
                continue
            good = [i for i in items if _valid(plugins, answer.plugin, name, kind, i)]
            merged.setdefault(object_id, []).extend(good)
    return {object_id: sorted(items, key=_sort_key) for object_id, items in merged.items()}


def _as_list(answer, name: str) -> list:
    if isinstance(answer.value, list | tuple):
        return list(answer.value)
    log.error("plugin %r: hook %r must return a list", answer.plugin, name)
    return []


#: Fields of the page values that must be text, and the one that must be a number.
_TEXT_FIELDS = ("key", "label", "url", "title", "template", "method")


def _valid(plugins, plugin: str, hook: str, kind: type, item) -> bool:
    """Whether ``item`` is a well-formed ``kind`` whose key carries the plugin's name (else
    logged): text where text belongs and a whole number as ``order``, so that a malformed
    item cannot break the page or the sorting."""
    if not isinstance(item, kind):
        log.error("plugin %r: hook %r returned %r, not a %s", plugin, hook, item, kind.__name__)
        return False
    bad = [name for name in _TEXT_FIELDS if not isinstance(getattr(item, name, ""), str)]
    order = getattr(item, "order", 0)
    if not isinstance(order, int) or isinstance(order, bool):
        bad.append("order")
    if bad:
        log.error("plugin %r: hook %r returned %r with bad %s", plugin, hook, item, bad)
        return False
    if not plugins.owns_key(plugin, item.key):
        prefix = plugins.namespace(plugin) + "."
        log.error("plugin %r: hook %r returned key %r without %r", plugin, hook, item.key, prefix)
        return False
    return True
