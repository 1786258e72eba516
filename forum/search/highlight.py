"""Search snippets ("blurbs"): a window of a document's text around the first word the query
matched, HTML-escaped, with the matched words in ``<mark>``."""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.search.query import WORD_RE, Query, stem

BLURB_LENGTH = 200
#: Characters of context kept before the first match.
LEAD = 60


def _matcher(query: Query):
    stems, prefixes = query.highlight_terms()
    starts = {s[:3] for s in stems} | {p[:3] for p in prefixes}

    def matches(word: str) -> bool:
        low = word.lower()
        if low[:3] not in starts:  # cheap test before stemming
            return False
        return stem(low) in stems or any(low.startswith(p) for p in prefixes)

    return matches


def blurb(text: str, query: Query, length: int = BLURB_LENGTH) -> Markup:
    """About ``length`` characters of ``text`` with the query's words marked."""
    matches = _matcher(query)
    begin = 0
    for match in WORD_RE.finditer(text):
        if matches(match.group()):
            begin = max(0, match.start() - LEAD)
            break
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < begin + 20 else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin + length // 2 else end
    window = text[begin:end]
    parts, last = [], 0
    for match in WORD_RE.finditer(window):
        if matches(match.group()):
            parts.append(escape(window[last : match.start()]))
            parts.append(Markup("<mark>%s</mark>") % match.group())
            last = match.end()
    parts.append(escape(window[last:]))
    prefix = "…" if begin else ""
    suffix = "…" if end < len(text) else ""
    return Markup(prefix) + Markup("").join(parts) + Markup(suffix)
