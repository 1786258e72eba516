"""The SLA tracker's JSON endpoints, on the plugin's blueprint (mounted at ``/sla``).

* ``GET /sla/records.json``: a page of the tracker with its facet counts, the same filters
  as the tracker page (:func:`plugins.sla.tracker.parse`: ``service_type`` (repeatable),
  ``nation``, ``region``, ``commissioner``, ``lmc``, ``year``, ``current``, ``status``,
  ``payment_model``, ``unit``, ``price_min``/``price_max`` (only with a ``unit``),
  ``provider_level``, ``commissioner_type``, ``accreditation``, ``has_document``, ``rag``,
  ``updated_since``, ``sort``, ``page``) plus ``per_page`` (1 to 100).
* ``GET /sla/<id>.json``: one record with every field.
* ``POST /sla/records.json``: add a record, from a JSON object (optionally wrapped as
  ``{"record": {...}}``) or a form (``multipart/form-data``, with the specification in a
  ``document`` part); answers 201 with the record.
* ``PUT /sla/<id>.json``: change a record; fields left out keep their values.

Everything goes through :mod:`~plugins.sla.access`, :mod:`~plugins.sla.tracker` and
:mod:`~plugins.sla.services`, the code behind the pages, so the JSON shows exactly what the
pages do: a record someone may not see is absent from lists and facet counts and answers the
same 404 as one that does not exist, and ``negotiation_notes`` is sent only to officers (left
out, not ``null``, for everyone else). Every answer carries the "not like-for-like" notice.
Errors are the core API's (``{"errors": [...], "error_type": ...}``): 400
``invalid_parameters`` naming a filter it cannot read, 422 listing every problem with a
record, 403 ``not_logged_in`` or ``invalid_access``, 413 past the upload limit.

Prices are sent as strings with pence (``"2.60"``) beside their unit, never as floats. In a
form, tariffs are parallel repeated fields (``tariff_label``, ``tariff_amount``,
``tariff_unit``, ``tariff_notes``) and KPIs likewise (``kpi_name``, ``kpi_target``,
``kpi_measure``); in JSON, lists of objects as :func:`record_json` sends them, so a client
may change what it read and send it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from flask import current_app, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forum.accounts.models import Organisation, User
from forum.api.params import body_params
from forum.api.serializers import timestamp
from forum.errors import InvalidAccess, NotFound, NotLoggedIn
from forum.extensions import db
from forum.facets import facets_json, next_page_url, per_page_param
from forum.uploads import accepts_files

from . import access, services, tracker
from . import vocabulary as v
from .models import SlaRecord
from .threads import record_url
from .views import bp

#: The list's facets, in the order they are sent (each is present, empty or not).
FACET_NAMES = ("service_type", "year", *tracker.ENUM_FACETS, "accreditation")
#: Form fields that take several values.
LIST_FIELDS = frozenset(
    {
        "accreditations",
        "tariff_label",
        "tariff_amount",
        "tariff_unit",
        "tariff_notes",
        "kpi_name",
        "kpi_target",
        "kpi_measure",
    }
)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def viewer():
    """The signed-in user or the anonymous visitor (the object, not Flask-Login's proxy)."""
    return current_user._get_current_object()


# -- Serializing ------------------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def document_url(record: SlaRecord) -> str:
    return url_for("sla.document", record_id=record.id)


def _document_json(record: SlaRecord) -> dict | None:
    stored = record.document
    if stored is None:
        return None
    return {
        "name": record.document_name,
        "size": stored.size,
        "kind": stored.kind,
        "mime": stored.mime,
        "download_url": document_url(record),
    }


def _tariffs(record: SlaRecord) -> list[dict]:
    return [
        {
            "label": tariff.label,
            "amount_gbp": _money(tariff.amount_gbp),
            "unit": tariff.unit,
            "unit_label": v.TARIFF_UNITS.get(tariff.unit, tariff.unit),
            "notes": tariff.notes,
        }
        for tariff in record.tariffs
    ]


def _labels(record: SlaRecord) -> dict:
    """Readable names of the record's enumerated values, for clients that show them."""
    return {
        "service_type": v.SERVICE_TYPE_NAMES.get(record.service_type, record.service_type),
        "scheme_type": v.SCHEME_TYPES.get(record.scheme_type, record.scheme_type),
        "nation": v.NATIONS.get(record.nation, record.nation),
        "region": v.REGION_NAMES.get(record.region, record.region),
        "commissioner_type": v.COMMISSIONER_TYPES.get(
            record.commissioner_type, record.commissioner_type
        ),
        "provider_level": v.PROVIDER_LEVELS.get(record.provider_level, record.provider_level),
        "status": v.STATUSES.get(record.status, record.status),
        "payment_model": v.PAYMENT_MODELS.get(record.payment_model, record.payment_model),
        "visibility": v.VISIBILITIES.get(record.visibility, record.visibility),
        "lmc_rag": v.RAG.get(record.lmc_rag) if record.lmc_rag else None,
    }


def lmc_names(records) -> dict[int, str]:
    """The names of the records' LMCs, in one query."""
    ids = {record.lmc_id for record in records}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return dict(rows.all())


def _version_link(user, record: SlaRecord | None) -> dict | None:
    """``{id, title, url}`` of an older or newer version, if ``user`` may see it."""
    if record is None or not access.can_see(user, record):
        return None
    return {"id": record.id, "title": record.title, "url": record_url(record.id)}


def _newer(user, record: SlaRecord) -> SlaRecord | None:
    return db.session.scalar(
        select(SlaRecord)
        .where(SlaRecord.supersedes_id == record.id, access.visible(user))
        .order_by(SlaRecord.id.desc())
        .limit(1)
    )


def _person(user_id: int | None) -> dict | None:
    person = db.session.get(User, user_id) if user_id else None
    if person is None:
        return None
    return {"id": person.id, "username": person.username, "name": person.name or None}


def record_json(record: SlaRecord, user, *, full: bool, lmcs: Mapping | None = None) -> dict:
    """A record as the API sends it: a summary for lists, or (``full``) every field.

    The caller has checked that ``user`` may see ``record``. Linked versions are named only
    if ``user`` may see them too; ``negotiation_notes`` is present only for officers.
    ``lmcs`` (``{id: name}``, from :func:`lmc_names`) saves a query per record in lists.
    """
    if lmcs is None:
        lmcs = lmc_names([record])
    data = {
        "id": record.id,
        "url": record_url(record.id),
        "title": record.title,
        "service_type": record.service_type,
        "scheme_type": record.scheme_type,
        "nation": record.nation,
        "region": record.region,
        "commissioner_type": record.commissioner_type,
        "commissioner_name": record.commissioner_name,
        "lmc": {"id": record.lmc_id, "name": lmcs.get(record.lmc_id)},
        "provider_level": record.provider_level,
        "summary": record.summary,
        "financial_year": record.financial_year,
        "start_date": _day(record.start_date),
        "end_date": _day(record.end_date),
        "status": record.status,
        "is_current": record.is_current,
        "payment_model": record.payment_model,
        "tariffs": _tariffs(record),
        "accreditation_needed": record.accreditation_needed,
        "has_document": record.has_document,
        "visibility": record.visibility,
        "lmc_rag": record.lmc_rag or None,
        "last_verified_at": _day(record.last_verified_at),
        "created_at": timestamp(record.created_at),
        "updated_at": timestamp(record.updated_at),
        "is_demo": record.is_demo,
        "discussion_topic_id": record.discussion_topic_id,
        "labels": _labels(record),
    }
    if not full:
        return data
    can_edit = access.can_edit(user, record)
    older = db.session.get(SlaRecord, record.supersedes_id) if record.supersedes_id else None
    data.update(
        {
            "commissioner_ref": record.commissioner_ref,
            "tags": record.tag_list,
            "commissioner_code": record.commissioner_code,
            "place": record.place,
            "provider_eligibility": record.provider_eligibility,
            "inclusions": record.inclusions,
            "exclusions": record.exclusions,
            "review_date": _day(record.review_date),
            "sign_up_deadline": _day(record.sign_up_deadline),
            "duration_type": record.duration_type or None,
            "version": record.version,
            "supersedes": _version_link(user, older),
            "superseded_by": _version_link(user, _newer(user, record)),
            "block_value_gbp": _money(record.block_value_gbp),
            "activity_cap": record.activity_cap,
            "uplift_pct": str(record.uplift_pct) if record.uplift_pct is not None else None,
            "payment_frequency": record.payment_frequency or None,
            "claim_method": record.claim_method or None,
            "equipment_supplied_by": record.equipment_supplied_by or None,
            "reporting_requirements": record.reporting_requirements,
            "training_requirements": record.training_requirements,
            "kpis": [
                {"name": kpi.name, "target": kpi.target, "measure": kpi.measure}
                for kpi in record.kpis
            ],
            "accreditations": record.accreditation_keys,
            "notice_period_days": record.notice_period_days,
            "notice_party": record.notice_party or None,
            "termination_notes": record.termination_notes,
            "document": _document_json(record),
            "source_url": record.source_url or None,
            "redaction_confirmed": record.redaction_confirmed,
            "lmc_commentary": record.lmc_commentary,
            "submitted_by": _person(record.submitted_by_id),
            "verified_by": _person(record.verified_by_id),
            "can_edit": can_edit,
            "notice": v.NOT_LIKE_FOR_LIKE,
        }
    )
    if access.sees_notes(user):
        data["negotiation_notes"] = record.negotiation_notes
    return data


# -- Reading what was sent --------------------------------------------------------------------


def _field_name(key: str) -> str:
    return key.removesuffix("[]")


def _form_fields(form: MultiDict) -> dict:
    """A form's fields as a dict: list fields keep every value (repeated, or ``name[]``),
    the others their last."""
    fields: dict = {}
    for key, given in form.lists():
        name = _field_name(key)
        if name in LIST_FIELDS:
            fields[name] = [*fields.get(name, []), *given]
        else:
            fields[name] = given[-1]
    return fields


def _round_trip(fields: dict) -> dict:
    """Accept back the shapes :func:`record_json` sends: tags as a list, the LMC and the
    older version as objects."""
    tags = fields.get("tags")
    if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
        fields["tags"] = ", ".join(tags)
    for name in ("lmc", "supersedes"):
        if isinstance(fields.get(name), Mapping):
            fields[name] = fields[name].get("id")
    return fields


def submitted() -> tuple[dict, services.Upload | None]:
    """The fields sent (a JSON object, optionally wrapped as ``{"record": {...}}``, or a
    form) and the uploaded document, if any."""
    if request.mimetype in FORM_TYPES:
        file = request.files.get("document")
        upload = services.Upload(file.stream, file.filename) if file and file.filename else None
        return _round_trip(_form_fields(request.form)), upload
    body = body_params()
    if isinstance(body.get("record"), Mapping):
        body = body["record"]
    return _round_trip({_field_name(str(key)): value for key, value in body.items()}), None


def _overlay(record: SlaRecord, given: dict) -> dict:
    """The record's present values with the fields given over them. Tariff or KPI rows sent
    as form columns replace the record's rows, as a ``tariffs`` or ``kpis`` list does."""
    present = services.form_values(record)
    for prefix, rows in (("tariff_", "tariffs"), ("kpi_", "kpis")):
        if any(name.startswith(prefix) for name in given):
            present.pop(rows, None)
    return {**present, **given}


def _signed_in():
    user = viewer()
    if not user.is_authenticated:
        raise NotLoggedIn()
    return user


def _visible(record_id: int, user) -> SlaRecord:
    """The record if ``user`` may see it; else 404, as if it did not exist."""
    record = db.session.get(SlaRecord, record_id) if record_id < 2**31 else None
    if not access.can_see(user, record):
        raise NotFound()
    return record


# -- Routes -----------------------------------------------------------------------------------


@bp.get("/records.json")
def api_list():
    """A page of the tracker as the viewer may see it, with facet counts."""
    user = _signed_in()
    filters = tracker.parse(request.args)
    per_page = per_page_param(current_app.config["SLA_PER_PAGE"])
    page = tracker.browse(user, filters, per_page=per_page)
    facets = facets_json(page.facets, FACET_NAMES)
    more = next_page_url(
        "sla.api_list", filters.args(page=filters.page + 1), filters.page, page.pages, per_page
    )
    lmcs = lmc_names(page.records)
    return jsonify(
        {
            "records": [record_json(r, user, full=False, lmcs=lmcs) for r in page.records],
            "facets": facets,
            "total": page.total,
            "page": filters.page,
            "pages": page.pages,
            "per_page": per_page,
            "more_records_url": more,
            "can_submit": access.can_submit(user),
            "notice": v.NOT_LIKE_FOR_LIKE,
        }
    )


@bp.get("/<int:record_id>.json")
def api_show(record_id: int):
    """One record with every field; 404 if it does not exist or the viewer may not see it."""
    user = _signed_in()
    return jsonify({"record": record_json(_visible(record_id, user), user, full=True)})


@bp.post("/records.json")
@accepts_files("SLA_MAX_UPLOAD_BYTES")
def api_create():
    """Add a record; 201 with it, or 422 listing every problem (nothing is kept)."""
    user = _signed_in()
    if not access.can_submit(user):  # before reading a document that would be refused
        raise InvalidAccess("Only LMC officers, LMC staff and moderators can add SLA records.")
    form, upload = submitted()
    record = services.create(user, form, upload)
    return jsonify({"record": record_json(record, user, full=True)}), 201


@bp.put("/<int:record_id>.json")
@accepts_files("SLA_MAX_UPLOAD_BYTES")
def api_update(record_id: int):
    """Change a record: the fields given replace the present ones, the rest are kept."""
    user = _signed_in()
    record = _visible(record_id, user)
    if not access.can_edit(user, record):
        raise InvalidAccess("Only the record's submitter or a moderator can change it.")
    given, upload = submitted()
    if not access.sees_notes(user):
        given.pop("negotiation_notes", None)  # notes they cannot read stay as they are
    services.update(user, record, _overlay(record, given), upload)
    return jsonify({"record": record_json(record, user, full=True)})
