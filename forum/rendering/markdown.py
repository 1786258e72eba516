"""Markdown to (unsanitized) HTML with markdown-it-py.

markdown-it-py parses CommonMark in linear time for nearly all input and caps nesting
(``maxNesting``), where python-markdown takes 9-19 s on runs of ``[`` and raises
RecursionError on deeply nested lists. One quadratic case remains in every CommonMark parser
we measured: a paragraph with thousands of unclosed ``[`` (each starts a link-label scan to
the end of the paragraph), so :func:`defuse_brackets` escapes the brackets of any such block.

Raw HTML in posts is off: every tag in the output comes from this module's rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

#: A block holding more ``[`` than this is rendered with its brackets escaped.
MAX_BRACKETS_PER_BLOCK = 200
#: Nesting cap for block quotes, lists and ``[quote]`` blocks.
MAX_NESTING = 20

USERNAME_CHARS = r"[A-Za-z0-9_.\-]"
MENTION_RE = re.compile(rf"(?<![\w.@/\-`])@({USERNAME_CHARS}{{3,20}})")
_MENTION_AT = re.compile(rf"{USERNAME_CHARS}{{3,20}}")

_QUOTE_OPEN = re.compile(r"^\[quote(?:=(\"?)([^\]\n]*)\1)?\]\s*", re.IGNORECASE)
_QUOTE_CLOSE = re.compile(r"^\[/quote\]\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def defuse_brackets(raw: str) -> str:
    """Escape ``[`` in any blank-line-separated block holding an absurd number of them."""
    if raw.count("[") <= MAX_BRACKETS_PER_BLOCK:
        return raw
    blocks = re.split(r"(\n[ \t]*\n)", raw)
    return "".join(
        b.replace("[", "\\[") if b.count("[") > MAX_BRACKETS_PER_BLOCK else b for b in blocks
    )


def split_quote_lines(raw: str) -> str:
    """Put ``[quote=…]`` and ``[/quote]`` on lines of their own (outside code fences), so
    ``[quote="a, post:1, topic:2"]text[/quote]`` on one line works as Discourse's does."""
    if "[quote" not in raw.lower():
        return raw
    out: list[str] = []
    fence: str | None = None
    for line in raw.split("\n"):
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            out.append(line)
            continue
        if fence is None:
            stripped = line.lstrip()
            m = _QUOTE_OPEN.match(stripped)
            if m and m.end() < len(stripped):
                out.append(stripped[: m.end()].rstrip())
                line = stripped[m.end() :]
            if line.rstrip().lower().endswith("[/quote]") and not _QUOTE_CLOSE.match(line.strip()):
                body = line.rstrip()[: -len("[/quote]")]
                out.append(body)
                line = "[/quote]"
        out.append(line)
    return "\n".join(out)


def parse_quote_params(text: str) -> dict:
    """``"alice, post:3, topic:12"`` → ``{"username": "alice", "post": 3, "topic": 12}``."""
    params: dict = {}
    parts = [p.strip() for p in text.split(",")]
    if parts and parts[0] and ":" not in parts[0]:
        params["username"] = parts.pop(0)[:60]
    for part in parts:
        key, _, value = part.partition(":")
        if key.strip() in ("post", "topic") and value.strip().isdigit():
            params[key.strip()] = int(value.strip()[:12])
    return params


def _quote_block(state, start_line, end_line, silent):
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[start : state.eMarks[start_line]]
    m = _QUOTE_OPEN.match(line)
    if not m or m.end() != len(line.rstrip()) and line[m.end() :].strip():
        return False
    if silent:
        return True
    depth, next_line, closed = 1, start_line, False
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        text = state.src[
            state.bMarks[next_line] + state.tShift[next_line] : state.eMarks[next_line]
        ]
        if _QUOTE_OPEN.fullmatch(text.rstrip()) or (
            _QUOTE_OPEN.match(text) and not text[_QUOTE_OPEN.match(text).end() :].strip()
        ):
            depth += 1
        elif _QUOTE_CLOSE.match(text):
            depth -= 1
            if depth == 0:
                closed = True
                break
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "bbquote"
    state.lineMax = next_line
    token = state.push("bbquote_open", "aside", 1)
    token.block = True
    token.map = [start_line, next_line]
    token.meta = parse_quote_params(m.group(2) or "")
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("bbquote_close", "aside", -1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = next_line + (1 if closed else 0)
    return True


def _render_quote_open(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    username = meta.get("username")
    attrs = ['class="quote"']
    if username:
        attrs.append(f'data-username="{escapeHtml(username)}"')
    for key in ("post", "topic"):
        if key in meta:
            attrs.append(f'data-{key}="{meta[key]}"')
    title = ""
    if username:
        who = escapeHtml(username)
        if "topic" in meta:
            href = f"/t/{meta['topic']}/{meta.get('post', 1)}"
            who = f'<a href="{href}">{who}</a>'
        title = f'<div class="quote-title">{who} said:</div>\n'
    return f"<aside {' '.join(attrs)}>\n{title}<blockquote>\n"


def _render_quote_close(self, tokens, idx, options, env):
    return "</blockquote>\n</aside>\n"


def _mention_inline(state, silent):
    pos = state.pos
    if state.src[pos] != "@":
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_.@/-`"):
        return False
    known = state.env.get("mentions")
    if not known:
        return False
    m = _MENTION_AT.match(state.src, pos + 1)
    if not m:
        return False
    name = m.group(0).rstrip(".-")
    username = known.get(name.lower())
    if not username:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"username": username}
    state.pos = pos + 1 + len(name)
    return True


def _render_mention(self, tokens, idx, options, env):
    username = escapeHtml(tokens[idx].meta["username"])
    return f'<a class="mention" href="/u/{username}">@{username}</a>'


def mention_candidates(raw: str) -> set[str]:
    """Lower-cased names that ``@name`` mentions in ``raw`` might refer to."""
    return {m.group(1).rstrip(".-").lower() for m in MENTION_RE.finditer(raw)}


def build_markdown(extensions: Iterable[Callable[[MarkdownIt], None]] = ()) -> MarkdownIt:
    """A configured parser: CommonMark plus tables, strikethrough, hard line breaks (as
    typed, the way WhatsApp users expect), ``[quote]`` blocks and ``@mentions``.
    ``extensions`` are markdown-it plugins (functions taking the parser)."""
    md = MarkdownIt(
        "commonmark",
        {"breaks": True, "html": False, "linkify": True, "typographer": False},
    )
    md.enable(["table", "strikethrough", "linkify"])
    md.options["maxNesting"] = MAX_NESTING
    md.block.ruler.before(
        "fence", "bbquote", _quote_block, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.add_render_rule("bbquote_open", _render_quote_open)
    md.add_render_rule("bbquote_close", _render_quote_close)
    md.inline.ruler.before("emphasis", "mention", _mention_inline)
    md.add_render_rule("mention", _render_mention)
    for extension in extensions:
        md.use(extension)
    return md


def render_markdown(md: MarkdownIt, raw: str, mentions: dict[str, str] | None = None) -> str:
    """HTML for ``raw``. ``mentions`` maps lower-cased names to the usernames that exist."""
    source = split_quote_lines(defuse_brackets(raw))
    return md.render(source, {"mentions": mentions or {}})
