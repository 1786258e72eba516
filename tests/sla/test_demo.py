"""The demo SLA records (domain.md §6.5) that ``flask forum seed-demo`` adds: the ten records,
the superseded phlebotomy version and the three optional ones, their tariffs and terms, who
may see which, the thread each is discussed in, search by a service's other name, and that a
second run adds nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from forum.accounts import services as accounts
from forum.accounts.models import Organisation
from forum.attachments.models import PostAttachment
from forum.categories.models import Category, CategoryPlugin
from forum.extensions import db
from forum.plugin_system import is_enabled
from forum.search import apply_pending_now
from forum.search.service import search as site_search
from forum.topics.models import Post, Topic
from plugins.sla import access, cards, demo
from plugins.sla.models import SlaRecord, SlaTariff
from tests.factories import make_user

#: Each record's status and its commissioner (fictional) and LMC (a demo organisation).
RECORDS = {
    "Phlebotomy LCS 2024/25 v2.0": ("active", "NHS Trentside ICB", "Nottinghamshire LMC"),
    "12-lead ECG LCS 2024/25": ("active", "NHS Downland ICB", "Surrey LMC"),
    "24-hour ABPM Service 2024/25": ("active", "NHS Pennine Coast ICB", "Cheshire LMC"),
    "Ear Care Service 2024/25": ("active", "NHS Tamar & Moor ICB", "Devon LMC"),
    "Wound Care & Dressings LES 2023/24": (
        "expired",
        "NHS Fenland & Wolds ICB",
        "Lincolnshire LMC",
    ),
    "Shared-Care Drug Monitoring (DMARDs) 2024/25": (
        "active",
        "NHS Dales & Humber ICB",
        "Humberside Group of LMCs",
    ),
    "Anticoagulation (Warfarin) Level 4 NES 2024/25": (
        "active",
        "Bae Gorllewin Health Board",
        "Morgannwg LMC",
    ),
    "Minor Surgery (locally managed DES) 2024/25": (
        "active",
        "NHS Broadland ICB",
        "Norfolk & Waveney LMC",
    ),
    "Care Home Enhanced Service 2024/25": ("active", "NHS Lochside", "Lanarkshire LMC"),
    "LARC Fitting Service 2024/25": (
        "active",
        "London Borough of Riverside (Public Health)",
        "Londonwide LMCs",
    ),
    "Phlebotomy LCS 2023/24 v1.3": ("superseded", "NHS Trentside ICB", "Nottinghamshire LMC"),
    "Ring Pessary LCS 2025/26": ("proposed", "NHS Trentside ICB", "Nottinghamshire LMC"),
    "Spirometry Service 2024/25": ("under_negotiation", "NHS Pennine Coast ICB", "Cheshire LMC"),
    "Homeless Health LES 2022/23": ("decommissioned", "NHS Thames Reach ICB", "Tower Hamlets LMC"),
}
OFFICERS_ONLY = {"Ring Pessary LCS 2025/26", "Spirometry Service 2024/25"}
OWN_LMC_ONLY = {"Homeless Health LES 2022/23"}
#: Records discussed in the demo's own threads (domain.md §6.3), and who wrote the post
#: that carries the card.
IN_DEMO_THREADS = {
    "Phlebotomy LCS 2024/25 v2.0": (demo.PHLEBOTOMY_THREAD, "deborah.akers"),
    "Phlebotomy LCS 2023/24 v1.3": (demo.PHLEBOTOMY_THREAD, "deborah.akers"),
    "Ear Care Service 2024/25": (demo.EAR_CARE_THREAD, "helen.marsh"),
    "Wound Care & Dressings LES 2023/24": (demo.WOUND_CARE_THREAD, "grace.odhiambo"),
    "Shared-Care Drug Monitoring (DMARDs) 2024/25": (demo.SHARED_CARE_THREAD, "janet.whitworth"),
    "Ring Pessary LCS 2025/26": (demo.UPLIFT_THREAD, "deborah.akers"),
}


def seed(runner, *flags):
    result = runner.invoke(args=["forum", "seed-demo", *flags])
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def by_title() -> dict[str, SlaRecord]:
    return {record.title: record for record in db.session.scalars(select(SlaRecord))}


def tariffs(record: SlaRecord) -> list[tuple[str, Decimal, str]]:
    return [(t.label, t.amount_gbp, t.unit) for t in record.tariffs]


def lcs_category() -> Category:
    return db.session.scalar(select(Category).where(Category.slug == demo.CATEGORY_SLUG))


@pytest.fixture
def seeded(app, runner):
    seed(runner)
    return by_title()


def test_the_seed_adds_the_fourteen_records(seeded):
    records = seeded
    assert set(records) == set(RECORDS)
    lmcs = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    for title, (status, commissioner, lmc) in RECORDS.items():
        record = records[title]
        assert record.is_demo, title
        assert (record.status, record.commissioner_name, lmcs[record.lmc_id]) == (
            status,
            commissioner,
            lmc,
        ), title
        assert record.tariffs or record.block_value_gbp, title
        assert record.submitted_by_id is not None and record.created_at <= record.updated_at

    new, old = records["Phlebotomy LCS 2024/25 v2.0"], records["Phlebotomy LCS 2023/24 v1.3"]
    assert new.supersedes_id == old.id and old.supersedes_id is None
    assert old.status == "superseded" and old.created_at < new.created_at
    assert (new.version, old.version) == ("v2.0", "v1.3")
    assert (new.financial_year, old.financial_year) == ("2024/25", "2023/24")
    assert tariffs(new) == [("Per sample", Decimal("2.60"), "per_sample")]
    assert tariffs(old) == [("Per sample", Decimal("2.45"), "per_sample")]
    assert (new.primary_tariff_gbp, new.primary_tariff_unit) == (Decimal("2.60"), "per_sample")
    assert (new.notice_period_days, new.notice_party) == (90, "either")
    assert new.claim_method == "icb_portal" and new.payment_model == "per_item"
    assert (str(new.start_date), str(new.end_date), str(new.review_date)) == (
        "2024-04-01",
        "2025-03-31",
        "2025-01-31",
    )
    assert "12 and over" in new.inclusions and "trial bloods" in new.exclusions.lower()
    assert [(k.name, k.target) for k in new.kpis] == [("Sample rejection rate", "under 2%")]
    assert (new.nation, new.region, new.commissioner_type) == ("england", "midlands", "icb")

    warfarin = records["Anticoagulation (Warfarin) Level 4 NES 2024/25"]
    assert warfarin.payment_model == "tiered_mixed" and warfarin.scheme_type == "nes"
    assert (warfarin.nation, warfarin.commissioner_type) == ("wales", "local_health_board")
    assert [(amount, unit) for _label, amount, unit in tariffs(warfarin)] == [
        (Decimal("150.00"), "per_cohort_patient_pa"),
        (Decimal("120.00"), "one_off"),
        (Decimal("10.00"), "per_cohort_patient_pa"),
    ]
    assert warfarin.equipment_supplied_by == "commissioner"
    assert tariffs(records["Wound Care & Dressings LES 2023/24"]) == [
        ("Per registered patient a year", Decimal("0.28"), "per_registered_patient_pa")
    ]
    care_homes = records["Care Home Enhanced Service 2024/25"]
    assert tariffs(care_homes) == [("Per bed a year", Decimal("320.00"), "per_bed_pa")]
    assert (care_homes.nation, care_homes.commissioner_type) == ("scotland", "nhs_board")
    assert [t[1:] for t in tariffs(records["Ear Care Service 2024/25"])] == [
        (Decimal("14.00"), "per_procedure"),
        (Decimal("28.00"), "per_procedure"),
    ]
    surgery = records["Minor Surgery (locally managed DES) 2024/25"]
    assert [t[1] for t in tariffs(surgery)] == [Decimal("43.54"), Decimal("87.08")]
    assert "9 excisions + 9 injections" in surgery.activity_cap
    larc = records["LARC Fitting Service 2024/25"]
    assert larc.commissioner_type == "local_authority"
    assert [t[1] for t in tariffs(larc)] == [Decimal("95.00"), Decimal("45.00"), Decimal("40.00")]
    assert tariffs(records["Ring Pessary LCS 2025/26"]) == [
        ("Per clinic session", Decimal("120.00"), "per_session")
    ]
    spirometry = records["Spirometry Service 2024/25"]
    assert spirometry.payment_model == "block" and spirometry.provider_level == "pcn"
    assert spirometry.block_value_gbp == Decimal("18000.00")

    # Accreditation tags where the service needs them, and the tracker's column for it.
    assert surgery.accreditation_keys == ["minor_surgery"]
    assert larc.accreditation_keys == ["larc_competence"]
    assert records["Ear Care Service 2024/25"].accreditation_keys == ["microsuction_training"]
    assert surgery.accreditation_needed and not new.accreditation_needed

    wound = records["Wound Care & Dressings LES 2023/24"]
    assert wound.lmc_rag == "red" and "six months' notice" in wound.lmc_commentary
    assert str(wound.end_date) == "2024-03-31"

    # The mix §6.5 asks for: payment models, commissioner types, nations and statuses.
    assert {r.payment_model for r in records.values()} == {
        "per_item",
        "tiered_mixed",
        "per_registered_patient_pa",
        "per_cohort_patient_pa",
        "per_bed_pa",
        "per_session",
        "block",
    }
    assert {"icb", "local_health_board", "nhs_board", "local_authority"} <= {
        r.commissioner_type for r in records.values()
    }
    assert {r.nation for r in records.values()} == {"england", "wales", "scotland"}
    assert len({r.status for r in records.values()}) == 6

    verified = {title for title, r in records.items() if r.last_verified_at}
    assert len(verified) == 2 and "Phlebotomy LCS 2024/25 v2.0" in verified
    assert all(records[title].verified_by_id for title in verified)
    with_notes = {title for title, r in records.items() if r.negotiation_notes}
    assert len(with_notes) >= 4
    assert new.negotiation_notes.startswith("Our ask: £2.95 per sample")


def test_visibility_and_officers_only_notes(seeded):
    records = seeded
    member = accounts.find_user("aisha.okafor")  # a GP (Londonwide LMCs), not an officer
    officer = accounts.find_user("callum.fraser")  # an officer (Glasgow LMC)
    tower_hamlets = accounts.find_user("nikhil.varma")
    staff = accounts.find_user("helen.marsh")  # a moderator: sees every record
    levels = {title: r.visibility for title, r in records.items()}
    assert {t for t, level in levels.items() if level == "officers_only"} == OFFICERS_ONLY
    assert {t for t, level in levels.items() if level == "own_lmc_only"} == OWN_LMC_ONLY
    for title, record in records.items():
        hidden = title in OFFICERS_ONLY | OWN_LMC_ONLY
        assert access.can_see(member, record) == (not hidden), title
        assert access.can_see(officer, record) == (title not in OWN_LMC_ONLY), title
        assert access.can_see(tower_hamlets, record), title  # an officer of that LMC
        assert access.can_see(staff, record), title
    visible = set(db.session.scalars(select(SlaRecord.title).where(access.visible(member))))
    assert visible == set(RECORDS) - OFFICERS_ONLY - OWN_LMC_ONLY
    assert access.sees_notes(officer) and not access.sees_notes(member)


def test_every_record_is_discussed_in_a_thread_that_shows_it(seeded):
    records = seeded
    lcs = lcs_category()
    assert is_enabled(lcs, "sla")
    lounge = db.session.scalar(select(Category).where(Category.slug == demo.LOUNGE_SLUG))
    attached = {
        object_id: (post_id, topic_id)
        for object_id, post_id, topic_id in db.session.execute(
            select(PostAttachment.object_id, Post.id, Post.topic_id)
            .join(Post, Post.id == PostAttachment.post_id)
            .where(PostAttachment.type_key == cards.KEY)
        )
    }
    for title, record in records.items():
        assert record.discussion_topic_id, title
        post_id, topic_id = attached[record.id]
        assert topic_id == record.discussion_topic_id, title
        topic = db.session.get(Topic, topic_id)
        post = db.session.get(Post, post_id)
        if title in IN_DEMO_THREADS:
            thread, author = IN_DEMO_THREADS[title]
            assert topic.title == thread, title
            assert post.user.username == author, title
            assert record.created_at < post.created_at, title
        else:  # a short new thread by the submitter, citing the record
            assert topic.posts_count == 1 and post.post_number == 1, title
            assert post.user_id == record.submitted_by_id, title
            assert f"[[sla:{record.id}]]" in post.raw, title
            assert f'href="/sla/{record.id}"' in post.cooked, title
            assert topic.created_at > record.created_at, title
            expected = lounge if title in OFFICERS_ONLY else lcs
            assert topic.category_id == expected.id, title
        assert post.attachment_count >= 1
    # The new threads keep the counters right.
    for category in (lcs, lounge):
        db.session.refresh(category)
        topics = db.session.scalars(select(Topic).where(Topic.category_id == category.id)).all()
        assert category.topic_count == len(topics)
        assert category.post_count == sum(t.posts_count for t in topics)
    mark = accounts.find_user("mark.ellison")
    assert mark.post_count == db.session.scalar(
        select(func.count()).select_from(Post).where(Post.user_id == mark.id)
    )


def test_the_phlebotomy_thread_shows_both_versions(seeded, client, auth):
    new = seeded["Phlebotomy LCS 2024/25 v2.0"]
    topic = db.session.get(Topic, new.discussion_topic_id)
    auth.login_as(accounts.find_user("aisha.okafor"))
    page = client.get(f"/t/{topic.slug}/{topic.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Phlebotomy LCS 2024/25 v2.0" in text
    assert "Phlebotomy LCS 2023/24 v1.3" in text
    assert "Our ask" not in text  # the officers-only notes


def test_search_finds_phlebotomy_by_bloods(seeded):
    apply_pending_now()
    member = accounts.find_user("aisha.okafor")
    found = [r for r in site_search(member, "bloods").results if r.url.startswith("/sla/")]
    new = seeded["Phlebotomy LCS 2024/25 v2.0"]
    assert f"/sla/{new.id}" in [r.url for r in found]
    # "bloods" is in the record's text; "venepuncture" only among phlebotomy's other names.
    assert "venepuncture" not in f"{new.summary} {new.inclusions} {new.exclusions}".lower()
    found = site_search(member, "venepuncture").results
    assert f"/sla/{new.id}" in [r.url for r in found]
    assert not any("Spirometry" in r.title for r in site_search(member, "spirometry").results)
    officer = accounts.find_user("callum.fraser")
    assert any(
        r.title == "Spirometry Service 2024/25" for r in site_search(officer, "spirometry").results
    )


def test_seeding_again_adds_nothing(seeded, runner):
    def counts():
        return tuple(
            count(model)
            for model in (SlaRecord, SlaTariff, Topic, Post, PostAttachment, CategoryPlugin)
        )

    before = counts()
    seed(runner)
    assert counts() == before
    output = seed(runner, "--if-empty")
    assert "Demo data already present" in output
    assert counts() == before


def test_a_missing_record_comes_back_in_its_thread(seeded, runner):
    ecg = seeded["12-lead ECG LCS 2024/25"]
    topic_id = ecg.discussion_topic_id
    db.session.execute(PostAttachment.__table__.delete().where(PostAttachment.object_id == ecg.id))
    db.session.delete(ecg)
    db.session.commit()
    topics = count(Topic)
    seed(runner, "--if-empty")
    again = by_title()["12-lead ECG LCS 2024/25"]
    assert again.discussion_topic_id == topic_id and count(Topic) == topics
    assert count(SlaRecord) == len(RECORDS)


def _lmcs() -> None:
    for item in demo.records():
        name = item.form["lmc"]
        if db.session.scalar(select(Organisation.id).where(Organisation.name == name)) is None:
            db.session.add(Organisation(name=name, nation="England", region=""))
    db.session.commit()


def test_without_the_demo_forum_any_submitter_adds_records_and_threads(app):
    """A forum without the demo people, threads or categories (the benchmark corpus, say):
    an admin adds everything, in new threads in a new LCS category."""
    _lmcs()
    admin = make_user("site.admin", role="admin")
    reader = make_user("reader")
    demo.seed({"reader": reader, "site.admin": admin}, {})
    db.session.commit()
    records = db.session.scalars(select(SlaRecord)).all()
    assert len(records) == len(RECORDS)
    assert {r.submitted_by_id for r in records} == {admin.id}
    lcs = lcs_category()
    assert is_enabled(lcs, "sla")
    topics = db.session.scalars(select(Topic)).all()
    assert {t.category_id for t in topics} == {lcs.id}
    # The two phlebotomy versions share their thread.
    assert len(topics) == len(RECORDS) - 1 == lcs.topic_count
    assert all(r.discussion_topic_id for r in records)


def test_without_anyone_who_may_submit_only_the_category_is_set_up(app):
    _lmcs()
    demo.seed({"reader": make_user("reader")}, {})
    db.session.commit()
    assert count(SlaRecord) == 0 and count(Topic) == 0
    assert is_enabled(lcs_category(), "sla")
