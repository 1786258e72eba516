"""Adding and changing library items through the service: every field checked at once,
nothing half-saved, files stored once by content, history kept, versions chained."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from forum.errors import InvalidAccess, ValidationFailed
from forum.extensions import db
from plugins.resources import access, services, storage
from plugins.resources.models import Resource, Revision, StoredFile
from tests.factories import group, make_user
from tests.resources.conftest import item_form, make_officer, make_resource, sample_pdf, upload


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files(app) -> list:
    folder = storage.storage_dir()
    return [p for p in folder.rglob("*") if p.is_file()]


def test_an_officer_adds_a_linked_item_with_its_history(app):
    officer = make_officer()
    item = services.create(officer, item_form(title="GMS Regulations 2015", topics=["contracts"]))
    assert item.slug == "gms-regulations-2015"
    assert item.topic_keys == ["contracts"] and item.nation_keys == ["england"]
    assert item.contributed_by_id == officer.id and item.status == "current"
    [(revision, changes)] = services.revisions(item)
    assert revision.user_id == officer.id
    assert changes["title"] == [None, "GMS Regulations 2015"]


def test_every_problem_is_reported_at_once_and_nothing_is_saved(app):
    officer = make_officer()
    form = item_form(
        title="",
        collection="bogus",
        resource_type="nonsense",
        topics=["not-a-topic"],
        nations=[],
        licence="",
        publication_date="2025-05-01",
        review_date="2024-01-01",
        external_url="javascript:alert(1)",
    )
    with pytest.raises(ValidationFailed) as refused:
        services.create(officer, form)
    messages = " ".join(refused.value.messages)
    for expected in (
        "Title is required",
        "Collection: 'bogus'",
        "Type: 'nonsense'",
        "Topics: 'not-a-topic'",
        "Choose at least one nation",
        "Licence is required",
        "Review date: it cannot be before the publication date",
        "Link: give a full web address",
    ):
        assert expected in messages
    assert count(Resource) == 0 and count(Revision) == 0


def test_uk_wide_means_all_four_nations(app):
    item = make_resource(nations=["uk"])
    assert sorted(item.nation_keys) == ["england", "northern_ireland", "scotland", "wales"]


def test_a_file_or_a_link_is_required(app):
    with pytest.raises(ValidationFailed, match="Upload a file or give a link"):
        services.create(make_officer(), item_form(external_url=""))


def test_only_contributors_may_add_items(app):
    with pytest.raises(InvalidAccess):
        services.create(make_user(), item_form())
    assert count(Resource) == 0


def test_a_file_is_stored_once_by_its_content_and_duplicates_are_named(app):
    pdf = sample_pdf(2)
    first = make_resource(file=pdf, title="Partnership agreement")
    assert first.file.kind == "pdf" and first.file.size == len(pdf)
    assert first.file_name == "agreement.pdf"
    with pytest.raises(ValidationFailed, match="already in the library as “Partnership agreement”"):
        make_resource(file=pdf, filename="copy.pdf")
    assert count(StoredFile) == 1 and count(Resource) == 1
    assert len(stored_files(app)) == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.pdf", "empty"),
        (b"<html><script>alert(1)</script></html>", "report.pdf", ""),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>", "a.pdf", ""),
        (b"MZ\x90\x00" + b"\x00" * 200, "setup.pdf", ""),
    ],
)
def test_refused_files_leave_nothing_behind(app, data, name, message):
    with pytest.raises(ValidationFailed) as refused:
        make_resource(file=data, filename=name)
    assert message in " ".join(refused.value.messages).lower()
    assert count(StoredFile) == 0 and count(Resource) == 0
    assert stored_files(app) == []


def test_files_over_the_limit_are_refused_while_copying(app):
    app.config["RESOURCES_MAX_UPLOAD_BYTES"] = 1000

    class Endless:
        """A stream that would never end: the copy must stop at the limit."""

        read_calls = 0

        def read(self, size):
            Endless.read_calls += 1
            return b"%PDF-" + b"x" * (size - 5)

    with pytest.raises(ValidationFailed, match="too large"):
        services.create(make_officer(), item_form(), services.Upload(Endless(), "big.pdf"))
    assert Endless.read_calls == 1
    assert stored_files(app) == []


def test_the_download_name_is_made_safe(app):
    item = make_resource(file=sample_pdf(1), filename="../../etc/report.pdf.html")
    assert item.file_name == "report.pdf"
    other = make_resource(file=sample_pdf(2), filename="a\u202egpj.pdf")
    assert "\u202e" not in other.file_name and other.file_name.endswith(".pdf")


def test_edits_are_kept_in_the_history_and_no_change_adds_nothing(app):
    officer = make_officer()
    item = make_resource(officer, title="Old title", version="1")
    form = item_form(title="New title", version="2", topics=["contracts", "funding"])
    assert services.update(officer, item, form) is True
    _latest, changes = services.revisions(item)[0]
    assert changes["title"] == ["Old title", "New title"]
    assert changes["version"] == ["1", "2"]
    assert changes["topics"] == ["partnerships", "contracts, funding"]
    assert services.update(officer, item, form) is False
    assert len(services.revisions(item)) == 2


def test_only_the_contributor_or_an_editor_may_edit(app):
    item = make_resource(title="Mine")
    with pytest.raises(InvalidAccess):
        services.update(make_officer(), item, item_form(title="Theirs"))
    admin = make_user(role="admin")
    assert services.update(admin, item, item_form(title="Fixed by an editor"))
    assert db.session.get(Resource, item.id).title == "Fixed by an editor"


def test_a_new_version_supersedes_the_old_one(app):
    officer = make_officer()
    old = make_resource(officer, title="Premises Costs Directions 2013")
    new = make_resource(officer, title="Premises Costs Directions 2024", supersedes=old.slug)
    db.session.refresh(old)
    assert old.status == "superseded" and new.supersedes_id == old.id
    _revision, changes = services.revisions(old)[0]
    assert changes["status"] == ["current", "superseded"]


def test_a_version_chain_cannot_loop(app):
    officer = make_officer()
    old = make_resource(officer)
    new = make_resource(officer, supersedes=str(old.id))
    with pytest.raises(ValidationFailed, match="cannot replace itself or a newer version"):
        services.update(officer, old, item_form(supersedes=new.slug))
    with pytest.raises(ValidationFailed, match="cannot replace itself"):
        services.update(officer, new, item_form(supersedes=new.slug))


def test_superseding_an_item_you_cannot_see_is_refused_without_naming_it(app):
    group("lmcsn-staff")
    secret = make_resource(access_level="restricted", restricted_groups=["lmcsn-staff"])
    member = make_officer()
    with pytest.raises(ValidationFailed) as refused:
        make_resource(member, supersedes=secret.slug)
    assert secret.title not in " ".join(refused.value.messages)


def test_restricted_items_need_someone_to_see_them(app):
    with pytest.raises(ValidationFailed, match="at least one group or LMC"):
        make_resource(access_level="restricted")
    with pytest.raises(ValidationFailed, match="no group called 'nobody'"):
        make_resource(access_level="restricted", restricted_groups=["nobody"])


def test_bma_material_is_kept_as_a_link_only(app):
    with pytest.raises(ValidationFailed, match="link only"):
        make_resource(file=sample_pdf(1), licence="bma_copyright_link_only")


def test_dates_and_text_are_checked(app):
    with pytest.raises(ValidationFailed) as refused:
        make_resource(
            publication_date="2025-13-45",
            review_date="yesterday",
            summary="x" * 601,
            title="t\x00itle",
        )
    messages = " ".join(refused.value.messages)
    assert "Publication date: give a date as YYYY-MM-DD" in messages
    assert "Review date: give a date" in messages
    assert "Summary is too long" in messages
    assert "NUL" in messages


def test_a_review_date_on_the_publication_date_is_fine(app):
    item = make_resource(publication_date="2025-04-01", review_date="2025-04-01")
    assert item.review_date == date(2025, 4, 1)


def test_slugs_are_unique_and_avoid_the_plugins_own_pages(app):
    first = make_resource(title="Review")
    second = make_resource(title="Review")
    assert first.slug == "review-2" and second.slug == "review-3"


def test_the_history_names_every_field_of_a_new_item(app):
    item = make_resource(file=sample_pdf(1), keywords="partnership, deed")
    changes = json.loads(db.session.scalar(select(Revision.changes)))
    assert changes["file"][1].startswith("agreement.pdf (")
    assert changes["keywords"] == [None, "partnership, deed"]
    assert item.keyword_list == ["partnership", "deed"]


def test_access_levels(app):
    officer = make_officer()
    member, visitor_like = make_user(), make_user(status="suspended")
    public = make_resource(officer, access_level="public")
    members = make_resource(officer, access_level="members")
    officers = make_resource(officer, access_level="officers_staff")
    draft = make_resource(officer, status="draft")
    for item, member_sees in ((public, True), (members, True), (officers, False), (draft, False)):
        assert access.can_see(member, item) is member_sees
        assert access.can_see(officer, item) is True
    assert access.can_see(visitor_like, public) and not access.can_see(visitor_like, members)
    visible = set(db.session.scalars(select(Resource.id).where(access.visible(member))))
    assert visible == {public.id, members.id}


def test_restricted_items_are_seen_by_granted_groups_and_lmcs(app):
    from forum.accounts.models import Organisation

    lmc = Organisation(name="Demo LMC", nation="England", region="London")
    db.session.add(lmc)
    db.session.commit()
    group("lmcsn-staff")
    by_group = make_resource(access_level="restricted", restricted_groups=["lmcsn-staff"])
    by_lmc = make_resource(access_level="restricted", restricted_lmcs=["Demo LMC"])
    staffer, local, outsider = make_user(), make_user(organisation_id=lmc.id), make_officer()
    from tests.factories import add_member

    add_member(staffer, "lmcsn-staff")
    assert access.can_see(staffer, by_group) and not access.can_see(staffer, by_lmc)
    assert access.can_see(local, by_lmc) and not access.can_see(local, by_group)
    assert not access.can_see(outsider, by_group) and not access.can_see(outsider, by_lmc)
    visible = set(db.session.scalars(select(Resource.id).where(access.visible(local))))
    assert visible == {by_lmc.id}
    assert f"resources:item:{by_lmc.id}" in access.scopes(local)
    assert f"resources:item:{by_group.id}" not in access.scopes(local)


def test_upload_helper_from_conftest_round_trips(app):
    data = sample_pdf(1)
    item = services.create(make_officer(), item_form(external_url=None), upload(data, "x.pdf"))
    assert storage.path_for(item.file.sha256).read_bytes() == data


@pytest.mark.parametrize("field", ["contributing_lmc", "supersedes", "restricted_lmcs"])
def test_digits_that_are_not_numbers_are_refused_with_a_message(app, field):
    with pytest.raises(ValidationFailed):
        make_resource(
            **{field: "\u00b2"},
            access_level="restricted" if field == "restricted_lmcs" else "members",
        )


def test_the_same_file_uploaded_again_to_its_own_item_is_not_a_duplicate(app):
    officer = make_officer()
    pdf = sample_pdf(2)
    item = make_resource(officer, file=pdf)
    form = item_form(title=item.title, external_url=None, version="2")
    assert services.update(officer, item, form, upload(pdf, "again.pdf")) is True


def test_inside_a_callers_transaction_a_refusal_undoes_only_that_item(app):
    officer = make_officer()
    kept = services.create(officer, item_form(title="Kept item"), commit=False)
    with pytest.raises(ValidationFailed):
        services.create(officer, item_form(title="", external_url=""), commit=False)
    with pytest.raises(ValidationFailed):
        services.create(officer, item_form(), upload(b"", "empty.pdf"), commit=False)
    db.session.commit()
    assert db.session.scalars(select(Resource.title)).all() == [kept.title]
