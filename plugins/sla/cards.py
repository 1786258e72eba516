"""SLA records attached to posts: the attachment type (a card under the post, with the
"not like-for-like" notice, and an entry in post JSON) and ``[[sla:ID]]`` in Markdown.

Cards are drawn from the record as it is now, for the reader: someone who may not see the
record sees no card, and only officers see its negotiation notes.
"""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, lazyload

from forum.attachments import references
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.hooktypes import AttachmentType

from . import access
from . import vocabulary as v
from .models import SlaRecord

KEY = "sla.record"
COOK_VERSION = "sla:1"


def attachment_type() -> AttachmentType:
    return AttachmentType(
        key=KEY,
        label="SLA record",
        load=load,
        validate=validate,
        template="sla/_card.html",
        to_json=to_json,
        options=options,
        everywhere=True,
    )


def load(ids: list[int], user) -> dict[int, SlaRecord]:
    """The records with these ids that ``user`` may see, in one query."""
    rows = db.session.scalars(
        select(SlaRecord)
        .where(and_(SlaRecord.id.in_(ids), access.visible(user)))
        # A card shows the tariffs (joined: one query); the rest of a record stays unread.
        .options(joinedload(SlaRecord.tariffs), lazyload(SlaRecord.document))
        .options(lazyload(SlaRecord.kpis), lazyload(SlaRecord.accreditations))
    ).unique()
    return {record.id: record for record in rows}


def validate(user, ref: str, post) -> int:
    """The number of a record ``user`` may see (in a category they may post in: the core
    checks that)."""
    ref = ref.strip().removeprefix("#")
    record = (
        db.session.get(SlaRecord, int(ref))
        if ref.isascii() and ref.isdecimal() and len(ref) < 12
        else None
    )
    if record is None or not access.can_see(user, record):
        raise ValidationFailed(f"There is no SLA record {ref[:20]!r} that you can see.")
    return record.id


def to_json(record: SlaRecord) -> dict:
    """What post and topic JSON carry (never the officers-only notes)."""
    return {
        "id": record.id,
        "title": record.title,
        "url": f"/sla/{record.id}",
        "service_type": record.service_type,
        "financial_year": record.financial_year,
        "status": record.status,
        "nation": record.nation,
        "payment_model": record.payment_model,
        "tariffs": [
            {"label": t.label, "amount_gbp": str(t.amount_gbp), "unit": t.unit}
            for t in record.tariffs
        ],
        "not_like_for_like": v.NOT_LIKE_FOR_LIKE,
    }


def options(user, category) -> list[tuple[str, str]]:
    """The picker's choices: records ``user`` may see, newest year first."""
    rows = db.session.execute(
        select(SlaRecord.id, SlaRecord.title, SlaRecord.financial_year)
        .where(access.visible(user))
        .order_by(SlaRecord.financial_year.desc(), SlaRecord.title)
        .limit(500)
    )
    return [(str(rid), f"{title} ({year})") for rid, title, year in rows]


markdown_rule = references.markdown_rule("sla", lambda ref: f"/sla/{ref}", "SLA")


def attach_refs(post, user) -> None:
    """Attach each record a post names with ``[[sla:ID]]``."""
    references.attach_references(post, user, "sla", KEY)
