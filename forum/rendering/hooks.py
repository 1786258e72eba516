"""The core's Markdown rules (``[quote]`` blocks, ``@mentions``) and the markup they need
past the sanitizer, registered through the same hooks a plugin uses."""

from __future__ import annotations

from forum.hookspecs import hookimpl
from forum.rendering.markdown import quotes_and_mentions

#: What a ``[quote]`` block renders to (``<aside class="quote" data-username=...>``).
QUOTE_ALLOWLIST = {
    "tags": ["aside"],
    "attributes": {"aside": ["class", "data-username", "data-post", "data-topic"]},
}


@hookimpl
def markdown_extensions():
    return [quotes_and_mentions]


@hookimpl
def sanitizer_allowlist():
    return QUOTE_ALLOWLIST
