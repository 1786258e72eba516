"""The reading tracker in a real browser, under the real Content-Security-Policy and with
CSRF on: scrolling a topic records the highest post seen (batched), leaving the page sends
what is left, and with scripts off the ``<noscript>`` pixel records the page's last post.
Skipped where there is no Chromium (see tests/browser/conftest.py)."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import TopicUser
from tests.browser.conftest import browser_app, watch
from tests.factories import PASSWORD, make_category, make_reply, make_topic, make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser


class Forum:
    def __init__(self, app, url: str, topic_path: str, topic_id: int, user_ids: dict):
        self.app, self.url, self.topic_path = app, url, topic_path
        self.topic_id, self.user_ids = topic_id, user_ids

    def __call__(self, path: str) -> str:
        return self.url + path

    def last_read(self, username: str) -> int | None:
        with self.app.app_context():
            value = db.session.scalar(
                select(TopicUser.last_read_post_number).where(
                    TopicUser.user_id == self.user_ids[username],
                    TopicUser.topic_id == self.topic_id,
                )
            )
            db.session.remove()
            return value

    def wait_for_read(self, username: str, number: int, timeout: float = 10) -> int | None:
        """The person's read mark once it reaches ``number`` (or after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.last_read(username)
            if value is not None and value >= number:
                return value
            time.sleep(0.1)
        return self.last_read(username)


@pytest.fixture(scope="module")
def forum(tmp_path_factory):
    app = browser_app(tmp_path_factory.mktemp("reading-forum"))
    with app.app_context():
        alice = make_user("alice")
        readers = {name: make_user(name).id for name in ("dana", "erin", "fred")}
        first = make_topic(alice, make_category("Contracts"), title="A long topic to scroll")
        for n in range(2, 26):
            make_reply(first.topic, alice, raw=f"Post number {n}.\n\n" + "Some text. " * 60)
        path, topic_id = f"/t/{first.topic.slug}/{first.topic.id}", first.topic.id
        db.session.remove()
    try:
        with serving(app) as url:
            yield Forum(app, url, path, topic_id, readers)
    finally:
        with app.app_context():
            db.engine.dispose()


@contextmanager
def signed_in(browser, forum, username: str, *, scripts: bool = True):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=scripts
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = watch(page, forum.url)
    page.goto(forum("/login"))
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    try:
        yield page
    finally:
        context.close()


def test_scrolling_records_the_highest_post_seen(browser, forum):
    with signed_in(browser, forum, "dana") as page:
        page.goto(forum(forum.topic_path))
        page.locator("article#post-1").wait_for()
        assert forum.last_read("dana") is None  # the page itself wrote nothing
        seen = forum.wait_for_read("dana", 1)
        assert seen is not None and 1 <= seen < 20
        page.locator("article#post-20").scroll_into_view_if_needed()
        assert forum.wait_for_read("dana", 20) == 20  # page 1 shows posts 1 to 20
        assert page.problems == []


def test_leaving_the_page_sends_what_is_left(browser, forum):
    with signed_in(browser, forum, "erin") as page:
        page.goto(forum(forum.topic_path + "?page=2"))
        page.locator("article#post-25").scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # seen, but the 2-second batch is not due yet
        page.goto(forum("/"))  # pagehide: sendBeacon
        assert forum.wait_for_read("erin", 25) == 25
        assert page.problems == []


def test_without_scripts_the_pixel_records_the_page(browser, forum):
    with signed_in(browser, forum, "fred", scripts=False) as page:
        page.goto(forum(forum.topic_path))
        assert forum.wait_for_read("fred", 20) == 20
        assert page.problems == []
