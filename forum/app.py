"""The application factory. It reads top to bottom as the order of set-up; nothing here runs
at import time."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFError

from forum import (
    content_version,
    errors,
    notifications,
    page_cache,
    permissions,
    plugin_system,
    rendering,
    request_checks,
    search,
)
from forum.accounts import auth
from forum.config import DefaultConfig
from forum.database import configure_database_uri, install_sqlite_pragmas
from forum.extensions import csrf, db, limiter, login_manager, migrate
from forum.plugin_system.migrations import configure_alembic
from forum.topics import view_counter

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping | None = None) -> Flask:
    app = Flask(
        "forum",
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=os.environ.get("FORUM_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
    )
    load_config(app, config)
    plugin_system.init_app(app)  # plugins' settings and models, before anything reads them
    content_version.init_app(app)
    init_extensions(app)
    errors.init_app(app)
    request_checks.init_app(app)  # before auth: refuse undecodable requests first
    rendering.init_app(app)
    auth.init_app(app)
    permissions.init_app(app)
    view_counter.init_app(app)
    page_cache.init_app(app)
    search.init_app(app)
    notifications.init_app(app)
    register_blueprints(app)
    configure_templates(app)
    configure_responses(app)
    register_cli(app)
    return app


def load_config(app: Flask, config: Mapping | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("forum.cfg", silent=True)
    app.config.from_prefixed_env("FORUM")
    if config:
        app.config.update(config)
    data_dir = app.config.get("DATA_DIR") or app.instance_path
    app.config["DATA_DIR"] = data_dir
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _persistent_secret_key(data_dir)
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_MAX_AGE_SECONDS"]
    configure_database_uri(app)


def _persistent_secret_key(data_dir: str) -> str:
    """A random key generated on first start and kept in the data folder."""
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, "secret_key")
    try:
        with open(path) as f:
            key = f.read().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def init_extensions(app: Flask) -> None:
    import forum.models  # noqa: F401 - every table must be known before migrations run

    db.init_app(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    if configure_alembic not in migrate.configure_callbacks:  # plugins' revision folders
        migrate.configure(configure_alembic)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.register_error_handler(CSRFError, errors.csrf_failed)


def register_blueprints(app: Flask) -> None:
    from forum.accounts.avatars import bp as avatars_bp
    from forum.accounts.views import bp as accounts_bp
    from forum.admin.views import bp as admin_bp
    from forum.api import bp as api_bp
    from forum.attachments.views import bp as attachments_bp
    from forum.categories.views import bp as categories_bp
    from forum.mail.views import bp as mail_bp
    from forum.notifications.views import bp as notifications_bp
    from forum.reading.views import bp as reading_bp
    from forum.search.views import bp as search_bp
    from forum.topics.views import bp as topics_bp

    blueprints = (topics_bp, categories_bp, accounts_bp, avatars_bp, admin_bp, api_bp)
    for bp in (*blueprints, attachments_bp, search_bp, notifications_bp, reading_bp):
        app.register_blueprint(bp)
    app.register_blueprint(mail_bp)  # /email/unsubscribe/<key>
    plugin_system.register_blueprints(app)


def configure_templates(app: Flask) -> None:
    from forum import templating

    templating.init_app(app)
    plugin_system.add_template_folders(app)


def configure_responses(app: Flask) -> None:
    # Discourse clients compare the whole Content-Type string.
    app.json.mimetype = "application/json; charset=utf-8"
    app.json.sort_keys = False

    from forum import security_headers

    security_headers.init_app(app)


def register_cli(app: Flask) -> None:
    from forum.cli import make_cli

    app.cli.add_command(make_cli(app))
