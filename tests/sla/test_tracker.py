"""The tracker's filters and counts, and site search over records: what people call a
service finds it ("bloods" finds phlebotomy), visibility holds in both, prices only within
one unit."""

from __future__ import annotations

from datetime import date

import pytest

from forum.errors import InvalidParameters
from forum.search.service import search
from plugins.sla import tracker
from tests.factories import make_user
from tests.sla.conftest import make_lmc, make_officer, make_record


def browse(user, **args):
    return tracker.browse(user, tracker.parse(args), per_page=10, today=date(2025, 1, 1))


def facet(page, name) -> dict:
    return {key: n for f in page.facets if f.name == name for key, _label, n in f.values}


def test_facets_count_and_filter(app):
    officer = make_officer()
    make_record(officer, service_type="phlebotomy")
    make_record(officer, service_type="phlebotomy", nation="wales", region="wales")
    make_record(
        officer,
        service_type="ecg",
        tariffs=[{"amount_gbp": "18", "unit": "per_item"}],
        accreditations=["other"],
    )
    member = make_user()
    page = browse(member)
    assert page.total == 3
    assert facet(page, "service_type") == {"phlebotomy": 2, "ecg": 1}
    assert facet(page, "nation") == {"england": 2, "wales": 1}
    assert facet(page, "unit") == {"per_sample": 2, "per_item": 1}
    assert facet(page, "accreditation") == {"yes": 1, "no": 2}
    assert browse(member, service_type="phlebotomy", nation="england").total == 1
    args = {"service_type": ["phlebotomy", "ecg"]}
    assert tracker.browse(member, tracker.parse(args), per_page=10).total == 3
    assert browse(member, accreditation="yes").total == 1


def test_prices_are_filtered_and_sorted_only_within_one_unit(app):
    officer = make_officer()
    cheap = make_record(officer, tariffs=[{"amount_gbp": "1.25", "unit": "per_sample"}])
    dear = make_record(officer, tariffs=[{"amount_gbp": "3.12", "unit": "per_sample"}])
    make_record(officer, tariffs=[{"amount_gbp": "2.00", "unit": "per_item"}])
    member = make_user()
    with pytest.raises(InvalidParameters, match="choose one tariff unit"):
        tracker.parse({"price_min": "1"})
    with pytest.raises(InvalidParameters, match="choose one tariff unit"):
        tracker.parse({"sort": "price_asc"})
    page = browse(member, unit="per_sample", price_min="2", sort="price_asc")
    assert [r.id for r in page.records] == [dear.id]
    page = browse(member, unit="per_sample", sort="price_desc")
    assert [r.id for r in page.records] == [dear.id, cheap.id]


def test_current_only_and_year(app):
    officer = make_officer()
    make_record(officer, financial_year="2024/25")
    make_record(
        officer,
        financial_year="2023/24",
        start_date="2023-04-01",
        end_date="2024-03-31",
        status="expired",
    )
    member = make_user()
    assert browse(member, current="1").total == 1
    assert browse(member, year="2023/24").total == 1


@pytest.mark.parametrize(
    "args",
    [
        {"nation": "atlantis"},
        {"service_type": "astrology"},
        {"year": "2024-25"},
        {"page": "0"},
        {"lmc": "x"},
        {"nation": "wales", "region": "london"},
        {"unit": "per_sample", "price_min": "-1"},
        {"updated_since": "yesterday"},
    ],
)
def test_bad_filters_are_refused_by_name(app, args):
    with pytest.raises(InvalidParameters):
        tracker.parse(args)


def test_counts_never_include_what_the_viewer_may_not_see(app):
    notts, devon = make_lmc(), make_lmc("Devon LMC", region="South West")
    officer = make_officer(lmc=notts)
    make_record(officer, visibility="all_members")
    make_record(officer, visibility="officers_only", service_type="ecg")
    make_record(officer, visibility="own_lmc_only", service_type="abpm", lmc=notts.id)
    outsider = make_user(organisation_id=devon.id)
    page = browse(outsider)
    assert page.total == 1 and facet(page, "service_type") == {"phlebotomy": 1}
    assert browse(make_user(organisation_id=notts.id)).total == 2
    from forum.accounts.models import AnonymousUser

    assert browse(AnonymousUser()).total == 0


def test_search_finds_a_service_by_the_words_people_use(app):
    record = make_record(title="Trentside phlebotomy service")
    make_record(
        title="Ear care service",
        service_type="ear-care",
        summary="Irrigation and microsuction for adults.",
        inclusions="Adults.",
        exclusions="",
        commissioner_name="NHS Tamar & Moor ICB",
    )
    member = make_user()
    for query in ("bloods", "venepuncture", "LES phlebotomy", "Trentside"):
        assert [r.url for r in search(member, query).results] == [f"/sla/{record.id}"], query
    assert search(member, "type:sla syringing").results


def test_search_keeps_visibility_and_never_shows_negotiation_notes(app):
    officer = make_officer()
    make_record(
        officer,
        title="Officers only ECG",
        service_type="ecg",
        visibility="officers_only",
        negotiation_notes="Our walk-away price is confidential",
    )
    shared = make_record(officer, negotiation_notes="walk-away figure for the phlebotomy talks")
    member = make_user()
    assert search(member, "officers only ECG").results == []
    assert search(make_officer(), "officers only ECG").results
    assert search(officer, "walk-away").results == []
    assert [r.url for r in search(member, "phlebotomy").results] == [f"/sla/{shared.id}"]
    from forum.accounts.models import AnonymousUser

    assert search(AnonymousUser(), "phlebotomy").results == []
