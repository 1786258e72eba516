"""SLA records through the service: every field checked at once, prices always with their
unit, nothing half-saved, documents under the upload rules, visibility and officers-only
notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from forum.errors import InvalidAccess, ValidationFailed
from forum.extensions import db
from plugins.resources.samples import pdf_bytes
from plugins.sla import access, services
from plugins.sla.models import SlaDocument, SlaRecord, SlaTariff
from tests.factories import make_user
from tests.sla.conftest import make_lmc, make_officer, make_record, record_form


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def messages(form) -> str:
    with pytest.raises(ValidationFailed) as refused:
        services.create(make_officer(), form)
    assert count(SlaRecord) == 0 and count(SlaTariff) == 0
    return " ".join(refused.value.messages)


def test_a_record_keeps_its_tariffs_with_their_units(app):
    record = make_record(
        payment_model="tiered_mixed",
        tariffs=[
            {"label": "Per patient", "amount_gbp": "£150.00", "unit": "per_cohort_patient_pa"},
            {"label": "Initiation", "amount_gbp": "120", "unit": "one_off"},
        ],
        kpis=[{"name": "Time in therapeutic range", "target": "65%"}],
        accreditations=["poct_eqa"],
    )
    assert [(t.label, t.amount_gbp, t.unit) for t in record.tariffs] == [
        ("Per patient", Decimal("150.00"), "per_cohort_patient_pa"),
        ("Initiation", Decimal("120.00"), "one_off"),
    ]
    assert record.primary_tariff_gbp == Decimal("150.00")
    assert record.primary_tariff_unit == "per_cohort_patient_pa"
    assert record.accreditation_needed is True
    assert record.kpis[0].target == "65%"


def test_tariffs_come_from_the_forms_rows_too(app):
    from werkzeug.datastructures import MultiDict

    form = MultiDict(
        [(k, v) for k, v in record_form(tariffs=None).items() if not isinstance(v, list)]
    )
    for label, amount, unit in (("Irrigation", "14.00", "per_procedure"), ("", "", "")):
        form.add("tariff_label", label)
        form.add("tariff_amount", amount)
        form.add("tariff_unit", unit)
    record = services.create(make_officer(), form)
    assert [(t.label, t.amount_gbp) for t in record.tariffs] == [("Irrigation", Decimal("14.00"))]


@pytest.mark.parametrize(
    ("tariff", "expected"),
    [
        (
            {"amount_gbp": "-2.60", "unit": "per_sample"},
            "Tariff 1: an amount must be more than £0.",
        ),
        ({"amount_gbp": "2600000", "unit": "per_sample"}, "more than the £100,000 allowed"),
        ({"amount_gbp": "2.60", "unit": ""}, "Tariff 1: say what it is paid per (the unit)."),
        ({"amount_gbp": "2.60", "unit": "per_fortnight"}, "unit 'per_fortnight' is not one"),
        ({"amount_gbp": "two pounds", "unit": "per_sample"}, "is not an amount in pounds"),
        ({"amount_gbp": "2.605", "unit": "per_sample"}, "at most two decimal places"),
        ({"amount_gbp": "NaN", "unit": "per_sample"}, "an amount must be more than £0"),
    ],
)
def test_bad_prices_are_refused(app, tariff, expected):
    assert expected in messages(record_form(tariffs=[tariff]))


def test_every_problem_is_reported_at_once(app):
    text = messages(
        record_form(
            title="",
            service_type="astrology",
            nation="atlantis",
            status="maybe",
            start_date="2025-04-01",
            end_date="2024-04-01",
            financial_year="2024-25",
            lmc="No Such LMC",
            tariffs=[],
            visibility="everyone",
            notice_period_days="-5",
        )
    )
    for expected in (
        "Title is required.",
        "Service type: 'astrology' is not one of the choices.",
        "Nation: 'atlantis' is not one of the choices.",
        "Status: 'maybe'",
        "Financial year: write it as 2024/25.",
        "LMC: 'No Such LMC' is not an LMC we know.",
        "Who can see it: 'everyone'",
        "Notice period: give a number from 0 to 3650.",
    ):
        assert expected in text
    assert "End date: it cannot be before the start date." in messages(
        record_form(start_date="2025-04-01", end_date="2024-04-01")
    )
    assert "Tariffs: give at least one price" in messages(record_form(tariffs=[]))


def test_the_region_must_belong_to_the_nation(app):
    assert "Region: 'london' is not a region of Wales." in messages(
        record_form(nation="wales", region="london")
    )
    record = make_record(nation="scotland", region=None, lmc=make_lmc("Lanarkshire LMC").id)
    assert record.region == "scotland"


def test_a_block_contract_needs_its_value_not_a_unit_price(app):
    assert "Block value: give the block's value" in messages(
        record_form(payment_model="block", tariffs=[])
    )
    record = make_record(payment_model="block", tariffs=[], block_value_gbp="18,000")
    assert record.block_value_gbp == Decimal("18000") and record.primary_tariff_unit == ""


def test_a_document_needs_the_redaction_confirmation_and_the_upload_rules(app):
    pdf = pdf_bytes(["Specification page 1"])
    with pytest.raises(ValidationFailed, match="identifies a practice or a patient"):
        make_record(document=pdf, redaction_confirmed="")
    with pytest.raises(ValidationFailed, match="web page"):
        make_record(document=b"<html><script>alert(1)</script></html>", filename="spec.pdf")
    assert count(SlaRecord) == 0 and count(SlaDocument) == 0
    record = make_record(document=pdf, filename="../../spec.pdf")
    assert record.has_document and record.document_name == "spec.pdf"
    assert services.document_path(record.document).read_bytes() == pdf


def test_only_contributors_add_records_and_only_submitters_or_staff_edit(app):
    with pytest.raises(InvalidAccess):
        services.create(make_user(), record_form())
    record = make_record(title="Original")
    with pytest.raises(InvalidAccess):
        services.update(make_officer(), record, record_form(title="Changed"))
    services.update(make_user(role="moderator"), record, record_form(title="Fixed"))
    assert db.session.get(SlaRecord, record.id).title == "Fixed"


def test_a_new_version_supersedes_the_old_and_chains_cannot_loop(app):
    officer = make_officer()
    old = make_record(officer, title="Phlebotomy LCS 2023/24 v1.3")
    new = make_record(officer, supersedes=str(old.id))
    assert db.session.get(SlaRecord, old.id).status == "superseded"
    with pytest.raises(ValidationFailed, match="cannot replace itself or a newer version"):
        services.update(officer, old, record_form(supersedes=str(new.id)))


def test_visibility(app):
    notts, devon = make_lmc(), make_lmc("Devon LMC", region="South West")
    submitter = make_officer(lmc=notts)
    everyone = make_record(submitter, visibility="all_members")
    officers = make_record(submitter, visibility="officers_only")
    own_lmc = make_record(submitter, visibility="own_lmc_only", lmc=notts.id)
    member_notts = make_user(organisation_id=notts.id)
    member_devon = make_user(organisation_id=devon.id)
    officer_devon = make_officer(lmc=devon)
    seen = {
        who: {r for r in (everyone, officers, own_lmc) if access.can_see(who, r)}
        for who in (member_notts, member_devon, officer_devon, submitter)
    }
    assert seen[member_notts] == {everyone, own_lmc}
    assert seen[member_devon] == {everyone}
    assert seen[officer_devon] == {everyone, officers}
    assert seen[submitter] == {everyone, officers, own_lmc}
    for who, expected in seen.items():
        ids = set(db.session.scalars(select(SlaRecord.id).where(access.visible(who))))
        assert ids == {r.id for r in expected}
    from forum.accounts.models import AnonymousUser

    assert not access.can_see(AnonymousUser(), everyone)
    assert access.sees_notes(officer_devon) and not access.sees_notes(member_notts)


def test_expire_marks_only_active_records_past_their_end(app):
    ended = make_record(end_date="2024-03-31", start_date="2023-04-01", financial_year="2023/24")
    running = make_record(end_date="2026-03-31", start_date="2025-04-01", financial_year="2025/26")
    proposed = make_record(end_date="2024-03-31", start_date="2023-04-01", status="proposed")
    assert services.expire(date(2025, 1, 1)) == 1
    statuses = dict(db.session.execute(select(SlaRecord.id, SlaRecord.status)).all())
    assert statuses == {ended.id: "expired", running.id: "active", proposed.id: "proposed"}
    assert services.expire(date(2025, 1, 1)) == 0


def test_verify_sets_last_verified_today(app):
    officer = make_officer()
    record = make_record(officer)
    services.verify(officer, record)
    assert record.last_verified_at == date.today() and record.verified_by_id == officer.id


def test_form_values_round_trip(app):
    officer = make_officer()
    record = make_record(
        officer,
        kpis=[{"name": "Rejection rate", "target": "<2%", "measure": "quarterly"}],
        accreditations=["phlebotomy_training"],
        uplift_pct="1.5",
        notice_period_days="90",
    )
    services.update(officer, record, services.form_values(record))
    again = services.form_values(record)
    assert again["tariffs"] == [
        {"label": "Sample", "amount_gbp": "2.60", "unit": "per_sample", "notes": ""}
    ]
    assert again["uplift_pct"] == "1.50" and again["notice_period_days"] == 90
    assert again["accreditations"] == ["phlebotomy_training"]
