"""The comparison's logic (plugins/sla/compare.py), on records built in memory: rows in a fixed
order (notice, what's included, dates, prices), prices aligned only by identical unit, and
nothing ranked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

import pytest

from plugins.sla import compare, vocabulary
from plugins.sla.compare import Cell
from plugins.sla.models import SlaAccreditation, SlaKpi, SlaRecord, SlaTariff

_ids = count(1)


def record(service_type="phlebotomy", tariffs=(("Sample", "2.60", "per_sample"),), **fields):
    """An unsaved record with ``tariffs`` as ``(label, amount, unit)``."""
    values = {
        "id": next(_ids),
        "title": f"Record {next(_ids)}",
        "service_type": service_type,
        "nation": "england",
        "region": "midlands",
        "commissioner_name": "NHS Trentside ICB",
        "lmc_id": 1,
        "provider_level": "practice",
        "provider_eligibility": "",
        "inclusions": "",
        "exclusions": "",
        "financial_year": "2024/25",
        "status": "active",
        "payment_model": "per_item",
        "equipment_supplied_by": "",
        "claim_method": "",
        "activity_cap": "",
        "reporting_requirements": "",
        "training_requirements": "",
        "payment_frequency": "",
        "notice_party": "",
    }
    values.update(fields)
    built = SlaRecord(**values)
    built.tariffs = [
        SlaTariff(position=n, label=label, amount_gbp=Decimal(amount), unit=unit)
        for n, (label, amount, unit) in enumerate(tariffs)
    ]
    return built


def cells(row) -> list[str]:
    return [cell.text for cell in row.cells]


def row(comparison, label):
    return next(r for r in comparison.rows if r.label == label)


def test_rows_come_in_order_notice_included_terms_prices():
    a = record(inclusions="Children 12+", exclusions="Trial bloods")
    b = record(tariffs=(("Sample", "2.45", "per_sample"),))
    comparison = compare.build([a, b], {1: "Nottinghamshire LMC"})
    sections = [r.section for r in comparison.rows]
    assert sections[0] == compare.NOTICE
    assert comparison.rows[0].spans and comparison.rows[0].cells == (
        Cell(vocabulary.NOT_LIKE_FOR_LIKE),
    )
    # Each section in one block, in the fixed order.
    blocks = [s for n, s in enumerate(sections) if n == 0 or sections[n - 1] != s]
    assert blocks == [compare.NOTICE, compare.INCLUDED, compare.TERMS, compare.PRICES]
    labels = [r.label for r in comparison.section(compare.INCLUDED)]
    assert labels == [
        "Included",
        "Excluded",
        "Provider level",
        "Who may provide it",
        "Equipment supplied by",
        "Accreditation needed",
        "Training",
        "Activity cap",
        "Reporting",
        "How claims are made",
        "KPIs",
    ]
    assert cells(row(comparison, "Included")) == ["Children 12+", "Not stated"]
    assert row(comparison, "Included").cells[1].note
    assert [c.lmc for c in comparison.columns] == ["Nottinghamshire LMC"] * 2
    assert [c.where for c in comparison.columns] == ["Midlands, England"] * 2


def test_identical_units_are_aligned_and_others_not_comparable():
    a = record()
    b = record(
        tariffs=(("Sample", "2.45", "per_sample"), ("Housebound", "9", "per_contact")),
    )
    c = record(
        payment_model="per_registered_patient_pa",
        tariffs=(("", "0.28", "per_registered_patient_pa"),),
    )
    comparison = compare.build([a, b, c])
    assert comparison.shared_units == ("per_sample",) and comparison.prices_comparable
    prices = [r.label for r in comparison.section(compare.PRICES)]
    assert prices == [
        "Payment model",
        "Paid per sample",
        "Paid per contact",
        "Paid per registered patient a year",
        "How often paid",
    ]
    assert cells(row(comparison, "Paid per sample")) == [
        "£2.60 (Sample)",
        "£2.45 (Sample)",
        "not comparable (paid per registered patient a year)",
    ]
    assert cells(row(comparison, "Paid per contact")) == [
        "not comparable (paid per sample)",
        "£9.00 (Housebound)",
        "not comparable (paid per registered patient a year)",
    ]
    assert cells(row(comparison, "Paid per registered patient a year")) == [
        "not comparable (paid per sample)",
        "not comparable (paid per sample and paid per contact)",
        "£0.28",
    ]
    assert [cell.note for cell in row(comparison, "Paid per sample").cells] == [
        False,
        False,
        True,
    ]


def test_no_shared_unit_says_prices_are_not_comparable():
    a = record()
    b = record(payment_model="per_bed_pa", tariffs=(("Bed", "320", "per_bed_pa"),))
    comparison = compare.build([a, b])
    assert not comparison.prices_comparable
    note = row(comparison, "Prices not comparable")
    assert note.spans and "Prices are not comparable" in note.cells[0].text


def test_a_block_without_tariffs_is_not_compared_on_price():
    a = record()
    b = record(payment_model="block", tariffs=(), block_value_gbp=Decimal("18000"))
    comparison = compare.build([a, b])
    assert cells(row(comparison, "Paid per sample")) == [
        "£2.60 (Sample)",
        "not comparable (no price per unit given)",
    ]
    assert cells(row(comparison, "Block value")) == ["None", "£18,000.00"]


def test_several_tariffs_of_one_unit_and_one_off_payments():
    a = record(
        service_type="warfarin",
        tariffs=(
            ("Monitoring", "150", "per_cohort_patient_pa"),
            ("Non-dosing", "10", "per_cohort_patient_pa"),
            ("Initiation", "120", "one_off"),
        ),
    )
    b = record(service_type="warfarin", tariffs=(("", "95", "per_cohort_patient_pa"),))
    comparison = compare.build([a, b])
    assert cells(row(comparison, "Paid per patient on the register a year")) == [
        "£150.00 (Monitoring); £10.00 (Non-dosing)",
        "£95.00",
    ]
    assert cells(row(comparison, "Paid as a one-off payment")) == [
        "£120.00 (Initiation)",
        "not comparable (paid per patient on the register a year)",
    ]


def test_the_order_of_records_is_kept_never_sorted_by_price():
    dear = record(tariffs=(("Sample", "3.12", "per_sample"),))
    cheap = record(tariffs=(("Sample", "1.25", "per_sample"),))
    comparison = compare.build([dear, cheap])
    assert [c.record_id for c in comparison.columns] == [dear.id, cheap.id]
    assert cells(row(comparison, "Paid per sample")) == ["£3.12 (Sample)", "£1.25 (Sample)"]
    words = " ".join(
        [r.label for r in comparison.rows] + [c.text for r in comparison.rows for c in r.cells]
    ).lower()
    for ranking in ("cheapest", "best", "lowest", "highest", "difference", "more than"):
        assert ranking not in words


def test_what_is_included_rows_read_each_field():
    a = record(
        provider_level="pcn",
        provider_eligibility="GMS and PMS practices",
        equipment_supplied_by="commissioner",
        activity_cap="9 + 9 per 1,000 patients",
        reporting_requirements="Quarterly searches",
        claim_method="cqrs",
        training_requirements="Annual update",
        notice_period_days=90,
        notice_party="either",
        start_date=date(2024, 4, 1),
    )
    a.kpis = [SlaKpi(position=0, name="Bloods in interval", target="95%", measure="audit")]
    a.accreditations = [SlaAccreditation(tag="poct_eqa")]
    b = record()
    comparison = compare.build([a, b])
    assert cells(row(comparison, "Provider level")) == ["PCN", "Practice"]
    assert cells(row(comparison, "Who may provide it"))[0] == "GMS and PMS practices"
    assert cells(row(comparison, "Equipment supplied by"))[0] == "The commissioner"
    assert cells(row(comparison, "Accreditation needed")) == [
        "Point-of-care testing with EQA",
        "None stated",
    ]
    assert cells(row(comparison, "KPIs"))[0] == "Bloods in interval: 95% (audit)"
    assert cells(row(comparison, "How claims are made"))[0] == "CQRS"
    assert cells(row(comparison, "Notice period")) == ["90 days, either party", "Not stated"]
    assert cells(row(comparison, "Starts")) == ["1 April 2024", "Not stated"]


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([record()], "Choose at least two"),
        ([record() for _ in range(5)], "at most 4 can be set side by side"),
        ([record(), record(service_type="ecg")], "Only SLAs for the same service"),
    ],
)
def test_what_cannot_be_compared_is_refused(records, message):
    with pytest.raises(compare.NotComparable, match=message):
        compare.build(records)


def test_prices_are_always_written_with_their_unit():
    assert compare.money(Decimal("2.6")) == "£2.60"
    assert compare.money(Decimal("18000")) == "£18,000.00"
    assert compare.price(Decimal("2.6"), "per_sample") == "£2.60 per sample"
    tariff = SlaTariff(label="Sample", amount_gbp=Decimal("2.60"), unit="per_sample")
    assert compare.tariff_text(tariff) == "Sample: £2.60 per sample"
    tariff.label = ""
    assert compare.tariff_text(tariff) == "£2.60 per sample"
    assert compare.paid("one_off") == "paid as a one-off payment"
