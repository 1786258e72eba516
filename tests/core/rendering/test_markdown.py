"""What the Markdown pipeline makes of ordinary posts: the features members rely on, links,
URL schemes, raw HTML, and Unicode. Uses :func:`forum.rendering.core_renderer` directly."""

from __future__ import annotations

import pytest

from forum.rendering import COOK_VERSION, core_renderer
from forum.rendering.sanitize import LINK_REL
from tests.core.rendering.htmlcheck import urls


@pytest.fixture(scope="module")
def renderer():
    return core_renderer()


@pytest.fixture(scope="module")
def cook(renderer):
    return lambda raw: renderer.cook(raw).html


def test_cook_returns_html_and_version(renderer):
    cooked = renderer.cook("Hello")
    assert cooked.html == "<p>Hello</p>"
    assert cooked.version == COOK_VERSION


def test_fenced_code_keeps_its_text_and_language(cook):
    html = cook("```python\nif a < b:\n    print('*not emphasis*')\n```")
    assert '<pre><code class="language-python">' in html
    assert "if a &lt; b:\n    print('*not emphasis*')" in html
    assert "<em>" not in html


def test_tables(cook):
    html = cook("| Practice | List size |\n|---|---:|\n| Oak Lane | 8,200 |")
    assert "<table>" in html
    assert "<th>Practice</th>" in html
    assert "<td>Oak Lane</td>" in html
    assert "8,200</td>" in html


def test_strikethrough(cook):
    assert cook("~~withdrawn~~ agreed") == "<p><s>withdrawn</s> agreed</p>"


def test_lists_bulleted_and_numbered(cook):
    html = cook("- one\n- two\n\n3. three\n4. four")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>' in html


def test_line_breaks_are_kept_as_typed(cook):
    """WhatsApp habits: a single newline is a line break, not a space."""
    assert cook("Dear all,\nThanks.\nJo") == "<p>Dear all,<br>\nThanks.<br>\nJo</p>"


def test_blank_line_starts_a_new_paragraph(cook):
    assert cook("one\n\ntwo") == "<p>one</p>\n<p>two</p>"


def test_emphasis(cook):
    assert cook("*a* **b** _c_ __d__") == (
        "<p><em>a</em> <strong>b</strong> <em>c</em> <strong>d</strong></p>"
    )


def test_headings_and_rules(cook):
    html = cook("## Agenda\n\n---")
    assert "<h2>Agenda</h2>" in html
    assert "<hr>" in html


def test_bare_urls_become_links(cook):
    html = cook("See https://www.bma.org.uk/advice and www.nhs.uk today")
    assert f'<a href="https://www.bma.org.uk/advice" rel="{LINK_REL}">' in html
    assert f'<a href="http://www.nhs.uk" rel="{LINK_REL}">www.nhs.uk</a>' in html


def test_linkify_leaves_non_urls_alone(cook):
    assert "<a" not in cook("ratio 3:1, time 10:30, scheme xhttp://example.org")
    assert "<a" not in cook("`https://example.org`")


def test_every_link_gets_rel(cook):
    html = cook(
        "[a](https://a.example) <https://b.example> https://c.example "
        "[m](mailto:x@example.org) [r](/t/slug/1)"
    )
    anchors = [value for tag, attr, value in urls(html) if tag == "a"]
    assert len(anchors) == 5
    assert html.count(f'rel="{LINK_REL}"') == 5


def test_user_supplied_rel_is_replaced(cook):
    html = cook('[a](https://a.example "title")')
    assert f'<a href="https://a.example" title="title" rel="{LINK_REL}">a</a>' in html


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a?b=c", "http://example.org", "mailto:clerk@lmc.example", "/t/x/1"],
)
def test_allowed_urls_survive(cook, url):
    assert f'href="{url.replace("&", "&amp;")}"' in cook(f"[link]({url})")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(1)",
        "jav&#x61;script:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
    ],
)
def test_other_schemes_are_dropped(cook, url):
    for source in (f"[link]({url})", f"![img]({url})", f"[link][r]\n\n[r]: {url}"):
        html = cook(source)
        assert "href=" not in html and "src=" not in html, html


def test_entity_obfuscated_link_in_raw_html_stays_text(cook):
    html = cook('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert html.startswith("<p>&lt;a href=")
    assert "<a" not in html


@pytest.mark.parametrize(
    "source, escaped",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<div class=x>hi</div>", "&lt;div class=x&gt;hi&lt;/div&gt;"),
        ("<!-- hidden -->", "&lt;!-- hidden --&gt;"),
        ("a <br> b", "a &lt;br&gt; b"),
    ],
)
def test_raw_html_is_escaped(cook, source, escaped):
    assert escaped in cook(source)


def test_images(cook):
    html = cook('![Practice map](https://example.org/map.png "Map")')
    assert '<img src="https://example.org/map.png" alt="Practice map" title="Map">' in html


def test_empty_and_whitespace_sources(cook):
    assert cook("") == ""
    assert cook("   \n\n  ") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Thanks 👍🏽 see you at the meeting 🎉",
        "Family 👨‍👩‍👧‍👦 and flag 🏴󠁧󠁢󠁷󠁬󠁳󠁿",
        "שלום לכולם",
        "مرحبا بالجميع",
        "Mixed: Dr. سارة said «oui» — ok",
        "Bore da, Iechyd da! Llongyfarchiadau",
        "right-to-left override \u202eexe.pdf",
        "zero\u200bwidth and combining e\u0301",
    ],
)
def test_unicode_is_preserved_exactly(cook, text):
    assert cook(text) == f"<p>{text}</p>"


def test_link_list_with_hundreds_of_links_keeps_every_link(cook):
    """A directory post (every LMC, each with a linked logo) is normal text, not an attack:
    the bracket guard must not escape it."""
    raw = "LMC websites:\n" + "".join(
        f"- [![logo](https://example.org/{i}.png)](https://lmc{i}.example) LMC {i}\n"
        for i in range(150)
    )
    html = cook(raw)
    assert html.count("<img ") == 150
    assert html.count('<a href="https://lmc') == 150
    assert "[" not in html
