"""The demo library (domain.md §6.4) that ``flask forum seed-demo`` adds: its eleven items,
their files and the text search finds in them, who may see which, the Resource Centre
category, and that a second run adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from forum import search
from forum.accounts import services as accounts
from forum.accounts.models import AnonymousUser
from forum.categories.models import Category, CategoryPermission
from forum.extensions import db
from forum.permissions import visible_category_ids
from forum.plugin_system import is_enabled
from forum.search.service import search as site_search
from plugins.resources import access, demo, extraction, library, storage
from plugins.resources.models import FileSection, Resource, Revision, StoredFile
from tests.factories import make_user

PHRASE = "due diligence on the premises lease"
OLD, NEW = demo.OLD_DIRECTIONS, demo.NEW_DIRECTIONS
OFFICERS_ONLY = {
    "Annotated model LMC constitution (demo edition, based on the BMA 2013 model)",
    "Sample job description: LMC Office Manager (demo)",
}
#: §6.4's topic numbers for each item (positions in vocabulary.TOPICS).
TOPIC_NUMBERS = {
    "NHS (General Medical Services Contracts) Regulations 2015": (1,),
    "Primary Medical Care Policy and Guidance Manual (PGM), v5 July 2024": (1, 5),
    NEW: (6,),
    "NHS (GMS Contracts) (Wales) Regulations 2023": (1,),
    "Safe working in general practice (GPC England)": (11,),
    "Template letter: responding to secondary-care workload transfer (demo)": (11, 12),
    "Annotated model LMC constitution (demo edition, based on the BMA 2013 model)": (18,),
    "LCS costing calculator: staff time, on-costs, consumables (demo)": (3,),
    "Sample job description: LMC Office Manager (demo)": (19, 24),
    demo.CHECKLIST_TITLE: (10,),
    OLD: (6,),
}


def seed(runner, *flags):
    result = runner.invoke(args=["forum", "seed-demo", *flags])
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def by_title() -> dict[str, Resource]:
    return {item.title: item for item in db.session.scalars(select(Resource))}


@pytest.fixture
def seeded(app, runner):
    seed(runner)
    return by_title()


def test_the_seed_adds_the_eleven_items(seeded):
    items = seeded
    assert set(items) == set(TOPIC_NUMBERS)
    assert all(item.is_demo for item in items.values())
    for title, numbers in TOPIC_NUMBERS.items():
        assert items[title].topic_keys == sorted(demo.TOPICS[n - 1][0] for n in numbers), title

    statuses = {title: item.status for title, item in items.items()}
    assert statuses.pop(OLD) == "superseded"
    assert set(statuses.values()) == {"current"}
    assert items[NEW].supersedes_id == items[OLD].id
    assert library.versions(items[OLD]) == (None, items[NEW])

    levels = {title: item.access_level for title, item in items.items()}
    assert {t for t, level in levels.items() if level == "officers_staff"} == OFFICERS_ONLY
    assert levels["Safe working in general practice (GPC England)"] == "members"
    assert levels["NHS (General Medical Services Contracts) Regulations 2015"] == "public"

    wales = items["NHS (GMS Contracts) (Wales) Regulations 2023"]
    assert wales.nation_keys == ["wales"]
    assert sorted(items[demo.CHECKLIST_TITLE].nation_keys) == ["england"]
    calculator = items["LCS costing calculator: staff time, on-costs, consumables (demo)"]
    assert len(calculator.nation_keys) == 4  # UK-wide

    bma = items["Safe working in general practice (GPC England)"]
    assert bma.licence == "bma_copyright_link_only" and bma.file_id is None
    assert bma.external_url.startswith("https://www.bma.org.uk/")
    assert items[OLD].licence == items[NEW].licence == "ogl_crown"
    with_files = {title for title, item in items.items() if item.file_id}
    assert len(with_files) == 5 and all(t.endswith(")") for t in with_files)
    for title in with_files:
        item = items[title]
        assert item.licence == "lmc_share_with_attribution" and not item.external_url
        assert storage.path_for(item.file.sha256).is_file()
        assert item.file.extraction == "pending"  # read after the seed's commit
    assert items[demo.CHECKLIST_TITLE].file.kind == "pdf"
    assert calculator.file.kind == "xlsx"

    due = [
        item.title
        for item in items.values()
        if item.review_date and item.review_date < date.today()
    ]
    assert len(due) == 2
    admin = accounts.find_user("tom.haldane")
    assert {item.title for item in library.due_for_review(admin)} == set(due)
    # Every item has its first history row, dated with the item.
    for item in items.values():
        first = db.session.scalar(
            select(Revision).where(Revision.resource_id == item.id).order_by(Revision.id)
        )
        assert first.created_at == item.created_at
    assert items[OLD].created_at < items[NEW].created_at < items[demo.CHECKLIST_TITLE].created_at


def test_officers_items_are_hidden_from_members_and_visitors(seeded):
    items = seeded
    member = accounts.find_user("aisha.okafor")  # a GP, not an officer
    officer = accounts.find_user("helen.marsh")
    staff = accounts.find_user("janet.whitworth")  # LMC staff
    visitor = AnonymousUser()
    for title, item in items.items():
        assert access.can_see(officer, item) and access.can_see(staff, item)
        assert access.can_see(member, item) == (title not in OFFICERS_ONLY), title
        assert access.can_see(visitor, item) == (item.access_level == "public"), title
    visible = set(db.session.scalars(select(Resource.title).where(access.visible(member))))
    assert visible == set(items) - OFFICERS_ONLY


def test_the_resource_centre_category_shows_the_library(seeded):
    category = db.session.scalar(select(Category).where(Category.slug == demo.CATEGORY_SLUG))
    assert category.name == "Resource Centre"
    assert "reference library" in category.description
    assert is_enabled(category, "resources")
    assert category.id in visible_category_ids(AnonymousUser())
    assert (
        count(CategoryPermission)
        and db.session.scalar(
            select(func.count())
            .select_from(CategoryPermission)
            .where(CategoryPermission.category_id == category.id)
        )
        == 2
    )
    # The discussion categories keep their topic lists.
    assert not is_enabled(
        db.session.scalar(select(Category).where(Category.slug == "premises")), "resources"
    )


def test_search_finds_a_phrase_from_page_7_of_the_checklist(seeded):
    checklist = seeded[demo.CHECKLIST_TITLE]
    outcomes = sorted(
        (db.session.get(StoredFile, file_id).kind, extraction.run(file_id))
        for file_id in extraction.pending_ids()
    )
    assert ("pdf", "done") in outcomes
    page_7 = db.session.scalar(
        select(FileSection).where(FileSection.file_id == checklist.file_id, FileSection.number == 7)
    )
    assert page_7.label == "page 7"
    assert PHRASE in " ".join(page_7.text.split())
    assert checklist.file.section_count == 8

    search.apply_pending_now()
    member = accounts.find_user("aisha.okafor")
    results = site_search(member, f'"{PHRASE}"').results
    assert [r.title for r in results] == [f"{demo.CHECKLIST_TITLE} — page 7"]
    assert results[0].url == f"/resources/{checklist.slug}#section-7"
    assert site_search(AnonymousUser(), f'"{PHRASE}"').results == []  # a members' item
    officer = accounts.find_user("helen.marsh")
    found = [r.title for r in site_search(officer, "quorum").results]
    assert any(title.startswith("Annotated model LMC constitution") for title in found)
    assert not any("constitution" in r.title for r in site_search(member, "quorum").results)

    # Every generated file is read: the Word documents by section, the workbook by sheet.
    assert outcomes == [("docx", "done")] * 3 + [("pdf", "done"), ("xlsx", "done")]
    calculator = seeded["LCS costing calculator: staff time, on-costs, consumables (demo)"]
    sheets = db.session.scalars(
        select(FileSection.label).where(FileSection.file_id == calculator.file_id)
    ).all()
    assert {"sheet “Staff time”", "sheet “On-costs”", "sheet “Consumables”"} <= set(sheets)
    letter = seeded["Template letter: responding to secondary-care workload transfer (demo)"]
    labels = db.session.scalars(
        select(FileSection.label).where(FileSection.file_id == letter.file_id)
    ).all()
    assert "section “Optional paragraphs”" in labels


def test_seeding_again_adds_nothing(seeded, runner):
    before = (count(Resource), count(StoredFile), count(Revision), count(Category))
    seed(runner)
    assert (count(Resource), count(StoredFile), count(Revision), count(Category)) == before
    output = seed(runner, "--if-empty")
    assert "Demo data already present" in output
    assert (count(Resource), count(StoredFile), count(Revision), count(Category)) == before


def test_a_missing_item_is_added_back_and_a_renamed_one_is_not(seeded, runner):
    checklist = seeded[demo.CHECKLIST_TITLE]
    checklist.title = "Merger checklist (our edition)"  # renamed: still found by its slug
    db.session.delete(seeded["Sample job description: LMC Office Manager (demo)"])
    db.session.commit()
    seed(runner, "--if-empty")
    titles = [item.title for item in db.session.scalars(select(Resource))]
    assert len(titles) == 11
    assert "Sample job description: LMC Office Manager (demo)" in titles
    assert demo.CHECKLIST_TITLE not in titles


def test_without_the_demo_people_any_contributor_adds_the_items(app):
    """A forum with other people (the benchmark corpus, say): an admin adds everything."""
    admin = make_user("site.admin", role="admin")
    reader = make_user("reader")
    demo.seed({"reader": reader, "site.admin": admin}, {})
    db.session.commit()
    items = db.session.scalars(select(Resource)).all()
    assert len(items) == 11
    assert {item.contributed_by_id for item in items} == {admin.id}


def test_without_anyone_who_may_contribute_only_the_category_is_added(app):
    demo.seed({"reader": make_user("reader")}, {})
    db.session.commit()
    assert count(Resource) == 0
    category = db.session.scalar(select(Category).where(Category.slug == demo.CATEGORY_SLUG))
    assert is_enabled(category, "resources")


def test_the_library_and_the_category_page_show_the_demo_items(seeded, client, auth):
    category = db.session.scalar(select(Category).where(Category.slug == demo.CATEGORY_SLUG))
    auth.login_as(accounts.find_user("aisha.okafor"))
    for path in ("/resources/", f"/c/{category.slug}/{category.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Demo data" in page, path
        assert "Practice merger &amp; closure checklist" in page, path
        assert "Annotated model LMC constitution" not in page, path  # officers' item
        assert "Directions 2013" not in page, path  # superseded: hidden by default
    auth.logout()
    page = client.get("/resources/").get_data(as_text=True)
    assert "NHS (General Medical Services Contracts) Regulations 2015" in page
    assert "Practice merger" not in page  # a members' item
