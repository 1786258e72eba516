"""The benchmark's "with every plugin" rows: load every plugin in the tree (the first-party
ones in plugins/ and the example in tests/plugins/) on the corpus, as a site using them all
would: their migrations applied, their demo rows seeded, each enabled on every category, and
one object of each attachment type that offers a picker attached to every fifth post of the
measured topic page (posts 1, 6, 11 and 16, as a thread that cites an SLA or a library item
now and then). Without the plugins loaded, none of this changes what the core does
(it neither queries attachments nor asks plugins of a category when none is loaded)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bench.corpus import database_url
from tests.contract.databases import plugin_packages


def plugin_env(env: dict) -> dict:
    return {**env, "FORUM_PLUGINS": json.dumps(plugin_packages())}


def prepare(data_dir: Path, facts: dict) -> list[str]:
    """Set the corpus up for every plugin (safe to repeat); returns their names."""
    from flask_migrate import upgrade
    from sqlalchemy import delete, select

    from forum import create_app
    from forum.accounts.models import User
    from forum.attachments import services as attachments
    from forum.attachments.models import PostAttachment
    from forum.categories.models import Category
    from forum.extensions import db
    from forum.plugin_system import current_plugins, fire
    from forum.plugin_system.enablement import set_enabled
    from forum.topics.models import Post

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
        topic_id = facts["topic"]["id"]
        in_topic = select(Post.id).where(Post.topic_id == topic_id)
        db.session.execute(delete(PostAttachment).where(PostAttachment.post_id.in_(in_topic)))
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
        db.engine.dispose()
    return names
