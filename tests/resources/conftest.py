"""An app with the Resource Centre loaded (shared by the session, emptied per test), text
extraction done on the spot rather than in the background, and helpers to make people and
library items."""

from __future__ import annotations

import io
from itertools import count

import pytest

from plugins.resources import services
from plugins.resources.samples import pdf_bytes
from tests.conftest import fresh, make_app
from tests.factories import add_member, make_user

PLUGIN = "plugins.resources"
_numbers = count(1)


@pytest.fixture(scope="session")
def _resources_app(tmp_path_factory):
    return make_app(
        tmp_path_factory.mktemp("resources-data"),
        PLUGINS=[PLUGIN],
        RESOURCES_EXTRACT_IN_BACKGROUND=False,
    )


@pytest.fixture
def app(_resources_app, tmp_path):
    with fresh(_resources_app, tmp_path) as app:
        yield app


def make_officer(username=None, **fields):
    """An active member of the ``officers`` group (may add items, sees officers' items)."""
    user = make_user(username, **fields)
    add_member(user, "officers")
    return user


def upload(data: bytes, filename: str = "document.pdf") -> services.Upload:
    return services.Upload(io.BytesIO(data), filename)


def item_form(**fields) -> dict:
    """A complete, valid form for a library item (a link unless a file is given)."""
    n = next(_numbers)
    form = {
        "title": f"Model partnership agreement {n}",
        "summary": "What a partnership agreement should cover.",
        "collection": "tool_or_sample",
        "resource_type": "model_agreement",
        "topics": ["partnerships"],
        "nations": ["england"],
        "source_org": "LMCSN editorial",
        "licence": "lmc_share_with_attribution",
        "access_level": "members",
        "external_url": "https://example.org/agreement",
    }
    form.update(fields)
    return {name: value for name, value in form.items() if value is not None}


def make_resource(user=None, *, file: bytes | None = None, filename="agreement.pdf", **fields):
    """A library item added through the service (by a new officer unless ``user``)."""
    user = user or make_officer()
    if file is not None:
        fields.setdefault("external_url", None)
        return services.create(user, item_form(**fields), upload(file, filename))
    return services.create(user, item_form(**fields))


def sample_pdf(pages: int = 3, phrase: str = "", on_page: int = 1) -> bytes:
    """A PDF of ``pages`` pages, with ``phrase`` on page ``on_page``."""
    texts = [f"Page {n} of a sample document about general practice." for n in range(1, pages + 1)]
    if phrase:
        texts[on_page - 1] += "\n" + phrase
    return pdf_bytes(texts)
