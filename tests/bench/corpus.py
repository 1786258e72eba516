"""The synthetic benchmark corpus: 2,000 topics, 50,000 posts, 200 users in 10 categories.

Generated from ``random.Random(SEED)``, so every run builds the same forum. The schema comes
from the migrations (as ``flask forum init`` makes it, indexes included); rows are bulk
inserted rather than written through the services, which would take minutes for 50,000
posts. What the services would have kept consistent is computed here instead: post
numbers, ``reply_to_post_number`` and ``reply_count``, topic counters and dates, category
and user counters. Cooked HTML comes from :func:`forum.rendering.cook` like real posts;
each distinct body is cooked once.

The database is a SQLite file in ``bench-data/`` with a signature file beside it: a second
run with the same parameters (and the same migrations and renderer) reuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "bench-data"
DB_FILE = "forum.sqlite3"
SIGNATURE_FILE = "corpus.json"
#: Bump when the generator's output changes, so cached corpora are rebuilt.
GENERATOR_VERSION = 1
#: The corpus's "now": fixed, so dates (and so the pages) are the same on every build.
EPOCH = datetime(2025, 6, 1, 12, 0, 0)


@dataclass(frozen=True)
class Spec:
    seed: int = 20250601
    users: int = 200
    categories: int = 10
    topics: int = 2_000
    posts: int = 50_000
    distinct_bodies: int = 2_500


WORDS = (
    "practice contract ICB commissioner LCS uplift phlebotomy wound care notice PCN ARRS "
    "network agreement premises rent review service charge pension locum sessional GP "
    "partner workload interface hospital letter template levy constitution conference motion "
    "committee funding tariff specification consultation patients appointment access data "
    "recruitment retention salaried nurse manager secretary chair officer budget payment "
    "claim reimbursement guidance regulations schedule variation breach remedial list closure "
    "merger caretaking resilience support meeting minutes agenda deadline response position "
    "negotiation price cost staff time employer insurance audit review report survey evidence"
).split()
OPENERS = (
    "Has anyone else seen",
    "We have just had",
    "Quick question about",
    "Following the last meeting on",
    "Our ICB is proposing",
    "Looking for examples of",
    "Update on",
    "Advice needed on",
    "How are you handling",
    "Template wanted for",
)


def _sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice(".....?!")


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def make_body(rng: random.Random, usernames: list[str]) -> str:
    """A post body of a few paragraphs with the Markdown people really use."""
    parts = [_paragraph(rng) for _ in range(rng.randint(1, 4))]
    extra = rng.random()
    if extra < 0.15:
        parts.append("\n".join(f"- {_sentence(rng, 3, 9)}" for _ in range(rng.randint(2, 5))))
    elif extra < 0.25:
        parts.insert(0, "> " + _sentence(rng))
    elif extra < 0.32:
        parts.append(f"See https://example.org/guidance/{rng.randint(1, 999)} for the detail.")
    elif extra < 0.38:
        parts.append(f"Thanks @{rng.choice(usernames)}, that is really **helpful**.")
    elif extra < 0.42:
        parts.append("| Service | Price |\n|---|---|\n| Phlebotomy | £2.60 |\n| ECG | £14 |")
    return "\n\n".join(parts)


def make_title(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
    return f"{rng.choice(OPENERS)} {words} ({n})"


def _post_counts(rng: random.Random, spec: Spec) -> list[int]:
    """Posts per topic: at least one each, a long tail, summing to exactly ``spec.posts``."""
    weights = [rng.paretovariate(1.6) for _ in range(spec.topics)]
    extra = spec.posts - spec.topics
    total = sum(weights)
    counts = [1 + int(w / total * extra) for w in weights]
    i = 0
    while sum(counts) < spec.posts:  # hand out what rounding down left over
        counts[i % spec.topics] += 1
        i += 1
    return counts


def signature(spec: Spec) -> dict:
    from forum.rendering import COOK_VERSION

    migrations = sorted(
        f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()[:12]}"
        for p in (ROOT / "migrations" / "versions").glob("*.py")
    )
    return {
        "generator": GENERATOR_VERSION,
        "spec": asdict(spec),
        "cook_version": COOK_VERSION,
        "migrations": migrations,
    }


def database_url(data_dir: Path = DATA_DIR) -> str:
    return f"sqlite:///{data_dir / DB_FILE}"


def ensure_corpus(spec: Spec = Spec(), data_dir: Path = DATA_DIR, rebuild: bool = False) -> dict:
    """Build the corpus unless an identical one is cached; returns facts about it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    sig_path = data_dir / SIGNATURE_FILE
    wanted = signature(spec)
    if not rebuild and sig_path.exists():
        saved = json.loads(sig_path.read_text())
        if saved.get("signature") == wanted and (data_dir / DB_FILE).exists():
            print(f"Reusing the corpus in {data_dir} (built in {saved['build_seconds']} s).")
            return saved
    for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", SIGNATURE_FILE):
        (data_dir / name).unlink(missing_ok=True)
    started = time.perf_counter()
    facts = build(spec, data_dir)
    facts["build_seconds"] = round(time.perf_counter() - started, 1)
    facts["signature"] = wanted
    sig_path.write_text(json.dumps(facts, indent=2))
    print(f"Built the corpus in {facts['build_seconds']} s.")
    return facts


def build(spec: Spec, data_dir: Path) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from forum import create_app
    from forum.accounts.models import User
    from forum.bootstrap import ensure_defaults
    from forum.categories.models import CREATE, SEE, Category, CategoryPermission
    from forum.extensions import db
    from forum.rendering import cook
    from forum.topics.models import Post, Topic
    from forum.topics.slugs import slugify

    rng = random.Random(spec.seed)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(data_dir),
            "DATA_DIR": str(data_dir),
            "SECRET_KEY": "bench-corpus",
        }
    )
    with app.app_context():
        print("Creating the schema from the migrations…")
        upgrade(revision="heads")
        ensure_defaults()
        groups = dict(db.session.execute(text("SELECT name, id FROM groups")).all())

        print(f"Generating {spec.users} users, {spec.categories} categories…")
        joined = EPOCH - timedelta(days=800)
        usernames = [f"member{i:03d}" for i in range(1, spec.users + 1)]
        users = [
            {
                "id": i,
                "username": name,
                "username_lower": name,
                "name": f"Member {i}",
                "email": f"{name}@example.org",
                "password_hash": "",  # nobody signs in to the bench corpus
                "role": "member" if i > 3 else "moderator",
                "status": "active",
                "job_role": "Medical secretary",
                "bio": _paragraph(rng),
                "created_at": joined,
                "approved_at": joined,
                "post_count": 0,
                "topic_count": 0,
            }
            for i, name in enumerate(usernames, start=1)
        ]
        first_category_id = 1 + db.session.scalar(text("SELECT max(id) FROM categories"))
        categories = [
            {
                "id": first_category_id + i,
                "name": f"Bench category {i + 1}",
                "slug": f"bench-category-{i + 1}",
                "description": _sentence(rng),
                "color": f"{rng.randint(0, 0xFFFFFF):06X}",
                "text_color": "FFFFFF",
                "position": i,
                "topic_count": 0,
                "post_count": 0,
                "created_at": joined,
            }
            for i in range(spec.categories)
        ]

        print(f"Cooking {spec.distinct_bodies} distinct bodies…")
        bodies = [make_body(rng, usernames) for _ in range(spec.distinct_bodies)]
        cooked = [cook(body) for body in bodies]

        print(f"Generating {spec.topics} topics and {spec.posts} posts…")
        counts = _post_counts(rng, spec)
        topics, posts = [], []
        span = timedelta(days=700).total_seconds()
        for topic_id, count in enumerate(counts, start=1):
            category = rng.choice(categories)
            author = rng.randrange(spec.users) + 1
            title = make_title(rng, topic_id)
            created = EPOCH - timedelta(seconds=rng.uniform(3600, span))
            when = created
            reply_counts = [0] * (count + 1)
            last_user = author
            for number in range(1, count + 1):
                user_id = author if number == 1 else rng.randrange(spec.users) + 1
                reply_to = None
                if number > 1 and rng.random() < 0.3:
                    reply_to = rng.randint(max(1, number - 10), number - 1)
                    reply_counts[reply_to] += 1
                body = rng.randrange(spec.distinct_bodies)
                posts.append(
                    {
                        "topic_id": topic_id,
                        "post_number": number,
                        "user_id": user_id,
                        "raw": bodies[body],
                        "cooked": cooked[body].html,
                        "cooked_version": cooked[body].version,
                        "reply_to_post_number": reply_to,
                        "reply_count": 0,
                        "version": 1,
                        "created_at": when,
                        "updated_at": when,
                    }
                )
                users[user_id - 1]["post_count"] += 1
                last_user, last_when = user_id, when
                when = min(when + timedelta(minutes=rng.expovariate(1 / 300)), EPOCH)
            for post in posts[-count:]:
                post["reply_count"] = reply_counts[post["post_number"]]
            users[author - 1]["topic_count"] += 1
            category["topic_count"] += 1
            category["post_count"] += count
            topics.append(
                {
                    "id": topic_id,
                    "title": title,
                    "slug": slugify(title),
                    "category_id": category["id"],
                    "user_id": author,
                    "created_at": created,
                    "bumped_at": last_when,
                    "last_posted_at": last_when,
                    "last_post_user_id": last_user,
                    "posts_count": count,
                    "highest_post_number": count,
                    "views": count * rng.randint(5, 40),
                    "pinned": topic_id <= 2,
                    "closed": False,
                    "archived": False,
                }
            )
        last_posted = {}
        for post in posts:
            last_posted[post["user_id"]] = max(
                post["created_at"], last_posted.get(post["user_id"], post["created_at"])
            )
        for user in users:
            user["last_posted_at"] = last_posted.get(user["id"])
            user["last_seen_at"] = user["last_posted_at"]
        # Ids in date order, as a forum that grew over time would have them.
        posts.sort(key=lambda p: (p["created_at"], p["topic_id"], p["post_number"]))

        print("Inserting…")
        db.session.execute(insert(User), users)
        db.session.execute(insert(Category), categories)
        permissions = []
        for category in categories:
            permissions.append(
                {"category_id": category["id"], "group_id": groups["everyone"], "permission": SEE}
            )
            permissions.append(
                {"category_id": category["id"], "group_id": groups["members"], "permission": CREATE}
            )
        db.session.execute(insert(CategoryPermission), permissions)
        db.session.execute(insert(Topic), topics)
        for start in range(0, len(posts), 5_000):
            db.session.execute(insert(Post), posts[start : start + 5_000])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # the last connection to close checkpoints the WAL

    # Pages to measure: a topic whose first page is full (20 posts) and of typical length,
    # and the busiest category.
    full = sorted((c, i) for i, c in enumerate(counts, start=1) if c >= 20)
    count, topic_id = full[len(full) // 2]
    topic = topics[topic_id - 1]
    category = max(categories, key=lambda c: c["topic_count"])
    return {
        "topic": {"id": topic_id, "slug": topic["slug"], "posts": count},
        "category": {
            "id": category["id"],
            "slug": category["slug"],
            "topics": category["topic_count"],
        },
        "size_mb": round(os.path.getsize(data_dir / DB_FILE) / 2**20, 1),
    }
