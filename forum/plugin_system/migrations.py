"""Alembic with plugins: each plugin's revisions live in its package's ``migrations/`` folder
(``plugins/<name>/migrations/``) on a branch labelled ``<name>``, and every table belongs to
one owner (``core`` or a plugin).

* :func:`configure_alembic` (a Flask-Migrate ``configure`` callback) adds the revision
  folders of the app's plugins to ``version_locations``, so ``flask db upgrade heads``
  brings the core and every enabled plugin up to date.
* :func:`include_object` limits what Alembic compares to the tables of the app's owners:
  all of them for ``upgrade`` and ``flask db check``; while autogenerating, the core's
  only, or one plugin's with ``flask db migrate -x plugin=<name>`` (so one owner's revision
  never picks up another's tables). Tables in the database that no model describes (those
  of a plugin no longer loaded) are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

CORE_OWNER = "core"


def owner(table) -> str | None:
    """Who owns ``table``: the plugin stamped on it by ``register_models``, the core for the
    tables of ``forum.*`` models, else ``None`` (a plugin module imported in this process
    but registered by no app: its tables belong to nobody here)."""
    stamped = table.info.get("plugin")
    if stamped is not None:
        return stamped
    return CORE_OWNER if table.name in _core_tables(table.metadata) else None


def _core_tables(metadata) -> frozenset[str]:
    from forum.extensions import db

    return frozenset(
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if mapper.class_.__module__.startswith("forum.") and mapper.local_table.metadata is metadata
    )


def owners(app: Flask) -> set[str]:
    """The core and the app's plugins."""
    return {CORE_OWNER, *(info.name for info in app.extensions["forum.plugins"].extensions)}


def owned_tables(app: Flask, metadata) -> dict:
    """The tables of ``metadata`` that belong to the app (not to a plugin it does not
    load, though that plugin's module may have been imported in this process)."""
    mine = owners(app)
    return {name: table for name, table in metadata.tables.items() if owner(table) in mine}


def version_locations(app: Flask) -> list[str]:
    directory = app.extensions["migrate"].directory
    locations = [str(Path(directory) / "versions")]
    for info in app.extensions["forum.plugins"].extensions:
        if info.migrations_dir is not None:
            locations.append(str(info.migrations_dir))
    return locations


def configure_alembic(config):
    """Flask-Migrate ``configure`` callback: the app's revision folders."""
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(version_locations(current_app)))
    return config


def include_object(app: Flask, *, autogenerate: bool, only: str | None = None) -> Callable:
    """An Alembic ``include_object`` for ``app`` (see the module's docstring)."""
    if only is not None and only not in owners(app):
        raise ValueError(f"-x plugin={only}: no such plugin is loaded")
    if autogenerate:
        wanted = {only or CORE_OWNER}
    else:
        wanted = owners(app)

    def include(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        if table is None:
            return True
        if reflected:
            if compare_to is None:
                # In the database but in no model: left alone (a disabled plugin's table).
                return type_ != "table" and owner_of_name(table.name) in wanted
            table = compare_to if type_ == "table" else getattr(compare_to, "table", table)
        return owner(table) in wanted

    def owner_of_name(table_name: str) -> str:
        model = app.extensions["migrate"].db.metadata.tables.get(table_name)
        return owner(model) if model is not None else ""

    return include
