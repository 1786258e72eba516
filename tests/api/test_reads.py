"""GET endpoints: categories, topic lists, topics, posts and users, in Discourse's shapes."""

from __future__ import annotations

import re

from forum.bootstrap import default_category
from forum.extensions import db
from forum.topics import services
from forum.topics.models import Topic
from tests.api.conftest import api_headers, error_of, json_of
from tests.factories import add_member, make_category, make_reply, make_topic, make_user

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


# /categories.json -------------------------------------------------------------------------


def test_categories_lists_top_level_with_fields_clients_read(client, headers, category):
    child = make_category("Controlled drugs", parent=category)
    make_topic(category=category)
    body = json_of(client.get("/categories.json", headers=headers))
    listing = body["category_list"]
    assert listing["can_create_topic"] is True
    assert listing["can_create_category"] is False
    by_id = {c["id"]: c for c in listing["categories"]}
    assert child.id not in by_id  # top level only
    found = by_id[category.id]
    assert found["name"] == "Prescribing"
    assert found["slug"] == "prescribing"
    assert found["description_text"] == "Medicines, formularies and *shared care*."
    assert found["description"] == "<p>Medicines, formularies and <em>shared care</em>.</p>"
    assert found["subcategory_ids"] == [child.id]
    assert found["has_children"] is True
    assert found["read_restricted"] is False
    assert found["topic_count"] == 1 and found["post_count"] == 1
    assert found["color"] == "0088CC"
    assert found["permission"] == 1
    assert "parent_category_id" not in found
    assert "subcategory_list" not in found
    uncategorized = by_id[default_category().id]
    assert uncategorized["is_uncategorized"] is True


def test_categories_include_subcategories_and_parent_filter(client, headers, category):
    child = make_category("Controlled drugs", parent=category)
    body = json_of(client.get("/categories.json?include_subcategories=true", headers=headers))
    found = next(c for c in body["category_list"]["categories"] if c["id"] == category.id)
    assert [c["id"] for c in found["subcategory_list"]] == [child.id]
    assert found["subcategory_list"][0]["parent_category_id"] == category.id

    body = json_of(client.get(f"/categories.json?parent_category_id={category.id}"))
    assert [c["id"] for c in body["category_list"]["categories"]] == [child.id]
    assert body["category_list"]["categories"][0]["parent_category_id"] == category.id


def test_category_permission_and_read_restricted(client, headers):
    see_only = make_category("Announcements", permissions={"everyone": 3})
    members_only = make_category("Members lounge", permissions={"members": 1})
    body = json_of(client.get("/categories.json", headers=headers))
    by_id = {c["id"]: c for c in body["category_list"]["categories"]}
    assert by_id[see_only.id]["permission"] == 3
    assert by_id[see_only.id]["read_restricted"] is False
    assert by_id[members_only.id]["permission"] == 1
    assert by_id[members_only.id]["read_restricted"] is True

    anonymous = json_of(client.get("/categories.json"))
    ids = [c["id"] for c in anonymous["category_list"]["categories"]]
    assert see_only.id in ids and members_only.id not in ids
    assert anonymous["category_list"]["can_create_topic"] is False
    assert all(c["permission"] is None for c in anonymous["category_list"]["categories"])


def test_categories_unknown_parent_is_not_found(client):
    error_of(client.get("/categories.json?parent_category_id=999"), 404, "not_found")


# /latest.json -----------------------------------------------------------------------------


def test_latest_lists_topics_with_posters_and_users(client, headers, member, category):
    other = make_user("bob", name="Bob Builder")
    first = make_topic(member, category, title="Phlebotomy LCS uplift for 2025/26")
    make_reply(first.topic, other)
    body = json_of(client.get("/latest.json", headers=headers))
    topic = body["topic_list"]["topics"][0]
    assert topic["id"] == first.topic_id
    assert topic["title"] == "Phlebotomy LCS uplift for 2025/26"
    assert topic["slug"] == "phlebotomy-lcs-uplift-for-2025-26"
    assert topic["category_id"] == category.id
    assert topic["posts_count"] == 2 and topic["reply_count"] == 1
    assert topic["highest_post_number"] == 2
    assert ISO.match(topic["bumped_at"]) and ISO.match(topic["last_posted_at"])
    assert ISO.match(topic["created_at"])
    assert topic["pinned"] is False and topic["closed"] is False and topic["archived"] is False
    assert topic["tags"] == [] and topic["visible"] is True
    assert topic["last_poster_username"] == "bob"
    assert [p["user_id"] for p in topic["posters"]] == [member.id, other.id]
    assert topic["posters"][0]["description"] == "Original Poster"
    assert topic["posters"][1]["extras"] == "latest"
    users = {u["id"]: u for u in body["users"]}
    assert users[member.id]["username"] == "alice"
    assert users[other.id]["name"] == "Bob Builder"
    assert "{size}" in users[member.id]["avatar_template"]
    assert body["topic_list"]["per_page"] == 30
    assert body["topic_list"]["can_create_topic"] is True
    assert "more_topics_url" not in body["topic_list"]


def test_latest_orders_by_bump_with_pinned_first(app, client, category):
    moderator = make_user("moderator", role="moderator")
    older = make_topic(category=category).topic
    newer = make_topic(category=category).topic
    pinned = make_topic(category=category).topic
    make_topic(category=category)
    services.set_topic_flag(moderator, pinned, "pinned", True)
    make_reply(older)  # bumps it to the top of the unpinned ones
    ids = [t["id"] for t in json_of(client.get("/latest.json"))["topic_list"]["topics"]]
    assert ids[0] == pinned.id
    assert ids[1] == older.id
    assert ids.index(older.id) < ids.index(newer.id)


def test_latest_pages_from_zero_with_more_topics_url(app, client, category):
    app.config["TOPICS_PER_PAGE"] = 2
    topics = [make_topic(category=category).topic.id for _ in range(5)]
    newest_first = list(reversed(topics))
    first = json_of(client.get("/latest.json"))
    assert [t["id"] for t in first["topic_list"]["topics"]] == newest_first[:2]
    assert first["topic_list"]["more_topics_url"] == "/latest?page=1"
    second = json_of(client.get("/latest.json?page=1"))
    assert [t["id"] for t in second["topic_list"]["topics"]] == newest_first[2:4]
    last = json_of(client.get("/latest.json?page=2"))
    assert [t["id"] for t in last["topic_list"]["topics"]] == newest_first[4:]
    assert "more_topics_url" not in last["topic_list"]
    beyond = json_of(client.get("/latest.json?page=99999999"))
    assert beyond["topic_list"]["topics"] == []


def test_latest_order_and_ascending(app, client, category):
    app.config["TOPICS_PER_PAGE"] = 2
    topics = [make_topic(category=category).topic.id for _ in range(3)]
    make_reply(db_topic(topics[0]))
    body = json_of(client.get("/latest.json?order=created&ascending=true"))
    assert [t["id"] for t in body["topic_list"]["topics"]] == topics[:2]
    assert body["topic_list"]["more_topics_url"] == "/latest?order=created&ascending=true&page=1"
    by_activity = json_of(client.get("/latest.json"))
    assert by_activity["topic_list"]["topics"][0]["id"] == topics[0]
    unknown = json_of(client.get("/latest.json?order=nonsense"))
    assert unknown["topic_list"]["topics"][0]["id"] == topics[0]


def db_topic(topic_id):
    from forum.extensions import db
    from forum.topics.models import Topic

    return db.session.get(Topic, topic_id)


def test_latest_bad_page_is_invalid_parameters(client):
    error_of(client.get("/latest.json?page=abc"), 400, "invalid_parameters")
    error_of(client.get("/latest.json?page=-1"), 400, "invalid_parameters")


# Category topic lists ---------------------------------------------------------------------


def test_category_topics_by_every_path(client, category):
    child = make_category("Controlled drugs", parent=category)
    own = make_topic(category=category).topic_id
    in_child = make_topic(category=child).topic_id
    elsewhere = make_topic(category=make_category("Contracts")).topic_id
    paths = [
        f"/c/prescribing/{category.id}.json",
        f"/c/{category.id}.json",
        f"/c/wrong-slug/{category.id}.json",
        f"/c/prescribing/{category.id}/l/latest.json",
    ]
    for path in paths:
        ids = {t["id"] for t in json_of(client.get(path))["topic_list"]["topics"]}
        assert ids == {own, in_child}, path
        assert elsewhere not in ids
    without_children = json_of(client.get(f"/c/prescribing/{category.id}/none.json"))
    assert {t["id"] for t in without_children["topic_list"]["topics"]} == {own}
    sub = json_of(client.get(f"/c/prescribing/controlled-drugs/{child.id}.json"))
    assert {t["id"] for t in sub["topic_list"]["topics"]} == {in_child}


def test_category_topics_more_url_and_unknown(app, client, category):
    app.config["TOPICS_PER_PAGE"] = 1
    make_topic(category=category)
    make_topic(category=category)
    body = json_of(client.get(f"/c/{category.id}.json"))
    more = body["topic_list"]["more_topics_url"]
    assert more == f"/c/prescribing/{category.id}/l/latest?page=1"
    followed = json_of(client.get(more.replace("?", ".json?")))
    assert len(followed["topic_list"]["topics"]) == 1
    error_of(client.get("/c/999.json"), 404, "not_found")
    error_of(client.get("/c/nothing/999.json"), 404, "not_found")


# Topic view -------------------------------------------------------------------------------


def make_long_topic(count: int, category=None, author=None):
    first = make_topic(author, category, title="Sessional GP rates across the regions")
    topic = first.topic
    replier = make_user()
    for n in range(2, count + 1):
        make_reply(topic, replier, raw=f"Reply {n} about sessional rates.")
    return topic


def test_topic_view_shape(client, headers, member, category):
    first = make_topic(member, category, title="Phlebotomy LCS uplift for 2025/26")
    topic = first.topic
    second = make_reply(topic, raw="We agreed 3% locally.", reply_to_post_number=1)
    body = json_of(client.get(f"/t/{topic.id}.json", headers=headers))
    assert body["id"] == topic.id
    assert body["title"] == "Phlebotomy LCS uplift for 2025/26"
    assert body["fancy_title"] == "Phlebotomy LCS uplift for 2025/26"
    assert body["slug"] == "phlebotomy-lcs-uplift-for-2025-26"
    assert body["category_id"] == category.id
    assert body["posts_count"] == 2 and body["highest_post_number"] == 2
    assert body["closed"] is False and body["archived"] is False
    assert body["archetype"] == "regular" and body["chunk_size"] == 20
    assert body["details"]["created_by"]["username"] == "alice"
    assert body["details"]["created_by"]["id"] == member.id
    assert body["details"]["can_create_post"] is True
    assert body["details"]["can_edit"] is True
    assert {p["username"] for p in body["details"]["participants"]} == {
        "alice",
        second.user.username,
    }
    posts = body["post_stream"]["posts"]
    assert body["post_stream"]["stream"] == [first.id, second.id]
    assert [p["post_number"] for p in posts] == [1, 2]
    one, two = posts
    assert one["id"] == first.id and one["topic_id"] == topic.id
    assert one["username"] == "alice" and one["name"] == "Alice Example"
    assert one["cooked"].startswith("<p>Opening post")
    assert ISO.match(one["created_at"]) and ISO.match(one["updated_at"])
    assert one["version"] == 1 and one["post_type"] == 1
    assert one["reply_to_post_number"] is None and one["reply_count"] == 1
    assert one["yours"] is True and one["can_edit"] is True
    assert one["topic_slug"] == topic.slug
    assert "raw" not in one
    assert two["reply_to_post_number"] == 1
    assert two["reply_to_user"]["username"] == "alice"
    assert two["yours"] is False and two["can_edit"] is False


def test_topic_slug_mismatch_answers_directly(client, category):
    topic = make_topic(category=category).topic
    for path in (f"/t/{topic.slug}/{topic.id}.json", f"/t/not-the-slug/{topic.id}.json"):
        response = client.get(path)
        assert json_of(response)["id"] == topic.id
    error_of(client.get("/t/some-slug/999.json"), 404, "not_found")
    error_of(client.get("/t/999.json"), 404, "not_found")


def test_topic_at_post_number_returns_its_window(client, category):
    topic = make_long_topic(25, category)
    for path in (f"/t/{topic.id}/23.json", f"/t/{topic.slug}/{topic.id}/23.json"):
        body = json_of(client.get(path))
        assert [p["post_number"] for p in body["post_stream"]["posts"]] == list(range(21, 26))
        assert len(body["post_stream"]["stream"]) == 25
        assert body["id"] == topic.id
    first_window = json_of(client.get(f"/t/{topic.id}.json"))
    assert [p["post_number"] for p in first_window["post_stream"]["posts"]] == list(range(1, 21))
    by_query = json_of(client.get(f"/t/{topic.id}.json?post_number=22"))
    assert by_query["post_stream"]["posts"][0]["post_number"] == 21
    by_page = json_of(client.get(f"/t/{topic.id}.json?page=2"))
    assert by_page["post_stream"]["posts"][0]["post_number"] == 21
    printed = json_of(client.get(f"/t/{topic.id}.json?print=true"))
    assert len(printed["post_stream"]["posts"]) == 25
    # A post number past the end gives the last window, not an error.
    past = json_of(client.get(f"/t/{topic.id}/500.json"))
    assert past["post_stream"]["posts"][-1]["post_number"] == 25


def test_reply_to_user_from_outside_the_window(client, category):
    topic = make_long_topic(21, category, author=make_user("carol"))
    late = make_reply(topic, raw="Answering the opening post.", reply_to_post_number=1)
    body = json_of(client.get(f"/t/{topic.id}/{late.post_number}.json"))
    post = next(p for p in body["post_stream"]["posts"] if p["id"] == late.id)
    assert post["reply_to_post_number"] == 1
    assert post["reply_to_user"]["username"] == "carol"


def test_deleted_post_hidden_from_members_shown_to_staff(client, headers, category):
    first = make_topic(category=category)
    topic = first.topic
    gone = make_reply(topic)
    kept = make_reply(topic)
    moderator = make_user("moderator", role="moderator")
    services.delete_post(moderator, gone)
    body = json_of(client.get(f"/t/{topic.id}.json", headers=headers))
    assert [p["id"] for p in body["post_stream"]["posts"]] == [first.id, kept.id]
    assert body["post_stream"]["stream"] == [first.id, kept.id]
    error_of(client.get(f"/posts/{gone.id}.json", headers=headers), 404, "not_found")
    staff = json_of(client.get(f"/t/{topic.id}.json", headers=api_headers(moderator)))
    deleted = next(p for p in staff["post_stream"]["posts"] if p["id"] == gone.id)
    assert deleted["deleted_at"] is not None and deleted["can_recover"] is True


def test_topic_view_counts_a_view(client, category):
    topic = make_topic(category=category).topic
    assert json_of(client.get(f"/t/{topic.id}.json"))["views"] == 0
    # The second visitor is served from the page cache; the view is still counted.
    second = client.get(f"/t/{topic.id}.json")
    assert second.headers["X-Cache"] == "hit"
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).views == 2


def test_topic_bad_query_parameters(client, category):
    topic = make_topic(category=category).topic
    error_of(client.get(f"/t/{topic.id}.json?page=x"), 400, "invalid_parameters")
    error_of(client.get(f"/t/{topic.id}.json?post_number=0"), 400, "invalid_parameters")


# /t/{id}/posts.json -----------------------------------------------------------------------


def test_topic_posts_by_ids_and_window(client, category):
    topic = make_long_topic(25, category)
    stream = json_of(client.get(f"/t/{topic.id}.json"))["post_stream"]["stream"]
    wanted = [stream[22], stream[20]]
    query = "&".join(f"post_ids[]={i}" for i in wanted)
    body = json_of(client.get(f"/t/{topic.id}/posts.json?{query}"))
    assert body["id"] == topic.id
    assert "stream" not in body["post_stream"]
    posts = body["post_stream"]["posts"]
    assert [p["id"] for p in posts] == [stream[20], stream[22]]  # in post order
    assert "raw" not in posts[0]
    with_raw = json_of(client.get(f"/t/{topic.id}/posts.json?{query}&include_raw=true"))
    assert with_raw["post_stream"]["posts"][0]["raw"] == "Reply 21 about sessional rates."
    window = json_of(client.get(f"/t/{topic.id}/posts.json?post_number=24"))
    assert [p["post_number"] for p in window["post_stream"]["posts"]] == list(range(21, 26))
    default = json_of(client.get(f"/t/{topic.id}/posts.json"))
    assert len(default["post_stream"]["posts"]) == 20


def test_topic_posts_ignores_ids_of_other_topics(client, category):
    topic = make_topic(category=category).topic
    other = make_topic(category=category)
    body = json_of(client.get(f"/t/{topic.id}/posts.json?post_ids[]={other.id}"))
    assert body["post_stream"]["posts"] == []
    error_of(client.get(f"/t/{topic.id}/posts.json?post_ids[]=x"), 400, "invalid_parameters")
    error_of(client.get("/t/999/posts.json"), 404, "not_found")


# /posts/{id}.json -------------------------------------------------------------------------


def test_single_post_at_root_with_raw_and_cooked(client, member, category):
    first = make_topic(member, category, raw="Opening with **bold** words for everyone.")
    reply = make_reply(first.topic, raw="A reply to the opening post.", reply_to_post_number=1)
    body = json_of(client.get(f"/posts/{first.id}.json"))
    assert body["id"] == first.id and body["topic_id"] == first.topic_id
    assert body["post_number"] == 1 and body["username"] == "alice"
    assert body["raw"] == "Opening with **bold** words for everyone."
    assert body["cooked"] == "<p>Opening with <strong>bold</strong> words for everyone.</p>"
    assert body["version"] == 1 and ISO.match(body["updated_at"])
    assert body["reply_count"] == 1
    answer = json_of(client.get(f"/posts/{reply.id}.json"))
    assert answer["reply_to_post_number"] == 1
    assert answer["reply_to_user"]["username"] == "alice"
    by_number = json_of(client.get(f"/posts/by_number/{first.topic_id}/2.json"))
    assert by_number["id"] == reply.id
    error_of(client.get("/posts/999.json"), 404, "not_found")
    error_of(client.get(f"/posts/by_number/{first.topic_id}/9.json"), 404, "not_found")


# Users ------------------------------------------------------------------------------------


def test_user_lookup_by_both_paths_without_email(client, member, category):
    add_member(member, "officers")
    make_topic(member, category)
    for path in ("/u/alice.json", "/users/alice.json", "/u/ALICE.json"):
        response = client.get(path)
        body = json_of(response)
        user = body["user"]
        assert user["id"] == member.id and user["username"] == "alice"
        assert user["name"] == "Alice Example"
        assert "{size}" in user["avatar_template"]
        assert user["trust_level"] == 1
        assert user["admin"] is False and user["moderator"] is False
        assert [g["name"] for g in user["groups"]] == ["officers"]
        assert user["post_count"] == 1
        assert ISO.match(user["created_at"])
        assert body["user_badges"] == []
        assert "email" not in user
        assert "alice@example.org" not in response.get_data(as_text=True)
        assert "bio_raw" not in user  # only for the user themselves and staff


def test_user_lookup_flags_staff_and_shows_own_bio(client):
    admin = make_user("admin1", role="admin", bio="I run the *forum*.")
    body = json_of(client.get("/u/admin1.json", headers=api_headers(admin)))
    assert body["user"]["admin"] is True and body["user"]["trust_level"] == 4
    assert body["user"]["bio_cooked"] == "<p>I run the <em>forum</em>.</p>"
    assert body["user"]["bio_raw"] == "I run the *forum*."


def test_unknown_and_unapproved_users_are_not_found(client):
    make_user("waiting", status="pending")
    make_user("banned", status="suspended")
    for name in ("nobody", "waiting", "banned", "no%20such", "a"):
        error_of(client.get(f"/u/{name}.json"), 404, "not_found")
        error_of(client.get(f"/users/{name}.json"), 404, "not_found")
    staff = api_headers(make_user("moderator", role="moderator"))
    assert json_of(client.get("/u/waiting.json", headers=staff))["user"]["username"] == "waiting"
