"""An item's history in words: each revision's changes with field labels, the names behind
ids (people, LMCs, groups, other items) looked up once for the whole history, and values
as an officer reads them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from forum.accounts.models import Group, Organisation, User
from forum.extensions import db

from . import access, services
from . import vocabulary as v
from .models import Resource

#: Labels of the fields kept in an item's history (``services.TRACKED``).
FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "collection": "Collection",
    "resource_type": "Type",
    "topics": "Topics",
    "nations": "Nations",
    "source_org": "Source organisation",
    "contributing_lmc_id": "Contributing LMC",
    "audience": "Audience",
    "publication_date": "Publication date",
    "effective_from": "Effective from",
    "review_date": "Review date",
    "version": "Version",
    "supersedes_id": "Supersedes",
    "status": "Status",
    "file": "File",
    "external_url": "Link",
    "licence": "Licence",
    "is_template": "Template to adapt",
    "access_level": "Who can see it",
    "grants": "Restricted to",
    "keywords": "Keywords",
}
#: History fields whose values are keys of a vocabulary.
ENUM_FIELDS = {
    "collection": v.COLLECTIONS,
    "resource_type": v.RESOURCE_TYPES,
    "status": v.STATUSES,
    "licence": v.LICENCES,
    "access_level": v.ACCESS_LEVELS,
}
LIST_FIELDS = {"topics": v.TOPIC_NAMES, "nations": v.NATIONS, "audience": v.AUDIENCES}


def format_date(value) -> str:
    """``1 April 2025`` (empty for none)."""
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


def describe_revisions(item: Resource, viewer) -> list[dict]:
    """Each revision, newest first, with who made it and each change in words (the names
    behind ids looked up in a few queries for the whole history)."""
    revisions = services.revisions(item)
    user_ids, lmc_ids, group_ids, item_ids = set(), set(), set(), set()
    for revision, changes in revisions:
        if revision.user_id:
            user_ids.add(revision.user_id)
        for name, pair in changes.items():
            for value in pair:
                if not value:
                    continue
                if name == "contributing_lmc_id" and str(value).isdigit():
                    lmc_ids.add(int(value))
                elif name == "supersedes_id" and str(value).isdigit():
                    item_ids.add(int(value))
                elif name == "grants":
                    for part in str(value).split(","):
                        kind, _, number = part.strip().partition(":")
                        if number.isdigit():
                            (group_ids if kind == "group" else lmc_ids).add(int(number))
    names = {
        "user": _names(select(User.id, User.username).where(User.id.in_(user_ids)), user_ids),
        "lmc": _names(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(lmc_ids)),
            lmc_ids,
        ),
        "group": _names(
            select(Group.id, func.coalesce(func.nullif(Group.display_name, ""), Group.name)).where(
                Group.id.in_(group_ids)
            ),
            group_ids,
        ),
        "item": _names(
            select(Resource.id, Resource.title).where(
                Resource.id.in_(item_ids), access.visible(viewer)
            ),
            item_ids,
        ),
    }
    described = []
    for revision, changes in revisions:
        described.append(
            {
                "revision": revision,
                "user": names["user"].get(revision.user_id),
                "first": all(pair[0] is None for pair in changes.values()),
                "changes": [
                    (
                        FIELD_LABELS.get(name, name),
                        _describe(name, pair[0], names),
                        _describe(name, pair[1], names),
                    )
                    for name, pair in sorted(changes.items(), key=_tracked_order)
                ],
            }
        )
    return described


def _tracked_order(change) -> int:
    """Changes in the order the form lists the fields (``services.TRACKED``)."""
    name = change[0]
    return services.TRACKED.index(name) if name in services.TRACKED else len(services.TRACKED)


def _names(query, ids) -> dict:
    return dict(db.session.execute(query).all()) if ids else {}


def _describe(name: str, value, names: dict) -> str:
    """A history value as an officer reads it."""
    if value is None or value == "":
        return ""
    value = str(value)
    if name in ENUM_FIELDS:
        return ENUM_FIELDS[name].get(value, value)
    if name in LIST_FIELDS:
        labels = LIST_FIELDS[name]
        return "; ".join(labels.get(key.strip(), key.strip()) for key in value.split(","))
    if name == "is_template":
        return "Yes" if value == "True" else "No"
    if name in ("publication_date", "effective_from", "review_date"):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if name == "contributing_lmc_id":
        return names["lmc"].get(int(value), "an LMC no longer listed") if value.isdigit() else value
    if name == "supersedes_id":
        return names["item"].get(int(value), "another item") if value.isdigit() else value
    if name == "grants":
        shown = []
        for part in value.split(","):
            kind, _, number = part.strip().partition(":")
            table = names["group"] if kind == "group" else names["lmc"]
            fallback = "a group no longer listed" if kind == "group" else "an LMC no longer listed"
            shown.append(table.get(int(number), fallback) if number.isdigit() else part)
        return "; ".join(shown)
    return value
