"""Cooking: Markdown source (``raw``) in, stored HTML (``cooked``) out.

The sanitizer is the last writer of HTML. Every cooked string a page shows with ``|safe``
came out of :func:`cook` and was stored; nothing edits cooked HTML afterwards. Bump
:data:`COOK_VERSION` whenever the output for the same input changes, then run
``flask forum rebake --stale``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app

from forum.rendering.markdown import build_markdown, mention_candidates, render_markdown
from forum.rendering.sanitize import Sanitizer, build_sanitizer

COOK_VERSION = "core:2"

#: Given lower-cased candidate names, returns ``{lower name: username}`` for those that exist.
MentionLookup = Callable[[set[str]], dict[str, str]]


@dataclass(frozen=True)
class Cooked:
    html: str
    version: str


class Renderer:
    """Markdown parser + sanitizer for one app. The parser holds no per-render state in
    markdown-it-py (the env dict is per call), so one instance serves every thread."""

    def __init__(self, extensions: Iterable = (), allowlist_extra: dict | None = None):
        self.markdown = build_markdown(extensions)
        self.sanitizer: Sanitizer = build_sanitizer(allowlist_extra)
        self.version = COOK_VERSION

    def cook(self, raw: str, mention_lookup: MentionLookup | None = None) -> Cooked:
        mentions: dict[str, str] = {}
        if mention_lookup is not None:
            candidates = mention_candidates(raw)
            if candidates:
                mentions = mention_lookup(candidates)
        html = render_markdown(self.markdown, raw, mentions)
        return Cooked(html=self.sanitizer.clean(html).strip(), version=self.version)


def init_app(app: Flask) -> None:
    app.extensions["forum.renderer"] = Renderer()


def cook(raw: str, mention_lookup: MentionLookup | None = None) -> Cooked:
    """Render ``raw`` with the current app's renderer."""
    return current_app.extensions["forum.renderer"].cook(raw, mention_lookup)
