"""The mentoring directory in a real browser, under the real Content-Security-Policy: a new
LMC chief executive asks for a buddy experienced in negotiation, gets a shortlist that
leaves out a mentor at capacity and one whose LMC is excluded, picks one; the mentor accepts
from a notification; both see the match — and an admin, and a search for words from the
request, see none of its content."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from tests.browser.test_plugin_journey import sign_in, sign_out
from tests.factories import make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser

GOALS = "Preparing for our first levy negotiation with a reluctant ICB finance director"


@pytest.fixture(scope="module")
def mentoring_forum(tmp_path_factory):
    from plugins.mentoring import profiles, requests
    from tests.browser.conftest import LiveForum, browser_app
    from tests.mentoring.conftest import make_lmc, profile_form

    app = browser_app(tmp_path_factory.mktemp("browser-mentoring"), PLUGINS=["plugins.mentoring"])
    with app.app_context():
        wyvern, devon = make_lmc("Wyvern LMC"), make_lmc("Devon LMC", region="South West")
        cheshire = make_lmc("Cheshire LMC", region="North West")
        make_user("nina", name="Nina Shah", organisation_id=wyvern.id)  # the new chief exec
        make_user("ada", name="Ada Admin", role="admin")
        helen = make_user("helen", name="Helen Marsh", organisation_id=devon.id)
        profiles.save_profile(helen, profile_form(expertise=["negotiation", "commissioners"]))
        mark = make_user("markel", name="Mark Ellison", organisation_id=cheshire.id)
        profiles.save_profile(mark, profile_form(expertise=["negotiation", "lmc-governance"]))
        full = make_user("callum", name="Callum Fraser", organisation_id=cheshire.id)
        profiles.save_profile(full, profile_form(capacity="1"))
        busy = make_user("busy", name="Busy Mentee", organisation_id=devon.id)
        pending = requests.submit(busy, {**_form(), "goals": "Someone else's request"})
        requests.make_shortlist(pending)
        db.session.commit()
        assert full.id in requests.shortlist_ids(pending)
        requests.pick(busy, pending, full.id)
        requests.answer(full, pending, True)
        assert profiles.profile_of(full.id).full  # Callum is at capacity from here on
        conflicted = make_user("conflicted", name="Conflicted Mentor", organisation_id=devon.id)
        profiles.save_profile(conflicted, profile_form(excluded_organisations=[str(wyvern.id)]))
        db.session.commit()
        db.session.remove()
    try:
        with serving(app) as url:
            yield LiveForum(url, app, "", "", "nina", "")
    finally:
        with app.app_context():
            db.engine.dispose()


def _form() -> dict:
    return {
        "needs": ["negotiation"],
        "kinds": ["lmc_officer_buddy"],
        "goals": GOALS,
        "urgency": "routine",
        "modes": ["video"],
        "audience": "new_lmc_officers",
        "nation": "england",
        "consent_to_coordinator": "1",
    }


def test_ask_shortlist_pick_accept_and_nobody_else_sees(browser, mentoring_forum, artifacts):
    from tests.browser.conftest import watch

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, mentoring_forum.url)

    # Nina asks for a buddy experienced in negotiation.
    sign_in(page, mentoring_forum, "nina")
    page.goto(mentoring_forum("/mentoring/ask"))
    page.get_by_label("Negotiation", exact=True).check()
    page.get_by_label("What do you hope to get from mentoring?").fill(GOALS)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Choose a mentor").wait_for()
    shortlist = page.locator(".mentor-list").inner_text()
    assert "Helen Marsh" in shortlist and "Mark Ellison" in shortlist
    assert "Callum Fraser" not in shortlist and "Conflicted Mentor" not in shortlist
    request_path = re.search(r"/mentoring/requests/\d+", page.url).group(0)
    page.screenshot(path=str(artifacts / "mentoring-shortlist.png"), full_page=True)
    helen = page.locator(".mentor-list > li", has_text="Helen Marsh")
    with page.expect_navigation():
        helen.get_by_role("button", name="Ask this mentor").click()
    sign_out(page)

    # Helen accepts from her notification.
    sign_in(page, mentoring_forum, "helen")
    page.goto(mentoring_forum("/notifications"))
    page.get_by_role("link", name=re.compile("asks you to be their mentor")).first.click()
    page.wait_for_url(re.compile(request_path))
    assert GOALS in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept").click()
    page.get_by_text("Matched").first.wait_for()
    sign_out(page)

    # Both see the match.
    sign_in(page, mentoring_forum, "nina")
    page.goto(mentoring_forum(request_path))
    page.get_by_text("Matched").first.wait_for()
    assert "Helen Marsh" in page.content()
    sign_out(page)

    # The admin sees none of it: the request is 404, search finds nothing.
    sign_in(page, mentoring_forum, "ada")
    response = page.goto(mentoring_forum(request_path))
    assert response.status == 404 and GOALS not in page.content()
    page.goto(mentoring_forum("/search?q=reluctant+finance+director"))
    assert "reluctant" not in page.locator("main").inner_text().replace(
        "reluctant finance director", ""
    )
    assert page.locator(".search-result").count() == 0
    problems[:] = [p for p in problems if "404" not in p]  # the refusal itself
    assert problems == []
    context.close()
