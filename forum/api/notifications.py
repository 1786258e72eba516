"""Notifications in Discourse's dialect: ``/notifications.json``, marking read, topic and
category notification levels, and the composer's mention check."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from forum.accounts.models import Group, User
from forum.api import bp
from forum.api.params import int_param, request_params, text_list
from forum.api.topics import viewer
from forum.errors import InvalidParameters, NotLoggedIn
from forum.extensions import db
from forum.notifications import levels, service, types
from forum.permissions import can
from forum.topics import queries
from forum.topics.models import Topic


def _signed_in():
    user = viewer()
    if not user.is_authenticated:
        raise NotLoggedIn()
    return user


def serialize_notification(n, described: types.Described, topic_slugs: dict) -> dict:
    data = types.data_of(n)
    return {
        "id": n.id,
        "user_id": n.user_id,
        "notification_type": types.discourse_code(n.type),
        "notification_type_name": n.type,
        "read": n.read,
        "high_priority": n.type in types.PERSONAL,
        "created_at": n.created_at.isoformat(timespec="milliseconds") + "Z",
        "post_number": n.post_number,
        "topic_id": n.topic_id,
        "slug": topic_slugs.get(n.topic_id),
        "fancy_title": described.topic_title or None,
        "data": {
            "message": described.text,
            "url": described.url,
            "topic_title": described.topic_title or None,
            "display_username": described.actor.username if described.actor else None,
            "original_post_id": n.post_id,
            **({"group_name": data["group"]} if "group" in data else {}),
        },
    }


@bp.get("/notifications.json")
def list_notifications():
    user = _signed_in()
    params = request_params()
    offset = int_param(params, "offset", minimum=0) or 0
    per_page = 60
    page = service.notifications_for(user, page=offset // per_page, per_page=per_page)
    topic_ids = {n.topic_id for n in page.notifications if n.topic_id}
    slugs = (
        dict(db.session.execute(select(Topic.id, Topic.slug).where(Topic.id.in_(topic_ids))).all())
        if topic_ids
        else {}
    )
    return jsonify(
        {
            "notifications": [
                serialize_notification(n, page.described[n.id], slugs) for n in page.notifications
            ],
            "total_rows_notifications": page.total,
            "unread_notifications": service.unread_count(user),
            "load_more_notifications": f"/notifications.json?offset={offset + per_page}"
            if page.has_more
            else None,
        }
    )


@bp.route("/notifications/mark-read", methods=["PUT", "POST"])
@bp.route("/notifications/mark-read.json", methods=["PUT", "POST"])
def mark_notifications_read():
    """All of the user's notifications, or the one named by ``id``."""
    user = _signed_in()
    notification_id = int_param(request_params(), "id", minimum=1)
    if notification_id is not None:
        service.own_notification(user, notification_id)
    service.mark_read(user, notification_id)
    return jsonify({"success": "OK", "unread_notifications": service.unread_count(user)})


@bp.post("/t/<id:topic_id>/notifications")
@bp.post("/t/<id:topic_id>/notifications.json")
def set_topic_notification_level(topic_id):
    user = _signed_in()
    topic = queries.get_topic(user, topic_id)
    value = request_params().get("notification_level")
    if value is None:
        raise InvalidParameters("notification_level", "0 to 3, or a level's name")
    level = levels.set_topic_level(user, topic, value)
    return jsonify({"success": "OK", "notification_level": level})


@bp.post("/category/<id:category_id>/notifications")
@bp.post("/category/<id:category_id>/notifications.json")
def set_category_notification_level(category_id):
    user = _signed_in()
    category = queries.get_category(user, category_id)
    value = request_params().get("notification_level")
    if value is None:
        raise InvalidParameters("notification_level", "0 to 4, or a level's name")
    level = levels.set_category_level(user, category, value)
    return jsonify({"success": "OK", "notification_level": level})


@bp.get("/composer/mentions")
@bp.get("/composer/mentions.json")
def composer_mentions():
    """Which ``names[]`` are people and groups, and which of them could not see the topic
    (``topic_id``) or category (``category_id``) being written in, so the composer can warn
    that they will not be notified."""
    user = _signed_in()
    params = request_params()
    names = [n.lstrip("@").lower() for n in text_list(params, "names") if n.strip()][:20]
    topic_id = int_param(params, "topic_id", minimum=1)
    category_id = int_param(params, "category_id", minimum=1)
    if topic_id is not None:
        topic = queries.get_topic(user, topic_id)
        category = topic.category
    elif category_id is not None:
        category = queries.get_category(user, category_id)
    else:
        category = None
    users = db.session.scalars(
        select(User).where(User.username_lower.in_(names), User.status == "active")
    ).all()
    groups = db.session.scalars(
        select(Group).where(Group.name.in_(names), Group.builtin.is_(False))
    ).all()
    reasons = {}
    for person in users:
        if topic_id is not None and not can(person, "topic.see", topic):
            reasons[person.username] = "private"
        elif category is not None and not can(person, "category.see", category):
            reasons[person.username] = "private"
    return jsonify(
        {
            "users": [u.username for u in users],
            "user_reasons": reasons,
            "groups": {g.name: {"user_count": None} for g in groups},
            "group_reasons": {},
            "max_users_notified_per_group_mention": None,
        }
    )
