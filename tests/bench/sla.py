"""SLA tracker benchmarks (issue 7): part of ``make bench``, or alone with
``python -m tests.bench.run --only sla``.

A fresh forum with the plugin (SQLite, and PostgreSQL when reachable) gets 5,000 records
bulk-inserted with SQLAlchemy core (every service type, weighted as LMCs share them; four
nations and their regions; fictional commissioners; real LMC names; eight financial years;
every status; the payment model each service is usually paid by, with one to three tariffs
in its unit; KPIs, accreditation tags, RAG ratings, negotiation notes; members', officers'
and own-LMC records), and is served by gunicorn (2 sync workers). Measured with wrk:

1. **The tracker.** ``GET /sla/`` without filters and with two facets chosen (service type
   and nation), as a signed-in member (and the faceted page as an officer, who sees more):
   16 connections (requests/s) and 1 connection (p50/p99; goal: p50 < 30 ms with two
   facets).
2. **A topic page with 3 SLAs attached.** Two topics in the LCS category (plugin enabled)
   with the same 20 posts by the same people; one has an SLA record attached to posts 1, 6
   and 11 (cards under the posts and the "SLAs in this thread" panel). Both are measured
   signed in (rendered every time), in alternation (A B B A A B), each side's figure the
   median of its runs. Goal: the page with SLAs within 10% of the page without (p50 at 1
   connection; requests/s shown too).
3. **CSV export.** ``GET /sla/export.csv`` downloaded whole, as an admin (all 5,000 records,
   with the notes column) and as a member, five times each; goal: under 2 s.

Then, in-process, where the time of each measured request goes: milliseconds a request, of
which waiting on SQL, and how many statements.

Results go to ``bench-data/sla-results.json`` and ``.md``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from tests.bench.corpus import DATA_DIR, ROOT
from tests.bench.notifications import _postgres_ready
from tests.bench.run import (
    Gunicorn,
    PageResult,
    Run,
    fetch,
    forum_env,
    markdown_table,
    measure,
    text_table,
    wrk,
)

PLUGIN = "plugins.sla"
RECORDS = 5_000
#: Seconds per wrk run (the tracker), and per run of each side of the topic comparison.
DURATION = 5
AB_SECONDS = 3
AB_RUNS = 6
EXPORTS = 5
TOPIC_POSTS = 20
#: Posts of the second topic that carry an SLA.
ATTACHED_POSTS = (1, 6, 11)
GOAL_TRACKER_P50_MS = 30.0
GOAL_TOPIC_RATIO = 1.10
GOAL_EXPORT_SECONDS = 2.0
SEED = 20250707
POSTGRES_URL = os.environ.get(
    "FORUM_BENCH_SLA_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/lmchub_bench_sla"
)
#: The two facets chosen in the filtered tracker rows.
FACETED = "/sla/?service_type=phlebotomy&nation=england"
EXPORT = "/sla/export.csv"

#: How each service type is usually paid: ``(payment model, [(label, unit, low, high)])``,
#: and how often it is shared (weights).
SHAPES = {
    "phlebotomy": ("per_item", [("Per sample", "per_sample", 1.25, 3.20)], 12),
    "ear-care": (
        "tiered_mixed",
        [("Irrigation", "per_procedure", 9, 18), ("Microsuction", "per_procedure", 20, 35)],
        8,
    ),
    "ecg": ("per_item", [("Per ECG", "per_item", 12, 25)], 7),
    "ambulatory-ecg": ("per_item", [("Per completed test", "per_test", 30, 70)], 3),
    "abpm": ("per_item", [("Per completed test", "per_test", 30, 60)], 6),
    "wound-care": (
        "per_registered_patient_pa",
        [("Per registered patient a year", "per_registered_patient_pa", 0.2, 1.5)],
        8,
    ),
    "suture-removal": ("per_item", [("Per removal", "per_procedure", 5, 12)], 3),
    "shared-care": (
        "per_cohort_patient_pa",
        [("Per patient on the register", "per_cohort_patient_pa", 40, 120)],
        7,
    ),
    "warfarin": (
        "tiered_mixed",
        [
            ("Monitoring and dosing", "per_cohort_patient_pa", 80, 160),
            ("Initiation", "one_off", 60, 120),
            ("Non-dosing practices", "per_cohort_patient_pa", 5, 15),
        ],
        6,
    ),
    "doac": ("per_cohort_patient_pa", [("Per patient", "per_cohort_patient_pa", 20, 60)], 4),
    "minor-surgery": (
        "tiered_mixed",
        [("Injection", "per_procedure", 35, 50), ("Excision", "per_procedure", 70, 95)],
        6,
    ),
    "care-homes": ("per_bed_pa", [("Per bed a year", "per_bed_pa", 100, 400)], 5),
    "spirometry": ("per_item", [("Per test", "per_test", 25, 60)], 4),
    "ring-pessary": ("per_session", [("Per clinic session", "per_session", 100, 150)], 3),
    "larc": (
        "tiered_mixed",
        [
            ("IUD fit", "per_procedure", 75, 110),
            ("Implant insertion", "per_procedure", 25, 80),
            ("Implant removal", "per_procedure", 30, 100),
        ],
        5,
    ),
    "homeless-health": (
        "per_cohort_patient_pa",
        [("Per registered homeless patient", "per_cohort_patient_pa", 50, 150)],
        2,
    ),
    "interpreting": ("per_item", [("Per extended appointment", "per_contact", 10, 30)], 2),
    "depot-injections": ("per_item", [("Per injection", "per_procedure", 8, 20)], 4),
    "dementia": ("per_item", [("Per assessment", "per_contact", 30, 80)], 2),
    "post-discharge": ("per_item", [("Per contact", "per_contact", 15, 40)], 2),
    "pre-post-op": ("per_item", [("Per procedure", "per_procedure", 5, 15)], 3),
    "extended-access": ("per_session", [("Per session", "per_session", 150, 350)], 3),
    "vaccinations": ("per_item", [("Per dose", "per_item", 5, 15)], 3),
    "diabetes": ("per_cohort_patient_pa", [("Per patient", "per_cohort_patient_pa", 20, 80)], 3),
    "learning-disability": ("per_item", [("Per health check", "per_contact", 80, 140)], 2),
    "other": (
        "per_registered_patient_pa",
        [("Per registered patient", "per_registered_patient_pa", 0.1, 3)],
        2,
    ),
}
ACCREDITATION = {
    "minor-surgery": "minor_surgery",
    "larc": "larc_competence",
    "ear-care": "microsuction_training",
    "spirometry": "spirometry_certification",
    "warfarin": "poct_eqa",
    "wound-care": "wound_care_lead",
    "phlebotomy": "phlebotomy_training",
}
#: Fictional commissioners by nation (England: per region).
PLACES = [
    "Trentside", "Downland", "Pennine Coast", "Tamar & Moor", "Fenland & Wolds",
    "Dales & Humber", "Broadland", "Wyvern Vale", "Severn Reach", "Chalk Hills", "Marshlands",
    "Riverside", "Thames Reach", "High Peak & Vale", "Saltmarsh", "Northmoor", "Ridgeway",
    "Fosse Vale", "Brecks", "Wolds & Coast", "Eden Valley", "Cheviot", "Medway Reach",
    "Quantock", "Avonside", "Mersey Bank", "Tyne & Wear Vale", "Lune Valley",
]  # fmt: skip
DEVOLVED = {
    "wales": (
        "local_health_board",
        ["Bae Gorllewin Health Board", "Bae Dwyrain Health Board", "Dyffryn Health Board"],
    ),
    "scotland": ("nhs_board", ["NHS Lochside", "NHS Glenmoor", "NHS Firthside", "NHS Strathvale"]),
    "northern_ireland": ("sppg_hscb", ["SPPG (bench, Northern area)", "SPPG (bench, Southern)"]),
}
NATIONS = {"england": 80, "wales": 8, "scotland": 7, "northern_ireland": 5}
STATUSES = {
    "active": 50, "expired": 25, "superseded": 10, "proposed": 5, "under_negotiation": 5,
    "decommissioned": 3, "withdrawn_by_practices": 2,
}  # fmt: skip
VISIBILITIES = {"all_members": 80, "officers_only": 15, "own_lmc_only": 5}
RAGS = {"": 50, "green": 20, "amber": 20, "red": 10}
PROVIDERS = {"practice": 85, "pcn": 10, "federation": 4, "any_provider": 1}
CLAIMS = ["cqrs", "icb_portal", "claim_form", "automated_extraction", ""]
YEARS = range(2018, 2026)


# -- Servers and apps -------------------------------------------------------------------------


def _env(data_dir: Path, database_url: str) -> dict:
    env = forum_env(data_dir, database_url)
    env["FORUM_PLUGINS"] = json.dumps([PLUGIN])
    return env


def _app(data_dir: Path, database_url: str, **config):
    from forum import create_app

    return create_app(
        {
            "DATA_DIR": str(data_dir),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-secret-key",
            "LOAD_ENTRY_POINTS": False,
            "PLUGINS": [PLUGIN],
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # The two topics have the same posts by the same people.
            "DUPLICATE_POST_WINDOW_SECONDS": 0,
            **config,
        }
    )


def _cookie(app, user) -> str:
    """A ``Cookie`` header signed in as ``user``, made the way the forum makes one."""
    from forum.accounts.models import UserSession
    from forum.accounts.services import token_hash
    from forum.extensions import db

    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
    db.session.commit()
    value = app.session_interface.get_signing_serializer(app).dumps({"sid": token})
    return f"Cookie: {app.config['SESSION_COOKIE_NAME']}={value}"


def _migrate(database_url: str) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from forum.bootstrap import ensure_defaults
    from forum.extensions import db

    if database_url.startswith("postgresql"):
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    upgrade(revision="heads")
    ensure_defaults()


# -- 5,000 records ----------------------------------------------------------------------------


@dataclass
class Prepared:
    member_cookie: str
    officer_cookie: str
    admin_cookie: str
    plain_topic: str
    attached_topic: str
    records: int
    faceted_matches: int
    seconds: float


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _commissioners() -> dict[str, list[tuple[str, str, str]]]:
    """``{nation: [(region, commissioner type, name)]}``, fictional names throughout."""
    from plugins.sla import vocabulary as v

    out: dict[str, list[tuple[str, str, str]]] = {}
    english = list(v.REGIONS["england"])
    out["england"] = [
        (english[n % len(english)], "icb", f"NHS {place} ICB") for n, place in enumerate(PLACES)
    ]
    for nation, (kind, names) in DEVOLVED.items():
        out[nation] = [(nation, kind, name) for name in names]
    return out


def record_rows(
    rng: random.Random, lmcs: dict[str, list[int]], submitters: list[int], now: datetime
) -> tuple[list[dict], list[list[dict]], list[list[dict]], list[list[str]]]:
    """:data:`RECORDS` rows of ``sla_record``, with each one's tariffs, KPIs and accreditation
    tags (matched by position)."""
    from plugins.sla import vocabulary as v

    commissioners = _commissioners()
    services = {slug: shape[2] for slug, shape in SHAPES.items()}
    rows, tariffs, kpis, tags = [], [], [], []
    for n in range(1, RECORDS + 1):
        service = _weighted(rng, services)
        model, prices = SHAPES[service][:2]
        nation = _weighted(rng, NATIONS)
        region, kind, commissioner = rng.choice(commissioners[nation])
        if service in ("larc", "vaccinations") and nation == "england" and rng.random() < 0.6:
            kind, commissioner = "local_authority", f"{commissioner[4:-4]} Council (Public Health)"
        start = rng.choice(YEARS)
        year = f"{start}/{(start + 1) % 100:02d}"
        status = _weighted(rng, STATUSES)
        updated = now - timedelta(days=rng.uniform(0, 3 * 365))
        record_tariffs = []
        for label, unit, low, high in prices:
            amount = Decimal(str(round(rng.uniform(low, high), 2)))
            record_tariffs.append({"label": label, "amount_gbp": amount, "unit": unit})
        block = None
        if rng.random() < 0.04:  # a block contract instead
            model, block = "block", Decimal(rng.randrange(5_000, 60_000, 500))
            record_tariffs = [{"label": "Block per PCN", "amount_gbp": block, "unit": "per_year"}]
        name = v.SERVICE_TYPE_NAMES[service].split(" (")[0]
        rag = _weighted(rng, RAGS)
        verified = rng.random() < 0.3
        rows.append(
            {
                "title": f"{name} {rng.choice(['LCS', 'LES', 'Service'])} {year} ({n})",
                "commissioner_ref": f"BENCH-{n:05d}",
                "service_type": service,
                "tags": rng.choice(["", "", "paediatric", "housebound", "hospital-requested"]),
                "scheme_type": "nes" if nation != "england" and rng.random() < 0.4 else "lcs_les",
                "nation": nation,
                "region": region,
                "commissioner_type": kind,
                "commissioner_name": commissioner,
                "lmc_id": rng.choice(lmcs[nation]),
                "provider_level": _weighted(rng, PROVIDERS),
                "summary": f"Benchmark record {n}: {name.lower()} for registered patients, "
                "with the practice's responsibilities, the eligible population and how "
                "activity is claimed, in the LMC's own words.",
                "inclusions": "Registered adults; hospital-requested work where the "
                "specification names it; housebound patients seen at a booked visit.",
                "exclusions": "Children under 12; research samples; private providers.",
                "financial_year": year,
                "start_date": date(start, 4, 1),
                "end_date": date(start + 1, 3, 31),
                "review_date": date(start + 1, 1, 31) if rng.random() < 0.5 else None,
                "duration_type": "annual",
                "status": status,
                "version": f"v{rng.randint(1, 4)}.{rng.randint(0, 9)}",
                "payment_model": model,
                "primary_tariff_gbp": record_tariffs[0]["amount_gbp"],
                "primary_tariff_unit": record_tariffs[0]["unit"],
                "block_value_gbp": block,
                "activity_cap": "9 per 1,000 patients" if rng.random() < 0.1 else "",
                "payment_frequency": rng.choice(["quarterly", "quarterly", "monthly", "annual"]),
                "claim_method": rng.choice(CLAIMS),
                "equipment_supplied_by": rng.choice(["practice", "practice", "commissioner"]),
                "reporting_requirements": "Quarterly activity return.",
                "accreditation_needed": service in ACCREDITATION and rng.random() < 0.7,
                "notice_period_days": rng.choice([None, 90, 90, 180]),
                "notice_party": "either",
                "visibility": _weighted(rng, VISIBILITIES),
                "lmc_rag": rag,
                "lmc_commentary": "Viable only with an uplift." if rag == "red" else "",
                "negotiation_notes": "Our ask: a 6% uplift." if rng.random() < 0.2 else "",
                "submitted_by_id": rng.choice(submitters),
                "created_at": updated - timedelta(days=rng.uniform(0, 60)),
                "updated_at": updated,
                "last_verified_at": (updated + timedelta(days=10)).date() if verified else None,
                "redaction_confirmed": False,
                "has_document": False,
                "is_demo": False,
            }
        )
        tariffs.append(record_tariffs)
        kpis.append(
            [
                {"name": f"KPI {k}", "target": "95%", "measure": "Patients within interval"}
                for k in range(1, rng.choice((0, 0, 1, 2)) + 1)
            ]
        )
        tags.append([ACCREDITATION[service]] if rows[-1]["accreditation_needed"] else [])
    return rows, tariffs, kpis, tags


def _topics(category, users, record_ids: list[int]) -> tuple[str, str]:
    """Two topics with the same posts by the same people; the second with an SLA record
    attached to posts :data:`ATTACHED_POSTS`. Returns their paths."""
    from forum.attachments import services as attachments
    from forum.extensions import db
    from forum.topics.services import create_reply, create_topic
    from plugins.sla import cards

    paths = []
    for which in ("without SLAs", "with 3 SLAs"):
        first = create_topic(
            users[0],
            title=f"Negotiating this year's LCS prices: a benchmark thread {which}",
            raw="Opening post: where has your ICB landed on this year's uplift? " * 4,
            category=category,
        )
        posts = [first]
        for n in range(2, TOPIC_POSTS + 1):
            raw = (
                f"Reply {n}: our LMC compared the specification line by line before agreeing "
                "a price; the inclusions mattered more than the tariff. " * 3
            )
            posts.append(create_reply(users[n % len(users)], first.topic, raw=raw))
        if which == "with 3 SLAs":
            for number, record_id in zip(ATTACHED_POSTS, record_ids, strict=True):
                post = posts[number - 1]
                attachments.add(post.user, post, [(cards.KEY, record_id)])
            db.session.commit()
        paths.append(f"/t/{first.topic.slug}/{first.topic.id}")
    return paths[0], paths[1]


def prepare(data_dir: Path, database_url: str) -> Prepared:
    """A migrated forum with the plugin, 5,000 records, an LCS category with the two topics,
    and cookies for a member, an officer and an admin."""
    from sqlalchemy import func, insert, select, text

    from forum.accounts.models import Organisation
    from forum.database import utcnow
    from forum.demo.content import ORGANISATIONS
    from forum.extensions import db
    from forum.plugin_system.enablement import set_enabled
    from plugins.sla import access, tracker
    from plugins.sla.models import SlaAccreditation, SlaKpi, SlaRecord, SlaTariff
    from tests.factories import add_member, make_category, make_user

    app = _app(data_dir, database_url)
    with app.app_context():
        _migrate(database_url)
        keys = {"England": "england", "Wales": "wales", "Scotland": "scotland"}
        keys["Northern Ireland"] = "northern_ireland"
        lmcs: dict[str, list[int]] = defaultdict(list)
        for data in ORGANISATIONS:
            org = Organisation(name=data["name"], nation=data["nation"], region=data["region"])
            db.session.add(org)
            db.session.flush()
            lmcs[keys[data["nation"]]].append(org.id)
        db.session.commit()
        member = make_user("bench.member", organisation_id=lmcs["england"][0])
        officer = make_user("bench.officer", organisation_id=lmcs["england"][1])
        add_member(officer, "officers")
        admin = make_user("bench.admin", role="admin")
        submitters = [officer.id]
        people = [member, officer]
        for i in range(8):
            user = make_user(f"bench.officer{i}", organisation_id=lmcs["england"][i + 2])
            add_member(user, "officers")
            submitters.append(user.id)
            people.append(user)

        rng = random.Random(SEED)
        started = time.perf_counter()
        rows, tariffs, kpis, tags = record_rows(rng, lmcs, submitters, utcnow())
        db.session.execute(insert(SlaRecord), rows)
        ids = dict(db.session.execute(select(SlaRecord.commissioner_ref, SlaRecord.id)).all())
        tariff_rows, kpi_rows, tag_rows = [], [], []
        for row, its_tariffs, its_kpis, its_tags in zip(rows, tariffs, kpis, tags, strict=True):
            rid = ids[row["commissioner_ref"]]
            tariff_rows += [
                {"record_id": rid, "position": p, "notes": "", **t}
                for p, t in enumerate(its_tariffs)
            ]
            kpi_rows += [{"record_id": rid, "position": p, **k} for p, k in enumerate(its_kpis)]
            tag_rows += [{"record_id": rid, "tag": tag} for tag in its_tags]
        db.session.execute(insert(SlaTariff), tariff_rows)
        if kpi_rows:
            db.session.execute(insert(SlaKpi), kpi_rows)
        if tag_rows:
            db.session.execute(insert(SlaAccreditation), tag_rows)
        db.session.commit()
        if database_url.startswith("postgresql"):  # as autovacuum soon would after a load
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        seconds = time.perf_counter() - started

        category = make_category("Locally Commissioned Services & SLAs", slug="lcs-slas")
        set_enabled(category, ["sla"])
        db.session.commit()
        shown = db.session.scalars(
            select(SlaRecord.id)
            .where(SlaRecord.visibility == "all_members")
            .order_by(SlaRecord.id)
            .limit(len(ATTACHED_POSTS))
        ).all()
        plain, attached = _topics(category, people, list(shown))

        matches = db.session.scalar(
            select(func.count()).select_from(
                tracker.matching(member, tracker.parse(_query(FACETED))).subquery()
            )
        )
        assert access.can_see(member, db.session.get(SlaRecord, shown[0]))
        cookies = [_cookie(app, user) for user in (member, officer, admin)]
        db.session.remove()
        db.engine.dispose()
    return Prepared(*cookies, plain, attached, RECORDS, matches, seconds)


def _query(path: str):
    from urllib.parse import parse_qs, urlsplit

    from werkzeug.datastructures import MultiDict

    return MultiDict([(k, v) for k, vs in parse_qs(urlsplit(path).query).items() for v in vs])


# -- 1. The tracker ---------------------------------------------------------------------------


def measure_tracker(base: str, prepared: Prepared) -> list[tuple[str, PageResult]]:
    rows = []
    for viewer, cookie, pages in (
        ("member", prepared.member_cookie, (("tracker, no filters", "/sla/"),)),
        ("member", prepared.member_cookie, (("tracker, 2 facets", FACETED),)),
        ("officer", prepared.officer_cookie, (("tracker, 2 facets", FACETED),)),
    ):
        for name, path in pages:
            result = measure(
                f"{name} ({viewer})", base, path, DURATION, expect="not like-for-like",
                headers=(cookie,),
            )  # fmt: skip
            rows.append((viewer, result))
    return rows


# -- 2. A topic page with 3 SLAs --------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def compare_topics(base: str, prepared: Prepared) -> dict:
    """Both topic pages, signed in as the member, in alternation; each side's median."""
    headers = (prepared.member_cookie,)
    sides = {"plain": prepared.plain_topic, "attached": prepared.attached_topic}
    notes = {}
    for side, path in sides.items():
        status, body = fetch(base + path, headers)
        cards = body.count('class="sla-card"')
        notes[side] = {"status": status, "bytes": len(body.encode()), "sla_cards": cards}
        wrk(base + path, connections=2, duration=2, threads=1, headers=headers)
    print(f"  topic pages: {AB_RUNS} alternating runs of {AB_SECONDS} s each side ({notes})")
    busy: dict[str, list[Run]] = {"plain": [], "attached": []}
    single: dict[str, list[Run]] = {"plain": [], "attached": []}
    for n in range(AB_RUNS):
        order = ("plain", "attached") if n % 2 == 0 else ("attached", "plain")
        for side in order:
            url = base + sides[side]
            busy[side].append(wrk(url, connections=16, duration=AB_SECONDS, headers=headers))
            single[side].append(wrk(url, connections=1, duration=AB_SECONDS, headers=headers))
    out = {"paths": sides, "pages": notes}
    for side in sides:
        out[side] = {
            "requests_per_second": round(_median([r.requests_per_second for r in busy[side]]), 1),
            "p50_ms": round(_median([r.p50_ms for r in single[side]]), 2),
            "p99_ms": round(_median([r.p99_ms for r in single[side]]), 2),
            "errors": sum(r.errors for r in busy[side] + single[side]),
            "runs": [asdict(r) for r in busy[side] + single[side]],
        }
    out["p50_ratio"] = round(out["attached"]["p50_ms"] / out["plain"]["p50_ms"], 3)
    out["rps_ratio"] = round(
        out["attached"]["requests_per_second"] / out["plain"]["requests_per_second"], 3
    )
    return out


# -- 3. CSV export ----------------------------------------------------------------------------


def download(url: str, cookie: str) -> tuple[float, float, int, int]:
    """``(seconds to the first byte, seconds to the last, bytes, records)``."""
    request = urllib.request.Request(url, headers=dict([cookie.split(": ", 1)]))
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        first = response.read(1)
        first_byte = time.perf_counter() - started
        body = first + response.read()
    total = time.perf_counter() - started
    records = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1
    return first_byte, total, len(body), records


def measure_export(base: str, prepared: Prepared) -> list[dict]:
    results = []
    for viewer, cookie in (("admin", prepared.admin_cookie), ("member", prepared.member_cookie)):
        download(base + EXPORT, cookie)  # warm
        runs = [download(base + EXPORT, cookie) for _ in range(EXPORTS)]
        totals = [run[1] for run in runs]
        results.append(
            {
                "viewer": viewer,
                "path": EXPORT,
                "records": runs[0][3],
                "bytes": runs[0][2],
                "first_byte_ms": round(_median([run[0] for run in runs]) * 1000, 1),
                "median_s": round(_median(totals), 3),
                "max_s": round(max(totals), 3),
            }
        )
        print(f"  export ({viewer}): {results[-1]}")
    return results


# -- Where the time goes ----------------------------------------------------------------------


def breakdown(data_dir: Path, database_url: str, prepared: Prepared, requests: int = 40) -> list:
    """Each measured request in-process (no gunicorn, no wrk): the median milliseconds a
    request, and on average the time waiting on SQL, the time in ``render_template`` (which
    includes any SQL the templates cause), the statements and the slowest of them."""
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    from forum.extensions import db

    app = _app(data_dir, database_url)
    sql_time: dict[str, float] = defaultdict(float)
    sql_count: dict[str, int] = defaultdict(int)
    rendering = {"started": 0.0, "seconds": 0.0}
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        key = " ".join(statement.split())[:100]
        sql_time[key] += time.perf_counter() - conn.info["bench_started"]
        sql_count[key] += 1

    def _render_starts(sender, **extra):
        rendering["started"] = time.perf_counter()

    def _render_ends(sender, **extra):
        rendering["seconds"] += time.perf_counter() - rendering["started"]

    before_render_template.connect(_render_starts, app)
    template_rendered.connect(_render_ends, app)
    out = []
    pages = [
        ("tracker, 2 facets (member)", FACETED, prepared.member_cookie, requests),
        ("topic without SLAs (member)", prepared.plain_topic, prepared.member_cookie, requests),
        ("topic with 3 SLAs (member)", prepared.attached_topic, prepared.member_cookie, requests),
        ("CSV export (admin)", EXPORT, prepared.admin_cookie, 3),
    ]
    for name, path, cookie, count in pages:
        client = app.test_client()
        client.set_cookie(*cookie.split(": ", 1)[1].split("=", 1))
        for _ in range(3):
            client.get(path).get_data()
        sql_time.clear()
        sql_count.clear()
        rendering["seconds"] = 0.0
        times = []
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times.append((time.perf_counter() - started) * 1000)
        slowest = sorted(sql_time.items(), key=lambda kv: -kv[1])[:3]
        out.append(
            {
                "name": name,
                "path": path,
                "status": response.status_code,
                "ms": round(_median(times), 2),
                "sql_ms": round(sum(sql_time.values()) / count * 1000, 2),
                "render_ms": round(rendering["seconds"] / count * 1000, 2),
                "statements": round(sum(sql_count.values()) / count, 1),
                "slowest": [(round(s / count * 1000, 2), k) for k, s in slowest],
            }
        )
    before_render_template.disconnect(_render_starts, app)
    template_rendered.disconnect(_render_ends, app)
    event.remove(engine, "before_cursor_execute", _before)
    event.remove(engine, "after_cursor_execute", _after)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return out


def server_benchmark(label: str, database_url: str, workdir: Path) -> dict:
    data_dir = workdir / label
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"SLA tracker ({label}): inserting {RECORDS:,} records")
    prepared = prepare(data_dir, database_url)
    print(
        f"  inserted in {prepared.seconds:.1f} s; {prepared.faceted_matches} records match "
        f"{FACETED} for the member"
    )
    env = _env(data_dir, database_url)
    with Gunicorn("wsgi:app", env, workdir / f"{label}-gunicorn.log") as server:
        pages = measure_tracker(server.base, prepared)
        topics = compare_topics(server.base, prepared)
        exports = measure_export(server.base, prepared)
    print(f"  where the time goes ({label}, in-process)")
    spent = breakdown(data_dir, database_url, prepared)
    return {
        "database": label,
        "records": prepared.records,
        "insert_seconds": round(prepared.seconds, 2),
        "faceted_matches": prepared.faceted_matches,
        "tracker": [{"viewer": viewer, **asdict(page)} for viewer, page in pages],
        "topics": topics,
        "export": exports,
        "breakdown": spent,
    }


# -- Report -----------------------------------------------------------------------------------

TRACKER_HEADERS = [
    "database",
    "page",
    "path",
    "req/s (16 conn)",
    "p50 ms",
    "p99 ms",
    "req/s (1 conn)",
    "p50 ms",
    "p99 ms",
    "note",
]


def _run_cells(run: dict | None) -> list[str]:
    if not run:
        return ["–"] * 3
    return [f"{run['requests_per_second']:,.0f}", f"{run['p50_ms']:.2f}", f"{run['p99_ms']:.2f}"]


def tracker_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for r in results:
        for page in r["tracker"]:
            errors = sum((page[k] or {}).get("errors", 0) for k in ("busy", "single"))
            note = page["note"] or (f"{errors} errors" if errors else "")
            rows.append(
                [
                    r["database"],
                    page["name"],
                    page["path"],
                    *_run_cells(page["busy"]),
                    *_run_cells(page["single"]),
                    note,
                ]
            )
    return rows


def topic_lines(results: list[dict]) -> list[str]:
    lines = [
        "| database | topic page (signed in) | SLA cards | req/s (16 conn) | p50 ms (1 conn) "
        "| p99 ms (1 conn) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        t = r["topics"]
        for side, label in (("plain", "20 posts, no SLAs"), ("attached", "20 posts, 3 SLAs")):
            lines.append(
                f"| {r['database']} | {label} | {t['pages'][side]['sla_cards']} | "
                f"{t[side]['requests_per_second']:,.0f} | {t[side]['p50_ms']} | "
                f"{t[side]['p99_ms']} |"
            )
    return lines


def export_lines(results: list[dict]) -> list[str]:
    lines = [
        f"| database | viewer | records | size | first byte | median of {EXPORTS} | slowest |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for e in r["export"]:
            lines.append(
                f"| {r['database']} | {e['viewer']} | {e['records']:,} | "
                f"{e['bytes'] / 1024:,.0f} KB | {e['first_byte_ms']} ms | {e['median_s']} s | "
                f"{e['max_s']} s |"
            )
    return lines


def breakdown_lines(results: list[dict]) -> list[str]:
    lines = [
        "| database | request | ms (median) | SQL ms | rendering ms | statements "
        "| slowest statements |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for b in r["breakdown"]:
            slowest = "; ".join(f"{ms} ms `{sql[:60]}`" for ms, sql in b["slowest"][:2])
            lines.append(
                f"| {r['database']} | {b['name']} | {b['ms']} | {b['sql_ms']} | "
                f"{b['render_ms']} | {b['statements']} | {slowest} |"
            )
    return lines


def verdicts(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        faceted = [p for p in r["tracker"] if p["path"] == FACETED and p["single"]]
        if faceted:
            worst = max(p["single"]["p50_ms"] for p in faceted)
            met = "met" if worst < GOAL_TRACKER_P50_MS else "MISSED"
            out.append(
                f"Tracker over {r['records']:,} records with 2 facets ({r['database']}), slowest "
                f"p50 at 1 connection: {worst:.2f} ms (goal < {GOAL_TRACKER_P50_MS:.0f} ms): {met}"
            )
        else:
            out.append(f"Tracker ({r['database']}): not measured.")
        t = r["topics"]
        met = "met" if t["p50_ratio"] <= GOAL_TOPIC_RATIO else "MISSED"
        out.append(
            f"Topic page with 3 SLAs ({r['database']}): p50 {t['attached']['p50_ms']} ms "
            f"against {t['plain']['p50_ms']} ms without, {t['p50_ratio'] - 1:+.0%} "
            f"(goal within +{GOAL_TOPIC_RATIO - 1:.0%}): {met}; requests/s "
            f"{t['attached']['requests_per_second']:,.0f} against "
            f"{t['plain']['requests_per_second']:,.0f} ({t['rps_ratio']:.0%})"
        )
        for e in r["export"]:
            if e["viewer"] != "admin":
                continue
            met = "met" if e["max_s"] < GOAL_EXPORT_SECONDS else "MISSED"
            out.append(
                f"CSV export of {e['records']:,} records ({r['database']}): median "
                f"{e['median_s']:.2f} s, slowest {e['max_s']:.2f} s of {EXPORTS} "
                f"(goal < {GOAL_EXPORT_SECONDS:.0f} s): {met}"
            )
    return out


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 1
    out = DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    results: dict = {"servers": []}
    with tempfile.TemporaryDirectory(prefix="bench-sla-", dir=out) as tmp:
        workdir = Path(tmp)
        results["servers"].append(
            server_benchmark("sqlite", f"sqlite:///{workdir}/sqlite/forum.db", workdir)
        )
        if _postgres_ready(POSTGRES_URL):
            results["servers"].append(server_benchmark("postgresql", POSTGRES_URL, workdir))
    load_after = os.getloadavg()[0]
    heading = (
        f"SLA tracker over {RECORDS:,} records; gunicorn 2 sync workers on 127.0.0.1; wrk "
        f"{DURATION} s per tracker run, 2 threads at 16 connections, 1 at 1 connection; topic "
        f"pages {AB_RUNS} alternating runs of {AB_SECONDS} s per side, medians; latencies in "
        f"milliseconds; every page signed in (rendered every time). Load average "
        f"{load_before:.1f} before, {load_after:.1f} after."
    )
    servers = results["servers"]
    rows = tracker_rows(servers)
    topics, exports, spent = topic_lines(servers), export_lines(servers), breakdown_lines(servers)
    goals = verdicts(servers)
    print()
    print(heading)
    print(text_table(rows, TRACKER_HEADERS))
    print()
    print("\n".join(topics))
    print()
    print("\n".join(exports))
    print()
    print("Where the time goes (in-process, no server):")
    print("\n".join(spent))
    print()
    for line in goals:
        print(line)
    results["load_average"] = [load_before, load_after]
    results["goals"] = goals
    (out / "sla-results.json").write_text(json.dumps(results, indent=2, default=str))
    (out / "sla-results.md").write_text(
        heading
        + "\n\n"
        + markdown_table(rows, TRACKER_HEADERS, code=(2,))
        + "\n\n"
        + "\n".join(topics)
        + "\n\n"
        + "\n".join(exports)
        + "\n\nWhere the time goes (in-process, no server):\n\n"
        + "\n".join(spent)
        + "\n\n"
        + "\n".join(f"- {line}" for line in goals)
        + "\n"
    )
    print(f"\nSaved {out / 'sla-results.json'} and sla-results.md.")
    return 0 if all(" MISSED" not in line for line in goals) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
