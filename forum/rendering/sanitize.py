"""The HTML sanitizer: the only module that imports the sanitizing library.

Two names form the whole interface, so the library can be swapped by changing this file
alone: :func:`build_sanitizer` makes a sanitizer from an allowlist, and its
:meth:`Sanitizer.clean` returns safe HTML.

We use nh3 (Python bindings to the Rust ``ammonia`` crate) rather than bleach: bleach is
deprecated upstream, sits on the unmaintained html5lib, and needed 3 s to clean the HTML of a
32,000-character Markdown table (nh3: 0.06 s), which broke our bound on cooking time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nh3

#: Tags a cooked post may contain. Never add raw-text or foreign-content elements (script,
#: style, svg, math, noscript, template, iframe, textarea...): they enable mutation XSS.
TAGS = frozenset(
    {
        "a", "abbr", "aside", "b", "blockquote", "br", "code", "del", "div", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
        "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: Attributes allowed per tag. ``rel`` is not among them: every link gets :data:`LINK_REL`.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "abbr": frozenset({"title"}),
    "aside": frozenset({"class", "data-username", "data-post", "data-topic"}),
    "code": frozenset({"class"}),
    "div": frozenset({"class"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "ol": frozenset({"start"}),
    "span": frozenset({"class"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}
PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@dataclass(frozen=True)
class Allowlist:
    tags: frozenset[str] = TAGS
    attributes: dict[str, frozenset[str]] = field(default_factory=lambda: dict(ATTRIBUTES))
    protocols: frozenset[str] = PROTOCOLS

    def merged(self, extra: dict) -> Allowlist:
        """This allowlist plus ``extra`` (a dict with optional ``tags``, ``attributes`` and
        ``protocols`` keys, as the ``sanitizer_allowlist`` hook returns)."""
        attributes = dict(self.attributes)
        for tag, names in (extra.get("attributes") or {}).items():
            attributes[tag] = attributes.get(tag, frozenset()) | frozenset(names)
        return Allowlist(
            tags=self.tags | frozenset(extra.get("tags") or ()),
            attributes=attributes,
            protocols=self.protocols | frozenset(extra.get("protocols") or ()),
        )


class Sanitizer:
    def __init__(self, allowlist: Allowlist):
        self.allowlist = allowlist
        self._cleaner = nh3.Cleaner(
            tags=set(allowlist.tags),
            attributes={tag: set(names) for tag, names in allowlist.attributes.items()},
            url_schemes=set(allowlist.protocols),
            link_rel=LINK_REL,
            strip_comments=True,
        )

    def clean(self, html: str) -> str:
        return self._cleaner.clean(html)


def build_sanitizer(extra: dict | None = None) -> Sanitizer:
    """A sanitizer for the core allowlist plus ``extra`` (see :meth:`Allowlist.merged`)."""
    allowlist = Allowlist()
    if extra:
        allowlist = allowlist.merged(extra)
    return Sanitizer(allowlist)
