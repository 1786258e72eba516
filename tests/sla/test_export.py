"""The tracker's CSV export: the filtered list, only what the reader may see, formulas
neutralised, Excel-friendly, streamed."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from forum.extensions import db
from plugins.sla import export
from plugins.sla.models import SlaRecord, SlaTariff
from tests.factories import make_user
from tests.sla.conftest import make_lmc, make_officer, make_record


def read(response) -> list[dict]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Phlebotomy = bloods", "Phlebotomy = bloods"),
        (90, "90"),
        (None, ""),
    ],
)
def test_safe_cell(value, written):
    assert export.safe_cell(value) == written


def test_lines_come_in_chunks_with_a_bom_and_headings():
    records = []
    for n in range(5):
        record = SlaRecord(
            id=n + 1,
            title=f"Record {n}",
            service_type="phlebotomy",
            nation="england",
            region="midlands",
            commissioner_type="icb",
            commissioner_name="NHS Trentside ICB",
            lmc_id=7,
            provider_level="practice",
            financial_year="2024/25",
            status="active",
            payment_model="per_item",
            claim_method="",
            equipment_supplied_by="",
            lmc_rag="",
        )
        record.tariffs = [
            SlaTariff(label="Sample", amount_gbp=Decimal("2.60"), unit="per_sample"),
            SlaTariff(label="", amount_gbp=Decimal("9"), unit="per_contact"),
        ]
        records.append(record)
    chunks = list(
        export.lines(
            records,
            with_notes=False,
            lmc_names={7: "Nottinghamshire LMC"},
            url_prefix="https://hub.example/sla/",
            chunk=2,
        )
    )
    assert len(chunks) == 1 + 3  # headings, then 2 + 2 + 1 rows
    assert chunks[0].startswith("\ufeffID,Title,Service type,")
    assert "Negotiation notes" not in chunks[0]
    rows = list(csv.reader(io.StringIO("".join(chunks)[1:])))
    assert len(rows) == 6
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Tariffs"] == "Sample: £2.60 per sample; £9.00 per contact"
    assert first["LMC"] == "Nottinghamshire LMC"
    assert first["Service type"] == "Phlebotomy" and first["Region"] == "Midlands"
    assert first["Link"] == "https://hub.example/sla/1"
    assert first["Note"] == "Not like-for-like: read inclusions before comparing prices"
    assert rows[0][-1] == "Note"


def test_the_export_is_the_filtered_list_the_reader_may_see(client, auth):
    officer = make_officer()
    make_record(officer, title='=HYPERLINK("http://evil.example","Click")')
    make_record(officer, title="Bloods 2023/24", financial_year="2023/24", status="expired")
    make_record(
        officer, title="ECG", service_type="ecg", tariffs=[{"amount_gbp": "18", "unit": "per_test"}]
    )
    make_record(officer, title="Officers only", visibility="officers_only", negotiation_notes="X")
    auth.login_as(make_user())

    response = client.get("/sla/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="sla-tracker-{date.today().isoformat()}.csv"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = read(response)
    assert sorted(row["Title"] for row in rows) == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "Bloods 2023/24",
        "ECG",
    ]
    assert "Negotiation notes (officers only)" not in rows[0]
    assert {row["Note"] for row in rows} == {export.NOTE}
    ecg = next(row for row in rows if row["Title"] == "ECG")
    assert ecg["Tariffs"] == "£18.00 per completed test"
    assert ecg["Link"].endswith(f"/sla/{ecg['ID']}") and ecg["Link"].startswith("http")

    rows = read(client.get("/sla/export.csv?service_type=phlebotomy&year=2023/24"))
    assert [row["Title"] for row in rows] == ["Bloods 2023/24"]
    assert read(client.get("/sla/export.csv?status=proposed")) == []
    assert client.get("/sla/export.csv?unit=per_sample&price_min=x").status_code == 400
    assert client.get("/sla/export.csv?price_min=1").status_code == 400

    auth.login_as(make_officer())
    rows = read(client.get("/sla/export.csv"))
    assert len(rows) == 4
    notes = {row["Title"]: row["Negotiation notes (officers only)"] for row in rows}
    assert notes["Officers only"] == "X"


def test_a_long_export_streams_every_row(client, auth, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 64)  # several batches from the database
    lmc = make_lmc()
    records = []
    for n in range(400):
        record = SlaRecord(
            title=f"Bulk record {n:03d}",
            service_type="phlebotomy",
            scheme_type="lcs_les",
            nation="england",
            region="midlands",
            commissioner_type="icb",
            commissioner_name=f"NHS ICB {n % 7}",
            lmc_id=lmc.id,
            provider_level="practice",
            summary="Bulk.",
            financial_year="2024/25",
            status="active",
            payment_model="per_item",
            primary_tariff_gbp=Decimal("2.60"),
            primary_tariff_unit="per_sample",
        )
        record.tariffs = [SlaTariff(label="Sample", amount_gbp=Decimal("2.60"), unit="per_sample")]
        records.append(record)
    db.session.add_all(records)
    db.session.commit()
    auth.login_as(make_user())
    response = client.get("/sla/export.csv")
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) == 1 + 400 // 64 + 1  # headings, full chunks, the rest
    response = client.get("/sla/export.csv")
    rows = read(response)
    assert len(rows) == 400
    assert {row["Tariffs"] for row in rows} == {"Sample: £2.60 per sample"}
    assert len({row["ID"] for row in rows}) == 400
    assert len(read(client.get("/sla/export.csv?commissioner=NHS+ICB+3"))) == 57
