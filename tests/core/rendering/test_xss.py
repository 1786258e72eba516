"""No payload of the XSS corpus cooks into executable content (security.md §1.3, §4, §7 #1).

The check is static (:mod:`tests.core.rendering.htmlcheck`), so it fails unsafe HTML even where
the Content-Security-Policy would have blocked it in a browser.
"""

from __future__ import annotations

import pytest

from forum.rendering import core_renderer
from tests.core.rendering.htmlcheck import unsafe_parts, url_scheme, urls
from tests.core.rendering.xss_payloads import PAYLOADS

#: Each payload is tried on its own and inside the constructs that add markup of their own.
CONTEXTS = {
    "bare": "{}",
    "quote": '[quote="alice, post:2, topic:7"]\n{}\n[/quote]',
    "list": "- item\n- {}",
    "table": "| a | b |\n|---|---|\n| {} | x |",
    "emphasis": "*{}*",
}


def _known(names: set[str]) -> dict[str, str]:
    return {name: name for name in names if name == "alice"}


@pytest.fixture(scope="module")
def renderer():
    return core_renderer()


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_cooks_inert(renderer, payload, context):
    html = renderer.cook(CONTEXTS[context].format(payload), _known).html
    assert unsafe_parts(html) == [], html


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p style="color:red">x</p>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" &#14; JAVASCRIPT:alert(1)">x</a>',
        '<img src="data:image/svg+xml,x">',
        "<svg><circle></circle></svg>",
    ],
)
def test_the_checker_catches_what_it_should(html):
    """Guard against a vacuous check: each of these must be reported."""
    assert unsafe_parts(html)


def test_the_checker_accepts_safe_html():
    html = (
        '<p><a href="https://example.org" rel="nofollow ugc noopener">x</a> '
        '<a href="/t/1/2">y</a> <a href="mailto:a@example.org">z</a> '
        '<img src="https://example.org/a.png" alt="a"></p>'
    )
    assert unsafe_parts(html) == []


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](jav&#x61;script:alert(1))",
        "[x](data:text/html,hi)",
        "[x](vbscript:msgbox(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_urls_are_dropped_entirely(renderer, source):
    """Not merely neutralised: no URL attribute survives with any scheme but the three."""
    html = renderer.cook(source).html
    for _tag, _attr, value in urls(html):
        assert url_scheme(value) in (None, "http", "https", "mailto"), html


def test_raw_html_in_the_source_shows_as_text(renderer):
    html = renderer.cook('<img src=x onerror="alert(1)"> and <b>bold</b>').html
    assert "&lt;img src=x onerror=" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<img" not in html and "<b>" not in html
