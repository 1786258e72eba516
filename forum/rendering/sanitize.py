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
        "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
        "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: Attributes allowed per tag. ``rel`` is not among them: every link gets :data:`LINK_REL`.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "abbr": frozenset({"title"}),
    "code": frozenset({"class"}),
    "div": frozenset({"class"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "ol": frozenset({"start"}),
    "span": frozenset({"class"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}
PROTOCOLS = frozenset({"http", "https", "mailto"})
#: Never allowed, whoever asks: raw-text and foreign-content elements (mutation XSS), and
#: elements that run, embed or submit things.
FORBIDDEN_TAGS = frozenset(
    {
        "base", "embed", "form", "frame", "frameset", "iframe", "input", "link", "math",
        "meta", "noembed", "noframes", "noscript", "object", "plaintext", "script", "select",
        "style", "svg", "template", "textarea", "title", "xmp",
    }
)  # fmt: skip
#: Never allowed as protocols: they run code or smuggle content.
FORBIDDEN_PROTOCOLS = frozenset({"javascript", "vbscript", "data", "file"})
LINK_REL = "nofollow ugc noopener"


@dataclass(frozen=True)
class Allowlist:
    tags: frozenset[str] = TAGS
    attributes: dict[str, frozenset[str]] = field(default_factory=lambda: dict(ATTRIBUTES))
    protocols: frozenset[str] = PROTOCOLS

    def merged(self, extra: dict) -> Allowlist:
        """This allowlist plus ``extra`` (a dict with optional ``tags``, ``attributes`` and
        ``protocols`` keys, as the ``sanitizer_allowlist`` hook returns)."""
        tags = frozenset(extra.get("tags") or ())
        protocols = frozenset(p.lower() for p in extra.get("protocols") or ())
        refused = sorted((tags & FORBIDDEN_TAGS) | (protocols & FORBIDDEN_PROTOCOLS))
        for tag, names in (extra.get("attributes") or {}).items():
            if tag in FORBIDDEN_TAGS:
                refused.append(tag)
            refused.extend(n for n in names if n.lower().startswith("on") or n.lower() == "style")
        if refused:
            raise ValueError(f"the sanitizer never allows {', '.join(refused)}")
        attributes = dict(self.attributes)
        for tag, names in (extra.get("attributes") or {}).items():
            attributes[tag] = attributes.get(tag, frozenset()) | frozenset(names)
        return Allowlist(
            tags=self.tags | tags,
            attributes=attributes,
            protocols=self.protocols | protocols,
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


def build_sanitizer(*extras: dict) -> Sanitizer:
    """A sanitizer for the base allowlist plus each of ``extras`` (see
    :meth:`Allowlist.merged`); raises :class:`ValueError` for anything never allowed."""
    allowlist = Allowlist()
    for extra in extras:
        allowlist = allowlist.merged(extra)
    return Sanitizer(allowlist)
