"""The SLA tracker's pages (HTML): the tracker with its facets, a record's page and its
document, the form that adds or changes a record, "mark verified", the side-by-side
comparison and the CSV export.

Reads go through :mod:`plugins.sla.tracker` and :mod:`plugins.sla.access`, writes through
:mod:`plugins.sla.services` (the JSON endpoints of :mod:`plugins.sla.api`, on this
blueprint, call the same functions). Records are for members: a visitor is asked to sign
in, and a record someone may not see answers 404 whatever URL they guess, its document and
its place in a comparison included. The "not like-for-like" notice is on every page that
shows a price, and nothing here ranks records by price.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from forum.accounts.models import Organisation, User
from forum.attachments.queries import citing_topics, visible_topic
from forum.caching import remember
from forum.errors import InvalidAccess, InvalidParameters, NotFound, NotLoggedIn, ValidationFailed
from forum.extensions import db
from forum.uploads import accepts_files, megabytes

from . import access, cards, compare, export, services, tracker
from . import vocabulary as v
from .models import SlaRecord

#: The stylesheet and script are served under ``/sla/_static/``.
bp = Blueprint("sla", __name__, static_folder="static", static_url_path="/_static")

log = logging.getLogger("plugins.sla")

#: The most threads listed under "Discussed in".
MAX_DISCUSSIONS = 50
#: The most records offered in the form's "Supersedes" list.
MAX_SUPERSEDE_CHOICES = 500
#: Commissioners and LMCs listed in the tracker's facets (the most common first).
#: Empty tariff and KPI rows the form always offers.
BLANK_ROWS = 3
#: Kinds of specification document (a hint for the file picker; the server checks content).
DOCUMENT_ACCEPT = ".pdf,.docx,.odt,.rtf,.txt"
DOCUMENT_KINDS_TEXT = "PDF, Word (DOCX), OpenDocument text (ODT), RTF or plain text"
#: Record ids beyond this are not ids (and would overflow a database integer).
MAX_ID = 2**31 - 1

SIGN_IN_MESSAGE = "Please sign in: SLA records are for members of the network."


# -- Template helpers (also used by the cards under posts) ------------------------------------


@bp.app_template_global("sla_vocabulary")
def vocabulary():
    """The vocabularies, for labels in templates."""
    return v


@bp.app_template_global("sla_lmc_name")
def lmc_name(lmc_id: int | None) -> str:
    """The name of the LMC a record belongs to: the names of every LMC with a record are
    read once per request, so a page of cards or rows costs one query however long."""
    return lmc_names().get(lmc_id, "") if lmc_id is not None else ""


def lmc_names() -> dict[int, str]:
    """The names of the LMCs records belong to (kept until the next write)."""

    def names():
        lmcs = select(SlaRecord.lmc_id).distinct()
        query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(lmcs))
        return dict(db.session.execute(query).all())

    return remember("sla.lmc_names", "all", names)


bp.add_app_template_filter(compare.money, "sla_money")
bp.add_app_template_filter(compare.unit_label, "sla_unit")
bp.add_app_template_filter(compare.tariff_text, "sla_tariff")


@bp.app_template_filter("sla_price")
def first_price(record: SlaRecord) -> str:
    """A record's first price with its unit (``£2.60 per sample``), or its block value."""
    if record.tariffs:
        first = record.tariffs[0]
        return compare.price(first.amount_gbp, first.unit)
    if record.block_value_gbp is not None:
        return f"Block: {compare.money(record.block_value_gbp)}"
    return ""


@bp.app_template_filter("sla_date")
def format_date(value: date | None) -> str:
    """``1 April 2024``."""
    return f"{value.day} {value:%B %Y}" if value else ""


@bp.app_template_filter("sla_verified")
def verified(value: date | None, today: date | None = None) -> str:
    """The freshness badge: ``verified today``, ``verified 3 months ago``, ``not verified``."""
    if value is None:
        return "not verified"
    days = ((today or date.today()) - value).days
    if days <= 0:
        return "verified today"
    if days == 1:
        return "verified yesterday"
    if days < 14:
        n, word = days, "day"
    elif days < 60:
        n, word = days // 7, "week"
    elif days < 730:
        n, word = days // 30, "month"
    else:
        n, word = days // 365, "year"
    return f"verified {n} {word}{'' if n == 1 else 's'} ago"


@bp.app_template_filter("sla_stale")
def stale(value: date | None) -> bool:
    """Whether a record was last checked over a year ago (or never)."""
    return value is None or (date.today() - value).days > 365


@bp.app_template_global("sla_tracker_url")
def tracker_url(filters: tracker.Filters | None = None, **changes) -> str:
    """The tracker with ``filters`` changed by ``changes`` (``None`` removes one). Removing
    the unit removes the price range and a price sort with it; removing the nation, the
    region."""
    if filters is None:
        return url_for("sla.index")
    changes = {k: tuple(c) if isinstance(c, list) else c for k, c in changes.items()}
    if "unit" in changes and not changes["unit"]:
        changes.setdefault("price_min", None)
        changes.setdefault("price_max", None)
        if filters.sort.startswith("price"):
            changes.setdefault("sort", None)
    if "nation" in changes and changes["nation"] != filters.nation:
        changes.setdefault("region", None)
    return url_for("sla.index", **filters.args(**changes))


# -- Helpers ----------------------------------------------------------------------------------


def _user():
    return current_user._get_current_object()


def _require_member(message: str = SIGN_IN_MESSAGE):
    user = _user()
    if not user.is_authenticated:
        raise NotLoggedIn(message)
    return user


def _visible_record(record_id: int) -> SlaRecord:
    """The record if the viewer may see it; 404 otherwise (never 403: a restricted
    record's existence is not given away)."""
    user = _require_member()
    record = db.session.get(SlaRecord, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or not access.can_see(user, record):
        raise NotFound()
    return record


def _require_submitter():
    user = _require_member("Please sign in to add SLA records.")
    if not access.can_submit(user):
        raise InvalidAccess("Only LMC officers, LMC staff and moderators can add SLA records.")
    return user


def _require_editor(record: SlaRecord):
    user = _require_member("Please sign in to change SLA records.")
    if not access.can_edit(user, record):
        raise InvalidAccess("Only the record's submitter or a moderator can change it.")
    return user


def _chosen_upload() -> services.Upload | None:
    """The document chosen in the form, or ``None`` when none was (an empty file name)."""
    chosen = request.files.get("document")
    if chosen is None or not chosen.filename:
        return None
    return services.Upload(chosen.stream, chosen.filename)


def _pairs(values: dict) -> MultiDict:
    """:func:`services.form_values` as the browser would send the form: tariffs and KPIs
    as parallel rows, lists repeated, dates as ISO text, ticks as ``1``."""
    pairs: list[tuple[str, str]] = []
    for tariff in values.pop("tariffs", None) or []:
        pairs += [
            ("tariff_label", tariff.get("label") or ""),
            ("tariff_amount", str(tariff.get("amount_gbp") or "")),
            ("tariff_unit", tariff.get("unit") or ""),
            ("tariff_notes", tariff.get("notes") or ""),
        ]
    for kpi in values.pop("kpis", None) or []:
        pairs += [
            ("kpi_name", kpi.get("name") or ""),
            ("kpi_target", kpi.get("target") or ""),
            ("kpi_measure", kpi.get("measure") or ""),
        ]
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            if one is None or one is False or one == "":
                continue
            text = "1" if one is True else one.isoformat() if isinstance(one, date) else one
            pairs.append((name, str(text)))
    return MultiDict(pairs)


def _rows(form, prefix: str, columns: tuple[str, ...]) -> list[dict]:
    """The form's filled-in rows of ``prefix`` fields, then :data:`BLANK_ROWS` empty ones."""
    lists = [form.getlist(f"{prefix}_{column}") for column in columns]
    length = max((len(values) for values in lists), default=0)
    rows = []
    for i in range(length):
        row = {
            c: (vals[i] if i < len(vals) else "") for c, vals in zip(columns, lists, strict=True)
        }
        if any(str(value).strip() for value in row.values()):
            rows.append(row)
    return rows + [dict.fromkeys(columns, "") for _ in range(BLANK_ROWS)]


def _form_choices(user, record: SlaRecord | None) -> dict:
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    replaceable = (
        select(SlaRecord.id, SlaRecord.title, SlaRecord.financial_year)
        .where(access.visible(user))
        .order_by(SlaRecord.financial_year.desc(), func.lower(SlaRecord.title), SlaRecord.id)
        .limit(MAX_SUPERSEDE_CHOICES)
    )
    if record is not None:
        replaceable = replaceable.where(SlaRecord.id != record.id)
    return {
        "organisations": organisations,
        "replaceable": db.session.execute(replaceable).all(),
        "accept": DOCUMENT_ACCEPT,
        "document_kinds": DOCUMENT_KINDS_TEXT,
        "size_limit": megabytes(current_app.config["SLA_MAX_UPLOAD_BYTES"]),
        "sees_notes": access.sees_notes(user),
    }


def _form_page(form, *, record=None, errors=(), status=200, file_dropped=False):
    user = _user()
    return (
        render_template(
            "sla/form.html",
            form=form,
            record=record,
            errors=list(errors),
            file_dropped=file_dropped,
            tariff_rows=_rows(form, "tariff", ("label", "amount", "unit", "notes")),
            kpi_rows=_rows(form, "kpi", ("name", "target", "measure")),
            **_form_choices(user, record),
        ),
        status,
    )


def _submitted(user, record: SlaRecord | None) -> MultiDict:
    """The posted form, with the negotiation notes kept as they are for anyone who may
    not read them (they are not in that person's form, and must not be wiped or written)."""
    form = MultiDict(request.form.items(multi=True))
    if not access.sees_notes(user):
        form.setlist("negotiation_notes", [record.negotiation_notes if record else ""])
    return form


# -- The tracker ------------------------------------------------------------------------------


@bp.get("/")
def index():
    """The tracker: every record the viewer may see, with facets, sorting and pages."""
    user = _user()
    if not user.is_authenticated:
        return render_template("sla/index.html", signed_out=True)
    filters = tracker.parse(request.args)
    listing = tracker.browse(user, filters, per_page=current_app.config["SLA_PER_PAGE"])
    return render_template(
        "sla/index.html",
        signed_out=False,
        listing=listing,
        filters=filters,
        facets={facet.name: facet for facet in listing.facets},
        more=listing.extra,
        sorts={
            key: label
            for key, label in tracker.SORTS.items()
            if filters.unit or not key.startswith("price")
        },
        can_submit=access.can_submit(user),
        import_url=_optional_url("sla.import_form"),
        export_url=url_for("sla.export", **filters.args()),
        max_compare=compare.MAX_RECORDS,
    )


def _optional_url(endpoint: str) -> str | None:
    """The URL of a page another part of the plugin may offer (the spreadsheet import)."""
    try:
        return url_for(endpoint)
    except BuildError:
        return None


# -- One record -------------------------------------------------------------------------------


@bp.get("/<int:record_id>")
def show(record_id):
    """Everything about one record: its terms, prices with their units, documents,
    versions, the LMC's view and where it is discussed."""
    user = _user()
    record = _visible_record(record_id)
    older = db.session.get(SlaRecord, record.supersedes_id) if record.supersedes_id else None
    older = older if access.can_see(user, older) else None
    newer = list(
        db.session.scalars(
            select(SlaRecord)
            .where(SlaRecord.supersedes_id == record.id, access.visible(user))
            .order_by(SlaRecord.id)
        )
    )
    people_ids = {i for i in (record.submitted_by_id, record.verified_by_id) if i}
    people = (
        dict(
            db.session.execute(select(User.id, User.username).where(User.id.in_(people_ids))).all()
        )
        if people_ids
        else {}
    )
    return render_template(
        "sla/show.html",
        record=record,
        older=older,
        newer=newer,
        people=people,
        discussions=citing_topics(user, cards.KEY, record.id, limit=MAX_DISCUSSIONS),
        thread=visible_topic(user, record.discussion_topic_id),
        can_edit=access.can_edit(user, record),
        sees_notes=access.sees_notes(user),
    )


@bp.get("/<int:record_id>/document")
def document(record_id):
    """The specification document, as an attachment that browsers never display or run."""
    record = _visible_record(record_id)
    doc = record.document
    if doc is None:
        raise NotFound("This SLA has no document to download.")
    path = services.document_path(doc)
    if not path.is_file():
        log.error("the document of SLA record %s is missing from %s", record.id, path)
        raise NotFound(
            "The document of this SLA could not be found on the server. "
            "Please tell whoever added it so they can upload it again."
        )
    response = send_file(
        path,
        as_attachment=True,
        download_name=record.document_name or f"sla-{record.id}.{doc.kind}",
        mimetype=doc.mime,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:record_id>/verify")
def verify(record_id):
    """Mark the record checked against its source today."""
    record = _visible_record(record_id)
    user = _require_editor(record)
    services.verify(user, record)
    flash("Marked as verified today.", "success")
    return redirect(url_for("sla.show", record_id=record.id), 303)


# -- Adding and changing records --------------------------------------------------------------


@bp.get("/new")
def new():
    """The empty form for a new record; ``?supersedes=ID`` starts from a record the viewer
    may see, as its next version."""
    user = _require_submitter()
    form = MultiDict(
        {
            "scheme_type": "lcs_les",
            "status": "active",
            "provider_level": "practice",
            "visibility": "all_members",
        }
    )
    if user.organisation_id:
        form["lmc"] = str(user.organisation_id)
    ref = request.args.get("supersedes", "")
    older = (
        db.session.get(SlaRecord, int(ref))
        if ref.isascii() and ref.isdecimal() and 0 < int(ref) <= MAX_ID
        else None
    )
    if older is not None and access.can_see(user, older):
        values = services.form_values(older)
        for name in ("redaction_confirmed", "last_verified_at", "version"):
            values.pop(name, None)
        if not access.sees_notes(user):
            values.pop("negotiation_notes", None)
        values.update(supersedes=str(older.id), status="active")
        form = _pairs(values)
    return _form_page(form)


@bp.post("/new")
@accepts_files("SLA_MAX_UPLOAD_BYTES")
def create():
    """Add a record from the form, with its document if one was chosen."""
    user = _require_submitter()
    upload = _chosen_upload()
    try:
        record = services.create(user, _submitted(user, None), upload)
    except ValidationFailed as error:
        return _form_page(
            request.form, errors=error.messages, status=422, file_dropped=upload is not None
        )
    flash(f"“{record.title}” is in the SLA tracker.", "success")
    return redirect(url_for("sla.show", record_id=record.id), 303)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@accepts_files("SLA_MAX_UPLOAD_BYTES")
def edit(record_id):
    """The record's form, filled in; saving it changes the record (a new document
    replaces the old one; choosing none keeps it)."""
    record = _visible_record(record_id)
    user = _require_editor(record)
    if request.method == "GET":
        values = services.form_values(record)
        if not access.sees_notes(user):
            values.pop("negotiation_notes", None)
        return _form_page(_pairs(values), record=record)
    upload = _chosen_upload()
    try:
        services.update(user, record, _submitted(user, record), upload)
    except ValidationFailed as error:
        db.session.rollback()
        return _form_page(
            request.form,
            record=record,
            errors=error.messages,
            status=422,
            file_dropped=upload is not None,
        )
    flash("Your changes are saved.", "success")
    return redirect(url_for("sla.show", record_id=record.id), 303)


# -- Comparison -------------------------------------------------------------------------------


def _compare_ids() -> list[int]:
    ids: list[int] = []
    values = request.args.getlist("ids")
    if len(values) > 100:
        raise InvalidParameters("ids", "at most 4 SLA record numbers")
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdecimal() and len(part) < 11):
                raise InvalidParameters("ids", "SLA record numbers")
            if int(part) not in ids:
                ids.append(int(part))
    return ids


@bp.get("/compare", endpoint="compare")
def compare_records():
    """Up to four records of one service type side by side: what each includes first,
    prices only beside prices paid per the same unit."""
    user = _require_member()
    ids = _compare_ids()
    if len(ids) > compare.MAX_RECORDS:
        return _compare_page(None, _count_problem(len(ids)), 400)
    found = (
        {
            record.id: record
            for record in db.session.scalars(select(SlaRecord).where(SlaRecord.id.in_(ids)))
        }
        if ids
        else {}
    )
    records = []
    for record_id in ids:
        record = found.get(record_id)
        if record is None or not access.can_see(user, record):
            raise NotFound(f"There is no SLA record {record_id} that you can see.")
        records.append(record)
    if len(records) < compare.MIN_RECORDS:
        return _compare_page(None, _count_problem(len(records)), 200, records)
    try:
        comparison = compare.build(records, lmc_names())
    except compare.NotComparable as refused:
        return _compare_page(None, str(refused), 400, records)
    return _compare_page(comparison, None, 200, records)


def _count_problem(count: int) -> str | None:
    try:
        compare.check_count(count)
    except compare.NotComparable as refused:
        return str(refused)
    return None


def _compare_page(comparison, problem, status, records=()):
    return (
        render_template(
            "sla/compare.html",
            comparison=comparison,
            problem=problem,
            records=list(records),
            sections=compare.SECTIONS,
        ),
        status,
    )


# -- Export -----------------------------------------------------------------------------------


@bp.get("/export.csv", endpoint="export")
def export_csv():
    """The filtered list as CSV, streamed: only records the viewer may see, the notes
    column for officers only."""
    user = _require_member()
    filters = tracker.parse(request.args)
    query = tracker.matching(user, filters).execution_options(yield_per=export.CHUNK)
    with_notes = access.sees_notes(user)
    names = dict(lmc_names())
    url_prefix = url_for("sla.index", _external=True)

    def generate():
        records = db.session.scalars(query)
        yield from export.lines(
            records,
            with_notes=with_notes,
            lmc_names=names,
            url_prefix=url_prefix,
            chunk=export.CHUNK,
        )

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
