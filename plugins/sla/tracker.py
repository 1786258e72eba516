"""The tracker's list: filters (the facets of domain.md §1.10), counts, sorting and pages, in
SQL, over the records the viewer may see.

Prices are filtered and sorted only once a single tariff unit is chosen: a price range
across units (per sample against per registered patient) would rank things that are not
comparable, so :func:`parse` refuses it with a message. The same filtered query feeds the
page (:func:`browse`) and the CSV export (:func:`matching`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, func, or_, select

from forum.accounts.models import Organisation
from forum.caching import remember
from forum.errors import InvalidParameters
from forum.extensions import db
from forum.facets import Facet, vocabulary_facet

from . import access
from . import vocabulary as v
from .models import SlaRecord

SORTS = {
    "newest": "Newest",
    "year": "Financial year",
    "price_asc": "Price, lowest first (one unit)",
    "price_desc": "Price, highest first (one unit)",
    "verified": "Recently verified",
}
#: Single-choice facets with a fixed vocabulary: ``{parameter: (label, options, column)}``.
ENUM_FACETS = {
    "nation": ("Nation", v.NATIONS, SlaRecord.nation),
    "region": ("Region", v.REGION_NAMES, SlaRecord.region),
    "status": ("Status", v.STATUSES, SlaRecord.status),
    "payment_model": ("Payment model", v.PAYMENT_MODELS, SlaRecord.payment_model),
    "provider_level": ("Provider level", v.PROVIDER_LEVELS, SlaRecord.provider_level),
    "commissioner_type": ("Commissioner type", v.COMMISSIONER_TYPES, SlaRecord.commissioner_type),
    "rag": ("LMC RAG rating", v.RAG, SlaRecord.lmc_rag),
    "unit": ("Tariff unit", v.TARIFF_UNITS, SlaRecord.primary_tariff_unit),
}
MAX_LIST_FACET = 40


@dataclass(frozen=True)
class Filters:
    service_type: tuple[str, ...] = ()
    nation: str = ""
    region: str = ""
    commissioner: str = ""
    lmc: int | None = None
    year: str = ""
    current: bool = False
    status: str = ""
    payment_model: str = ""
    unit: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    provider_level: str = ""
    commissioner_type: str = ""
    accreditation: str = ""  # "", "yes" or "no"
    has_document: bool = False
    rag: str = ""
    updated_since: date | None = None
    sort: str = "newest"
    page: int = 1

    def args(self, **changes) -> dict[str, list[str] | str]:
        """Query-string arguments for these filters with ``changes`` (the page resets)."""
        merged = {f.name: getattr(self, f.name) for f in fields(self)} | {"page": 1} | changes
        out: dict = {}
        for f in fields(self):
            value = merged[f.name]
            if value in (None, "", False, ()) or value == f.default:
                continue
            if isinstance(value, tuple):
                out[f.name] = list(value)
            elif value is True:
                out[f.name] = "1"
            else:
                out[f.name] = str(value)
        return out

    @property
    def active(self) -> bool:
        return any(
            getattr(self, f.name) not in (None, "", False, ())
            for f in fields(self)
            if f.name not in ("sort", "page")
        )


@dataclass
class TrackerPage:
    filters: Filters
    records: list[SlaRecord]
    total: int
    facets: list[Facet]
    per_page: int
    #: Counts beyond the fixed facets: ``commissioner`` ``[(name, n)]``, ``lmc``
    #: ``[(id, name, n)]``, ``has_document`` (n) and, once service types are chosen,
    #: ``service_type``: every type's count as if none were (so that more can be ticked).
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _one(args: Mapping, name: str) -> str:
    value = args.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _many(args: Mapping, name: str) -> list[str]:
    found = args.getlist(name) if hasattr(args, "getlist") else args.get(name, [])
    if isinstance(found, str):
        found = [found]
    return [item.strip() for item in found if isinstance(item, str) and item.strip()]


def _price(args: Mapping, name: str) -> Decimal | None:
    text = _one(args, name).replace("£", "").replace(",", "")
    if not text:
        return None
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise InvalidParameters(name, "an amount in pounds") from None
    if not price.is_finite() or not 0 <= price <= 1_000_000:
        raise InvalidParameters(name, "an amount from £0 to £1,000,000")
    return price


def parse(args: Mapping) -> Filters:
    """Filters from a query string; an unknown value is refused, naming the parameter."""
    values: dict = {}
    for name, (_label, options, _column) in ENUM_FACETS.items():
        value = _one(args, name)
        if value and value not in options:
            raise InvalidParameters(name, f"{value[:40]!r} is not one of the choices")
        values[name] = value
    if (
        values["region"]
        and values["nation"]
        and values["region"] not in v.REGIONS[values["nation"]]
    ):
        raise InvalidParameters("region", "not a region of that nation")
    services = _many(args, "service_type")
    unknown = [s for s in services if s not in v.SERVICE_TYPE_NAMES]
    if unknown:
        raise InvalidParameters("service_type", f"{unknown[0][:40]!r} is not one of the choices")
    lmc = _one(args, "lmc")
    if lmc and not (lmc.isascii() and lmc.isdecimal() and len(lmc) < 12):
        raise InvalidParameters("lmc", "an LMC's number")
    year = _one(args, "year")
    if year and (
        len(year) != 7 or not year[:4].isdigit() or year[4] != "/" or not year[5:].isdigit()
    ):
        raise InvalidParameters("year", "a financial year such as 2024/25")
    accreditation = _one(args, "accreditation")
    if accreditation not in ("", "yes", "no"):
        raise InvalidParameters("accreditation", "yes or no")
    since = _one(args, "updated_since")
    try:
        updated_since = date.fromisoformat(since) if since else None
    except ValueError:
        raise InvalidParameters("updated_since", "a date as YYYY-MM-DD") from None
    price_min, price_max = _price(args, "price_min"), _price(args, "price_max")
    sort = _one(args, "sort") or "newest"
    if sort not in SORTS:
        raise InvalidParameters("sort", ", ".join(SORTS))
    if not values["unit"] and (
        price_min is not None or price_max is not None or sort.startswith("price")
    ):
        raise InvalidParameters(
            "unit",
            "choose one tariff unit before filtering or sorting by price: prices paid per "
            "different units are not comparable",
        )
    page = _one(args, "page") or "1"
    if not (page.isascii() and page.isdecimal()) or not 1 <= int(page) <= 100_000:
        raise InvalidParameters("page", "a page number")
    return Filters(
        **values,
        service_type=tuple(dict.fromkeys(services)),
        commissioner=_one(args, "commissioner")[:200],
        lmc=int(lmc) if lmc else None,
        year=year,
        current=_one(args, "current") in ("1", "true", "yes"),
        price_min=price_min,
        price_max=price_max,
        accreditation=accreditation,
        has_document=_one(args, "has_document") in ("1", "true", "yes"),
        updated_since=updated_since,
        sort=sort,
        page=int(page),
    )


def _conditions(user, f: Filters, today: date) -> list:
    conditions = [access.visible(user)]
    for name, (_label, _options, column) in ENUM_FACETS.items():
        if getattr(f, name):
            conditions.append(column == getattr(f, name))
    if f.service_type:
        conditions.append(SlaRecord.service_type.in_(f.service_type))
    if f.commissioner:
        conditions.append(SlaRecord.commissioner_name == f.commissioner)
    if f.lmc is not None:
        conditions.append(SlaRecord.lmc_id == f.lmc)
    if f.year:
        conditions.append(SlaRecord.financial_year == f.year)
    if f.current:
        conditions += [
            SlaRecord.status == "active",
            or_(SlaRecord.start_date.is_(None), SlaRecord.start_date <= today),
            or_(SlaRecord.end_date.is_(None), SlaRecord.end_date >= today),
        ]
    if f.price_min is not None:
        conditions.append(SlaRecord.primary_tariff_gbp >= f.price_min)
    if f.price_max is not None:
        conditions.append(SlaRecord.primary_tariff_gbp <= f.price_max)
    if f.accreditation:
        conditions.append(SlaRecord.accreditation_needed.is_(f.accreditation == "yes"))
    if f.has_document:
        conditions.append(SlaRecord.has_document.is_(True))
    if f.updated_since:
        conditions.append(SlaRecord.updated_at >= datetime.combine(f.updated_since, time()))
    return conditions


ORDER = {
    "newest": (SlaRecord.updated_at.desc(), SlaRecord.id.desc()),
    "year": (SlaRecord.financial_year.desc(), SlaRecord.title, SlaRecord.id),
    "price_asc": (SlaRecord.primary_tariff_gbp, SlaRecord.id),
    "price_desc": (SlaRecord.primary_tariff_gbp.desc(), SlaRecord.id),
    "verified": (SlaRecord.last_verified_at.desc().nulls_last(), SlaRecord.id.desc()),
}


def matching(user, filters: Filters, *, today: date | None = None):
    """A ``select`` of every record matching ``filters`` that ``user`` may see, in order."""
    where = and_(*_conditions(user, filters, today or date.today()))
    return select(SlaRecord).where(where).order_by(*ORDER[filters.sort])


def browse(user, filters: Filters, *, per_page: int, today: date | None = None) -> TrackerPage:
    """A page of the tracker as ``user`` may see it, with its facet counts. The counts are
    kept until the next write for everyone who sees the same records with the same filters
    (:func:`access.visibility`), so paging and sorting cost one query for the page."""
    today = today or date.today()
    key = (access.visibility(user), replace(filters, page=1, sort="newest"), today)
    total, facets, extra = remember(
        "sla.tracker_counts", key, lambda: _summary(user, filters, today)
    )
    records = []
    if total:
        where = and_(*_conditions(user, filters, today))
        records = list(
            db.session.scalars(
                select(SlaRecord)
                .where(where)
                .order_by(*ORDER[filters.sort])
                .limit(per_page)
                .offset((filters.page - 1) * per_page)
            )
        )
    return TrackerPage(filters, records, total, facets, per_page, extra)


#: What the summary groups by, beside the fixed facets' columns.
_GROUPED = {
    "service_type": SlaRecord.service_type,
    "year": SlaRecord.financial_year,
    "accreditation": SlaRecord.accreditation_needed,
    "has_document": SlaRecord.has_document,
    "commissioner": SlaRecord.commissioner_name,
    "lmc": SlaRecord.lmc_id,
}


def _summary(user, filters: Filters, today: date) -> tuple[int, list[Facet], dict]:
    """``(total, facets, extra)`` in one grouped pass over the records matching every filter
    but the service types (whose counts are disjunctive: ticking one keeps the others)."""
    chosen = set(filters.service_type)
    broad = and_(*_conditions(user, replace(filters, service_type=()), today))
    columns = {**{name: column for name, (_l, _o, column) in ENUM_FACETS.items()}, **_GROUPED}
    rows = db.session.execute(
        select(*columns.values(), func.count()).where(broad).group_by(*columns.values())
    ).all()
    counted: dict[str, Counter] = {name: Counter() for name in columns}
    services: Counter = Counter()
    for row in rows:
        values, n = dict(zip(columns, row[:-1], strict=True)), row[-1]
        services[values["service_type"]] += n
        if chosen and values["service_type"] not in chosen:
            continue
        for name, value in values.items():
            if name == "accreditation":
                value = "yes" if value else "no"
            if value not in (None, ""):
                counted[name][value] += n
    total = sum(counted["service_type"].values())
    if not total:
        return 0, [], {}
    facets = [
        vocabulary_facet(
            "service_type", "Service type", v.SERVICE_TYPE_NAMES, counted["service_type"]
        ),
        Facet(
            "year",
            "Financial year",
            sorted(((y, y, n) for y, n in counted["year"].items()), reverse=True),
        ),
        *(
            vocabulary_facet(name, label, options, counted[name])
            for name, (label, options, _c) in ENUM_FACETS.items()
        ),
        vocabulary_facet(
            "accreditation",
            "Accreditation needed",
            {"yes": "Yes", "no": "No"},
            counted["accreditation"],
        ),
    ]
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.id.in_(list(counted["lmc"]))
            )
        ).all()
    )
    extra = {
        "commissioner": sorted(
            counted["commissioner"].items(), key=lambda kv: (-kv[1], kv[0].lower())
        )[:MAX_LIST_FACET],
        "lmc": sorted(
            ((lmc, names.get(lmc, f"LMC {lmc}"), n) for lmc, n in counted["lmc"].items()),
            key=lambda item: (-item[2], item[1].lower()),
        )[:MAX_LIST_FACET],
        "has_document": counted["has_document"][True],
        "service_type": (
            [(k, name, services[k]) for k, name in v.SERVICE_TYPE_NAMES.items() if k in services]
            if chosen
            else None
        ),
    }
    return total, facets, extra


def clear(filters: Filters, name: str) -> Filters:
    default = next(f.default for f in fields(Filters) if f.name == name)
    return replace(filters, **{name: default}, page=1)
