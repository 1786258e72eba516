"""Notifications: who is told what, at which level, under the bell and by e-mail.

Public services for plugins: :func:`notify` (tell one person of a registered kind of
event, in the caller's transaction) and :func:`unread_count`. The rest of the package:
``models`` (tables), ``levels`` (Watching, Tracking...), ``service`` (notifications made in a
post's transaction), ``fanout`` (watchers and groups, after the response), ``types`` (the
kinds and their words), ``preferences`` and ``views``.
"""

from __future__ import annotations

from flask import Flask

from forum.notifications.service import notify, unread_count

__all__ = ["init_app", "notify", "unread_count"]


def init_app(app: Flask) -> None:
    from forum.notifications import fanout, views

    fanout.init_app(app)
    app.jinja_env.globals["notification_bell"] = views.bell
    app.jinja_env.globals["topic_level_choice"] = views.topic_level_choice
    app.jinja_env.globals["category_level_choice"] = views.category_level_choice
