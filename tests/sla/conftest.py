"""An app with the SLA tracker loaded (shared by the session, emptied per test), and helpers to
make LMCs, officers and records."""

from __future__ import annotations

import io
from itertools import count

import pytest
from sqlalchemy import select

from forum.accounts.models import Organisation
from forum.extensions import db
from plugins.sla import services
from tests.conftest import fresh, make_app
from tests.factories import add_member, make_user

PLUGIN = "plugins.sla"
_numbers = count(1)


@pytest.fixture(scope="session")
def _sla_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("sla-data"), PLUGINS=[PLUGIN])


@pytest.fixture
def app(_sla_app, tmp_path):
    with fresh(_sla_app, tmp_path) as app:
        yield app


def make_lmc(name="Nottinghamshire LMC", nation="England", region="Midlands") -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if found is None:
        found = Organisation(name=name, nation=nation, region=region)
        db.session.add(found)
        db.session.commit()
    return found


def make_officer(username=None, *, lmc: Organisation | None = None, **fields):
    """An active member of the ``officers`` group (adds records, reads negotiation notes)."""
    lmc = lmc or make_lmc()
    user = make_user(username, organisation_id=lmc.id, **fields)
    add_member(user, "officers")
    return user


def record_form(**fields) -> dict:
    """A complete, valid phlebotomy record (domain.md §6.5, record 1) with ``fields`` over it;
    a field given as ``None`` is left out."""
    n = next(_numbers)
    form = {
        "title": f"Phlebotomy LCS 2024/25 v{n}",
        "commissioner_ref": f"TRE-LCS{n:03d}",
        "service_type": "phlebotomy",
        "scheme_type": "lcs_les",
        "nation": "england",
        "region": "midlands",
        "commissioner_type": "icb",
        "commissioner_name": "NHS Trentside ICB",
        "lmc": make_lmc().id,
        "provider_level": "practice",
        "summary": "Practices take bloods for their own patients, adults and children 12+.",
        "inclusions": "Adults and children aged 12 and over; hospital-requested bloods.",
        "exclusions": "Trial bloods.",
        "financial_year": "2024/25",
        "start_date": "2024-04-01",
        "end_date": "2025-03-31",
        "status": "active",
        "payment_model": "per_item",
        "tariffs": [{"label": "Sample", "amount_gbp": "2.60", "unit": "per_sample"}],
        "visibility": "all_members",
    }
    form.update(fields)
    return {name: value for name, value in form.items() if value is not None}


def make_record(user=None, *, document: bytes | None = None, filename="spec.pdf", **fields):
    """A record added through the service (by a new officer unless ``user``)."""
    user = user or make_officer()
    if document is not None:
        fields.setdefault("redaction_confirmed", "1")
        upload = services.Upload(io.BytesIO(document), filename)
        return services.create(user, record_form(**fields), upload)
    return services.create(user, record_form(**fields))
