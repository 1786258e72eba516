"""Importing SLA records from a spreadsheet saved as CSV (``flask forum sla import FILE.csv``
and the upload form at ``/sla/import`` share this module).

LMCs already keep these spreadsheets (Wales has an all-Wales one of enhanced services), so a
file is read the way Excel writes it:

* **Columns** are the fields :func:`plugins.sla.fields.clean` reads (:data:`RECORD_COLUMNS`),
  plus up to six tariffs (``tariff_1_label``, ``tariff_1_amount``, ``tariff_1_unit``,
  ``tariff_1_notes``, ``tariff_2_...``) and six KPIs (``kpi_1_name``, ``kpi_1_target``,
  ``kpi_1_measure``, ...). Header names are matched without regard to case, and spaces,
  hyphens and underscores are the same ("Tariff 1 amount" is ``tariff_1_amount``).
* **Cells** may hold a choice's key or its label ("Phlebotomy", "bloods", "England",
  "Per item"), in any case; ``accreditations`` is a comma-separated list; dates may be
  ``2024-04-01`` or ``01/04/2024``; amounts may have a decimal comma (``2,60``); ``lmc`` is
  an LMC's name (or its number). Every other cell is stored as the text it holds, formulas
  included, never evaluated.
* **Encodings**: UTF-8, with or without a byte order mark, else Windows-1252 (what older
  Excel saves as "CSV (Comma delimited)"); the delimiter is ``,`` or ``;``.

Nothing is half-imported: :func:`read` refuses a file whose header is wrong before any row is
looked at, :func:`validate` checks every row and names each bad row (its spreadsheet row
number, the header being row 1) and field, and :func:`import_rows` adds the records only when
every row is valid, all in one transaction. :func:`import_file` does all three and turns a
refusal into a :class:`Report`. None of it needs a request or click.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from forum.accounts.models import Organisation
from forum.errors import ForumError, ValidationFailed
from forum.extensions import db

from . import access, services
from . import vocabulary as v
from .fields import clean

#: The record's own columns, in the template's order.
RECORD_COLUMNS = (
    "title", "commissioner_ref", "service_type", "scheme_type", "nation", "region",
    "commissioner_type", "commissioner_name", "commissioner_code", "place", "lmc",
    "provider_level", "provider_eligibility", "summary", "inclusions", "exclusions",
    "financial_year", "start_date", "end_date", "review_date", "sign_up_deadline",
    "duration_type", "status", "version", "payment_model", "block_value_gbp", "activity_cap",
    "uplift_pct", "payment_frequency", "claim_method", "equipment_supplied_by",
    "reporting_requirements", "training_requirements", "notice_period_days", "notice_party",
    "termination_notes", "source_url", "visibility", "lmc_rag", "lmc_commentary",
    "negotiation_notes", "last_verified_at", "tags", "accreditations", "supersedes",
)  # fmt: skip
MAX_TARIFFS = 6
MAX_KPIS = 6
TARIFF_PARTS = ("label", "amount", "unit", "notes")
KPI_PARTS = ("name", "target", "measure")
TARIFF_COLUMNS = tuple(
    f"tariff_{n}_{part}" for n in range(1, MAX_TARIFFS + 1) for part in TARIFF_PARTS
)
KPI_COLUMNS = tuple(f"kpi_{n}_{part}" for n in range(1, MAX_KPIS + 1) for part in KPI_PARTS)
#: Every column a file may have.
COLUMNS = RECORD_COLUMNS + TARIFF_COLUMNS + KPI_COLUMNS
#: Columns every file must have (each row must fill them too).
REQUIRED_COLUMNS = (
    "title", "service_type", "nation", "commissioner_type", "commissioner_name", "lmc",
    "summary", "financial_year", "payment_model",
)  # fmt: skip

#: Encodings tried in order (``utf-8-sig`` reads UTF-8 with or without a byte order mark).
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = (",", ";")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_COLUMNS = ("start_date", "end_date", "review_date", "sign_up_deadline", "last_verified_at")
_DECIMAL_COMMA = re.compile(r"(£?\s*-?\d+),(\d{1,2})(\s*%?)")
_SEPARATORS = re.compile(r"[\s_\-–]+")


class ImportStopped(Exception):
    """The file cannot be imported at all (unreadable, a wrong header, too many rows, no one
    allowed to import); nothing was looked at further. ``messages`` are for the person."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass
class Row:
    """One line of records: its spreadsheet row number and its cells by column name."""

    number: int
    cells: dict[str, str]
    #: Cells past the named columns (a stray delimiter, or a column without a heading).
    extra: int = 0


@dataclass
class Sheet:
    """A file read and its header checked; blank rows are left out (numbers still count
    them, as the spreadsheet does)."""

    columns: list[str]
    rows: list[Row]
    encoding: str = "utf-8"
    delimiter: str = ","
    #: The heading each column had in the file, for messages.
    headings: dict[str, str] = field(default_factory=dict)


@dataclass
class Problem:
    """What is wrong: on spreadsheet ``row`` (``None``: the file itself), in ``column``."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row is not None else "The file"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Report:
    """What checking (and importing) a file found: the rows checked, every problem, and the
    records added (none unless every row was valid and it was not a dry run)."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    dry_run: bool = False
    forms: list[dict] = field(default_factory=list, repr=False)
    numbers: list[int] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> int:
        return len(self.created)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row is not None})

    @property
    def stopped(self) -> bool:
        """Whether the file itself was refused (before its rows were checked)."""
        return any(p.row is None for p in self.problems)

    def summary(self) -> str:
        if self.stopped:
            return "The file could not be imported. Nothing was imported."
        if self.problems:
            return (
                f"{_count(len(self.bad_rows), 'row')} of {self.checked:,} "
                f"{'has' if len(self.bad_rows) == 1 else 'have'} problems. Nothing was "
                "imported: correct them and import the whole file again."
            )
        if self.dry_run:
            return f"All {_count(self.checked, 'row')} are valid. Nothing was imported (dry run)."
        return f"Imported {_count(self.imported, 'record')}."

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


# -- Reading ----------------------------------------------------------------------------------


def column_name(heading: str) -> str:
    """A heading as a column name: ``"Tariff 1 amount"`` is ``tariff_1_amount``."""
    return _SEPARATORS.sub("_", heading.strip().lower()).strip("_")


def _bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise ImportStopped(
                f"The file {source} could not be read: {error.strerror or error}."
            ) from None
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportStopped(
            "This is an Excel workbook, not a CSV file. In Excel choose File › Save As and "
            "“CSV UTF-8 (Comma delimited)”, then import that file."
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise ImportStopped(
        "This file is not a CSV text file (it is neither UTF-8 nor Windows-1252 text). Save "
        "it from Excel as “CSV UTF-8 (Comma delimited)”."
    )


def _delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (Excel in much of
    Europe), else ``,``."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _check_header(headings: list[str]) -> tuple[list[str], dict[str, str]]:
    columns = [column_name(h) for h in headings]
    problems = []
    unknown = [h for h, c in zip(headings, columns, strict=True) if c and c not in COLUMNS]
    if unknown:
        named = []
        for heading in unknown:
            near = difflib.get_close_matches(column_name(heading), COLUMNS, n=1, cutoff=0.8)
            named.append(f"“{heading}”" + (f" (did you mean {near[0]}?)" if near else ""))
        problems.append(
            "These columns are not SLA fields: "
            + ", ".join(named)
            + ". Use the column names of the template."
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        problems.append("These columns appear more than once: " + ", ".join(repeated) + ".")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append("These required columns are missing: " + ", ".join(missing) + ".")
    if problems:
        raise ImportStopped(*problems, "Nothing was imported.")
    return columns, {c: h.strip() for c, h in zip(columns, headings, strict=True) if c}


def read(source, *, max_rows: int | None = None) -> Sheet:
    """Read a CSV file (a path, bytes or a binary stream) and check its header; raises
    :class:`ImportStopped` when it cannot be read, its header is wrong, or it holds more
    than ``max_rows`` records (default ``SLA_IMPORT_MAX_ROWS``)."""
    if max_rows is None:
        max_rows = int(current_app.config["SLA_IMPORT_MAX_ROWS"])
    text, encoding = _text(_bytes(source))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ImportStopped("The file's first row must name the columns; it is empty.")
        columns, headings = _check_header(header)
        width = len(columns)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank rows, as spreadsheets leave at the end
            if len(rows) == max_rows:
                raise ImportStopped(
                    f"The file has more than {max_rows:,} rows of records; at most "
                    f"{max_rows:,} can be imported at once. Split it into smaller files."
                )
            named = {c: cell for c, cell in zip(columns, cells, strict=False) if c}
            extra = sum(
                1 for i, cell in enumerate(cells) if cell.strip() and (i >= width or not columns[i])
            )
            rows.append(Row(number, named, extra))
    except csv.Error as error:
        raise ImportStopped(
            f"The file could not be read as CSV near line {reader.line_num} (a cell may be "
            f"far too long, or a quotation mark not closed): {error}."
        ) from None
    return Sheet(columns, rows, encoding, delimiter, headings)


# -- From cells to a form ---------------------------------------------------------------------


def _normal(text: str) -> str:
    return _SEPARATORS.sub(" ", str(text).strip().lower()).strip()


def _lookup(options: Mapping[str, str], extra=()) -> dict[str, str]:
    """``{normalised key, label or alias: key}``."""
    found: dict[str, str] = {}
    for key, label in options.items():
        for word in (key, label, label.split(" (")[0]):
            found.setdefault(_normal(word), key)
    for key, words in extra:
        for word in words:
            found.setdefault(_normal(word), key)
    return found


#: Enumerated columns whose cells may hold a label (or an alias) instead of a key.
CHOICES = {
    "service_type": v.SERVICE_TYPE_NAMES,
    "scheme_type": v.SCHEME_TYPES,
    "nation": v.NATIONS,
    "commissioner_type": v.COMMISSIONER_TYPES,
    "provider_level": v.PROVIDER_LEVELS,
    "duration_type": v.DURATION_TYPES,
    "status": v.STATUSES,
    "payment_model": v.PAYMENT_MODELS,
    "payment_frequency": v.PAYMENT_FREQUENCIES,
    "claim_method": v.CLAIM_METHODS,
    "equipment_supplied_by": v.EQUIPMENT_SUPPLIERS,
    "notice_party": v.NOTICE_PARTIES,
    "visibility": v.VISIBILITIES,
    "lmc_rag": v.RAG,
    "accreditations": v.ACCREDITATIONS,
    "region": v.REGION_NAMES,
    "tariff_unit": v.TARIFF_UNITS,
}
_LOOKUPS = {
    name: _lookup(
        options,
        [(slug, aliases) for slug, _name, aliases in v.SERVICE_TYPES]
        if name == "service_type"
        else (),
    )
    for name, options in CHOICES.items()
}
_REGION_LOOKUPS = {nation: _lookup(regions) for nation, regions in v.REGIONS.items()}


def choice_key(column: str, value: str, *, nation: str = "") -> str:
    """A cell's value as a stored key (``"Per item"`` is ``per_item``); a value that is
    neither a key nor a label is returned as it is, for :func:`clean` to refuse."""
    lookup = _LOOKUPS[column]
    if column == "region" and nation in _REGION_LOOKUPS:
        lookup = _REGION_LOOKUPS[nation]
    return lookup.get(_normal(value), value)


def _day(value: str) -> str:
    """``01/04/2024`` (as Excel writes a UK date) as ``2024-04-01``; anything else as is."""
    match = _UK_DATE.fullmatch(value)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return value


def _decimal(value: str) -> str:
    """``2,60`` (a decimal comma, as Excel writes in much of Europe) as ``2.60``, so it is not
    read as 260; ``1,000`` (three digits after the comma) stays a thousands separator."""
    match = _DECIMAL_COMMA.fullmatch(value)
    return f"{match[1]}.{match[2]}{match[3]}" if match else value


def _lmc_ids(sheet: Sheet) -> dict[str, int]:
    """``{lower-case LMC name: id}`` for every name the file uses, in one query."""
    names = {row.cells.get("lmc", "").strip().lower() for row in sheet.rows if row.cells.get("lmc")}
    names.discard("")
    found: dict[str, int] = {}
    wanted = sorted(names)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            (name.lower(), id_)
            for id_, name in db.session.execute(
                select(Organisation.id, Organisation.name).where(
                    func.lower(Organisation.name).in_(chunk)
                )
            )
        )
    return found


def _form(row: Row, lmcs: Mapping[str, int]) -> tuple[dict, list[int], list[int]]:
    """A row's cells as the form :func:`clean` reads, and the spreadsheet numbers of the
    tariffs and KPIs given (clean numbers them 1, 2, ... in order)."""
    cells = {name: value.strip() for name, value in row.cells.items()}
    form: dict = {}
    for name in RECORD_COLUMNS:
        value = cells.get(name, "")
        if value == "":
            continue
        if name in _DATE_COLUMNS:
            value = _day(value)
        elif name in ("block_value_gbp", "uplift_pct"):
            value = _decimal(value)
        elif name == "accreditations":
            value = [choice_key(name, part) for part in value.split(",") if part.strip()]
        elif name == "lmc":
            value = lmcs.get(value.lower(), value)
        elif name in CHOICES and name != "region":
            value = choice_key(name, value)
        form[name] = value
    if "region" in form:
        form["region"] = choice_key("region", form["region"], nation=form.get("nation", ""))
    tariffs, tariff_numbers = [], []
    for n in range(1, MAX_TARIFFS + 1):
        parts = {part: cells.get(f"tariff_{n}_{part}", "") for part in TARIFF_PARTS}
        if any(parts.values()):
            unit = parts["unit"]
            tariffs.append(
                {
                    "label": parts["label"],
                    "amount_gbp": _decimal(parts["amount"]),
                    "unit": choice_key("tariff_unit", unit) if unit else "",
                    "notes": parts["notes"],
                }
            )
            tariff_numbers.append(n)
    kpis, kpi_numbers = [], []
    for n in range(1, MAX_KPIS + 1):
        parts = {part: cells.get(f"kpi_{n}_{part}", "") for part in KPI_PARTS}
        if any(parts.values()):
            kpis.append(parts)
            kpi_numbers.append(n)
    form["tariffs"] = tariffs
    form["kpis"] = kpis
    return form, tariff_numbers, kpi_numbers


#: The labels :func:`clean` starts its messages with, and the column each names.
_LABEL_COLUMNS = {
    "Title": "title",
    "Commissioner's reference": "commissioner_ref",
    "Service type": "service_type",
    "Tags": "tags",
    "Scheme type": "scheme_type",
    "Nation": "nation",
    "Region": "region",
    "Commissioner type": "commissioner_type",
    "Commissioner": "commissioner_name",
    "Commissioner code": "commissioner_code",
    "Place": "place",
    "LMC": "lmc",
    "Provider level": "provider_level",
    "Provider eligibility": "provider_eligibility",
    "Summary": "summary",
    "Inclusions": "inclusions",
    "Exclusions": "exclusions",
    "Financial year": "financial_year",
    "Start date": "start_date",
    "End date": "end_date",
    "Review date": "review_date",
    "Sign-up deadline": "sign_up_deadline",
    "Duration": "duration_type",
    "Status": "status",
    "Version": "version",
    "Payment model": "payment_model",
    "Block value": "block_value_gbp",
    "Activity cap": "activity_cap",
    "Uplift": "uplift_pct",
    "Payment frequency": "payment_frequency",
    "Claim method": "claim_method",
    "Equipment supplied by": "equipment_supplied_by",
    "Reporting requirements": "reporting_requirements",
    "Training requirements": "training_requirements",
    "Notice period": "notice_period_days",
    "Who can give notice": "notice_party",
    "Termination notes": "termination_notes",
    "Source link": "source_url",
    "Who can see it": "visibility",
    "LMC RAG rating": "lmc_rag",
    "LMC commentary": "lmc_commentary",
    "Negotiation notes": "negotiation_notes",
    "Last verified": "last_verified_at",
    "Accreditation": "accreditations",
    "Supersedes": "supersedes",
    "Tariffs": "tariff_1_amount",
    "KPIs": "kpi_1_name",
}
_LABELS_LONGEST_FIRST = sorted(_LABEL_COLUMNS, key=len, reverse=True)
_NUMBERED = re.compile(r"(Tariff|KPI) (\d+):")


def _column_of(message: str, tariffs: list[int], kpis: list[int]) -> str:
    """The column a message from :func:`clean` is about (``""`` when it names none)."""
    numbered = _NUMBERED.match(message)
    if numbered:
        kind, index = numbered[1], int(numbered[2])
        numbers = tariffs if kind == "Tariff" else kpis
        n = numbers[index - 1] if 0 < index <= len(numbers) else index
        if kind == "KPI":
            return f"kpi_{n}_name"
        rest = message[numbered.end() :]
        return f"tariff_{n}_{'unit' if 'unit' in rest or 'paid per' in rest else 'amount'}"
    for label in _LABELS_LONGEST_FIRST:
        if message.startswith(label) and message[len(label) : len(label) + 1] in (":", " "):
            if message[len(label) :].startswith((":", " is ")):
                return _LABEL_COLUMNS[label]
    return ""


# -- Checking and importing -------------------------------------------------------------------


def validate(sheet: Sheet, user) -> Report:
    """Check every row as :func:`plugins.sla.services.create` would; the report lists every
    problem, and holds the rows' forms for :func:`import_rows` when there are none."""
    report = Report(checked=len(sheet.rows))
    if not access.can_submit(user):
        report.problems.append(
            Problem(None, "", "Only LMC officers, LMC staff and moderators can add SLA records.")
        )
        return report
    if not sheet.rows:
        report.problems.append(
            Problem(None, "", "The file has no rows of records under its header.")
        )
        return report
    lmcs = _lmc_ids(sheet)
    for row in sheet.rows:
        form, tariffs, kpis = _form(row, lmcs)
        if row.extra:
            report.problems.append(
                Problem(
                    row.number,
                    "",
                    "This row has values beyond the named columns: check for a stray comma "
                    "or semicolon, or a column without a heading.",
                )
            )
        try:
            values = clean(form)
        except ValidationFailed as refused:
            for message in refused.messages:
                column = _column_of(message, tariffs, kpis)
                heading = sheet.headings.get(column, column)
                report.problems.append(Problem(row.number, heading, message))
            continue
        older = values["supersedes"]
        if older is not None and not access.can_see(user, older):
            report.problems.append(
                Problem(
                    row.number,
                    sheet.headings.get("supersedes", "supersedes"),
                    f"Supersedes: there is no SLA record {form.get('supersedes')!r}.",
                )
            )
            continue
        report.forms.append(form)
        report.numbers.append(row.number)
    if report.problems:
        report.forms, report.numbers = [], []
    return report


def import_rows(sheet: Sheet, user, *, dry_run: bool = False) -> Report:
    """Check every row, then, when all are valid (and not ``dry_run``), add them all in one
    transaction: any refusal on the way rolls back every one."""
    report = validate(sheet, user)
    report.dry_run = dry_run
    if not report.ok or dry_run:
        return report
    try:
        for form in report.forms:
            record = services.create(user, form, commit=False)
            report.created.append(record.id)
        db.session.commit()
    except ForumError as refused:  # a record changed or went since the rows were checked
        db.session.rollback()
        number = report.numbers[len(report.created)]
        report.created = []
        report.problems.extend(Problem(number, "", message) for message in refused.messages)
    except BaseException:
        db.session.rollback()
        report.created = []
        raise
    finally:
        report.forms, report.numbers = [], []
    return report


def import_file(source, user, *, dry_run: bool = False) -> Report:
    """Read, check and (unless ``dry_run``) import a file; a refused file is a report with
    the reasons, never an exception."""
    try:
        sheet = read(source)
    except ImportStopped as stopped:
        return Report(problems=[Problem(None, "", m) for m in stopped.messages], dry_run=dry_run)
    return import_rows(sheet, user, dry_run=dry_run)


# -- The template -----------------------------------------------------------------------------

#: The template's example row: the demo phlebotomy record (domain.md §6.5, record 1).
EXAMPLE = {
    "title": "Phlebotomy LCS 2024/25 v2.0",
    "commissioner_ref": "TRE-LCS014",
    "service_type": "phlebotomy",
    "scheme_type": "lcs_les",
    "nation": "england",
    "region": "midlands",
    "commissioner_type": "icb",
    "commissioner_name": "NHS Trentside ICB",
    "lmc": "Nottinghamshire LMC",
    "provider_level": "practice",
    "summary": (
        "Practices take bloods for their own registered patients, adults and children aged "
        "12 and over, including bloods requested by the hospital."
    ),
    "inclusions": "Adults and children aged 12 and over; hospital-requested bloods.",
    "exclusions": "Trial bloods.",
    "financial_year": "2024/25",
    "start_date": "2024-04-01",
    "end_date": "2025-03-31",
    "review_date": "2025-01-31",
    "duration_type": "annual",
    "status": "active",
    "version": "2.0",
    "payment_model": "per_item",
    "payment_frequency": "quarterly",
    "claim_method": "icb_portal",
    "equipment_supplied_by": "practice",
    "notice_period_days": "90",
    "notice_party": "either",
    "visibility": "all_members",
    "tags": "bloods, venepuncture",
    "accreditations": "phlebotomy_training",
    "tariff_1_label": "Sample",
    "tariff_1_amount": "2.60",
    "tariff_1_unit": "per_sample",
    "kpi_1_name": "Sample rejection rate",
    "kpi_1_target": "under 2%",
    "kpi_1_measure": "Rejected samples as a share of samples sent, each quarter",
}


def template_csv() -> str:
    """The template to download: every column, and the demo phlebotomy record as an
    example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE.get(name, "") for name in COLUMNS])
    return out.getvalue()


@dataclass(frozen=True)
class ColumnHelp:
    """What the import page says about a column."""

    name: str
    required: bool
    description: str
    choices: Mapping[str, str] | None = None


def _help() -> list[ColumnHelp]:
    described = {
        "title": "A short name, e.g. “Phlebotomy LCS 2024/25 v2.0”.",
        "commissioner_ref": "The commissioner's reference for the agreement.",
        "service_type": "What the service is. A name or a word people use (“bloods”) works.",
        "scheme_type": "What kind of scheme. Blank means a locally commissioned service.",
        "nation": "Which nation it is in.",
        "region": "The region (in England, required); blank elsewhere.",
        "commissioner_type": "Who commissions it.",
        "commissioner_name": "The commissioner's name, e.g. “NHS Trentside ICB”.",
        "commissioner_code": "The commissioner's ODS code, if you have it.",
        "place": "A place within the commissioner's area, if it applies only there.",
        "lmc": "The LMC's name exactly as on this site, e.g. “Nottinghamshire LMC”.",
        "provider_level": "Who provides it. Blank means practices.",
        "provider_eligibility": "Who may sign up.",
        "summary": "Two or three sentences on what is provided.",
        "inclusions": "What and who is included.",
        "exclusions": "What and who is not.",
        "financial_year": "Written as 2024/25.",
        "start_date": "A date: 2024-04-01 or 01/04/2024.",
        "end_date": "A date, not before the start date.",
        "review_date": "When it is due for review.",
        "sign_up_deadline": "The last day practices can sign up.",
        "duration_type": "How long it runs.",
        "status": "Blank means active.",
        "version": "The version of the specification, e.g. 2.0.",
        "payment_model": "How it is paid. Every model but block needs at least one tariff.",
        "block_value_gbp": "For a block contract: its value in pounds.",
        "activity_cap": "Any cap on activity, in words.",
        "uplift_pct": "This year's uplift as a percentage.",
        "payment_frequency": "How often it is paid.",
        "claim_method": "How practices claim.",
        "equipment_supplied_by": "Who supplies equipment and consumables.",
        "reporting_requirements": "What practices must report.",
        "training_requirements": "What training staff need.",
        "notice_period_days": "The notice period in days.",
        "notice_party": "Who can give notice.",
        "termination_notes": "Anything else about ending the agreement.",
        "source_url": "A link to the specification (https://...).",
        "visibility": "Who can see the record. Blank means all members.",
        "lmc_rag": "The LMC's rating.",
        "lmc_commentary": "The LMC's view, shown with the record.",
        "negotiation_notes": "Seen by LMC officers only.",
        "last_verified_at": "When the record was last checked against its source.",
        "tags": "Words to find it by, separated by commas.",
        "accreditations": "Training or accreditation needed, separated by commas.",
        "supersedes": "The number of the record this one replaces, if any.",
    }
    columns = [
        ColumnHelp(
            name,
            name in REQUIRED_COLUMNS,
            described[name],
            v.REGION_NAMES if name == "region" else CHOICES.get(name),
        )
        for name in RECORD_COLUMNS
    ]
    columns.append(
        ColumnHelp(
            f"tariff_1_label … tariff_{MAX_TARIFFS}_notes",
            False,
            f"Up to {MAX_TARIFFS} prices: tariff_N_label (what it is for), tariff_N_amount "
            "(pounds and pence, e.g. 2.60), tariff_N_unit (what it is paid per) and "
            "tariff_N_notes. A price always needs its unit.",
            v.TARIFF_UNITS,
        )
    )
    columns.append(
        ColumnHelp(
            f"kpi_1_name … kpi_{MAX_KPIS}_measure",
            False,
            f"Up to {MAX_KPIS} KPIs: kpi_N_name, kpi_N_target and kpi_N_measure.",
        )
    )
    return columns


COLUMN_HELP = _help()
