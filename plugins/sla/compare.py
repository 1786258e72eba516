"""Setting up to four SLA records of one service type side by side, without false equivalence
(domain.md §1.7 and §1.10), and how prices are written wherever a record is shown.

:func:`build` is pure: it takes records already loaded (and already checked as visible) and
returns a :class:`Comparison` whose rows come in a fixed order that never depends on the
amounts:

1. the "not like-for-like" notice;
2. what each service includes (inclusions, exclusions, provider level, eligibility,
   equipment, accreditation, caps, reporting, KPIs), before any price;
3. the year, status and dates;
4. the prices, aligned by unit: one row per tariff unit present, showing each record's
   amount only where it is paid per exactly that unit and "not comparable (paid per …)"
   elsewhere, with a plain statement when no unit is shared by two records.

Nothing here sorts by price, ranks, marks a "cheapest" or "best", or computes a difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import vocabulary as v

#: The most records set side by side, and the fewest worth a comparison.
MAX_RECORDS = 4
MIN_RECORDS = 2

NOTICE, INCLUDED, TERMS, PRICES = "notice", "included", "terms", "prices"
#: The comparison's sections in the order they are shown, with their headings.
SECTIONS = {
    NOTICE: "Not like-for-like",
    INCLUDED: "What's included",
    TERMS: "Year, status and dates",
    PRICES: "Prices, by the unit paid for",
}
NOT_STATED = "Not stated"
MIXED_TYPES = "Only SLAs for the same service can be set side by side."


# -- How prices are written (also used by the pages, the cards and the export) ----------------


def money(amount: Decimal | float | int | None) -> str:
    """``£2.60``, ``£18,000.00`` (always pounds and pence, never a bare number)."""
    if amount is None:
        return ""
    return f"£{Decimal(amount):,.2f}"


def unit_label(unit: str) -> str:
    """What a tariff is paid per, in words (``per sample``)."""
    return v.TARIFF_UNITS.get(unit, unit.replace("_", " "))


def paid(unit: str) -> str:
    """``paid per sample``, ``paid as a one-off payment``."""
    label = unit_label(unit)
    return f"paid {label}" if label.startswith("per ") else f"paid as a {label}"


def price(amount, unit: str) -> str:
    """An amount with its unit: ``£2.60 per sample``; ``£120.00 one-off payment``."""
    return f"{money(amount)} {unit_label(unit)}"


def tariff_text(tariff) -> str:
    """One tariff for people: ``Sample: £2.60 per sample`` (``£2.60 per sample`` unlabelled)."""
    text = price(tariff.amount_gbp, tariff.unit)
    return f"{tariff.label}: {text}" if tariff.label else text


def tariffs_text(tariffs: Iterable, separator: str = "; ") -> str:
    return separator.join(tariff_text(tariff) for tariff in tariffs)


# -- The comparison ---------------------------------------------------------------------------


class NotComparable(ValueError):
    """These records cannot be set side by side; ``str(error)`` is for the person."""


@dataclass(frozen=True)
class Cell:
    """One record's value in a row. ``note`` marks words about the value ("Not stated",
    "not comparable (paid per bed a year)") rather than the value itself."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    cells: tuple[Cell, ...]
    #: One cell across every record (the notice; "prices are not comparable").
    spans: bool = False


@dataclass(frozen=True)
class Column:
    """A record's heading: what it is and where it comes from."""

    record_id: int
    title: str
    commissioner: str
    where: str
    lmc: str


@dataclass(frozen=True)
class Comparison:
    service_type: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    #: Tariff units at least two of the records are paid per.
    shared_units: tuple[str, ...]

    @property
    def service_label(self) -> str:
        return v.SERVICE_TYPE_NAMES.get(self.service_type, self.service_type)

    @property
    def prices_comparable(self) -> bool:
        return bool(self.shared_units)

    def section(self, name: str) -> list[Row]:
        return [row for row in self.rows if row.section == name]


def check_count(count: int) -> None:
    """Refuse too few or too many records, in words."""
    if count > MAX_RECORDS:
        raise NotComparable(
            f"You chose {count} SLAs: at most {MAX_RECORDS} can be set side by side. "
            "Untick some and try again."
        )
    if count < MIN_RECORDS:
        raise NotComparable("Choose at least two SLAs to set side by side.")


def build(records: Sequence, lmc_names: Mapping[int, str] | None = None) -> Comparison:
    """The rows setting ``records`` (2 to 4, one service type) side by side, in the order
    given; raises :class:`NotComparable` otherwise."""
    records = list(records)
    check_count(len(records))
    if len({record.service_type for record in records}) > 1:
        raise NotComparable(MIXED_TYPES)
    lmc_names = lmc_names or {}
    columns = tuple(
        Column(
            record_id=record.id,
            title=record.title,
            commissioner=record.commissioner_name,
            where=_where(record),
            lmc=lmc_names.get(record.lmc_id, ""),
        )
        for record in records
    )
    shared = _shared_units(records)
    rows = [
        Row(NOTICE, SECTIONS[NOTICE], (Cell(v.NOT_LIKE_FOR_LIKE),), spans=True),
        *_included_rows(records),
        *_term_rows(records),
        *_price_rows(records, shared),
    ]
    return Comparison(records[0].service_type, columns, tuple(rows), shared)


def _where(record) -> str:
    nation = v.NATIONS.get(record.nation, record.nation)
    region = v.REGION_NAMES.get(record.region, record.region)
    return nation if region == nation else f"{region}, {nation}"


def _text(value) -> Cell:
    text = str(value or "").strip()
    return Cell(text) if text else Cell(NOT_STATED, note=True)


def _label(options: Mapping[str, str], key: str) -> Cell:
    return Cell(options.get(key, key)) if key else Cell(NOT_STATED, note=True)


def _row(section: str, label: str, records, cell) -> Row:
    return Row(section, label, tuple(cell(record) for record in records))


def _accreditation(record) -> Cell:
    names = [v.ACCREDITATIONS.get(tag, tag) for tag in record.accreditation_keys]
    return Cell("; ".join(names)) if names else Cell("None stated", note=True)


def _kpis(record) -> Cell:
    parts = []
    for kpi in record.kpis:
        text = kpi.name
        if kpi.target:
            text += f": {kpi.target}"
        if kpi.measure:
            text += f" ({kpi.measure})"
        parts.append(text)
    return Cell("; ".join(parts)) if parts else Cell("None stated", note=True)


def _included_rows(records) -> list[Row]:
    return [
        _row(INCLUDED, "Included", records, lambda r: _text(r.inclusions)),
        _row(INCLUDED, "Excluded", records, lambda r: _text(r.exclusions)),
        _row(
            INCLUDED,
            "Provider level",
            records,
            lambda r: _label(v.PROVIDER_LEVELS, r.provider_level),
        ),
        _row(INCLUDED, "Who may provide it", records, lambda r: _text(r.provider_eligibility)),
        _row(
            INCLUDED,
            "Equipment supplied by",
            records,
            lambda r: _label(v.EQUIPMENT_SUPPLIERS, r.equipment_supplied_by),
        ),
        _row(INCLUDED, "Accreditation needed", records, _accreditation),
        _row(INCLUDED, "Training", records, lambda r: _text(r.training_requirements)),
        _row(INCLUDED, "Activity cap", records, lambda r: _text(r.activity_cap)),
        _row(INCLUDED, "Reporting", records, lambda r: _text(r.reporting_requirements)),
        _row(
            INCLUDED,
            "How claims are made",
            records,
            lambda r: _label(v.CLAIM_METHODS, r.claim_method),
        ),
        _row(INCLUDED, "KPIs", records, _kpis),
    ]


def _day(value) -> Cell:
    return Cell(f"{value.day} {value:%B %Y}") if value else Cell(NOT_STATED, note=True)


def _notice(record) -> Cell:
    if record.notice_period_days is None:
        return Cell(NOT_STATED, note=True)
    days = record.notice_period_days
    text = f"{days} day{'' if days == 1 else 's'}"
    if record.notice_party:
        text += f", {v.NOTICE_PARTIES.get(record.notice_party, record.notice_party).lower()}"
    return Cell(text)


def _term_rows(records) -> list[Row]:
    return [
        _row(TERMS, "Financial year", records, lambda r: _text(r.financial_year)),
        _row(TERMS, "Status", records, lambda r: _label(v.STATUSES, r.status)),
        _row(TERMS, "Starts", records, lambda r: _day(r.start_date)),
        _row(TERMS, "Ends", records, lambda r: _day(r.end_date)),
        _row(TERMS, "Notice period", records, _notice),
    ]


def _units(record) -> list[str]:
    """The units ``record``'s tariffs are paid per, each once, in the vocabulary's order."""
    present = {tariff.unit for tariff in record.tariffs}
    known = [unit for unit in v.TARIFF_UNITS if unit in present]
    return known + sorted(present - set(known))


def _shared_units(records) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for record in records:
        for unit in _units(record):
            counts[unit] = counts.get(unit, 0) + 1
    order = {unit: n for n, unit in enumerate(v.TARIFF_UNITS)}
    shared = [unit for unit, count in counts.items() if count >= 2]
    return tuple(sorted(shared, key=lambda unit: (order.get(unit, len(order)), unit)))


def _amounts(record, unit: str) -> Cell:
    """``record``'s amounts paid per ``unit``, or why there is none to set beside them."""
    same = [tariff for tariff in record.tariffs if tariff.unit == unit]
    if same:
        return Cell(
            "; ".join(money(t.amount_gbp) + (f" ({t.label})" if t.label else "") for t in same)
        )
    units = _units(record)
    if not units:
        return Cell("not comparable (no price per unit given)", note=True)
    return Cell(f"not comparable ({' and '.join(paid(u) for u in units)})", note=True)


def _price_rows(records, shared: tuple[str, ...]) -> list[Row]:
    rows = [
        _row(PRICES, "Payment model", records, lambda r: _label(v.PAYMENT_MODELS, r.payment_model))
    ]
    if not shared:
        rows.append(
            Row(
                PRICES,
                "Prices not comparable",
                (
                    Cell(
                        "Prices are not comparable: no two of these SLAs are paid per the "
                        "same unit. Each price is shown below in its own unit only."
                    ),
                ),
                spans=True,
            )
        )
    order = {unit: n for n, unit in enumerate(v.TARIFF_UNITS)}
    present = sorted(
        {unit for record in records for unit in _units(record)},
        key=lambda unit: (order.get(unit, len(order)), unit),
    )
    for unit in present:
        rows.append(
            _row(
                PRICES,
                paid(unit)[:1].upper() + paid(unit)[1:],
                records,
                lambda r, u=unit: _amounts(r, u),
            )
        )
    if any(record.block_value_gbp is not None for record in records):
        rows.append(
            _row(
                PRICES,
                "Block value",
                records,
                lambda r: (
                    Cell(money(r.block_value_gbp))
                    if r.block_value_gbp is not None
                    else Cell("None", note=True)
                ),
            )
        )
    if any(record.uplift_pct is not None for record in records):
        rows.append(
            _row(
                PRICES,
                "Uplift on the year before",
                records,
                lambda r: Cell(f"{r.uplift_pct}%") if r.uplift_pct is not None else _text(""),
            )
        )
    rows.append(
        _row(
            PRICES,
            "How often paid",
            records,
            lambda r: _label(v.PAYMENT_FREQUENCIES, r.payment_frequency),
        )
    )
    return rows
