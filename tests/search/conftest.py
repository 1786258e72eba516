"""``search_app``: the app with a fresh database and a fresh index, once per backend.

Whoosh always; PostgreSQL full-text search too when the suite runs on PostgreSQL
(``FORUM_TEST_DATABASE_URL``), so CI runs every search test against both backends.
"""

from __future__ import annotations

import pytest

from tests.conftest import TEST_DATABASE_URL, fresh, make_app

BACKENDS = ["whoosh", "postgres"]
_apps: dict[str, object] = {}


def _backend_app(name: str, tmp_path_factory):
    if name not in _apps:
        _apps[name] = make_app(tmp_path_factory.mktemp(f"search-{name}"), SEARCH_BACKEND=name)
    return _apps[name]


@pytest.fixture(params=BACKENDS)
def search_app(request, tmp_path, tmp_path_factory):
    if request.param == "postgres" and not (TEST_DATABASE_URL or "").startswith("postgresql"):
        pytest.skip("the PostgreSQL backend needs FORUM_TEST_DATABASE_URL on PostgreSQL")
    with fresh(_backend_app(request.param, tmp_path_factory), tmp_path) as app:
        yield app


@pytest.fixture
def search_client(search_app):
    return search_app.test_client()
