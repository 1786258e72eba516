"""Reading an SLA record's fields from a form, a JSON body or a spreadsheet row: every value
checked, every problem reported at once, nothing half-applied.

:func:`clean` returns the model's values plus ``tariffs``, ``kpis``, ``accreditations`` and
``supersedes``, or raises :class:`ValidationFailed` listing each problem in words an officer
understands. Tariffs come as parallel lists (``tariff_label``, ``tariff_amount``,
``tariff_unit``, ``tariff_notes``: the form's rows) or as a JSON list of objects
(``tariffs: [{"label", "amount_gbp", "unit", "notes"}]``); KPIs the same way (``kpi_name``,
``kpi_target``, ``kpi_measure`` or ``kpis``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from sqlalchemy import func, select

from forum.accounts.models import Organisation
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.validation import clean_text

from . import vocabulary as v
from .models import SlaRecord

#: The most a single tariff may be (a price above it is a typing slip, not a tariff).
MAX_TARIFF_GBP = Decimal("100000")
MAX_BLOCK_GBP = Decimal("100000000")
MAX_TARIFFS = 12
MAX_KPIS = 20
TRUE_WORDS = {"1", "true", "yes", "on", "y"}
YEAR = re.compile(r"(\d{4})/(\d{2})")


def values(form: Mapping, name: str) -> list:
    """Every value of ``name``: a JSON list, repeated form fields or one comma-separated
    string (a spreadsheet cell)."""
    if hasattr(form, "getlist"):
        found = form.getlist(name) or form.getlist(name + "[]")
    else:
        found = form.get(name, form.get(name + "[]"))
    if found is None:
        return []
    if isinstance(found, str):
        return [part.strip() for part in found.split(",") if part.strip()]
    return [item for item in (found if isinstance(found, list | tuple) else [found]) if item]


def _rows(form: Mapping, name: str, columns: tuple[str, ...], prefix: str) -> list[dict]:
    """Rows given as a JSON list of objects, or as parallel form fields ``<prefix>_<col>``."""
    given = form.get(name)
    if isinstance(given, list):
        return [row if isinstance(row, dict) else {"_bad": row} for row in given]
    columns_values = []
    for column in columns:
        field = f"{prefix}_{column}"
        if hasattr(form, "getlist"):
            columns_values.append(form.getlist(field))
        else:
            one = form.get(field)
            columns_values.append(one if isinstance(one, list) else [one] if one else [])
    length = max((len(c) for c in columns_values), default=0)
    rows = []
    for i in range(length):
        row = {
            col: (vals[i] if i < len(vals) else "")
            for col, vals in zip(columns, columns_values, strict=True)
        }
        if any(str(value or "").strip() for value in row.values()):
            rows.append(row)
    return rows


class _Checker:
    def __init__(self, form: Mapping):
        self.form = form
        self.errors: list[str] = []

    def text(self, name, label, *, maximum, required=False, multiline=False) -> str:
        try:
            value = clean_text(self.form.get(name), name, required=False, multiline=multiline)
        except Exception as error:  # NUL bytes, not text
            self.errors.append(f"{label}: {getattr(error, 'messages', [str(error)])[0]}")
            return ""
        value = value.strip()
        if required and not value:
            self.errors.append(f"{label} is required.")
        elif len(value) > maximum:
            self.errors.append(f"{label} is too long (at most {maximum} characters).")
        return value

    def choice(self, name, label, options, *, required=True, default="") -> str:
        value = self.form.get(name)
        if value in (None, ""):
            if required and not default:
                self.errors.append(f"{label} is required.")
            return default
        if not isinstance(value, str) or value not in options:
            self.errors.append(f"{label}: {str(value)[:40]!r} is not one of the choices.")
            return ""
        return value

    def day(self, name, label) -> date | None:
        value = self.form.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            parsed = date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            self.errors.append(f"{label}: give a date as YYYY-MM-DD, for example 2025-04-01.")
            return None
        if not 1990 <= parsed.year <= 2100:
            self.errors.append(f"{label}: {parsed.isoformat()} is not a plausible date.")
            return None
        return parsed

    def money(self, value, label, *, maximum) -> Decimal | None:
        if value in (None, ""):
            return None
        text = str(value).strip().replace("£", "").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.errors.append(f"{label}: {str(value)[:20]!r} is not an amount in pounds.")
            return None
        if not amount.is_finite() or amount <= 0:
            self.errors.append(f"{label}: an amount must be more than £0.")
            return None
        if amount > maximum:
            self.errors.append(f"{label}: £{amount:,.2f} is more than the £{maximum:,.0f} allowed.")
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.errors.append(f"{label}: give pounds and pence, at most two decimal places.")
            return None
        return amount

    def number(self, name, label, *, low, high, decimal=False):
        value = self.form.get(name)
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).strip().rstrip("%")) if decimal else int(str(value).strip())
        except (InvalidOperation, ValueError):
            self.errors.append(f"{label}: {str(value)[:20]!r} is not a number.")
            return None
        if not low <= number <= high:
            self.errors.append(f"{label}: give a number from {low} to {high}.")
            return None
        return number


def _lmc(check: _Checker) -> int | None:
    value = check.form.get("lmc")
    if value in (None, ""):
        check.errors.append("LMC is required.")
        return None
    query = select(Organisation.id)
    text = str(value).strip()
    if isinstance(value, int) or (text.isascii() and text.isdecimal() and len(text) < 12):
        found = db.session.scalar(query.where(Organisation.id == int(text)))
    else:
        found = db.session.scalar(query.where(func.lower(Organisation.name) == text.lower()))
    if found is None:
        check.errors.append(f"LMC: {text[:60]!r} is not an LMC we know.")
    return found


def _url(check: _Checker) -> str:
    url = check.text("source_url", "Source link", maximum=2000)
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        check.errors.append("Source link: give a full web address starting with https://.")
        return ""
    return url


def _year(check: _Checker) -> str:
    year = check.text("financial_year", "Financial year", maximum=7, required=True)
    match = YEAR.fullmatch(year)
    if year and (not match or (int(match[1]) + 1) % 100 != int(match[2])):
        check.errors.append("Financial year: write it as 2024/25.")
        return ""
    return year


def _tariffs(check: _Checker) -> list[dict]:
    rows = _rows(check.form, "tariffs", ("label", "amount", "unit", "notes"), "tariff")
    if len(rows) > MAX_TARIFFS:
        check.errors.append(f"Tariffs: at most {MAX_TARIFFS}.")
        return []
    tariffs = []
    for n, row in enumerate(rows, start=1):
        if "_bad" in row:
            check.errors.append(f"Tariff {n}: give a label, an amount and a unit.")
            continue
        label = f"Tariff {n}"
        amount = check.money(
            row.get("amount_gbp", row.get("amount")), label, maximum=MAX_TARIFF_GBP
        )
        unit = str(row.get("unit") or "").strip()
        if not unit:
            check.errors.append(f"{label}: say what it is paid per (the unit).")
        elif unit not in v.TARIFF_UNITS:
            check.errors.append(f"{label}: unit {unit[:30]!r} is not one of the choices.")
        elif amount is None and not any(m.startswith(label) for m in check.errors):
            check.errors.append(f"{label}: give an amount in pounds.")
        if amount is not None and unit in v.TARIFF_UNITS:
            tariffs.append(
                {
                    "label": str(row.get("label") or "").strip()[:120],
                    "amount_gbp": amount,
                    "unit": unit,
                    "notes": str(row.get("notes") or "").strip()[:200],
                }
            )
    return tariffs


def _kpis(check: _Checker) -> list[dict]:
    rows = _rows(check.form, "kpis", ("name", "target", "measure"), "kpi")
    if len(rows) > MAX_KPIS:
        check.errors.append(f"KPIs: at most {MAX_KPIS}.")
        return []
    kpis = []
    for n, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip() if "_bad" not in row else ""
        if not name:
            check.errors.append(f"KPI {n}: give it a name.")
            continue
        kpis.append(
            {
                "name": name[:200],
                "target": str(row.get("target") or "").strip()[:100],
                "measure": str(row.get("measure") or "").strip()[:200],
            }
        )
    return kpis


def _supersedes(check: _Checker, existing: SlaRecord | None) -> SlaRecord | None:
    ref = check.form.get("supersedes")
    if ref in (None, ""):
        return None
    text = str(ref).strip()
    found = (
        db.session.get(SlaRecord, int(text))
        if text.isascii() and text.isdecimal() and len(text) < 12
        else None
    )
    if found is None:
        check.errors.append(f"Supersedes: there is no SLA record {text[:20]!r}.")
        return None
    seen, item = set(), found
    while existing is not None and item is not None and item.id not in seen:
        if item.id == existing.id:
            check.errors.append("Supersedes: a record cannot replace itself or a newer version.")
            return None
        seen.add(item.id)
        item = db.session.get(SlaRecord, item.supersedes_id) if item.supersedes_id else None
    return found


def truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str | int) and str(value).strip().lower() in TRUE_WORDS


def clean(form: Mapping, *, existing: SlaRecord | None = None, has_document: bool = False) -> dict:
    """The checked values of a record; ``existing`` when editing."""
    check = _Checker(form)
    out = {
        "title": check.text("title", "Title", maximum=200, required=True),
        "commissioner_ref": check.text("commissioner_ref", "Commissioner's reference", maximum=50),
        "service_type": check.choice("service_type", "Service type", v.SERVICE_TYPE_NAMES),
        "tags": check.text("tags", "Tags", maximum=300),
        "scheme_type": check.choice(
            "scheme_type", "Scheme type", v.SCHEME_TYPES, default="lcs_les"
        ),
        "nation": check.choice("nation", "Nation", v.NATIONS),
        "commissioner_type": check.choice(
            "commissioner_type", "Commissioner type", v.COMMISSIONER_TYPES
        ),
        "commissioner_name": check.text(
            "commissioner_name", "Commissioner", maximum=200, required=True
        ),
        "commissioner_code": check.text("commissioner_code", "Commissioner code", maximum=10),
        "place": check.text("place", "Place", maximum=120),
        "lmc_id": _lmc(check),
        "provider_level": check.choice(
            "provider_level", "Provider level", v.PROVIDER_LEVELS, default="practice"
        ),
        "provider_eligibility": check.text(
            "provider_eligibility", "Provider eligibility", maximum=2000, multiline=True
        ),
        "summary": check.text("summary", "Summary", maximum=2000, required=True, multiline=True),
        "inclusions": check.text("inclusions", "Inclusions", maximum=4000, multiline=True),
        "exclusions": check.text("exclusions", "Exclusions", maximum=4000, multiline=True),
        "financial_year": _year(check),
        "start_date": check.day("start_date", "Start date"),
        "end_date": check.day("end_date", "End date"),
        "review_date": check.day("review_date", "Review date"),
        "sign_up_deadline": check.day("sign_up_deadline", "Sign-up deadline"),
        "duration_type": check.choice(
            "duration_type", "Duration", v.DURATION_TYPES, required=False
        ),
        "status": check.choice("status", "Status", v.STATUSES, default="active"),
        "version": check.text("version", "Version", maximum=20),
        "payment_model": check.choice("payment_model", "Payment model", v.PAYMENT_MODELS),
        "block_value_gbp": check.money(
            form.get("block_value_gbp"), "Block value", maximum=MAX_BLOCK_GBP
        ),
        "activity_cap": check.text("activity_cap", "Activity cap", maximum=120),
        "uplift_pct": check.number("uplift_pct", "Uplift", low=-100, high=100, decimal=True),
        "payment_frequency": check.choice(
            "payment_frequency", "Payment frequency", v.PAYMENT_FREQUENCIES, required=False
        ),
        "claim_method": check.choice(
            "claim_method", "Claim method", v.CLAIM_METHODS, required=False
        ),
        "equipment_supplied_by": check.choice(
            "equipment_supplied_by", "Equipment supplied by", v.EQUIPMENT_SUPPLIERS, required=False
        ),
        "reporting_requirements": check.text(
            "reporting_requirements", "Reporting requirements", maximum=4000, multiline=True
        ),
        "training_requirements": check.text(
            "training_requirements", "Training requirements", maximum=4000, multiline=True
        ),
        "notice_period_days": check.number("notice_period_days", "Notice period", low=0, high=3650),
        "notice_party": check.choice(
            "notice_party", "Who can give notice", v.NOTICE_PARTIES, required=False
        ),
        "termination_notes": check.text(
            "termination_notes", "Termination notes", maximum=4000, multiline=True
        ),
        "source_url": _url(check),
        "redaction_confirmed": truthy(form.get("redaction_confirmed")),
        "visibility": check.choice(
            "visibility", "Who can see it", v.VISIBILITIES, default="all_members"
        ),
        "lmc_rag": check.choice("lmc_rag", "LMC RAG rating", v.RAG, required=False),
        "lmc_commentary": check.text(
            "lmc_commentary", "LMC commentary", maximum=4000, multiline=True
        ),
        "negotiation_notes": check.text(
            "negotiation_notes", "Negotiation notes", maximum=4000, multiline=True
        ),
        "last_verified_at": check.day("last_verified_at", "Last verified"),
        "tariffs": _tariffs(check),
        "kpis": _kpis(check),
        "supersedes": _supersedes(check, existing),
    }
    accreditations = []
    for tag in values(form, "accreditations"):
        if not isinstance(tag, str) or tag not in v.ACCREDITATIONS:
            check.errors.append(f"Accreditation: {str(tag)[:40]!r} is not one of the choices.")
        elif tag not in accreditations:
            accreditations.append(tag)
    out["accreditations"] = accreditations
    nation = out["nation"]
    region = check.form.get("region") or (
        nation if nation and len(v.REGIONS.get(nation, {})) == 1 else ""
    )
    if nation and region not in v.REGIONS.get(nation, {}):
        check.errors.append(
            f"Region: {str(region)[:40]!r} is not a region of {v.NATIONS[nation]}."
            if region
            else "Region is required."
        )
    out["region"] = region
    start, end = out["start_date"], out["end_date"]
    if start and end and end < start:
        check.errors.append("End date: it cannot be before the start date.")
    if out["payment_model"] == "block":
        if out["block_value_gbp"] is None and not out["tariffs"]:
            check.errors.append("Block value: give the block's value, or a tariff per year.")
    elif (
        out["payment_model"]
        and not out["tariffs"]
        and not any(m.startswith("Tariff") for m in check.errors)
    ):
        check.errors.append("Tariffs: give at least one price, with what it is paid per.")
    document_present = has_document or (existing is not None and existing.document_id)
    if document_present and not out["redaction_confirmed"]:
        check.errors.append(
            "Confirm that the document holds nothing that identifies a practice or a patient."
        )
    if check.errors:
        raise ValidationFailed(*check.errors)
    return out
