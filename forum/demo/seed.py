"""Load the demo content (:mod:`forum.demo.content`) into the database.

Everything goes through the same code paths as real use where it matters: threads and
replies are written by :func:`forum.topics.services.create_topic` and
:func:`~forum.topics.services.create_reply`, so counters, post numbers, reply counts and
cooked HTML are exactly what the forum itself would store. Only the timestamps are moved
afterwards (a seed run takes seconds, but a forum whose every post is "just now" does not
look like a forum), spreading the threads over the past ~60 days with a seeded random
generator so every run produces the same shape.

Seeding is additive and safe to repeat: organisations, groups, categories and users are
matched by name, slug or username and created only when missing, and a thread whose title
already exists is skipped.

Logins: the ``admin`` account and all demo users get random passwords from :mod:`secrets`.
The demo users share one password, so that anyone trying the demo can sign in as a member
as well as the admin. Both are printed once and kept in ``DATA_DIR/admin-credentials.txt``
(mode 0600), which later runs read back to remind whoever runs ``make run`` again.
"""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from forum.accounts import services as accounts
from forum.accounts.models import EVERYONE, MEMBERS, Group, Organisation, User
from forum.bootstrap import ensure_defaults
from forum.categories.models import CREATE, SEE, Category, CategoryPermission
from forum.database import utcnow
from forum.demo import content
from forum.extensions import db
from forum.mail.models import OutgoingMail
from forum.notifications.models import WATCHING, NotificationEvent
from forum.plugin_system import fire
from forum.topics import services as topics
from forum.topics.models import Post, Topic

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.org"
CREDENTIALS_FILE = "admin-credentials.txt"
#: Seed for the timestamp generator: the same seed gives the same spread of dates.
TIMELINE_SEED = 2025
#: Threads start between these many days ago …
OLDEST_DAYS, NEWEST_DAYS = 60, 1.5
#: … and nothing is dated later than this before "now".
QUIET_TAIL = timedelta(minutes=20)

#: Display names for the groups the demo users belong to.
GROUP_LABELS = {
    "officers": "LMC officers",
    "lmc-staff": "LMC staff",
    "lmcsn-staff": "LMCSN staff",
    "gps": "GPs",
    "nurses": "Practice nurses",
    "practice-managers": "Practice managers",
}


@dataclass
class Credentials:
    """The passwords this seed set (or found in the credentials file)."""

    admin_password: str | None = None
    member_password: str | None = None

    def lines(self, sample_member: str) -> list[str]:
        out = []
        if self.admin_password:
            out.append(f"admin login: {ADMIN_USERNAME} / {self.admin_password}")
        if self.member_password:
            out.append(
                f"demo member login: any demo username (e.g. {sample_member}) / "
                f"{self.member_password}"
            )
        return out


@dataclass
class SeedReport:
    organisations: int = 0
    groups: int = 0
    categories: int = 0
    users: int = 0
    topics: int = 0
    posts: int = 0
    skipped_threads: list[str] = field(default_factory=list)
    admin_created: bool = False
    credentials: Credentials = field(default_factory=Credentials)


# Credentials file ---------------------------------------------------------------------------


def credentials_path() -> str:
    return os.path.join(current_app.config["DATA_DIR"], CREDENTIALS_FILE)


def read_credentials() -> Credentials:
    """The passwords saved by an earlier run (empty when there is no file)."""
    creds = Credentials()
    try:
        with open(credentials_path(), encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if not sep:
                    continue
                if key.strip() == "admin_password":
                    creds.admin_password = value.strip() or None
                elif key.strip() == "member_password":
                    creds.member_password = value.strip() or None
    except FileNotFoundError:
        pass
    return creds


def write_credentials(creds: Credentials) -> str:
    """Save ``creds`` readable by the owner only; returns the path."""
    path = credentials_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = (
        "# LMC Hub demo logins, written by `flask forum seed-demo`. Keep this file private.\n"
        f"# Sign in at /login as {ADMIN_USERNAME!r} with admin_password, or as any demo user\n"
        f"# (e.g. {demo_member_example()}) with member_password.\n"
        f"admin_password = {creds.admin_password or ''}\n"
        f"member_password = {creds.member_password or ''}\n"
    )
    # O_CREAT with 0600 covers a new file; chmod covers one that existed with looser bits.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def saved_admin_password(saved: Credentials) -> str | None:
    """The saved admin password, if it is still the ``admin`` account's password (the file
    may outlive the database it was written for)."""
    admin = accounts.find_user(ADMIN_USERNAME)
    if admin and saved.admin_password and accounts.verify_password(admin, saved.admin_password):
        return saved.admin_password
    return None


def new_password() -> str:
    # 16 URL-safe characters (96 bits): easy to copy from a terminal, well over the minimum.
    return secrets.token_urlsafe(12)


def seed_plugins() -> None:
    """Run the plugins' ``seed_demo_data`` on the demo people and categories that exist
    (``seed-demo --if-empty`` on a forum that has topics: a plugin added later still gets
    its demo rows; the hook adds only what is missing)."""
    usernames = [data["username"] for data in content.USERS]
    users = {
        user.username: user
        for user in db.session.scalars(select(User).where(User.username.in_(usernames)))
    }
    categories = {category.slug: category for category in db.session.scalars(select(Category))}
    fire("seed_demo_data", users=users, categories=categories)
    db.session.commit()


def has_topics() -> bool:
    return db.session.scalar(select(Topic.id).limit(1)) is not None


# The seed -----------------------------------------------------------------------------------


def seed_demo(
    *,
    now: datetime | None = None,
    progress: Callable | None = None,
) -> SeedReport:
    """Create whatever of the demo content is missing. ``progress(iterable, length)`` may wrap
    the thread loop (the CLI passes a progress bar)."""
    now = now or utcnow()
    report = SeedReport()
    saved = read_credentials()
    ensure_defaults()
    orgs = _seed_organisations(report)
    groups = _seed_groups(report)
    categories = _seed_categories(report, groups)
    report.credentials.member_password = saved.member_password or new_password()
    users = _seed_users(report, orgs, groups, report.credentials.member_password, now)
    report.credentials.admin_password = _seed_admin(report, saved, now)
    _seed_threads(report, categories, users, now, progress)
    _quiet_history(categories)
    # Then each plugin's demo rows (SLAs, library items, mentors), through the same hook.
    fire("seed_demo_data", users=users, categories=categories)
    db.session.commit()
    write_credentials(report.credentials)
    return report


def _seed_organisations(report: SeedReport) -> dict[str, Organisation]:
    existing = {o.name: o for o in db.session.scalars(select(Organisation))}
    for data in content.ORGANISATIONS:
        if data["name"] not in existing:
            org = Organisation(name=data["name"], nation=data["nation"], region=data["region"])
            db.session.add(org)
            existing[data["name"]] = org
            report.organisations += 1
    db.session.flush()
    # Parents are linked in a second pass: some organisations are listed before their parent.
    for data in content.ORGANISATIONS:
        if data["parent"]:
            existing[data["name"]].parent_id = existing[data["parent"]].id
    db.session.commit()
    return existing


def _seed_groups(report: SeedReport) -> dict[str, Group]:
    existing = {g.name: g for g in db.session.scalars(select(Group))}
    names = sorted({name for user in content.USERS for name in user["groups"]})
    for name in names:
        if name not in existing:
            group = Group(name=name, display_name=GROUP_LABELS.get(name, name.title()))
            db.session.add(group)
            existing[name] = group
            report.groups += 1
    db.session.commit()
    return existing


def _seed_categories(report: SeedReport, groups: dict[str, Group]) -> dict[str, Category]:
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    for position, data in enumerate(content.CATEGORIES, start=1):
        if data["slug"] in existing:
            continue
        category = Category(
            name=data["name"],
            slug=data["slug"],
            description=data["description"],
            color=data["color"],
            position=position,
        )
        db.session.add(category)
        db.session.flush()
        if data.get("private"):
            # Only officers (and staff, who see everything) know this room exists.
            grants = {"officers": CREATE}
        else:
            grants = {EVERYONE: SEE, MEMBERS: CREATE}
        for group_name, level in grants.items():
            db.session.add(
                CategoryPermission(
                    category_id=category.id, group_id=groups[group_name].id, permission=level
                )
            )
        existing[data["slug"]] = category
        report.categories += 1
    db.session.commit()
    return existing


def _seed_users(report, orgs, groups, password: str, now: datetime) -> dict[str, User]:
    existing = {
        u.username_lower: u
        for u in db.session.scalars(
            select(User).where(
                User.username_lower.in_([d["username"].lower() for d in content.USERS])
            )
        )
    }
    rng = random.Random(TIMELINE_SEED)
    # One hash for the one shared password: scrypt costs ~0.15 s a time, and 24 identical
    # passwords with different salts would say nothing a shared password doesn't already.
    password_hash = None
    users = {}
    for data in content.USERS:
        joined = now - timedelta(days=rng.uniform(75, 400))
        user = existing.get(data["username"].lower())
        if user is None:
            username, email, name = accounts.validate_new_user(
                data["username"], data["email"], data["name"]
            )
            if password_hash is None:
                accounts.check_password_rules(password)
                password_hash = generate_password_hash(
                    password, method=current_app.config["PASSWORD_HASH_METHOD"]
                )
            org = orgs.get(data["organisation"]) if data["organisation"] else None
            user = User(
                username=username,
                username_lower=username.lower(),
                email=email,
                name=name,
                password_hash=password_hash,
                role=data["role"],
                status="active",
                organisation_id=org.id if org else None,
                job_role=data["job_role"],
                bio=data["bio"],
                created_at=joined,
                approved_at=joined,
            )
            db.session.add(user)
            db.session.flush()
            report.users += 1
        for group_name in data["groups"]:
            accounts.add_to_group(user, groups[group_name])
        users[data["username"]] = user
    db.session.commit()
    return users


def _seed_admin(report: SeedReport, saved: Credentials, now: datetime) -> str | None:
    """Create ``admin`` unless it exists; returns its password when this seed knows it."""
    admin = accounts.find_user(ADMIN_USERNAME)
    if admin is not None:
        # Created by an earlier seed (its password is in the file) or by `init --admin`
        # (then its password is whatever was chosen there, and not ours to print).
        return saved_admin_password(saved)
    password = saved.admin_password or new_password()
    user = accounts.create_user(
        ADMIN_USERNAME,
        ADMIN_EMAIL,
        password,
        name="Forum administrator",
        role="admin",
        status="active",
        commit=False,
    )
    user.created_at = user.approved_at = now - timedelta(days=OLDEST_DAYS + 30)
    db.session.commit()
    report.admin_created = True
    return password


def thread_timeline(now: datetime) -> list[list[datetime]]:
    """For each thread in :data:`content.THREADS`, the times of its posts (opening post
    first): starts spread over the past ~60 days, replies minutes to days apart, nothing
    later than :data:`QUIET_TAIL` before ``now``. The same ``now`` gives the same result."""
    rng = random.Random(TIMELINE_SEED)
    latest = now - QUIET_TAIL
    timeline = []
    for thread in content.THREADS:
        start = now - timedelta(days=rng.uniform(NEWEST_DAYS, OLDEST_DAYS))
        # Replies come quickly at first and then tail off, as they do on a real forum.
        gaps = [rng.uniform(0.2, 6.0) * (1.6**i) for i in range(len(thread["replies"]))]
        span = (latest - start).total_seconds() / 3600
        total = sum(gaps)
        if total > span:
            gaps = [gap * span / total for gap in gaps]
        times = [_daytime(start, latest)]
        for gap in gaps:
            when = _daytime(times[-1] + timedelta(hours=gap), latest)
            # Moving a night-time post to the morning must not put it before the last one.
            times.append(max(when, times[-1] + timedelta(minutes=3)))
        timeline.append([t.replace(microsecond=0) for t in times])
    return timeline


def _daytime(when: datetime, latest: datetime) -> datetime:
    """Move a post written between 22:00 and 07:00 into 07:00–10:00 (the nine night hours
    squeezed into three), as busy officers post in the evening or first thing, not at 3 am.
    Unless that would date it after ``latest``."""
    if 7 <= when.hour < 22:
        return when
    night_minutes = ((when.hour - 22) % 24) * 60 + when.minute
    morning = when if when.hour < 7 else when + timedelta(days=1)
    moved = morning.replace(hour=7, minute=0, second=when.second)
    moved += timedelta(minutes=night_minutes / 3)
    return moved if moved <= latest else when


def _quoted_body(reply: dict, thread: dict, topic_id: int) -> str:
    quote = reply.get("quote")
    if not quote:
        return reply["body"]
    number = quote["post"]
    author = thread["author"] if number == 1 else thread["replies"][number - 2]["author"]
    return (
        f'[quote="{author}, post:{number}, topic:{topic_id}"]\n{quote["text"]}\n[/quote]\n\n'
        f"{reply['body']}"
    )


def _seed_threads(report, categories, users, now, progress) -> None:
    existing_titles = set(db.session.scalars(select(Topic.title)))
    timeline = thread_timeline(now)
    # Create in date order, so topic ids grow with time as they would have.
    order = sorted(range(len(content.THREADS)), key=lambda i: timeline[i][0])
    rng = random.Random(TIMELINE_SEED + 1)
    items = [(content.THREADS[i], timeline[i]) for i in order]
    iterator = progress(items, len(items)) if progress else items
    for thread, times in iterator:
        if thread["title"] in existing_titles:
            report.skipped_threads.append(thread["title"])
            continue
        first = topics.create_topic(
            users[thread["author"]],
            title=thread["title"],
            raw=thread["body"],
            category=categories[thread["category"]],
        )
        topic = first.topic
        posts = [first]
        for reply in thread["replies"]:
            posts.append(
                topics.create_reply(
                    users[reply["author"]],
                    topic,
                    raw=_quoted_body(reply, thread, topic.id),
                    reply_to_post_number=reply["reply_to"],
                )
            )
        for post, when in zip(posts, times, strict=True):
            post.created_at = post.updated_at = when
        topic.created_at = times[0]
        topic.bumped_at = topic.last_posted_at = times[-1]
        topic.views = len(posts) * rng.randint(6, 25) + rng.randint(0, 40)
        db.session.commit()
        report.topics += 1
        report.posts += len(posts)
    _fix_user_activity()


def _quiet_history(categories) -> None:
    """The demo's past conversations leave notifications under people's bells, but are not
    e-mailed to the demo addresses nor fanned out to watchers as if they were new. The
    officers' lounge (small and private) is watched by default, as an LMC would set it."""
    db.session.execute(
        update(NotificationEvent)
        .where(NotificationEvent.processed_at.is_(None))
        .values(processed_at=utcnow())
    )
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.status == "queued")
        .values(status="skipped", last_error="demo history is not e-mailed")
    )
    lounge = categories.get("officers-lounge")
    if lounge is not None:
        lounge.default_notification_level = WATCHING
    db.session.commit()


def _fix_user_activity() -> None:
    """The services stamped ``last_posted_at`` with the real time; use the posts' dates."""
    last_post = select(func.max(Post.created_at)).where(Post.user_id == User.id).scalar_subquery()
    db.session.execute(
        update(User)
        .where(User.id.in_(select(Post.user_id)))
        .values(last_posted_at=last_post, last_seen_at=last_post)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def demo_member_example() -> str:
    """A demo member (not staff) to suggest signing in as."""
    return next(u["username"] for u in content.USERS if u["role"] == "member")
