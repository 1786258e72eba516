"""The notification pages: the list behind the bell, the topic and category level forms,
e-mail preferences and the moderator's announcement. JSON twins are in
:mod:`forum.api.notifications`."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.accounts.views import safe_next
from forum.categories.models import Category
from forum.errors import ForumError, InvalidParameters
from forum.extensions import db
from forum.notifications import levels, preferences, service, types
from forum.notifications.models import LEVEL_HELP, LEVEL_NAMES
from forum.permissions import can
from forum.topics import queries

bp = Blueprint("notifications", __name__)


def _sign_in():
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _page_number() -> int:
    value = request.args.get("page", "1")
    if not value.isdigit() or len(value) > 6 or int(value) < 1:
        raise InvalidParameters("page", "a page number from 1")
    return int(value) - 1


@bp.get("/notifications")
def index():
    if not current_user.is_authenticated:
        return _sign_in()
    page = service.notifications_for(current_user, page=_page_number())
    return render_template("notifications/index.html", page=page)


@bp.get("/notifications/<int:notification_id>/open")
def open_notification(notification_id):
    """Follow a notification: it is marked read and leads to what it is about."""
    if not current_user.is_authenticated:
        return _sign_in()
    notification = service.own_notification(current_user, notification_id)
    described = types.describe(notification)
    if not notification.read:
        service.mark_read(current_user, notification.id)
    return redirect(described.url, 303)


@bp.post("/notifications/read-all")
def mark_read():
    if not current_user.is_authenticated:
        return _sign_in()
    count = service.mark_read(current_user)
    flash(f"Marked {count} notification{'' if count == 1 else 's'} read.", "success")
    return redirect(url_for(".index"), 303)


@bp.post("/t/<int:topic_id>/notification-level")
def topic_level(topic_id):
    topic = queries.get_topic(current_user, topic_id)
    if not current_user.is_authenticated:
        return _sign_in()
    level = levels.set_topic_level(current_user, topic, request.form.get("notification_level", ""))
    flash(f"You are now {LEVEL_NAMES[level].lower()} this topic.", "success")
    return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id), 303)


@bp.post("/c/<int:category_id>/notification-level")
def category_level(category_id):
    category = queries.get_category(current_user, category_id)
    if not current_user.is_authenticated:
        return _sign_in()
    level = levels.set_category_level(
        current_user, category, request.form.get("notification_level", "")
    )
    flash(f"{category.name}: {LEVEL_NAMES[level]}.", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("categories.index"), 303)


@bp.route("/my/preferences/emails", methods=["GET", "POST"])
def email_preferences():
    if not current_user.is_authenticated:
        return _sign_in()
    user = current_user._get_current_object()
    errors: list[str] = []
    if request.method == "POST":
        try:
            preferences.save(user, request.form)
        except ForumError as exc:
            db.session.rollback()
            errors = exc.messages
        else:
            flash("Your e-mail and notification preferences are saved.", "success")
            return redirect(url_for(".email_preferences"), 303)
    return render_template(
        "notifications/preferences.html",
        options=preferences.options_of(user),
        categories=preferences.category_choices(user),
        level_names=LEVEL_NAMES,
        level_help=LEVEL_HELP,
        category_levels=levels.CATEGORY_LEVELS,
        mailing_modes=preferences.MAILING_LIST_MODES,
        summary_frequencies=preferences.SUMMARY_FREQUENCIES,
        personal_delay=current_app.config["MAIL_PERSONAL_DELAY_SECONDS"],
        errors=errors,
    ), (422 if errors else 200)


@bp.get("/my/preferences")
def preferences_home():
    return redirect(url_for(".email_preferences"))


@bp.route("/t/<int:topic_id>/announce", methods=["GET", "POST"])
def announce(topic_id):
    topic = queries.get_topic(current_user, topic_id)
    if not current_user.is_authenticated:
        return _sign_in()
    if not can(current_user, "topic.announce", topic):
        abort(403)
    if request.method == "GET":
        return render_template(
            "notifications/announce.html",
            topic=topic,
            audience=preferences.announcement_audience(topic, current_user),
        )
    service.announce(current_user, topic)
    flash("Announcement queued: it is being e-mailed to the category's watchers.", "success")
    return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id), 303)


def topic_level_choice(topic) -> dict | None:
    """The viewer's level for ``topic`` and the choices, for the form under the posts."""
    if not current_user.is_authenticated:
        return None
    level = levels.effective_topic_level(current_user.id, topic)
    return {
        "level": level,
        "choices": [(lv, LEVEL_NAMES[lv], LEVEL_HELP[lv]) for lv in levels.TOPIC_LEVELS],
        "can_announce": topic.announced_at is None and can(current_user, "topic.announce", topic),
        "announced_at": topic.announced_at,
    }


def category_level_choice(category: Category) -> dict | None:
    if not current_user.is_authenticated:
        return None
    level = levels.category_level(current_user.id, category)
    return {
        "level": level,
        "choices": [(lv, LEVEL_NAMES[lv], LEVEL_HELP[lv]) for lv in levels.CATEGORY_LEVELS],
    }


def bell() -> dict | None:
    """The header's bell: the unread count (one indexed query per signed-in page)."""
    if not current_user.is_authenticated:
        return None
    return {"unread": service.unread_count(current_user)}
