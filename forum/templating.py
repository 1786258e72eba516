"""Jinja set-up: filters and globals every template may use."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask, g, request
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from forum.database import utcnow
from forum.hooktypes import NavItem
from forum.plugin_system import slot
from forum.plugin_system.calls import recover_session


def iso(value: datetime | None) -> str:
    """Discourse's timestamp format: ISO 8601 UTC with milliseconds."""
    if value is None:
        return ""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def ago(value: datetime | None) -> str:
    """A short relative time: ``just now``, ``5m``, ``3h``, ``2d``, else ``12 Mar 2025``."""
    if value is None:
        return ""
    seconds = (utcnow() - value).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 30 * 86400:
        return f"{int(seconds // 86400)}d"
    return f"{value.day} {value:%b %Y}"


def full_date(value: datetime | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y, %H:%M} UTC"


def page_url(page: int) -> str:
    """The current URL with ``page`` replaced (for pagination links)."""
    args = request.args.to_dict()
    if page <= 1:
        args.pop("page", None)
    else:
        args["page"] = str(page)
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return request.path + (f"?{query}" if query else "")


def main_nav() -> list[tuple[NavItem, bool]]:
    """The main navigation (the ``nav_items`` slot), each item with whether it is the
    current page's: named by the view (``g.nav_active``) or an ancestor of the path."""
    active = g.get("nav_active")
    path = request.path
    items = []
    for item in slot("nav_items", user=current_user._get_current_object()):
        prefix = item.url.rstrip("/")
        current = item.key == active or (
            bool(prefix) and (path == prefix or path.startswith(prefix + "/"))
        )
        items.append((item, current))
    return items


log = logging.getLogger("forum.plugins")


def _render_isolated(context, owner: str, template: str, **values) -> Markup:
    """A plugin's template rendered (autoescaped) on its own, with the calling page's
    context plus ``values``, so that one that fails is logged under its plugin's name and
    left out instead of taking the page down. (Not ``render_template``: that would run
    every context processor again for each attachment of a page.)"""
    if not isinstance(template, str) or not template.endswith(".html"):
        # Only .html templates are autoescaped: anything else could write raw text.
        log.error("plugin %r: template %r must be an .html file", owner, template)
        return Markup("")
    try:
        compiled = context.environment.get_template(template)
        return Markup(compiled.render({**context.get_all(), **values}))
    except Exception:
        log.exception("plugin %r failed to render %r", owner, template)
        recover_session()
        return Markup("")


@pass_context
def render_panel(context, panel) -> Markup:
    """A :class:`~forum.hooktypes.Panel` or :class:`~forum.hooktypes.ListView`; its
    template sees it as ``panel``."""
    return _render_isolated(context, panel.key.split(".", 1)[0], panel.template, panel=panel)


@pass_context
def render_attachment(context, shown) -> Markup:
    """One attachment under a post; its type's template sees ``attachment`` (the object)
    and ``attachment_type``."""
    kind = shown.type
    return _render_isolated(
        context, kind.plugin, kind.template, attachment=shown.object, attachment_type=kind
    )


def init_app(app: Flask) -> None:
    env = app.jinja_env
    env.filters["iso"] = iso
    env.filters["ago"] = ago
    env.filters["full_date"] = full_date
    env.globals["page_url"] = page_url
    env.globals["main_nav"] = main_nav
    env.globals["render_panel"] = render_panel
    env.globals["render_attachment"] = render_attachment
    env.trim_blocks = True
    env.lstrip_blocks = True

    @app.context_processor
    def _site():
        return {
            "site_name": app.config["SITE_NAME"],
            "site_description": app.config["SITE_DESCRIPTION"],
            "current_user": current_user,
            "nav_active": g.get("nav_active"),
        }
