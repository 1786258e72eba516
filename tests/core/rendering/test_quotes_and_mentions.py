"""Discourse-style ``[quote="user, post:N, topic:T"]`` blocks and ``@mentions``."""

from __future__ import annotations

import pytest

from forum.rendering import core_renderer
from forum.rendering.sanitize import LINK_REL
from tests.core.rendering.htmlcheck import unsafe_parts


@pytest.fixture(scope="module")
def renderer():
    return core_renderer()


@pytest.fixture(scope="module")
def cook(renderer):
    return lambda raw: renderer.cook(raw).html


ATTRIBUTED = (
    '<aside class="quote" data-username="alice" data-post="3" data-topic="12">\n'
    f'<div class="quote-title"><a href="/t/12/3" rel="{LINK_REL}">alice</a> said:</div>\n'
    "<blockquote>\n"
)


def test_multi_line_quote(cook):
    html = cook('[quote="alice, post:3, topic:12"]\nWe agreed the rota.\nSee you.\n[/quote]')
    assert html == ATTRIBUTED + "<p>We agreed the rota.<br>\nSee you.</p>\n</blockquote>\n</aside>"


def test_single_line_quote(cook):
    html = cook('[quote="alice, post:3, topic:12"]We agreed the rota.[/quote]')
    assert html == ATTRIBUTED + "<p>We agreed the rota.</p>\n</blockquote>\n</aside>"


def test_quote_then_reply_text(cook):
    html = cook('[quote="alice, post:3, topic:12"]\nQuoted.\n[/quote]\n\nMy answer.')
    assert html.endswith("</blockquote>\n</aside>\n<p>My answer.</p>")


def test_tag_name_is_case_insensitive(cook):
    assert cook('[QUOTE="alice, post:3, topic:12"]\nx\n[/QUOTE]').startswith(ATTRIBUTED)


def test_nested_quotes(cook):
    html = cook(
        '[quote="alice, post:1, topic:5"]\nouter\n'
        '[quote="bob, post:2, topic:5"]\ninner\n[/quote]\n'
        "after inner\n[/quote]"
    )
    assert html.count('<aside class="quote"') == 2
    outer = html.index('data-username="alice"')
    inner = html.index('data-username="bob"')
    assert outer < inner < html.index("after inner") < html.rindex("</aside>")
    assert 'href="/t/5/2"' in html


def test_quote_without_params(cook):
    html = cook("[quote]\nSomeone said this.\n[/quote]")
    assert html == (
        '<aside class="quote">\n<blockquote>\n<p>Someone said this.</p>\n</blockquote>\n</aside>'
    )


def test_quote_with_username_only_has_a_title_without_link(cook):
    html = cook('[quote="alice"]\nhi\n[/quote]')
    assert '<div class="quote-title">alice said:</div>' in html
    assert "<a " not in html


def test_unclosed_quote_runs_to_the_end(cook):
    html = cook('[quote="alice, post:3, topic:12"]\nno closing tag\n\nsecond paragraph')
    assert html.startswith(ATTRIBUTED)
    assert html.endswith("<p>second paragraph</p>\n</blockquote>\n</aside>")


def test_quote_inside_code_fence_stays_literal(cook):
    html = cook('```\n[quote="alice, post:3, topic:12"]\nx\n[/quote]\n```')
    assert "<aside" not in html
    assert '[quote="alice, post:3, topic:12"]\nx\n[/quote]' in html


def test_quote_inside_inline_code_stays_literal(cook):
    html = cook('Type `[quote="alice, post:3, topic:12"]` to quote.')
    assert "<aside" not in html


def test_stray_closing_tag_is_text(cook):
    assert cook("[/quote]") == "<p>[/quote]</p>"


@pytest.mark.parametrize(
    "params, expected",
    [
        ('"a\\" onmouseover=\\"x"', 'data-username="a\\&quot; onmouseover=\\&quot;x"'),
        ('"a" onmouseover="x"', 'data-username="a&quot; onmouseover=&quot;x"'),
        ('"<b>bob</b>, post:1, topic:2"', 'data-username="&lt;b&gt;bob&lt;/b&gt;"'),
        ('"bob, post:1 onclick=x, topic:2"', 'data-username="bob" data-topic="2"'),
        ('"bob, post:99999999999999999999999, topic:2"', 'data-username="bob"'),
    ],
)
def test_quote_params_cannot_break_out_of_attributes(cook, params, expected):
    html = cook(f"[quote={params}]\nhi\n[/quote]")
    assert expected in html
    assert unsafe_parts(html) == []
    assert "<b>" not in html


def test_quote_link_numbers_are_digits_only(cook):
    html = cook('[quote="bob, post:javascript:alert(1), topic:3"]\nhi\n[/quote]')
    assert 'href="/t/3/1"' in html
    assert "javascript" not in html


# Mentions --------------------------------------------------------------------------------

USERS = {"alice": "Alice", "bob.smith": "bob.smith", "dr_khan": "Dr_Khan"}


def lookup(calls: list | None = None):
    def _lookup(names: set[str]) -> dict[str, str]:
        if calls is not None:
            calls.append(set(names))
        return {name: USERS[name] for name in names if name in USERS}

    return _lookup


def mention(username: str) -> str:
    return f'<a class="mention" href="/u/{username}" rel="{LINK_REL}">@{username}</a>'


def test_known_mentions_link_to_profiles(renderer):
    html = renderer.cook("Thanks @alice and @BOB.SMITH!", lookup()).html
    assert html == f"<p>Thanks {mention('Alice')} and {mention('bob.smith')}!</p>"


def test_unknown_mentions_stay_text(renderer):
    assert renderer.cook("Hello @nobody", lookup()).html == "<p>Hello @nobody</p>"


def test_no_lookup_means_no_mention_links(renderer):
    assert renderer.cook("Hello @alice").html == "<p>Hello @alice</p>"


def test_lookup_gets_lower_cased_candidates_once(renderer):
    calls: list = []
    renderer.cook("@Alice @alice @Dr_Khan, @bob.smith. and @ab", lookup(calls))
    assert calls == [{"alice", "dr_khan", "bob.smith"}]


def test_lookup_skipped_without_candidates(renderer):
    calls: list = []
    renderer.cook("No mentions here, just an e-mail a@b.example", lookup(calls))
    assert calls in ([], [set()])


def test_mention_at_sentence_end_keeps_the_full_stop(renderer):
    html = renderer.cook("Ask @bob.smith.", lookup()).html
    assert html == f"<p>Ask {mention('bob.smith')}.</p>"


@pytest.mark.parametrize(
    "source",
    [
        "`@alice`",
        "```\n@alice\n```",
        "    @alice indented code",
        "write to alice@alice.example",
        "see https://example.org/@alice",
        "[@alice](https://example.org)",
    ],
)
def test_mentions_not_linked_in_code_emails_or_urls(renderer, source):
    html = renderer.cook(source, lookup()).html
    assert 'class="mention"' not in html


def test_mention_inside_link_text_keeps_the_link(renderer):
    """A mention inside ``[...](url)`` would nest one <a> in another, which the sanitizer's
    HTML parser splits into an empty link and a mention."""
    html = renderer.cook("[@alice on the rota](https://example.org/rota)", lookup()).html
    assert html == (
        f'<p><a href="https://example.org/rota" rel="{LINK_REL}">@alice on the rota</a></p>'
    )


def test_mention_in_image_alt_text_is_kept_as_typed(renderer):
    html = renderer.cook("![photo of @alice](https://example.org/a.png)", lookup()).html
    assert html == '<p><img src="https://example.org/a.png" alt="photo of @alice"></p>'


def test_mention_inside_quote_and_list(renderer):
    html = renderer.cook('[quote="bob"]\nping @alice\n[/quote]\n\n- @dr_khan', lookup()).html
    assert mention("Alice") in html
    assert mention("Dr_Khan") in html
