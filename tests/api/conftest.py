"""Fixtures for the JSON API tests (the shared client already runs each request in an app
context of its own, as a WSGI server would)."""

from __future__ import annotations

import pytest

from forum.accounts.services import create_api_key
from tests.factories import make_category, make_user

JSON_TYPE = "application/json; charset=utf-8"


def api_headers(user) -> dict:
    """``Api-Key``/``Api-Username`` headers for a new single-user key of ``user``."""
    _, key = create_api_key(user)
    return {"Api-Key": key, "Api-Username": user.username}


def json_of(response, status: int = 200):
    """The response's JSON after checking its status and exact content type; a 2xx body never
    carries a non-empty ``errors`` (discourse.md §4.5 rule 3)."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.headers["Content-Type"] == JSON_TYPE
    body = response.get_json()
    if status < 300 and isinstance(body, dict):
        assert not body.get("errors")
    return body


def error_of(response, status: int, error_type: str | None = None) -> dict:
    """A Discourse-shaped error body: a non-empty list of strings in ``errors``."""
    body = json_of(response, status)
    assert isinstance(body["errors"], list) and body["errors"]
    assert all(isinstance(message, str) and message for message in body["errors"])
    assert body.get("error_type") == error_type
    return body


@pytest.fixture
def member(app):
    return make_user("alice", name="Alice Example")


@pytest.fixture
def headers(member):
    return api_headers(member)


@pytest.fixture
def category(app):
    return make_category("Prescribing", description="Medicines, formularies and *shared care*.")
