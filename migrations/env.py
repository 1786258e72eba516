"""Alembic environment for Flask-Migrate: the app's engine and metadata, limited to the tables
of the core and the app's plugins (``-x plugin=<name>`` while autogenerating: that plugin's
only; see forum/plugin_system/migrations.py)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from forum.plugin_system.migrations import include_object

config = context.config
# disable_existing_loggers=False: running migrations must not silence the app's own loggers.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
# Flask-SQLAlchemy 3 exposes the engine directly (get_engine() is deprecated).
engine = migrate_ext.db.engine
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)
target_metadata = migrate_ext.db.metadata
owner_filter = include_object(
    current_app,
    autogenerate=bool(getattr(config.cmd_opts, "autogenerate", False)),
    only=context.get_x_argument(as_dictionary=True).get("plugin"),
)


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        include_object=owner_filter,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # Don't write an empty revision when autogenerate finds no change.
        if getattr(config.cmd_opts, "autogenerate", False):
            if directives[0].upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(migrate_ext.configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("include_object", owner_filter)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
