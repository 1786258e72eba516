"""Adding and changing library items: the only code that writes ``resources_resource``.

The pages, the JSON API and the bulk import all go through :func:`create` and
:func:`update`, so they share one set of checks (:mod:`plugins.resources.fields`), the file
rules (:mod:`plugins.resources.filetypes`, :mod:`plugins.resources.storage`), the history and
the search index. A refused item leaves nothing behind: no row, no file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy import update as sql_update

from forum import search
from forum.database import utcnow, write_unit
from forum.errors import InvalidAccess, ValidationFailed
from forum.extensions import db
from forum.files import RefusedFile, safe_filename, sniff
from forum.topics.slugs import slugify

from . import access, storage
from .fields import clean
from .models import AccessGrant, FileSection, Resource, ResourceNation, ResourceTopic, Revision

#: Fields kept in the history, in the order a change is listed.
TRACKED = (
    "title", "summary", "collection", "resource_type", "topics", "nations", "source_org",
    "contributing_lmc_id", "audience", "publication_date", "effective_from", "review_date",
    "version", "supersedes_id", "status", "file", "external_url", "licence", "is_template",
    "access_level", "grants", "keywords",
)  # fmt: skip
SEARCH_KIND = "resources.resource"
SECTION_KIND = "resources.section"


@dataclass
class Upload:
    """A file someone sent: its stream and the name their computer gave it."""

    stream: object
    filename: str


def snapshot(resource: Resource) -> dict[str, str]:
    """Every tracked field as text, for the history."""
    grants = sorted(
        f"group:{g.group_id}" if g.group_id else f"lmc:{g.organisation_id}" for g in resource.grants
    )
    values = {
        "topics": ", ".join(resource.topic_keys),
        "nations": ", ".join(resource.nation_keys),
        "grants": ", ".join(grants),
        "file": f"{resource.file_name} ({resource.file.sha256[:12]})" if resource.file else "",
    }
    for name in TRACKED:
        if name not in values:
            value = getattr(resource, name)
            values[name] = "" if value is None else str(value)
    return values


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "resource"
    if base == "topic":
        base = "resource"
    taken = set(
        db.session.scalars(
            select(Resource.slug).where(
                (Resource.slug == base) | Resource.slug.like(base.replace("%", "") + "-%")
            )
        )
    )
    slug, n = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug, n = f"{base}-{n}", n + 1
    return slug


#: Slugs that would collide with the plugin's own pages (``/resources/<slug>``).
RESERVED_SLUGS = frozenset({"new", "review", "items", "import", "settings", "picker"})


def _store_upload(upload: Upload, user, item: Resource | None = None):
    """Receive, check and keep an uploaded file: ``(stored file, safe name)``, or a
    :class:`ValidationFailed` with nothing kept."""
    received = storage.receive(upload.stream)
    try:
        kind = sniff(received.path, upload.filename or "")
    except RefusedFile as refused:
        received.discard()
        raise ValidationFailed(str(refused)) from None
    except BaseException:
        received.discard()
        raise
    existing = storage.find(received.sha256)
    if existing is not None:
        holder = db.session.scalar(select(Resource).where(Resource.file_id == existing.id))
        if holder is not None and holder is not item:  # the item's own file again is fine
            received.discard()
            raise ValidationFailed(duplicate_message(holder, user))
    stored = storage.keep(received, kind)
    return stored, safe_filename(upload.filename or "", kind)


def duplicate_message(holder: Resource, user) -> str:
    """What someone uploading a file already in the library is told (its title only if
    they may see the item)."""
    if access.can_see(user, holder):
        return (
            f"This file is already in the library as “{holder.title}” (/resources/{holder.slug})."
        )
    return "This file is already in the library, in an item you cannot see. Ask a library editor."


def _apply(resource: Resource, values: Mapping, previous_url: str | None = None) -> None:
    for name in (
        "title", "summary", "collection", "resource_type", "source_org", "licence", "status",
        "access_level", "version", "keywords", "is_template", "publication_date",
        "effective_from", "review_date", "external_url", "contributing_lmc_id", "audience",
    ):  # fmt: skip
        setattr(resource, name, values[name])
    if previous_url is not None and previous_url != resource.external_url:  # check it again
        resource.link_ok, resource.last_link_check, resource.link_error = None, None, ""
    resource.topics = [ResourceTopic(topic=key) for key in values["topics"]]
    resource.nations = [ResourceNation(nation=key) for key in values["nations"]]
    grants = values["grants"] if values["access_level"] == "restricted" else []
    resource.grants = [
        AccessGrant(**({"group_id": i} if kind == "group" else {"organisation_id": i}))
        for kind, i in grants
    ]
    superseded = values["supersedes"]
    resource.supersedes_id = superseded.id if superseded is not None else None


def _mark_superseded(superseded: Resource | None, user) -> None:
    """The item a new version replaces becomes ``superseded`` (with its own history)."""
    if superseded is None or superseded.status != "current":
        return
    before = snapshot(superseded)
    superseded.status = "superseded"
    superseded.updated_at = utcnow()
    _record(superseded, user, before)


def _record(resource: Resource, user, before: dict[str, str] | None) -> bool:
    """Add a history row with what changed; ``False`` if nothing did."""
    db.session.flush()
    after = snapshot(resource)
    if before is None:
        changes = {name: [None, value] for name, value in after.items() if value}
    else:
        changes = {n: [before[n], after[n]] for n in TRACKED if before.get(n) != after[n]}
    if not changes:
        return False
    db.session.add(
        Revision(
            resource_id=resource.id,
            user_id=getattr(user, "id", None),
            changes=json.dumps(changes, ensure_ascii=False),
        )
    )
    changed(resource)
    return True


def changed(resource: Resource) -> None:
    """Tell search the item (and the text of its file) changed."""
    search.changed(SEARCH_KIND, [resource.id])
    if resource.file_id is not None:
        search.changed_where(
            SECTION_KIND, select(FileSection.id).where(FileSection.file_id == resource.file_id)
        )


def create(
    user, form: Mapping, upload: Upload | None = None, *, is_demo: bool = False, commit=True
) -> Resource:
    """Add an item from ``form`` (and a file); raises :class:`ValidationFailed` with every
    problem. Commits unless ``commit`` is false: the caller's transaction then owns it, and
    a refusal rolls back only what this call wrote."""
    if not access.can_contribute(user):
        raise InvalidAccess("Only LMC officers, LMC staff and library editors can add items.")
    values = _checked(user, form, None, upload)
    # Inside the caller's transaction, a savepoint: a refusal undoes only this item.
    with write_unit(commit):
        resource = Resource(slug=_unique_slug(values["title"]), contributed_by_id=user.id)
        resource.is_demo = is_demo
        if upload is not None:
            resource.file, resource.file_name = _store_upload(upload, user)
        _apply(resource, values)
        db.session.add(resource)
        db.session.flush()
        _record(resource, user, None)
        _mark_superseded(values["supersedes"], user)
    access.forget()
    return resource


def update(user, resource: Resource, form: Mapping, upload: Upload | None = None) -> bool:
    """Change an item (its contributor or a library editor); ``False`` when nothing
    changed. A new file replaces the old one; the old stays in the history."""
    if not access.can_edit(user, resource):
        raise InvalidAccess("Only the item's contributor or a library editor can change it.")
    values = _checked(user, form, resource, upload)
    before = snapshot(resource)
    old_file_id = resource.file_id
    try:
        if upload is not None:
            resource.file, resource.file_name = _store_upload(upload, user, resource)
        _apply(resource, values, before["external_url"])
        if not _record(resource, user, before):
            db.session.rollback()
            return False
        resource.updated_at = utcnow()
        if old_file_id is not None and old_file_id != resource.file_id:
            search.changed_where(  # the old file's pages leave search
                SECTION_KIND, select(FileSection.id).where(FileSection.file_id == old_file_id)
            )
        _mark_superseded(values["supersedes"], user)
        db.session.commit()
        access.forget()
    except BaseException:
        db.session.rollback()
        raise
    return True


def _checked(user, form, existing, upload) -> dict:
    values = clean(form, existing=existing, has_file=upload is not None)
    superseded = values["supersedes"]
    if superseded is not None and not access.can_see(user, superseded):  # not even its name
        raise ValidationFailed(f"Supersedes: there is no library item {form.get('supersedes')!r}.")
    return values


def record_download(resource: Resource) -> None:
    """Count a download (one UPDATE; not content, so page caches are kept)."""
    db.session.execute(
        sql_update(Resource)
        .where(Resource.id == resource.id)
        .values(download_count=Resource.download_count + 1)
        .execution_options(forum_untracked=True, synchronize_session=False)
    )
    db.session.commit()


def revisions(resource: Resource) -> list[tuple[Revision, dict]]:
    rows = db.session.scalars(
        select(Revision).where(Revision.resource_id == resource.id).order_by(Revision.id.desc())
    )
    return [(row, json.loads(row.changes)) for row in rows]
