"""A person's e-mail and notification preferences: reading, validating and saving the
preferences form (every field is checked before anything is written)."""

from __future__ import annotations

from sqlalchemy import select

from forum.database import upsert_insert
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.notifications import levels
from forum.notifications.fanout import announcement_recipients
from forum.notifications.models import (
    CategoryUser,
    UserOption,
)
from forum.topics.queries import visible_categories

MAILING_LIST_MODES = {
    "off": "Off",
    "every_post": "Every new post, as it is written",
    "daily": "One digest a day",
}
SUMMARY_FREQUENCIES = {"never": "Never", "daily": "Daily", "weekly": "Weekly"}


def options_of(user) -> UserOption:
    """The person's options (the defaults, unsaved, if they never changed any)."""
    options = db.session.get(UserOption, user.id)
    if options is None:
        options = UserOption(
            user_id=user.id,
            email_personal=True,
            mailing_list_mode="off",
            mailing_list_include_own=False,
            summary_frequency="never",
        )
    return options


def category_choices(user) -> list[tuple]:
    """``[(category, level, chosen)]`` for every category ``user`` can see."""
    categories = visible_categories(user)
    chosen = dict(
        db.session.execute(
            select(CategoryUser.category_id, CategoryUser.notification_level).where(
                CategoryUser.user_id == user.id
            )
        ).all()
    )
    return [(c, chosen.get(c.id, c.default_notification_level), c.id in chosen) for c in categories]


def _choice(form, name: str, allowed: dict) -> str:
    value = form.get(name, "")
    if value not in allowed:
        raise ValidationFailed(f"Choose one of: {', '.join(allowed.values())}.")
    return value


def save(user, form) -> None:
    """Apply the preferences form. Category fields are ``category_<id>``; a category the
    person cannot see is refused like one that does not exist."""
    mode = _choice(form, "mailing_list_mode", MAILING_LIST_MODES)
    summary = _choice(form, "summary_frequency", SUMMARY_FREQUENCIES)
    visible = {c.id: (c, level) for c, level, _ in category_choices(user)}
    changes: dict[int, int] = {}
    for name, value in form.items():
        if not name.startswith("category_"):
            continue
        raw_id = name.removeprefix("category_")
        category_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 12 else None
        if category_id not in visible:
            raise ValidationFailed("One of the categories in the form does not exist.")
        level = levels.parse_level(value, levels.CATEGORY_LEVELS)
        if level != visible[category_id][1]:
            changes[category_id] = level
    options = db.session.get(UserOption, user.id)
    if options is None:
        options = UserOption(user_id=user.id)
        db.session.add(options)
    options.email_personal = form.get("email_personal") == "on"
    options.mailing_list_mode = mode
    options.mailing_list_include_own = form.get("mailing_list_include_own") == "on"
    options.summary_frequency = summary
    for category_id, level in changes.items():
        levels.store_category_level(user.id, category_id, level)
    db.session.commit()


def store_options(user_id: int, **values) -> None:
    """Write some of a person's options, creating their row with the defaults for the rest,
    in the caller's transaction. Options change no page a visitor is served from cache."""
    statement = upsert_insert(UserOption).values(user_id=user_id, **values)
    statement = statement.on_conflict_do_update(index_elements=["user_id"], set_=values)
    db.session.execute(statement.execution_options(forum_untracked=True))


def announcement_audience(topic, announcer) -> int:
    """How many people an announcement of ``topic`` would e-mail now (for the
    confirmation page)."""
    return len(announcement_recipients(topic, announcer.id))
