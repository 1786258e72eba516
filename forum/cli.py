"""``flask forum …``: the command group is built per app (no module-level group is mutated)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from forum import plugin_system, search
from forum.accounts import services as accounts
from forum.bootstrap import ensure_defaults
from forum.categories.models import Category
from forum.errors import ForumError
from forum.extensions import db


def _upgrade_all_heads_by_default() -> None:
    """``flask db upgrade`` with no revision upgrades every branch (``heads``): the core's
    and each plugin's. Alembic's own default, ``head``, fails once a plugin adds a branch."""
    from flask_migrate.cli import upgrade as upgrade_command

    for param in upgrade_command.params:
        if param.name == "revision":
            param.default = "heads"


def make_cli(app: Flask) -> AppGroup:
    _upgrade_all_heads_by_default()
    cli = AppGroup("forum", help="Manage the forum.")

    @cli.command("init")
    @click.option("--admin", "admin_username", help="Create this admin unless it exists.")
    @click.option("--email", help="The admin's e-mail address.")
    @click.option("--password", help="The admin's password (at least 10 characters).")
    def init_command(admin_username, email, password):
        """Apply migrations and create the built-in rows (safe to run twice)."""
        click.echo("Applying migrations…")
        upgrade(revision="heads")
        ensure_defaults()
        if admin_username:
            _ensure_admin(admin_username, email, password)
        click.echo("The forum is ready.")

    @cli.command("create-admin")
    @click.argument("username")
    @click.option("--email", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_admin_command(username, email, password):
        """Create an administrator account."""
        _ensure_admin(username, email, password)

    @cli.group("api-key")
    def api_key_group():
        """Create, list and revoke API keys."""

    @api_key_group.command("create")
    @click.argument("username", required=False)
    @click.option("--all-users", is_flag=True, help="A key that may act as any user.")
    @click.option("--description", default="", help="What the key is for.")
    def api_key_create(username, all_users, description):
        """Create a key for USERNAME (or --all-users); the key is the last line printed."""
        if all_users == bool(username):
            raise click.UsageError("Give either a USERNAME or --all-users.")
        user = None
        if username:
            user = accounts.find_user(username)
            if user is None:
                raise click.ClickException(f"No user called {username!r}.")
        api_key, key = accounts.create_api_key(user, description=description)
        who = user.username if user else "any user (all-users key)"
        click.echo(f"Created API key #{api_key.id} for {who}. It is shown only once:")
        click.echo(key)

    @api_key_group.command("revoke")
    @click.argument("key_id", type=int)
    def api_key_revoke(key_id):
        """Revoke the key with id KEY_ID."""
        from forum.accounts.models import ApiKey

        api_key = db.session.get(ApiKey, key_id)
        if api_key is None:
            raise click.ClickException(f"No API key #{key_id}.")
        accounts.revoke_api_key(api_key)
        click.echo(f"Revoked API key #{key_id}.")

    @cli.command("seed-demo")
    @click.option(
        "--if-empty", is_flag=True, help="Do nothing (but print the logins) if any topic exists."
    )
    def seed_demo_command(if_empty):
        """Load the LMC demo content: organisations, categories, users and 32 threads."""
        from forum.demo import seed

        ensure_defaults()
        sample = seed.demo_member_example()
        if if_empty and seed.has_topics():
            seed.seed_plugins()
            saved = seed.read_credentials()
            saved.admin_password = seed.saved_admin_password(saved)
            lines = saved.lines(sample)
            click.echo(f"Demo data already present; {'; '.join(lines) or 'nothing to do.'}")
            return

        def progress(items, length):
            return click.progressbar(
                items,
                length=length,
                label="Creating demo threads",
                item_show_func=lambda item: item[0]["title"][:40] if item else None,
            )

        with_bar = _progress_wrapper(progress)
        try:
            report = seed.seed_demo(progress=with_bar)
        except ForumError as exc:
            raise click.ClickException("; ".join(exc.messages)) from None
        click.echo(
            f"Added {report.organisations} organisations, {report.groups} groups, "
            f"{report.categories} categories, {report.users} users, {report.topics} topics "
            f"and {report.posts} posts."
        )
        if report.skipped_threads:
            click.echo(f"Skipped {len(report.skipped_threads)} threads that already exist.")
        creds = report.credentials
        if creds.admin_password:
            click.echo(
                f"Sign in at http://127.0.0.1:5000/login as {seed.ADMIN_USERNAME} / "
                f"{creds.admin_password}"
            )
        else:
            click.echo(
                f"The account {seed.ADMIN_USERNAME!r} already existed; its password is unchanged."
            )
        click.echo(f"Demo members (e.g. {sample}) sign in with: {creds.member_password}")
        click.echo(f"Both are saved in {seed.credentials_path()} (readable only by you).")

    @cli.command("rebake")
    @click.option("--stale", is_flag=True, help="Only posts cooked by an older renderer.")
    @click.option("--batch-size", default=500, show_default=True)
    def rebake_command(stale, batch_size):
        """Re-render stored post HTML from the Markdown source."""
        from forum.rendering import cook
        from forum.search.documents import POST_KIND
        from forum.topics.models import Post
        from forum.topics.services import lookup_mentions

        renderer_version = app.extensions["forum.renderer"].version
        query = select(Post.id).order_by(Post.id)
        if stale:
            query = query.where(Post.cooked_version != renderer_version)
        ids = list(db.session.scalars(query))
        done = 0
        with click.progressbar(length=len(ids), label="Rebaking posts") as bar:
            for start in range(0, len(ids), batch_size):
                chunk = ids[start : start + batch_size]
                for post in db.session.scalars(select(Post).where(Post.id.in_(chunk))):
                    cooked = cook(post.raw, lookup_mentions)
                    post.cooked, post.cooked_version = cooked.html, cooked.version
                search.changed(POST_KIND, chunk)  # search indexes the cooked text
                db.session.commit()
                done += len(chunk)
                bar.update(len(chunk))
        click.echo(f"Rebaked {done} posts.")

    @cli.command("plugins")
    def plugins_command():
        """List the loaded plugins and the hooks each implements."""
        for line in plugin_lines(app):
            click.echo(line)

    from forum.mail.cli import mail_group
    from forum.search.cli import search_group

    cli.add_command(search_group)
    cli.add_command(mail_group)
    plugin_system.add_commands(app, cli)
    return cli


def plugin_lines(app: Flask) -> list[str]:
    """``flask forum plugins``: each plugin (the core's own modules last), where it came
    from, the categories it is enabled on and its hooks."""
    from forum.plugin_system.enablement import categories_with

    plugins = plugin_system.current_plugins(app)
    try:
        enabled = {info.name: categories_with(info.name) for info in plugins.extensions}
        names = dict(db.session.execute(select(Category.id, Category.name)).all())
    except SQLAlchemyError:  # before `flask forum init`
        db.session.rollback()
        enabled = None
    lines = []
    if not plugins.extensions:
        lines.append("No plugins are loaded (set FORUM_PLUGINS, or install one).")
    for info in [*plugins.extensions, *(i for i in plugins.infos.values() if i.core)]:
        version = f" {info.version}" if info.version else ""
        lines.append(f"{info.name}{version} ({info.source})")
        if info.description:
            lines.append(f"  {info.description}")
        if not info.core:
            if enabled is None:
                where = "unknown (the database is not set up yet)"
            else:
                ids = enabled[info.name]
                where = ", ".join(f"{names.get(cid, '?')} (#{cid})" for cid in ids) or "none yet"
            lines.append(f"  enabled on categories: {where}")
        lines.append(f"  hooks: {', '.join(plugins.hooks_of(info.name))}")
    return lines


def _progress_wrapper(make_bar):
    """Adapt a ``click.progressbar`` factory to the ``progress(items, length)`` callback the
    seed takes: iterate inside the bar's context so it is drawn and closed properly."""

    def wrap(items, length):
        with make_bar(items, length) as bar:
            yield from bar

    return wrap


def _ensure_admin(username, email, password) -> None:
    existing = accounts.find_user(username)
    if existing is not None:
        click.echo(f"Admin {existing.username!r} already exists; left unchanged.")
        return
    if not email or not password:
        raise click.UsageError("--email and --password are needed to create the admin.")
    try:
        accounts.create_user(username, email, password, role="admin", status="active")
    except ForumError as exc:
        raise click.ClickException("; ".join(exc.messages)) from None
    click.echo(f"Created admin {username!r}.")
