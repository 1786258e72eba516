"""Fixtures for the admin pages: an admin and a client signed in as them."""

import pytest

from tests.factories import make_user


@pytest.fixture
def admin(app):
    return make_user("boss", role="admin", name="Site Admin")


@pytest.fixture
def admin_client(app, client, auth, admin):
    auth.login_as(admin)
    return client
