"""Calling a hook one implementation at a time, knowing which plugin answered.

pluggy's own ``pm.hook.name(...)`` returns the results without saying whose they are, and one
exception ends the whole call. The core needs both: to check that each plugin's keys carry
its name, to leave a failing plugin out of a page, to name the plugin in an error, and to
ask only the plugins enabled on a category. So it walks the implementations itself, in
pluggy's order (last registered first) and with pluggy's opt-in arguments.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import pluggy

log = logging.getLogger("forum.plugins")


@dataclass(frozen=True)
class Answer:
    """One implementation's result, with the plugin it came from."""

    plugin: str
    value: Any


class PluginFailed(Exception):
    """A plugin raised while the core called it; ``plugin`` and ``hook`` say where."""

    def __init__(self, plugin: str, hook: str, error: BaseException):
        super().__init__(f"plugin {plugin!r} failed in hook {hook!r}: {error!r}")
        self.plugin = plugin
        self.hook = hook
        self.error = error


def implementations(pm: pluggy.PluginManager, hook: str):
    """The implementations of ``hook`` in call order (pluggy calls the last registered
    first). Raises :class:`AttributeError` for a name that is not a hook spec."""
    caller = getattr(pm.hook, hook)
    if caller.spec is None:
        raise AttributeError(f"{hook!r} is not a hook spec")
    return list(reversed(caller.get_hookimpls()))


def each(
    pm: pluggy.PluginManager,
    hook: str,
    kwargs: dict[str, Any],
    *,
    only: Collection[str] | None = None,
    isolate: bool = False,
) -> Iterator[Answer]:
    """Call every implementation of ``hook`` and yield the non-``None`` answers.

    ``only``: skip plugins not named in it. ``isolate``: log a plugin's exception with its
    name and go on to the next (page contributions); otherwise raise :class:`PluginFailed`
    (the core's own :class:`~forum.errors.ForumError` passes through unchanged, so a plugin
    can refuse a write with a message for the user).
    """
    from forum.errors import ForumError

    for impl in implementations(pm, hook):
        if only is not None and impl.plugin_name not in only:
            continue
        try:
            value = impl.function(*(kwargs[name] for name in impl.argnames))
        except Exception as exc:
            if isolate:
                log.exception("plugin %r failed in hook %r", impl.plugin_name, hook)
                recover_session()
                continue
            if isinstance(exc, ForumError):
                raise
            raise PluginFailed(impl.plugin_name, hook, exc) from exc
        if value is not None:
            yield Answer(impl.plugin_name, value)


def recover_session() -> None:
    """After a plugin failed while a page was drawn: end the request's transaction, so that
    a failed SQL statement of the plugin's (PostgreSQL then refuses every later statement of
    the transaction) does not take the rest of the page down. Loaded rows are simply read
    again when next used. Pages are drawn with nothing left to write, so nothing is lost."""
    from forum.extensions import db

    db.session.rollback()
