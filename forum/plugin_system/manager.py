"""Building an app's plugin manager: which plugins load, in which order, under which names,
and the conventions they must keep.

Each app gets its own :class:`pluggy.PluginManager` (no module-level manager), so tests can
build apps with different plugin sets side by side. Loading order:

1. the core's own hook modules (:data:`DEFAULT_PLUGINS`), which implement the same hooks as
   any plugin (the core's navigation, permissions and Markdown rules come from them);
2. the modules named in the ``PLUGINS`` setting (``FORUM_PLUGINS``), or plugin objects
   given there by tests;
3. out-of-tree plugins installed with an entry point in the ``forum.plugins`` group, when
   ``LOAD_ENTRY_POINTS`` is on.

Then :meth:`pluggy.PluginManager.check_pending` refuses any implementation whose name
matches no hook spec, so a typo fails at start-up instead of silently doing nothing.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pluggy

from forum import hookspecs

log = logging.getLogger("forum.plugins")

#: The core's own hook implementations, registered before any plugin.
DEFAULT_PLUGINS = (
    "forum.accounts.hooks",
    "forum.categories.hooks",
    "forum.topics.hooks",
    "forum.rendering.hooks",
    "forum.search.hooks",
    "forum.notifications.hooks",
)
ENTRY_POINT_GROUP = "forum.plugins"
#: The namespace of the core's keys (``core.latest``).
CORE = "core"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
#: Fields of a post in Discourse's JSON: a plugin's attachments go in post JSON under its
#: name, so a plugin cannot be named after one (a test keeps this in step with the API).
POST_JSON_FIELDS = frozenset(
    {
        "actions_summary", "admin", "avatar_template", "bookmarked", "can_delete", "can_edit",
        "can_recover", "can_see_hidden_post", "can_view_edit_history", "can_wiki", "cooked",
        "created_at", "deleted_at", "display_username", "draft_sequence", "edit_reason",
        "flair_name", "hidden", "id", "incoming_link_count", "moderator", "name", "post_number",
        "post_type", "primary_group_name", "quote_count", "raw", "readers_count", "reads",
        "reply_count", "reply_to_post_number", "reply_to_user", "score", "staff", "topic_id",
        "topic_slug", "trust_level", "updated_at", "user_deleted", "user_id", "user_title",
        "username", "version", "wiki", "yours",
    }
)  # fmt: skip
#: Names a plugin cannot take: the core's URL prefixes, tables and namespaces, and the
#: fields of post JSON.
RESERVED_NAMES = (
    frozenset(
        {
            "admin",
            "api",
            "c",
            "categories",
            "category",
            "core",
            "forum",
            "groups",
            "latest",
            "letter_avatar",
            "login",
            "logout",
            "new_topic",
            "plugins",
            "posts",
            "search",
            "signup",
            "static",
            "t",
            "topics",
            "u",
            "user_sessions",
            "users",
        }
    )  # fmt: skip
    | POST_JSON_FIELDS
)


class PluginError(Exception):
    """A plugin cannot be loaded, or breaks a convention; raised at start-up."""


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its one name, where it came from and where its files are."""

    name: str
    module: object
    #: ``core``, ``setting`` (``FORUM_PLUGINS``) or ``entry point``.
    source: str
    description: str
    #: The plugin package's folder (templates, migrations), if it is a package on disk.
    path: Path | None
    version: str | None = None

    @property
    def core(self) -> bool:
        return self.source == "core"

    @property
    def namespace(self) -> str:
        """The prefix of the plugin's keys: its name, or ``core`` for the core's modules."""
        return CORE if self.core else self.name

    @property
    def templates_dir(self) -> Path | None:
        folder = self.path / "templates" if self.path else None
        return folder if folder and folder.is_dir() else None

    @property
    def migrations_dir(self) -> Path | None:
        folder = self.path / "migrations" if self.path else None
        return folder if folder and folder.is_dir() else None


def plugin_name(plugin: object) -> str:
    """A plugin's name: a module's last dotted part (``plugins.sla`` is ``sla``), or a
    plugin object's ``name`` attribute (tests build plugins as objects)."""
    if isinstance(plugin, ModuleType):
        return plugin.__name__.rsplit(".", 1)[-1]
    name = getattr(plugin, "name", None)
    if isinstance(name, str):
        return name
    return type(plugin).__name__.lower()


def _description(plugin: object) -> str:
    doc = inspect.getdoc(plugin) or ""
    return doc.strip().split("\n\n", 1)[0].replace("\n", " ")


def _package_path(plugin: object) -> Path | None:
    """The folder of a plugin package (``__init__.py``), or ``None`` for a single module or
    an object."""
    filename = getattr(plugin, "__file__", None)
    if filename and Path(filename).name == "__init__.py":
        return Path(filename).parent
    path = getattr(plugin, "path", None)
    return Path(path) if path else None


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise PluginError(
            f"plugin name {name!r} must be 2-30 lower-case letters, digits or underscores, "
            "starting with a letter"
        )
    if name in RESERVED_NAMES:
        raise PluginError(f"plugin name {name!r} is reserved by the core")


def _configured(app) -> Iterator[tuple[object, str]]:
    configured = app.config.get("PLUGINS") or ()
    if isinstance(configured, str):  # FORUM_PLUGINS=plugins.sla,plugins.resources
        configured = [part.strip() for part in configured.split(",") if part.strip()]
    for item in configured:
        if isinstance(item, str):
            try:
                module = importlib.import_module(item)
            except ImportError as exc:
                raise PluginError(f"cannot import plugin {item!r} (FORUM_PLUGINS): {exc}") from exc
            yield module, plugin_name(module)
        else:
            yield item, plugin_name(item)


def _entry_points() -> Iterator[tuple[object, str, str]]:
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            plugin = entry_point.load()
        except Exception as exc:
            raise PluginError(
                f"cannot load plugin {entry_point.name!r} from entry point "
                f"{entry_point.value!r}: {exc}"
            ) from exc
        version = entry_point.dist.version if entry_point.dist else None
        yield plugin, entry_point.name, version


def build_plugin_manager(app) -> tuple[pluggy.PluginManager, dict[str, PluginInfo]]:
    """A plugin manager with the core's modules and the app's plugins registered, and the
    plugins' descriptions by name (core modules under their dotted module names)."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    infos: dict[str, PluginInfo] = {}

    def add(plugin, name, source, version=None):
        if source != "core":
            check_name(name)
        if name in infos or pm.has_plugin(name) or pm.is_registered(plugin):
            raise PluginError(f"plugin {name!r} is loaded twice")
        infos[name] = PluginInfo(
            name=name,
            module=plugin,
            source=source,
            description=_description(plugin),
            path=_package_path(plugin),
            version=version,
        )
        pm.register(plugin, name=name)

    for module_name in DEFAULT_PLUGINS:
        add(importlib.import_module(module_name), module_name, "core")
    for plugin, name in _configured(app):
        add(plugin, name, "setting")
    if app.config.get("LOAD_ENTRY_POINTS"):
        for plugin, name, version in _entry_points():
            if name in infos and infos[name].source == "setting":
                continue  # named in FORUM_PLUGINS as well: already loaded
            add(plugin, name, "entry point", version)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {pm.get_name(exc.plugin)!r}: {exc}") from exc
    for caller in {c.name: c for p in pm.get_plugins() for c in pm.get_hookcallers(p)}.values():
        for impl in caller.get_hookimpls():
            if impl.wrapper or impl.hookwrapper:
                # The core calls implementations one at a time (calls.py), so a wrapper
                # would never wrap anything: refuse it rather than ignore it.
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: hook wrappers are not supported ({caller.name})"
                )
    return pm, infos


def hook_names(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """The hooks ``plugin`` implements, in alphabetical order."""
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or ())
