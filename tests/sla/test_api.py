"""The SLA tracker's JSON endpoints: the list with its facets, one record with every field,
adding and changing records, in the core API's error dialect. A record never reaches someone
who may not see it, negotiation notes reach officers only, and every answer carries the
"not like-for-like" notice."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from forum.extensions import db
from plugins.resources.samples import pdf_bytes
from plugins.sla import vocabulary as v
from plugins.sla.models import SlaRecord, SlaTariff
from tests.api.conftest import api_headers, error_of, json_of
from tests.factories import make_topic, make_user
from tests.sla.conftest import make_lmc, make_officer, make_record, record_form

LIST = "/sla/records.json"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def facet(body: dict, name: str) -> dict[str, int]:
    return {entry["value"]: entry["count"] for entry in body["facets"][name]}


def tracker(officer=None) -> dict:
    """Four records: two for every member, one for officers, one for its own LMC only."""
    officer = officer or make_officer()
    return {
        "officer": officer,
        "bloods": make_record(
            officer, title="Trentside phlebotomy", negotiation_notes="Aim for £3."
        ),
        "ears": make_record(
            officer,
            title="Wessex ear irrigation",
            service_type="ear-care",
            nation="england",
            region="south_west",
            commissioner_name="NHS Wessex ICB",
            tariffs=[{"label": "Irrigation", "amount_gbp": "14.00", "unit": "per_procedure"}],
        ),
        "officers": make_record(officer, title="Officers' phlebotomy", visibility="officers_only"),
        "own": make_record(officer, title="Our own phlebotomy", visibility="own_lmc_only"),
    }


# -- The list ---------------------------------------------------------------------------------


def test_the_list_shows_what_the_viewer_may_see_with_facets(client):
    records = tracker()
    member = make_user("member")  # no LMC, not an officer
    body = json_of(client.get(LIST, headers=api_headers(member)))
    assert {r["title"] for r in body["records"]} == {
        "Trentside phlebotomy",
        "Wessex ear irrigation",
    }
    assert body["total"] == 2 and body["page"] == 1 and body["pages"] == 1
    assert body["notice"] == v.NOT_LIKE_FOR_LIKE and body["more_records_url"] is None
    assert facet(body, "service_type") == {"phlebotomy": 1, "ear-care": 1}
    assert facet(body, "region") == {"midlands": 1, "south_west": 1}
    assert set(body["facets"]) >= {"service_type", "year", "nation", "status", "unit", "rag"}
    first = next(r for r in body["records"] if r["id"] == records["bloods"].id)
    assert first["tariffs"] == [
        {
            "label": "Sample",
            "amount_gbp": "2.60",
            "unit": "per_sample",
            "unit_label": "per sample",
            "notes": "",
        }
    ]
    assert first["lmc"] == {"id": make_lmc().id, "name": "Nottinghamshire LMC"}
    assert "negotiation_notes" not in first
    # An officer of the same LMC sees all four.
    body = json_of(client.get(LIST, headers=api_headers(make_officer())))
    assert body["total"] == 4
    # An officer of another LMC sees the officers' record, not the other LMC's own.
    elsewhere = make_officer(lmc=make_lmc("Wessex LMC", region="South West"))
    body = json_of(client.get(LIST, headers=api_headers(elsewhere)))
    assert records["own"].id not in {r["id"] for r in body["records"]} and body["total"] == 3


def test_the_list_filters_and_pages(client):
    tracker()
    headers = api_headers(make_officer())
    body = json_of(client.get(f"{LIST}?service_type=ear-care", headers=headers))
    assert [r["title"] for r in body["records"]] == ["Wessex ear irrigation"]
    body = json_of(client.get(f"{LIST}?unit=per_sample&price_max=3", headers=headers))
    assert body["total"] == 3
    body = json_of(client.get(f"{LIST}?per_page=1&sort=year", headers=headers))
    assert len(body["records"]) == 1 and body["pages"] == 4 and body["per_page"] == 1
    more = body["more_records_url"]
    assert more.startswith("/sla/records.json?") and "page=2" in more and "per_page=1" in more
    assert json_of(client.get(more, headers=headers))["page"] == 2


def test_the_list_refuses_what_it_cannot_read_naming_the_parameter(client):
    headers = api_headers(make_officer())
    for query, name in (
        ("status=cheapest", "status"),
        ("service_type=bloods", "service_type"),
        ("price_min=2", "unit"),  # a price across units is not comparable
        ("sort=price_asc", "unit"),
        ("unit=per_sample&price_min=lots", "price_min"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=-1", "page"),
    ):
        body = error_of(client.get(f"{LIST}?{query}", headers=headers), 400, "invalid_parameters")
        assert f"parameters to the request: {name}" in body["errors"][0], query


def test_visitors_must_sign_in(client):
    record = make_record()
    error_of(client.get(LIST), 403, "not_logged_in")
    error_of(client.get(f"/sla/{record.id}.json"), 403, "not_logged_in")
    error_of(client.post(LIST, json=record_form()), 403, "not_logged_in")
    error_of(client.put(f"/sla/{record.id}.json", json={"status": "expired"}), 403, "not_logged_in")
    assert count(SlaRecord) == 1


# -- One record -------------------------------------------------------------------------------


def test_one_record_with_every_field_notes_for_officers_only(client):
    officer = make_officer()
    older = make_record(
        officer,
        title="Phlebotomy 2023/24",
        financial_year="2023/24",
        start_date="2023-04-01",
        end_date="2024-03-31",
    )
    topic = make_topic(officer).topic
    record = make_record(
        officer,
        supersedes=str(older.id),
        negotiation_notes="The ICB would go to £2.90.",
        kpis=[{"name": "Samples rejected", "target": "< 2%"}],
        accreditations=["phlebotomy_training"],
        document=pdf_bytes(["Phlebotomy specification"]),
    )
    record.discussion_topic_id = topic.id
    db.session.commit()
    path = f"/sla/{record.id}.json"
    body = json_of(client.get(path, headers=api_headers(make_user("member"))))["record"]
    assert "negotiation_notes" not in body
    assert body["notice"] == v.NOT_LIKE_FOR_LIKE
    assert body["tariffs"][0]["amount_gbp"] == "2.60" and body["tariffs"][0]["unit"] == "per_sample"
    assert body["kpis"] == [{"name": "Samples rejected", "target": "< 2%", "measure": ""}]
    assert body["accreditations"] == ["phlebotomy_training"]
    assert body["supersedes"] == {
        "id": older.id,
        "title": "Phlebotomy 2023/24",
        "url": f"/sla/{older.id}",
    }
    assert body["superseded_by"] is None and body["discussion_topic_id"] == topic.id
    assert body["document"]["name"] == "spec.pdf" and body["document"]["kind"] == "pdf"
    assert body["document"]["download_url"] == f"/sla/{record.id}/document"
    assert body["inclusions"].startswith("Adults") and body["can_edit"] is False
    assert body["labels"]["service_type"] == "Phlebotomy"
    body = json_of(client.get(path, headers=api_headers(make_officer())))["record"]
    assert body["negotiation_notes"] == "The ICB would go to £2.90."
    body = json_of(client.get(f"/sla/{older.id}.json", headers=api_headers(officer)))["record"]
    assert body["superseded_by"]["id"] == record.id and body["status"] == "superseded"
    assert body["can_edit"] is True


def test_a_newer_version_someone_may_not_see_is_not_named(client):
    officer = make_officer()
    older = make_record(officer)
    make_record(officer, supersedes=str(older.id), visibility="officers_only")
    body = json_of(client.get(f"/sla/{older.id}.json", headers=api_headers(make_user())))
    assert body["record"]["superseded_by"] is None


def test_missing_and_invisible_records_answer_the_same_404(client):
    own = make_record(visibility="own_lmc_only")
    headers = api_headers(make_officer(lmc=make_lmc("Wessex LMC", region="South West")))
    hidden = error_of(client.get(f"/sla/{own.id}.json", headers=headers), 404, "not_found")
    missing = error_of(client.get("/sla/99999.json", headers=headers), 404, "not_found")
    assert hidden == missing
    error_of(client.get("/sla/99999999999999.json", headers=headers), 404, "not_found")
    response = client.put(f"/sla/{own.id}.json", json={"status": "expired"}, headers=headers)
    error_of(response, 404, "not_found")


# -- Adding records ---------------------------------------------------------------------------


def test_an_officer_adds_a_record_from_json(client):
    officer = make_officer()
    form = record_form(
        negotiation_notes="Hold out for £3.",
        tariffs=[
            {"label": "Sample", "amount_gbp": "2.6", "unit": "per_sample"},
            {"label": "Housebound", "amount_gbp": "12.50", "unit": "per_contact"},
        ],
    )
    response = client.post(LIST, json={"record": form}, headers=api_headers(officer))
    body = json_of(response, 201)["record"]
    record = db.session.get(SlaRecord, body["id"])
    assert record.submitted_by_id == officer.id
    assert [t["amount_gbp"] for t in body["tariffs"]] == ["2.60", "12.50"]
    assert body["negotiation_notes"] == "Hold out for £3." and body["document"] is None


def test_an_officer_adds_a_record_with_its_document_from_a_form(client):
    officer = make_officer()
    form = {k: val for k, val in record_form(tariffs=None).items()}
    form.update(
        {
            "tariff_label": ["Sample", "Housebound"],
            "tariff_amount": ["2.60", "12.50"],
            "tariff_unit": ["per_sample", "per_contact"],
            "accreditations": ["phlebotomy_training", "other"],
            "redaction_confirmed": "1",
            "document": (io.BytesIO(pdf_bytes(["Specification"])), "trentside-spec.pdf"),
        }
    )
    response = client.post(LIST, data=form, headers=api_headers(officer))
    body = json_of(response, 201)["record"]
    assert [t["unit"] for t in body["tariffs"]] == ["per_sample", "per_contact"]
    assert body["accreditations"] == ["other", "phlebotomy_training"]
    assert body["document"]["name"] == "trentside-spec.pdf"
    download = client.get(body["document"]["download_url"], headers=api_headers(officer))
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    download.close()


def test_members_who_may_not_add_records_are_refused(client):
    response = client.post(LIST, json=record_form(), headers=api_headers(make_user("member")))
    body = error_of(response, 403, "invalid_access")
    assert "Only LMC officers" in body["errors"][0]
    assert count(SlaRecord) == 0


def test_bad_input_lists_every_problem_and_keeps_nothing(client):
    form = record_form(
        status="cheapest",
        start_date="2025-04-01",
        end_date="2024-03-31",
        tariffs=[
            {"label": "Sample", "amount_gbp": "-2.60", "unit": "per_sample"},
            {"label": "Visit", "amount_gbp": "12.00"},
        ],
    )
    body = error_of(client.post(LIST, json=form, headers=api_headers(make_officer())), 422)
    assert set(body["errors"]) >= {
        "Status: 'cheapest' is not one of the choices.",
        "End date: it cannot be before the start date.",
        "Tariff 1: an amount must be more than £0.",
        "Tariff 2: say what it is paid per (the unit).",
    }
    assert count(SlaRecord) == 0 and count(SlaTariff) == 0


def test_odd_json_values_are_refused_not_crashed_on(client):
    headers = api_headers(make_officer())
    for changes in (
        {"tariffs": "2.60"},
        {"tariffs": [["2.60", "per_sample"]]},
        {"tariffs": [{"amount_gbp": {"pounds": 2}, "unit": ["per_sample"]}]},
        {"lmc": {"id": {"nested": True}}},
        {"financial_year": 2024, "notice_period_days": [30], "accreditations": 5},
        {"start_date": {"day": 1}, "visibility": None, "title": ["A", "list"]},
    ):
        error_of(client.post(LIST, json=record_form(**changes), headers=headers), 422)
    error_of(
        client.post(LIST, data="[1, 2]", content_type="application/json", headers=headers),
        400,
        "invalid_parameters",
    )
    assert count(SlaRecord) == 0


# -- Changing records -------------------------------------------------------------------------


def test_a_change_keeps_the_fields_left_out(client):
    officer = make_officer()
    record = make_record(
        officer, negotiation_notes="Keep this.", kpis=[{"name": "Turnaround", "target": "48 hours"}]
    )
    headers = api_headers(officer)
    path = f"/sla/{record.id}.json"
    body = json_of(client.put(path, json={"status": "under_negotiation"}, headers=headers))[
        "record"
    ]
    assert body["status"] == "under_negotiation" and body["title"] == record.title
    assert body["tariffs"][0]["amount_gbp"] == "2.60" and body["negotiation_notes"] == "Keep this."
    assert body["kpis"][0]["name"] == "Turnaround"
    body = json_of(
        client.put(
            path, json={"tariffs": [{"amount_gbp": "3.10", "unit": "per_sample"}]}, headers=headers
        )
    )["record"]
    assert [t["amount_gbp"] for t in body["tariffs"]] == ["3.10"]
    # Form columns replace the rows too.
    body = json_of(
        client.put(
            path,
            data={"tariff_amount": ["4.00", "9.00"], "tariff_unit": ["per_sample", "per_contact"]},
            headers=headers,
        )
    )["record"]
    assert [t["amount_gbp"] for t in body["tariffs"]] == ["4.00", "9.00"]
    # What the API sent can be sent back as it is.
    sent = json_of(client.get(path, headers=headers))["record"]
    sent["title"] = "Phlebotomy LCS, renegotiated"
    body = json_of(client.put(path, json={"record": sent}, headers=headers))["record"]
    assert body["title"] == "Phlebotomy LCS, renegotiated" and body["lmc"] == sent["lmc"]
    assert body["negotiation_notes"] == "Keep this."


def test_a_change_is_refused_whole_when_anything_is_wrong(client):
    officer = make_officer()
    record = make_record(officer)
    response = client.put(
        f"/sla/{record.id}.json",
        json={"title": "New title", "end_date": "2020-01-01", "payment_model": "cheapest"},
        headers=api_headers(officer),
    )
    body = error_of(response, 422)
    assert len(body["errors"]) == 2
    db.session.expire_all()
    assert db.session.get(SlaRecord, record.id).title == record.title


def test_only_the_submitter_or_staff_change_a_record(client):
    record = make_record()
    path = f"/sla/{record.id}.json"
    response = client.put(path, json={"status": "expired"}, headers=api_headers(make_officer()))
    error_of(response, 403, "invalid_access")
    moderator = make_user("mod", role="moderator")
    body = json_of(client.put(path, json={"status": "expired"}, headers=api_headers(moderator)))
    assert body["record"]["status"] == "expired"
