"""Reading a library item's fields from a form, a JSON body or a manifest row: every value
checked, every problem reported at once, nothing half-applied.

:func:`clean` turns the submitted values into a dict of model values (plus ``topics``,
``nations``, ``grants`` and ``supersedes``) or raises :class:`ValidationFailed` listing each
problem in words an officer understands.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import func, select

from forum.accounts.models import Group, Organisation
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.validation import clean_text

from . import vocabulary as v
from .models import Resource

#: Fields every item must have (before the file-or-link rule).
REQUIRED = ("title", "summary", "collection", "resource_type", "source_org", "licence")
TRUE_WORDS = {"1", "true", "yes", "on", "y"}


def values(form: Mapping, name: str) -> list:
    """Every value of ``name``: a list in JSON, repeated fields in a form, or one
    comma-separated string (a manifest cell)."""
    if hasattr(form, "getlist"):
        found = form.getlist(name) or form.getlist(name + "[]")
    else:
        found = form.get(name, form.get(name + "[]"))
    if found is None:
        return []
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, list | tuple):
        return [found]
    items = []
    for item in found:
        if isinstance(item, str) and "," in item:
            items.extend(part.strip() for part in item.split(","))
        else:
            items.append(item.strip() if isinstance(item, str) else item)
    return [item for item in items if item not in ("", None)]


def _text(form, name, label, errors, *, maximum, required=False, multiline=False) -> str:
    try:
        value = clean_text(form.get(name), name, required=False, multiline=multiline).strip()
    except ValidationFailed as error:  # pragma: no cover - clean_text raises the others
        errors.extend(error.messages)
        return ""
    except Exception as error:  # InvalidParameters: NUL bytes, not text
        errors.append(f"{label}: {getattr(error, 'messages', [str(error)])[0]}")
        return ""
    if required and not value:
        errors.append(f"{label} is required.")
    elif len(value) > maximum:
        errors.append(f"{label} is too long (at most {maximum} characters).")
    return value


def _choice(form, name, label, options, errors, *, default=None) -> str:
    value = form.get(name)
    if value in (None, "") and default is not None:
        return default
    if not isinstance(value, str) or value not in options:
        if value in (None, ""):
            errors.append(f"{label} is required.")
        else:
            errors.append(f"{label}: {str(value)[:40]!r} is not one of the choices.")
        return ""
    return value


def _choices(form, name, label, options, errors, *, required) -> list[str]:
    chosen = []
    for value in values(form, name):
        if not isinstance(value, str) or value not in options:
            errors.append(f"{label}: {str(value)[:40]!r} is not one of the choices.")
        elif value not in chosen:
            chosen.append(value)
    if required and not chosen and not any(m.startswith(label) for m in errors):
        errors.append(f"Choose at least one {label.lower().rstrip('s')}.")
    return chosen


def _date(form, name, label, errors) -> date | None:
    value = form.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        parsed = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors.append(f"{label}: give a date as YYYY-MM-DD, for example 2025-04-01.")
        return None
    if not 1900 <= parsed.year <= 2200:
        errors.append(f"{label}: {parsed.isoformat()} is not a plausible date.")
        return None
    return parsed


def truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str | int) and str(value).strip().lower() in TRUE_WORDS


def _url(form, errors) -> str:
    url = _text(form, "external_url", "Link", errors, maximum=2000)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        errors.append("Link: give a full web address starting with https:// or http://.")
        return ""
    return url


def _lmc(form, errors) -> int | None:
    value = form.get("contributing_lmc")
    if value in (None, ""):
        return None
    query = select(Organisation.id)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdecimal()):
        number = int(value)
        found = (
            db.session.scalar(query.where(Organisation.id == number)) if number < 2**62 else None
        )
    else:
        name = str(value).strip().lower()
        found = db.session.scalar(query.where(func.lower(Organisation.name) == name))
    if found is None:
        errors.append(f"Contributing LMC: {str(value)[:60]!r} is not an LMC we know.")
    return found


def _grants(form, errors) -> list[tuple[str, int]]:
    """``[("group", id), ("organisation", id)]`` from ``restricted_groups`` (group names) and
    ``restricted_lmcs`` (LMC names or ids)."""
    grants = []
    for name in values(form, "restricted_groups"):
        found = db.session.scalar(select(Group.id).where(Group.name == str(name).strip()))
        if found is None:
            errors.append(f"Restricted to: there is no group called {str(name)[:40]!r}.")
        else:
            grants.append(("group", found))
    for lmc in values(form, "restricted_lmcs"):
        found = _lmc({"contributing_lmc": lmc}, errors)
        if found is not None:
            grants.append(("organisation", found))
    return list(dict.fromkeys(grants))


def _supersedes(form, errors, existing: Resource | None) -> Resource | None:
    ref = form.get("supersedes")
    if ref in (None, ""):
        return None
    ref = str(ref).strip()
    query = select(Resource)
    if ref.isascii() and ref.isdecimal() and len(ref) < 12:
        found = db.session.scalar(query.where(Resource.id == int(ref)))
    else:
        found = db.session.scalar(query.where(Resource.slug == ref[:120]))
    if found is None:
        errors.append(f"Supersedes: there is no library item {ref[:60]!r}.")
        return None
    if existing is not None:
        seen, item = set(), found
        while item is not None and item.id not in seen:  # walk back: no loops
            if item.id == existing.id:
                errors.append("Supersedes: an item cannot replace itself or a newer version.")
                return None
            seen.add(item.id)
            item = db.session.get(Resource, item.supersedes_id) if item.supersedes_id else None
    return found


def clean(form: Mapping, *, existing: Resource | None = None, has_file: bool = False) -> dict:
    """The checked values of an item from ``form``; ``existing`` when editing (blank
    optional fields then clear their values); ``has_file`` when a file comes with it."""
    errors: list[str] = []
    out: dict = {
        "title": _text(form, "title", "Title", errors, maximum=250, required=True),
        "summary": _text(
            form, "summary", "Summary", errors, maximum=600, required=True, multiline=True
        ),
        "collection": _choice(form, "collection", "Collection", v.COLLECTIONS, errors),
        "resource_type": _choice(form, "resource_type", "Type", v.RESOURCE_TYPES, errors),
        "source_org": _text(form, "source_org", "Source organisation", errors, maximum=200),
        "licence": _choice(form, "licence", "Licence", v.LICENCES, errors),
        "status": _choice(form, "status", "Status", v.STATUSES, errors, default="current"),
        "access_level": _choice(
            form, "access_level", "Access", v.ACCESS_LEVELS, errors, default="members"
        ),
        "version": _text(form, "version", "Version", errors, maximum=20),
        "keywords": _text(form, "keywords", "Keywords", errors, maximum=500),
        "is_template": truthy(form.get("is_template")),
        "publication_date": _date(form, "publication_date", "Publication date", errors),
        "effective_from": _date(form, "effective_from", "Effective from", errors),
        "review_date": _date(form, "review_date", "Review date", errors),
        "external_url": _url(form, errors),
        "contributing_lmc_id": _lmc(form, errors),
        "topics": _choices(form, "topics", "Topics", v.TOPIC_NAMES, errors, required=True),
        "audience": ",".join(
            _choices(form, "audience", "Audience", v.AUDIENCES, errors, required=False)
        ),
        "grants": _grants(form, errors),
        "supersedes": _supersedes(form, errors, existing),
    }
    nations = values(form, "nations")
    if any(str(n).lower() in ("uk", "uk-wide", "uk_wide", "all") for n in nations):
        out["nations"] = list(v.NATIONS)
    else:
        out["nations"] = _choices(form, "nations", "Nations", v.NATIONS, errors, required=True)
    if not out["source_org"] and not any(m.startswith("Source") for m in errors):
        errors.append("Source organisation is required.")
    published, review = out["publication_date"], out["review_date"]
    if published and review and review < published:
        errors.append("Review date: it cannot be before the publication date.")
    effective = out["effective_from"]
    if published and effective and effective.year < published.year - 50:
        errors.append("Effective from: it is implausibly long before the publication date.")
    if out["access_level"] == "restricted" and not out["grants"]:
        if not any(m.startswith("Restricted") for m in errors):
            errors.append("Restricted items need at least one group or LMC that may see them.")
    has_existing_file = existing is not None and existing.file_id is not None
    if not (has_file or has_existing_file or out["external_url"]):
        errors.append("Upload a file or give a link to the document.")
    if has_file and out["licence"] == "bma_copyright_link_only":
        errors.append("Licence: BMA copyright material is kept as a link only, not a copy.")
    if errors:
        raise ValidationFailed(*errors)
    return out


def form_values(resource: Resource) -> dict:
    """The item's present values in the shape :func:`clean` reads (the inverse of
    :func:`clean`): the edit form starts from them, and an API change overlays only the
    fields it gives."""
    group_ids = [grant.group_id for grant in resource.grants if grant.group_id]
    groups = (
        list(db.session.scalars(select(Group.name).where(Group.id.in_(group_ids))))
        if group_ids
        else []
    )
    return {
        "title": resource.title,
        "summary": resource.summary,
        "collection": resource.collection,
        "resource_type": resource.resource_type,
        "topics": resource.topic_keys,
        "nations": resource.nation_keys,
        "source_org": resource.source_org,
        "contributing_lmc": resource.contributing_lmc_id,
        "audience": resource.audience_keys,
        "publication_date": resource.publication_date,
        "effective_from": resource.effective_from,
        "review_date": resource.review_date,
        "version": resource.version,
        "supersedes": _slug_of(resource.supersedes_id),
        "status": resource.status,
        "external_url": resource.external_url,
        "licence": resource.licence,
        "is_template": resource.is_template,
        "access_level": resource.access_level,
        "restricted_groups": groups,
        "restricted_lmcs": [g.organisation_id for g in resource.grants if g.organisation_id],
        "keywords": resource.keywords,
    }


def _slug_of(resource_id: int | None) -> str | None:
    if resource_id is None:
        return None
    return db.session.scalar(select(Resource.slug).where(Resource.id == resource_id))
