"""Which plugins are enabled on which categories: a core primitive, so every plugin gets the
same admin switch and the core can ask only the enabled plugins for a category's panels.

The whole table is small (a few rows per category) and read on most pages, so it is kept
in a process-local cache that dies with the content version, like the permission table.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import delete, select

from forum.caching import MISSING, VersionedCache
from forum.categories.models import CategoryPlugin
from forum.content_version import current_version
from forum.extensions import db

_KEY = "all"


def _cache() -> VersionedCache:
    cache = current_app.extensions.get("forum.category_plugins_cache")
    if cache is None:
        cache = VersionedCache(
            max_entries=1, max_age_seconds=current_app.config["CACHE_MAX_AGE_SECONDS"]
        )
        current_app.extensions["forum.category_plugins_cache"] = cache
    return cache


def enabled_map() -> dict[int, frozenset[str]]:
    """``{category id: names of the plugins enabled on it}`` (do not mutate)."""
    cache = _cache()
    version = current_version()
    found = cache.get(_KEY, version)
    if found is MISSING:
        rows: dict[int, set[str]] = {}
        for category_id, plugin in db.session.execute(
            select(CategoryPlugin.category_id, CategoryPlugin.plugin)
        ):
            rows.setdefault(category_id, set()).add(plugin)
        found = {category_id: frozenset(names) for category_id, names in rows.items()}
        cache.put(_KEY, version, found)
    return found


def enabled_plugins(category_id: int | None) -> frozenset[str]:
    """The loaded plugins an admin enabled on the category with this id."""
    loaded = current_app.extensions["forum.plugins"].infos
    names = enabled_map().get(category_id, frozenset())
    return frozenset(name for name in names if name in loaded)


def is_enabled(category, plugin: str) -> bool:
    """Whether ``plugin`` is enabled on ``category`` (a Category, or its id)."""
    if category is None:
        return False
    category_id = category if isinstance(category, int) else category.id
    return plugin in enabled_plugins(category_id)


def categories_with(plugin: str) -> list[int]:
    """Ids of the categories ``plugin`` is enabled on."""
    return sorted(cid for cid, names in enabled_map().items() if plugin in names)


def set_enabled(category, plugins: Iterable[str]) -> None:
    """Enable exactly ``plugins`` (loaded plugin names) on ``category`` among the loaded
    plugins; rows of plugins not loaded now are left alone. The caller commits."""
    loaded = {info.name for info in current_app.extensions["forum.plugins"].extensions}
    wanted = set(plugins)
    unknown = wanted - loaded
    if unknown:
        raise ValueError(f"no plugin called {', '.join(sorted(unknown))}")
    current = (
        set(
            db.session.scalars(
                select(CategoryPlugin.plugin).where(CategoryPlugin.category_id == category.id)
            )
        )
        & loaded
    )
    if current - wanted:
        db.session.execute(
            delete(CategoryPlugin).where(
                CategoryPlugin.category_id == category.id,
                CategoryPlugin.plugin.in_(current - wanted),
            )
        )
    for name in sorted(wanted - current):
        db.session.add(CategoryPlugin(category_id=category.id, plugin=name))
