"""The plugin system: how an app loads its plugins and what the core asks of them.

``create_app`` calls the set-up steps below in order; views ask for page contributions with
:func:`slot`; writes fire lifecycle hooks with :func:`fire`. Plugins themselves use only
:mod:`forum.hookspecs` (what to implement), :mod:`forum.hooktypes` (what to return) and the
public services named in ``docs/plugins.md`` (such as :func:`is_enabled` here).
"""

from __future__ import annotations

from flask import Flask, current_app
from jinja2 import ChoiceLoader, FileSystemLoader

from forum.hooktypes import AttachmentType, NotificationType, Permission, SearchType
from forum.plugin_system.calls import Answer, PluginFailed, each
from forum.plugin_system.enablement import categories_with, enabled_plugins, is_enabled
from forum.plugin_system.manager import (
    CORE,
    NAME_RE,
    PluginError,
    PluginInfo,
    build_plugin_manager,
    hook_names,
)
from forum.plugin_system.slots import PAGE_HOOKS, UnknownSlot, slot

__all__ = [
    "CORE",
    "PluginError",
    "PluginInfo",
    "PluginFailed",
    "Plugins",
    "UnknownSlot",
    "add_commands",
    "add_template_folders",
    "categories_with",
    "current_plugins",
    "enabled_plugins",
    "fire",
    "is_enabled",
    "register_blueprints",
    "slot",
]


class Plugins:
    """An app's loaded plugins, their manager and the registries built from their hooks."""

    def __init__(self, pm, infos: dict[str, PluginInfo]):
        self.pm = pm
        self.infos = infos
        self.permissions: dict[str, Permission] = {}
        self.attachment_types: dict[str, AttachmentType] = {}
        #: Search document types by key, and the same by the name people type after ``type:``.
        self.search_types: dict[str, SearchType] = {}
        self.notification_types: dict[str, NotificationType] = {}
        self.search_type_names: dict[str, SearchType] = {}
        #: Groups of words or phrases that search treats as one (``search_synonyms``).
        self.synonyms: list[tuple[str, ...]] = []
        self.core_names = frozenset(name for name, info in infos.items() if info.core)

    @property
    def extensions(self) -> list[PluginInfo]:
        """The plugins that are not part of the core, in loading order."""
        return [info for info in self.infos.values() if not info.core]

    def namespace(self, plugin: str) -> str:
        return self.infos[plugin].namespace

    def hooks_of(self, plugin: str) -> list[str]:
        return hook_names(self.pm, self.infos[plugin].module)

    def each(self, hook: str, kwargs=None, **options):
        return each(self.pm, hook, kwargs or {}, **options)

    def owns_key(self, plugin: str, key: str) -> bool:
        """Whether ``key`` is in ``plugin``'s namespace (``<name>.something``)."""
        prefix = self.namespace(plugin) + "."
        return key.startswith(prefix) and key != prefix

    def check_key(self, answer: Answer, key: str, what: str) -> None:
        """Raise unless ``key`` is in the namespace of the plugin that returned it."""
        if not self.owns_key(answer.plugin, key):
            prefix = self.namespace(answer.plugin) + "."
            raise PluginError(
                f"plugin {answer.plugin!r} returned {what} {key!r}; its keys must start "
                f"with {prefix!r}"
            )


def current_plugins(app: Flask | None = None) -> Plugins:
    """The plugins of ``app``, or of the current app."""
    return (app or current_app).extensions["forum.plugins"]


def fire(hook: str, **kwargs) -> None:
    """Call a lifecycle hook: every plugin, in the caller's transaction; a failure raises
    (:class:`PluginFailed`, or the plugin's own :class:`~forum.errors.ForumError`)."""
    for _ in current_plugins().each(hook, kwargs):
        pass


# -- Set-up steps, in the order create_app calls them -----------------------------------------


def init_app(app: Flask) -> None:
    """Load the plugins, fill in their settings and build the registries."""
    pm, infos = build_plugin_manager(app)
    plugins = Plugins(pm, infos)
    app.extensions["forum.plugins"] = plugins
    _apply_config_defaults(app, plugins)
    _register_models(plugins)
    _register_permissions(plugins)
    _register_attachment_types(plugins)
    _register_search_types(plugins)
    _register_notification_types(plugins)
    for name in PAGE_HOOKS:  # a slot the core asks for must be a spec (checked at start-up)
        caller = getattr(pm.hook, name, None)
        if caller is None or caller.spec is None:
            raise PluginError(f"page slot {name!r} has no hook spec")


def _apply_config_defaults(app: Flask, plugins: Plugins) -> None:
    for answer in plugins.each("config_defaults"):
        prefix = plugins.namespace(answer.plugin).upper() + "_"
        for key, value in dict(answer.value).items():
            if not plugins.infos[answer.plugin].core and not key.startswith(prefix):
                raise PluginError(
                    f"plugin {answer.plugin!r} sets {key!r}; its settings must start "
                    f"with {prefix!r}"
                )
            app.config.setdefault(key, value)


def _register_models(plugins: Plugins) -> None:
    for answer in plugins.each("register_models"):
        info = plugins.infos[answer.plugin]
        for model in answer.value:
            table = model.__table__
            if not info.core:
                if not table.name.startswith(info.name + "_"):
                    raise PluginError(
                        f"plugin {info.name!r} owns table {table.name!r}; its tables must "
                        f"start with {info.name + '_'!r}"
                    )
                table.info["plugin"] = info.name


#: The longest search type key the search tables store.
SEARCH_KIND_LENGTH = 40


def _registered(plugins: Plugins, hook: str, cls: type, what: str):
    """Each value a registration hook returned, checked to be a ``cls`` whose key carries
    its plugin's name (the core's own keys are exempt)."""
    for answer in plugins.each(hook):
        for value in answer.value:
            if not isinstance(value, cls):
                raise PluginError(f"plugin {answer.plugin!r} registered {value!r}")
            if not plugins.infos[answer.plugin].core:
                plugins.check_key(answer, value.key, what)
            yield value


def _register_permissions(plugins: Plugins) -> None:
    for permission in _registered(plugins, "register_permissions", Permission, "permission"):
        if permission.key in plugins.permissions:
            raise PluginError(f"permission {permission.key!r} is registered twice")
        plugins.permissions[permission.key] = permission


def _register_attachment_types(plugins: Plugins) -> None:
    hook = "register_attachment_types"
    for kind in _registered(plugins, hook, AttachmentType, "attachment type"):
        if not (isinstance(kind.template, str) and kind.template.endswith(".html")):
            raise PluginError(
                f"attachment type {kind.key!r}: its template must be an .html file "
                "(only those are autoescaped)"
            )
        if kind.key in plugins.attachment_types:
            raise PluginError(f"attachment type {kind.key!r} is registered twice")
        plugins.attachment_types[kind.key] = kind


def _register_search_types(plugins: Plugins) -> None:
    for kind in _registered(plugins, "register_search_types", SearchType, "search type"):
        if not NAME_RE.fullmatch(kind.name or "") or kind.name == "topic":
            raise PluginError(
                f"search type {kind.key!r}: {kind.name!r} is not a plain name, or is reserved"
            )
        if len(kind.key) > SEARCH_KIND_LENGTH:
            raise PluginError(
                f"search type {kind.key!r}: keys are at most {SEARCH_KIND_LENGTH} characters"
            )
        if kind.key in plugins.search_types or kind.name in plugins.search_type_names:
            raise PluginError(f"search type {kind.key!r} ({kind.name}) is registered twice")
        plugins.search_types[kind.key] = kind
        plugins.search_type_names[kind.name] = kind
    for answer in plugins.each("search_synonyms"):
        for group in answer.value:
            words = tuple(group) if isinstance(group, list | tuple) else ()
            if len(words) < 2 or not all(isinstance(w, str) and w.strip() for w in words):
                raise PluginError(
                    f"plugin {answer.plugin!r} returned synonyms {group!r}; each group must "
                    "list two or more words or phrases"
                )
            plugins.synonyms.append(words)


#: The longest notification type key the notifications table stores.
NOTIFICATION_TYPE_LENGTH = 60


def _register_notification_types(plugins: Plugins) -> None:
    hook = "register_notification_types"
    for kind in _registered(plugins, hook, NotificationType, "notification type"):
        if len(kind.key) > NOTIFICATION_TYPE_LENGTH:
            raise PluginError(
                f"notification type {kind.key!r}: keys are at most "
                f"{NOTIFICATION_TYPE_LENGTH} characters"
            )
        if kind.key in plugins.notification_types:
            raise PluginError(f"notification type {kind.key!r} is registered twice")
        plugins.notification_types[kind.key] = kind


def register_blueprints(app: Flask) -> None:
    """Mount each plugin's blueprints at ``/<name>`` (after the core's routes)."""
    plugins = current_plugins(app)
    taken = {rule.rule.split("/")[1] for rule in app.url_map.iter_rules()}
    for answer in plugins.each("register_blueprints"):
        info = plugins.infos[answer.plugin]
        for blueprint in answer.value:
            if not info.core and blueprint.name != info.name:
                raise PluginError(
                    f"plugin {info.name!r} registered blueprint {blueprint.name!r}; "
                    "it must be named after the plugin"
                )
            if not info.core and info.name in taken:
                raise PluginError(f"plugin {info.name!r}: the URL prefix /{info.name} is taken")
            app.register_blueprint(blueprint, url_prefix=f"/{info.name}")


def add_template_folders(app: Flask) -> None:
    """Let templates find each plugin's ``templates/<name>/`` folder. The site's own
    ``templates/`` comes first, so a site can override a plugin's template."""
    folders = []
    for info in current_plugins(app).extensions:
        folder = info.templates_dir
        if folder is None:
            continue
        strays = sorted(p.name for p in folder.iterdir() if p.name != info.name)
        if strays:
            raise PluginError(
                f"plugin {info.name!r} keeps {', '.join(strays)} in {folder}; its templates "
                f"must all be under {info.name}/"
            )
        folders.append(str(folder))
    if folders:
        app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(folders)])


def add_commands(app: Flask, cli) -> None:
    """Let each plugin add its ``flask forum <name>`` command group."""
    plugins = current_plugins(app)
    for impl_plugin in list(plugins.infos.values()):
        before = set(cli.commands)
        for _ in plugins.each("register_commands", {"cli": cli}, only={impl_plugin.name}):
            pass
        added = set(cli.commands) - before
        allowed = {impl_plugin.name, impl_plugin.name.replace("_", "-")}
        if not impl_plugin.core and added - allowed:
            raise PluginError(
                f"plugin {impl_plugin.name!r} added the commands {sorted(added)}; it may add "
                f"only one named {impl_plugin.name!r}"
            )
