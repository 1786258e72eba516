"""SLA records on threads: sharing one as a new topic, the topic's side panel, badges in
topic lists.

* **Share an SLA** (:func:`composer_panels`, :func:`share_from_composer`): in a category
  where the plugin is enabled, the new-topic form offers people who may add records a
  section of the record's essential fields (``sla-<field>``). Ticked, the record is created
  in the topic's own transaction, becomes the thread's discussion record and is attached to
  the first post; a record that fails its checks refuses the whole topic with every
  problem, so nothing is half-saved. API clients send the same ``sla-*`` fields to
  ``POST /posts`` (as text: the core hands plugins only text parameters).
* **The topic panel** (:func:`topic_panels`): "SLAs in this thread", the records attached
  to any post of the topic and the one it discusses, that the viewer may see, in one query.
* **Badges** (:func:`badges`): service type, year and status beside each topic of a list
  that has a record, one query for the whole list.

Tariff rows arrive as ``sla-tariff_label``, ``sla-tariff_amount``, ``sla-tariff_unit`` (the
first row, or every row when the form keeps repeated fields) and ``sla-tariff_<column>_<n>``
for rows 2 onwards: the core passes plugins the first value of each field, so the
composer's further rows carry their number in their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import url_for
from sqlalchemy import select, union

from forum.accounts.models import Organisation
from forum.attachments import services as attachments
from forum.attachments.models import PostAttachment
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.hooktypes import Badge, Panel
from forum.plugin_system import is_enabled
from forum.topics.models import Post

from . import access, cards, services
from . import vocabulary as v
from .fields import MAX_TARIFFS, truthy
from .models import SlaRecord

PLUGIN = "sla"
PREFIX = "sla-"
SHARE_FIELD = PREFIX + "share"
#: Tariff rows the composer draws.
COMPOSER_TARIFF_ROWS = 3
TARIFF_COLUMNS = ("label", "amount", "unit", "notes")
#: Fields that always take a list (repeated fields, or one comma-separated value).
LIST_FIELDS = frozenset({"accreditations"})
#: Badges per topic in a list; more records are summed up in one "+N" badge.
MAX_BADGES = 2
TITLE_MAX, SUMMARY_MAX = 200, 2000


def record_url(record_id: int) -> str:
    """A record's page, ``/sla/<id>``."""
    return url_for("sla.show", record_id=record_id)


def short_service_name(key: str) -> str:
    """A service type's name without its bracketed detail, for badges and tight spaces."""
    return v.SERVICE_TYPE_NAMES.get(key, key).split(" (", 1)[0]


def tariff_text(amount: Decimal | None, unit: str) -> str:
    """``"£2.60 per sample"``: a price is never shown without what it is paid per."""
    if amount is None or not unit:
        return ""
    return f"£{amount:,.2f} {v.TARIFF_UNITS.get(unit, unit)}"


# -- Share an SLA: the composer's section -----------------------------------------------------


def _given(form, key: str) -> list:
    """Every text value of ``key`` in ``form`` (a MultiDict keeps repeated fields)."""
    if hasattr(form, "getlist"):
        found = form.getlist(key)
    else:
        one = form.get(key)
        found = one if isinstance(one, list) else [] if one is None else [one]
    return [value for value in found if isinstance(value, str)]


def _first(form, key: str) -> str:
    found = _given(form, key)
    return found[0] if found else ""


def tariff_rows(form) -> list[dict]:
    """The tariff rows sent with the ``sla-`` prefix, in order (blank rows included)."""
    plain = {col: _given(form, f"{PREFIX}tariff_{col}") for col in TARIFF_COLUMNS}
    length = max(len(values) for values in plain.values())
    rows = [
        {col: plain[col][i] if i < len(plain[col]) else "" for col in TARIFF_COLUMNS}
        for i in range(length)
    ]
    for n in range(2, MAX_TARIFFS + 2):
        rows.append({col: _first(form, f"{PREFIX}tariff_{col}_{n}") for col in TARIFF_COLUMNS})
    return rows


def _is_tariff_field(name: str) -> bool:
    return any(
        name == f"tariff_{col}" or name.startswith(f"tariff_{col}_") for col in TARIFF_COLUMNS
    )


def composer_values(form) -> dict:
    """The record's fields from the ``sla-`` fields of a submitted form, prefix stripped:
    what :func:`plugins.sla.services.create` reads (tariffs as parallel lists)."""
    values: dict = {}
    for key in list(form):
        if not isinstance(key, str) or not key.startswith(PREFIX) or key == SHARE_FIELD:
            continue
        name = key[len(PREFIX) :]
        if not name or _is_tariff_field(name):
            continue
        given = _given(form, key)
        values[name] = given if name in LIST_FIELDS or len(given) > 1 else _first(form, key)
    rows = [row for row in tariff_rows(form) if any(value.strip() for value in row.values())]
    for col in TARIFF_COLUMNS:
        values[f"tariff_{col}"] = [row[col] for row in rows]
    return values


def _shortened(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(None, 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip() + "…"


def share_from_composer(topic, post, user, form) -> None:
    """Create the record ticked in the composer, inside the topic's transaction: it discusses
    ``topic`` and is attached to its first post. A refusal refuses the topic too."""
    if not truthy(form.get(SHARE_FIELD)):
        return
    if not is_enabled(topic.category_id, PLUGIN):
        raise ValidationFailed(
            "SLAs cannot be shared in this category. Choose a category where the SLA "
            "tracker is switched on, or add the record on the SLA tracker and attach it."
        )
    values = composer_values(form)
    if not str(values.get("title") or "").strip():
        values["title"] = _shortened(topic.title, TITLE_MAX)
    if not str(values.get("summary") or "").strip():
        values["summary"] = _shortened(post.raw, SUMMARY_MAX)
    if not str(values.get("lmc") or "").strip() and user.organisation_id:
        values["lmc"] = user.organisation_id
    try:
        record = services.create(user, values, commit=False)
    except ValidationFailed as refused:
        raise ValidationFailed(*(f"Shared SLA – {m}" for m in refused.messages)) from None
    record.discussion_topic_id = topic.id
    attachments.add(user, post, [(cards.KEY, record.id)])
    db.session.flush()


def _financial_year(today: date | None = None) -> str:
    today = today or date.today()
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _lmc_place(user) -> tuple[str, str]:
    """The nation and region keys of the user's LMC, to start the form with."""
    lmc = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    if lmc is None:
        return "", ""
    nation = next((k for k, name in v.NATIONS.items() if name.lower() == lmc.nation.lower()), "")
    regions = v.REGIONS.get(nation, {})
    region = next((k for k, name in regions.items() if name.lower() == lmc.region.lower()), "")
    if not region and len(regions) == 1:
        region = next(iter(regions))
    return nation, region


def composer_panels(category, user, form) -> list[Panel]:
    """The "share an SLA" section of the new-topic form, for people who may add records
    (asked only for categories where the plugin is enabled)."""
    if not access.can_submit(user):
        return []
    typed = {name: value for name, value in composer_values(form).items() if isinstance(value, str)}
    nation, region = _lmc_place(user)
    defaults = {
        "lmc": str(user.organisation_id or ""),
        "nation": nation,
        "region": region,
        "status": "active",
        "visibility": "all_members",
    }
    values = {**defaults, **{k: val for k, val in typed.items() if val.strip()}}
    rows = [row for row in tariff_rows(form) if any(value.strip() for value in row.values())]
    rows += [dict.fromkeys(TARIFF_COLUMNS, "")] * max(0, COMPOSER_TARIFF_ROWS - len(rows))
    lmcs = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    )
    context = {
        "shared": truthy(form.get(SHARE_FIELD)),
        "values": values,
        "tariff_rows": rows,
        "lmcs": [(str(lmc_id), name) for lmc_id, name in lmcs],
        "year_example": _financial_year(),
        "service_types": v.SERVICE_TYPE_NAMES,
        "nations": v.NATIONS,
        "regions": v.REGIONS,
        "commissioner_types": v.COMMISSIONER_TYPES,
        "statuses": v.STATUSES,
        "payment_models": v.PAYMENT_MODELS,
        "units": v.TARIFF_UNITS,
        "visibilities": v.VISIBILITIES,
        "category": category,
    }
    return [Panel("sla.share", "SLA tracker", "sla/_composer.html", context, order=50)]


# -- The topic's panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadRecord:
    """A record as the topic panel and badges show it (columns, not the whole record)."""

    id: int
    title: str
    service_type: str
    financial_year: str
    status: str
    tariff_gbp: Decimal | None
    tariff_unit: str
    discusses: bool  # the thread was started to discuss it

    @property
    def url(self) -> str:
        return record_url(self.id)

    @property
    def service_name(self) -> str:
        return v.SERVICE_TYPE_NAMES.get(self.service_type, self.service_type)

    @property
    def status_label(self) -> str:
        return v.STATUSES.get(self.status, self.status)

    @property
    def tariff(self) -> str:
        return tariff_text(self.tariff_gbp, self.tariff_unit)


_COLUMNS = (
    SlaRecord.id,
    SlaRecord.title,
    SlaRecord.service_type,
    SlaRecord.financial_year,
    SlaRecord.status,
    SlaRecord.primary_tariff_gbp,
    SlaRecord.primary_tariff_unit,
    SlaRecord.discussion_topic_id,
)


def _attached(topic_ids, *columns):
    """``columns`` (by default ``topic_id, record_id``) of the records attached to the live
    posts of these topics."""
    columns = columns or (
        Post.topic_id.label("topic_id"),
        PostAttachment.object_id.label("record_id"),
    )
    return (
        select(*columns)
        .select_from(PostAttachment)
        .join(Post, Post.id == PostAttachment.post_id)
        .where(
            Post.topic_id.in_(topic_ids),
            Post.deleted_at.is_(None),
            PostAttachment.type_key == cards.KEY,
        )
    )


def thread_records(topic_id: int, user) -> list[ThreadRecord]:
    """The records of a thread ``user`` may see: the one it discusses first, then those its
    posts attach, newest year first. One query."""
    if not access.active(user):
        return []
    # A union of ids, not an OR of two conditions: each side then uses its own index.
    ids = union(
        _attached([topic_id], PostAttachment.object_id),
        select(SlaRecord.id).where(SlaRecord.discussion_topic_id == topic_id),
    )
    rows = db.session.execute(
        select(*_COLUMNS)
        .where(SlaRecord.id.in_(ids), access.visible(user))
        .order_by(SlaRecord.financial_year.desc(), SlaRecord.title, SlaRecord.id)
    ).all()
    records = [ThreadRecord(*row[:-1], discusses=row[-1] == topic_id) for row in rows]
    return sorted(records, key=lambda record: not record.discusses)


def topic_panels(topic, user) -> list[Panel]:
    records = thread_records(topic.id, user)
    if not records:
        return []
    context = {"records": records, "topic": topic, "notice": v.NOT_LIKE_FOR_LIKE}
    return [Panel("sla.thread", "SLAs in this thread", "sla/_topic_panel.html", context, order=40)]


# -- Badges in topic lists --------------------------------------------------------------------


def badges(topics, user) -> dict[int, list[Badge]]:
    """``{topic id: [Badge]}`` for the listed topics with a record ``user`` may see, in one
    query for the whole list."""
    if not topics or not access.active(user):
        return {}
    ids = [topic.id for topic in topics]
    links = union(
        _attached(ids),
        select(SlaRecord.discussion_topic_id, SlaRecord.id).where(
            SlaRecord.discussion_topic_id.in_(ids)
        ),
    ).subquery()
    rows = db.session.execute(
        select(links.c.topic_id, *_COLUMNS)
        .join(SlaRecord, SlaRecord.id == links.c.record_id)
        .where(access.visible(user))
        .order_by(links.c.topic_id, SlaRecord.financial_year.desc(), SlaRecord.id)
    ).all()
    found: dict[int, list[ThreadRecord]] = {}
    for topic_id, *columns in rows:
        record = ThreadRecord(*columns[:-1], discusses=columns[-1] == topic_id)
        found.setdefault(topic_id, []).append(record)
    out = {}
    for topic_id, records in found.items():
        records.sort(key=lambda record: not record.discusses)
        shown = [_badge(record, n) for n, record in enumerate(records[:MAX_BADGES])]
        if len(records) > MAX_BADGES:
            more = len(records) - MAX_BADGES
            shown.append(
                Badge(
                    "sla.more",
                    f"+{more} more SLA{'s' if more > 1 else ''}",
                    title=f"This thread has {len(records)} SLA records.",
                    order=60,
                )
            )
        out[topic_id] = shown
    return out


def _badge(record: ThreadRecord, position: int) -> Badge:
    label = " · ".join(
        (short_service_name(record.service_type), record.financial_year, record.status_label)
    )
    return Badge(
        "sla.record",
        label,
        title=f"SLA record: {record.title} ({record.service_name})",
        order=50 + position,
    )
