"""The example plugin of docs/plugins.md, end to end: an admin enables it on one category; it
adds a panel there, a meeting attachment type for posts (composer, the attach page and the
API), its own table with its own migration, a page, a permission and a CLI command. None of
it needed a change to forum/."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from forum.attachments import services as attachments
from forum.attachments.models import PostAttachment
from forum.database import utcnow
from forum.extensions import db
from forum.plugin_system.enablement import is_enabled
from tests.api.conftest import api_headers
from tests.core.accounts.helpers import QueryCounter
from tests.factories import make_category, make_reply, make_topic, make_user
from tests.plugins.meetings.models import Meeting

MEETINGS = "tests.plugins.meetings"


@pytest.fixture
def app(plugin_app):
    return plugin_app(MEETINGS)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    from tests.conftest import AuthActions

    return AuthActions(client).login_as


def meeting(title="Network meeting, January", days=30) -> Meeting:
    row = Meeting(title=title, starts_at=utcnow() + timedelta(days=days), place="Online")
    db.session.add(row)
    db.session.commit()
    return row


def new_topic(client, category, title, ref, raw="Please add items below."):
    """Post the new-topic form with a meeting reference in its picker field."""
    return client.post(
        "/new-topic",
        data={
            "title": title,
            "raw": raw,
            "category": str(category.id),
            "attach.meetings.meeting": ref,
        },
    )


def api_topic(client, author, category, title, attachments):
    """``POST /posts.json`` as ``author``: a new topic with ``attachments`` strings."""
    return client.post(
        "/posts.json",
        json={
            "title": title,
            "raw": "Items please.",
            "category": category.id,
            "attachments": attachments,
        },
        headers=api_headers(author),
    )


@pytest.fixture
def room(client, login):
    """A category on which an admin enabled the plugin through the admin page."""
    category = make_category("Network meetings")
    login(make_user("admin1", role="admin"))
    response = client.post(
        f"/admin/categories/{category.id}/plugins", data={"plugin": ["meetings"]}
    )
    assert response.status_code == 302
    client.post("/logout")
    return category


def test_an_admin_enables_the_plugin_on_a_category(client, login, room):
    assert is_enabled(room, "meetings")
    login(make_user("admin2", role="admin"))
    page = client.get(f"/admin/categories/{room.id}/edit").get_data(as_text=True)
    assert 'id="plugin-meetings"' in page and "checked" in page
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert 'data-plugin="meetings"' in page and "Network meetings" in page
    assert "register_attachment_types" in page
    # Unticking every box turns it off again; unknown names are ignored.
    client.post(f"/admin/categories/{room.id}/plugins", data={"plugin": ["nonsense"]})
    assert not is_enabled(room, "meetings")


def test_only_admins_switch_plugins(client, login, room):
    login(make_user())
    response = client.post(f"/admin/categories/{room.id}/plugins", data={"plugin": []})
    assert response.status_code == 404
    assert is_enabled(room, "meetings")


def test_the_panel_shows_on_the_enabled_category_only(client, room):
    meeting("Network meeting, January")
    other = make_category("Contracts")
    page = client.get(f"/c/{room.slug}/{room.id}").get_data(as_text=True)
    assert "Upcoming meetings" in page and "Network meeting, January" in page
    page = client.get(f"/c/{other.slug}/{other.id}").get_data(as_text=True)
    assert "Upcoming meetings" not in page


def test_a_meeting_is_attached_from_the_composer(client, login, room):
    planned = meeting()
    login(make_user("writer"))
    form = client.get(f"/new-topic?category={room.id}").get_data(as_text=True)
    assert 'name="attach.meetings.meeting"' in form and "Network meeting, January" in form
    response = new_topic(client, room, "Agenda for the January network meeting", str(planned.id))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="meeting-card"' in page and "Meeting: Network meeting, January" in page


def test_a_reply_carries_a_meeting_too(client, login, room):
    planned = meeting()
    topic = make_topic(category=room).topic
    login(make_user())
    response = client.post(
        f"/t/{topic.id}/reply",
        data={"raw": "See you there.", "attach.meetings.meeting": str(planned.id)},
    )
    assert response.status_code == 303
    rows = db.session.scalars(select(PostAttachment)).all()
    assert [(r.type_key, r.object_id) for r in rows] == [("meetings.meeting", planned.id)]


def test_meetings_cannot_be_attached_where_the_plugin_is_off(client, login, room):
    planned = meeting()
    elsewhere = make_category("Elsewhere")
    login(make_user())
    response = new_topic(client, elsewhere, "A topic somewhere else entirely", str(planned.id))
    assert response.status_code == 422
    assert "is not something you can attach here" in response.get_data(as_text=True)
    assert db.session.scalar(select(PostAttachment.id)) is None


def test_a_bad_reference_is_a_clear_message_and_keeps_the_text(client, login, room):
    login(make_user())
    title, raw = "Agenda for the February network meeting", "My carefully typed agenda."
    response = new_topic(client, room, title, "99999", raw=raw)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is no meeting number 99999." in page
    assert raw in page


def test_attach_and_remove_afterwards(client, login, room):
    planned = meeting()
    author = make_user("author")
    post = make_topic(author, room)
    login(author)
    page = client.get(f"/t/{post.topic.slug}/{post.topic_id}").get_data(as_text=True)
    assert f"/posts/{post.id}/attachments" in page  # the post's "Attach" action
    page = client.get(f"/posts/{post.id}/attachments").get_data(as_text=True)
    assert "Nothing is attached to this post yet." in page
    response = client.post(
        f"/posts/{post.id}/attachments", data={"type": "meetings.meeting", "ref": str(planned.id)}
    )
    assert response.status_code == 303
    page = client.get(f"/posts/{post.id}/attachments").get_data(as_text=True)
    assert "Meeting: Network meeting, January" in page
    # Attaching the same meeting twice keeps one.
    client.post(
        f"/posts/{post.id}/attachments", data={"type": "meetings.meeting", "ref": str(planned.id)}
    )
    (row,) = db.session.scalars(select(PostAttachment)).all()
    response = client.post(f"/posts/{post.id}/attachments/{row.id}/remove")
    assert response.status_code == 303
    assert db.session.scalar(select(PostAttachment.id)) is None
    assert db.session.get(Meeting, planned.id) is not None  # the meeting itself stays


def test_others_cannot_change_a_posts_attachments(client, login, room):
    planned = meeting()
    post = make_topic(make_user("author"), room)
    login(make_user("someone-else"))
    response = client.post(
        f"/posts/{post.id}/attachments", data={"type": "meetings.meeting", "ref": str(planned.id)}
    )
    assert response.status_code == 403
    assert client.get(f"/posts/{post.id}/attachments").status_code == 403


def test_attachments_are_in_the_topic_and_post_json(client, app, room):
    planned = meeting()
    author = make_user("apiwriter")
    response = api_topic(
        client,
        author,
        room,
        "Agenda for the March network meeting",
        [f"meetings.meeting:{planned.id}"],
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    created = response.get_json()
    expected = [
        {
            "type": "meetings.meeting",
            "id": planned.id,
            "title": "Network meeting, January",
            "starts_at": planned.starts_at.isoformat(),
            "place": "Online",
        }
    ]
    assert created["meetings"] == expected
    topic_json = client.get(f"/t/{created['topic_id']}.json").get_json()
    assert topic_json["post_stream"]["posts"][0]["meetings"] == expected
    assert client.get(f"/posts/{created['id']}.json").get_json()["meetings"] == expected
    # A post with nothing attached has no such key.
    reply = make_reply(_topic(created))
    assert "meetings" not in client.get(f"/posts/{reply.id}.json").get_json()


def _topic(created):
    from forum.topics.models import Topic

    return db.session.get(Topic, created["topic_id"])


def test_a_bad_api_attachment_is_a_422(client, room):
    response = api_topic(
        client,
        make_user("apiwriter"),
        room,
        "Agenda for the April network meeting",
        ["not-a-reference"],
    )
    assert response.status_code == 422
    assert "type:reference" in response.get_json()["errors"][0]


def _topic_with_attachments(category, posts: int, planned) -> dict:
    author = make_user()
    first = make_topic(author, category)
    topic = first.topic
    pair = [("meetings.meeting", planned.id)]
    attachments.add(author, first, pair)
    for n in range(2, posts + 1):
        attachments.add(author, make_reply(topic, author, raw=f"Reply {n} of {posts}."), pair)
    db.session.commit()
    return {"slug": topic.slug, "id": topic.id}


def _statements(client, path) -> int:
    app = client.application
    db.session.commit()
    with app.app_context():
        client.get(path)  # warm-up
    with app.app_context(), QueryCounter() as counter:
        response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("Network meeting, January") >= 3
    return counter.count


@pytest.mark.parametrize("path", ["/t/{slug}/{id}", "/t/{id}.json"])
def test_attachments_cost_the_same_queries_for_3_posts_as_for_20(client, login, room, path):
    planned = meeting()
    login(make_user("reader"))  # signed in: pages are rendered, not served from the cache
    small = _topic_with_attachments(room, 3, planned)
    large = _topic_with_attachments(room, 20, planned)
    assert _statements(client, path.format(**small)) == _statements(client, path.format(**large))


def test_the_meetings_page_and_the_schedule_permission(client, login):
    login(make_user("member"))
    page = client.get("/meetings/").get_data(as_text=True)
    assert "No meetings planned yet." in page and "Add a meeting" not in page
    assert client.post("/meetings/", data={"title": "x"}).status_code == 403
    client.post("/logout")
    login(make_user("mod", role="moderator"))
    response = client.post("/meetings/", data={"title": "AB", "starts_at": "soon"})
    assert response.status_code == 422
    assert "3 to 200 characters" in response.get_data(as_text=True)
    response = client.post(
        "/meetings/", data={"title": "Annual conference", "starts_at": "2027-03-01T09:30"}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Meeting.starts_at)) == datetime(2027, 3, 1, 9, 30)
    page = client.get("/").get_data(as_text=True)
    assert 'data-nav="meetings.nav"' in page


def test_the_plugins_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["forum", "meetings", "add", "Network meeting", "--at", "2027-01-14 10:00"]
    )
    assert result.exit_code == 0, result.output
    assert "Added meeting #1: Network meeting, 14 Jan 2027 10:00." in result.output
    result = runner.invoke(args=["forum", "meetings", "list"])
    assert "2027-01-14 10:00 Network meeting (Online)" in result.output
    result = runner.invoke(args=["forum", "meetings", "add", "x", "--at", "2027-01-14 10:00"])
    assert result.exit_code != 0 and "3 to 200 characters" in result.output


def test_flask_forum_plugins_lists_it(app, room):
    result = app.test_cli_runner().invoke(args=["forum", "plugins"])
    assert result.exit_code == 0, result.output
    assert "meetings (setting)" in result.output
    assert f"enabled on categories: Network meetings (#{room.id})" in result.output
    assert "hooks: category_panels, config_defaults, nav_items" in result.output
    assert "forum.topics.hooks (core)" in result.output


def test_demo_data_includes_a_meeting(app):
    result = app.test_cli_runner().invoke(args=["forum", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Meeting.title)) == "LMC network meeting"
    # On a forum that already has topics, --if-empty still gives a new plugin its rows.
    db.session.execute(delete(Meeting))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo data already present" in result.output
    assert db.session.scalar(select(Meeting.title)) == "LMC network meeting"


def test_a_page_without_attachments_asks_nothing_of_them(client, login, room):
    from tests.api.test_query_counts import count_queries

    topic = make_topic(category=room).topic
    make_reply(topic)
    login(make_user("reader"))
    db.session.commit()
    with count_queries() as statements:
        assert client.get(f"/t/{topic.slug}/{topic.id}").status_code == 200
    assert not [s for s in statements if "post_attachments" in s]


def test_posts_count_their_attachments(client, login, room):
    first, second = meeting("First"), meeting("Second", days=40)
    author = make_user("counter")
    post = make_topic(author, room)
    login(author)
    for planned in (first, second, first):  # the repeat is not counted twice
        client.post(
            f"/posts/{post.id}/attachments",
            data={"type": "meetings.meeting", "ref": str(planned.id)},
        )
    db.session.expire_all()
    assert post.attachment_count == 2
    row = db.session.scalars(select(PostAttachment)).first()
    client.post(f"/posts/{post.id}/attachments/{row.id}/remove")
    db.session.expire_all()
    assert post.attachment_count == 1


@pytest.mark.parametrize("key", ["nul", "lone high surrogate", "100k chars", "jinja", "html"])
def test_hostile_attachment_references_are_refused_cleanly(client, login, room, key):
    from tests.core.test_bad_input import HOSTILE, assert_discourse_error, form_body

    hostile = HOSTILE[key]
    author = make_user("hostile")
    post = make_topic(author, room)
    login(author)
    for fields in ({"type": "meetings.meeting", "ref": hostile}, {"type": hostile, "ref": "1"}):
        response = client.post(
            f"/posts/{post.id}/attachments",
            data=form_body(fields),
            content_type="application/x-www-form-urlencoded",
        )
        assert 400 <= response.status_code < 500, (key, response.status_code)
    response = api_topic(
        client,
        author,
        room,
        "A topic with a hostile attachment",
        [f"meetings.meeting:{hostile}", hostile],
    )
    assert_discourse_error(response, key)
    assert db.session.scalar(select(PostAttachment.id)) is None


def test_attach_and_detach_through_the_api(client, room):
    planned = meeting()
    author = make_user("scripted")
    post = make_topic(author, room)
    headers = api_headers(author)
    url = f"/posts/{post.id}/attachments.json"
    response = client.post(
        url, json={"type": "meetings.meeting", "ref": str(planned.id)}, headers=headers
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [m["id"] for m in response.get_json()["post"]["meetings"]] == [planned.id]
    response = client.post(url, json={"type": "meetings.meeting", "ref": "0"}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"] == ["There is no meeting number 0."]
    assert client.post(url, json={"type": "meetings.meeting"}, headers=headers).status_code == 400
    for bad in ({"type": 5, "ref": "1"}, {"type": "meetings.meeting", "ref": 1.5}):
        assert client.post(url, json=bad, headers=headers).status_code == 400
    response = client.post(url, json={"type": "meetings.meeting", "ref": "²"}, headers=headers)
    assert response.status_code == 422  # a digit, but not an ASCII one
    assert client.post(url, json={"type": "meetings.meeting", "ref": "1"}).status_code == 403
    row_id = db.session.scalar(select(PostAttachment.id))
    response = client.delete(f"/posts/{post.id}/attachments/{row_id}.json", headers=headers)
    assert response.status_code == 200
    assert "meetings" not in response.get_json()["post"]
    response = client.delete(f"/posts/{post.id}/attachments/{row_id}.json", headers=headers)
    assert response.status_code == 404
    # Someone else's post: refused.
    response = client.post(
        url,
        json={"type": "meetings.meeting", "ref": str(planned.id)},
        headers=api_headers(make_user("other")),
    )
    assert response.status_code == 403
