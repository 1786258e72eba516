"""The benchmark's "with every plugin" rows: load every plugin in the tree (the first-party
ones in plugins/ and the example in tests/plugins/) on the corpus, as a site using them all
would: their migrations applied, their demo rows seeded and each enabled on every category.
The measured topic stays as it is, so with and without plugins the page shows the same posts:
that is the cost of loading them. A second topic (:func:`prepare` returns its id) gets one
object of each attachment type that offers a picker on every fifth post of its first page
(posts 1, 6, 11 and 16, as a thread that cites an SLA or a library item now and then): the
cost of showing attachments. Without the plugins loaded, none of this changes what the core does
(it neither queries attachments nor asks plugins of a category when none is loaded)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bench.corpus import database_url
from tests.contract.databases import plugin_packages


def plugin_env(env: dict) -> dict:
    return {**env, "FORUM_PLUGINS": json.dumps(plugin_packages())}


def prepare(data_dir: Path, facts: dict) -> list[str]:
    """Set the corpus up for every plugin (safe to repeat); returns their names and the
    path of the topic with attachments."""
    from flask_migrate import upgrade
    from sqlalchemy import delete, select, update

    from forum import create_app
    from forum.accounts.models import User
    from forum.attachments import services as attachments
    from forum.attachments.models import PostAttachment
    from forum.categories.models import Category
    from forum.extensions import db
    from forum.plugin_system import current_plugins, fire
    from forum.plugin_system.enablement import set_enabled
    from forum.topics.models import Post, Topic

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(data_dir),
            "DATA_DIR": str(data_dir),
            "SECRET_KEY": "bench-plugins",
            "PLUGINS": plugin_packages(),
            "LOAD_ENTRY_POINTS": False,
        }
    )
    with app.app_context():
        upgrade(revision="heads")
        plugins = current_plugins()
        names = [info.name for info in plugins.extensions]
        users = {u.username: u for u in db.session.scalars(select(User))}
        categories = {c.slug: c for c in db.session.scalars(select(Category))}
        fire("seed_demo_data", users=users, categories=categories)
        for category in categories.values():
            set_enabled(category, names)
        db.session.commit()
        db.session.execute(delete(PostAttachment))
        db.session.execute(update(Post).values(attachment_count=0))
        topic = db.session.scalar(
            select(Topic)
            .where(Topic.posts_count >= 20, Topic.id != facts["topic"]["id"])
            .order_by(Topic.id)
            .limit(1)
        )
        topic_id = topic.id
        posts = db.session.scalars(
            select(Post).where(
                Post.topic_id == topic_id, Post.post_number <= 20, Post.post_number % 5 == 1
            )
        ).all()
        category = db.session.get(Category, facts["category"]["id"])
        for kind in plugins.attachment_types.values():
            if kind.options is None:
                continue
            choices = kind.options(posts[0].user, category)
            if not choices:
                continue
            for post in posts:
                checked = attachments.check(post.user, category, [(kind.key, choices[0][0])])
                attachments.add(post.user, post, checked)
        db.session.commit()
        path = f"/t/{topic.slug}/{topic.id}"
        db.engine.dispose()
    return names, path
