"""Admin: categories (one level of subcategories) and which groups may see, reply or create
in each.

Rules kept here: a subcategory's parent must be a top-level category, and a category that has
subcategories cannot itself get a parent. Only an empty category (no topics, deleted ones
included, and no subcategories) can be deleted; Uncategorized, where topics go by default,
keeps its slug and cannot be deleted.
"""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import EVERYONE, MEMBERS, Group
from forum.admin.blueprint import (
    MAX_ID,
    Confirmation,
    audit,
    bp,
    confirm_page,
    form_int,
    form_text,
    get_or_404,
)
from forum.admin.plugins import category_plugin_choices
from forum.bootstrap import UNCATEGORIZED
from forum.categories.models import (
    CREATE,
    PERMISSION_LABELS,
    SEE,
    Category,
    CategoryPermission,
)
from forum.errors import ForumError, NotFound
from forum.extensions import db
from forum.notifications.levels import CATEGORY_LEVELS, level_key, parse_level
from forum.notifications.models import LEVEL_NAMES
from forum.topics.models import Topic
from forum.topics.slugs import slugify

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR_RE = re.compile(r"^#?([0-9a-fA-F]{6})$")
MAX_DESCRIPTION = 1000
#: How a new category starts: public (like Discourse's default) or visible to staff only.
STARTING_ACCESS = {
    "public": "Public: everyone can read, members can start topics and reply",
    "members": "Members only: signed-in members can read, start topics and reply",
    "private": "Private: staff only, until you add groups below",
}


def text_colour_for(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative
    luminance), so category badges stay readable whatever colour an admin picks."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Contrast with white is 1.05 / (L + 0.05); with black (L + 0.05) / 0.05.
    return "FFFFFF" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "000000"


def _category(category_id: int) -> Category:
    return get_or_404(Category, category_id)


def _children_count(category: Category) -> int:
    return db.session.scalar(
        select(func.count(Category.id)).where(Category.parent_id == category.id)
    )


def _topics_count(category: Category) -> int:
    """Every topic, soft-deleted ones included (they still reference the category)."""
    return db.session.scalar(select(func.count(Topic.id)).where(Topic.category_id == category.id))


def _ordered(categories: list[Category]) -> list[Category]:
    """Top-level categories in position order, each followed by its subcategories."""
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    result = []
    ids = {c.id for c in categories}
    for category in categories:
        if category.parent_id is None or category.parent_id not in ids:
            result.append(category)
            result.extend(children.get(category.id, []))
    return result


def _all_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


@bp.get("/categories")
def categories():
    all_categories = _all_categories()
    groups = {g.id: g for g in db.session.scalars(select(Group))}
    permissions: dict[int, list[tuple[Group, int]]] = {}
    for row in db.session.scalars(select(CategoryPermission)):
        permissions.setdefault(row.category_id, []).append((groups[row.group_id], row.permission))
    for rows in permissions.values():
        rows.sort(key=lambda pair: (pair[1], pair[0].name))
    return render_template(
        "admin/categories.html",
        categories=_ordered(all_categories),
        names={c.id: c.name for c in all_categories},
        permissions=permissions,
        labels=PERMISSION_LABELS,
    )


def _form_values(category: Category | None = None) -> dict:
    if category is None:
        return {
            "name": "",
            "slug": "",
            "description": "",
            "color": "#0088CC",
            "position": "0",
            "parent_id": "",
            "access": "public",
            "default_notification_level": "normal",
        }
    return {
        "name": category.name,
        "slug": category.slug,
        "description": category.description,
        "color": "#" + category.color,
        "position": str(category.position),
        "parent_id": str(category.parent_id or ""),
        "default_notification_level": level_key(category.default_notification_level),
    }


def _read_form(category: Category | None) -> tuple[dict, dict, list[str]]:
    """``(typed values, clean values, errors)`` for the category form."""
    errors: list[str] = []
    form = {
        "name": form_text("name"),
        "slug": form_text("slug").lower(),
        "description": form_text("description", multiline=True),
        "color": form_text("color"),
        "position": form_text("position"),
        "parent_id": form_text("parent_id"),
        "access": form_text("access"),
        "default_notification_level": form_text("default_notification_level") or "normal",
    }
    clean: dict = {}
    name = form["name"]
    if not name:
        errors.append("Please enter a name.")
    elif len(name) > 50:
        errors.append("Name is too long (maximum is 50 characters).")
    else:
        clash = db.session.scalar(
            select(Category.id).where(func.lower(Category.name) == name.lower())
        )
        if clash is not None and (category is None or clash != category.id):
            errors.append("Another category already has that name.")
    clean["name"] = name

    slug = form["slug"] or slugify(name)
    if category is not None and category.slug == UNCATEGORIZED and slug != UNCATEGORIZED:
        errors.append("Uncategorized keeps its slug: new topics go there by default.")
    elif not SLUG_RE.match(slug) or len(slug) > 50:
        errors.append(
            "Slug must be up to 50 lower-case letters, digits and single hyphens (it is used "
            "in the category's web address)."
        )
    elif slug.isdigit():
        errors.append("Slug cannot be only digits (it would look like a category number).")
    else:
        clash = db.session.scalar(select(Category.id).where(Category.slug == slug))
        if clash is not None and (category is None or clash != category.id):
            errors.append("Another category already uses that slug.")
    clean["slug"] = slug

    if len(form["description"]) > MAX_DESCRIPTION:
        errors.append(f"Description is too long (maximum is {MAX_DESCRIPTION} characters).")
    clean["description"] = form["description"]

    colour = COLOUR_RE.match(form["color"])
    if colour is None:
        errors.append("Colour must be six hexadecimal digits, for example #0088CC.")
    else:
        clean["color"] = colour.group(1).upper()

    position = form_int("position", errors, "Position", default=0, maximum=100_000)
    clean["position"] = position

    clean["parent_id"] = None
    if form["parent_id"]:
        parent_id = form["parent_id"]
        parent = None
        if parent_id.isdigit() and int(parent_id) <= MAX_ID:
            parent = db.session.get(Category, int(parent_id))
        if parent is None:
            errors.append("Please choose a parent category from the list.")
        elif category is not None and parent.id == category.id:
            errors.append("A category cannot be its own parent.")
        elif parent.parent_id is not None:
            errors.append("Only top-level categories can have subcategories (one level only).")
        elif category is not None and _children_count(category):
            errors.append(
                "This category has subcategories, so it cannot become a subcategory itself."
            )
        else:
            clean["parent_id"] = parent.id

    try:
        clean["default_notification_level"] = parse_level(
            form["default_notification_level"], CATEGORY_LEVELS
        )
    except ForumError as exc:
        errors.extend(exc.messages)

    if category is None and form["access"] not in STARTING_ACCESS:
        errors.append("Please choose who can use the new category.")
    clean["access"] = form["access"]
    return form, clean, errors


def _render_form(category: Category | None, form: dict, errors=(), status=200):
    parents = [
        c
        for c in _all_categories()
        if c.parent_id is None and (category is None or c.id != category.id)
    ]
    context = {
        "category": category,
        "form": form,
        "errors": list(errors),
        "parents": parents,
        "starting_access": STARTING_ACCESS,
        "notification_levels": [(level_key(lv), LEVEL_NAMES[lv]) for lv in CATEGORY_LEVELS],
    }
    if category is not None:
        groups = list(db.session.scalars(select(Group).order_by(Group.builtin.desc(), Group.name)))
        by_id = {g.id: g for g in groups}
        rows = db.session.scalars(
            select(CategoryPermission).where(CategoryPermission.category_id == category.id)
        ).all()
        context.update(
            groups=groups,
            permission_rows=sorted(
                ((by_id[r.group_id], r.permission) for r in rows),
                key=lambda pair: (pair[1], pair[0].name),
            ),
            labels=PERMISSION_LABELS,
            has_children=_children_count(category) > 0,
            topics_count=_topics_count(category),
            is_uncategorized=category.slug == UNCATEGORIZED,
            **category_plugin_choices(category),
        )
    return render_template("admin/category_form.html", **context), status


def _apply(category: Category, clean: dict) -> None:
    category.name = clean["name"]
    category.slug = clean["slug"]
    category.description = clean["description"]
    category.color = clean["color"]
    category.text_color = text_colour_for(clean["color"])
    category.position = clean["position"]
    category.parent_id = clean["parent_id"]
    category.default_notification_level = clean["default_notification_level"]


def _starting_permissions(category: Category, access: str) -> None:
    groups = {g.name: g.id for g in db.session.scalars(select(Group).where(Group.builtin))}
    rows = {
        "public": {EVERYONE: SEE, MEMBERS: CREATE},
        "members": {MEMBERS: CREATE},
        "private": {},
    }[access]
    for name, level in rows.items():
        db.session.add(
            CategoryPermission(category_id=category.id, group_id=groups[name], permission=level)
        )


@bp.route("/categories/new", methods=["GET", "POST"])
def new_category():
    if request.method == "GET":
        return _render_form(None, _form_values())
    form, clean, errors = _read_form(None)
    if not errors:
        category = Category()
        _apply(category, clean)
        db.session.add(category)
        try:
            db.session.flush()
            _starting_permissions(category, clean["access"])
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            errors.append("Another category already has that name or slug.")
        else:
            audit("create category", category.slug, access=clean["access"])
            flash(f"Created the category {category.name}.", "success")
            return redirect(url_for("admin.edit_category", category_id=category.id))
    return _render_form(None, form, errors, status=422)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
def edit_category(category_id):
    category = _category(category_id)
    if request.method == "GET":
        return _render_form(category, _form_values(category))
    form, clean, errors = _read_form(category)
    if not errors:
        before = _form_values(category)
        _apply(category, clean)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            errors.append("Another category already has that name or slug.")
        else:
            audit("edit category", category.slug, before=before, after=_form_values(category))
            flash(f"Saved {category.name}.", "success")
            return redirect(url_for("admin.edit_category", category_id=category.id))
    return _render_form(category, form, errors, status=422)


@bp.post("/categories/<int:category_id>/permissions")
def set_category_permission(category_id):
    """Add a group to the category, or change the level it already has."""
    category = _category(category_id)
    errors: list[str] = []
    group_id = form_int("group_id", errors, "Group", default=None, minimum=1, maximum=MAX_ID)
    level = form_int("permission", errors, "Level", default=None, minimum=CREATE, maximum=SEE)
    group = db.session.get(Group, group_id) if group_id else None
    if group_id and group is None:
        errors.append("Please choose a group from the list.")
    if errors:
        return _render_form(category, _form_values(category), errors, status=422)
    row = db.session.get(CategoryPermission, (category.id, group.id))
    before = row.permission if row else None
    if row is None:
        db.session.add(
            CategoryPermission(category_id=category.id, group_id=group.id, permission=level)
        )
    else:
        row.permission = level
    db.session.commit()
    audit("set category permission", category.slug, group=group.name, before=before, after=level)
    flash(f"{group.display_name or group.name}: {PERMISSION_LABELS[level]}.", "success")
    return redirect(url_for("admin.edit_category", category_id=category.id) + "#permissions")


@bp.post("/categories/<int:category_id>/permissions/<int:group_id>/remove")
def remove_category_permission(category_id, group_id):
    category = _category(category_id)
    row = (
        db.session.get(CategoryPermission, (category.id, group_id)) if group_id <= MAX_ID else None
    )
    if row is None:
        raise NotFound()
    group = db.session.get(Group, group_id)
    db.session.delete(row)
    db.session.commit()
    audit("remove category permission", category.slug, group=group.name, before=row.permission)
    flash(f"{group.display_name or group.name} no longer has access to {category.name}.", "success")
    return redirect(url_for("admin.edit_category", category_id=category.id) + "#permissions")


@bp.route("/categories/<int:category_id>/delete", methods=["GET", "POST"])
def delete_category(category_id):
    category = _category(category_id)
    problem = None
    if category.slug == UNCATEGORIZED:
        problem = "Uncategorized cannot be deleted: new topics go there by default."
    elif _children_count(category):
        problem = "This category has subcategories. Move or delete them first."
    elif _topics_count(category):
        problem = "Only an empty category can be deleted. Move its topics elsewhere first."
    if problem:
        flash(problem, "error")
        return redirect(url_for("admin.edit_category", category_id=category.id))
    if request.method == "GET":
        return confirm_page(
            Confirmation(
                title=f"Delete the category {category.name}?",
                message="It has no topics. Its permission settings are deleted with it.",
                action=url_for("admin.delete_category", category_id=category.id),
                button="Delete category",
                cancel=url_for("admin.edit_category", category_id=category.id),
            )
        )
    db.session.execute(
        delete(CategoryPermission).where(CategoryPermission.category_id == category.id)
    )
    db.session.delete(category)
    db.session.commit()
    audit("delete category", category.slug)
    flash(f"Deleted the category {category.name}.", "success")
    return redirect(url_for("admin.categories"))
