"""An app with the mentoring directory loaded (shared by the session, emptied per test), and
helpers to make LMCs, mentors (through :func:`profiles.save_profile`) and requests."""

from __future__ import annotations

from itertools import count

import pytest
from sqlalchemy import select

from forum.accounts.models import Organisation
from forum.extensions import db
from plugins.mentoring import profiles, requests
from tests.conftest import fresh, make_app
from tests.factories import make_user

PLUGIN = "plugins.mentoring"
_numbers = count(1)


@pytest.fixture(scope="session")
def _mentoring_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("mentoring-data"), PLUGINS=[PLUGIN])


@pytest.fixture
def app(_mentoring_app, tmp_path):
    with fresh(_mentoring_app, tmp_path) as app:
        yield app


def make_lmc(name=None, nation="England", region="Midlands") -> Organisation:
    name = name or f"LMC {next(_numbers)}"
    found = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if found is None:
        found = Organisation(name=name, nation=nation, region=region)
        db.session.add(found)
        db.session.commit()
    return found


def profile_form(**fields) -> dict:
    """A complete, valid mentor profile with ``fields`` over it (``None`` leaves one out)."""
    form = {
        "kinds": ["lmc_officer_buddy"],
        "expertise": ["negotiation", "lmc-governance"],
        "audiences": ["new_lmc_officers"],
        "modes": ["video", "phone"],
        "capacity": "2",
        "nation": "england",
        "bio": "Chief executive of an LMC for ten years.",
        "languages": ["English"],
        "directory_visibility": "all_members",
    }
    form.update(fields)
    return {name: value for name, value in form.items() if value is not None}


def make_mentor(username=None, *, lmc: Organisation | None = None, **fields):
    """A member with a mentor profile saved through the service; returns ``(user, profile)``."""
    lmc = lmc or make_lmc()
    user = make_user(username, organisation_id=lmc.id)
    return user, profiles.save_profile(user, profile_form(**fields))


def request_form(**fields) -> dict:
    form = {
        "needs": ["negotiation"],
        "kinds": ["lmc_officer_buddy"],
        "goals": "Secret goals: preparing for a tough levy negotiation with our ICB.",
        "urgency": "routine",
        "modes": ["video"],
        "audience": "new_lmc_officers",
        "nation": "england",
        "consent_to_coordinator": "1",
    }
    form.update(fields)
    return {name: value for name, value in form.items() if value is not None}


def make_mentee(username=None, *, lmc: Organisation | None = None):
    lmc = lmc or make_lmc()
    return make_user(username, organisation_id=lmc.id)


def make_request(user=None, **fields):
    """A submitted request (by a new member unless ``user``)."""
    user = user or make_mentee()
    return requests.submit(user, request_form(**fields))
