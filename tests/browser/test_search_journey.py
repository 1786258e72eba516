"""Search in a real browser, under the real Content-Security-Policy: a member searches from
the header box and opens a result (a topic in a category only officers see, holding the same
word, stays out of the results, though the admin finds it); and, starting a topic, a member
is shown the existing topics with a similar title ("Your topic is similar to…").

The forum is this module's own (a search index in its own data folder, and topics no other
journey counts on). Topics are created through :mod:`tests.factories`, that is through
``forum.topics.services``: search applies the queued index changes itself before searching.
"""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from tests.browser.test_plugin_journey import sign_in, sign_out
from tests.factories import PASSWORD, make_category, make_topic, make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser

WORD = "phlebotomy"
TITLE = "Phlebotomy clinic rotas across the network"
HIDDEN_TITLE = "Officers' notes on phlebotomy funding"
OTHER_TITLE = "Winter access funding: what are practices doing?"


@pytest.fixture(scope="module")
def search_forum(tmp_path_factory):
    from tests.browser.conftest import LiveForum, browser_app

    app = browser_app(tmp_path_factory.mktemp("browser-search-forum"))
    with app.app_context():
        carol = make_user("carol", role="admin")
        erin = make_user("erin", name="Erin Walsh")
        make_user("dave", name="Dave Singh")
        open_category = make_category("Contracts and funding")
        officers = make_category("Officers only", permissions={"officers": 1})
        topic = make_topic(
            erin,
            open_category,
            title=TITLE,
            raw="Who runs phlebotomy for the practices in the north of the network?",
        ).topic
        make_topic(
            carol,
            officers,
            title=HIDDEN_TITLE,
            raw="Confidential: the phlebotomy budget for next year, before the meeting.",
        )
        make_topic(
            erin,
            open_category,
            title=OTHER_TITLE,
            raw="How is everyone using the winter access money this year?",
        )
        topic_path = f"/t/{topic.slug}/{topic.id}"
        db.session.remove()
    try:
        with serving(app) as url:
            yield LiveForum(url, app, topic_path, TITLE, "dave", PASSWORD)
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def page(browser, search_forum):
    """This module's forum in a fresh context; what goes wrong is in ``page.problems``."""
    from tests.browser.conftest import desktop_page

    with desktop_page(browser, search_forum.url) as page:
        yield page


def result_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".search-result-title").all_inner_texts()]


def test_search_from_the_header_and_open_a_result(page, search_forum, artifacts):
    sign_in(page, search_forum, "dave")

    # From the latest topics (the home page): a word in the header's search box, then Enter.
    page.goto(search_forum("/"))
    box = page.get_by_role("search").get_by_label("Search", exact=True)
    box.fill(WORD)
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/search\?q=" + WORD + "$", page.url), page.url

    # One result: the topic with the word, marked in its snippet. The officers' topic holds
    # the same word but is in a category members cannot see.
    page.locator(".search-result").first.wait_for()
    assert result_titles(page) == [TITLE]
    marks = page.locator(".search-result .blurb mark").all_inner_texts()
    assert marks and all(m.lower() == WORD for m in marks), marks
    assert HIDDEN_TITLE not in page.content()
    # The box on the results page keeps the query.
    assert page.get_by_label("Search the forum").input_value() == WORD
    page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)

    # Open the result: the topic page.
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(re.escape(search_forum.topic_path)))
    assert TITLE in page.get_by_role("heading", level=1).inner_text()
    assert page.problems == []

    # The hidden topic is in the index: the admin, who sees every category, finds it too.
    sign_out(page)
    sign_in(page, search_forum, "carol")
    page.goto(search_forum(f"/search?q={WORD}"))
    page.locator(".search-result").first.wait_for()
    assert sorted(result_titles(page)) == sorted([TITLE, HIDDEN_TITLE])
    assert page.problems == []


def test_new_topic_shows_similar_topics(page, search_forum, artifacts):
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/topics/similar_to" in r.url else None)
    sign_in(page, search_forum, "dave")
    page.goto(search_forum("/new-topic"))
    similar = page.locator("[data-similar-topics]")
    assert similar.get_attribute("aria-live") == "polite"
    heading = page.get_by_role("heading", name="Your topic is similar to…")
    assert heading.count() == 0

    # A few letters are not enough to ask.
    title = page.get_by_label("Title")
    title.press_sequentially("Phleb", delay=30)
    page.wait_for_timeout(700)
    assert asked == []
    assert heading.count() == 0

    # A title like an existing topic's: the box lists that topic (once typing pauses, so
    # fewer requests than keystrokes), and not the officers' topic with the same word.
    rest = "otomy rotas for the summer"
    title.press_sequentially(rest, delay=30)
    heading.wait_for()
    links = similar.get_by_role("link")
    assert links.all_inner_texts() == [TITLE]
    assert links.first.get_attribute("href") == search_forum.topic_path
    assert links.first.get_attribute("target") is None
    assert WORD in [m.lower() for m in similar.locator("mark").all_inner_texts()]
    assert HIDDEN_TITLE not in similar.inner_text()
    assert 1 <= len(asked) < len(rest)
    assert all("raw=" in url for url in asked)
    page.screenshot(path=str(artifacts / "similar-topics.png"), full_page=True)

    # A title like nothing here: the box goes away; so it does when the title is cleared.
    title.fill("Quarterly car parking arrangements")
    heading.wait_for(state="detached")
    title.fill(TITLE)
    heading.wait_for()
    title.fill("")
    heading.wait_for(state="detached")

    # The links open the topic as any link does.
    title.fill(TITLE)
    similar.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(re.escape(search_forum.topic_path) + "$"))
    assert page.problems == []
