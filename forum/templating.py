"""Jinja set-up: filters and globals every template may use."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, g, request
from flask_login import current_user

from forum.database import utcnow


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


def init_app(app: Flask) -> None:
    env = app.jinja_env
    env.filters["iso"] = iso
    env.filters["ago"] = ago
    env.filters["full_date"] = full_date
    env.globals["page_url"] = page_url
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
