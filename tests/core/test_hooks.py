"""One ``test_hook_<name>`` per hook spec (checked by tests/contract/test_hookspecs.py), plus
the plugin system's promises: isolation of page hooks, rollback on a lifecycle failure,
loud errors for unknown slots and hooks, and the naming conventions.

Most tests load a small class-based plugin built for the test (``name`` says its name);
tests/plugins/test_meetings.py exercises the complete example plugin.
"""

from __future__ import annotations

import logging
import textwrap

import pytest
from flask import Blueprint
from sqlalchemy import func, select, text

from forum import hookimpl
from forum.categories.models import Category
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.hooktypes import (
    ActionLink,
    Badge,
    Decision,
    ListView,
    NavItem,
    Panel,
    Permission,
)
from forum.permissions import can
from forum.plugin_system import PluginError, UnknownSlot, current_plugins, slot
from forum.plugin_system.enablement import set_enabled
from forum.rendering import COOK_VERSION, cook
from forum.topics import services
from forum.topics.models import Post, Topic
from forum.topics.services import PluginWriteFailed
from tests.factories import make_category, make_reply, make_topic, make_user

MEETINGS = "tests.plugins.meetings"


class Probe:
    """A plugin whose hook implementations the tests add as they need."""

    name = "probe"

    def __init__(self, **hooks):
        self.calls: list[tuple] = []
        for hook, function in hooks.items():
            setattr(self, hook, hookimpl(function))


def enable(category, *names):
    set_enabled(category, names)
    db.session.commit()


def category_page(app, name, *plugins, topic_title=None) -> str:
    """The page of a new category ``name`` with ``plugins`` enabled on it (and a topic, if
    titled), which must answer 200."""
    category = make_category(name)
    enable(category, *plugins)
    if topic_title:
        make_topic(category=category, title=topic_title)
    response = app.test_client().get(f"/c/{category.slug}/{category.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def auth_for():
    from tests.conftest import AuthActions

    def make(client):
        return AuthActions(client)

    return make


# -- Set-up hooks -----------------------------------------------------------------------------


def test_hook_config_defaults(plugin_app):
    probe = Probe(config_defaults=lambda: {"PROBE_LIMIT": 3, "PROBE_NAME": "x"})
    app = plugin_app(probe, PROBE_NAME="configured")
    assert app.config["PROBE_LIMIT"] == 3
    assert app.config["PROBE_NAME"] == "configured"  # a configured value wins


def test_config_defaults_must_carry_the_plugin_name(plugin_app):
    with pytest.raises(PluginError, match="PROBE_"):
        plugin_app(Probe(config_defaults=lambda: {"LIMIT": 3}))


def test_hook_register_models(plugin_app):
    app = plugin_app(MEETINGS)
    table = db.metadata.tables["meetings_meeting"]
    assert table.info["plugin"] == "meetings"
    from forum.plugin_system.migrations import owned_tables

    assert "meetings_meeting" in owned_tables(app, db.metadata)


def test_model_tables_must_start_with_the_plugin_name(plugin_app):
    from tests.plugins.meetings.models import Meeting

    with pytest.raises(PluginError, match="probe_"):
        plugin_app(Probe(register_models=lambda: [Meeting]))


def test_hook_register_blueprints(plugin_app):
    bp = Blueprint("probe", __name__)
    bp.add_url_rule("/hello", "hello", lambda: "hello from probe")
    app = plugin_app(Probe(register_blueprints=lambda: [bp]))
    response = app.test_client().get("/probe/hello")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "hello from probe"


def test_blueprints_must_be_named_after_the_plugin(plugin_app):
    bp = Blueprint("other", __name__)
    with pytest.raises(PluginError, match="named after the plugin"):
        plugin_app(Probe(register_blueprints=lambda: [bp]))


def test_hook_register_permissions(plugin_app):
    perm = Permission("probe.launch", "Launch things", frozenset({"admin", "member"}))
    plugin_app(Probe(register_permissions=lambda: [perm]))
    assert current_plugins().permissions["probe.launch"] == perm
    from flask_login import AnonymousUserMixin

    assert can(make_user(role="admin"), "probe.launch")
    assert can(make_user(), "probe.launch")
    assert not can(make_user(status="suspended"), "probe.launch")  # counts as a visitor
    assert not can(AnonymousUserMixin(), "probe.launch")
    with pytest.raises(ValueError, match="unknown action"):
        can(make_user(), "probe.unregistered")


def test_permission_keys_must_carry_the_plugin_name(plugin_app):
    with pytest.raises(PluginError, match="probe."):
        plugin_app(Probe(register_permissions=lambda: [Permission("launch", "x")]))
    with pytest.raises(PluginError, match="registered twice"):
        plugin_app(Probe(register_permissions=lambda: [Permission("probe.a", "x")] * 2))


def test_hook_register_attachment_types(plugin_app):
    plugin_app(MEETINGS)
    kinds = current_plugins().attachment_types
    assert list(kinds) == ["meetings.meeting"]
    assert kinds["meetings.meeting"].plugin == "meetings"


def test_attachment_type_keys_must_carry_the_plugin_name(plugin_app):
    from tests.plugins import meetings

    (kind,) = meetings.register_attachment_types()
    with pytest.raises(PluginError, match="probe."):
        plugin_app(Probe(register_attachment_types=lambda: [kind]))


def test_hook_register_commands(plugin_app):
    import click

    @click.command("probe")
    def probe_command():
        click.echo("probe ran")

    app = plugin_app(Probe(register_commands=lambda cli: cli.add_command(probe_command)))
    result = app.test_cli_runner().invoke(args=["forum", "probe"])
    assert result.exit_code == 0, result.output
    assert "probe ran" in result.output


def test_commands_must_be_named_after_the_plugin(plugin_app):
    import click

    stray = click.Command("launch", callback=lambda: None)
    with pytest.raises(PluginError, match="only one named 'probe'"):
        plugin_app(Probe(register_commands=lambda cli: cli.add_command(stray)))


def test_hook_seed_demo_data(plugin_app):
    seen = {}

    def seed_demo_data(users, categories):
        seen["users"], seen["categories"] = set(users), set(categories)

    plugin_app(Probe(seed_demo_data=seed_demo_data))
    from forum.demo import seed

    seed.seed_demo()
    assert "admin" not in seen["users"] and len(seen["users"]) >= 20
    assert "uncategorized" in seen["categories"]


# -- Rendering hooks --------------------------------------------------------------------------


def _mark_extension(md):
    """``==word==`` becomes ``<mark>word</mark>``."""

    def rule(state, silent):
        src, pos = state.src, state.pos
        if not src.startswith("==", pos):
            return False
        end = src.find("==", pos + 2)
        if end < 0 or end == pos + 2:
            return False
        if not silent:
            token = state.push("html_inline", "", 0)
            token.content = f"<mark>{src[pos + 2 : end]}</mark>"
        state.pos = end + 2
        return True

    md.inline.ruler.before("emphasis", "probe_mark", rule)
    md.options["html"] = True  # let the html_inline token through to the sanitizer


def test_hook_markdown_extensions(plugin_app):
    plugin_app(Probe(markdown_extensions=lambda: [_mark_extension]))
    cooked = cook("Read ==this== first")
    # Without a declared allowlist the sanitizer, the last writer of HTML, strips <mark>.
    assert "<mark>" not in cooked.html and "this" in cooked.html
    assert cooked.version != COOK_VERSION  # a rebake --stale would re-cook old posts


def test_hook_sanitizer_allowlist(plugin_app):
    plugin_app(
        Probe(
            markdown_extensions=lambda: [_mark_extension],
            sanitizer_allowlist=lambda: {"tags": ["mark"]},
        )
    )
    assert cook("Read ==this== first").html == "<p>Read <mark>this</mark> first</p>"
    # The core's own quotes still work: they come through the same hooks.
    assert '<aside class="quote"' in cook('[quote="sam, post:1, topic:2"]\nhi\n[/quote]').html


@pytest.mark.parametrize(
    "allowlist",
    [{"tags": ["script"]}, {"attributes": {"p": ["onclick"]}}, {"protocols": ["javascript"]}],
)
def test_the_sanitizer_refuses_dangerous_allowlists(plugin_app, allowlist):
    with pytest.raises(PluginError, match="never allows"):
        plugin_app(Probe(sanitizer_allowlist=lambda: allowlist))


# -- Lifecycle hooks --------------------------------------------------------------------------


def lifecycle_probe():
    probe = Probe()

    @hookimpl
    def topic_created(topic, post, user, form):
        probe.calls.append(("topic_created", topic.id, post.post_number, user.id, dict(form)))

    @hookimpl
    def post_created(post, user):
        probe.calls.append(("post_created", post.id, post.post_number, user.id))

    @hookimpl
    def post_edited(post, previous_raw):
        probe.calls.append(("post_edited", post.id, previous_raw, post.raw))

    @hookimpl
    def post_deleted(post, user):
        probe.calls.append(("post_deleted", post.id, post.deleted_at is not None, user.id))

    @hookimpl
    def post_restored(post, user):
        probe.calls.append(("post_restored", post.id, post.deleted_at is None, user.id))

    for function in (topic_created, post_created, post_edited, post_deleted, post_restored):
        setattr(probe, function.__name__, function)
    return probe


def test_hook_topic_created(plugin_app):
    probe = lifecycle_probe()
    plugin_app(probe)
    user = make_user()
    category = make_category()
    post = services.create_topic(
        user,
        title="Extended access funding for 2026",
        raw="What are others doing?",
        category=category,
        form={"probe-note": "hello"},
    )
    assert probe.calls[0] == ("topic_created", post.topic_id, 1, user.id, {"probe-note": "hello"})
    assert probe.calls[1] == ("post_created", post.id, 1, user.id)  # after topic_created


def test_hook_post_created(plugin_app):
    probe = lifecycle_probe()
    plugin_app(probe)
    topic = make_topic().topic
    probe.calls.clear()
    reply = make_reply(topic)
    assert probe.calls == [("post_created", reply.id, 2, reply.user_id)]


def test_hook_post_edited(plugin_app):
    probe = lifecycle_probe()
    plugin_app(probe)
    post = make_topic(raw="The first version of this post.")
    probe.calls.clear()
    services.edit_post(post.user, post, raw="The second version of this post.")
    assert probe.calls == [
        (
            "post_edited",
            post.id,
            "The first version of this post.",
            "The second version of this post.",
        )
    ]


def test_hook_post_deleted(plugin_app):
    probe = lifecycle_probe()
    plugin_app(probe)
    topic = make_topic().topic
    reply = make_reply(topic)
    probe.calls.clear()
    services.delete_post(reply.user, reply)
    assert probe.calls == [("post_deleted", reply.id, True, reply.user_id)]


def test_hook_post_restored(plugin_app):
    probe = lifecycle_probe()
    plugin_app(probe)
    topic = make_topic().topic
    reply = make_reply(topic)
    moderator = make_user(role="moderator")
    services.delete_post(moderator, reply)
    probe.calls.clear()
    services.restore_post(moderator, reply)
    assert probe.calls == [("post_restored", reply.id, True, moderator.id)]


def _failing(exception):
    def post_created(post):
        raise exception

    return Probe(post_created=post_created)


def _counts(topic_id):
    return (
        db.session.scalar(select(func.count(Post.id)).where(Post.topic_id == topic_id)),
        db.session.get(Topic, topic_id).posts_count,
    )


def test_a_failing_lifecycle_hook_rolls_the_whole_write_back(plugin_app, caplog):
    plugin_app(_failing(RuntimeError("disk on fire")))
    topic = db.session.get(Topic, _topic_without_hooks())
    author = make_user()
    before = _counts(topic.id)
    with pytest.raises(PluginWriteFailed, match="probe plugin failed"):
        services.create_reply(author, topic, raw="This reply must not be kept.")
    db.session.expire_all()
    assert _counts(topic.id) == before
    assert db.session.get(type(author), author.id).post_count == 0
    assert "probe" in caplog.text and "disk on fire" in caplog.text
    # Nor is a new topic kept, with its counters.
    category = topic.category
    with pytest.raises(PluginWriteFailed):
        services.create_topic(
            author, title="A topic that will not be saved", raw="Text", category=category
        )
    assert db.session.scalar(select(func.count(Topic.id))) == 1
    db.session.expire_all()
    assert db.session.get(Category, category.id).topic_count == 1


def _topic_without_hooks() -> int:
    """A topic written directly (the failing plugin would refuse any written by services)."""
    user = make_user()
    category = make_category()
    topic = Topic(
        title="A topic with one post",
        slug="a-topic-with-one-post",
        category_id=category.id,
        user_id=user.id,
        posts_count=1,
        highest_post_number=1,
    )
    db.session.add(topic)
    db.session.flush()
    db.session.add(
        Post(
            topic_id=topic.id,
            post_number=1,
            user_id=user.id,
            raw="x",
            cooked="<p>x</p>",
            cooked_version=COOK_VERSION,
        )
    )
    category.topic_count = 1
    db.session.commit()
    return topic.id


def test_a_lifecycle_failure_is_a_clear_page_and_nothing_is_saved(plugin_app, auth_for):
    app = plugin_app(_failing(RuntimeError("boom")))
    topic_id = _topic_without_hooks()
    user = make_user()
    client = app.test_client()
    auth_for(client).login_as(user)
    response = client.post(f"/t/{topic_id}/reply", data={"raw": "A reply that fails."})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "probe plugin failed" in page and "nothing was saved" in page
    assert _counts(topic_id) == (1, 1)


def test_a_plugin_can_refuse_a_write_with_a_message(plugin_app, auth_for):
    app = plugin_app(_failing(ValidationFailed("Replies are paused during the ballot.")))
    topic_id = _topic_without_hooks()
    client = app.test_client()
    auth_for(client).login_as(make_user())
    response = client.post(f"/t/{topic_id}/reply", data={"raw": "Can I still reply?"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Replies are paused during the ballot." in page
    assert "Can I still reply?" in page  # the text typed is kept in the form
    assert _counts(topic_id) == (1, 1)


# -- Permissions ------------------------------------------------------------------------------


def test_hook_permission_allowed(plugin_app, auth_for):
    quiet = {}

    def permission_allowed(action, resource):
        if action == "topic.reply" and resource.category_id == quiet.get("id"):
            return Decision(False, "probe: the quiet room takes no replies")
        if action == "probe.launch":
            return Decision(True, "probe: anyone may launch")
        return None

    app = plugin_app(
        Probe(
            permission_allowed=permission_allowed,
            register_permissions=lambda: [Permission("probe.launch", "Launch")],
        )
    )
    member = make_user()
    quiet_room, open_room = make_category("Quiet room"), make_category("Open room")
    quiet["id"] = quiet_room.id
    quiet_topic = make_topic(member, quiet_room).topic
    open_topic = make_topic(member, open_room).topic
    assert can(member, "topic.reply", open_topic)
    assert not can(member, "topic.reply", quiet_topic)  # the plugin's deny wins
    assert can(member, "probe.launch")  # no default role, but the plugin allows
    # A plugin's allow never overturns the core's deny: visitors still cannot reply.
    from flask_login import AnonymousUserMixin

    assert not can(AnonymousUserMixin(), "topic.reply", open_topic)
    client = app.test_client()
    auth_for(client).login_as(member)
    response = client.post(f"/t/{quiet_topic.id}/reply", data={"raw": "Hello quiet room"})
    assert response.status_code == 403
    from forum.permissions import explain

    assert ("probe", Decision(False, "probe: the quiet room takes no replies")) in explain(
        member, "topic.reply", quiet_topic
    )


# -- Page contributions -----------------------------------------------------------------------


def test_hook_nav_items(plugin_app):
    app = plugin_app(Probe(nav_items=lambda: [NavItem("probe.nav", "Probe room", "/probe-room")]))
    page = app.test_client().get("/").get_data(as_text=True)
    assert 'data-nav="probe.nav"' in page and "Probe room" in page
    # The core's own links come through the same hook, in their order.
    assert page.index('data-nav="core.latest"') < page.index('data-nav="core.categories"')
    assert page.index('data-nav="core.categories"') < page.index('data-nav="probe.nav"')


def test_items_without_the_plugin_name_are_left_out(plugin_app, caplog):
    app = plugin_app(Probe(nav_items=lambda: [NavItem("nav", "Sneaky", "/x")]))
    page = app.test_client().get("/").get_data(as_text=True)
    assert "Sneaky" not in page
    assert "'probe'" in caplog.text


def _panel_probe(**extra):
    return Probe(
        category_panels=lambda category: [
            Panel("probe.facts", "Probe facts", "probe/panel.html", {"text": category.name})
        ],
        **extra,
    )


@pytest.fixture
def probe_templates(tmp_path):
    """A template folder for the probe plugin (a ``path`` attribute points at it)."""
    root = tmp_path / "probe_plugin"
    folder = root / "templates" / "probe"
    folder.mkdir(parents=True)
    (folder / "panel.html").write_text(
        "<p class='probe-panel'>Facts about {{ panel.context.text }}</p>"
    )
    (folder / "broken.html").write_text("{{ panel.context.missing.attribute.here }}")
    (folder / "list.html").write_text(
        "<p class='probe-list'>A custom list, page {{ panel.context.page }}</p>"
    )
    (folder / "extra.html").write_text(
        textwrap.dedent(
            """\
            <label for="probe-note">Note</label>
            <input id="probe-note" name="probe-note" value="{{ panel.context.value }}">
            """
        )
    )
    return root


def test_hook_category_panels(plugin_app, probe_templates):
    probe = _panel_probe()
    probe.path = probe_templates
    app = plugin_app(probe)
    enabled, other = make_category("Enabled room"), make_category("Other room")
    enable(enabled, "probe")
    client = app.test_client()
    page = client.get(f"/c/{enabled.slug}/{enabled.id}").get_data(as_text=True)
    assert "Probe facts" in page and "Facts about Enabled room" in page
    # Asked only where an admin enabled the plugin.
    page = client.get(f"/c/{other.slug}/{other.id}").get_data(as_text=True)
    assert "Probe facts" not in page


def test_a_failing_page_hook_does_not_take_the_page_down(plugin_app, probe_templates, caplog):
    def category_panels():
        raise KeyError("no such thing")

    broken = Probe(category_panels=category_panels)
    broken.name = "broken"
    good = _panel_probe()
    good.path = probe_templates
    app = plugin_app(broken, good)
    with caplog.at_level(logging.ERROR, logger="forum.plugins"):
        page = category_page(
            app, "Busy room", "probe", "broken", topic_title="A topic that must still be listed"
        )
    assert "A topic that must still be listed" in page and "Facts about Busy room" in page
    assert "plugin 'broken' failed in hook 'category_panels'" in caplog.text


def test_a_failing_panel_template_is_left_out(plugin_app, probe_templates, caplog):
    probe = Probe(
        category_panels=lambda: [Panel("probe.broken", "Broken panel", "probe/broken.html")]
    )
    probe.path = probe_templates
    category_page(plugin_app(probe), "Room", "probe")
    assert "plugin 'probe' failed to render 'probe/broken.html'" in caplog.text


def test_hook_category_list_view(plugin_app, probe_templates):
    probe = Probe(
        category_list_view=lambda page: ListView("probe.list", "probe/list.html", {"page": page})
    )
    probe.path = probe_templates
    app = plugin_app(probe)
    library, plain = make_category("Library"), make_category("Plain")
    enable(library, "probe")
    make_topic(category=library, title="A topic hidden behind the custom list")
    make_topic(category=plain, title="A topic in the ordinary list")
    client = app.test_client()
    page = client.get(f"/c/{library.slug}/{library.id}?page=2").get_data(as_text=True)
    assert "A custom list, page 2" in page
    assert "A topic hidden behind the custom list" not in page
    page = client.get(f"/c/{plain.slug}/{plain.id}").get_data(as_text=True)
    assert "A topic in the ordinary list" in page and "A custom list" not in page


def test_hook_topic_panels(plugin_app, probe_templates):
    probe = Probe(
        topic_panels=lambda topic: [
            Panel("probe.side", "Linked record", "probe/panel.html", {"text": topic.title})
        ]
    )
    probe.path = probe_templates
    app = plugin_app(probe)
    on, off = make_category("On"), make_category("Off")
    enable(on, "probe")
    shown = make_topic(category=on, title="A topic whose panel shows").topic
    hidden = make_topic(category=off, title="A topic without the panel").topic
    client = app.test_client()
    assert "Facts about A topic whose panel shows" in client.get(
        f"/t/{shown.slug}/{shown.id}"
    ).get_data(as_text=True)
    assert "Linked record" not in client.get(f"/t/{hidden.slug}/{hidden.id}").get_data(as_text=True)


def test_hook_topic_list_badges(plugin_app):
    probe = Probe()

    def topic_list_badges(topics):
        probe.calls.append(len(topics))
        return {t.id: [Badge("probe.new", "Fresh", "Added this week")] for t in topics[:1]}

    probe.topic_list_badges = hookimpl(topic_list_badges)
    app = plugin_app(probe)
    category = make_category()
    for n in range(3):
        make_topic(category=category, title=f"Topic number {n} in the badge test")
    page = app.test_client().get("/").get_data(as_text=True)
    assert probe.calls == [3]  # once per list, with every topic
    assert page.count('data-badge="probe.new"') == 1 and "Fresh" in page


def test_hook_post_actions(plugin_app):
    probe = Probe()

    def post_actions(posts, topic, user):
        probe.calls.append([p.post_number for p in posts])
        return {
            p.id: [ActionLink("probe.flag", "Flag for the LMC", f"/probe/{p.id}")] for p in posts
        }

    probe.post_actions = hookimpl(post_actions)
    app = plugin_app(probe)
    topic = make_topic().topic
    make_reply(topic)
    page = app.test_client().get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert probe.calls == [[1, 2]]  # once per page, with the page's posts
    assert page.count('data-action="probe.flag"') == 2


def test_hook_composer_extras(plugin_app, probe_templates, auth_for):
    probe = Probe()

    def composer_extras(category, user, form):
        value = form.get("probe-note", "")
        return [Panel("probe.note", "A note for the probe", "probe/extra.html", {"value": value})]

    def topic_created(topic, form):
        probe.calls.append((topic.title, form.get("probe-note")))

    probe.composer_extras = hookimpl(composer_extras)
    probe.topic_created = hookimpl(topic_created)
    probe.path = probe_templates
    app = plugin_app(probe)
    on, off = make_category("With extras"), make_category("Without extras")
    enable(on, "probe")
    client = app.test_client()
    auth_for(client).login_as(make_user())
    page = client.get(f"/new-topic?category={on.id}").get_data(as_text=True)
    assert "A note for the probe" in page and 'name="probe-note"' in page
    page = client.get(f"/new-topic?category={off.id}").get_data(as_text=True)
    assert "A note for the probe" not in page
    # Changing the category redraws the form with its extras, keeping what was typed.
    response = client.post(
        "/new-topic",
        data={"title": "Half-written title", "category": str(on.id), "action": "category"},
    )
    assert "A note for the probe" in response.get_data(as_text=True)
    assert "Half-written title" in response.get_data(as_text=True)
    response = client.post(
        "/new-topic",
        data={
            "title": "Locally commissioned phlebotomy",
            "raw": "Sharing our spec.",
            "category": str(on.id),
            "probe-note": "Spec attached later",
        },
    )
    assert response.status_code == 303
    assert probe.calls == [("Locally commissioned phlebotomy", "Spec attached later")]


def test_hook_user_profile_panels(plugin_app, probe_templates):
    probe = Probe(
        user_profile_panels=lambda profile_user, viewer: [
            Panel("probe.card", "Mentor card", "probe/panel.html", {"text": profile_user.username})
        ]
    )
    probe.path = probe_templates
    app = plugin_app(probe)
    make_user("j.patel")
    page = app.test_client().get("/u/j.patel").get_data(as_text=True)
    assert "Mentor card" in page and "Facts about j.patel" in page


# -- Loud failures at start-up ----------------------------------------------------------------


def test_an_unknown_slot_is_an_error():
    with pytest.raises(UnknownSlot):
        slot("category_panel", category=None, user=None)


def test_a_misspelt_hook_is_an_error_at_start_up(plugin_app):
    with pytest.raises(PluginError, match="nav_item"):
        plugin_app(Probe(nav_item=lambda: []))


@pytest.mark.parametrize("name", ["admin", "t", "Probe", "x", "has-dash", "cooked"])
def test_plugin_names_are_checked(plugin_app, name):
    probe = Probe()
    probe.name = name
    with pytest.raises(PluginError):
        plugin_app(probe)


def test_a_plugin_cannot_be_loaded_twice(plugin_app):
    with pytest.raises(PluginError, match="twice"):
        plugin_app(MEETINGS, MEETINGS)


def test_an_unimportable_plugin_says_which(plugin_app):
    with pytest.raises(PluginError, match="tests.plugins.nothing_here"):
        plugin_app("tests.plugins.nothing_here")


def test_plugins_come_from_the_setting_as_a_comma_separated_string(plugin_app):
    app = plugin_app()
    assert current_plugins().extensions == []
    app = plugin_app(PLUGINS=f"{MEETINGS}, ")
    assert [info.name for info in app.extensions["forum.plugins"].extensions] == ["meetings"]


def test_out_of_tree_plugins_load_from_entry_points(plugin_app, tmp_path, monkeypatch):
    site = tmp_path / "site"
    dist = site / "probe_ep-1.2.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: probe-ep\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text("[forum.plugins]\nprobe_ep = probe_ep_plugin\n")
    (site / "probe_ep_plugin.py").write_text(
        textwrap.dedent(
            '''\
            """An out-of-tree plugin installed as a package."""
            from forum import hookimpl
            from forum.hooktypes import NavItem

            @hookimpl
            def nav_items():
                return [NavItem("probe_ep.nav", "From a package", "/elsewhere")]
            '''
        )
    )
    monkeypatch.syspath_prepend(str(site))
    app = plugin_app(LOAD_ENTRY_POINTS=True)
    info = app.extensions["forum.plugins"].infos["probe_ep"]
    assert (info.source, info.version) == ("entry point", "1.2")
    assert "From a package" in app.test_client().get("/").get_data(as_text=True)
    # Off, as in the test suite's other apps: not loaded.
    app = plugin_app(LOAD_ENTRY_POINTS=False)
    assert "probe_ep" not in app.extensions["forum.plugins"].infos


def test_each_app_has_its_own_plugins(plugin_app):
    with_meetings = plugin_app(MEETINGS)
    without = plugin_app()
    assert (
        with_meetings.extensions["forum.plugins"].pm is not without.extensions["forum.plugins"].pm
    )
    assert without.test_client().get("/meetings/").status_code == 404
    assert "meetings.schedule" not in without.extensions["forum.plugins"].permissions


def test_malformed_batch_answers_are_left_out(plugin_app, caplog):
    probe = Probe(topic_list_badges=lambda topics: {t.id: Badge("probe.x", "X") for t in topics})
    app = plugin_app(probe)
    make_topic(title="A topic whose badge answer is malformed")
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "A topic whose badge answer is malformed" in response.get_data(as_text=True)
    assert "must map ids to lists" in caplog.text


def test_a_failing_permission_check_names_its_plugin(plugin_app, caplog):
    def permission_allowed(action):
        if action == "topic.see":
            raise RuntimeError("lookup failed")

    app = plugin_app(Probe(permission_allowed=permission_allowed))
    topic = make_topic().topic
    response = app.test_client().get(f"/t/{topic.slug}/{topic.id}")
    assert response.status_code == 500
    assert "plugin 'probe' failed in hook 'permission_allowed'" in caplog.text


def test_the_renderer_version_follows_a_plugins_cooking_version(plugin_app):
    probe = Probe(markdown_extensions=lambda: [_mark_extension])
    probe.COOK_VERSION = "1"
    plugin_app(probe)
    first = cook("x").version
    probe = Probe(markdown_extensions=lambda: [_mark_extension])
    probe.COOK_VERSION = "2"
    plugin_app(probe)
    assert cook("x").version not in (first, COOK_VERSION)


def test_a_plugin_modules_name_comes_from_its_module(plugin_app, tmp_path, monkeypatch):
    (tmp_path / "weather_station.py").write_text('name = "Weather station"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    app = plugin_app("weather_station")
    assert "weather_station" in app.extensions["forum.plugins"].infos


# -- Malformed or failing plugins never take a page down ---------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        NavItem(None, "No key", "/x"),  # type: ignore[arg-type]
        NavItem("probe.nav", "No URL", None),  # type: ignore[arg-type]
        NavItem("probe.nav", "Odd order", "/x", order="high"),  # type: ignore[arg-type]
    ],
)
def test_malformed_items_are_left_out(plugin_app, caplog, item):
    app = plugin_app(Probe(nav_items=lambda: [item]))
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "with bad" in caplog.text


def _broken_sql():
    db.session.execute(text("SELECT * FROM probe_missing_table"))


def test_a_plugins_failed_query_does_not_abort_the_page(plugin_app, probe_templates, caplog):
    """On PostgreSQL a failed statement aborts the whole transaction; the core ends it, so
    what is drawn afterwards (here another plugin's panel, which reads the database) still
    works. CI runs this on both databases."""

    def topic_list_badges():
        _broken_sql()

    def category_panels():
        count = db.session.scalar(select(func.count(Topic.id)))
        return [
            Panel("probe.count", "Topic count", "probe/panel.html", {"text": f"{count} topics"})
        ]

    broken = Probe(topic_list_badges=topic_list_badges)
    broken.name = "broken"
    good = Probe(category_panels=category_panels)
    good.path = probe_templates
    app = plugin_app(broken, good)
    title = "A topic listed after the plugin failed"
    page = category_page(app, "Room with a broken plugin", "probe", "broken", topic_title=title)
    assert "A topic listed after the plugin failed" in page
    assert "Facts about 1 topics" in page  # the query after the failure worked
    assert "probe_missing_table" in caplog.text


def test_only_html_templates_are_drawn(plugin_app, probe_templates, caplog):
    (probe_templates / "templates" / "probe" / "raw.jinja").write_text("{{ panel.title }}")
    probe = Probe(category_panels=lambda: [Panel("probe.raw", "<b>x</b>", "probe/raw.jinja")])
    probe.path = probe_templates
    assert "<b>x</b>" not in category_page(plugin_app(probe), "Room", "probe")
    assert "must be an .html file" in caplog.text


def test_hook_wrappers_are_refused(plugin_app):
    probe = Probe()

    @hookimpl(wrapper=True)
    def nav_items():
        return (yield)

    probe.nav_items = nav_items
    with pytest.raises(PluginError, match="wrappers are not supported"):
        plugin_app(probe)


def test_no_plugin_can_take_the_name_of_a_post_field(app):
    """Post JSON carries a plugin's attachments under its name: every field the API sends
    for a post is a reserved name."""
    from forum.api.serializers import serialize_post
    from forum.plugin_system.manager import RESERVED_NAMES

    post = make_topic()
    fields = set(serialize_post(post, post.user, topic=post.topic, include_raw=True))
    assert fields <= RESERVED_NAMES


def _broken_attachment_type(**overrides):
    from forum.hooktypes import AttachmentType

    fields = dict(
        key="probe.thing",
        label="Thing",
        load=lambda ids, user: {i: f"thing {i}" for i in ids},
        validate=lambda user, ref, post: int(ref),  # ValueError on "x"
        template="probe/panel.html",
        to_json=lambda thing: {"name": thing},
        options=lambda user, category: [("1", "Thing 1")],
        everywhere=True,
    )
    fields.update(overrides)
    return AttachmentType(**fields)


def test_a_failing_attachment_plugin_is_a_message_not_a_500(plugin_app, probe_templates, auth_for):
    def options(user, category):
        raise RuntimeError("options down")

    kind = _broken_attachment_type(options=options, load=lambda ids, user: list(ids))
    probe = Probe(register_attachment_types=lambda: [kind])
    probe.path = probe_templates
    app = plugin_app(probe)
    author = make_user()
    post = make_topic(author)
    client = app.test_client()
    auth_for(client).login_as(author)
    # validate raising something other than ValidationFailed: a message, nothing attached.
    response = client.post(
        f"/posts/{post.id}/attachments", data={"type": "probe.thing", "ref": "x"}
    )
    assert response.status_code == 422
    assert "could not be checked" in response.get_data(as_text=True)
    # options raising: the attach page and the composer still draw.
    assert client.get(f"/posts/{post.id}/attachments").status_code == 200
    assert client.get(f"/t/{post.topic_id}/reply").status_code == 200
    # load returning a list instead of a dict: the post shows without the attachment.
    client.post(f"/posts/{post.id}/attachments", data={"type": "probe.thing", "ref": "1"})
    assert db.session.get(Post, post.id).attachment_count == 1
    assert client.get(f"/t/{post.topic.slug}/{post.topic_id}").status_code == 200
    assert "probe" not in client.get(f"/posts/{post.id}.json").get_json()


def test_attachment_templates_must_be_html(plugin_app):
    kind = _broken_attachment_type(template="probe/card.txt")
    with pytest.raises(PluginError, match=".html"):
        plugin_app(Probe(register_attachment_types=lambda: [kind]))


# -- Search ------------------------------------------------------------------------------------


def _note_type(key="probe.note", name="note", notes=None, scopes=None):
    """A search type whose documents are ``notes`` (``{id: text}``), visible to members."""
    from forum.database import utcnow
    from forum.hooktypes import SearchDocument, SearchType

    notes = {} if notes is None else notes

    def load(ids):
        return [
            SearchDocument(
                kind=key,
                object_id=i,
                title=f"Note {i}",
                body=notes[i],
                url=f"/probe/notes/{i}",
                scope="probe:members",
                created_at=utcnow(),
            )
            for i in ids
            if i in notes
        ]

    def member_scopes(user):
        return {"probe:members"} if user.is_authenticated else set()

    return SearchType(
        key=key,
        name=name,
        label="Notes",
        load=load,
        all_ids=lambda: sorted(notes),
        scopes=scopes or member_scopes,
    )


def test_hook_register_search_types(plugin_app):
    from forum import search
    from forum.accounts.models import AnonymousUser
    from forum.search.service import search as run_search

    notes = {1: "The phlebotomy tariff for 2025 is attached."}
    plugin_app(Probe(register_search_types=lambda: [_note_type(notes=notes)]))
    assert set(current_plugins().search_type_names) == {"post", "note"}
    search.changed("probe.note", [1])
    db.session.commit()
    member = make_user()
    found = run_search(member, "phlebotomy type:note")
    assert [(r.kind, r.url, r.label) for r in found.results] == [
        ("probe.note", "/probe/notes/1", "Notes")
    ]
    assert "<mark>phlebotomy</mark>" in found.results[0].blurb
    # The type's scopes decide who finds its documents: not a visitor.
    assert run_search(AnonymousUser(), "phlebotomy").results == []
    # Gone from the plugin's data: gone from search once told.
    notes.clear()
    search.changed("probe.note", [1])
    db.session.commit()
    assert run_search(member, "phlebotomy").results == []


def test_search_types_must_be_namespaced_and_unique(plugin_app):
    with pytest.raises(PluginError, match="probe."):
        plugin_app(Probe(register_search_types=lambda: [_note_type(key="note")]))
    with pytest.raises(PluginError, match="registered twice"):
        plugin_app(Probe(register_search_types=lambda: [_note_type(name="post")]))
    with pytest.raises(PluginError, match="plain name"):
        plugin_app(Probe(register_search_types=lambda: [_note_type(name="No Spaces")]))
    with pytest.raises(PluginError, match="reserved"):
        plugin_app(Probe(register_search_types=lambda: [_note_type(name="topic")]))
    with pytest.raises(PluginError, match="at most 40"):
        plugin_app(Probe(register_search_types=lambda: [_note_type(key="probe." + "n" * 40)]))


def test_a_search_type_cannot_grant_a_category_scope(plugin_app):
    from forum.search.service import search as run_search

    sneaky = _note_type(scopes=lambda user: {"probe:members", f"category:{lounge.id}"})
    plugin_app(Probe(register_search_types=lambda: [sneaky]))
    lounge = make_category("Lounge", permissions={"staff": 3})
    make_topic(make_user(role="admin"), lounge, title="Confidential lounge phlebotomy notes")
    assert run_search(make_user(), "phlebotomy").results == []


def test_hook_search_synonyms(plugin_app):
    from forum.search.service import search as run_search

    groups = [("LES", "LCS", "locally commissioned service"), ("INR", "anticoagulation")]
    plugin_app(Probe(search_synonyms=lambda: groups))
    category = make_category()
    make_topic(category=category, title="Our new LES for wound care", raw="Signed off today.")
    make_topic(category=category, title="Anticoagulation monitoring", raw="Warfarin clinics.")
    make_topic(
        category=category,
        title="Funding locally commissioned services",
        raw="What do other areas pay?",
    )
    user = make_user()
    titles = {r.title for r in run_search(user, "LCS").results}
    assert titles == {"Our new LES for wound care", "Funding locally commissioned services"}
    assert {r.title for r in run_search(user, "INR monitoring").results} == {
        "Anticoagulation monitoring"
    }


def test_synonym_groups_are_checked(plugin_app):
    with pytest.raises(PluginError, match="two or more"):
        plugin_app(Probe(search_synonyms=lambda: [("LES",)]))


def test_hook_register_notification_types(plugin_app):
    from forum.hooktypes import NotificationType
    from forum.notifications import notify, unread_count
    from forum.notifications.service import notifications_for

    plugin_app(Probe(register_notification_types=lambda: [NotificationType("probe.ping", "Pings")]))
    assert current_plugins().notification_types["probe.ping"].label == "Pings"
    member = make_user()
    notify(member.id, "probe.ping", message="Your ping arrived", url="/probe/1", dedupe_key="p:1")
    db.session.commit()
    assert unread_count(member) == 1
    page = notifications_for(member)
    [shown] = page.notifications
    assert (page.described[shown.id].text, page.described[shown.id].url) == (
        "Your ping arrived",
        "/probe/1",
    )


def test_notification_types_must_be_namespaced_and_unique(plugin_app):
    from forum.hooktypes import NotificationType

    with pytest.raises(PluginError, match="probe."):
        plugin_app(Probe(register_notification_types=lambda: [NotificationType("ping", "P")]))
    with pytest.raises(PluginError, match="registered twice"):
        plugin_app(
            Probe(
                register_notification_types=lambda: [
                    NotificationType("probe.ping", "P"),
                    NotificationType("probe.ping", "Q"),
                ]
            )
        )
