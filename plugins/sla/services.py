"""Adding and changing SLA records: the only code that writes ``sla_record``.

The pages, the JSON API, the new-topic composer ("share an SLA") and the spreadsheet import
all go through :func:`create` and :func:`update`, so they share one set of checks
(:mod:`plugins.sla.fields`), the document rules (:mod:`forum.files`, as the Resource Centre
applies them) and the search index. A refused record leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy import update as sql_update

from forum import files, search
from forum.database import utcnow, write_unit
from forum.errors import InvalidAccess, ValidationFailed
from forum.extensions import db

from . import access
from .fields import clean
from .models import SlaAccreditation, SlaDocument, SlaKpi, SlaRecord, SlaTariff

SEARCH_KIND = "sla.record"
#: Kinds a specification document may be.
DOCUMENT_KINDS = ("pdf", "docx", "odt", "rtf", "txt")
#: Statuses that end when the end date passes (``flask forum sla expire``).
EXPIRING = ("active",)


@dataclass
class Upload:
    """A document someone sent: its stream and the name their computer gave it."""

    stream: object
    filename: str


def storage_dir() -> Path:
    configured = current_app.config.get("SLA_STORAGE_DIR")
    folder = Path(configured or os.path.join(current_app.config["DATA_DIR"], "sla"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def document_path(document: SlaDocument) -> Path:
    return files.path_in(storage_dir(), document.sha256)


def _store(upload: Upload) -> tuple[SlaDocument, str]:
    """Receive, check and keep a specification document (stored once by content)."""
    limit = current_app.config["SLA_MAX_UPLOAD_BYTES"]
    received = files.receive(upload.stream, storage_dir(), limit)
    try:
        kind = files.sniff(received.path, upload.filename or "")
        if kind.key not in DOCUMENT_KINDS:
            raise files.RefusedFile(
                f"A specification must be a PDF, Word, OpenDocument, RTF or text file, not "
                f"{kind.label.lower()}."
            )
    except files.RefusedFile as refused:
        received.discard()
        raise ValidationFailed(str(refused)) from None
    except BaseException:
        received.discard()
        raise
    document = db.session.scalar(select(SlaDocument).where(SlaDocument.sha256 == received.sha256))
    if document is None:
        files.place(received, storage_dir())
        document = SlaDocument(
            sha256=received.sha256, size=received.size, kind=kind.key, mime=kind.mime
        )
        db.session.add(document)
        db.session.flush()
    else:
        received.discard()
    return document, files.safe_filename(upload.filename or "", kind)


#: Fields copied as they are from the checked values onto the record.
PLAIN = (
    "title", "commissioner_ref", "service_type", "tags", "scheme_type", "nation", "region",
    "commissioner_type", "commissioner_name", "commissioner_code", "place", "lmc_id",
    "provider_level", "provider_eligibility", "summary", "inclusions", "exclusions",
    "financial_year", "start_date", "end_date", "review_date", "sign_up_deadline",
    "duration_type", "status", "version", "payment_model", "block_value_gbp", "activity_cap",
    "uplift_pct", "payment_frequency", "claim_method", "equipment_supplied_by",
    "reporting_requirements", "training_requirements", "notice_period_days", "notice_party",
    "termination_notes", "source_url", "redaction_confirmed", "visibility", "lmc_rag",
    "lmc_commentary", "negotiation_notes", "last_verified_at",
)  # fmt: skip


def _apply(record: SlaRecord, values: Mapping) -> None:
    for name in PLAIN:
        setattr(record, name, values[name])
    record.tariffs = [SlaTariff(position=n, **t) for n, t in enumerate(values["tariffs"])]
    record.kpis = [SlaKpi(position=n, **k) for n, k in enumerate(values["kpis"])]
    record.accreditations = [SlaAccreditation(tag=tag) for tag in values["accreditations"]]
    first = values["tariffs"][0] if values["tariffs"] else None
    record.primary_tariff_gbp = first["amount_gbp"] if first else None
    record.primary_tariff_unit = first["unit"] if first else ""
    record.accreditation_needed = bool(values["accreditations"])
    superseded = values["supersedes"]
    record.supersedes_id = superseded.id if superseded is not None else None


def _supersede(older: SlaRecord | None) -> None:
    if older is not None and older.status != "superseded":
        older.status = "superseded"
        older.updated_at = utcnow()
        search.changed(SEARCH_KIND, [older.id])


def _checked(user, form, existing, document) -> dict:
    values = clean(form, existing=existing, has_document=document is not None)
    older = values["supersedes"]
    if older is not None and not access.can_see(user, older):  # not even its title
        raise ValidationFailed(f"Supersedes: there is no SLA record {form.get('supersedes')!r}.")
    return values


def create(
    user, form: Mapping, document: Upload | None = None, *, is_demo=False, commit=True
) -> SlaRecord:
    """Add a record; raises :class:`ValidationFailed` with every problem. With ``commit``
    false the caller's transaction owns it (a refusal undoes only this record)."""
    if not access.can_submit(user):
        raise InvalidAccess("Only LMC officers, LMC staff and moderators can add SLA records.")
    values = _checked(user, form, None, document)
    with write_unit(commit):
        record = SlaRecord(submitted_by_id=user.id, is_demo=is_demo)
        if document is not None:
            record.document, record.document_name = _store(document)
            record.has_document = True
        _apply(record, values)
        db.session.add(record)
        db.session.flush()
        _supersede(values["supersedes"])
        search.changed(SEARCH_KIND, [record.id])
    access.forget()
    return record


def update(user, record: SlaRecord, form: Mapping, document: Upload | None = None) -> None:
    """Change a record (its submitter or staff); a new document replaces the old one."""
    if not access.can_edit(user, record):
        raise InvalidAccess("Only the record's submitter or a moderator can change it.")
    values = _checked(user, form, record, document)
    try:
        if document is not None:
            record.document, record.document_name = _store(document)
            record.has_document = True
        _apply(record, values)
        record.updated_at = utcnow()
        db.session.flush()
        _supersede(values["supersedes"])
        search.changed(SEARCH_KIND, [record.id])
        db.session.commit()
        access.forget()
    except BaseException:
        db.session.rollback()
        raise


def verify(user, record: SlaRecord) -> None:
    """Mark a record checked against its source today ("last verified")."""
    if not access.can_edit(user, record):
        raise InvalidAccess("Only the record's submitter or a moderator can verify it.")
    record.last_verified_at = date.today()
    record.verified_by_id = user.id
    record.updated_at = utcnow()
    db.session.commit()


def expire(today: date | None = None) -> int:
    """Mark active records past their end date ``expired``; returns how many."""
    today = today or date.today()
    ids = list(
        db.session.scalars(
            select(SlaRecord.id).where(SlaRecord.status.in_(EXPIRING), SlaRecord.end_date < today)
        )
    )
    if ids:
        db.session.execute(
            sql_update(SlaRecord)
            .where(SlaRecord.id.in_(ids))
            .values(status="expired", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        search.changed(SEARCH_KIND, ids)
    db.session.commit()
    return len(ids)


def form_values(record: SlaRecord) -> dict:
    """The record's present values in the shape :func:`plugins.sla.fields.clean` reads: the
    edit form starts from them, and an API change overlays only the fields it gives."""
    out = {name: getattr(record, name) for name in PLAIN if name != "lmc_id"}
    out["lmc"] = record.lmc_id
    out["tariffs"] = [
        {"label": t.label, "amount_gbp": str(t.amount_gbp), "unit": t.unit, "notes": t.notes}
        for t in record.tariffs
    ]
    out["kpis"] = [{"name": k.name, "target": k.target, "measure": k.measure} for k in record.kpis]
    out["accreditations"] = record.accreditation_keys
    out["supersedes"] = str(record.supersedes_id) if record.supersedes_id else None
    for name in ("block_value_gbp", "uplift_pct"):
        out[name] = str(out[name]) if out[name] is not None else None
    return out
