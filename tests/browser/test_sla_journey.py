"""The SLA tracker in a real browser, under the real Content-Security-Policy: an officer
shares a phlebotomy SLA as a new thread in the LCS category; another officer attaches it to a
reply in another thread; both threads show it; a member finds it in the tracker by its facets
and in site search by "bloods", compares it with two others under the not-like-for-like
notice, downloads the export, and never sees the officers-only negotiation notes."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from tests.browser.test_plugin_journey import sign_in, sign_out
from tests.factories import add_member, make_category, make_topic, make_user
from tests.live_server import serving

pytestmark = pytest.mark.browser

TITLE = "Phlebotomy LCS 2024/25: paediatric bloods now included"
NOTE = "Our ask is 2.95 a sample; walk away below 2.70"


@pytest.fixture(scope="module")
def sla_forum(tmp_path_factory):
    from forum.plugin_system.enablement import set_enabled
    from tests.browser.conftest import LiveForum, browser_app
    from tests.sla.conftest import make_lmc, make_record

    app = browser_app(tmp_path_factory.mktemp("browser-sla"), PLUGINS=["plugins.sla"])
    with app.app_context():
        notts = make_lmc("Nottinghamshire LMC")
        devon = make_lmc("Devon LMC", region="South West")
        olivia = make_user("olivia", name="Olivia Grant", organisation_id=notts.id)
        owain = make_user("owain", name="Owain Llewellyn", organisation_id=devon.id)
        for officer in (olivia, owain):
            add_member(officer, "officers")
        make_user("mark", name="Mark Evans", organisation_id=devon.id)
        lcs = make_category("Locally Commissioned Services")
        set_enabled(lcs, ["sla"])
        other = make_category("Workload and the interface")
        db.session.commit()
        post = make_topic(owain, other, title="Hospital-requested bloods: who pays?")
        topic_path = f"/t/{post.topic.slug}/{post.topic.id}"
        for price, commissioner in (("1.25", "NHS Wyvern Vale ICB"), ("3.12", "NHS Fenland ICB")):
            make_record(
                owain,
                title=f"Phlebotomy service ({commissioner})",
                commissioner_name=commissioner,
                tariffs=[{"label": "Sample", "amount_gbp": price, "unit": "per_sample"}],
                lmc=devon.id,
            )
        db.session.remove()
    try:
        with serving(app) as url:
            yield LiveForum(url, app, topic_path, "", "mark", "")
    finally:
        with app.app_context():
            db.engine.dispose()


def test_share_attach_find_compare_and_export(browser, sla_forum, artifacts):
    from tests.browser.conftest import watch

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page, sla_forum.url)

    # Olivia shares the SLA as a new thread in the LCS category.
    sign_in(page, sla_forum, "olivia")
    page.goto(sla_forum("/new-topic"))
    page.get_by_label("Title").fill(TITLE)
    with page.expect_navigation():
        page.get_by_label("Category").select_option(label="Locally Commissioned Services")
    page.get_by_label("Your post").fill("Our ICB now includes children over 12. Has anyone else?")
    page.locator("summary", has_text="Share an SLA with this topic").click()
    page.get_by_label("Share an SLA record with this topic").check()
    page.get_by_label("Service type").select_option(label="Phlebotomy")
    page.get_by_label("Nation").select_option(label="England")
    page.get_by_label("Region").select_option(label="Midlands")
    page.get_by_label("Commissioner type").select_option(label="ICB")
    page.get_by_label("Commissioner", exact=True).fill("NHS Trentside ICB")
    page.get_by_label("Financial year").fill("2024/25")
    page.get_by_label("Payment model").select_option(label="Per item")
    page.get_by_label("Tariff 1: amount in £").fill("2.60")
    page.get_by_label("Tariff 1: paid").select_option(label="per sample")
    page.get_by_label("What is included").fill("Adults and children aged 12 and over.")
    with page.expect_navigation():
        page.get_by_role("button", name="Create topic").click()
    card = page.locator("article#post-1 .post-attachment")
    card.wait_for()
    assert "£2.60 per sample" in card.inner_text()
    page.get_by_text("SLAs in this thread").first.wait_for()
    record_link = card.get_by_role("link").first
    record_path = record_link.get_attribute("href")
    record_id = re.search(r"/sla/(\d+)", record_path).group(1)
    # ... and adds her officers-only negotiation notes on the record's page.
    page.goto(sla_forum(f"/sla/{record_id}/edit"))
    page.get_by_label("Negotiation notes (LMC officers only)").fill(NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Save")).click()
    page.get_by_text(NOTE).wait_for()
    sign_out(page)

    # Owain attaches it to a reply in another thread.
    sign_in(page, sla_forum, "owain")
    page.goto(sla_forum(sla_forum.topic_path))
    page.get_by_label("Your reply").fill(f"Trentside pays per sample: [[sla:{record_id}]]")
    with page.expect_navigation():
        page.get_by_role("button", name="Post reply").click()
    reply_card = page.locator("article#post-2 .post-attachment")
    reply_card.wait_for()
    assert "Phlebotomy LCS" in reply_card.inner_text() or TITLE[:20] in reply_card.inner_text()
    sign_out(page)

    # Mark, a member, finds it by facet and by "bloods", and compares three.
    sign_in(page, sla_forum, "mark")
    page.goto(sla_forum("/sla/?service_type=phlebotomy&nation=england"))
    page.get_by_text("not like-for-like", exact=False).first.wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    page.goto(sla_forum("/search?q=bloods+type%3Asla"))
    assert page.locator(".search-result").count() >= 1
    page.goto(sla_forum(f"/sla/{record_id}"))
    assert NOTE not in page.content()
    page.get_by_role("link", name=re.compile("Hospital-requested bloods")).first.wait_for()
    page.goto(sla_forum("/sla/?service_type=phlebotomy"))
    for box in page.get_by_role("checkbox", name=re.compile("^Compare")).all()[:3]:
        box.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Compare the ticked SLAs").click()
    page.get_by_role("heading", name=re.compile("Compare")).wait_for()
    assert page.locator("[data-sla-notice]").count() + page.locator(".sla-notice").count() >= 1
    table = page.locator("table").first.inner_text()
    assert "£1.25" in table and "£2.60" in table and "£3.12" in table
    page.screenshot(path=str(artifacts / "sla-compare.png"), full_page=True)
    page.goto(sla_forum("/sla/"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "Phlebotomy" in content and NOTE not in content
    assert problems == []
    context.close()
