"""Search snippets ("blurbs"): a window of a document's text around the first word the query
matched, HTML-escaped, with the matched words in ``<mark>``.

Only words that start like one of the query's stems or prefixes are looked at (one regular
expression finds them), and only those are stemmed: a page of results costs a few
milliseconds, not a stemming of every word of every post.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from forum.search.query import Query, stem

BLURB_LENGTH = 200
#: Characters of context kept before the first match.
LEAD = 60


class Highlighter:
    """Marks the words of one query; build it once per page of results."""

    def __init__(self, query: Query):
        self.stems, self.prefixes = query.highlight_terms()
        starts = sorted({s[:3] for s in self.stems} | {p[:3] for p in self.prefixes})
        alternatives = "|".join(re.escape(s) for s in starts if s)
        # Words (as the tokenizer sees them) that begin with one of the starts.
        self.candidates = (
            re.compile(rf"\b(?:{alternatives})\w*(?:\.\w+)*", re.IGNORECASE)
            if alternatives
            else None
        )

    def _matches(self, word: str) -> bool:
        low = word.lower()
        return stem(low) in self.stems or any(low.startswith(p) for p in self.prefixes)

    def _marked(self, text: str):
        if self.candidates is None:
            return
        for match in self.candidates.finditer(text):
            if self._matches(match.group()):
                yield match

    def blurb(self, text: str, length: int = BLURB_LENGTH) -> Markup:
        """About ``length`` characters of ``text`` with the query's words marked."""
        first = next(self._marked(text), None)
        begin = max(0, first.start() - LEAD) if first else 0
        if begin:
            space = text.find(" ", begin)
            begin = space + 1 if 0 <= space < begin + 20 else begin
        end = min(len(text), begin + length)
        if end < len(text):
            space = text.rfind(" ", begin, end)
            end = space if space > begin + length // 2 else end
        window = text[begin:end]
        parts, last = [], 0
        for match in self._marked(window):
            parts.append(escape(window[last : match.start()]))
            parts.append(Markup("<mark>%s</mark>") % match.group())
            last = match.end()
        parts.append(escape(window[last:]))
        prefix = "…" if begin else ""
        suffix = "…" if end < len(text) else ""
        return Markup(prefix) + Markup("").join(parts) + Markup(suffix)


def blurb(text: str, query: Query, length: int = BLURB_LENGTH) -> Markup:
    """One snippet (for many, build a :class:`Highlighter` once)."""
    return Highlighter(query).blurb(text, length)
