"""A static check that a cooked HTML fragment holds nothing a browser would execute.

It parses with Python's :mod:`html.parser` (which, like a browser, decodes character
references inside attribute values) and lists every problem: a tag outside the sanitizer's
allowlist, an ``on*`` event handler, a ``style`` attribute, or a URL attribute whose scheme is
not http, https or mailto once browser URL clean-up (stripping C0 controls and spaces, removing
tabs and newlines) has been applied.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from forum.rendering import core_renderer

#: What the sanitizer of an app without plugins lets through (the core's quote markup too).
_ALLOWLIST = core_renderer().sanitizer.allowlist
TAGS, PROTOCOLS = _ALLOWLIST.tags, _ALLOWLIST.protocols

#: Attributes a browser treats as URLs (the ones that matter for these tags and beyond).
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "data", "poster", "xlink:href", "background"}
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def browser_url(value: str) -> str:
    """``value`` as the WHATWG URL parser sees it before reading the scheme."""
    value = value.strip("".join(chr(c) for c in range(0x21)))
    return re.sub(r"[\t\n\r]", "", value)


def url_scheme(value: str) -> str | None:
    """The lower-cased scheme of ``value``, or ``None`` for a relative URL."""
    m = _SCHEME.match(browser_url(value))
    return m.group(1).lower() if m else None


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES:
                self.links.append((tag, name, value or ""))
                scheme = url_scheme(value or "")
                if scheme is not None and scheme not in PROTOCOLS:
                    self.problems.append(f"{name}={value!r} on <{tag}> uses {scheme}:")

    handle_startendtag = handle_starttag


def unsafe_parts(html: str) -> list[str]:
    """Everything in ``html`` that would be unsafe in a page; empty when it is inert."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems


def urls(html: str) -> list[tuple[str, str, str]]:
    """``(tag, attribute, value)`` for every URL attribute in ``html``."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.links
