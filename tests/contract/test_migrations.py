"""The migrations, applied to an empty database, produce exactly the tables the models
describe: the same check as ``flask db check``, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from forum.extensions import db
from forum.plugin_system.migrations import include_object, owned_tables
from tests.contract.databases import (
    BACKENDS,
    bare_app,
    plugin_packages,
    scratch_database,
    skip_reason,
)


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    reason = skip_reason(request.param)
    if reason:
        pytest.skip(reason)
    with scratch_database(tmp_path, request.param) as url:
        yield url


def _differences(app) -> list:
    migrate_ext = app.extensions["migrate"]
    with db.engine.connect() as conn:
        # The same options the migrations environment uses, so batch mode etc. match.
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                **migrate_ext.configure_args,
                "include_object": include_object(app, autogenerate=False),
            },
        )
        return compare_metadata(context, db.metadata)


@contextmanager
def migrated(app):
    """``app``'s context with its database upgraded to every head; connections closed after."""
    with app.app_context():
        upgrade(revision="heads")
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def test_migrations_from_empty_match_the_models(empty_database, tmp_path):
    with migrated(bare_app(empty_database, tmp_path)) as app:
        tables = set(inspect(db.engine).get_table_names())
        assert set(owned_tables(app, db.metadata)) <= tables
        assert "alembic_version" in tables
        assert _differences(app) == []


def test_db_check_command_agrees(empty_database, tmp_path):
    """``flask db check`` (what an operator would run) passes after ``flask forum init``."""
    app = bare_app(empty_database, tmp_path)
    runner = app.test_cli_runner()
    try:
        result = runner.invoke(args=["forum", "init"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(args=["db", "check"])
        # Exit status 0 means "no differences"; the test below shows it fails on one.
        assert result.exit_code == 0, result.output
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(
    ("plugins", "table"), [([], "post_revisions"), (["tests.plugins.meetings"], "meetings_meeting")]
)
def test_the_comparison_would_notice_a_missing_table(empty_database, tmp_path, plugins, table):
    """Guard against a vacuous pass: drop a table (the core's, or a plugin's) after
    migrating and the check must fail."""
    with migrated(bare_app(empty_database, tmp_path, PLUGINS=plugins)) as app:
        db.metadata.tables[table].drop(db.engine)
        diffs = _differences(app)
        assert any(d[0] == "add_table" and d[1].name == table for d in diffs)
        # ... and so does ``flask db check``.
        db.session.remove()
        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code != 0


def applied_revisions(script, current) -> set[str]:
    """The revisions ``current`` (alembic_version's rows) stand for: themselves, their
    down revisions and their dependencies, all the way down."""
    seen, stack = set(), list(current)
    while stack:
        revision = script.get_revision(stack.pop())
        if revision is None or revision.revision in seen:
            continue
        seen.add(revision.revision)
        for parents in (revision.down_revision, revision.dependencies):
            stack.extend([parents] if isinstance(parents, str) else parents or ())
    return seen


def test_every_plugins_migrations_match_its_models(empty_database, tmp_path):
    """With every plugin loaded, ``upgrade heads`` from empty builds the core's and each
    plugin's tables from their own branches, and models and migrations agree."""
    plugins = plugin_packages()
    assert "tests.plugins.meetings" in plugins
    with migrated(bare_app(empty_database, tmp_path, PLUGINS=plugins)) as app:
        owned = owned_tables(app, db.metadata)
        assert "meetings_meeting" in owned
        assert set(owned) <= set(inspect(db.engine).get_table_names())
        assert _differences(app) == []
        # Every branch's head is applied. A branch that depends on another's head absorbs
        # that head's row in alembic_version, so the rows are walked with their ancestry.
        current = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        branches = [info for info in app.extensions["forum.plugins"].extensions]
        heads = set(script.get_heads())
        assert len(heads) == 1 + sum(1 for info in branches if info.migrations_dir)
        assert heads <= applied_revisions(script, current)
        # ... and so does `flask db check`, which an operator would run.
        db.session.remove()
        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output


def test_tables_of_plugins_an_app_does_not_load_are_left_alone(empty_database, tmp_path):
    """The example plugin's module is imported in this process (its table is in the shared
    metadata), but an app without it neither creates nor reports that table."""
    import tests.plugins.meetings  # noqa: F401

    with migrated(bare_app(empty_database, tmp_path)) as app:
        assert "meetings_meeting" not in inspect(db.engine).get_table_names()
        assert _differences(app) == []
