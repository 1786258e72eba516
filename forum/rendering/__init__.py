"""Cooking: Markdown source (``raw``) in, stored HTML (``cooked``) out.

The sanitizer is the last writer of HTML. Every cooked string a page shows with ``|safe``
came out of :func:`cook` and was stored; nothing edits cooked HTML afterwards. The pipeline
is assembled from the ``markdown_extensions`` and ``sanitizer_allowlist`` hooks (the core's
own quote and mention rules included). Bump :data:`COOK_VERSION` whenever the core's output
for the same input changes, then run ``flask forum rebake --stale``; a change in the set of
plugins that extend the pipeline changes the version by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app

from forum.rendering.markdown import build_markdown, mention_candidates, render_markdown
from forum.rendering.sanitize import Sanitizer, build_sanitizer

COOK_VERSION = "core:3"  # 3: @group mentions

#: Given lower-cased candidate names, returns ``{lower name: username}`` for the users that
#: exist (and ``{lower name: MentionedGroup}`` for groups that may be mentioned).
MentionLookup = Callable[[set[str]], dict[str, str]]


@dataclass(frozen=True)
class Cooked:
    html: str
    version: str


class Renderer:
    """Markdown parser + sanitizer for one app. The parser holds no per-render state in
    markdown-it-py (the env dict is per call), so one instance serves every thread."""

    def __init__(
        self,
        extensions: Iterable = (),
        allowlists: Iterable[dict] = (),
        version: str = COOK_VERSION,
    ):
        self.markdown = build_markdown(extensions)
        self.sanitizer: Sanitizer = build_sanitizer(*allowlists)
        self.version = version

    def cook(self, raw: str, mention_lookup: MentionLookup | None = None) -> Cooked:
        mentions: dict[str, str] = {}
        if mention_lookup is not None:
            candidates = mention_candidates(raw)
            if candidates:
                mentions = mention_lookup(candidates)
        html = render_markdown(self.markdown, raw, mentions)
        return Cooked(html=self.sanitizer.clean(html).strip(), version=self.version)


def core_renderer() -> Renderer:
    """The renderer of an app without plugins (for tests that need no app)."""
    from forum.rendering.hooks import QUOTE_ALLOWLIST, quotes_and_mentions

    return Renderer([quotes_and_mentions], [QUOTE_ALLOWLIST])


def renderer_version(plugins: dict[str, str]) -> str:
    """:data:`COOK_VERSION`, plus a digest of the plugins that extend the pipeline and their
    own cooking versions (``{name: version}``)."""
    if not plugins:
        return COOK_VERSION
    described = ",".join(f"{name}:{version}" for name, version in sorted(plugins.items()))
    return f"{COOK_VERSION}+{hashlib.sha256(described.encode()).hexdigest()[:12]}"


def _cook_version(info) -> str:
    """A plugin's own cooking version: its module's ``COOK_VERSION``, else its version."""
    module = info.module
    return str(
        getattr(module, "COOK_VERSION", None)
        or getattr(module, "__version__", None)
        or info.version
        or ""
    )


def init_app(app: Flask) -> None:
    from forum.plugin_system import PluginError

    plugins = app.extensions["forum.plugins"]
    # Registration order (core first), so plugin rules are added after the core's.
    extensions = list(reversed(list(plugins.each("markdown_extensions"))))
    allowlists = list(reversed(list(plugins.each("sanitizer_allowlist"))))
    contributors = {a.plugin for a in extensions + allowlists} - plugins.core_names
    try:
        app.extensions["forum.renderer"] = Renderer(
            [ext for answer in extensions for ext in answer.value],
            [answer.value for answer in allowlists],
            renderer_version({name: _cook_version(plugins.infos[name]) for name in contributors}),
        )
    except ValueError as exc:
        raise PluginError(f"sanitizer allowlist of {sorted(contributors)}: {exc}") from exc


def cook(raw: str, mention_lookup: MentionLookup | None = None) -> Cooked:
    """Render ``raw`` with the current app's renderer."""
    return current_app.extensions["forum.renderer"].cook(raw, mention_lookup)
