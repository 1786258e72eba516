"""Site search into the library: a phrase from page 7 of an uploaded agreement finds the
agreement and says "page 7"; restricted items and their text are found only by those who may
see them; replaced files and superseded items behave."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import AnonymousUser
from forum.extensions import db
from forum.search.service import search
from plugins.resources import extraction, services
from plugins.resources.models import StoredFile
from tests.factories import add_member, group, make_user
from tests.resources.conftest import item_form, make_officer, make_resource, sample_pdf, upload

PHRASE = "notional rent acceptance window"


def with_text(item):
    """Read the item's file as the upload page would after its commit."""
    extraction.start(item.file_id)
    db.session.refresh(item)
    return item


def test_a_phrase_from_page_seven_finds_the_document_and_its_page(app):
    item = with_text(
        make_resource(file=sample_pdf(10, PHRASE, on_page=7), title="Model partnership agreement")
    )
    assert item.file.extraction == "done" and item.file.section_count == 10
    found = search(make_user(), f'"{PHRASE}"').results
    assert len(found) == 1
    [result] = found
    assert result.url == f"/resources/{item.slug}#section-7"
    assert "page 7" in result.title
    assert "<mark>" in result.blurb


def test_metadata_is_searchable_without_a_file(app):
    item = make_resource(title="Safe working in general practice", keywords="25 contacts")
    [result] = search(make_user(), "safe working").results
    assert result.url == f"/resources/{item.slug}"
    assert search(make_user(), "type:resource contacts").results


def test_one_result_per_item_even_when_title_and_pages_match(app):
    with_text(make_resource(file=sample_pdf(3, "merger checklist", 2), title="Merger checklist"))
    assert len(search(make_user(), "merger checklist").results) == 1


def test_restricted_text_is_found_only_by_those_who_may_see_it(app):
    group("lmcsn-staff")
    secret = with_text(
        make_resource(
            file=sample_pdf(8, "confidential negotiation tariff", on_page=3),
            access_level="restricted",
            restricted_groups=["lmcsn-staff"],
            title="Negotiation brief",
        )
    )
    officers_only = make_resource(access_level="officers_staff", title="Officer levy paper")
    member, staffer, officer = make_user(), make_user(), make_officer()
    add_member(staffer, "lmcsn-staff")
    query = '"confidential negotiation tariff"'
    assert search(member, query).results == []
    assert search(AnonymousUser(), query).results == []
    assert search(officer, query).results == []
    assert [r.url for r in search(staffer, query).results] == [
        f"/resources/{secret.slug}#section-3"
    ]
    assert search(member, "levy paper").results == []
    assert [r.url for r in search(officer, "levy paper").results] == [
        f"/resources/{officers_only.slug}"
    ]
    assert search(make_user(role="admin"), query).results


def test_opening_an_item_up_makes_its_pages_findable(app):
    officer = make_officer()
    item = with_text(
        make_resource(
            officer,
            file=sample_pdf(2, "list closure application", 2),
            access_level="officers_staff",
        )
    )
    member = make_user()
    assert search(member, '"list closure application"').results == []
    services.update(
        officer, item, item_form(title=item.title, access_level="members", external_url=None)
    )
    assert len(search(member, '"list closure application"').results) == 1


def test_a_drafts_text_is_found_by_its_contributor_only(app):
    officer = make_officer()
    with_text(
        make_resource(officer, file=sample_pdf(1, "embargoed uplift figures"), status="draft")
    )
    assert search(officer, "embargoed uplift").results
    assert search(make_officer(), "embargoed uplift").results == []


def test_a_replaced_file_leaves_search(app):
    officer = make_officer()
    item = with_text(make_resource(officer, file=sample_pdf(2, "first edition wording", 1)))
    services.update(
        officer,
        item,
        item_form(title=item.title, external_url=None),
        upload(sample_pdf(2, "second edition wording", 1), "v2.pdf"),
    )
    extraction.start(item.file_id)
    member = make_user()
    assert search(member, '"first edition wording"').results == []
    assert search(member, '"second edition wording"').results


def test_an_unreadable_pdf_is_stored_and_findable_by_its_details(app):
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 500
    item = make_resource(
        file=broken, filename="broken.pdf", title="Handback guidance", external_url=None
    )
    extraction.start(item.file_id)
    stored = db.session.scalar(select(StoredFile))
    assert stored.extraction == "failed" and stored.extraction_error
    assert [r.url for r in search(make_user(), "handback guidance").results] == [
        f"/resources/{item.slug}"
    ]


def test_synonyms_find_the_long_name(app):
    make_resource(title="Primary Medical Care Policy and Guidance Manual")
    assert search(make_user(), "PGM").results
