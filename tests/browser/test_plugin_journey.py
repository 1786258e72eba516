"""A plugin in a real browser, under the real Content-Security-Policy: an admin enables the
example plugin (meetings) on a category through the category's settings; a member starts a
topic there, choosing the category first (the form redraws with that category's options),
attaches a meeting from the composer's picker, and sees the meeting card under the post; the
category page shows the plugin's panel, also on a 360 px phone screen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.database import utcnow
from forum.extensions import db
from tests.browser.test_journey import assert_fits_the_screen
from tests.factories import PASSWORD, make_category, make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser

TITLE = "Agenda for the January network meeting"


@pytest.fixture(scope="module")
def plugin_forum(tmp_path_factory):
    from tests.browser.conftest import LiveForum, browser_app
    from tests.plugins.meetings.models import Meeting

    app = browser_app(
        tmp_path_factory.mktemp("browser-plugin-forum"), PLUGINS=["tests.plugins.meetings"]
    )
    with app.app_context():
        make_user("carol", role="admin")
        make_user("dave", name="Dave Singh")
        make_category("Network meetings")
        make_category("Contracts and funding")
        db.session.add(
            Meeting(title="Network meeting, January", starts_at=utcnow() + timedelta(days=20))
        )
        db.session.commit()
        db.session.remove()
    try:
        with serving(app) as url:
            yield LiveForum(url, app, "", "", "dave", PASSWORD)
    finally:
        with app.app_context():
            db.engine.dispose()


def sign_in(page, forum, username):
    page.goto(forum("/login"))
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: True)


def test_enable_attach_and_see_the_meeting(browser, plugin_forum, artifacts):
    from tests.browser.conftest import watch

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, plugin_forum.url)

    # The admin enables the plugin on "Network meetings" in its settings.
    sign_in(page, plugin_forum, "carol")
    page.goto(plugin_forum("/admin/categories"))
    page.get_by_role("link", name="Network meetings").first.click()
    page.get_by_label(re.compile(r"^meetings")).check()
    page.get_by_role("button", name="Save plugins").click()
    page.get_by_text("Plugins enabled on Network meetings: meetings.").wait_for()
    sign_out(page)

    # A member starts a topic there: choosing the category brings its options.
    sign_in(page, plugin_forum, "dave")
    page.goto(plugin_forum("/new-topic"))
    page.get_by_label("Title").fill(TITLE)
    with page.expect_navigation():
        page.get_by_label("Category").select_option(label="Network meetings")
    assert page.get_by_label("Title").input_value() == TITLE  # kept across the redraw
    page.get_by_label("Your post").fill("Please add your items below.")
    page.locator("summary", has_text="Attach to this post").click()
    picker = page.get_by_label(re.compile(r"^Meeting"))
    assert "Network meeting, January" in picker.locator("option").nth(1).inner_text()
    picker.select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Create topic").click()
    card = page.locator("article#post-1 .post-attachment")
    card.wait_for()
    assert "Meeting: Network meeting, January" in card.inner_text()
    page.screenshot(path=str(artifacts / "plugin-attachment.png"), full_page=True)

    # The category page carries the plugin's panel.
    page.get_by_role("link", name="Network meetings").first.click()
    page.get_by_role("heading", name="Upcoming meetings").wait_for()
    assert problems == []
    context.close()


def test_the_plugin_panel_on_a_phone(browser, plugin_forum, artifacts):
    from tests.browser.conftest import watch

    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    phone = context.new_page()
    problems = watch(phone, plugin_forum.url)
    with plugin_forum.app.app_context():
        from forum.categories.models import Category
        from forum.plugin_system.enablement import set_enabled

        category = db.session.query(Category).filter_by(slug="network-meetings").one()
        set_enabled(category, ["meetings"])
        db.session.commit()
        path = f"/c/{category.slug}/{category.id}"
        db.session.remove()
    phone.goto(plugin_forum(path))
    phone.get_by_role("heading", name="Upcoming meetings").wait_for()
    assert_fits_the_screen(phone)
    phone.screenshot(path=str(artifacts / "plugin-panel-360.png"), full_page=True)
    assert problems == []
    context.close()
