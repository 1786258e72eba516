"""The bell in a real browser: a reply makes the author's count go up; following the
notification takes them to the reply and the count goes down; the composer warns about a
mention of someone who cannot see the topic."""

from __future__ import annotations

import re
import time

import pytest

from forum.extensions import db
from tests.browser.test_plugin_journey import sign_in
from tests.factories import PASSWORD, add_member, make_category, make_topic, make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser

TITLE = "Locum rates this winter: what are practices paying?"


@pytest.fixture(scope="module")
def bell_forum(tmp_path_factory):
    from tests.browser.conftest import LiveForum, browser_app

    app = browser_app(
        tmp_path_factory.mktemp("browser-bell-forum"), MAIL_PERSONAL_DELAY_SECONDS=3600
    )
    with app.app_context():
        erin = make_user("erin", name="Erin Walsh")
        make_user("dave", name="Dave Singh")
        officer = make_user("olive", name="Olive Officer")
        add_member(officer, "officers")
        make_category("Officers only", permissions={"officers": 1})
        topic = make_topic(
            erin,
            make_category("Workforce"),
            title=TITLE,
            raw="Sessional rates have gone up again; what is everyone seeing?",
        ).topic
        topic_path = f"/t/{topic.slug}/{topic.id}"
        db.session.remove()
    try:
        with serving(app) as url:
            yield LiveForum(url, app, topic_path, TITLE, "dave", PASSWORD)
    finally:
        with app.app_context():
            db.engine.dispose()


def bell_count(page) -> str | None:
    count = page.locator("[data-bell-count]")
    return None if count.get_attribute("hidden") is not None else count.inner_text().split()[0]


def test_the_bell_goes_up_and_down(browser, bell_forum, artifacts):
    from tests.browser.conftest import desktop_page

    with (
        desktop_page(browser, bell_forum.url) as erin,
        desktop_page(browser, bell_forum.url) as dave,
    ):
        sign_in(erin, bell_forum, "erin")
        erin.goto(bell_forum("/"))
        assert bell_count(erin) is None

        # Dave replies to Erin's opening post from the topic page.
        sign_in(dave, bell_forum, "dave")
        dave.goto(bell_forum(bell_forum.topic_path))
        dave.get_by_label("Your reply").fill("Around £95 a session here, up from £85 last year.")
        dave.get_by_role("button", name="Post reply").click()
        dave.wait_for_url(re.compile(r"/t/.+/\d+/2"))

        # Erin's bell counts it (the watchers' fan-out runs just after Dave's response).
        deadline = time.monotonic() + 10
        while bell_count(erin) != "1" and time.monotonic() < deadline:
            time.sleep(0.3)
            erin.reload()
        assert bell_count(erin) == "1"
        erin.screenshot(path=str(artifacts / "bell-one-unread.png"))

        # The bell leads to the notifications; the notification to Dave's reply.
        erin.locator("[data-bell]").click()
        erin.wait_for_url(re.compile(r"/notifications$"))
        item = erin.get_by_role(
            "link", name=re.compile(f"Dave Singh posted in “{re.escape(TITLE)}”")
        )
        item.click()
        erin.wait_for_url(re.compile(r"/t/.+/\d+/2"))
        assert "Around £95 a session" in erin.content()
        assert bell_count(erin) is None
        assert erin.problems == [] and dave.problems == []


def test_the_composer_warns_about_a_mention_nobody_there_can_see(browser, bell_forum):
    from tests.browser.conftest import desktop_page

    with desktop_page(browser, bell_forum.url) as olive:
        sign_in(olive, bell_forum, "olive")
        olive.goto(bell_forum("/new-topic"))
        olive.get_by_label("Category").select_option(label="Officers only")
        olive.wait_for_load_state("networkidle")  # the form redraws for the chosen category
        olive.get_by_label("Title").fill("Officers: agenda for the next network meeting")
        olive.locator("textarea[name=raw]").fill("Should we invite @dave to present?")
        warning = olive.locator(".composer-warning")
        warning.wait_for(state="visible", timeout=5000)
        assert "@dave cannot see this topic" in warning.inner_text()
        assert olive.problems == []
