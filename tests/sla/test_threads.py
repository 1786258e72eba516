"""SLA records on threads: sharing one as a new topic (the record, its thread and the
attachment created together, or nothing at all), attaching existing records in replies,
the topic's "SLAs in this thread" panel and the badges of topic lists, always as the viewer
may see them."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.attachments import services as attachments
from forum.attachments.models import PostAttachment
from forum.extensions import db
from forum.plugin_system.enablement import set_enabled
from forum.topics.models import Post, Topic
from plugins.sla import threads
from plugins.sla import vocabulary as v
from plugins.sla.models import SlaRecord
from tests.api.conftest import api_headers, error_of, json_of
from tests.core.accounts.helpers import QueryCounter
from tests.factories import make_category, make_reply, make_topic, make_user
from tests.sla.conftest import make_lmc, make_officer, make_record

NOTICE_START = v.NOT_LIKE_FOR_LIKE[:40]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def lcs_category(name="Locally commissioned services", **fields):
    """A category with the SLA tracker switched on."""
    category = make_category(name, **fields)
    set_enabled(category, ["sla"])
    db.session.commit()
    return category


def share_form(category, title="Phlebotomy LCS for Trentside practices", **sla) -> dict:
    """The new-topic form with "share an SLA" ticked and a valid phlebotomy record; ``sla``
    fields (without their prefix) over it, ``None`` leaving one out."""
    fields = {
        "service_type": "phlebotomy",
        "nation": "england",
        "region": "midlands",
        "commissioner_type": "icb",
        "commissioner_name": "NHS Trentside ICB",
        "financial_year": "2024/25",
        "status": "active",
        "payment_model": "per_item",
        "tariff_label": "Sample",
        "tariff_amount": "2.60",
        "tariff_unit": "per_sample",
        "inclusions": "Adults and children aged 12 and over.",
        "exclusions": "Trial bloods.",
        "visibility": "all_members",
        **sla,
    }
    data = {
        "title": title,
        "raw": "Our ICB's phlebotomy service for 2024/25: what do other LMCs think of it?",
        "category": str(category.id),
        "sla-share": "1",
    }
    data.update({f"sla-{name}": value for name, value in fields.items() if value is not None})
    return data


def topic_page(client, topic) -> str:
    response = client.get(f"/t/{topic.slug}/{topic.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def panel_ids(page: str) -> set[int]:
    """The records listed in the topic page's "SLAs in this thread" panel."""
    if 'data-panel="sla.thread"' not in page:
        return set()
    panel = page.split('data-panel="sla.thread"', 1)[1].split("</section>", 1)[0]
    return {int(part.split('"', 1)[0]) for part in panel.split('data-sla-record="')[1:]}


# -- The composer -----------------------------------------------------------------------------


def test_the_composer_offers_sharing_where_enabled_to_those_who_may_add(client, auth):
    on, off = lcs_category(), make_category("General discussion")
    auth.login_as(make_officer())
    page = client.get(f"/new-topic?category={on.id}").get_data(as_text=True)
    assert "Share an SLA with this topic" in page
    for name in ("sla-share", "sla-service_type", "sla-tariff_amount", "sla-tariff_unit_3"):
        assert f'name="{name}"' in page
    # The LMC starts as the officer's own, the nation and region as their LMC's.
    assert f'<option value="{make_lmc().id}" selected>' in page
    assert '<option value="midlands" selected>' in page
    page = client.get(f"/new-topic?category={off.id}").get_data(as_text=True)
    assert 'name="sla-share"' not in page
    client.post("/logout")
    auth.login_as(make_user("member"))  # may post, may not add records
    page = client.get(f"/new-topic?category={on.id}").get_data(as_text=True)
    assert "Start a new topic" in page and 'name="sla-share"' not in page


def test_sharing_an_sla_creates_the_record_its_thread_and_the_attachment(client, auth):
    category = lcs_category()
    officer = make_officer()
    auth.login_as(officer)
    form = share_form(
        category,
        tariff_label_2="Housebound visit",
        tariff_amount_2="12.50",
        tariff_unit_2="per_contact",
    )
    response = client.post("/new-topic", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    topic = db.session.scalar(select(Topic))
    record = db.session.scalar(select(SlaRecord))
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    assert record.discussion_topic_id == topic.id
    assert record.submitted_by_id == officer.id
    # Blank fields took their defaults: the topic's title, the post, the officer's LMC.
    assert record.title == "Phlebotomy LCS for Trentside practices"
    assert record.summary == form["raw"]
    assert record.lmc_id == officer.organisation_id
    assert [(t.label, str(t.amount_gbp), t.unit) for t in record.tariffs] == [
        ("Sample", "2.60", "per_sample"),
        ("Housebound visit", "12.50", "per_contact"),
    ]
    attached = db.session.execute(select(PostAttachment.post_id, PostAttachment.type_key)).all()
    assert attached == [(first.id, "sla.record")]
    assert first.attachment_count == 1
    page = topic_page(client, topic)
    assert panel_ids(page) == {record.id}
    assert "SLAs in this thread" in page and "£2.60 per sample" in page
    assert "Shared with this thread" in page and NOTICE_START in page
    body = json_of(client.get(f"/t/{topic.id}.json"))
    shown = body["post_stream"]["posts"][0]["sla"]
    assert [(item["type"], item["id"]) for item in shown] == [("sla.record", record.id)]


def test_an_unticked_box_shares_nothing(client, auth):
    category = lcs_category()
    auth.login_as(make_officer())
    form = share_form(category)
    del form["sla-share"]
    assert client.post("/new-topic", data=form).status_code == 303
    assert count(Topic) == 1 and count(SlaRecord) == 0 and count(PostAttachment) == 0


def test_a_bad_sla_refuses_the_whole_topic_with_every_problem(client, auth):
    category = lcs_category()
    auth.login_as(make_officer())
    form = share_form(
        category,
        tariff_amount="-2.60",
        tariff_unit_2="",
        tariff_amount_2="4.00",
        status="cheapest",
        commissioner_name="NHS Keepme ICB",
    )
    response = client.post("/new-topic", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Shared SLA – Tariff 1: an amount must be more than £0." in page
    assert "Shared SLA – Tariff 2: say what it is paid per (the unit)." in page
    assert "Shared SLA – Status: &#39;cheapest&#39; is not one of the choices." in page
    assert count(Topic) == 0 and count(Post) == 0
    assert count(SlaRecord) == 0 and count(PostAttachment) == 0
    # The form comes back with the section open and everything typed.
    assert "data-sla-share open" in page and 'value="NHS Keepme ICB"' in page
    assert 'value="-2.60"' in page and 'value="4.00"' in page


def test_a_member_who_may_not_add_records_cannot_share(client, auth):
    category = lcs_category()
    auth.login_as(make_user("member"))
    response = client.post("/new-topic", data=share_form(category))
    assert response.status_code == 403
    assert "Only LMC officers" in response.get_data(as_text=True)
    assert count(Topic) == 0 and count(SlaRecord) == 0


def api_share(client, user, category, **sla):
    form = share_form(category, **sla)
    return client.post("/posts.json", json=form, headers=api_headers(user))


def test_api_clients_share_with_the_same_fields(client):
    category = lcs_category()
    officer = make_officer()
    body = json_of(api_share(client, officer, category, title="Phlebotomy via the API"))
    record = db.session.scalar(select(SlaRecord))
    assert record.discussion_topic_id == body["topic_id"]
    assert record.title == "Phlebotomy via the API"
    assert [item["id"] for item in body["sla"]] == [record.id]


def test_the_api_refuses_a_bad_sla_and_sharing_where_the_plugin_is_off(client):
    officer = make_officer()
    body = error_of(api_share(client, officer, lcs_category(), tariff_unit=""), 422)
    assert body["errors"] == ["Shared SLA – Tariff 1: say what it is paid per (the unit)."]
    body = error_of(api_share(client, officer, make_category("Elsewhere")), 422)
    assert "SLAs cannot be shared in this category" in body["errors"][0]
    assert count(Topic) == 0 and count(SlaRecord) == 0


# -- Attaching existing records ---------------------------------------------------------------


def test_a_record_attached_in_a_reply_shows_in_both_threads(client, auth):
    home = lcs_category()
    auth.login_as(make_officer("sharer"))
    assert client.post("/new-topic", data=share_form(home)).status_code == 303
    shared = db.session.scalar(select(Topic))
    record = db.session.scalar(select(SlaRecord))
    other = make_record(
        title="Ear irrigation LES 2024/25",
        service_type="ear-care",
        payment_model="per_item",
        tariffs=[{"amount_gbp": "14", "unit": "per_procedure"}],
    )
    elsewhere = make_topic(category=lcs_category("Contract negotiations")).topic
    client.post("/logout")
    auth.login_as(make_officer("replier"))
    # One by the picker's field, one by naming it in the text.
    response = client.post(
        f"/t/{elsewhere.id}/reply",
        data={"raw": "Compare the two services below.", "attach.sla.record": str(other.id)},
    )
    assert response.status_code == 303
    response = client.post(
        f"/t/{elsewhere.id}/reply",
        data={"raw": f"Trentside's version is here: [[sla:{record.id}]]"},
    )
    assert response.status_code == 303
    assert panel_ids(topic_page(client, elsewhere)) == {record.id, other.id}
    assert panel_ids(topic_page(client, shared)) == {record.id}
    posts = json_of(client.get(f"/t/{elsewhere.id}.json"))["post_stream"]["posts"]
    assert [[item["id"] for item in post.get("sla", [])] for post in posts] == [
        [],
        [other.id],
        [record.id],
    ]
    assert posts[1]["sla"][0]["not_like_for_like"] == v.NOT_LIKE_FOR_LIKE


def test_attaching_a_record_the_user_cannot_see_is_refused(client, auth):
    mine = make_lmc("Trentside LMC")
    hidden = make_record(make_officer(lmc=mine), visibility="own_lmc_only")
    topic = make_topic(category=lcs_category()).topic
    auth.login_as(make_officer(lmc=make_lmc("Wessex LMC", region="South West")))
    before = count(Post)
    for data in (
        {"raw": "Attaching by the picker.", "attach.sla.record": str(hidden.id)},
        {"raw": f"Attaching by reference [[sla:{hidden.id}]]"},
    ):
        response = client.post(f"/t/{topic.id}/reply", data=data)
        assert response.status_code == 422
        assert f"There is no SLA record &#39;{hidden.id}&#39; that you can see." in (
            response.get_data(as_text=True)
        )
    assert count(Post) == before and count(PostAttachment) == 0


def test_attaching_in_a_category_the_user_cannot_see_is_refused(client):
    record = make_record()
    officers_room = lcs_category("Officers' room", permissions={"staff": 1})
    topic = make_topic(make_user("mod", role="moderator"), officers_room).topic
    response = client.post(
        "/posts.json",
        json={
            "topic_id": topic.id,
            "raw": "Sneaking a card in.",
            "attachments": [f"sla.record:{record.id}"],
        },
        headers=api_headers(make_officer()),
    )
    error_of(response, 404, "not_found")
    assert count(PostAttachment) == 0


# -- The topic panel --------------------------------------------------------------------------


def test_the_panel_lists_only_what_the_viewer_may_see(client, auth):
    officer = make_officer()
    open_record = make_record(officer, title="Phlebotomy for all members")
    officers_record = make_record(
        officer, title="Phlebotomy for officers", visibility="officers_only"
    )
    first = make_topic(officer, lcs_category())
    topic = first.topic
    attachments.add(officer, first, [("sla.record", open_record.id)])
    reply = make_reply(topic, officer)
    attachments.add(officer, reply, [("sla.record", officers_record.id)])
    db.session.commit()
    page = topic_page(client, topic)  # visitors: no panel at all
    assert 'data-panel="sla.thread"' not in page
    auth.login_as(make_user("member"))
    page = topic_page(client, topic)
    assert panel_ids(page) == {open_record.id} and "Phlebotomy for officers" not in page
    client.post("/logout")
    auth.login_as(make_officer())
    assert panel_ids(topic_page(client, topic)) == {open_record.id, officers_record.id}
    # A deleted reply no longer brings its record into the panel.
    reply.deleted_at = reply.created_at
    db.session.commit()
    assert panel_ids(topic_page(client, topic)) == {open_record.id}


def test_the_panel_is_one_query(app):
    officer = make_officer()
    first = make_topic(officer, lcs_category())
    for _ in range(3):
        attachments.add(officer, first, [("sla.record", make_record(officer).id)])
    db.session.commit()
    threads.thread_records(first.topic_id, officer)  # the officer's groups, read once
    with QueryCounter() as counter:
        found = threads.thread_records(first.topic_id, officer)
    assert len(found) == 3 and counter.count == 1


def test_a_topic_page_with_three_attached_slas_renders(client, auth):
    officer = make_officer()
    first = make_topic(officer, lcs_category())
    records = [make_record(officer, title=f"Service agreement number {n}") for n in range(1, 4)]
    attachments.add(officer, first, [("sla.record", r.id) for r in records])
    db.session.commit()
    auth.login_as(officer)
    page = topic_page(client, first.topic)
    assert panel_ids(page) == {r.id for r in records}
    for record in records:
        assert record.title in page


# -- Badges -----------------------------------------------------------------------------------


def _topics_with_records(n: int, category, officer) -> list:
    topics = []
    for i in range(n):
        first = make_topic(officer, category)
        attachments.add(officer, first, [("sla.record", make_record(officer).id)])
        if i % 2:
            record = make_record(
                officer,
                status="expired",
                financial_year="2023/24",
                start_date="2023-04-01",
                end_date="2024-03-31",
            )
            record.discussion_topic_id = first.topic_id
        topics.append(first.topic)
    db.session.commit()
    return topics


def test_badges_cost_one_query_whatever_the_list(app):
    officer = make_officer()
    category = lcs_category()
    few, many = (
        _topics_with_records(2, category, officer),
        _topics_with_records(8, category, officer),
    )
    for topics in (few, many):  # the officer's groups and the topics, read once
        threads.badges(topics, officer)
    counts = []
    for topics in (few, many):
        with QueryCounter() as counter:
            found = threads.badges(topics, officer)
        counts.append(counter.count)
        assert set(found) == {topic.id for topic in topics}
    assert counts == [1, 1]
    badge = threads.badges(few, officer)[few[1].id]
    # The record the thread discusses comes first.
    assert [b.label for b in badge] == [
        "Phlebotomy · 2023/24 · Expired",
        "Phlebotomy · 2024/25 · Active",
    ]
    assert badge[0].title.startswith("SLA record: Phlebotomy LCS")


def test_badges_in_topic_lists_respect_visibility(client, auth):
    officer = make_officer()
    category = lcs_category()
    first = make_topic(officer, category, title="Our officers-only phlebotomy agreement")
    hidden = make_record(officer, visibility="officers_only")
    attachments.add(officer, first, [("sla.record", hidden.id)])
    many = make_topic(officer, category, title="A thread with many agreements in it")
    attachments.add(officer, many, [("sla.record", make_record(officer).id) for _ in range(4)])
    db.session.commit()
    auth.login_as(make_user("member"))
    page = client.get(f"/c/{category.slug}/{category.id}").get_data(as_text=True)
    assert page.count('data-badge="sla.record"') == 2 and "+2 more SLAs" in page
    client.post("/logout")
    auth.login_as(officer)
    page = client.get("/").get_data(as_text=True)
    assert page.count('data-badge="sla.record"') == 3
    assert "Phlebotomy · 2024/25 · Active" in page


def test_api_clients_may_send_json_true_and_numbers(client):
    category = lcs_category()
    officer = make_officer()
    form = share_form(category, title="Shared with JSON values")
    form["sla-share"] = True
    form["sla-tariff_amount"] = 2.6
    response = client.post("/posts.json", json=form, headers=api_headers(officer))
    assert response.status_code == 200, response.get_json()
    record = db.session.scalar(select(SlaRecord))
    assert record.title == "Shared with JSON values"
    assert str(record.tariffs[0].amount_gbp) == "2.60"
