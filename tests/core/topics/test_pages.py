"""The topic pages and every form that writes, through the HTTP client: latest, topic page
and permalinks, new topic, reply and quote, edit and history, delete and restore,
moderation and the composer preview."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from forum.accounts.models import Organisation
from forum.extensions import db
from forum.topics import services
from forum.topics.models import Post, Topic
from tests.conftest import AuthActions, make_app
from tests.factories import add_member, make_category, make_reply, make_topic, make_user

TITLE = "Phlebotomy LCS uplift for 2025/26"


@pytest.fixture
def topic(app):
    """A topic by alice (Kent LMC) with two replies; the second answers the first reply."""
    kent = Organisation(name="Kent LMC", nation="England", region="South East")
    db.session.add(kent)
    db.session.commit()
    alice = make_user("alice", name="Alice Jones", organisation_id=kent.id)
    first = make_topic(alice, make_category("Contracts"), title=TITLE, raw="What uplift?")
    topic = first.topic
    make_reply(topic, make_user("bob"), raw="We got 3%.")
    make_reply(topic, make_user("carol"), raw="Same here.", reply_to_post_number=2)
    return topic


def url(topic, *rest) -> str:
    return "/".join([f"/t/{topic.slug}/{topic.id}", *map(str, rest)])


def reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# -- Latest ---------------------------------------------------------------------------------


def test_latest_empty_state(client):
    html = client.get("/").text
    assert "No topics yet." in html
    assert "Sign in" in html


def test_latest_lists_topics_with_details(client, topic):
    make_user("dave")
    html = client.get("/").text
    row = html[html.index('class="topic-row') :]
    assert f'href="{url(topic)}"' in row and TITLE.replace("/", "/") in row
    assert "Contracts" in row and "cat-bg-" in row
    assert ">alice<" in row and ">carol<" in row  # started by / last post
    assert '<td class="num">2</td>' in row  # replies
    assert "<time datetime=" in row
    assert f'href="{url(topic, 3)}#post-3"' in row  # activity links to the last post


def test_latest_pinned_first_and_paginated(client, auth):
    category = make_category("Contracts")
    author = make_user()
    posts = [
        make_topic(author, category, title=f"Practice list closure question {n:02d}")
        for n in range(31)
    ]
    services.set_topic_flag(make_user(role="admin"), posts[0].topic, "pinned", True)
    html = client.get("/").text
    titles = re.findall(r'class="topic-title" href="[^"]+">([^<]+)<', html)
    assert len(titles) == 30
    assert titles[0].endswith("00")  # pinned, though oldest
    assert titles[1].endswith("30")
    assert 'href="/?page=2"' in html
    second = client.get("/?page=2").text
    assert re.findall(r'class="topic-title" href="[^"]+">([^<]+)<', second) == [
        "Practice list closure question 01"
    ]
    assert 'href="/"' in second  # previous page
    assert client.get("/?page=abc").status_code == 200
    assert "There are no more topics" in client.get("/?page=9").text


def test_latest_hides_topics_of_hidden_categories(client, auth):
    private = make_category("Officers only", permissions={"officers": 1})
    make_topic(make_user(role="admin"), private, title="Confidential negotiation notes")
    assert "Confidential negotiation notes" not in client.get("/").text
    auth.login_as(make_user(role="moderator"))
    assert "Confidential negotiation notes" in client.get("/").text


# -- Topic page -----------------------------------------------------------------------------


def test_topic_page_shows_posts(client, topic):
    response = client.get(url(topic))
    assert response.status_code == 200
    html = response.text
    assert f'<h1 class="topic-heading">{TITLE}</h1>' in html
    assert "Alice Jones" in html and "@alice" in html and "Kent LMC" in html
    assert "<p>What uplift?</p>" in html
    for n in (1, 2, 3):
        assert f'id="post-{n}"' in html
    # Post 3 answers post 2: an "in reply to" link on 3, "1 reply" on 2.
    assert '<a href="#post-2">In reply to #2 (bob)</a>' in html
    assert "1 reply" in html and '<a href="#post-3">#3 by carol</a>' in html


def test_topic_redirects_to_canonical_slug(client, topic):
    response = client.get(f"/t/{topic.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == url(topic)
    response = client.get(f"/t/wrong-slug/{topic.id}?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == url(topic) + "?page=2"


def test_permalink_renders_the_page_holding_the_post(client, topic):
    for n in range(22):
        make_reply(topic, raw=f"Filler reply {n}")
    # Post 24 is on page 2 (20 a page).
    html = client.get(url(topic, 24)).text
    assert 'id="post-24"' in html and 'id="post-21"' in html and 'id="post-1"' not in html
    assert '<a href="#post-24">Go to post #24</a>' in html
    assert 'data-focus-post="24"' in html
    assert f'href="{url(topic)}"' in html  # pagination back to page 1
    response = client.get(f"/t/{topic.id}/24")
    assert response.status_code == 301
    assert response.headers["Location"] == url(topic, 24) + "#post-24"
    response = client.get(f"/t/old-slug/{topic.id}/24")
    assert response.headers["Location"] == url(topic, 24) + "#post-24"
    # A number past the end shows the last page.
    assert 'id="post-25"' in client.get(url(topic, 999)).text


def test_reply_to_post_on_another_page_names_its_author(client, topic):
    for n in range(20):
        make_reply(topic, raw=f"Filler reply {n}")
    make_reply(topic, make_user("erin"), raw="Back to bob's point", reply_to_post_number=2)
    html = client.get(url(topic) + "?page=2").text
    assert f'<a href="{url(topic, 2)}#post-2">In reply to #2 (bob)</a>' in html
    page_one = client.get(url(topic)).text
    assert "2 replies" in page_one
    assert f'href="{url(topic, 24)}#post-24">#24 by erin</a>' in page_one


def test_topic_page_counts_views(client, topic):
    client.get(url(topic))
    client.get(url(topic))
    assert reload(Topic, topic.id).views == 2


def test_hidden_topic_is_404_for_outsiders(client, auth):
    private = make_category("Officers only", permissions={"officers": 1})
    topic = make_topic(make_user(role="admin"), private).topic
    assert client.get(url(topic)).status_code == 404
    assert client.get(f"/t/{topic.id}").status_code == 404
    assert client.get(f"/t/{topic.id}/1").status_code == 404
    auth.login_as(make_user())
    assert client.get(url(topic)).status_code == 404
    officer = make_user()
    add_member(officer, "officers")
    auth.login_as(officer)
    assert client.get(url(topic)).status_code == 200
    auth.login_as(make_user(role="moderator"))
    assert client.get(url(topic)).status_code == 200


def test_unknown_and_huge_topic_ids_are_404(client):
    assert client.get("/t/nothing/999").status_code == 404
    assert client.get("/t/99999999999999999999999").status_code == 404
    assert client.get("/t/x/99999999999999999999999/2").status_code == 404


def test_visitor_sees_sign_in_to_reply(client, topic):
    html = client.get(url(topic)).text
    assert f'href="/login?next={url(topic)}"' in html
    assert "Sign in to reply" in html
    assert "Moderator tools" not in html
    assert 'name="raw"' not in html


def test_member_sees_reply_form_and_own_edit_buttons(client, auth, topic):
    alice = reload(Topic, topic.id).user
    auth.login_as(alice)
    html = client.get(url(topic)).text
    assert f'action="/t/{topic.id}/reply"' in html
    assert 'name="reply_to_post_number"' in html and 'name="csrf_token"' in html
    assert f'href="/t/{topic.id}/reply?reply_to=2"' in html
    assert f'href="/t/{topic.id}/reply?quote=2"' in html
    first_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
    assert f'href="/posts/{first_id}/edit"' in html
    assert html.count(">Edit<") == 1  # only her own post
    assert html.count(">Delete<") == 1
    assert "Moderator tools" not in html


def test_moderator_sees_tools_and_all_edit_buttons(client, auth, topic):
    make_category("Workforce")
    auth.login_as(make_user(role="moderator"))
    html = client.get(url(topic)).text
    assert "Moderator tools" in html
    for label in ("Pin", "Close", "Archive", "Move"):
        assert f">{label}</button>" in html
    assert ">Workforce</option>" in html
    assert html.count(">Edit<") == 3


def test_closed_topic_shows_notice_instead_of_form(client, auth, topic):
    services.set_topic_flag(make_user(role="moderator"), topic, "closed", True)
    auth.login_as(make_user())
    html = client.get(url(topic)).text
    assert "This topic is closed; it no longer accepts replies." in html
    assert 'name="raw"' not in html
    assert "status-closed" in html


def test_history_button_after_edit(client, topic):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    services.edit_post(first.user, first, raw="What uplift did you get?")
    html = client.get(url(topic)).text
    assert f'href="/posts/{first.id}/revisions"' in html


def test_deleted_post_is_placeholder_for_members_and_restorable_by_staff(client, auth, topic):
    second = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.post_number == 2))
    services.delete_post(second.user, second)
    html = client.get(url(topic)).text
    assert "This post was deleted." in html
    assert "We got 3%." not in html
    auth.login_as(make_user(role="moderator"))
    html = client.get(url(topic)).text
    assert "We got 3%." in html and "post-deleted" in html
    assert f'action="/posts/{second.id}/restore"' in html


def test_page_has_no_inline_script_or_style(client, auth, topic):
    auth.login_as(make_user(role="admin"))
    html = client.get(url(topic)).text
    assert " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert re.search(r"\son[a-z]+=", html) is None


# -- A fixed number of queries --------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _topic_with_posts(n: int, category, users) -> Topic:
    """A topic of ``n`` posts by several authors, each reply answering the one before."""
    topic = make_topic(users[0], category).topic
    for i in range(1, n):
        make_reply(topic, users[i % len(users)], reply_to_post_number=i)
    return topic


def _queries_for(app, client, path) -> int:
    """SQL statements run by one request, in a fresh app context (its own session and
    ``g``, as in production) so nothing cached by earlier requests hides a query."""
    counter = QueryCounter()
    db.session.commit()  # end the test's own transaction: in-memory SQLite has one connection
    # Count the page as rendered, not served from the visitors' page cache, but with the
    # permission table already cached (as it is on every request but the first after a write).
    page_cache = app.extensions["forum.page_cache"]
    page_cache.clear()
    client.get(path)
    page_cache.clear()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
    return counter.count


@pytest.mark.parametrize("viewer_role", [None, "member", "moderator"])
def test_topic_page_runs_a_fixed_number_of_queries(app, client, auth, viewer_role):
    category = make_category("Contracts")
    users = [make_user() for _ in range(5)]
    small = _topic_with_posts(3, category, users)
    large = _topic_with_posts(20, category, users)
    if viewer_role:
        auth.login_as(make_user(role=viewer_role))
    small_url, large_url = url(small), url(large)
    client.get(small_url)  # warm up: the last-seen stamp is written once, on a first request
    assert _queries_for(app, client, small_url) == _queries_for(app, client, large_url)


def test_second_page_with_off_page_reply_targets_runs_same_queries(app, client):
    category = make_category("Contracts")
    users = [make_user() for _ in range(5)]
    small = _topic_with_posts(23, category, users)  # page 2 holds 3 posts
    large = _topic_with_posts(40, category, users)  # page 2 holds 20 posts
    small_url, large_url = url(small) + "?page=2", url(large) + "?page=2"
    assert _queries_for(app, client, small_url) == _queries_for(app, client, large_url)


# -- New topic ------------------------------------------------------------------------------


def test_new_topic_needs_sign_in(client):
    response = client.get("/new-topic?category=3")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/new-topic?category%3D3"
    response = client.post("/new-topic", data={"title": "x", "raw": "y"})
    assert response.headers["Location"] == "/login?next=/new-topic"


def test_new_topic_form_lists_creatable_categories(client, auth):
    contracts = make_category("Contracts")
    make_category("Announcements", permissions={"everyone": 3})
    make_category("Officers only", permissions={"officers": 1})
    auth.login_as(make_user())
    html = client.get(f"/new-topic?category={contracts.id}").text
    assert f'<option value="{contracts.id}" selected>Contracts</option>' in html
    assert "Announcements" not in html and "Officers only" not in html
    assert 'name="csrf_token"' in html
    assert "Formatting help" in html and "data-preview" in html


def test_new_topic_created(client, auth):
    category = make_category("Contracts")
    auth.login_as(make_user())
    response = client.post(
        "/new-topic",
        data={"title": TITLE, "raw": "What uplift did everyone get?", "category": category.id},
    )
    assert response.status_code == 303
    topic = db.session.scalar(select(Topic).where(Topic.title == TITLE))
    assert response.headers["Location"] == url(topic)
    assert "What uplift did everyone get?" in client.get(url(topic)).text


@pytest.mark.parametrize(
    ("title", "raw", "category", "status", "message"),
    [
        ("Too short", "Body text here", "ok", 422, "Title is too short (minimum is 15 characters)"),
        (TITLE, "   ", "ok", 400, "param is missing or the value is empty: raw"),
        (TITLE, "Body text here", "", 422, "Choose a category for your topic."),
        (TITLE, "Body text here", "hidden", 404, "That category does not exist"),
        (TITLE, "Body text here", "abc", 400, "invalid parameters to the request: category"),
    ],
)
def test_new_topic_errors_keep_input(client, auth, title, raw, category, status, message):
    ok = make_category("Contracts")
    hidden = make_category("Officers only", permissions={"officers": 1})
    category = {"ok": ok.id, "hidden": hidden.id}.get(category, category)
    auth.login_as(make_user())
    response = client.post("/new-topic", data={"title": title, "raw": raw, "category": category})
    assert response.status_code == status
    html = response.text
    assert message in html
    assert f'value="{title}"' in html.replace("&#34;", '"')
    assert f">{raw}</textarea>" in html
    if category == ok.id:
        assert f'<option value="{ok.id}" selected>' in html
    assert db.session.scalar(select(Topic.id).where(Topic.title == title)) is None


def test_new_topic_preview_without_script_saves_nothing(client, auth):
    category = make_category("Contracts")
    auth.login_as(make_user())
    response = client.post(
        "/new-topic",
        data={
            "title": TITLE,
            "raw": "**Bold** <script>x</script>",
            "category": category.id,
            "action": "preview",
        },
    )
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in response.text
    assert "<script>x</script>" not in response.text
    assert db.session.scalar(select(Topic.id).where(Topic.title == TITLE)) is None


def test_new_topic_refused_without_any_creatable_category(client, auth):
    make_category("Announcements", permissions={"everyone": 3})
    db.session.execute(db.text("DELETE FROM category_permissions WHERE permission = 1"))
    db.session.commit()
    auth.login_as(make_user())
    response = client.get("/new-topic")
    assert response.status_code == 403
    assert "You cannot start topics in any category yet." in response.text


# -- Replying -------------------------------------------------------------------------------


def test_reply_to_a_post(client, auth, topic):
    auth.login_as(make_user("dave"))
    response = client.post(
        f"/t/{topic.id}/reply", data={"raw": "Ours was 2.5%.", "reply_to_post_number": "2"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == url(topic, 4) + "#post-4"
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.post_number == 4))
    assert post.reply_to_post_number == 2 and post.raw == "Ours was 2.5%."
    html = client.get(url(topic, 4)).text
    assert '<a href="#post-2">In reply to #2 (bob)</a>' in html
    assert "2 replies" in html


def test_reply_to_topic_without_target(client, auth, topic):
    auth.login_as(make_user())
    response = client.post(
        f"/t/{topic.id}/reply", data={"raw": "General point.", "reply_to_post_number": ""}
    )
    assert response.status_code == 303
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.post_number == 4))
    assert post.reply_to_post_number is None


def test_reply_page_for_a_post(client, auth, topic):
    auth.login_as(make_user())
    html = client.get(f"/t/{topic.id}/reply?reply_to=2").text
    assert "Reply to post #2 by bob" in html
    assert "<p>We got 3%.</p>" in html
    assert 'name="reply_to_post_number" value="2"' in html


def test_quote_prefills_the_reply(client, auth, topic):
    auth.login_as(make_user())
    html = client.get(f"/t/{topic.id}/reply?quote=2").text
    assert (
        f">[quote=&#34;bob, post:2, topic:{topic.id}&#34;]\nWe got 3%.\n[/quote]\n\n</textarea>"
        in html
    )
    assert 'name="reply_to_post_number" value="2"' in html


def test_quote_or_reply_to_missing_post(client, auth, topic):
    auth.login_as(make_user())
    assert client.get(f"/t/{topic.id}/reply?quote=99").status_code == 404
    assert client.get(f"/t/{topic.id}/reply?quote=abc").status_code == 400
    response = client.post(
        f"/t/{topic.id}/reply", data={"raw": "To nobody", "reply_to_post_number": "99"}
    )
    assert response.status_code == 422
    assert "Post #99 does not exist in this topic" in response.text
    assert ">To nobody</textarea>" in response.text


def test_visitor_reply_redirects_to_sign_in(client, topic):
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Hello"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={url(topic)}"
    response = client.get(f"/t/{topic.id}/reply?reply_to=2")
    assert response.headers["Location"] == f"/login?next=/t/{topic.id}/reply?reply_to%3D2"


def test_closed_topic_refuses_reply_and_keeps_text(client, auth, topic):
    services.set_topic_flag(make_user(role="moderator"), topic, "closed", True)
    auth.login_as(make_user())
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "My careful answer"})
    assert response.status_code == 422
    assert "This topic is closed; it no longer accepts replies." in response.text
    assert ">My careful answer</textarea>" in response.text
    assert reload(Topic, topic.id).posts_count == 3


def test_staff_can_reply_to_closed_topic(client, auth, topic):
    moderator = make_user(role="moderator")
    services.set_topic_flag(moderator, topic, "closed", True)
    auth.login_as(moderator)
    assert "as staff you can still reply" in client.get(url(topic)).text
    assert client.post(f"/t/{topic.id}/reply", data={"raw": "Closing note"}).status_code == 303


def test_duplicate_reply_is_refused_and_kept(client, auth, topic):
    auth.login_as(make_user())
    client.post(f"/t/{topic.id}/reply", data={"raw": "Same words twice"})
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Same words twice"})
    assert response.status_code == 422
    assert "too similar to what you recently posted" in response.text
    assert ">Same words twice</textarea>" in response.text


def test_empty_reply_is_refused(client, auth, topic):
    auth.login_as(make_user())
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "  \n "})
    assert response.status_code == 400
    assert "param is missing or the value is empty: raw" in response.text


def test_reply_in_read_only_category_is_refused(client, auth):
    category = make_category("Announcements", permissions={"everyone": 3})
    topic = make_topic(make_user(role="admin"), category).topic
    auth.login_as(make_user())
    assert "You can read this category but not reply in it." in client.get(url(topic)).text
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Can I?"})
    assert response.status_code == 403
    assert ">Can I?</textarea>" in response.text


def test_reply_to_hidden_topic_is_404(client, auth):
    private = make_category("Officers only", permissions={"officers": 1})
    topic = make_topic(make_user(role="admin"), private).topic
    auth.login_as(make_user())
    assert client.post(f"/t/{topic.id}/reply", data={"raw": "Hello"}).status_code == 404


# -- Editing and history --------------------------------------------------------------------


def _post(topic, number) -> Post:
    return db.session.scalar(
        select(Post).where(Post.topic_id == topic.id, Post.post_number == number)
    )


def test_author_edits_first_post_and_title(client, auth, topic):
    first = _post(topic, 1)
    auth.login_as(first.user)
    form = client.get(f"/posts/{first.id}/edit").text
    assert f'value="{TITLE}"' in form and ">What uplift?</textarea>" in form
    response = client.post(
        f"/posts/{first.id}/edit",
        data={
            "raw": "What uplift did you get?",
            "title": "Phlebotomy LCS uplift, 2025 to 2026",
            "edit_reason": "clearer",
        },
    )
    assert response.status_code == 303
    topic = reload(Topic, topic.id)
    assert topic.title == "Phlebotomy LCS uplift, 2025 to 2026"
    assert response.headers["Location"] == url(topic, 1) + "#post-1"
    assert "What uplift did you get?" in client.get(url(topic)).text


def test_edit_errors_keep_input(client, auth, topic):
    first = _post(topic, 1)
    auth.login_as(first.user)
    response = client.post(
        f"/posts/{first.id}/edit",
        data={"raw": "New body text", "title": "Short", "edit_reason": "why not"},
    )
    assert response.status_code == 422
    assert "Title is too short" in response.text
    assert 'value="Short"' in response.text and ">New body text</textarea>" in response.text
    assert 'value="why not"' in response.text
    assert reload(Post, first.id).raw == "What uplift?"


def test_members_cannot_edit_others_posts_but_moderators_can(client, auth, topic):
    second = _post(topic, 2)
    auth.login_as(make_user())
    assert client.get(f"/posts/{second.id}/edit").status_code == 403
    assert client.post(f"/posts/{second.id}/edit", data={"raw": "Hijack"}).status_code == 403
    auth.login_as(make_user(role="moderator"))
    form = client.get(f"/posts/{second.id}/edit").text
    assert 'name="title"' not in form  # not the first post
    response = client.post(f"/posts/{second.id}/edit", data={"raw": "We got 3% (corrected)."})
    assert response.status_code == 303
    assert reload(Post, second.id).raw == "We got 3% (corrected)."


def test_visitor_edit_redirects_to_sign_in(client, topic):
    second = _post(topic, 2)
    response = client.get(f"/posts/{second.id}/edit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_revisions_show_every_version_escaped(client, auth, topic):
    second = _post(topic, 2)
    bob = second.user
    services.edit_post(bob, second, raw="<script>alert(1)</script> 4%", edit_reason="typo")
    services.edit_post(bob, second, raw="We got 4%.", edit_reason="tidied")
    response = client.get(f"/posts/{second.id}/revisions")
    assert response.status_code == 200
    html = response.text
    assert "Version 3" in html and "Version 2" in html and "Version 1" in html
    assert '<pre class="revision-raw">We got 3%.</pre>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 4%" in html
    assert "<script>alert(1)</script>" not in html
    assert "Reason: typo" in html and "Reason: tidied" in html
    assert html.index("Version 3") < html.index("Version 1")  # newest first


def test_revisions_of_hidden_post_are_404(client, topic):
    private = make_category("Officers only", permissions={"officers": 1})
    post = make_topic(make_user(role="admin"), private)
    assert client.get(f"/posts/{post.id}/revisions").status_code == 404


# -- Delete and restore ---------------------------------------------------------------------


def test_author_deletes_own_post_after_confirming(client, auth, topic):
    second = _post(topic, 2)
    auth.login_as(second.user)
    page = client.get(f"/posts/{second.id}/delete")
    assert page.status_code == 200
    assert "Delete post #2?" in page.text and 'name="csrf_token"' in page.text
    response = client.post(f"/posts/{second.id}/delete")
    assert response.status_code == 303
    assert reload(Post, second.id).deleted_at is not None
    auth.logout()
    assert "This post was deleted." in client.get(url(topic)).text


def test_members_cannot_delete_others_posts(client, auth, topic):
    second = _post(topic, 2)
    auth.login_as(make_user())
    assert client.get(f"/posts/{second.id}/delete").status_code == 403
    assert client.post(f"/posts/{second.id}/delete").status_code == 403
    assert reload(Post, second.id).deleted_at is None


def test_deleting_first_post_deletes_topic(client, auth, topic):
    first = _post(topic, 1)
    auth.login_as(first.user)
    assert "deletes the whole topic" in client.get(f"/posts/{first.id}/delete").text
    response = client.post(f"/posts/{first.id}/delete")
    assert response.headers["Location"] == "/"
    assert client.get(url(topic)).status_code == 404


def test_moderator_restores_post(client, auth, topic):
    second = _post(topic, 2)
    services.delete_post(second.user, second)
    auth.login_as(make_user())
    assert client.post(f"/posts/{second.id}/restore").status_code == 404
    auth.login_as(make_user(role="moderator"))
    assert "Restore post #2?" in client.get(f"/posts/{second.id}/restore").text
    response = client.post(f"/posts/{second.id}/restore")
    assert response.status_code == 303
    assert reload(Post, second.id).deleted_at is None
    assert client.post(f"/posts/{second.id}/restore").status_code == 422  # not deleted now


# -- Moderation -----------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["pinned", "closed", "archived"])
def test_moderator_sets_and_clears_flags(client, auth, topic, flag):
    auth.login_as(make_user(role="moderator"))
    response = client.post(f"/t/{topic.id}/status", data={"flag": flag, "enabled": "true"})
    assert response.status_code == 303
    assert getattr(reload(Topic, topic.id), flag) is True
    client.post(f"/t/{topic.id}/status", data={"flag": flag, "enabled": "false"})
    assert getattr(reload(Topic, topic.id), flag) is False


def test_members_cannot_moderate(client, auth, topic):
    other = make_category("Workforce")
    auth.login_as(make_user())
    response = client.post(f"/t/{topic.id}/status", data={"flag": "pinned", "enabled": "true"})
    assert response.status_code == 403
    assert reload(Topic, topic.id).pinned is False
    assert client.post(f"/t/{topic.id}/move", data={"category_id": other.id}).status_code == 403


def test_bad_status_requests(client, auth, topic):
    auth.login_as(make_user(role="moderator"))
    assert (
        client.post(f"/t/{topic.id}/status", data={"flag": "pinned", "enabled": "maybe"})
    ).status_code == 400
    response = client.post(f"/t/{topic.id}/status", data={"flag": "sticky", "enabled": "1"})
    assert response.status_code == 422 and "Unknown status" in response.text


def test_visitor_moderation_redirects_to_sign_in(client, topic):
    response = client.post(f"/t/{topic.id}/status", data={"flag": "pinned", "enabled": "true"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_moderator_moves_topic(client, auth, topic):
    other = make_category("Workforce")
    auth.login_as(make_user(role="moderator"))
    response = client.post(f"/t/{topic.id}/move", data={"category_id": other.id})
    assert response.status_code == 303
    assert reload(Topic, topic.id).category_id == other.id
    assert "Topic moved to Workforce." in client.get(url(topic)).text
    assert client.post(f"/t/{topic.id}/move", data={"category_id": "999"}).status_code == 404
    assert client.post(f"/t/{topic.id}/move", data={"category_id": ""}).status_code == 422


# -- Preview --------------------------------------------------------------------------------


def test_preview_requires_sign_in(client):
    response = client.post("/posts/preview", data={"raw": "Hello"})
    assert response.status_code == 403
    assert response.mimetype == "text/plain"


def test_preview_escapes_script(client, auth):
    auth.login_as(make_user())
    response = client.post("/posts/preview", data={"raw": "**Hi** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<strong>Hi</strong>" in response.text
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_preview_reports_errors_as_text(client, auth):
    auth.login_as(make_user())
    response = client.post("/posts/preview", data={"raw": "x" * 32_001})
    assert response.status_code == 422
    assert response.mimetype == "text/plain"
    assert "Body is too long" in response.text
    assert client.post("/posts/preview", data={"raw": "  "}).text == ""


def test_preview_and_forms_need_the_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user()
        category = make_category("Contracts")
        client = app.test_client()
        AuthActions(client).login_as(user)
        page = client.get(f"/new-topic?category={category.id}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post("/posts/preview", data={"raw": "Hi"}).status_code == 403
        response = client.post("/posts/preview", data={"raw": "Hi"}, headers={"X-CSRFToken": token})
        assert response.status_code == 200 and response.text == "<p>Hi</p>"
        refused = client.post(
            "/new-topic", data={"title": TITLE, "raw": "Body", "category": category.id}
        )
        assert refused.status_code == 403
        posted = client.post(
            "/new-topic",
            data={"title": TITLE, "raw": "Body", "category": category.id, "csrf_token": token},
        )
        assert posted.status_code == 303
        db.session.remove()
        db.engine.dispose()
