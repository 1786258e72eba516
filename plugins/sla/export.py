"""The tracker's CSV export: the filtered list as a spreadsheet, for officers preparing a
negotiation.

:data:`COLUMNS` names the columns; :func:`lines` turns records into CSV text a chunk at a
time (the view streams it). Every cell goes through :func:`safe_cell`, so a title such as
``=HYPERLINK("…")`` is shown as text by Excel, never run as a formula. The text starts with
a byte-order mark so Excel reads it as UTF-8. The negotiation notes column is there only for
officers (``with_notes``), and every row ends with a reminder that the records are not
like-for-like.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from . import vocabulary as v
from .compare import tariffs_text

#: Excel's clue that the file is UTF-8.
BOM = "\ufeff"
#: What a cell may not start with: Excel and other spreadsheets take these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows written per chunk of the stream (and fetched from the database per batch).
CHUNK = 500
NOTE = "Not like-for-like: read inclusions before comparing prices"

#: ``(key, heading)`` in order; ``negotiation_notes`` only for officers.
COLUMNS = (
    ("id", "ID"),
    ("title", "Title"),
    ("service_type", "Service type"),
    ("nation", "Nation"),
    ("region", "Region"),
    ("commissioner_type", "Commissioner type"),
    ("commissioner", "Commissioner"),
    ("lmc", "LMC"),
    ("provider_level", "Provider level"),
    ("financial_year", "Financial year"),
    ("start_date", "Start"),
    ("end_date", "End"),
    ("status", "Status"),
    ("payment_model", "Payment model"),
    ("tariffs", "Tariffs"),
    ("inclusions", "Inclusions"),
    ("exclusions", "Exclusions"),
    ("activity_cap", "Activity cap"),
    ("claim_method", "Claim method"),
    ("equipment_supplied_by", "Equipment supplied by"),
    ("accreditation", "Accreditation"),
    ("notice_period_days", "Notice period (days)"),
    ("rag", "LMC RAG rating"),
    ("commentary", "LMC commentary"),
    ("negotiation_notes", "Negotiation notes (officers only)"),
    ("last_verified", "Last verified"),
    ("url", "Link"),
    ("note", "Note"),
)


def safe_cell(value) -> str:
    """``value`` as text a spreadsheet will not run: a leading ``'`` before ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def columns(with_notes: bool) -> list[tuple[str, str]]:
    return [c for c in COLUMNS if with_notes or c[0] != "negotiation_notes"]


def filename(today: date | None = None) -> str:
    return f"sla-tracker-{(today or date.today()).isoformat()}.csv"


def _values(record, lmc_names: Mapping[int, str], url_prefix: str) -> dict:
    def label(options, key):
        return options.get(key, key) if key else ""

    return {
        "id": record.id,
        "title": record.title,
        "service_type": label(v.SERVICE_TYPE_NAMES, record.service_type),
        "nation": label(v.NATIONS, record.nation),
        "region": label(v.REGION_NAMES, record.region),
        "commissioner_type": label(v.COMMISSIONER_TYPES, record.commissioner_type),
        "commissioner": record.commissioner_name,
        "lmc": lmc_names.get(record.lmc_id, ""),
        "provider_level": label(v.PROVIDER_LEVELS, record.provider_level),
        "financial_year": record.financial_year,
        "start_date": record.start_date.isoformat() if record.start_date else "",
        "end_date": record.end_date.isoformat() if record.end_date else "",
        "status": label(v.STATUSES, record.status),
        "payment_model": label(v.PAYMENT_MODELS, record.payment_model),
        "tariffs": tariffs_text(record.tariffs),
        "inclusions": record.inclusions,
        "exclusions": record.exclusions,
        "activity_cap": record.activity_cap,
        "claim_method": label(v.CLAIM_METHODS, record.claim_method),
        "equipment_supplied_by": label(v.EQUIPMENT_SUPPLIERS, record.equipment_supplied_by),
        "accreditation": "; ".join(
            v.ACCREDITATIONS.get(tag, tag) for tag in record.accreditation_keys
        ),
        "notice_period_days": record.notice_period_days,
        "rag": label(v.RAG, record.lmc_rag),
        "commentary": record.lmc_commentary,
        "negotiation_notes": record.negotiation_notes,
        "last_verified": record.last_verified_at.isoformat() if record.last_verified_at else "",
        "url": f"{url_prefix}{record.id}",
        "note": NOTE,
    }


def row(record, *, with_notes: bool, lmc_names: Mapping[int, str], url_prefix: str) -> list:
    """One record's cells, each made safe."""
    values = _values(record, lmc_names, url_prefix)
    return [safe_cell(values[key]) for key, _heading in columns(with_notes)]


def lines(
    records: Iterable,
    *,
    with_notes: bool,
    lmc_names: Mapping[int, str],
    url_prefix: str,
    chunk: int = CHUNK,
) -> Iterator[str]:
    """The CSV text: the byte-order mark and headings, then ``chunk`` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([safe_cell(heading) for _key, heading in columns(with_notes)])
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    written = 0
    for record in records:
        writer.writerow(
            row(record, with_notes=with_notes, lmc_names=lmc_names, url_prefix=url_prefix)
        )
        written += 1
        if written % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
