"""Admin: the loaded plugins (what ``flask forum plugins`` prints) and which plugins are
enabled on each category."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from forum.admin.blueprint import audit, bp, get_or_404
from forum.categories.models import Category
from forum.extensions import db
from forum.plugin_system import current_plugins
from forum.plugin_system.enablement import categories_with, enabled_plugins, set_enabled


@bp.get("/plugins")
def plugins():
    loaded = current_plugins()
    categories = {c.id: c for c in db.session.scalars(select(Category).order_by(Category.name))}
    rows = [
        {
            "info": info,
            "hooks": loaded.hooks_of(info.name),
            "categories": [
                categories[cid] for cid in categories_with(info.name) if cid in categories
            ],
        }
        for info in loaded.extensions
    ]
    core = [
        {"info": info, "hooks": loaded.hooks_of(info.name)}
        for info in loaded.infos.values()
        if info.core
    ]
    return render_template("admin/plugins.html", rows=rows, core=core)


def category_plugin_choices(category: Category) -> dict:
    """For the category form: the plugins an admin can enable and those enabled now."""
    return {
        "available_plugins": current_plugins().extensions,
        "enabled_plugins": enabled_plugins(category.id),
    }


@bp.post("/categories/<int:category_id>/plugins")
def set_category_plugins(category_id):
    """Enable exactly the ticked plugins on the category."""
    category = get_or_404(Category, category_id)
    loaded = {info.name for info in current_plugins().extensions}
    ticked = [name for name in request.form.getlist("plugin") if name in loaded]
    before = sorted(enabled_plugins(category.id))
    set_enabled(category, ticked)
    db.session.commit()
    audit("set category plugins", category.slug, before=before, after=sorted(ticked))
    names = ", ".join(sorted(ticked)) or "none"
    flash(f"Plugins enabled on {category.name}: {names}.", "success")
    return redirect(url_for("admin.edit_category", category_id=category.id) + "#plugins")
