"""The migrations, applied to an empty database, produce exactly the tables the models
describe: the same check as ``flask db check``, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from forum.extensions import db
from tests.contract.databases import BACKENDS, bare_app, scratch_database, skip_reason


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
            conn, opts={"compare_type": True, **migrate_ext.configure_args}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_from_empty_match_the_models(empty_database, tmp_path):
    app = bare_app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="heads")
        try:
            tables = set(inspect(db.engine).get_table_names())
            assert set(db.metadata.tables) <= tables
            assert "alembic_version" in tables
            assert _differences(app) == []
        finally:
            db.session.remove()
            db.engine.dispose()


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


def test_the_comparison_would_notice_a_missing_table(empty_database, tmp_path):
    """Guard against a vacuous pass: drop a table after migrating and the check must fail."""
    app = bare_app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="heads")
        try:
            db.metadata.tables["post_revisions"].drop(db.engine)
            diffs = _differences(app)
            assert any(d[0] == "add_table" and d[1].name == "post_revisions" for d in diffs)
            # ... and so does ``flask db check``.
            result = app.test_cli_runner().invoke(args=["db", "check"])
            assert result.exit_code != 0
        finally:
            db.session.remove()
            db.engine.dispose()
