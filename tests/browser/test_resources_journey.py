"""The Resource Centre in a real browser, under the real Content-Security-Policy: an officer
uploads a model partnership agreement through the form, its text is read in the background,
and site search finds it by a phrase from page 7 and says so; a member attaches it to a new
topic from the composer's picker and sees its card under the post; the library finds it
under its topic and nation, also on a 360 px phone screen; and an officers-only item stays
invisible to the member."""

from __future__ import annotations

import re
import time

import pytest

from forum.extensions import db
from plugins.resources.samples import pdf_bytes
from tests.browser.test_journey import assert_fits_the_screen
from tests.browser.test_plugin_journey import sign_in, sign_out
from tests.factories import add_member, make_category, make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser

TITLE = "Model partnership agreement (Wyvern LMC)"
PHRASE = "retirement of a partner at the age of seventy"


def agreement_pdf() -> bytes:
    pages = [f"Model partnership agreement, page {n}. General terms." for n in range(1, 11)]
    pages[6] += f"\nClause 19: the {PHRASE} requires six months' notice."
    return pdf_bytes(pages, title=TITLE)


@pytest.fixture(scope="module")
def library_forum(tmp_path_factory):
    from tests.browser.conftest import LiveForum, browser_app

    app = browser_app(tmp_path_factory.mktemp("browser-library"), PLUGINS=["plugins.resources"])
    with app.app_context():
        officer = make_user("olivia", name="Olivia Grant")
        add_member(officer, "officers")
        make_user("mark", name="Mark Evans")
        make_category("Contracts and funding")
        db.session.remove()
    try:
        with serving(app) as url:
            yield LiveForum(url, app, "", "", "mark", "")
    finally:
        from plugins.resources import extraction

        extraction.shutdown(app)
        with app.app_context():
            db.engine.dispose()


def wait_for_result(page, forum, query: str, seconds: float = 30):
    """Search until the background reader has indexed the document's text."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(forum(f"/search?q={query}"))
        results = page.locator(".search-result")
        if results.count():
            return results.first
        if time.monotonic() > deadline:
            raise AssertionError(f"no search result for {query!r} after {seconds} s")
        time.sleep(0.5)


def test_upload_find_and_attach(browser, library_forum, artifacts, tmp_path):
    from tests.browser.conftest import watch

    pdf = tmp_path / "partnership-agreement.pdf"
    pdf.write_bytes(agreement_pdf())
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, library_forum.url)

    # An officer uploads the agreement through the library's form.
    sign_in(page, library_forum, "olivia")
    page.goto(library_forum("/resources/"))
    page.get_by_role("link", name="Add to the library").first.click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("A model agreement for GP partnerships, with notes.")
    page.get_by_label("Collection").select_option(label="Tools and samples")
    page.get_by_label("Type").select_option(label="Model agreement")
    page.get_by_label("Partnerships & partnership agreements").check()
    page.get_by_label("England", exact=True).check()
    page.get_by_label("Source organisation").fill("Wyvern LMC")
    page.get_by_label("Licence").select_option(value="lmc_share_with_attribution")
    page.locator("input[type=file]").set_input_files(str(pdf))
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the library").click()
    page.get_by_role("heading", name=TITLE).wait_for()
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    sign_out(page)

    # A member finds it by a phrase from page 7, and the result says so.
    sign_in(page, library_forum, "mark")
    result = wait_for_result(page, library_forum, f'"{PHRASE}"')
    assert "page 7" in result.inner_text()
    with page.expect_navigation():
        result.get_by_role("link").first.click()
    assert page.url.endswith("#section-7")
    page.get_by_role("heading", name=TITLE).wait_for()
    page.screenshot(path=str(artifacts / "resources-item.png"), full_page=True)

    # ... and attaches it to a new topic from the composer's picker.
    page.goto(library_forum("/new-topic"))
    page.get_by_label("Title").fill("Retirement clauses in partnership agreements")
    with page.expect_navigation():
        page.get_by_label("Category").select_option(label="Contracts and funding")
    page.get_by_label("Your post").fill("Has anyone negotiated a different notice period?")
    page.locator("summary", has_text="Attach to this post").click()
    picker = page.get_by_label(re.compile(r"^Library item"))
    picker.select_option(value=slug)
    with page.expect_navigation():
        page.get_by_role("button", name="Create topic").click()
    card = page.locator("article#post-1 .post-attachment")
    card.wait_for()
    assert TITLE in card.inner_text()
    page.screenshot(path=str(artifacts / "resources-card.png"), full_page=True)

    # The library lists it under its topic and nation.
    page.goto(library_forum("/resources/?topic=partnerships&nation=england"))
    page.get_by_role("link", name=TITLE).wait_for()
    assert problems == []
    context.close()


def test_the_library_on_a_phone_and_an_officers_only_item(browser, library_forum, artifacts):
    from tests.browser.conftest import watch
    from tests.resources.conftest import item_form

    with library_forum.app.app_context():
        from sqlalchemy import select

        from forum.accounts.models import User
        from plugins.resources import services

        officer = db.session.scalar(select(User).where(User.username == "olivia"))
        secret = services.create(
            officer, item_form(title="Officers' levy paper", access_level="officers_staff")
        )
        secret_path = f"/resources/{secret.slug}"
        db.session.remove()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    problems = watch(phone, library_forum.url)
    sign_in(phone, library_forum, "mark")
    phone.goto(library_forum("/resources/"))
    phone.get_by_role("heading", name=re.compile("Library")).first.wait_for()
    assert "Officers' levy paper" not in phone.content()
    assert_fits_the_screen(phone)
    phone.screenshot(path=str(artifacts / "resources-library-360.png"), full_page=True)
    response = phone.goto(library_forum(secret_path))
    assert response.status == 404
    assert "Officers' levy paper" not in phone.content()
    problems[:] = [p for p in problems if "404" not in p]  # the refusal itself
    assert problems == []
    context.close()
