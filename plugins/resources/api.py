"""The library's JSON endpoints, on the plugin's blueprint (mounted at ``/resources``).

* ``GET /resources/items.json``: a page of the library with its facets, the same filters as
  the library page (``collection``, ``type``, ``topic``, ``nation``, ``status``, ``source``,
  ``due``, ``superseded``, ``sort``, ``page``) plus ``per_page`` (1 to 100).
* ``GET /resources/<slug>.json``: one item with every field.
* ``POST /resources/items.json``: add an item, from a JSON object or a form (``multipart/
  form-data``, with the document in a ``file`` part); answers 201 with the item.
* ``PUT /resources/<slug>.json``: change an item; fields left out keep their values.

Everything goes through :mod:`~plugins.resources.access`, :mod:`~plugins.resources.library`
and :mod:`~plugins.resources.services`, the same code as the pages, so the JSON sees exactly
what the pages do and no more: an item someone may not see is absent from lists, left out of
facet counts, and answers the same 404 as an item that does not exist. Errors are the core
API's (``{"errors": [...], "error_type": ...}``): 400 ``invalid_parameters`` for a filter
the list does not know, 422 listing every problem with an item, 403 ``not_logged_in`` or
``invalid_access``, 413 for a request past the upload limit. Clients sign in with the
``Api-Key`` and ``Api-Username`` headers, or use the browser's session.

Lists in a JSON body are arrays (``"topics": ["pcns", "workforce"]``); in a form they are
repeated fields or one comma-separated value. Restricted items name who may see them with
``restricted_groups`` (group names) and ``restricted_lmcs`` (LMC names or ids).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import current_app, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forum.accounts.models import Group, Organisation, User
from forum.api.params import body_params
from forum.api.serializers import timestamp
from forum.errors import InvalidAccess, NotFound, NotLoggedIn
from forum.extensions import db
from forum.facets import facets_json, next_page_url, per_page_param
from forum.uploads import accepts_files

from . import access, extraction, library, services
from . import vocabulary as v
from .fields import form_values
from .models import Resource
from .views import bp

#: The list's facets, in the order they are sent (each is present, empty or not).
FACET_NAMES = ("collection", "type", "topic", "nation", "source", "status")
#: Fields that take several values.
LIST_FIELDS = frozenset({"topics", "nations", "audience", "restricted_groups", "restricted_lmcs"})
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def viewer():
    """The signed-in user or the anonymous visitor (the object, not Flask-Login's proxy)."""
    return current_user._get_current_object()


# -- Serializing ------------------------------------------------------------------------------


def item_url(item: Resource) -> str:
    return url_for("resources.show", slug=item.slug)


def download_url(item: Resource) -> str:
    return url_for("resources.download", slug=item.slug)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _file_json(item: Resource) -> dict | None:
    stored = item.file
    if stored is None:
        return None
    return {
        "name": item.file_name,
        "size": stored.size,
        "kind": stored.kind,
        "mime": stored.mime,
        "sha256": stored.sha256,
        "download_url": download_url(item),
        "extraction": stored.extraction,
        "sections": stored.section_count,
    }


def _labels(item: Resource) -> dict:
    """Readable names of the item's enumerated values, for clients that show them."""
    return {
        "collection": v.COLLECTIONS.get(item.collection, item.collection),
        "resource_type": v.RESOURCE_TYPES.get(item.resource_type, item.resource_type),
        "status": v.STATUSES.get(item.status, item.status),
        "licence": v.LICENCES.get(item.licence, item.licence),
        "access_level": v.ACCESS_LEVELS.get(item.access_level, item.access_level),
        "topics": [v.TOPIC_NAMES.get(key, key) for key in item.topic_keys],
        "nations": [v.NATIONS.get(key, key) for key in item.nation_keys],
        "audience": [v.AUDIENCES.get(key, key) for key in item.audience_keys],
    }


def _version_link(user, item: Resource | None) -> dict | None:
    """``{slug, title}`` of an older or newer version, if ``user`` may see it."""
    if item is None or not access.can_see(user, item):
        return None
    return {"slug": item.slug, "title": item.title, "url": item_url(item)}


def _person(user_id: int | None) -> dict | None:
    person = db.session.get(User, user_id) if user_id else None
    if person is None:
        return None
    return {"id": person.id, "username": person.username, "name": person.name or None}


def _lmc(organisation_id: int | None) -> dict | None:
    lmc = db.session.get(Organisation, organisation_id) if organisation_id else None
    return {"id": lmc.id, "name": lmc.name} if lmc is not None else None


def _grants(item: Resource) -> dict:
    group_ids = [grant.group_id for grant in item.grants if grant.group_id]
    lmc_ids = [grant.organisation_id for grant in item.grants if grant.organisation_id]
    groups = (
        db.session.execute(
            select(Group.id, Group.name).where(Group.id.in_(group_ids)).order_by(Group.name)
        ).all()
        if group_ids
        else []
    )
    lmcs = (
        db.session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.id.in_(lmc_ids))
            .order_by(Organisation.name)
        ).all()
        if lmc_ids
        else []
    )
    return {
        "groups": [{"id": gid, "name": name} for gid, name in groups],
        "lmcs": [{"id": oid, "name": name} for oid, name in lmcs],
    }


def resource_json(item: Resource, user, *, full: bool) -> dict:
    """An item as the API sends it: a summary for lists, or (``full``) every field.

    The caller has checked that ``user`` may see ``item``; linked versions are named only
    if ``user`` may see them too, and the access grants only to those who may edit it.
    """
    data = {
        "id": item.id,
        "slug": item.slug,
        "url": item_url(item),
        "title": item.title,
        "summary": item.summary,
        "collection": item.collection,
        "resource_type": item.resource_type,
        "topics": item.topic_keys,
        "nations": item.nation_keys,
        "audience": item.audience_keys,
        "source_org": item.source_org,
        "status": item.status,
        "access_level": item.access_level,
        "licence": item.licence,
        "version": item.version,
        "is_template": item.is_template,
        "publication_date": _day(item.publication_date),
        "effective_from": _day(item.effective_from),
        "review_date": _day(item.review_date),
        "external_url": item.external_url or None,
        "file": _file_json(item),
        "download_count": item.download_count,
        "created_at": timestamp(item.created_at),
        "updated_at": timestamp(item.updated_at),
        "labels": _labels(item),
    }
    if not full:
        return data
    older, newer = library.versions(item)
    can_edit = access.can_edit(user, item)
    data.update(
        {
            "keywords": item.keyword_list,
            "contributing_lmc": _lmc(item.contributing_lmc_id),
            "contributed_by": _person(item.contributed_by_id),
            "link_check": {
                "ok": item.link_ok,
                "checked_at": timestamp(item.last_link_check),
                "error": item.link_error or None,
            }
            if item.external_url
            else None,
            "supersedes": _version_link(user, older),
            "superseded_by": _version_link(user, newer),
            "discussion_topic_id": item.discussion_topic_id,
            "due_for_review": item.review_date is not None and item.review_date <= date.today(),
            "can_edit": can_edit,
        }
    )
    if can_edit:
        data["grants"] = _grants(item)
    return data


# -- Reading what was sent --------------------------------------------------------------------


def _field_name(key: str) -> str:
    return key.removesuffix("[]")


def _form_fields(form: MultiDict) -> dict:
    """A form's fields as a dict: list fields keep every value (``topics`` repeated, or
    ``topics[]``), the others their last."""
    fields: dict = {}
    for key, given in form.lists():
        name = _field_name(key)
        if name in LIST_FIELDS:
            fields[name] = [*fields.get(name, []), *given]
        else:
            fields[name] = given[-1]
    return fields


def submitted() -> tuple[dict, services.Upload | None]:
    """The fields sent (a JSON object, optionally wrapped as ``{"resource": {...}}``, or a
    form) and the uploaded file, if any."""
    if request.mimetype in FORM_TYPES:
        file = request.files.get("file")
        upload = services.Upload(file.stream, file.filename) if file and file.filename else None
        return _form_fields(request.form), upload
    body = body_params()
    if isinstance(body.get("resource"), Mapping):
        body = body["resource"]
    return _round_trip({_field_name(str(key)): value for key, value in body.items()}), None


def _round_trip(fields: dict) -> dict:
    """Accept back the shapes :func:`resource_json` sends, so a client may change what it
    read and send it again: keywords as a list, the LMC and the older version as objects."""
    keywords = fields.get("keywords")
    if isinstance(keywords, list) and all(isinstance(word, str) for word in keywords):
        fields["keywords"] = ", ".join(keywords)
    for name, key in (("contributing_lmc", "id"), ("supersedes", "slug")):
        if isinstance(fields.get(name), Mapping):
            fields[name] = fields[name].get(key)
    return fields


def _signed_in():
    user = viewer()
    if not user.is_authenticated:
        raise NotLoggedIn()
    return user


def _visible(slug: str, user) -> Resource:
    """The item at ``slug`` if ``user`` may see it; else 404, as if it did not exist."""
    item = db.session.scalar(select(Resource).where(Resource.slug == slug[:120]))
    if not access.can_see(user, item):
        raise NotFound()
    return item


def _extract(resource: Resource) -> None:
    """Read the text of a newly stored file (in the background, outside the request)."""
    stored = resource.file
    if stored is not None and stored.extraction == "pending":
        extraction.start(stored.id)


# -- Routes -----------------------------------------------------------------------------------


@bp.get("/items.json")
def api_list():
    """A page of the library as the viewer may see it, with facet counts."""
    user = viewer()
    filters = library.parse(request.args)
    per_page = per_page_param(current_app.config["RESOURCES_PER_PAGE"])
    listing = library.browse(user, filters, per_page=per_page)
    facets = facets_json(listing.facets, FACET_NAMES)
    more = next_page_url(
        "resources.api_list",
        filters.args(page=filters.page + 1),
        filters.page,
        listing.pages,
        per_page,
    )
    return jsonify(
        {
            "resources": [resource_json(item, user, full=False) for item in listing.items],
            "facets": facets,
            "total": listing.total,
            "page": filters.page,
            "pages": listing.pages,
            "per_page": per_page,
            "due_for_review": listing.due_count,
            "more_resources_url": more,
            "can_contribute": access.can_contribute(user),
        }
    )


@bp.get("/<slug>.json")
def api_show(slug: str):
    """One item with every field; 404 if it does not exist or the viewer may not see it."""
    user = viewer()
    return jsonify({"resource": resource_json(_visible(slug, user), user, full=True)})


@bp.post("/items.json")
@accepts_files("RESOURCES_MAX_UPLOAD_BYTES")
def api_create():
    """Add an item; 201 with it, or 422 listing every problem (nothing is kept)."""
    user = _signed_in()
    if not access.can_contribute(user):  # before reading a file that would be refused
        raise InvalidAccess("Only LMC officers, LMC staff and library editors can add items.")
    form, upload = submitted()
    resource = services.create(user, form, upload)
    _extract(resource)
    return jsonify({"resource": resource_json(resource, user, full=True)}), 201


@bp.put("/<slug>.json")
@accepts_files("RESOURCES_MAX_UPLOAD_BYTES")
def api_update(slug: str):
    """Change an item: the fields given replace the present ones, the rest are kept."""
    user = _signed_in()
    resource = _visible(slug, user)
    if not access.can_edit(user, resource):
        raise InvalidAccess("Only the item's contributor or a library editor can change it.")
    given, upload = submitted()
    changed = services.update(user, resource, {**form_values(resource), **given}, upload)
    if changed and upload is not None:
        _extract(resource)
    return jsonify({"resource": resource_json(resource, user, full=True), "changed": changed})
