"""Fixtures and helpers for the reading-state tests: a category everyone can see, alice who
writes, bob who reads, and shortcuts for what bob's browser sends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import CategoryUser, TopicUser
from tests.factories import make_category, make_user


@pytest.fixture
def category(app):
    return make_category("Contracts")


@pytest.fixture
def alice(app):
    return make_user("alice")


@pytest.fixture
def bob(app):
    return make_user("bob")


def read(client, topic, post_number: int, *, status: int = 200):
    """What the topic page's script sends once post ``post_number`` has been seen."""
    response = client.post(
        "/topics/timings",
        data={"topic_id": topic.id, "topic_time": 1500, f"timings[{post_number}]": 1500},
    )
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def topic_user(user, topic) -> TopicUser | None:
    db.session.expire_all()
    return db.session.scalar(
        select(TopicUser).where(TopicUser.user_id == user.id, TopicUser.topic_id == topic.id)
    )


def last_read(user, topic) -> int | None:
    row = topic_user(user, topic)
    return row.last_read_post_number if row else None


def set_category_level(user, category, level: int) -> None:
    db.session.add(CategoryUser(user_id=user.id, category_id=category.id, notification_level=level))
    db.session.commit()


def set_topic_level(user, topic, level: int) -> None:
    row = topic_user(user, topic)
    if row is None:
        row = TopicUser(user_id=user.id, topic_id=topic.id)
        db.session.add(row)
    row.notification_level = level
    db.session.commit()


def topic_ids(client, path: str) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [t["id"] for t in response.get_json()["topic_list"]["topics"]]


def listed(client, path: str, topic) -> dict:
    """The topic's entry in a JSON topic list."""
    for item in client.get(path).get_json()["topic_list"]["topics"]:
        if item["id"] == topic.id:
            return item
    raise AssertionError(f"topic {topic.id} not in {path}")
