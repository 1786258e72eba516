"""The SLA tracker's HTML pages through the HTTP client: the tracker with its facets and
filters, a record's page and its document, the form (good and bad input, documents), edits
and "mark verified", the comparison, cards under posts, and who sees what."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from plugins.resources.samples import pdf_bytes
from plugins.sla import services, vocabulary
from plugins.sla.models import SlaDocument, SlaRecord
from tests.core.accounts.helpers import QueryCounter
from tests.factories import add_member, group, make_category, make_topic, make_user
from tests.sla.conftest import make_lmc, make_officer, make_record, record_form

NOTICE = vocabulary.NOT_LIKE_FOR_LIKE


def text(response) -> str:
    """The page with HTML entities decoded (for matching words)."""
    return html.unescape(response.get_data(as_text=True))


def titles(page: str) -> list[str]:
    """The titles of the records listed on a tracker page, in order."""
    return re.findall(r'<a class="sla-title" href="/sla/\d+">([^<]+)</a>', page)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files() -> list:
    return [p for p in services.storage_dir().rglob("*") if p.is_file()]


def as_form(fields: dict, blank_rows: int = 3) -> dict:
    """A record form as a browser sends it: tariffs and KPIs as parallel rows (with the
    spare empty rows the page always has) and an empty file part."""
    data = {k: v for k, v in fields.items() if k not in ("tariffs", "kpis")}
    tariffs = fields.get("tariffs", [])
    data["tariff_label"] = [t.get("label", "") for t in tariffs] + [""] * blank_rows
    data["tariff_amount"] = [t.get("amount_gbp", "") for t in tariffs] + [""] * blank_rows
    data["tariff_unit"] = [t.get("unit", "") for t in tariffs] + [""] * blank_rows
    data["tariff_notes"] = [t.get("notes", "") for t in tariffs] + [""] * blank_rows
    kpis = fields.get("kpis", [])
    data["kpi_name"] = [k["name"] for k in kpis] + [""] * blank_rows
    data["kpi_target"] = [k.get("target", "") for k in kpis] + [""] * blank_rows
    data["kpi_measure"] = [k.get("measure", "") for k in kpis] + [""] * blank_rows
    data.setdefault("document", (io.BytesIO(b""), ""))
    return data


def post_form(client, url, fields, document=None):
    data = as_form(fields)
    if document is not None:
        data["document"] = document
    return client.post(url, data=data, content_type="multipart/form-data")


def get(client, url):
    """A GET whose response is read and closed at once (a download holds its file open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


# -- Visitors ---------------------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in(client):
    record = make_record(title="Phlebotomy for visitors to miss")
    page = text(client.get("/sla/"))
    assert "The SLA tracker is for members" in page and 'href="/login?next=' in page
    assert NOTICE in page
    assert "Phlebotomy for visitors to miss" not in page
    for url in (f"/sla/{record.id}", f"/sla/{record.id}/document", "/sla/export.csv"):
        response = get(client, url)
        assert response.status_code == 403 and "Please sign in" in text(response)
    assert client.get(f"/sla/compare?ids={record.id}").status_code == 403
    assert client.get("/sla/new").status_code == 403
    assert client.get(f"/sla/{record.id}/edit").status_code == 403
    # The same answer for a record that does not exist: nothing is given away.
    assert client.get("/sla/999999").status_code == 403


# -- The tracker ------------------------------------------------------------------------------


def test_the_tracker_lists_visible_records_and_counts_them_in_facets(client, auth):
    officer = make_officer()
    make_record(officer, title="Phlebotomy Trentside")
    make_record(officer, title="Phlebotomy Wolds", financial_year="2023/24", status="expired")
    make_record(
        officer,
        title="ECG Downland",
        service_type="ecg",
        region="south_east",
        commissioner_name="NHS Downland ICB",
        tariffs=[{"label": "ECG", "amount_gbp": "18", "unit": "per_test"}],
        lmc_rag="amber",
    )
    make_record(officer, title="Officers' phlebotomy", visibility="officers_only")
    auth.login_as(make_user())

    page = text(client.get("/sla/"))
    assert sorted(titles(page)) == ["ECG Downland", "Phlebotomy Trentside", "Phlebotomy Wolds"]
    assert "3 records" in page and NOTICE in page
    assert 'value="phlebotomy"> Phlebotomy (2)' in page
    assert 'value="ecg"> ECG (12-lead) (1)' in page
    assert '<a href="/sla/?nation=england">England</a> (3)' in page
    assert '<a href="/sla/?year=2024/25">2024/25</a> (2)' in page
    assert '<a href="/sla/?status=expired">Expired</a> (1)' in page
    assert "NHS Downland ICB</a> (1)" in page and "NHS Trentside ICB</a> (2)" in page
    assert "Nottinghamshire LMC</a> (3)" in page
    # Prices always carry their unit; RAG, freshness.
    assert "£2.60 per sample" in page and "£18.00 per completed test" in page
    assert 'class="sla-rag sla-rag-amber">Amber' in page
    assert page.count("not verified") == 3
    assert "Add an SLA" not in page
    # Regions appear once a nation is chosen.
    assert "<h2>Region</h2>" not in page
    page = text(client.get("/sla/?nation=england"))
    assert "<h2>Region</h2>" in page
    assert '<a href="/sla/?nation=england&region=midlands">Midlands</a> (2)' in page


def test_badges_verified_and_demo(client, auth):
    officer = make_officer()
    fresh = make_record(officer, title="Checked recently")
    old = make_record(officer, title="Checked long ago")
    fresh.last_verified_at = date.today() - timedelta(days=92)
    old.last_verified_at = date.today() - timedelta(days=800)
    old.is_demo = True
    db.session.commit()
    auth.login_as(make_user())
    page = text(client.get("/sla/"))
    assert "verified 3 months ago" in page and "verified 2 years ago" in page
    assert page.count("Demo data") == 1


def test_filters_narrow_the_list(client, auth):
    officer = make_officer()
    wales = make_lmc("Morgannwg LMC", "Wales", "Wales")
    make_record(officer, title="Bloods 24/25", start_date="2024-04-01", end_date="2099-03-31")
    make_record(officer, title="Bloods 23/24", financial_year="2023/24", status="expired")
    make_record(
        officer,
        title="Warfarin Wales",
        service_type="warfarin",
        nation="wales",
        region="wales",
        commissioner_type="local_health_board",
        commissioner_name="Bae Gorllewin Health Board",
        lmc=wales.id,
        payment_model="per_cohort_patient_pa",
        tariffs=[{"label": "Monitoring", "amount_gbp": "150", "unit": "per_cohort_patient_pa"}],
        start_date=None,
        end_date=None,
    )
    make_record(
        officer,
        title="ECG Downland",
        service_type="ecg",
        tariffs=[{"amount_gbp": "18", "unit": "per_test"}],
        status="proposed",
    )
    auth.login_as(make_user())

    def listed(query):
        response = client.get("/sla/" + query)
        assert response.status_code == 200, text(response)
        return sorted(titles(text(response)))

    assert listed("?service_type=phlebotomy") == ["Bloods 23/24", "Bloods 24/25"]
    assert listed("?service_type=phlebotomy&service_type=ecg") == [
        "Bloods 23/24",
        "Bloods 24/25",
        "ECG Downland",
    ]
    # With a service chosen, the others are still offered (multi-select), with counts.
    page = text(client.get("/sla/?service_type=phlebotomy"))
    assert 'value="phlebotomy" checked> Phlebotomy (2)' in page
    assert 'value="warfarin"> Anticoagulation – warfarin (by level) (1)' in page
    assert listed("?nation=wales") == ["Warfarin Wales"]
    assert listed("?nation=england&region=midlands") == [
        "Bloods 23/24",
        "Bloods 24/25",
        "ECG Downland",
    ]
    assert listed("?year=2023/24") == ["Bloods 23/24"]
    assert listed("?current=1") == ["Bloods 24/25", "Warfarin Wales"]
    assert listed("?status=proposed") == ["ECG Downland"]
    assert listed("?commissioner=Bae+Gorllewin+Health+Board") == ["Warfarin Wales"]
    assert listed(f"?lmc={wales.id}") == ["Warfarin Wales"]
    assert listed("?unit=per_sample") == ["Bloods 23/24", "Bloods 24/25"]
    assert listed("?unit=per_sample&price_min=2.50&price_max=2.70") == [
        "Bloods 23/24",
        "Bloods 24/25",
    ]
    assert listed("?unit=per_sample&price_max=2") == []
    assert listed("?unit=per_test&price_min=10") == ["ECG Downland"]


def test_price_filters_and_sorts_need_a_unit(client, auth):
    make_record()
    auth.login_as(make_user())
    page = text(client.get("/sla/"))
    assert "price_min" not in page and "Price, lowest first" not in page
    response = client.get("/sla/?price_min=1")
    assert response.status_code == 400
    assert "choose one tariff unit before filtering or sorting by price" in text(response)
    assert client.get("/sla/?sort=price_asc").status_code == 400
    assert client.get("/sla/?status=nonsense").status_code == 400

    page = text(client.get("/sla/?unit=per_sample"))
    assert 'name="price_min"' in page and "Price, lowest first (one unit)" in page
    assert '<input type="hidden" name="unit" value="per_sample">' in page
    # Removing the unit removes the price range and a price sort with it.
    page = text(client.get("/sla/?unit=per_sample&price_min=1&sort=price_asc"))
    assert '<a href="/sla/">Paid: per sample' in page


def test_the_export_link_keeps_the_filters(client, auth):
    make_record()
    auth.login_as(make_user())
    page = text(client.get("/sla/?service_type=phlebotomy&year=2024/25"))
    assert 'href="/sla/export.csv?service_type=phlebotomy&year=2024/25"' in page


def test_empty_states(client, auth):
    auth.login_as(make_officer())
    page = text(client.get("/sla/"))
    assert "There are no SLA records you can see yet." in page and "Add the first SLA" in page
    make_record()
    page = text(client.get("/sla/?status=proposed"))
    assert "No SLA records you can see match these filters." in page
    assert "There are no more records here" in text(client.get("/sla/?page=9"))


def test_the_tracker_has_pages(app, client, auth):
    app.config["SLA_PER_PAGE"] = 2
    officer = make_officer()
    for n in range(5):
        make_record(officer, title=f"Record {n}")
    auth.login_as(make_user())
    page = text(client.get("/sla/"))
    assert len(titles(page)) == 2 and 'href="/sla/?page=2"' in page
    assert len(titles(text(client.get("/sla/?page=3")))) == 1
    app.config["SLA_PER_PAGE"] = 25


def test_compare_checkboxes_and_add_button(client, auth):
    record = make_record()
    auth.login_as(make_officer())
    page = text(client.get("/sla/"))
    assert 'action="/sla/compare"' in page
    assert f'name="ids" value="{record.id}"' in page
    assert 'href="/sla/new">Add an SLA' in page and "Import a spreadsheet" in page


def test_the_tracker_costs_the_same_queries_however_many_records(client, auth):
    officer = make_officer()
    other_lmc = make_lmc("Devon LMC", "England", "South West")
    make_record(officer)
    reader = make_user()
    group("officers")

    def queries() -> int:
        auth.login_as(reader)
        client.get("/sla/")  # warm: caches, first-request work
        with QueryCounter() as counter:
            response = client.get("/sla/")
        assert response.status_code == 200
        return counter.count

    few = queries()
    for n in range(6):
        make_record(
            officer,
            title=f"Ear care {n}",
            service_type="ear-care",
            region="south_west",
            lmc=other_lmc.id,
            tariffs=[
                {"label": "Irrigation", "amount_gbp": "14", "unit": "per_procedure"},
                {"label": "Microsuction", "amount_gbp": "28", "unit": "per_procedure"},
            ],
            kpis=[{"name": "Audit", "target": "yearly"}],
            accreditations=["microsuction_training"],
        )
    many = queries()
    assert len(titles(text(client.get("/sla/")))) == 7
    assert many == few


# -- Who sees what ----------------------------------------------------------------------------


def test_restricted_records_are_out_of_reach_of_the_wrong_people(client, auth):
    notts = make_lmc()
    devon = make_lmc("Devon LMC", "England", "South West")
    submitter = make_officer(lmc=notts)
    pdf = pdf_bytes(["A phlebotomy specification."])
    officers_only = make_record(submitter, title="For officers", visibility="officers_only")
    own_lmc = make_record(
        submitter, title="For Notts only", visibility="own_lmc_only", document=pdf
    )
    everyone = make_record(submitter, title="For everyone")

    def reach(user) -> dict:
        auth.login_as(user)
        listed = titles(text(client.get("/sla/")))
        exported = client.get("/sla/export.csv").get_data(as_text=True)
        out = {}
        for record in (officers_only, own_lmc, everyone):
            out[record.title] = (
                record.title in listed,
                get(client, f"/sla/{record.id}").status_code,
                record.title in exported,
            )
        out["document"] = get(client, f"/sla/{own_lmc.id}/document").status_code
        return out

    member_elsewhere = make_user(organisation_id=devon.id)
    assert reach(member_elsewhere) == {
        "For officers": (False, 404, False),
        "For Notts only": (False, 404, False),
        "For everyone": (True, 200, True),
        "document": 404,
    }
    member_in_notts = make_user(organisation_id=notts.id)
    assert reach(member_in_notts) == {
        "For officers": (False, 404, False),
        "For Notts only": (True, 200, True),
        "For everyone": (True, 200, True),
        "document": 200,
    }
    officer_elsewhere = make_officer(lmc=devon)
    assert reach(officer_elsewhere) == {
        "For officers": (True, 200, True),
        "For Notts only": (False, 404, False),
        "For everyone": (True, 200, True),
        "document": 404,
    }
    # Nor can they be set side by side by guessing their numbers.
    auth.login_as(member_elsewhere)
    assert client.get(f"/sla/compare?ids={everyone.id}&ids={own_lmc.id}").status_code == 404


def test_negotiation_notes_are_for_officers_only(client, auth):
    record = make_record(
        negotiation_notes="We will settle for £2.80 if the ICB drops the cap.",
        lmc_commentary="Underfunded for paediatric bloods.",
    )
    post = make_topic(title="Phlebotomy rates this year", raw=f"See [[sla:{record.id}]] please")
    topic_url = f"/t/{post.topic.slug}/{post.topic.id}"

    auth.login_as(make_user())
    for url in (f"/sla/{record.id}", "/sla/", topic_url, "/sla/export.csv"):
        body = client.get(url).get_data(as_text=True)
        assert "settle for" not in body, url
        assert "Negotiation notes" not in body, url
    assert "Underfunded for paediatric bloods." in text(client.get(f"/sla/{record.id}"))

    auth.login_as(make_officer())
    page = text(client.get(f"/sla/{record.id}"))
    assert "Officers only" in page and "settle for £2.80" in page
    assert "settle for" not in text(client.get(topic_url))  # never on cards
    assert "settle for £2.80" in client.get("/sla/export.csv").get_data(as_text=True)


# -- A record's page --------------------------------------------------------------------------


def test_a_record_page_shows_every_field_with_labels(client, auth):
    older = make_record(title="Phlebotomy LCS 2023/24 v1.3", financial_year="2023/24")
    submitter = make_officer()
    record = make_record(
        submitter,
        title="Phlebotomy LCS 2024/25 v2.0",
        supersedes=str(older.id),
        version="v2.0",
        review_date="2025-01-31",
        notice_period_days="90",
        notice_party="either",
        claim_method="icb_portal",
        payment_frequency="quarterly",
        equipment_supplied_by="practice",
        accreditations=["phlebotomy_training"],
        kpis=[{"name": "Sample rejection rate", "target": "under 2%", "measure": "lab data"}],
        tariffs=[
            {"label": "Sample", "amount_gbp": "2.60", "unit": "per_sample"},
            {"label": "Housebound visit", "amount_gbp": "12", "unit": "per_contact"},
        ],
        source_url="https://example.org/phlebotomy",
        lmc_rag="green",
        lmc_commentary="Fair for adults.",
        activity_cap="None",
    )
    auth.login_as(make_user())
    page = text(client.get(f"/sla/{record.id}"))
    for words in (
        NOTICE,
        "Adults and children aged 12 and over; hospital-requested bloods.",
        "Trial bloods.",
        "<td>Sample</td><td>£2.60</td><td>per sample</td>",
        "<td>Housebound visit</td><td>£12.00</td><td>per contact</td>",
        "<td>Sample rejection rate</td><td>under 2%</td><td>lab data</td>",
        "<dt>Payment model</dt><dd>Per item</dd>",
        "<dt>How often paid</dt><dd>Quarterly</dd>",
        "<dt>How claims are made</dt><dd>Commissioner's portal</dd>",
        "<dt>Equipment supplied by</dt><dd>The practice</dd>",
        "<li>Phlebotomy training</li>",
        "90 days, either party",
        "31 January 2025",
        "<dt>Commissioner type</dt><dd>ICB</dd>",
        "<dt>LMC</dt><dd>Nottinghamshire LMC</dd>",
        'href="https://example.org/phlebotomy"',
        'class="sla-rag sla-rag-green">Green',
        "Fair for adults.",
        f'<a href="/sla/{older.id}">Phlebotomy LCS 2023/24 v1.3</a>',
        f'by <a href="/u/{submitter.username}">{submitter.username}</a>',
    ):
        assert words in page, words
    # Included and excluded come before any price.
    assert page.index("What's included") < page.index("£2.60")
    assert f'href="/sla/{record.id}/edit"' not in page and "Mark verified today" not in page

    older_page = text(client.get(f"/sla/{older.id}"))
    assert "Superseded:" in older_page
    assert f'<a href="/sla/{record.id}">See the newer version: Phlebotomy LCS 2024/25 v2.0' in (
        older_page
    )


def test_versions_the_reader_cannot_see_are_not_linked(client, auth):
    older = make_record(title="Phlebotomy 2023/24 for all")
    make_record(
        title="Phlebotomy 2024/25 for officers",
        supersedes=str(older.id),
        visibility="officers_only",
    )
    auth.login_as(make_user())
    page = text(client.get(f"/sla/{older.id}"))
    assert "Superseded:" in page and "Phlebotomy 2024/25 for officers" not in page
    auth.login_as(make_officer())
    assert "Phlebotomy 2024/25 for officers" in text(client.get(f"/sla/{older.id}"))


def test_a_missing_or_odd_record_number_is_a_404(client, auth):
    auth.login_as(make_user())
    assert client.get("/sla/12345").status_code == 404
    assert client.get("/sla/99999999999999999999").status_code == 404
    assert client.get("/sla/0").status_code == 404


def test_the_document_downloads_as_an_attachment(client, auth):
    pdf = pdf_bytes(["The phlebotomy specification."])
    record = make_record(document=pdf, filename="Trentside phlebotomy.pdf")
    auth.login_as(make_user())
    page = text(client.get(f"/sla/{record.id}"))
    assert f'href="/sla/{record.id}/document"' in page
    response = client.get(f"/sla/{record.id}/document")
    assert response.status_code == 200 and response.data == pdf
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Trentside" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"
    response.close()

    without = make_record()
    assert get(client, f"/sla/{without.id}/document").status_code == 404


def test_discussed_in_lists_threads_the_reader_can_see(client, auth):
    record = make_record()
    open_room = make_category("Local services")
    hidden = make_category("Officers' room", permissions={"officers": 1})
    make_topic(make_user(), open_room, title="Phlebotomy in our area", raw=f"[[sla:{record.id}]]")
    make_topic(
        make_officer(), hidden, title="A private thread about bloods", raw=f"[[sla:{record.id}]]"
    )
    auth.login_as(make_user())
    page = text(client.get(f"/sla/{record.id}"))
    assert "Phlebotomy in our area" in page and "A private thread about bloods" not in page
    auth.login_as(make_officer())
    page = text(client.get(f"/sla/{record.id}"))
    assert "Phlebotomy in our area" in page and "A private thread about bloods" in page


def test_its_discussion_thread_is_linked_for_those_who_can_see_it(client, auth):
    record = make_record()
    hidden = make_category("Officers only room", permissions={"officers": 1})
    post = make_topic(make_officer(), hidden, title="Discussion: the phlebotomy LCS")
    record.discussion_topic_id = post.topic_id
    db.session.commit()
    auth.login_as(make_officer())
    page = text(client.get(f"/sla/{record.id}"))
    assert "Its discussion thread:" in page and "Discussion: the phlebotomy LCS" in page
    auth.login_as(make_user())
    assert "Its discussion thread:" not in text(client.get(f"/sla/{record.id}"))


def test_a_card_shows_under_a_post_with_units_and_the_notice(client, auth):
    record = make_record(title="Phlebotomy LCS for the card")
    post = make_topic(title="What do you get paid for bloods?", raw=f"Ours: [[sla:{record.id}]]")
    auth.login_as(make_user())
    page = text(client.get(f"/t/{post.topic.slug}/{post.topic.id}"))
    assert f'data-sla-record="{record.id}"' in page
    card = page[page.index(f'<div class="sla-card" data-sla-record="{record.id}"') :]
    card = card[: card.index("</details>")]
    for words in (
        f'href="/sla/{record.id}">Phlebotomy LCS for the card',
        "Phlebotomy",
        "2024/25",
        "Active",
        "Per item",
        "Nottinghamshire LMC",
        "Sample: £2.60 per sample",
        "Not like-for-like:",
        NOTICE,
    ):
        assert words in card, words


# -- Adding and changing records --------------------------------------------------------------


def test_only_those_who_may_submit_get_the_form(client, auth):
    auth.login_as(make_user())
    assert client.get("/sla/new").status_code == 403
    assert post_form(client, "/sla/new", record_form()).status_code == 403
    assert count(SlaRecord) == 0


def test_an_officer_adds_a_record_with_tariff_rows_and_a_document(client, auth):
    officer = make_officer()
    auth.login_as(officer)
    page = text(client.get("/sla/new"))
    assert page.count('name="tariff_unit"') == 3 and page.count('name="kpi_name"') == 3
    assert '<optgroup label="Wales">' in page and 'name="redaction_confirmed"' in page
    assert "I confirm the document holds nothing that identifies a practice or a patient" in page
    assert "Negotiation notes (LMC officers only)" in page

    pdf = pdf_bytes(["Ear care specification."])
    fields = record_form(
        title="Ear Care Service 2024/25",
        service_type="ear-care",
        region="south_west",
        payment_model="tiered_mixed",
        tariffs=[
            {"label": "Irrigation", "amount_gbp": "14.00", "unit": "per_procedure"},
            {"label": "Microsuction", "amount_gbp": "28", "unit": "per_procedure"},
        ],
        kpis=[{"name": "Audit of complications", "target": "yearly"}],
        accreditations=["microsuction_training"],
        redaction_confirmed="1",
        negotiation_notes="Ask for £30 microsuction.",
    )
    response = post_form(client, "/sla/new", fields, (io.BytesIO(pdf), "ear care.pdf"))
    assert response.status_code == 303, text(response)
    record = db.session.scalar(select(SlaRecord))
    assert response.headers["Location"].endswith(f"/sla/{record.id}")
    assert [(t.label, str(t.amount_gbp), t.unit) for t in record.tariffs] == [
        ("Irrigation", "14.00", "per_procedure"),
        ("Microsuction", "28.00", "per_procedure"),
    ]
    assert [k.name for k in record.kpis] == ["Audit of complications"]
    assert record.accreditation_keys == ["microsuction_training"]
    assert record.has_document and record.redaction_confirmed
    assert record.negotiation_notes == "Ask for £30 microsuction."

    page = text(client.get(f"/sla/{record.id}"))
    assert "“Ear Care Service 2024/25” is in the SLA tracker." in page
    assert "£28.00" in page and "Download the specification" in page
    assert get(client, f"/sla/{record.id}/document").data == pdf


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"tariffs": [{"label": "Sample", "amount_gbp": "-2.60", "unit": "per_sample"}]},
            "Tariff 1: an amount must be more than £0.",
        ),
        (
            {"tariffs": [{"label": "Sample", "amount_gbp": "2600000", "unit": "per_sample"}]},
            "is more than the £100,000 allowed",
        ),
        (
            {"tariffs": [{"label": "Sample", "amount_gbp": "2.60", "unit": ""}]},
            "Tariff 1: say what it is paid per (the unit).",
        ),
        (
            {"start_date": "2025-04-01", "end_date": "2024-03-31"},
            "End date: it cannot be before the start date.",
        ),
        ({"status": "approved"}, "Status: 'approved' is not one of the choices."),
        ({"region": "london", "nation": "wales"}, "is not a region of Wales"),
    ],
)
def test_bad_input_is_refused_with_every_value_kept(client, auth, changes, message):
    auth.login_as(make_officer())
    fields = record_form(title="A record to refuse", inclusions="Housebound adults", **changes)
    fields["tariffs"] = fields["tariffs"] + [
        {"label": "Second tier", "amount_gbp": "3.10", "unit": "per_item"}
    ]
    response = post_form(client, "/sla/new", fields)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert 'value="A record to refuse"' in page and ">Housebound adults</textarea>" in page
    assert 'value="Second tier"' in page and 'value="3.10"' in page  # repeated rows kept
    assert page.count('name="tariff_unit"') == 2 + 3
    assert "Please choose the document again" not in page
    assert count(SlaRecord) == 0


def test_every_problem_is_listed_at_once(client, auth):
    auth.login_as(make_officer())
    fields = record_form(title="", financial_year="2024-25", service_type="x-rays")
    page = text(post_form(client, "/sla/new", fields))
    assert "Title is required." in page
    assert "Financial year: write it as 2024/25." in page
    assert "Service type: 'x-rays' is not one of the choices." in page


@pytest.mark.parametrize(
    ("content", "name", "confirmed", "message"),
    [
        (pdf_bytes(["A spec."]), "spec.pdf", None, "Confirm that the document holds nothing"),
        (b"<html><script>alert(1)</script></html>", "spec.pdf", "1", "web page"),
        (b"", "spec.pdf", "1", "That file is empty."),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_kept(
    client, auth, content, name, confirmed, message
):
    auth.login_as(make_officer())
    fields = record_form(title="A record with a bad document", redaction_confirmed=confirmed)
    response = post_form(client, "/sla/new", fields, (io.BytesIO(content), name))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert "Please choose the document again" in page
    assert 'value="A record with a bad document"' in page
    assert count(SlaRecord) == 0 and count(SlaDocument) == 0
    assert stored_files() == []


def test_an_edit_is_prefilled_and_saved(client, auth):
    officer = make_officer()
    record = make_record(
        officer,
        kpis=[{"name": "Rejection rate", "target": "2%"}],
        accreditations=["phlebotomy_training"],
        negotiation_notes="Keep the cap.",
    )
    auth.login_as(officer)
    page = text(client.get(f"/sla/{record.id}/edit"))
    assert f'value="{record.title}"' in page
    assert 'value="Sample"' in page and 'value="2.60"' in page
    assert '<option value="per_sample" selected>' in page
    assert 'value="Rejection rate"' in page
    assert 'value="phlebotomy_training" checked' in page
    assert page.count('name="tariff_unit"') == 1 + 3
    assert ">Keep the cap.</textarea>" in page

    fields = record_form(
        title="Phlebotomy LCS 2024/25 v2.1",
        tariffs=[{"label": "Sample", "amount_gbp": "2.75", "unit": "per_sample"}],
        negotiation_notes="Keep the cap.",
    )
    response = post_form(client, f"/sla/{record.id}/edit", fields)
    assert response.status_code == 303
    db.session.refresh(record)
    assert record.title == "Phlebotomy LCS 2024/25 v2.1"
    assert str(record.tariffs[0].amount_gbp) == "2.75"
    assert "Your changes are saved." in text(client.get(f"/sla/{record.id}"))

    response = post_form(client, f"/sla/{record.id}/edit", {**fields, "end_date": "2020-01-01"})
    assert response.status_code == 422
    db.session.refresh(record)
    assert record.end_date == date(2025, 3, 31)


def test_a_contributor_who_is_not_an_officer_never_sees_or_wipes_the_notes(app, client, auth):
    app.config["SLA_CONTRIBUTOR_GROUPS"] = ["officers", "contributors"]
    try:
        contributor = make_user()
        add_member(contributor, "contributors")
        record = make_record(contributor, negotiation_notes="Officers' secret.")
        auth.login_as(contributor)
        page = text(client.get(f"/sla/{record.id}/edit"))
        assert "Officers' secret." not in page and "negotiation_notes" not in page
        fields = record_form(title="Changed by a contributor", negotiation_notes="Overwritten")
        assert post_form(client, f"/sla/{record.id}/edit", fields).status_code == 303
        db.session.refresh(record)
        assert record.title == "Changed by a contributor"
        assert record.negotiation_notes == "Officers' secret."
    finally:
        app.config["SLA_CONTRIBUTOR_GROUPS"] = ["officers", "lmc-staff", "lmcsn-staff"]


def test_only_the_submitter_and_moderators_may_edit_or_verify(client, auth):
    record = make_record()
    auth.login_as(make_officer())
    assert client.get(f"/sla/{record.id}/edit").status_code == 403
    assert client.post(f"/sla/{record.id}/verify").status_code == 403
    assert "Mark verified today" not in text(client.get(f"/sla/{record.id}"))
    auth.login_as(make_user(role="moderator"))
    assert client.get(f"/sla/{record.id}/edit").status_code == 200


def test_mark_verified_today(client, auth):
    officer = make_officer()
    record = make_record(officer)
    auth.login_as(officer)
    page = text(client.get(f"/sla/{record.id}"))
    assert "Mark verified today" in page and "not verified" in page
    response = client.post(f"/sla/{record.id}/verify")
    assert response.status_code == 303
    db.session.refresh(record)
    assert record.last_verified_at == date.today() and record.verified_by_id == officer.id
    page = text(client.get(f"/sla/{record.id}"))
    assert "Marked as verified today." in page and "verified today" in page


def test_a_next_version_starts_from_the_old_one(client, auth):
    officer = make_officer()
    older = make_record(officer, title="Phlebotomy 2023/24", financial_year="2023/24")
    auth.login_as(officer)
    page = text(client.get(f"/sla/new?supersedes={older.id}"))
    assert 'value="Phlebotomy 2023/24"' in page
    assert f'<option value="{older.id}" selected>' in page


# -- Comparison -------------------------------------------------------------------------------


def _three_phlebotomy_records():
    officer = make_officer()
    a = make_record(officer, title="Trentside bloods", inclusions="Children 12+")
    b = make_record(
        officer,
        title="Wolds bloods",
        tariffs=[
            {"label": "Sample", "amount_gbp": "2.45", "unit": "per_sample"},
            {"label": "Housebound", "amount_gbp": "9", "unit": "per_contact"},
        ],
        exclusions="Paediatric bloods",
    )
    c = make_record(
        officer,
        title="Fenland bloods",
        payment_model="per_registered_patient_pa",
        tariffs=[{"amount_gbp": "0.28", "unit": "per_registered_patient_pa"}],
    )
    return a, b, c


def rows_of(page: str) -> list[str]:
    return re.findall(r'<tr[^>]* data-row="([^"]+)"', page)


def test_three_records_side_by_side(client, auth):
    a, b, c = _three_phlebotomy_records()
    auth.login_as(make_user())
    response = client.get(f"/sla/compare?ids={a.id}&ids={b.id}&ids={c.id}")
    assert response.status_code == 200
    page = text(response)
    rows = rows_of(page)
    assert rows[0] == "Not like-for-like" and NOTICE in page
    assert rows.index("Included") < rows.index("Excluded") < rows.index("KPIs")
    assert rows.index("KPIs") < rows.index("Financial year") < rows.index("Payment model")
    assert rows[-4:-1] == [
        "Paid per sample",
        "Paid per contact",
        "Paid per registered patient a year",
    ]
    # Identical units aligned, the others not comparable; nothing ranked.
    sample = page[page.index('data-row="Paid per sample"') :].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", sample) == [
        "£2.60 (Sample)",
        "£2.45 (Sample)",
        "not comparable (paid per registered patient a year)",
    ]
    contact = page[page.index('data-row="Paid per contact"') :].split("</tr>")[0]
    assert "not comparable (paid per sample)" in contact and "£9.00 (Housebound)" in contact
    assert "cheapest" not in page.lower() and "best" not in page.lower()
    assert "Prices are not comparable" not in page
    assert ">Trentside bloods</a>" in page and "Children 12+" in page


def test_records_without_a_shared_unit_are_not_compared_on_price(client, auth):
    _a, _b, c = _three_phlebotomy_records()
    d = make_record(title="Per item bloods", tariffs=[{"amount_gbp": "2", "unit": "per_item"}])
    auth.login_as(make_user())
    page = text(client.get(f"/sla/compare?ids={c.id}&ids={d.id}"))
    assert "Prices are not comparable: no two of these SLAs are paid per the same unit." in page


def test_different_services_are_refused(client, auth):
    a = make_record()
    ecg = make_record(service_type="ecg", tariffs=[{"amount_gbp": "18", "unit": "per_test"}])
    auth.login_as(make_user())
    response = client.get(f"/sla/compare?ids={a.id}&ids={ecg.id}")
    assert response.status_code == 400
    assert "Only SLAs for the same service can be set side by side" in text(response)


def test_too_many_or_too_few_records(client, auth):
    records = [make_record() for _ in range(5)]
    auth.login_as(make_user())
    query = "&".join(f"ids={r.id}" for r in records)
    response = client.get(f"/sla/compare?{query}")
    assert response.status_code == 400
    assert "at most 4 can be set side by side" in text(response)
    response = client.get(f"/sla/compare?ids={records[0].id}")
    assert response.status_code == 200
    page = text(response)
    assert "Choose at least two SLAs" in page and 'href="/sla/">Back to the tracker' in page
    assert "Choose at least two SLAs" in text(client.get("/sla/compare"))
    assert client.get("/sla/compare?ids=abc").status_code == 400
    assert client.get("/sla/compare?ids=1&ids=99999").status_code == 404
