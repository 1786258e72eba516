"""Empty databases for tests that must start from nothing (migrations, ``forum init``).

The shared test database (``FORUM_TEST_DATABASE_URL``) already holds tables made by
``create_all`` and is reset between tests by the fixtures, so a test that runs the migrations
needs a database of its own: a SQLite file in the test's temporary folder, or, on
PostgreSQL, a throwaway database created next to the test one and dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from forum import create_app

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")


@contextmanager
def scratch_database(tmp_path, backend: str = "sqlite") -> Iterator[str]:
    """Yield the URL of an empty database on ``backend`` (``"sqlite"`` or ``"postgresql"``)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/scratch.sqlite3"
        return
    base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"lmchub_scratch_{secrets.token_hex(6)}"
    server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            # FORCE ends any connection a failed test left open (PostgreSQL 13+).
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def bare_app(database_url: str, tmp_path, **config):
    """An app on ``database_url`` with nothing created in it (unlike the ``app`` fixture)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "DATA_DIR": str(tmp_path),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "LOAD_ENTRY_POINTS": False,
            **config,
        }
    )


def plugin_packages() -> list[str]:
    """Every plugin package in the tree: the first-party ones in plugins/ and the example
    in tests/plugins/."""
    root = Path(__file__).resolve().parents[2]
    found = []
    for folder in ("plugins", "tests/plugins"):
        for init in sorted((root / folder).glob("*/__init__.py")):
            found.append(f"{folder.replace('/', '.')}.{init.parent.name}")
    return found


#: ``pytest.mark.parametrize`` values: SQLite always, PostgreSQL when configured.
BACKENDS = ["sqlite", "postgresql"]


def skip_reason(backend: str) -> str | None:
    if backend == "postgresql" and not POSTGRES_URL:
        return "FORUM_TEST_DATABASE_URL is not set"
    return None
