"""Importing SLA records from a spreadsheet saved as CSV (plugins/sla/csv_import.py) and the
upload page at /sla/import: every row checked first, all or nothing, a report naming each bad
row and column."""

from __future__ import annotations

import csv
import io
import time

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from plugins.sla import csv_import, services
from plugins.sla.csv_import import COLUMNS, EXAMPLE, ImportStopped, import_file, read
from plugins.sla.models import SlaKpi, SlaRecord, SlaTariff
from tests.factories import make_user
from tests.sla.conftest import make_lmc, make_officer, make_record


def row(**fields) -> dict:
    """The template's example row with ``fields`` over it."""
    out = dict(EXAMPLE)
    out.update(fields)
    return out


def sheet_bytes(rows, columns=COLUMNS, *, encoding="utf-8-sig", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(name, "") for name in columns])
    return out.getvalue().encode(encoding)


def records() -> list[SlaRecord]:
    return list(db.session.scalars(select(SlaRecord).order_by(SlaRecord.id)))


def count(model=SlaRecord) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def officer(app):
    make_lmc()  # Nottinghamshire LMC, the template's LMC
    return make_officer()


# -- Good files -------------------------------------------------------------------------------


def test_a_utf8_file_with_a_bom_imports_every_row_with_its_tariffs_and_kpis(officer):
    rich = row(
        title="Ear Care Service 2024/25",
        service_type="ear-care",
        payment_model="tiered_mixed",
        tariff_1_label="Irrigation",
        tariff_1_amount="14.00",
        tariff_1_unit="per_procedure",
        tariff_2_label="Microsuction",
        tariff_2_amount="28.00",
        tariff_2_unit="per_procedure",
        tariff_2_notes="Accredited clinicians only",
        kpi_2_name="Patients seen within 4 weeks",
        kpi_2_target="90%",
        accreditations="microsuction_training, other",
    )
    data = sheet_bytes([row(), rich, row(title="Third")])
    assert data.startswith(b"\xef\xbb\xbf")

    report = import_file(io.BytesIO(data), officer)

    assert report.ok and report.imported == 3, report.lines()
    assert report.summary() == "Imported 3 records."
    first, ear, third = records()
    assert [r.id for r in records()] == report.created
    assert first.title == "Phlebotomy LCS 2024/25 v2.0" and third.title == "Third"
    assert first.lmc_id == make_lmc().id and first.submitted_by_id == officer.id
    assert [(t.label, str(t.amount_gbp), t.unit) for t in first.tariffs] == [
        ("Sample", "2.60", "per_sample")
    ]
    assert [(k.name, k.target) for k in first.kpis] == [("Sample rejection rate", "under 2%")]
    assert [(t.label, str(t.amount_gbp), t.notes) for t in ear.tariffs] == [
        ("Irrigation", "14.00", ""),
        ("Microsuction", "28.00", "Accredited clinicians only"),
    ]
    assert [k.name for k in ear.kpis] == ["Sample rejection rate", "Patients seen within 4 weeks"]
    assert ear.accreditation_keys == ["microsuction_training", "other"]
    assert ear.accreditation_needed and ear.primary_tariff_unit == "per_procedure"
    assert first.review_date.isoformat() == "2025-01-31" and first.notice_period_days == 90


def test_a_windows_1252_file_keeps_pounds_and_accents(officer):
    data = sheet_bytes(
        [
            row(
                title="Gwasanaeth Clustiau – Café Health Board",
                commissioner_name="Bwrdd Iechyd Prifysgol Bae Gorllewin (Ysbyty Glangwili)",
                summary="Practices are paid £14.00 per irrigation; naïve patients first.",
                nation="wales",
                region="",
                commissioner_type="local_health_board",
                tariff_1_amount="£2.60",
            )
        ],
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    sheet = read(data)
    assert sheet.encoding == "cp1252"
    report = csv_import.import_rows(sheet, officer)

    assert report.ok, report.lines()
    (record,) = records()
    assert record.title == "Gwasanaeth Clustiau – Café Health Board"
    assert record.summary == "Practices are paid £14.00 per irrigation; naïve patients first."
    assert record.region == "wales"  # the nation's only region
    assert str(record.tariffs[0].amount_gbp) == "2.60"


def test_a_semicolon_separated_file_with_decimal_commas(officer):
    data = sheet_bytes(
        [
            row(tariff_1_amount="2,60", summary="Bloods, with a comma; and a semicolon."),
            row(title="Block", payment_model="block", block_value_gbp="18000,00"),
        ],
        delimiter=";",
    )
    sheet = read(data)
    assert sheet.delimiter == ";"
    report = csv_import.import_rows(sheet, officer)
    assert report.ok, report.lines()
    first, block = records()
    assert str(first.tariffs[0].amount_gbp) == "2.60"  # not £260
    assert first.summary == "Bloods, with a comma; and a semicolon."
    assert str(block.block_value_gbp) == "18000.00"


def test_labels_are_accepted_where_keys_are_expected(officer):
    columns = ("Title", "Service Type", "Scheme type", "NATION", "region", "Commissioner type",
               "Commissioner name", "LMC", "summary", "Financial year", "Start date", "End date",
               "Status", "Payment model", "Payment frequency", "Claim method", "Visibility",
               "LMC RAG", "Accreditations", "Tariff 1 amount", "Tariff 1 unit", "Tariff 2 amount",
               "Tariff 2 unit")  # fmt: skip
    values = dict(zip(columns, (
        "Bloods by label", "bloods", "Locally commissioned / local enhanced service", "England",
        "North East & Yorkshire", "ICB", "NHS Dales & Humber ICB", "nottinghamshire lmc",
        "Taking bloods.", "2024/25", "01/04/2024", "31/3/2025", "Under negotiation",
        "Tiered or mixed", "quarterly", "Commissioner's portal", "LMC officers only", "Amber",
        "Phlebotomy training, Other training or accreditation", "2.60", "Per sample", "3",
        "per completed test",
    ), strict=True))  # fmt: skip
    report = import_file(sheet_bytes([values], columns), officer)
    assert report.ok, report.lines()
    (record,) = records()
    assert (record.service_type, record.scheme_type, record.nation, record.region) == (
        "phlebotomy", "lcs_les", "england", "north_east_yorkshire",
    )  # fmt: skip
    assert (record.commissioner_type, record.status, record.payment_model) == (
        "icb", "under_negotiation", "tiered_mixed",
    )  # fmt: skip
    assert (record.payment_frequency, record.claim_method, record.visibility) == (
        "quarterly", "icb_portal", "officers_only",
    )  # fmt: skip
    assert record.lmc_rag == "amber" and record.lmc_id == make_lmc().id
    assert record.accreditation_keys == ["other", "phlebotomy_training"]
    assert [t.unit for t in record.tariffs] == ["per_sample", "per_test"]
    assert (record.start_date.isoformat(), record.end_date.isoformat()) == (
        "2024-04-01", "2025-03-31",
    )  # fmt: skip


def test_formulas_in_cells_are_stored_as_text_exactly(officer):
    report = import_file(
        sheet_bytes(
            [
                row(
                    title='=HYPERLINK("http://evil.example","Click")',
                    summary="+SUM(A1:A2) and @cmd",
                    commissioner_ref="-2+3",
                )
            ]
        ),
        officer,
    )
    assert report.ok, report.lines()
    (record,) = records()
    assert record.title == '=HYPERLINK("http://evil.example","Click")'
    assert record.summary == "+SUM(A1:A2) and @cmd"
    assert record.commissioner_ref == "-2+3"


def test_blank_rows_are_skipped_but_still_counted_in_row_numbers(officer):
    data = sheet_bytes([row(), {}, {}, row(title="", status="active")])
    report = import_file(data, officer)
    assert report.checked == 2
    assert [(p.row, p.column) for p in report.problems] == [(5, "title")]


def test_a_record_can_supersede_an_existing_one(officer):
    older = make_record(officer)
    report = import_file(sheet_bytes([row(supersedes=str(older.id))]), officer)
    assert report.ok, report.lines()
    db.session.refresh(older)
    assert older.status == "superseded"
    assert records()[-1].supersedes_id == older.id


# -- Refused files ----------------------------------------------------------------------------


def test_wrong_headers_stop_the_import_before_any_row_naming_them(officer):
    columns = ("Title", "Colour", "Comissioner name", "title", "service_type", "nation", "lmc")
    data = sheet_bytes([{"Title": "x"}], columns)
    with pytest.raises(ImportStopped) as stopped:
        read(data)
    text = " ".join(stopped.value.messages)
    assert "“Colour”" in text
    assert "“Comissioner name” (did you mean commissioner_name?)" in text
    assert "appear more than once: title" in text
    assert (
        "required columns are missing: commissioner_type, commissioner_name, summary, "
        "financial_year, payment_model." in text
    )
    report = import_file(data, officer)
    assert not report.ok and report.stopped and report.checked == 0
    assert all(p.row is None for p in report.problems)
    assert report.summary() == "The file could not be imported. Nothing was imported."
    assert count() == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "first row must name the columns"),
        (b"PK\x03\x04rest of a workbook", "Excel workbook"),
        (b"title,summary\x00\r\n", "not a CSV text file"),
        (b"\x81\x8d\x8f\x90\x9d", "not a CSV text file"),
    ],
)
def test_files_that_are_not_csv_text_are_refused(officer, data, words):
    report = import_file(data, officer)
    assert report.stopped and words in report.lines()[0]
    assert count() == 0


def test_a_file_with_no_rows_imports_nothing(officer):
    report = import_file(sheet_bytes([]), officer)
    assert not report.ok and "no rows" in report.lines()[0]


def test_one_bad_row_among_many_imports_nothing_and_names_each_row_and_field(officer):
    good = [row(title=f"Good {n}") for n in range(40)]
    bad = {
        5: row(tariff_1_amount="-2.60"),
        9: row(tariff_1_unit=""),
        14: row(start_date="2025-04-01", end_date="2024-03-31"),
        20: row(service_type="astrology"),
        33: row(nation="wales", region="london"),
        37: row(title="Extra", kpi_3_name="", kpi_3_target="95%"),
        40: row(payment_model="per_item", tariff_1_amount="", tariff_1_unit="", tariff_1_label=""),
    }
    rows = list(good)
    for number, values in bad.items():
        rows[number - 2] = values  # the header is row 1
    report = import_file(sheet_bytes(rows), officer)

    assert not report.ok and report.created == [] and count() == 0 and count(SlaTariff) == 0
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (5, "tariff_1_amount"),
        (9, "tariff_1_unit"),
        (14, "end_date"),
        (20, "service_type"),
        (33, "region"),
        (37, "kpi_3_name"),
        (40, "tariff_1_amount"),
    }
    assert report.bad_rows == sorted(bad)
    lines = report.lines()
    assert "Row 5, tariff_1_amount: Tariff 1: an amount must be more than £0." in lines
    assert "Row 14, end_date: End date: it cannot be before the start date." in lines
    assert "Row 20, service_type: Service type: 'astrology' is not one of the choices." in lines
    assert "Row 33, region: Region: 'london' is not a region of Wales." in lines
    assert report.summary().startswith("7 rows of 40 have problems. Nothing was imported")


def test_the_report_uses_the_files_own_headings_and_tariff_numbers(officer):
    columns = ("Title", "Service type", "Nation", "Region", "Commissioner type",
               "Commissioner name", "LMC", "Summary", "Financial year", "Payment model",
               "Tariff 2 Amount", "Tariff 2 Unit")  # fmt: skip
    values = dict(zip(columns, ("T", "phlebotomy", "england", "midlands", "icb", "NHS X",
                                "Nowhere LMC", "S", "2024/25", "per_item", "2.60", "per_bag"),
                      strict=True))  # fmt: skip
    report = import_file(sheet_bytes([values], columns), officer)
    assert {(p.row, p.column) for p in report.problems} == {(2, "Tariff 2 Unit"), (2, "LMC")}


def test_a_row_with_cells_beyond_the_header_is_reported(officer):
    data = sheet_bytes([row()])[:-2] + b",stray\r\n"  # one cell more than the header
    report = import_file(data, officer)
    assert [(p.row, p.column) for p in report.problems] == [(2, "")]
    assert "beyond the named columns" in report.problems[0].message


def test_a_file_with_too_many_rows_is_refused(officer, app, monkeypatch):
    monkeypatch.setitem(app.config, "SLA_IMPORT_MAX_ROWS", 5)
    report = import_file(sheet_bytes([row(title=f"R{n}") for n in range(6)]), officer)
    assert report.stopped
    assert "more than 5 rows" in report.lines()[0] and "Split it" in report.lines()[0]
    assert count() == 0
    assert import_file(sheet_bytes([row(title=f"R{n}") for n in range(5)]), officer).ok


def test_a_refusal_while_adding_rolls_every_record_back(officer, monkeypatch):
    real_create, calls = services.create, []

    def failing_create(user, form, document=None, **options):
        calls.append(form["title"])
        if len(calls) == 3:
            raise services.ValidationFailed("Supersedes: there is no SLA record '7'.")
        return real_create(user, form, document, **options)

    monkeypatch.setattr(services, "create", failing_create)
    report = import_file(sheet_bytes([row(title=f"R{n}") for n in range(5)]), officer)
    assert not report.ok and report.created == []
    assert [(p.row, p.message) for p in report.problems] == [
        (4, "Supersedes: there is no SLA record '7'.")
    ]
    assert count() == 0 and count(SlaTariff) == 0 and count(SlaKpi) == 0


def test_someone_who_may_not_add_records_imports_nothing(app):
    make_lmc()
    member = make_user()
    report = import_file(sheet_bytes([row()]), member)
    assert report.stopped and "Only LMC officers" in report.lines()[0]
    assert count() == 0


def test_a_dry_run_checks_and_imports_nothing(officer):
    report = import_file(sheet_bytes([row(), row()]), officer, dry_run=True)
    assert report.ok and report.checked == 2 and report.created == []
    assert report.summary() == "All 2 rows are valid. Nothing was imported (dry run)."
    assert count() == 0


def test_ten_thousand_rows_import_in_one_go(officer):
    """The benchmark's size: well under a minute on SQLite (about 20 s here)."""
    rows = [row(title=f"Phlebotomy {n}", commissioner_ref=f"REF{n}") for n in range(10_000)]
    started = time.perf_counter()
    report = import_file(sheet_bytes(rows), officer)
    elapsed = time.perf_counter() - started
    assert report.ok and report.imported == 10_000, report.lines()[:5]
    assert count() == 10_000 and count(SlaTariff) == 10_000 and count(SlaKpi) == 10_000
    assert elapsed < 60


# -- The template -----------------------------------------------------------------------------


def test_the_template_has_every_column_and_the_demo_phlebotomy_record():
    lines = list(csv.reader(io.StringIO(csv_import.template_csv())))
    assert lines[0] == list(COLUMNS) and len(lines) == 2
    example = dict(zip(lines[0], lines[1], strict=True))
    assert example["title"] == "Phlebotomy LCS 2024/25 v2.0"
    assert (example["tariff_1_amount"], example["tariff_1_unit"]) == ("2.60", "per_sample")
    assert example["lmc"] == "Nottinghamshire LMC"


# -- The upload page --------------------------------------------------------------------------


def upload(client, data: bytes, filename="sla.csv"):
    """Post the import form as a browser does (a multipart body built here)."""
    body = (
        b"--b\r\nContent-Disposition: form-data; name=csrf_token\r\n\r\nx\r\n"
        + f'--b\r\nContent-Disposition: form-data; name=file; filename="{filename}"\r\n'.encode()
        + b"Content-Type: text/csv\r\n\r\n"
        + data
        + b"\r\n--b--\r\n"
    )
    return client.post(
        "/sla/import", data=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )


def test_the_import_page_lists_the_columns_and_their_choices(client, auth, officer):
    auth.login_as(officer)
    response = client.get("/sla/import")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert "/sla/import/template.csv" in page
    for text in ("<code>tariff_1_label … tariff_6_notes</code>", "<code>commissioner_name</code>",
                 "Phlebotomy <code>phlebotomy</code>", "per sample <code>per_sample</code>",
                 "North East &amp; Yorkshire <code>north_east_yorkshire</code>"):  # fmt: skip
        assert text in page


def test_an_upload_imports_every_row_and_goes_to_the_tracker(client, auth, officer):
    auth.login_as(officer)
    response = upload(client, sheet_bytes([row(), row(title="Second")]))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sla/")
    assert count() == 2
    page = client.get("/sla/").get_data(as_text=True)
    assert "Imported 2 records." in page


def test_an_upload_with_bad_rows_shows_the_report_and_imports_nothing(client, auth, officer):
    auth.login_as(officer)
    rows = [row(), row(tariff_1_unit=""), row(), row(start_date="2026-01-01")]
    response = upload(client, sheet_bytes(rows))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2 rows of 4 have problems. Nothing was imported" in page
    assert "<td>3</td><td>tariff_1_unit</td><td>Tariff 1: say what it is paid per" in page
    assert "<td>5</td><td>end_date</td><td>End date: it cannot be before the start date." in page
    assert count() == 0


def test_an_upload_with_wrong_headers_names_them(client, auth, officer):
    auth.login_as(officer)
    response = upload(client, b"Title,Colour\r\nx,red\r\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "These columns are not SLA fields: “Colour”" in page
    assert "The file could not be imported." in page


def test_an_upload_without_a_file_asks_for_one(client, auth, officer):
    auth.login_as(officer)
    response = upload(client, b"", filename="")
    assert response.status_code == 422
    assert "Choose a CSV file to import." in response.get_data(as_text=True)


def test_the_template_downloads_and_imports_cleanly(client, auth, officer):
    auth.login_as(officer)
    response = client.get("/sla/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert upload(client, response.data).status_code == 303
    (record,) = records()
    assert record.title == EXAMPLE["title"] and record.kpis[0].name == "Sample rejection rate"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/sla/import"), ("get", "/sla/import/template.csv"), ("post", "/sla/import")],
)
def test_only_contributors_may_import(client, auth, officer, method, path):
    assert getattr(client, method)(path).status_code == 403  # not signed in
    auth.login_as(make_user())
    assert getattr(client, method)(path).status_code == 403
    assert count() == 0


def test_a_refused_upload_of_a_member_reads_nothing(client, auth, officer):
    auth.login_as(make_user())
    response = upload(client, sheet_bytes([row()]))
    assert response.status_code == 403
    assert count() == 0


def test_a_malformed_csv_file_is_refused(officer):
    header = ",".join(COLUMNS).encode()
    huge = header + b'\r\nx,"' + b"y" * 200_000 + b'"\r\n'  # past the csv module's limit
    report = import_file(huge, officer)
    assert report.stopped and "could not be read as CSV near line" in report.lines()[0]


def test_an_upload_in_windows_1252_imports_its_pounds(client, auth, officer):
    auth.login_as(officer)
    data = sheet_bytes([row(summary="Paid £2.60 a sample, café hours.")], encoding="cp1252")
    assert upload(client, data).status_code == 303
    (record,) = records()
    assert record.summary == "Paid £2.60 a sample, café hours."


def test_an_upload_of_a_workbook_is_refused_with_a_message(client, auth, officer):
    auth.login_as(officer)
    response = upload(client, b"PK\x03\x04" + b"\x00" * 100, filename="sla.xlsx")
    assert response.status_code == 422
    assert "This is an Excel workbook, not a CSV file." in response.get_data(as_text=True)
    assert count() == 0
