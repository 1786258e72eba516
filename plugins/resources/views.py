"""The library's pages (HTML): the library with its facets, an item's page, its file, the
form that adds or changes an item, its history, its discussion thread, the items due for
review and, for library editors, which topics each category's library shows.

Reads go through :mod:`plugins.resources.library` and :mod:`plugins.resources.access`, writes
through :mod:`plugins.resources.services`, the same functions the JSON endpoints
(:mod:`plugins.resources.api`, on this blueprint) and the bulk import call. A refused form is
shown again with every message and everything typed (a chosen file must be chosen again:
browsers never send it back). Every page asks :func:`access.can_see` first, so an item
someone may not see answers 404, its file included, whatever URL they guess.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import delete, func, select
from werkzeug.datastructures import MultiDict

from forum import files
from forum.accounts.models import Group, Organisation, User
from forum.attachments.queries import citing_topics, visible_topic
from forum.categories.models import Category
from forum.errors import ForumError, InvalidAccess, NotFound, NotLoggedIn, ValidationFailed
from forum.extensions import db
from forum.page_cache import cache_for_visitors
from forum.permissions import can
from forum.plugin_system import categories_with
from forum.topics.models import Topic
from forum.uploads import accepts_files

from . import access, cards, extraction, library, services, storage
from . import vocabulary as v
from .fields import form_values
from .history import describe_revisions, format_date
from .models import CategoryTopic, FileSection, Resource

#: The stylesheet and script are served under ``/resources/_static/``: no slug has an
#: underscore, so no item's pages are ever shadowed by them.
bp = Blueprint("resources", __name__, static_folder="static", static_url_path="/_static")

log = logging.getLogger("plugins.resources")

#: How much of each section's text an item's page shows.
SECTION_PREVIEW_CHARS = 400
#: The most threads listed under "Discussed in".
MAX_DISCUSSIONS = 50
#: The most items offered in the "Supersedes" suggestions of the form.
MAX_SUPERSEDE_CHOICES = 500


# -- Template helpers (also used by _library.html inside a category page) ---------------------


@dataclass(frozen=True)
class Viewer:
    """What the person looking may do with the library, asked once per request."""

    user_id: int | None
    can_contribute: bool
    is_editor: bool

    def edits(self, item: Resource) -> bool:
        return self.is_editor or (self.can_contribute and item.contributed_by_id == self.user_id)

    def due(self, item: Resource) -> bool:
        """Whether to show ``item`` as due for review (to those who edit it)."""
        return bool(
            item.review_date is not None
            and item.review_date <= date.today()
            and item.status in library.REVIEWED
            and self.edits(item)
        )


@bp.app_template_global("resources_viewer")
def viewer() -> Viewer:
    found = g.get("resources_viewer")
    if found is None:
        user = current_user._get_current_object()
        found = g.resources_viewer = Viewer(
            user_id=user.id if user.is_authenticated else None,
            can_contribute=access.can_contribute(user),
            is_editor=access.can_edit_all(user),
        )
    return found


@bp.app_template_global("resources_vocabulary")
def vocabulary():
    """The vocabularies, for labels in templates."""
    return v


@bp.app_template_global("resources_newer_versions")
def newer_versions(items) -> dict[int, Resource]:
    """``{id: the newest item replacing it}`` for the superseded items among ``items`` that
    the viewer may see the replacement of: one query for a whole page (none if nothing on
    it is superseded)."""
    old_ids = [item.id for item in items if item.status == "superseded"]
    if not old_ids:
        return {}
    user = current_user._get_current_object()
    rows = db.session.scalars(
        select(Resource)
        .where(Resource.supersedes_id.in_(old_ids), access.visible(user))
        .order_by(Resource.id)
    )
    return {row.supersedes_id: row for row in rows}


bp.add_app_template_filter(format_date, "resources_date")


@bp.app_template_filter("resources_size")
def format_size(size: int | None) -> str:
    """A file size for people: ``820 bytes``, ``240 KB``, ``1.4 MB``."""
    if not size:
        return "0 bytes"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.1f} MB" if megabytes < 10 else f"{megabytes:.0f} MB"


@bp.app_template_filter("resources_nations")
def format_nations(keys) -> str:
    """``UK-wide`` for all four nations, else their names."""
    keys = list(keys)
    if keys and set(keys) >= set(v.NATIONS):
        return "UK-wide"
    return ", ".join(v.NATIONS.get(key, key) for key in keys)


# -- Helpers ----------------------------------------------------------------------------------


def _user():
    return current_user._get_current_object()


def _visible_item(slug: str) -> Resource:
    """The item at ``slug`` if the viewer may see it; 404 otherwise (never 403: a
    restricted item's existence is not given away)."""
    item = db.session.scalar(select(Resource).where(Resource.slug == slug[:120]))
    if item is None or not access.can_see(_user(), item):
        raise NotFound()
    return item


def _require_contributor() -> None:
    user = _user()
    if not user.is_authenticated:
        raise NotLoggedIn("Please sign in to add items to the library.")
    if not access.can_contribute(user):
        raise InvalidAccess("Only LMC officers, LMC staff and library editors can add items.")


def _require_editor(item: Resource) -> None:
    user = _user()
    if not user.is_authenticated:
        raise NotLoggedIn("Please sign in to change library items.")
    if not access.can_edit(user, item):
        raise InvalidAccess("Only the item's contributor or a library editor can change it.")


def _chosen_upload() -> services.Upload | None:
    """The file chosen in the form, or ``None`` when none was (an empty file name)."""
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        return None
    return services.Upload(chosen.stream, chosen.filename)


def _form_choices(item: Resource | None = None) -> dict:
    """What the item form offers: LMCs, groups and items a new version may replace."""
    user = _user()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    groups = db.session.execute(
        select(Group.name, Group.display_name)
        .where(Group.builtin.is_(False))
        .order_by(Group.display_name, Group.name)
    ).all()
    replaceable = (
        select(Resource.slug, Resource.title)
        .where(access.visible(user), Resource.status == "current")
        .order_by(func.lower(Resource.title))
        .limit(MAX_SUPERSEDE_CHOICES)
    )
    if item is not None:
        replaceable = replaceable.where(Resource.id != item.id)
    limit = current_app.config["RESOURCES_MAX_UPLOAD_BYTES"]
    return {
        "organisations": organisations,
        "groups": groups,
        "replaceable": db.session.execute(replaceable).all(),
        "accept": files.accept_attribute(),
        "allowed_files": files.describe_allowed(),
        "size_limit": format_size(limit),
    }


def _prefill(item: Resource) -> MultiDict:
    """The form's values for an existing item, as the browser would send them."""
    pairs: list[tuple[str, str]] = []
    for name, value in form_values(item).items():
        for one in value if isinstance(value, list) else [value]:
            if one is None or one is False:
                continue
            text = "1" if one is True else one.isoformat() if isinstance(one, date) else one
            pairs.append((name, str(text)))
    return MultiDict(pairs)


def _form_page(form, *, item=None, errors=(), status=200, file_dropped=False):
    return (
        render_template(
            "resources/form.html",
            form=form,
            item=item,
            errors=list(errors),
            file_dropped=file_dropped,
            **_form_choices(item),
        ),
        status,
    )


def _start_extraction(item: Resource) -> None:
    if item.file_id is not None:
        extraction.start(item.file_id)


def _pages_word(item: Resource) -> str:
    return "page" if item.file is not None and item.file.kind == "pdf" else "section"


# -- The library ------------------------------------------------------------------------------


@bp.get("/")
@cache_for_visitors
def index():
    """The whole library, with facets, sorting and pages."""
    user = _user()
    filters = library.parse(request.args)
    listing = library.browse(user, filters, per_page=current_app.config["RESOURCES_PER_PAGE"])
    panel = SimpleNamespace(
        context={
            "library": listing,
            "category": None,
            "base_url": url_for("resources.index"),
            "can_contribute": access.can_contribute(user),
        }
    )
    return render_template("resources/index.html", panel=panel, listing=listing)


@bp.get("/review")
def review():
    """Items past their review date: the viewer's own, or every one for library editors."""
    user = _user()
    if not user.is_authenticated:
        raise NotLoggedIn("Please sign in to see the items due for review.")
    if not (access.can_contribute(user) or access.can_edit_all(user)):
        raise InvalidAccess("Only contributors and library editors review library items.")
    items = library.due_for_review(user)
    return render_template("resources/review.html", items=items, today=date.today())


# -- Adding and changing items ----------------------------------------------------------------


@bp.get("/new")
def new():
    """The empty form for a new item (contributors only)."""
    _require_contributor()
    return _form_page(MultiDict({"status": "current", "access_level": "members"}))


@bp.post("/new")
@accepts_files("RESOURCES_MAX_UPLOAD_BYTES")
def create():
    """Add an item from the form, with its file if one was chosen; read the file's text
    after the commit, and go to the new item."""
    _require_contributor()
    upload = _chosen_upload()
    try:
        item = services.create(_user(), request.form, upload)
    except ValidationFailed as error:
        return _form_page(
            request.form, errors=error.messages, status=422, file_dropped=upload is not None
        )
    _start_extraction(item)
    flash(f"“{item.title}” is in the library.", "success")
    return redirect(url_for("resources.show", slug=item.slug), 303)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@accepts_files("RESOURCES_MAX_UPLOAD_BYTES")
def edit(slug):
    """The item's form, filled in; saving it changes the item (a new file replaces the old
    one; choosing none keeps it)."""
    item = _visible_item(slug)
    _require_editor(item)
    if request.method == "GET":
        return _form_page(_prefill(item), item=item)
    upload = _chosen_upload()
    try:
        changed = services.update(_user(), item, request.form, upload)
    except ValidationFailed as error:
        db.session.refresh(item)
        return _form_page(
            request.form,
            item=item,
            errors=error.messages,
            status=422,
            file_dropped=upload is not None,
        )
    if changed:
        if upload is not None:
            _start_extraction(item)
        flash("Your changes are saved.", "success")
    else:
        flash("Nothing changed, so nothing was saved.", "info")
    return redirect(url_for("resources.show", slug=item.slug), 303)


# -- One item ---------------------------------------------------------------------------------


@bp.get("/<slug>")
@cache_for_visitors
def show(slug):
    """Everything about one item: its details, file or link, versions, the text read from
    its file, and where it is discussed."""
    user = _user()
    item = _visible_item(slug)
    older, newer = library.versions(item)
    older = older if access.can_see(user, older) else None
    newer = newer if access.can_see(user, newer) else None
    sections = []
    if item.file is not None and item.file.extraction == "done" and item.file.section_count:
        sections = db.session.execute(
            select(
                FileSection.number,
                FileSection.label,
                func.substr(FileSection.text, 1, SECTION_PREVIEW_CHARS + 1),
            )
            .where(FileSection.file_id == item.file_id)
            .order_by(FileSection.number)
        ).all()
    editable = access.can_edit(user, item)
    return render_template(
        "resources/show.html",
        item=item,
        older=older,
        newer=newer,
        sections=sections,
        preview_chars=SECTION_PREVIEW_CHARS,
        pages_word=_pages_word(item),
        discussions=citing_topics(user, cards.KEY, item.id, limit=MAX_DISCUSSIONS),
        thread=visible_topic(user, item.discussion_topic_id),
        can_discuss=user.is_authenticated and user.is_active,
        can_edit=editable,
        contributor=db.session.get(User, item.contributed_by_id)
        if item.contributed_by_id
        else None,
        lmc=db.session.get(Organisation, item.contributing_lmc_id)
        if item.contributing_lmc_id
        else None,
        granted=_granted_names(item) if editable and item.access_level == "restricted" else [],
        kind=files.KINDS.get(item.file.kind) if item.file is not None else None,
        due=item.review_date is not None
        and item.review_date <= date.today()
        and item.status in library.REVIEWED,
    )


def _granted_names(item: Resource) -> list[str]:
    group_ids = [grant.group_id for grant in item.grants if grant.group_id]
    lmc_ids = [grant.organisation_id for grant in item.grants if grant.organisation_id]
    names = []
    if group_ids:
        names += db.session.scalars(
            select(func.coalesce(func.nullif(Group.display_name, ""), Group.name)).where(
                Group.id.in_(group_ids)
            )
        )
    if lmc_ids:
        names += db.session.scalars(select(Organisation.name).where(Organisation.id.in_(lmc_ids)))
    return sorted(names, key=str.lower)


@bp.get("/<slug>/download")
def download(slug):
    """The item's file, as an attachment that browsers never display or run."""
    item = _visible_item(slug)
    if item.file is None:
        raise NotFound("This item has no file to download.")
    path = storage.path_for(item.file.sha256)
    if not path.is_file():
        log.error("the file of library item %s (%s) is missing from %s", item.id, slug, path)
        raise NotFound(
            "The file of this item could not be found on the server. "
            "Please tell a library editor so they can upload it again."
        )
    kind = files.KINDS.get(item.file.kind)
    name = item.file_name or f"{item.slug}{kind.extension if kind else ''}"
    response = send_file(
        path,
        as_attachment=True,
        download_name=name,
        mimetype=item.file.mime,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if item.access_level != "public" or item.status == "draft":
        response.headers["Cache-Control"] = "private, no-store"
    if request.method == "GET" and response.status_code == 200:
        services.record_download(item)
    return response


@bp.get("/<slug>/history")
def history(slug):
    """Every change to the item, newest first (for whoever may see the item)."""
    item = _visible_item(slug)
    return render_template(
        "resources/history.html",
        item=item,
        revisions=describe_revisions(item, _user()),
        can_edit=access.can_edit(_user(), item),
    )


# -- Its discussion thread --------------------------------------------------------------------


@bp.post("/<slug>/discuss")
def discuss(slug):
    """Go to the item's discussion thread, starting it in the first library category the
    member may start topics in if there is none yet."""
    from forum.topics.services import create_topic

    user = _user()
    if not user.is_authenticated:
        raise NotLoggedIn("Please sign in to discuss library items.")
    item = _visible_item(slug)
    thread = visible_topic(user, item.discussion_topic_id)
    if thread is not None:
        return redirect(_topic_url(thread), 303)
    existing = db.session.get(Topic, item.discussion_topic_id) if item.discussion_topic_id else None
    if existing is not None and existing.deleted_at is None:
        # A thread exists in a category this member cannot see: not theirs to duplicate.
        flash("This item's discussion is in a category you cannot see.", "error")
        return redirect(url_for("resources.show", slug=item.slug), 303)
    category = _discussion_category(user)
    if category is None:
        flash(
            "There is no library category you can start a discussion in yet. "
            "Ask an administrator to turn the library on for a category.",
            "error",
        )
        return redirect(url_for("resources.show", slug=item.slug), 303)
    try:
        post = create_topic(
            user,
            title=_discussion_title(item),
            raw=f"[[resource:{item.slug}]]\n\n{item.summary}",
            category=category,
        )
    except ForumError as error:
        db.session.rollback()
        for message in error.messages:
            flash(message, "error")
        return redirect(url_for("resources.show", slug=item.slug), 303)
    item = db.session.get(Resource, item.id)
    item.discussion_topic_id = post.topic_id
    db.session.commit()
    flash("The discussion has started: add your thoughts below.", "success")
    return redirect(_topic_url(post.topic), 303)


def _discussion_category(user) -> Category | None:
    ids = categories_with("resources")
    if not ids:
        return None
    categories = db.session.scalars(
        select(Category).where(Category.id.in_(ids)).order_by(Category.position, Category.id)
    )
    for category in categories:
        if can(user, "category.create_topic", category):
            return category
    return None


def _discussion_title(item: Resource) -> str:
    config = current_app.config
    title = f"Discussion: {item.title}"
    if len(title) < config["MIN_TITLE_LENGTH"]:
        title = f"Discussion of the library item: {item.title}"
    limit = config["MAX_TITLE_LENGTH"]
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _topic_url(topic: Topic) -> str:
    return url_for("topics.show", slug=topic.slug, topic_id=topic.id)


# -- Which topics each category's library shows -------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """For library editors: which topics' items each library category shows."""
    user = _user()
    if not user.is_authenticated:
        raise NotLoggedIn("Please sign in to change the library's settings.")
    if not access.can_edit_all(user):
        raise InvalidAccess("Only library editors can change which topics categories show.")
    ids = categories_with("resources")
    categories = (
        list(
            db.session.scalars(
                select(Category)
                .where(Category.id.in_(ids))
                .order_by(Category.position, Category.name)
            )
        )
        if ids
        else []
    )
    errors, status = [], 200
    if request.method == "POST":
        try:
            chosen = _chosen_topics(categories)
        except ValidationFailed as error:
            errors, status = error.messages, 422
            chosen = {c.id: set(request.form.getlist(f"topics-{c.id}")) for c in categories}
        else:
            for category in categories:
                db.session.execute(
                    delete(CategoryTopic).where(CategoryTopic.category_id == category.id)
                )
                db.session.add_all(
                    CategoryTopic(category_id=category.id, topic=topic)
                    for topic in chosen[category.id]
                )
            db.session.commit()
            flash("Saved: each category's library now shows the topics ticked.", "success")
            return redirect(url_for("resources.settings"), 303)
    else:
        chosen = {c.id: set() for c in categories}
        if categories:
            rows = db.session.execute(
                select(CategoryTopic.category_id, CategoryTopic.topic).where(
                    CategoryTopic.category_id.in_([c.id for c in categories])
                )
            )
            for category_id, topic in rows:
                chosen[category_id].add(topic)
    return (
        render_template(
            "resources/settings.html", categories=categories, chosen=chosen, errors=errors
        ),
        status,
    )


def _chosen_topics(categories) -> dict[int, list[str]]:
    chosen, errors = {}, []
    for category in categories:
        values = list(dict.fromkeys(request.form.getlist(f"topics-{category.id}")))
        unknown = [value for value in values if value not in v.TOPIC_NAMES]
        if unknown:
            errors.append(f"{category.name}: {unknown[0][:40]!r} is not one of the topics.")
        chosen[category.id] = [value for value in values if value in v.TOPIC_NAMES]
    if errors:
        raise ValidationFailed(*errors)
    return chosen
