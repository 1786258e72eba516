"""Bulk import (``flask forum resources import``): a folder tree built in ``tmp_path`` with
generated documents goes into the library; folder names become topics; bad files are refused
with a reason while the others go in; re-running adds nothing; a dry run stores nothing; a
CSV manifest (UTF-8 with a BOM, or Windows-1252) gives every field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from plugins.resources import storage
from plugins.resources.importer import (
    ImportStopped,
    import_tree,
    match_topic,
    read_manifest,
    title_from_filename,
)
from plugins.resources.models import FileSection, Resource, Revision, StoredFile
from plugins.resources.samples import docx_bytes, pdf_bytes, xlsx_bytes
from tests.factories import make_user

from .conftest import make_officer

LEASE = pdf_bytes(["Heads of terms for a surgery lease.", "Rent review every five years."])
AGREEMENT = docx_bytes(
    "Model partnership agreement", [("Retirement", ["Twelve months' notice is required."])]
)
CALCULATOR = xlsx_bytes({"Rent": [["Year", "Rent"], [2024, 52000], [2025, 53000]]})
DISGUISED = b"<html><body><script>alert('hello')</script></body></html>"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def write(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def admin(app):
    return make_user("librarian", role="admin")


@pytest.fixture
def tree(tmp_path) -> Path:
    """A SharePoint-like library: nested topic folders, a web page posing as a PDF, an empty
    file, the same PDF in two folders, hidden files, and a folder that is no topic."""
    root = tmp_path / "library"
    write(root, "Partnerships & partnership agreements/Model_partnership-agreement.docx", AGREEMENT)
    write(root, "Premises/Leases/lease-heads_of_terms.pdf", LEASE)
    write(root, "Premises/rent calculator.xlsx", CALCULATOR)
    write(root, "Premises/report.pdf", DISGUISED)
    write(root, "Premises/.DS_Store", b"\x00\x00\x00\x01Bud1")
    write(root, "Premises/~$rent calculator.xlsx", b"lock")
    write(root, ".hidden/secret.pdf", LEASE + b"%hidden")
    write(root, "Workforce/empty.docx", b"")
    write(root, "Workforce/Copies/lease copy.pdf", LEASE)
    write(root, "Miscellaneous/notes.txt", b"Notes from the meeting about the levy.\n")
    return root


def storage_files(app) -> list[Path]:
    folder = storage.storage_dir()
    return [p for p in folder.rglob("*") if p.is_file()]


# -- Pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "topic"),
    [
        ("Premises", "premises"),
        ("premises", "premises"),
        ("03 Premises", "premises"),
        ("Partnerships & partnership agreements", "partnerships"),
        ("Partnerships and partnership agreements", "partnerships"),
        ("PCNs", "pcns"),
        ("enhanced-services", "enhanced-services"),
        ("Enhanced services", "enhanced-services"),
        ("Sessional GPs", "sessional-gps"),
        ("Workforce", "workforce"),
        ("GP contracts", "contracts"),
        ("LMC finance", "lmc-finance"),
        ("Information governance", "information-governance"),
        ("LMC", None),  # begins three topics' names: no guess
        ("Miscellaneous", None),
        ("", None),
        ("2024", None),
    ],
)
def test_folder_names_match_topics(folder, topic):
    assert match_topic(folder) == topic


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Model_partnership-agreement.docx", "Model partnership agreement"),
        ("lease-heads_of_terms.pdf", "lease heads of terms"),
        ("report.pdf.html", "report"),
        ("Version 2.1 notes.txt", "Version 2.1 notes"),
        ("a\u202egpj.pdf", "agpj"),
        ("x" * 300 + ".pdf", "x" * 250),
    ],
)
def test_titles_come_from_file_names(name, title):
    assert title_from_filename(name) == title


# -- Importing a folder tree -------------------------------------------------------------------


def test_a_folder_tree_is_imported_with_topics_from_its_folders(app, admin, tree):
    report = import_tree(tree)

    assert [o.path for o in report.imported] == [
        "Partnerships & partnership agreements/Model_partnership-agreement.docx",
        "Premises/rent calculator.xlsx",
        "Premises/Leases/lease-heads_of_terms.pdf",
    ]
    reasons = {o.path: o.reason for o in report.outcomes if o.status != "imported"}
    assert "web page" in reasons["Premises/report.pdf"].lower()
    assert "empty" in reasons["Workforce/empty.docx"]
    assert (
        "No library topic matches its folder (Miscellaneous)" in reasons["Miscellaneous/notes.txt"]
    )
    assert reasons["Workforce/Copies/lease copy.pdf"].startswith("Already imported")
    assert "lease heads of terms" in reasons["Workforce/Copies/lease copy.pdf"]
    assert [o.path for o in report.skipped] == ["Workforce/Copies/lease copy.pdf"]
    assert len(report.refused) == 3 and not report.ok
    assert not any(
        "hidden" in o.path or "DS_Store" in o.path or "~$" in o.path for o in report.outcomes
    )

    items = {r.title: r for r in db.session.scalars(select(Resource))}
    assert set(items) == {"Model partnership agreement", "rent calculator", "lease heads of terms"}
    lease = items["lease heads of terms"]
    assert lease.topic_keys == ["premises"]
    assert items["Model partnership agreement"].topic_keys == ["partnerships"]
    assert lease.nation_keys == sorted(["england", "wales", "scotland", "northern_ireland"])
    assert (lease.collection, lease.resource_type) == ("tool_or_sample", "lmc_guidance_note")
    assert (lease.source_org, lease.licence, lease.access_level) == (
        "Imported", "internal_only", "members",
    )  # fmt: skip
    assert lease.contributed_by_id == admin.id
    assert lease.file_name == "lease-heads_of_terms.pdf"
    assert lease.file.kind == "pdf"
    assert "Premises / Leases" in lease.summary
    assert count(Revision) == 3  # each with its history, as if uploaded in the browser
    assert count(StoredFile) == 3 and len(storage_files(app)) == 3  # nothing left of refusals


def test_rerunning_an_import_adds_nothing(app, admin, tree):
    first = import_tree(tree)
    second = import_tree(tree)

    assert len(first.imported) == 3
    assert second.imported == []
    assert len(second.skipped) == 4  # the three items and the copy
    assert all(o.reason.startswith("Already imported") for o in second.skipped)
    assert count(Resource) == 3 and count(Revision) == 3 and count(StoredFile) == 3


def test_a_dry_run_checks_everything_and_stores_nothing(app, admin, tree):
    report = import_tree(tree, dry_run=True)

    assert report.dry_run
    assert len(report.imported) == 3
    assert [o.path for o in report.skipped] == ["Workforce/Copies/lease copy.pdf"]
    assert "same file as Premises/Leases/lease-heads_of_terms.pdf" in report.skipped[0].reason
    assert {o.path for o in report.refused} == {
        "Premises/report.pdf", "Workforce/empty.docx", "Miscellaneous/notes.txt",
    }  # fmt: skip
    assert count(Resource) == count(StoredFile) == count(Revision) == 0
    assert storage_files(app) == []


def test_a_default_topic_takes_files_whose_folders_match_none(app, admin, tree):
    report = import_tree(tree, default_topic="lmc-finance", defaults={"nations": ["wales"]})

    notes = db.session.scalar(select(Resource).where(Resource.title == "notes"))
    assert notes.topic_keys == ["lmc-finance"] and notes.nation_keys == ["wales"]
    lease = db.session.scalar(select(Resource).where(Resource.title == "lease heads of terms"))
    assert lease.topic_keys == ["premises"]  # its folder still decides
    assert len(report.imported) == 4


def test_files_in_several_topic_folders_get_every_topic(app, admin, tmp_path):
    root = tmp_path / "library"
    write(root, "Premises/PCNs/Workload/space.pdf", LEASE)

    import_tree(root)

    item = db.session.scalar(select(Resource))
    assert item.topic_keys == sorted(["premises", "pcns", "workload"])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_shortcuts_leading_outside_the_folder_are_not_followed(app, admin, tmp_path):
    root = tmp_path / "library"
    write(root, "Premises/lease.pdf", LEASE)
    outside = write(tmp_path, "private/outside.pdf", AGREEMENT)
    os.symlink(outside, root / "Premises" / "link.pdf")
    os.symlink(outside.parent, root / "Premises" / "private")

    report = import_tree(root)

    assert [o.path for o in report.imported] == ["Premises/lease.pdf"]
    skipped = {o.path: o.reason for o in report.skipped}
    assert "outside the folder" in skipped["Premises/link.pdf"]
    assert "not followed" in skipped["Premises/private"]
    assert count(Resource) == 1


def test_the_import_runs_as_the_person_named(app, tree):
    make_user("admin1", role="admin")
    officer = make_officer("officer1")
    make_user("member1")

    import_tree(tree, user="officer1")
    assert {r.contributed_by_id for r in db.session.scalars(select(Resource))} == {officer.id}

    with pytest.raises(ImportStopped, match="member1 may not add items"):
        import_tree(tree, user="member1")
    with pytest.raises(ImportStopped, match="no user called 'nobody'"):
        import_tree(tree, user="nobody")


def test_without_an_admin_the_import_does_not_start(app, tree):
    with pytest.raises(ImportStopped, match="no active admin"):
        import_tree(tree)
    with pytest.raises(ImportStopped, match="no folder"):
        import_tree(tree / "missing", user=make_officer())


# -- Manifests ---------------------------------------------------------------------------------

HEADER = "path,title,summary,collection,resource_type,topics,nations,source_org,licence\n"


def manifest_tree(tmp_path) -> Path:
    root = tmp_path / "library"
    write(root, "Premises/lease.pdf", LEASE)
    write(root, "Partnerships/agreement.docx", AGREEMENT)
    write(root, "Premises/calculator.xlsx", CALCULATOR)
    write(tmp_path, "outside.pdf", pdf_bytes(["Not for the library."]))
    return root


def test_a_manifest_with_a_byte_order_mark_gives_every_field(app, admin, tmp_path):
    root = manifest_tree(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        HEADER + 'Premises/lease.pdf,Lease heads of terms — 2024,"What to agree, first.",'
        'primary_document,model_agreement,"premises, Workload","england, Wales",'
        "NHS England,ogl_crown\n"
        "Partnerships/agreement.docx,,,,,,scotland,BMA,\n",
        encoding="utf-8-sig",
    )
    assert manifest.read_bytes().startswith(b"\xef\xbb\xbf")

    report = import_tree(root, manifest=manifest)

    assert report.ok and len(report.imported) == 2
    lease = db.session.get(Resource, report.imported[0].resource_id)
    assert lease.title == "Lease heads of terms — 2024"
    assert lease.summary == "What to agree, first."
    assert (lease.collection, lease.resource_type, lease.licence) == (
        "primary_document", "model_agreement", "ogl_crown",
    )  # fmt: skip
    assert lease.topic_keys == ["premises", "workload"]
    assert lease.nation_keys == ["england", "wales"]
    assert lease.source_org == "NHS England"
    agreement = db.session.get(Resource, report.imported[1].resource_id)
    assert agreement.title == "agreement"  # blank cells: the file name and the defaults
    assert agreement.topic_keys == ["partnerships"]  # from its folder
    assert agreement.nation_keys == ["scotland"]
    assert agreement.licence == "internal_only"
    assert count(Resource) == 2  # the manifest lists two files: the third stays out


def test_a_windows_1252_manifest_is_read(app, admin, tmp_path):
    root = manifest_tree(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes(
        (
            HEADER + "Premises\\lease.pdf,GP’s lease – £52k rent,Summary,,,premises,all,LMC,\r\n"
        ).encode("cp1252")
    )

    report = import_tree(root, manifest=manifest)

    assert report.ok, report.refused
    item = db.session.scalar(select(Resource))
    assert item.title == "GP’s lease – £52k rent"
    assert len(item.nation_keys) == 4


def test_a_manifest_with_unknown_columns_imports_nothing(app, admin, tmp_path, runner):
    root = manifest_tree(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,title,Owner,colour\nPremises/lease.pdf,Lease,Sam,red\n")

    with pytest.raises(ImportStopped) as stopped:
        import_tree(root, manifest=manifest)
    assert "'owner', 'colour'" in str(stopped.value)
    assert "Nothing was imported" in str(stopped.value)

    result = runner.invoke(
        args=["forum", "resources", "import", str(root), "--manifest", str(manifest)]
    )
    assert result.exit_code == 1
    assert "not library fields: 'owner', 'colour'" in result.output
    assert count(Resource) == count(StoredFile) == 0


def test_manifest_rows_are_refused_one_by_one(app, admin, tmp_path):
    root = manifest_tree(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        HEADER.replace("\n", ",external_url\n")
        + "Premises/lease.pdf,Lease,S,bogus_collection,,premises,,,,\n"
        + "Partnerships/agreement.docx,Agreement,S,,,partnerships,,,,\n"
        + "../outside.pdf,Outside,S,,,premises,,,,\n"
        + "/etc/passwd,Passwords,S,,,premises,,,,\n"
        + "Premises/missing.pdf,Missing,S,,,premises,,,,\n"
        + ",Statement of Financial Entitlements,The SFE.,primary_document,directions,funding,"
        "england,DHSC,ogl_crown,https://www.gov.uk/sfe\n" + ",No file and no link,S,,,funding,,,,\n"
    )

    report = import_tree(root, manifest=manifest)

    assert [o.path for o in report.imported] == [
        "Partnerships/agreement.docx",
        "manifest line 7",
    ]
    reasons = {o.path: o.reason for o in report.refused}
    assert (
        "Collection: 'bogus_collection' is not one of the choices." in reasons["Premises/lease.pdf"]
    )
    assert "outside the folder" in reasons["../outside.pdf"]
    assert "not absolute" in reasons["/etc/passwd"]
    assert "no such file" in reasons["Premises/missing.pdf"]
    assert "a file (path) or a link (external_url)" in reasons["manifest line 8"]
    link = db.session.get(Resource, report.imported[1].resource_id)
    assert link.external_url == "https://www.gov.uk/sfe" and link.file_id is None
    assert count(Resource) == 2
    assert not any("outside" in r.title.lower() for r in db.session.scalars(select(Resource)))

    again = import_tree(root, manifest=manifest)
    assert again.imported == []
    assert (
        "this link is in the library"
        in {o.path: o.reason for o in again.skipped}["manifest line 7"]
    )


def test_manifest_cells_may_use_labels(app, admin, tmp_path):
    root = manifest_tree(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "Path,Title,Collection,Resource type,Topics,Nations,Access level\n"
        "Premises/lease.pdf,Lease,Primary documents,Model agreement,"
        "Premises & estates,Northern Ireland,LMC officers and staff\n"
    )

    report = import_tree(root, manifest=manifest)

    assert report.ok, report.refused
    item = db.session.scalar(select(Resource))
    assert (item.collection, item.resource_type, item.access_level) == (
        "primary_document", "model_agreement", "officers_staff",
    )  # fmt: skip
    assert item.topic_keys == ["premises"] and item.nation_keys == ["northern_ireland"]


def test_unreadable_manifests_stop_the_import(app, admin, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportStopped, match="empty"):
        read_manifest(empty)
    twice = tmp_path / "twice.csv"
    twice.write_text("path,title,Title\n")
    with pytest.raises(ImportStopped, match="twice: title"):
        read_manifest(twice)
    no_path = tmp_path / "no_path.csv"
    no_path.write_text("title,summary\nA,B\n")
    with pytest.raises(ImportStopped, match="path"):
        read_manifest(no_path)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"path\n\x81\x8d\x00")
    with pytest.raises(ImportStopped):
        read_manifest(binary)


# -- The command -------------------------------------------------------------------------------


def test_the_command_imports_reads_the_text_and_reports(app, admin, tree, runner):
    result = runner.invoke(args=["forum", "resources", "import", str(tree)])

    assert result.exit_code == 1  # some files were refused
    out = result.output
    assert "Imported 3, skipped 1, refused 3." in out
    assert "Skipped:\n  Workforce/Copies/lease copy.pdf: Already imported" in out
    assert "Refused:" in out and "  Workforce/empty.docx: " in out
    assert "  Miscellaneous/notes.txt: No library topic matches" in out
    assert "Text: 3 read, 0 failed" in out
    lease = db.session.scalar(select(Resource).where(Resource.title == "lease heads of terms"))
    assert lease.file.extraction == "done"
    texts = db.session.scalars(select(FileSection.text).where(FileSection.file_id == lease.file_id))
    assert any("Rent review every five years" in text for text in texts)

    again = runner.invoke(args=["forum", "resources", "import", str(tree), "--no-extract"])
    assert "Imported 0, skipped 4, refused 3." in again.output


def test_the_command_exits_with_0_when_nothing_is_refused(app, admin, tmp_path, runner):
    root = tmp_path / "library"
    write(root, "Premises/lease.pdf", LEASE)
    write(root, "Notes/notes.txt", b"Plain notes.\n")

    dry = runner.invoke(
        args=["forum", "resources", "import", str(root), "--dry-run", "--topic", "workload"]
    )
    assert dry.exit_code == 0, dry.output
    assert "Dry run: 2 would be imported, 0 skipped, 0 refused. Nothing was stored." in dry.output
    assert count(Resource) == 0 and storage_files(app) == []

    result = runner.invoke(
        args=[
            "forum", "resources", "import", str(root), "--topic", "workload",
            "--nation", "wales", "--nation", "scotland", "--licence", "ogl_crown",
            "--access", "public", "--source-org", "Wessex LMCs", "--type", "template_letter",
            "--collection", "lmc_guidance", "--no-extract", "--quiet",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Imported 2, skipped 0, refused 0." in result.output
    notes = db.session.scalar(select(Resource).where(Resource.title == "notes"))
    assert notes.topic_keys == ["workload"]
    assert notes.nation_keys == ["scotland", "wales"]
    assert (notes.licence, notes.access_level, notes.source_org) == (
        "ogl_crown", "public", "Wessex LMCs",
    )  # fmt: skip
    assert (notes.resource_type, notes.collection) == ("template_letter", "lmc_guidance")
    assert notes.file.extraction == "pending"  # --no-extract

    extract = runner.invoke(args=["forum", "resources", "extract"])
    assert extract.exit_code == 0
    assert "Read 2 files: 2 read, 0 failed" in extract.output
    db.session.refresh(notes.file)
    assert notes.file.extraction == "done"


def test_the_command_refuses_bad_options(app, admin, tree, runner):
    result = runner.invoke(args=["forum", "resources", "import", str(tree), "--as", "ghost"])
    assert result.exit_code == 1 and "There is no user called 'ghost'" in result.output
    result = runner.invoke(args=["forum", "resources", "import", str(tree), "--nation", "france"])
    assert result.exit_code == 2 and "france" in result.output
    result = runner.invoke(args=["forum", "resources", "import", str(tree), "--type", "memo"])
    assert result.exit_code == 2
    assert count(Resource) == 0
    help_text = runner.invoke(args=["forum", "resources", "import", "--help"]).output
    assert "Exits with 0 when no file was refused, 1 when some were" in help_text


def test_odd_manifest_paths_are_refused_with_a_reason(app, admin, tmp_path):
    root = manifest_tree(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,topics\n"
        + "x" * 5000
        + ".pdf,premises\n"
        + "Premises,premises\n"
        + "C:\\Windows\\win.ini,premises\n"
        + "Premises/../../outside.pdf,premises\n"
        + "./Premises/lease.pdf,premises\n"
    )

    report = import_tree(root, manifest=manifest)

    assert [o.path for o in report.imported] == ["./Premises/lease.pdf"]
    reasons = [o.reason for o in report.refused]
    assert reasons[0].startswith("It could not be read")
    assert reasons[1] == "It is not an ordinary file."
    assert "not absolute" in reasons[2]
    assert "outside the folder" in reasons[3]


def test_extract_retries_failed_files_when_asked(app, admin, tmp_path, runner):
    root = tmp_path / "library"
    write(root, "Premises/lease.pdf", LEASE)
    report = import_tree(root)
    stored = db.session.get(StoredFile, report.file_ids[0])
    stored.extraction = "failed"
    db.session.commit()

    plain = runner.invoke(args=["forum", "resources", "extract"])
    assert plain.exit_code == 0 and "No files are waiting to be read." in plain.output

    retried = runner.invoke(args=["forum", "resources", "extract", "--retry-failed"])
    assert retried.exit_code == 0
    assert "Read 1 file: 1 read, 0 failed, 0 with no text to read." in retried.output
    db.session.refresh(stored)
    assert stored.extraction == "done" and stored.section_count == 2


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(app, admin, tmp_path):
    app.config["RESOURCES_MAX_UPLOAD_BYTES"] = 1024 * 1024
    root = tmp_path / "big"
    write(root, "Premises/huge.txt", b"words " * 300_000)
    write(root, "Premises/small.txt", b"A short note on leases.")
    report = import_tree(root, user=admin)
    [refused] = report.refused
    assert refused.path.endswith("huge.txt")
    assert refused.reasons == ["That file is too large: files can be at most 1 MB."]
    assert len(report.imported) == 1
