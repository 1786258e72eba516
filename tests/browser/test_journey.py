"""The member's journey in a real browser, under the real Content-Security-Policy: sign in
through the form, open a topic, reply to post 2, and see the reply with its "in reply to"
link. Also: the topic page on a 360 px phone screen.

Selectors are the ones a person uses — labels, link and button names — so they double as a
check that the forms are labelled: "Username or e-mail" and "Password" fields, a "Sign in"
button, a "Reply" link per post (accessible name "Reply to post #N"), the ``raw`` textarea,
a "Post reply" button, and the "In reply to #N" link.
"""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

REPLY_TEXT = "Replying from a real browser: we tried extended hours on Tuesdays. 👍"


def sign_in(page, live_forum) -> None:
    page.goto(live_forum("/login"))
    page.get_by_label("Username or e-mail").fill(live_forum.username)
    page.get_by_label("Password").fill(live_forum.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_sign_in_open_topic_reply_to_post_2(page, live_forum, artifacts):
    sign_in(page, live_forum)

    # Open the topic from the home page, as a member would.
    page.goto(live_forum("/"))
    page.get_by_role("link", name=live_forum.topic_title).first.click()
    page.wait_for_url(re.compile(re.escape(live_forum.topic_path)))
    assert page.locator("article#post-3").is_visible()

    # Reply to post 2 with its own "Reply" link. With scripts on, it fills the reply box at
    # the foot of the page (without, it opens the reply page): either way the form that
    # holds the raw textarea must now say it replies to post 2, and have the focus.
    page.locator("article#post-2").get_by_role("link", name=re.compile(r"^Reply\b")).click()
    form = page.locator("form:has(textarea[name=raw])")
    textarea = form.locator("textarea[name=raw]")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'raw'")
    assert form.locator("input[name=reply_to_post_number]").input_value() == "2"
    textarea.fill(REPLY_TEXT)
    with page.expect_navigation():
        form.get_by_role("button", name="Post reply").click()
    assert re.search(re.escape(live_forum.topic_path) + r"/4(#post-4)?$", page.url), page.url

    # The new post is shown, with an "in reply to" link that leads to post 2.
    new_post = page.locator("article.post", has_text=REPLY_TEXT)
    new_post.wait_for()
    assert new_post.get_attribute("id") == "post-4"
    in_reply_to = new_post.get_by_role("link", name=re.compile(r"in reply to #2", re.I))
    assert in_reply_to.count() == 1
    href = in_reply_to.get_attribute("href")
    assert href.endswith("#post-2") or re.search(r"/2(#post-2)?$", href), href
    page.screenshot(path=str(artifacts / "browser-journey.png"), full_page=True)

    in_reply_to.click()
    page.wait_for_function("location.hash === '#post-2'")
    assert page.locator("article#post-2").is_visible()
    box = page.locator("article#post-2").bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"]

    assert page.problems == []


def assert_fits_the_screen(page) -> None:
    """Nothing wider than the screen: no sideways scrolling."""
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, (scroll, client)


def test_topic_page_on_a_phone(phone, live_forum, artifacts):
    phone.goto(live_forum(live_forum.topic_path))
    phone.locator("article#post-1").wait_for()
    assert phone.viewport_size["width"] == 360
    assert_fits_the_screen(phone)
    assert live_forum.topic_title in phone.get_by_role("heading", level=1).inner_text()
    phone.screenshot(path=str(artifacts / "topic-360.png"), full_page=True)

    # Signed in, the page also carries the post actions and the reply box.
    sign_in(phone, live_forum)
    phone.goto(live_forum(live_forum.topic_path))
    phone.locator("textarea[name=raw]").wait_for()
    assert_fits_the_screen(phone)
    reply = phone.locator("article#post-2").get_by_role("link", name=re.compile(r"^Reply\b"))
    box = reply.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    assert box["height"] >= 24  # a tappable target (WCAG 2.5.8 minimum)
    phone.screenshot(path=str(artifacts / "topic-360-signed-in.png"), full_page=True)
    assert phone.problems == []


def test_csp_blocks_injected_inline_script(page, live_forum):
    """The page's CSP really is enforced: an inline script added to the DOM does not run, and
    the violation is reported (so the journey's empty problem list means something)."""
    page.goto(live_forum("/"))
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__inline_ran = true";
          document.body.appendChild(s);
        }"""
    )
    deadline = time.monotonic() + 5
    while not any("CSP violation" in p for p in page.problems) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate("window.__inline_ran === undefined")
    assert any("CSP violation: script-src" in p for p in page.problems), page.problems
