"""``flask forum …`` commands: init, create-admin, api-key, seed-demo and rebake."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import func, select

from forum.accounts import services as accounts
from forum.accounts.models import AnonymousUser, Group, User
from forum.bootstrap import UNCATEGORIZED
from forum.categories.models import Category
from forum.database import utcnow
from forum.demo import content
from forum.demo.seed import CREDENTIALS_FILE, thread_timeline
from forum.errors import NotFound
from forum.extensions import db
from forum.permissions import category_levels
from forum.topics import queries
from forum.topics.models import Post, Topic
from tests.contract.databases import BACKENDS, bare_app, scratch_database, skip_reason
from tests.factories import make_reply, make_topic, make_user

# init on an empty database ------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def bare(request, tmp_path):
    """An app on a database with nothing in it, and a CLI runner for it."""
    reason = skip_reason(request.param)
    if reason:
        pytest.skip(reason)
    with scratch_database(tmp_path, request.param) as url:
        app = bare_app(url, tmp_path)
        yield app, app.test_cli_runner()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_init_is_safe_to_run_twice(bare):
    app, runner = bare
    for _ in range(2):
        result = runner.invoke(args=["forum", "init"])
        assert result.exit_code == 0, result.output
        assert "The forum is ready." in result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(Group.name))) == ["everyone", "members"]
        slugs = list(db.session.scalars(select(Category.slug)))
        assert slugs == [UNCATEGORIZED]


def test_init_with_admin_creates_it_once(bare):
    app, runner = bare
    args = ["forum", "init", "--admin", "Boss", "--email", "boss@example.org"]
    first = runner.invoke(args=[*args, "--password", "a long enough secret"])
    assert first.exit_code == 0, first.output
    assert "Created admin 'Boss'" in first.output
    # The second run must neither fail nor touch the existing account's password.
    second = runner.invoke(args=[*args, "--password", "another long secret"])
    assert second.exit_code == 0, second.output
    assert "already exists" in second.output
    with app.app_context():
        admins = db.session.scalars(select(User)).all()
        assert [(u.username, u.role, u.status) for u in admins] == [("Boss", "admin", "active")]
        assert accounts.verify_password(admins[0], "a long enough secret")


def test_init_admin_without_password_is_a_usage_error(bare):
    _app, runner = bare
    result = runner.invoke(args=["forum", "init", "--admin", "boss"])
    assert result.exit_code == 2
    assert "--email and --password are needed" in result.output


# create-admin and api keys (on the fixture database) -----------------------------------------


def test_create_admin_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["forum", "create-admin", "chief", "--email", "chief@example.org"],
        input="a long enough secret\na long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    user = accounts.find_user("chief")
    assert user.is_admin and user.is_active
    assert accounts.verify_password(user, "a long enough secret")


def test_create_admin_reports_a_bad_password(runner):
    result = runner.invoke(
        args=["forum", "create-admin", "chief", "--email", "chief@example.org"],
        input="short\nshort\n",
    )
    assert result.exit_code == 1
    assert "Password is too short" in result.output
    assert accounts.find_user("chief") is None


def test_api_key_create_prints_the_key_last_and_it_authenticates(runner):
    make_user("alice")
    result = runner.invoke(args=["forum", "api-key", "create", "alice"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert accounts.api_key_user(key, "alice").username == "alice"
    assert accounts.api_key_user(key, None).username == "alice"
    # A user key cannot act as somebody else, and a wrong key is nobody.
    make_user("bob")
    assert accounts.api_key_user(key, "bob") is None
    assert accounts.api_key_user(key[:-1] + "x", "alice") is None

    key_id = re.search(r"API key #(\d+)", result.output).group(1)
    revoked = runner.invoke(args=["forum", "api-key", "revoke", key_id])
    assert revoked.exit_code == 0, revoked.output
    assert accounts.api_key_user(key, "alice") is None


def test_all_users_api_key_acts_as_the_named_user(runner):
    make_user("alice")
    result = runner.invoke(args=["forum", "api-key", "create", "--all-users"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert accounts.api_key_user(key, "alice").username == "alice"
    assert accounts.api_key_user(key, "nobody") is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ghost"], 1, "No user called 'ghost'"),
        ([], 2, "Give either a USERNAME or --all-users"),
        (["alice", "--all-users"], 2, "Give either a USERNAME or --all-users"),
    ],
)
def test_api_key_create_refuses_bad_arguments(runner, args, code, message):
    make_user("alice")
    result = runner.invoke(args=["forum", "api-key", "create", *args])
    assert result.exit_code == code
    assert message in result.output


def test_api_key_revoke_unknown_key(runner):
    result = runner.invoke(args=["forum", "api-key", "revoke", "999"])
    assert result.exit_code == 1
    assert "No API key #999" in result.output


# seed-demo ----------------------------------------------------------------------------------


def _seed(runner, *flags):
    result = runner.invoke(args=["forum", "seed-demo", *flags])
    assert result.exit_code == 0, result.output
    return result.output


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_creates_the_demo_forum(app, runner):
    output = _seed(runner, "--if-empty")
    assert _count(Category) == 15 + 1  # and Uncategorized
    assert _count(User) == 24 + 1  # and admin
    assert _count(Topic) == 32
    assert _count(Post) == 32 + sum(len(t["replies"]) for t in content.THREADS)

    admin_password = re.search(r"login as admin / (\S+)", output).group(1)
    member_password = re.search(r"sign in with: (\S+)", output).group(1)
    assert "Sign in at http://127.0.0.1:5000/login as admin / " in output
    admin = accounts.find_user("admin")
    assert admin.is_admin and admin.is_active
    assert accounts.verify_password(admin, admin_password)
    for username in ("helen.marsh", "amy.foulkes"):
        assert accounts.verify_password(accounts.find_user(username), member_password)
    assert admin_password != member_password

    path = Path(app.config["DATA_DIR"], CREDENTIALS_FILE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = path.read_text()
    assert f"admin_password = {admin_password}" in saved
    assert f"member_password = {member_password}" in saved

    helen = accounts.find_user("helen.marsh")
    assert helen.role == "moderator" and helen.organisation.name == "Devon LMC"
    assert helen.organisation.parent is None
    tower = accounts.find_user("nikhil.varma").organisation
    assert tower.parent.name == "Londonwide LMCs"


def test_seed_demo_if_empty_skips_and_repeats_the_logins(runner):
    first = _seed(runner)
    admin_password = re.search(r"login as admin / (\S+)", first).group(1)
    posts = _count(Post)

    again = _seed(runner, "--if-empty")
    assert again.startswith("Demo data already present; admin login: admin / " + admin_password)
    assert _count(Post) == posts

    # Without the flag it adds only what is missing: nothing, here.
    repeat = _seed(runner)
    assert "Skipped 32 threads that already exist." in repeat
    assert f"login as admin / {admin_password}" in repeat
    assert (_count(Topic), _count(Post), _count(User)) == (32, posts, 25)


def test_seed_demo_if_empty_leaves_a_forum_with_topics_alone(runner):
    make_topic()
    output = _seed(runner, "--if-empty")
    assert output.strip() == "Demo data already present; nothing to do."
    assert _count(Topic) == 1
    assert accounts.find_user("admin") is None


def test_seed_demo_never_prints_a_stale_admin_password(app, runner):
    """The credentials file can outlive its database; a password that no longer signs in
    as ``admin`` (here: an admin made by ``init --admin``) must not be printed."""
    make_user("admin", role="admin", password="the real admin password")
    Path(app.config["DATA_DIR"], CREDENTIALS_FILE).write_text(
        "admin_password = stale-password-1\nmember_password = shared-password-2\n"
    )
    output = _seed(runner)
    assert "stale-password-1" not in output
    assert "The account 'admin' already existed; its password is unchanged." in output
    assert "sign in with: shared-password-2" in output
    assert accounts.verify_password(accounts.find_user("helen.marsh"), "shared-password-2")

    again = _seed(runner, "--if-empty")
    assert "stale-password-1" not in again
    assert again.startswith("Demo data already present; demo member login: ")


def test_seed_demo_keeps_the_officers_lounge_private(runner):
    _seed(runner)
    lounge = db.session.scalar(select(Category).where(Category.slug == "officers-lounge"))
    private_topic = db.session.scalar(select(Topic).where(Topic.category_id == lounge.id))
    public_ids = set(db.session.scalars(select(Category.id).where(Category.id != lounge.id)))

    def levels(user):
        g.pop("forum_category_levels", None)  # computed per request; here, per check
        return category_levels(user)

    anonymous = AnonymousUser()
    assert set(levels(anonymous)) == public_ids
    assert lounge.id not in levels(accounts.find_user("amy.foulkes"))  # LMC staff, not officer
    assert lounge.id in levels(accounts.find_user("owain.llewellyn"))  # an officer
    assert lounge.id in levels(accounts.find_user("admin"))  # staff see everything
    g.pop("forum_category_levels", None)
    with pytest.raises(NotFound):
        queries.get_topic(anonymous, private_topic.id)


def test_seed_demo_counters_and_dates_are_consistent(runner):
    before = utcnow()
    _seed(runner)
    topics = db.session.scalars(select(Topic)).all()
    posts = db.session.scalars(select(Post).order_by(Post.topic_id, Post.post_number)).all()
    by_topic: dict[int, list[Post]] = {}
    for post in posts:
        by_topic.setdefault(post.topic_id, []).append(post)

    for topic in topics:
        stream = by_topic[topic.id]
        assert [p.post_number for p in stream] == list(range(1, len(stream) + 1))
        assert topic.posts_count == topic.highest_post_number == len(stream)
        times = [p.created_at for p in stream]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert topic.created_at == stream[0].created_at
        assert topic.bumped_at == topic.last_posted_at == stream[-1].created_at
        assert topic.last_post_user_id == stream[-1].user_id
        for post in stream:
            replies = sum(1 for p in stream if p.reply_to_post_number == post.post_number)
            assert post.reply_count == replies

    # Spread over roughly the past two months, nothing in the future.
    created = [p.created_at for p in posts]
    assert max(created) <= before
    assert min(created) >= before - timedelta(days=61)
    assert max(created) - min(created) > timedelta(days=40)

    for category in db.session.scalars(select(Category)):
        mine = [t for t in topics if t.category_id == category.id]
        assert category.topic_count == len(mine)
        assert category.post_count == sum(t.posts_count for t in mine)
    for user in db.session.scalars(select(User)):
        mine = [p for p in posts if p.user_id == user.id]
        assert user.post_count == len(mine)
        assert user.last_posted_at == (max(p.created_at for p in mine) if mine else None)


def test_seed_demo_renders_quotes_and_mentions(runner):
    _seed(runner)
    thread = content.THREADS[0]
    topic = db.session.scalar(select(Topic).where(Topic.title == thread["title"]))
    second = queries.get_post_by_number(AnonymousUser(), topic, 2)
    assert second.raw.startswith(f'[quote="{thread["author"]}, post:1, topic:{topic.id}"]\n')
    assert second.reply_to_post_number == 1
    assert '<aside class="quote"' in second.cooked
    assert f'data-topic="{topic.id}"' in second.cooked
    third = queries.get_post_by_number(AnonymousUser(), topic, 3)
    assert 'href="/u/deborah.akers"' in third.cooked  # "@deborah.akers" became a link


def test_thread_timeline_is_deterministic_and_in_the_past():
    now = utcnow().replace(microsecond=0)
    first, second = thread_timeline(now), thread_timeline(now)
    assert first == second
    assert len(first) == len(content.THREADS)
    for times, thread in zip(first, content.THREADS, strict=True):
        assert len(times) == 1 + len(thread["replies"])
        assert all(a < b for a, b in zip(times, times[1:], strict=False))
        assert now - timedelta(days=61) <= times[0] and times[-1] <= now


# rebake -------------------------------------------------------------------------------------


def test_rebake_stale_only_recooks_stale_posts(app, runner):
    stale = make_topic(raw="Some **bold** words for the stale post.")
    fresh = make_reply(stale.topic, raw="A reply that is *already* current.")
    stale.cooked, stale.cooked_version = "<p>old output</p>", "core:0"
    # Current version but odd HTML: --stale must leave it alone, a full rebake must not.
    fresh.cooked = "<p>left alone</p>"
    db.session.commit()

    result = runner.invoke(args=["forum", "rebake", "--stale"])
    assert result.exit_code == 0, result.output
    assert "Rebaked 1 posts." in result.output
    db.session.expire_all()
    version = app.extensions["forum.renderer"].version
    assert stale.cooked_version == version
    assert "<strong>bold</strong>" in stale.cooked
    assert fresh.cooked == "<p>left alone</p>"

    result = runner.invoke(args=["forum", "rebake"])
    assert result.exit_code == 0, result.output
    assert "Rebaked 2 posts." in result.output
    db.session.expire_all()
    assert "<em>already</em>" in fresh.cooked
