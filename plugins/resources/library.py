"""The library's list: filters, facet counts, sorting and pages, all in SQL.

One call, :func:`browse`, serves the library page, a category's library view and the JSON
list: one page of items, and the total and facet counts over the filtered items the viewer
may see (so the counts never reveal an item they may not see), counted in two grouped
queries and kept until the next write for everyone who sees the same library. Superseded, archived
and withdrawn items are left out unless asked for, or unless the status facet names them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import and_, case, func, literal, select, union_all

from forum.caching import remember
from forum.errors import InvalidParameters
from forum.extensions import db
from forum.facets import Facet, vocabulary_facet

from . import access
from . import vocabulary as v
from .models import Resource, ResourceNation, ResourceTopic

SORTS = {"newest": "Newest", "title": "Title", "downloads": "Most downloaded"}
#: Facets with a fixed vocabulary: ``{parameter: (label, {key: label})}``.
ENUM_FACETS = {
    "collection": ("Collection", v.COLLECTIONS),
    "type": ("Type", v.RESOURCE_TYPES),
    "topic": ("Topic", v.TOPIC_NAMES),
    "nation": ("Nation", v.NATIONS),
    "status": ("Status", v.STATUSES),
}
MAX_SOURCE_FACET = 30
#: Statuses whose items come up for review (not superseded, withdrawn or archived ones).
REVIEWED = ("current", "draft")


@dataclass(frozen=True)
class Filters:
    collection: str = ""
    type: str = ""
    topic: str = ""
    nation: str = ""
    status: str = ""
    source: str = ""
    due: bool = False
    superseded: bool = False
    sort: str = "newest"
    page: int = 1

    def args(self, **changes) -> dict[str, str]:
        """Query-string arguments for these filters with ``changes`` (``None`` removes)."""
        merged = {**self.__dict__, "page": 1, **changes}
        out = {}
        for name, value in merged.items():
            default = getattr(Filters, name)
            if value in (None, "", False) or value == default:
                continue
            out[name] = "1" if value is True else str(value)
        return out

    @property
    def active(self) -> bool:
        return any(
            (self.collection, self.type, self.topic, self.nation, self.status, self.source,
             self.due)
        )  # fmt: skip


@dataclass
class LibraryPage:
    filters: Filters
    items: list[Resource]
    total: int
    facets: list[Facet]
    due_count: int
    per_page: int
    #: Topics the category shows (a category's library), else empty.
    scope_topics: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse(args: Mapping) -> Filters:
    """Filters from a query string; an unknown value is refused with its name."""

    def one(name: str) -> str:
        value = args.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    values = {}
    for name, (_label, options) in ENUM_FACETS.items():
        value = one(name)
        if value and value not in options:
            raise InvalidParameters(name, f"{value[:40]!r} is not one of the choices")
        values[name] = value
    sort = one("sort") or "newest"
    if sort not in SORTS:
        raise InvalidParameters("sort", "newest, title or downloads")
    page_text = one("page") or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= 100_000:
        raise InvalidParameters("page", "a page number")
    source = one("source")[:200]
    return Filters(
        **values,
        source=source,
        due=one("due") in ("1", "true", "yes"),
        superseded=one("superseded") in ("1", "true", "yes"),
        sort=sort,
        page=int(page_text),
    )


def _conditions(user, filters: Filters, topics: tuple[str, ...], today: date) -> list:
    conditions = [access.visible(user)]
    if filters.status:
        conditions.append(Resource.status == filters.status)
    elif not filters.superseded:
        conditions.append(Resource.status.not_in(v.HIDDEN_BY_DEFAULT))
    if filters.collection:
        conditions.append(Resource.collection == filters.collection)
    if filters.type:
        conditions.append(Resource.resource_type == filters.type)
    if filters.source:
        conditions.append(Resource.source_org == filters.source)
    if filters.due:
        conditions.append(and_(Resource.review_date <= today, Resource.status.in_(REVIEWED)))
    if filters.topic:
        conditions.append(
            Resource.id.in_(
                select(ResourceTopic.resource_id).where(ResourceTopic.topic == filters.topic)
            )
        )
    if topics:
        conditions.append(
            Resource.id.in_(
                select(ResourceTopic.resource_id).where(ResourceTopic.topic.in_(topics))
            )
        )
    if filters.nation:
        conditions.append(
            Resource.id.in_(
                select(ResourceNation.resource_id).where(ResourceNation.nation == filters.nation)
            )
        )
    return conditions


ORDER = {
    "newest": (Resource.created_at.desc(), Resource.id.desc()),
    "title": (func.lower(Resource.title), Resource.id),
    "downloads": (Resource.download_count.desc(), Resource.id.desc()),
}


def browse(
    user,
    filters: Filters,
    *,
    per_page: int,
    topics: tuple[str, ...] = (),
    today: date | None = None,
) -> LibraryPage:
    """A page of the library as ``user`` may see it.

    The counts (total, facets, due for review) are kept per content version for everyone
    who sees the same library with the same filters (:func:`access.visibility`), so paging,
    sorting and other people with the same access cost one query for the page of items."""
    today = today or date.today()
    where = and_(*_conditions(user, filters, topics, today))
    key = (access.visibility(user), replace(filters, page=1, sort="newest"), topics, today)
    total, facets, due = remember("resources.library_counts", key, lambda: _summary(where, today))
    items = []
    if total:
        items = list(
            db.session.scalars(
                select(Resource)
                .where(where)
                .order_by(*ORDER[filters.sort])
                .limit(per_page)
                .offset((filters.page - 1) * per_page)
            )
        )
    return LibraryPage(filters, items, total, facets, due, per_page, tuple(topics))


def _summary(where, today: date) -> tuple[int, list[Facet], int]:
    """``(total, facets, due for review)`` of the items matching ``where``, in two queries:
    one pass over the items grouped by their one-valued fields, one over their topics and
    nations."""
    due_now = and_(Resource.review_date <= today, Resource.status.in_(REVIEWED))
    grouped = db.session.execute(
        select(
            Resource.collection,
            Resource.resource_type,
            Resource.status,
            Resource.source_org,
            func.count(),
            func.sum(case((due_now, 1), else_=0)),
        )
        .where(where)
        .group_by(Resource.collection, Resource.resource_type, Resource.status, Resource.source_org)
    ).all()
    if not grouped:
        return 0, [], 0
    counted = {name: Counter() for name in ("collection", "type", "status", "source")}
    total = due = 0
    for collection, kind, status, source, n, due_n in grouped:
        counted["collection"][collection] += n
        counted["type"][kind] += n
        counted["status"][status] += n
        counted["source"][source] += n
        total, due = total + n, due + (due_n or 0)
    ids = select(Resource.id).where(where)
    many = union_all(
        select(literal("topic"), ResourceTopic.topic, func.count())
        .where(ResourceTopic.resource_id.in_(ids))
        .group_by(ResourceTopic.topic),
        select(literal("nation"), ResourceNation.nation, func.count())
        .where(ResourceNation.resource_id.in_(ids))
        .group_by(ResourceNation.nation),
    )
    counted["topic"], counted["nation"] = Counter(), Counter()
    for name, value, n in db.session.execute(many):
        counted[name][value] += n
    facets = [
        vocabulary_facet(name, label, options, counted[name])
        for name, (label, options) in ENUM_FACETS.items()
    ]
    sources = sorted(counted["source"].items(), key=lambda pair: (-pair[1], pair[0]))
    facets.insert(4, Facet("source", "Source", [(s, s, n) for s, n in sources[:MAX_SOURCE_FACET]]))
    return total, facets, due


def due_for_review(user, *, today: date | None = None, limit: int = 200) -> list[Resource]:
    """Items past their review date that ``user`` edits (their own; every one for editors),
    oldest review date first."""
    today = today or date.today()
    query = select(Resource).where(Resource.review_date <= today, Resource.status.in_(REVIEWED))
    if not access.can_edit_all(user):
        query = query.where(Resource.contributed_by_id == user.id)
    return list(db.session.scalars(query.order_by(Resource.review_date, Resource.id).limit(limit)))


def versions(resource: Resource) -> tuple[Resource | None, Resource | None]:
    """``(the item it supersedes, the item that supersedes it)``."""
    older = db.session.get(Resource, resource.supersedes_id) if resource.supersedes_id else None
    newer = db.session.scalar(
        select(Resource).where(Resource.supersedes_id == resource.id).order_by(Resource.id.desc())
    )
    return older, newer


def clear(filters: Filters, name: str) -> Filters:
    return replace(filters, **{name: getattr(Filters, name)}, page=1)
