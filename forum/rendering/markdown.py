"""Markdown to (unsanitized) HTML with markdown-it-py.

markdown-it-py parses CommonMark in linear time for nearly all input and caps nesting
(``maxNesting``), where python-markdown takes 9-19 s on runs of ``[`` and raises
RecursionError on deeply nested lists. One quadratic case remains in every CommonMark parser
we measured: a paragraph with thousands of unclosed ``[`` (each starts a link-label scan to
the end of the paragraph), so :func:`defuse_brackets` swaps the brackets of any such block
for a placeholder character while parsing (they come back in the output as typed).
A second one is markdown-it-py's own ``linkify`` rule, which runs a regex over all the pending
text before every ``://`` (``h://`` × 8,000 took 7 s); :func:`_linkify` replaces it with a
bounded look-behind.

Raw HTML in posts is off: every tag in the output comes from this module's rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

#: A block holding more ``[`` than this (not counting complete links) has its brackets
#: defused (:func:`defuse_brackets`): each such ``[`` scans to the end of its paragraph.
MAX_BRACKETS_PER_BLOCK = 200
#: Even a short scan costs markdown-it-py about 25 µs per ``[`` (it tries every inline rule
#: up to ``maxNesting`` deep), so 30,000 of them spread over many small paragraphs took 1 s.
#: Past this many in the whole post (complete links still not counted), every block that
#: has any is defused.
MAX_OPEN_BRACKETS = 1000
#: Nesting cap for block quotes, lists and ``[quote]`` blocks.
MAX_NESTING = 20

USERNAME_CHARS = r"[A-Za-z0-9_.\-]"
MENTION_RE = re.compile(rf"(?<![\w.@/\-`])@({USERNAME_CHARS}{{3,20}})")
_MENTION_AT = re.compile(rf"{USERNAME_CHARS}{{3,20}}")

_QUOTE_OPEN = re.compile(r"^\[quote(?:=(\"?)([^\]\n]*)\1)?\]\s*", re.IGNORECASE)
_QUOTE_CLOSE = re.compile(r"^\[/quote\]\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


#: A complete inline link or image, ``[text](url)`` or ``[text](url "title")``, with nothing
#: in it (brackets, escapes, code spans, ``<``) that could carry the parser's label scan past
#: its ``]``: such a ``[`` costs the parser nothing however many there are.
_SIMPLE_LINK = re.compile(
    r'\[[^\[\]\n\\`<]{0,500}\]\([^()\s\\<>]{0,2000}(?:[ \t]+"[^"\n\\]{0,500}")?\)'
)


def _open_brackets(block: str) -> int:
    """``[`` in ``block`` that do not open a complete :data:`_SIMPLE_LINK`, nor a link
    around one (a linked image, ``[![logo](a.png)](https://…)``)."""
    if "[" not in block:
        return 0
    for _ in range(2):
        block = _SIMPLE_LINK.sub("x", block)
    return block.count("[")


def _placeholders(raw: str) -> tuple[str, str]:
    """Two private-use characters that do not occur in ``raw``."""
    present = set(raw)
    free = (
        chr(code)
        for code in itertools.chain(range(0xE000, 0xF900), range(0xF0000, 0x10FFFE))
        if chr(code) not in present
    )
    return next(free), next(free)  # StopIteration needs 130,000 distinct characters


_ESCAPE_OR_BRACKET = re.compile(r"\\(.)|\[", re.DOTALL)
#: Code tokens show backslashes as typed; everywhere else ``\[`` means ``[``.
_CODE_TOKENS = frozenset({"code_inline", "code_block", "fence"})


def defuse_brackets(raw: str) -> tuple[str, tuple[str, str] | None]:
    """``raw`` with the ``[`` of some blocks replaced by placeholders, and the placeholders
    (``None`` when nothing was replaced): one for ``[``, one for ``\\[``. A block is defused
    when it holds an absurd number of ``[`` that do not start a complete link (a list of 300
    links keeps its links), or when it holds any such ``[`` and the whole post holds an absurd
    number of them. The parser sees the placeholders as plain text;
    :func:`_restore_brackets` puts back what was typed."""
    if raw.count("[") <= MAX_BRACKETS_PER_BLOCK:
        return raw, None
    blocks = re.split(r"(\n[ \t]*\n)", raw)
    counts = [_open_brackets(b) for b in blocks]
    limit = 0 if sum(counts) > MAX_OPEN_BRACKETS else MAX_BRACKETS_PER_BLOCK
    if max(counts) <= limit:
        return raw, None
    bare, escaped = marks = _placeholders(raw)

    def swap(m: re.Match) -> str:
        if m.group(0) == "[":
            return bare
        return escaped if m.group(1) == "[" else m.group(0)

    return "".join(
        _ESCAPE_OR_BRACKET.sub(swap, b) if n > limit else b
        for b, n in zip(blocks, counts, strict=True)
    ), marks


def _restore_brackets(tokens, marks: tuple[str, str]) -> None:
    """Put back what the placeholders of :func:`defuse_brackets` stand for, everywhere in
    the parsed ``tokens``: text, code, fence info, attributes (where the URL encoder has
    percent-encoded them) and quote meta."""
    bare, escaped = marks
    for token in tokens:
        if bare in token.content or escaped in token.content:
            typed = "\\[" if token.type in _CODE_TOKENS else "["
            token.content = token.content.replace(bare, "[").replace(escaped, typed)
        if bare in token.info or escaped in token.info:
            token.info = token.info.replace(bare, "[").replace(escaped, "[")
        for name, value in token.attrs.items():
            if isinstance(value, str):
                for mark in marks:
                    value = value.replace(mark, "[").replace(quote(mark), "%5B")
                token.attrs[name] = value
        if token.meta.get("username"):
            token.meta["username"] = token.meta["username"].replace(bare, "[").replace(escaped, "[")
        if token.children:
            _restore_brackets(token.children, marks)


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
    if state.linkLevel > 0:  # inside link text: a nested <a> would break the outer link
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
    target = known.get(name.lower())
    if not target:
        return False
    if not silent:
        if isinstance(target, MentionedGroup):
            token = state.push("mention_group", "", 0)
            token.meta = {"group": target.name}
        else:
            token = state.push("mention", "", 0)
            token.meta = {"username": target}
        token.content = state.src[pos : pos + 1 + len(name)]  # as typed, for image alt text
    state.pos = pos + 1 + len(name)
    return True


class MentionedGroup(NamedTuple):
    """A mention lookup's answer for a group's name (a user's is their username)."""

    name: str


def _render_group_mention(self, tokens, idx, options, env):
    name = escapeHtml(tokens[idx].meta["group"])
    return f'<span class="mention-group">@{name}</span>'


def _render_mention(self, tokens, idx, options, env):
    username = escapeHtml(tokens[idx].meta["username"])
    return f'<a class="mention" href="/u/{username}">@{username}</a>'


#: Characters of a URL scheme (RFC 3986), and the longest scheme :func:`_linkify` looks for.
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-")
_MAX_SCHEME = 32


def _scheme_before(pending: str) -> str | None:
    """The scheme ending ``pending``: its trailing run of scheme characters, if that run starts
    with a letter and is at most :data:`_MAX_SCHEME` long. Same answer as markdown-it's
    ``SCHEME_RE.search(pending)`` for every scheme linkify-it knows, in O(scheme length)."""
    end = len(pending)
    start = end
    while start > 0 and end - start <= _MAX_SCHEME and pending[start - 1] in _SCHEME_CHARS:
        start -= 1
    if start == end or end - start > _MAX_SCHEME:
        return None
    return pending[start:] if pending[start].isalpha() else None


def _linkify(state, silent):
    """markdown-it-py's ``linkify`` rule with a bounded scheme look-behind (see module doc):
    plain-text ``http://…``, ``https://…`` and ``ftp://…`` become links."""
    if not state.md.options.linkify or state.linkLevel > 0:
        return False
    pos, maximum = state.pos, state.posMax
    if pos + 3 > maximum or state.src[pos : pos + 3] != "://":
        return False
    proto = _scheme_before(state.pending)
    if proto is None:
        return False
    link = state.md.linkify.match_at_start(state.src[pos - len(proto) :])
    if not link:
        return False
    url = link.url.rstrip("*")  # a trailing '*' belongs to emphasis
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = state.pending[: -len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(url) - len(proto)
    return True


def _mentions_as_text(tokens) -> None:
    for token in tokens or ():
        if token.type in ("mention", "mention_group"):
            token.type = "text"
        elif token.type == "image":
            _mentions_as_text(token.children)


def _render_image(self, tokens, idx, options, env):
    """The default image rule, keeping ``@name`` in the alt text (which is built from text
    tokens only) as it was typed."""
    _mentions_as_text(tokens[idx].children)
    return self.image(tokens, idx, options, env)


def mention_candidates(raw: str) -> set[str]:
    """Lower-cased names that ``@name`` mentions in ``raw`` might refer to."""
    return {m.group(1).rstrip(".-").lower() for m in MENTION_RE.finditer(raw)}


def build_markdown(extensions: Iterable[Callable[[MarkdownIt], None]] = ()) -> MarkdownIt:
    """A configured parser: CommonMark plus tables, strikethrough and hard line breaks (as
    typed, the way WhatsApp users expect). ``extensions`` are markdown-it plugins (functions
    taking the parser), such as :func:`quotes_and_mentions`."""
    md = MarkdownIt(
        "commonmark",
        {"breaks": True, "html": False, "linkify": True, "typographer": False},
    )
    md.enable(["table", "strikethrough", "linkify"])
    md.options["maxNesting"] = MAX_NESTING
    md.inline.ruler.at("linkify", _linkify)
    md.add_render_rule("image", _render_image)
    for extension in extensions:
        md.use(extension)
    return md


def quotes_and_mentions(md: MarkdownIt) -> None:
    """The core's own extension (registered through the ``markdown_extensions`` hook, like
    a plugin's): Discourse's ``[quote]`` blocks and ``@mentions``."""
    md.block.ruler.before(
        "fence", "bbquote", _quote_block, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.add_render_rule("bbquote_open", _render_quote_open)
    md.add_render_rule("bbquote_close", _render_quote_close)
    md.inline.ruler.before("emphasis", "mention", _mention_inline)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("mention_group", _render_group_mention)


def render_markdown(md: MarkdownIt, raw: str, mentions: dict[str, str] | None = None) -> str:
    """HTML for ``raw``. ``mentions`` maps lower-cased names to the usernames that exist."""
    source, marks = defuse_brackets(raw)
    env = {"mentions": mentions or {}}
    tokens = md.parse(split_quote_lines(source), env)
    if marks is not None:
        _restore_brackets(tokens, marks)
    return md.renderer.render(tokens, md.options, env)
