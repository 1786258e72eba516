"""``flask forum sla import | expire | due-for-review``, and the records due for review that
the pages show (plugins/sla/cli.py, plugins/sla/review.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from plugins.sla.models import SlaRecord
from plugins.sla.review import due_by_lmc, due_for_review
from tests.factories import add_member, make_user
from tests.sla.conftest import make_lmc, make_officer, make_record
from tests.sla.test_import import row, sheet_bytes


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(SlaRecord))


@pytest.fixture
def officer(app):
    make_lmc()
    return make_officer("officer1")


@pytest.fixture
def csv_file(tmp_path):
    def write(rows, name="sla.csv"):
        path = tmp_path / name
        path.write_bytes(sheet_bytes(rows))
        return str(path)

    return write


def sla(runner, *args):
    return runner.invoke(args=["forum", "sla", *args])


# -- import -----------------------------------------------------------------------------------


def test_import_adds_every_row_as_the_named_person(runner, officer, csv_file):
    result = sla(runner, "import", csv_file([row(), row(title="Second")]), "--as", "OFFICER1")
    assert result.exit_code == 0, result.output
    assert "Imported 2 records." in result.output
    assert count() == 2
    assert {r.submitted_by_id for r in db.session.scalars(select(SlaRecord))} == {officer.id}


def test_import_defaults_to_the_first_admin(runner, app, csv_file):
    make_lmc()
    admin = make_user(role="admin")
    result = sla(runner, "import", csv_file([row()]))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(SlaRecord.submitted_by_id)) == admin.id


def test_a_dry_run_checks_every_row_and_imports_nothing(runner, officer, csv_file):
    result = sla(runner, "import", csv_file([row(), row()]), "--as", "officer1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "All 2 rows are valid. Nothing was imported (dry run)." in result.output
    assert count() == 0


def test_a_dry_run_of_a_bad_file_exits_1(runner, officer, csv_file):
    path = csv_file([row(), row(tariff_1_amount="-1")])
    result = sla(runner, "import", path, "--as", "officer1", "--dry-run")
    assert result.exit_code == 1
    assert "Row 3, tariff_1_amount: Tariff 1: an amount must be more than £0." in result.output
    assert count() == 0


def test_a_file_with_a_bad_row_prints_the_report_imports_nothing_and_exits_1(
    runner, officer, csv_file
):
    path = csv_file([row(), row(), row(service_type="astrology", nation="atlantis")])
    result = sla(runner, "import", path, "--as", "officer1")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "Row 4, service_type: Service type: 'astrology' is not one of the choices." in lines
    assert "Row 4, nation: Nation: 'atlantis' is not one of the choices." in lines
    assert lines[-1] == (
        "1 row of 3 has problems. Nothing was imported: correct them and import the whole "
        "file again."
    )
    assert count() == 0


def test_a_file_with_wrong_headers_exits_1_naming_them(runner, officer, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("Title,Colour\nx,red\n")
    result = sla(runner, "import", str(path), "--as", "officer1")
    assert result.exit_code == 1
    assert "These columns are not SLA fields: “Colour”" in result.output
    assert "These required columns are missing: service_type" in result.output


@pytest.mark.parametrize(
    ("who", "words"),
    [("nobody", "There is no user called 'nobody'."), ("member1", "Only LMC officers")],
)
def test_import_as_someone_who_cannot_exits_1(runner, officer, csv_file, who, words):
    make_user("member1")
    result = sla(runner, "import", csv_file([row()]), "--as", who)
    assert result.exit_code == 1
    assert words in result.output
    assert count() == 0


def test_import_without_an_admin_asks_for_someone(runner, officer, csv_file):
    result = sla(runner, "import", csv_file([row()]))
    assert result.exit_code == 1
    assert "name someone with --as" in result.output


# -- expire -----------------------------------------------------------------------------------


def test_expire_marks_only_active_records_past_their_end_date(runner, officer):
    past = make_record(officer, end_date="2025-03-31")
    today_ends = make_record(officer, end_date="2025-06-01")
    future = make_record(officer, end_date="2026-03-31")
    open_ended = make_record(officer, end_date=None)
    proposed = make_record(officer, end_date="2025-03-31", status="proposed")
    superseded = make_record(officer, end_date="2025-03-31", status="superseded")

    result = sla(runner, "expire", "--today", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Marked 1 record expired."
    db.session.expire_all()
    statuses = {
        r.id: r.status for r in (past, today_ends, future, open_ended, proposed, superseded)
    }
    assert statuses == {
        past.id: "expired",
        today_ends.id: "active",
        future.id: "active",
        open_ended.id: "active",
        proposed.id: "proposed",
        superseded.id: "superseded",
    }
    again = sla(runner, "expire", "--today", "2025-06-01")
    assert again.output.strip() == "Marked 0 records expired."


def test_expire_uses_the_real_today_by_default(runner, officer):
    make_record(officer, start_date="2020-04-01", end_date="2021-03-31")
    result = sla(runner, "expire")
    assert result.output.strip() == "Marked 1 record expired."


def test_expire_refuses_a_date_that_is_not_one(runner, app):
    result = sla(runner, "expire", "--today", "01/06/2025")
    assert result.exit_code == 2
    assert "does not match the format" in result.output


# -- due for review ---------------------------------------------------------------------------


@pytest.fixture
def reviews(app):
    """Records of two LMCs: some due for review on 2025-02-01, some not."""
    notts, devon = make_lmc(), make_lmc("Devon LMC", "England", "South West")
    notts_officer = make_officer("nottsofficer", lmc=notts)
    devon_officer = make_officer("devonofficer", lmc=devon)
    made = {
        "notts_due": make_record(notts_officer, review_date="2025-01-31", lmc=notts.id),
        "notts_today": make_record(notts_officer, review_date="2025-02-01", lmc=notts.id),
        "notts_later": make_record(notts_officer, review_date="2025-03-01", lmc=notts.id),
        "notts_none": make_record(notts_officer, lmc=notts.id),
        "notts_closed": make_record(
            notts_officer, review_date="2024-12-01", status="expired", lmc=notts.id
        ),
        "notts_officers_only": make_record(
            notts_officer, review_date="2024-11-01", visibility="officers_only", lmc=notts.id
        ),
        "devon_due": make_record(devon_officer, review_date="2024-10-01", lmc=devon.id),
    }
    return made, notts, devon


def test_due_for_review_lists_records_by_lmc(runner, reviews):
    made, _, _ = reviews
    result = sla(runner, "due-for-review", "--today", "2025-02-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "4 records due for review:"
    assert lines[2] == "Devon LMC (1 record)"
    assert lines[3].startswith(f"  #{made['devon_due'].id} ")
    assert lines[5] == "Nottinghamshire LMC (3 records)"
    assert [line.split()[0] for line in lines[6:]] == [
        f"#{made[name].id}" for name in ("notts_officers_only", "notts_due", "notts_today")
    ]
    assert "(review date 2025-01-31, 2024/25)" in result.output


def test_nothing_due_for_review_says_so(runner, app):
    result = sla(runner, "due-for-review")
    assert result.exit_code == 0
    assert result.output.strip() == "No records are due for review."


def test_due_for_review_shows_a_person_their_own_lmcs_records_they_may_see(reviews):
    made, notts, devon = reviews
    today = date(2025, 2, 1)
    ids = lambda found: [r.id for r in found]  # noqa: E731
    officer = make_officer(lmc=notts)
    assert ids(due_for_review(officer, today)) == [
        made[name].id for name in ("notts_officers_only", "notts_due", "notts_today")
    ]
    member = make_user(organisation_id=notts.id)
    assert ids(due_for_review(member, today)) == [made["notts_due"].id, made["notts_today"].id]
    assert ids(due_for_review(make_user(organisation_id=devon.id), today)) == [made["devon_due"].id]
    assert due_for_review(make_user(), today) == []  # in no LMC
    staff = make_user(role="moderator")
    assert len(due_for_review(staff, today)) == 4
    assert ids(due_for_review(staff, today, limit=1)) == [made["devon_due"].id]


def test_due_for_review_is_empty_for_visitors_and_suspended_members(reviews):
    from flask_login import AnonymousUserMixin

    _, notts, _ = reviews
    assert due_for_review(AnonymousUserMixin(), date(2025, 2, 1)) == []
    suspended = make_user(organisation_id=notts.id, status="suspended")
    add_member(suspended, "officers")
    assert due_for_review(suspended, date(2025, 2, 1)) == []


def test_due_by_lmc_groups_by_lmc_name(reviews):
    made, _, _ = reviews
    groups = due_by_lmc(date(2025, 2, 1))
    assert [(lmc, len(found)) for lmc, found in groups] == [
        ("Devon LMC", 1),
        ("Nottinghamshire LMC", 3),
    ]
    assert due_by_lmc(date(2024, 1, 1)) == []
