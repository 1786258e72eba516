"""What site search finds of the tracker: each record by its title, service type (and the
words people use for it, through the synonyms), summary, inclusions and exclusions,
commissioner, LMC and tags, in the scope of its visibility. Negotiation notes are never
indexed, so no snippet can show them."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Organisation
from forum.extensions import db
from forum.hooktypes import SearchDocument, SearchType

from . import access
from . import vocabulary as v
from .models import SlaRecord

KIND = "sla.record"
OPEN = ("proposed", "under_negotiation", "active")


def search_types() -> list[SearchType]:
    return [
        SearchType(
            key=KIND,
            name="sla",
            label="SLAs",
            load=documents,
            all_ids=lambda: db.session.scalars(select(SlaRecord.id).order_by(SlaRecord.id)),
            scopes=access.scopes,
        )
    ]


def documents(ids: list[int]) -> list[SearchDocument]:
    rows = db.session.execute(
        select(SlaRecord, Organisation.name)
        .join(Organisation, Organisation.id == SlaRecord.lmc_id)
        .where(SlaRecord.id.in_(ids))
    ).all()
    found = []
    for record, lmc in rows:
        words = [
            v.SERVICE_TYPE_NAMES.get(record.service_type, ""),
            v.SCHEME_TYPES.get(record.scheme_type, ""),
            record.summary,
            record.inclusions,
            record.exclusions,
            record.commissioner_name,
            record.place,
            lmc,
            v.NATIONS.get(record.nation, ""),
            v.REGION_NAMES.get(record.region, ""),
            record.tags.replace(",", " "),
            record.commissioner_ref,
            record.financial_year,
            record.lmc_commentary,
        ]
        found.append(
            SearchDocument(
                kind=KIND,
                object_id=record.id,
                title=record.title,
                body="\n".join(w for w in words if w),
                url=f"/sla/{record.id}",
                scope=access.scope_of(record),
                created_at=record.created_at,
                user_id=record.submitted_by_id,
                status=("open",) if record.status in OPEN else ("archived",),
            )
        )
    return found


def synonyms() -> list[tuple[str, ...]]:
    """Each service type with the words people search for it by, and LES = LCS."""
    groups = [("LES", "LCS", "local enhanced service", "locally commissioned service")]
    for slug, _name, aliases in v.SERVICE_TYPES:
        words = slug.replace("-", " ")
        group = tuple(dict.fromkeys([words, *(a for a in aliases if a.lower() != words)]))
        if len(group) > 1:
            groups.append(group)
    return groups
