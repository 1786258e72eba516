"""Hostile bodies within the 32,000-character limit cook without error and in bounded time.

security.md §5.7: python-markdown took 9-19 s on runs of ``[`` and raised RecursionError on
deep lists. Each input here must cook in under :data:`BOUND_SECONDS` — a robustness bound, not a
benchmark (on the development machine the slowest takes about 0.6 s). The slowest inputs are
listed at the end of the run by ``conftest.py``.
"""

from __future__ import annotations

import re
import time

import pytest

from forum.rendering import core_renderer
from forum.rendering.markdown import MAX_NESTING
from tests.core.rendering.htmlcheck import unsafe_parts

LIMIT = 32_000
BOUND_SECONDS = 5.0
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


def fill(unit: str, length: int = LIMIT) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def nested(prefix: str, body: str = "x", depth: int = 400) -> str:
    return "".join(prefix * i + body + "\n" for i in range(depth))[:LIMIT]


INPUTS = {
    # Link and image labels: every unclosed "[" scans to the end of its paragraph.
    "[": fill("["),
    "![": fill("!["),
    "[a](": fill("[a]("),
    "](": fill("]("),
    "[]": fill("[]"),
    "[[a]]": fill("[[a]]"),
    "[x][": fill("[x]["),
    "[ spaced": fill("[ "),
    "[ per line": fill("[\n"),
    "199 [ per paragraph": fill("[" * 199 + "\n\n"),
    "9 [ per paragraph": fill("[" * 9 + "\n\n"),
    "5 [a] per line": fill("[a] [b] [c] [d] [e]\n"),
    "[ then ]": "[" * (LIMIT // 2) + "]" * (LIMIT // 2),
    "[a](b without )": fill("[a](b "),
    "[a\\](b)": fill("[a\\](b)"),
    "(": fill("("),
    "link in link": fill("[![a]("),
    "reference definitions": fill("[a]: /u\n"),
    "reference uses": "[a]: /x\n\n" + fill("[a] ", LIMIT - 10),
    # Block structure.
    ">": fill(">"),
    "> ": fill("> "),
    "> nested lines": nested("> "),
    "- ": fill("- "),
    "- nested list": nested("  ", "- x", 150),
    "1. ": fill("1. "),
    "1) ": fill("1) "),
    "- > ": fill("- > "),
    "tabs and markers": fill("\t- "),
    "- [": fill("- [\n"),
    "# ": fill("# "),
    "setext": fill("a\n=\n"),
    "***": fill("***\n"),
    "```": fill("```\n"),
    "~~~": fill("~~~\n"),
    "newlines": "\n" * LIMIT,
    "spaces": " " * LIMIT,
    # Inline delimiters.
    "*_": fill("*_"),
    "*": fill("*"),
    "_": fill("_"),
    "**a": fill("**a"),
    "*a _b": fill("*a _b "),
    "~": fill("~"),
    "`": fill("`"),
    "` ``": fill("` ``"),
    "\\": fill("\\"),
    # HTML-ish and entities (raw HTML is off, but the rules still look).
    "<": fill("<"),
    "<<>": fill("<<>"),
    "<div>": fill("<div>"),
    "<a ": fill("<a "),
    "&#": fill("&#"),
    "&amp;": fill("&amp;"),
    "&#x": fill("&#x1"),
    # Tables.
    "|\\n": fill("|\n"),
    "tall table": "|a|b|\n|-|-|\n" + fill("|1|2|\n", LIMIT - 12),
    "wide table": "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n|" + "b|" * 5000,
    "table of [": "|a|b|\n|-|-|\n" + fill("|[|[|\n", LIMIT - 12),
    # Quotes.
    "[quote]\\n": fill("[quote]\n"),
    "[/quote]": fill("[/quote]\n"),
    "quote open and text": fill('[quote="a, post:1, topic:2"]\nx\n'),
    "single-line quotes": fill('[quote="a, post:1, topic:2"]x[/quote]\n'),
    "[quote=": fill("[quote="),
    '[quote="': fill('[quote="'),
    "quote in list": fill("- [quote]\n"),
    # Mentions and links.
    "@abc ": fill("@abc "),
    "@a.b.c.": fill("@a.b.c."),
    "@ run": fill("@"),
    "http://": fill("http://a.b/ "),
    "h://": fill("h://"),
    "<http://": fill("<http://"),
    "a:// ": fill("a:// "),
    "www.": fill("www."),
    "mailto:": fill("mailto:a@b.c "),
    "long word": "a" * LIMIT,
    "long url": "https://example.org/" + "a" * (LIMIT - 20),
    "emoji": fill("👨‍👩‍👧‍👦"),
    "rtl": fill("\u202eשלום "),
}

_timings: list[tuple[float, str]] = []


def slowest(n: int = 5) -> list[tuple[float, str]]:
    return sorted(_timings, reverse=True)[:n]


@pytest.fixture(scope="module")
def renderer():
    return core_renderer()


def _everyone(names: set[str]) -> dict[str, str]:
    return {name: name for name in names}


@pytest.mark.parametrize("name", INPUTS)
def test_pathological_input_cooks_quickly(renderer, name):
    raw = INPUTS[name]
    assert len(raw) <= LIMIT
    start = time.perf_counter()
    html = renderer.cook(raw, _everyone).html
    elapsed = time.perf_counter() - start
    _timings.append((elapsed, name))
    assert elapsed < BOUND_SECONDS, f"{name!r} took {elapsed:.2f} s"
    assert unsafe_parts(html) == []
    assert not PRIVATE_USE.search(html), "a bracket placeholder leaked into the output"


@pytest.mark.parametrize("prefix", ["> ", "- ", "1. ", "* > ", "[quote]\n"])
def test_deep_nesting_is_capped_not_recursed(renderer, prefix):
    """Thousands of nested containers render, capped at MAX_NESTING levels (markdown-it's
    ``maxNesting``; what lies deeper is dropped), instead of raising RecursionError."""
    html = renderer.cook(prefix * 5000 + "deep").html
    depth = deepest = 0
    for tag in re.findall(r"</?(?:blockquote|ul|ol|li|aside)\b", html):
        depth += -1 if tag.startswith("</") else 1
        deepest = max(deepest, depth)
    assert deepest <= MAX_NESTING


def test_nested_quote_blocks_are_capped(renderer):
    html = renderer.cook("[quote]\n" * 30 + "deep").html
    assert html.count("<aside") == MAX_NESTING


def test_nesting_within_the_cap_keeps_the_text(renderer):
    html = renderer.cook("> " * 8 + "eight levels of e-mail quoting").html
    assert html.count("<blockquote>") == 8
    assert "eight levels of e-mail quoting" in html


# The bracket guard (defuse_brackets) must not change what members see ----------------------


def test_defused_brackets_render_as_typed(renderer):
    raw = "[" * 300 + " \\[escaped\\] \\\\[ `[code\\[`"
    html = renderer.cook(raw).html
    assert html == "<p>" + "[" * 300 + " [escaped] \\[ <code>[code\\[</code></p>"


def test_code_with_many_brackets_is_shown_exactly(renderer):
    code = "\n".join(f"row[{i}] = matrix[{i}][\\[x]" for i in range(400))
    html = renderer.cook(f"```python\n{code}\n```").html
    assert html == f'<pre><code class="language-python">{code}\n</code></pre>'


def test_links_survive_next_to_a_bracket_heavy_block(renderer):
    raw = "[" * 300 + "\n\nSee [the guidance](https://example.org/guidance)."
    html = renderer.cook(raw).html
    assert '<a href="https://example.org/guidance"' in html


def test_private_use_characters_typed_by_a_member_survive(renderer):
    raw = "\ue000\ue001 " + "[" * 300
    assert renderer.cook(raw).html == "<p>\ue000\ue001 " + "[" * 300 + "</p>"
