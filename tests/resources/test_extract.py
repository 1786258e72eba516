"""The text inside documents, in sections people can be sent to ("page 7", "section
“Termination”", "sheet “Costs”"), within the caps, and read in a child process that a broken
document cannot take the tests (or the forum) down with."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plugins.resources import extract as extract_module
from plugins.resources.extract import (
    ExtractionFailed,
    Section,
    clean_text,
    extract,
    extract_isolated,
    rtf_to_text,
)
from plugins.resources.samples import (
    docx_bytes,
    minimal_ods_bytes,
    minimal_odt_bytes,
    minimal_pptx_bytes,
    pdf_bytes,
    xlsx_bytes,
)


def write(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ten_page_pdf() -> bytes:
    pages = [f"Page {n} of the model agreement. Nothing special here." for n in range(1, 11)]
    pages[2] = ""  # an empty page 3: numbering must stay true
    pages[6] = "Clause 12: the partnership ends on the death of a partner (zebra-quokka)."
    return pdf_bytes(pages, title="Model agreement")


# --- PDF ----------------------------------------------------------------------------------


def test_a_phrase_on_page_7_is_found_on_the_section_labelled_page_7(tmp_path):
    sections = extract(write(tmp_path, ten_page_pdf(), "a.pdf"), "pdf")
    found = [s for s in sections if "zebra-quokka" in s.text]
    assert [(s.number, s.label) for s in found] == [(7, "page 7")]
    assert "page 3" not in [s.label for s in sections]  # empty pages are left out...
    assert [s.number for s in sections] == [1, 2, 4, 5, 6, 7, 8, 9, 10]  # ...not renumbered
    assert sections[0].text.startswith("Model agreement\nPage 1 of the model agreement.")


def test_isolated_extraction_of_a_good_pdf_is_the_same_as_in_process(tmp_path):
    path = write(tmp_path, ten_page_pdf(), "a.pdf")
    assert extract_isolated(path, "pdf") == extract(path, "pdf")


def test_a_corrupt_pdf_fails_cleanly_in_the_child(tmp_path):
    path = write(tmp_path, b"%PDF-1.4\n" + bytes(range(256)) * 20, "corrupt.pdf")
    with pytest.raises(ExtractionFailed) as caught:
        extract_isolated(path, "pdf")
    assert str(caught.value) == "the PDF could not be read"


def test_a_truncated_pdf_fails_cleanly_in_the_child(tmp_path):
    data = ten_page_pdf()
    path = write(tmp_path, data[: len(data) // 2], "truncated.pdf")
    with pytest.raises(ExtractionFailed) as caught:
        extract_isolated(path, "pdf")
    assert str(caught.value) == "the PDF could not be read"
    with pytest.raises(ExtractionFailed):
        extract(path, "pdf")


def test_a_password_protected_pdf_is_reported_as_such(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(write(tmp_path, ten_page_pdf(), "a.pdf")))
    writer.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(ExtractionFailed) as caught:
        extract_isolated(path, "pdf")
    assert caught.value.code == "encrypted"
    assert "password" in str(caught.value)


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(write(tmp_path, ten_page_pdf(), "a.pdf")))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert any("zebra-quokka" in s.text for s in extract(path, "pdf"))


# --- Word, Excel, PowerPoint, OpenDocument ---------------------------------------------------


def test_word_sections_are_labelled_by_their_headings(tmp_path):
    data = docx_bytes(
        "Partnership agreement",
        [
            ("Parties", ["Dr A and Dr B.", "Both of the practice."]),
            ("Termination", ["Either party may end it with six months' notice."]),
            ("A heading far longer than sixty characters, which must be cut short", ["x"]),
        ],
    )
    sections = extract(write(tmp_path, data, "a.docx"), "docx")
    assert [s.label for s in sections] == [
        "section “Partnership agreement”",
        "section “Parties”",
        "section “Termination”",
        "section “A heading far longer than sixty characters, which must be…”",
    ]
    assert [s.number for s in sections] == [1, 2, 3, 4]
    assert sections[2].text == "Termination\nEither party may end it with six months' notice."
    assert len(sections[3].label) <= len("section “”") + 60


def test_word_text_before_the_first_heading_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Opening words.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Item", "Cost"
    table.cell(1, 0).text, table.cell(1, 1).text = "Rent", "£1,200"
    document.add_heading("Costs", level=2)
    document.add_paragraph("See above.")
    path = tmp_path / "t.docx"
    document.save(path)
    sections = extract(path, "docx")
    assert [s.label for s in sections] == ["start", "section “Costs”"]
    assert sections[0].text == "Opening words.\nItem\tCost\nRent\t£1,200"


def test_word_without_headings_is_split_into_parts_of_40_paragraphs(tmp_path):
    import docx

    document = docx.Document()
    for n in range(1, 101):
        document.add_paragraph(f"Paragraph {n}.")
    path = tmp_path / "plain.docx"
    document.save(path)
    sections = extract(path, "docx")
    assert [s.label for s in sections] == ["part 1", "part 2", "part 3"]
    assert sections[1].text.splitlines()[0] == "Paragraph 41."


def test_excel_sheets_are_labelled_by_name(tmp_path):
    data = xlsx_bytes(
        {
            "Costs": [["Item", "Cost", None], ["Rent", 1200, None], ["Rates", 350.5, "note"]],
            "Empty": [],
            "Staff": [["Name"], ["Dr A"]],
        }
    )
    sections = extract(write(tmp_path, data, "a.xlsx"), "xlsx")
    assert [(s.number, s.label) for s in sections] == [(1, "sheet “Costs”"), (3, "sheet “Staff”")]
    assert sections[0].text == "Item\tCost\nRent\t1200\nRates\t350.5\tnote"


def test_excel_reads_at_most_5000_rows_a_sheet(tmp_path):
    data = xlsx_bytes({"Long": [[n] for n in range(1, 6001)]})
    (section,) = extract(write(tmp_path, data, "long.xlsx"), "xlsx")
    lines = section.text.splitlines()
    assert len(lines) == 5000
    assert lines[-1] == "5000"


def test_powerpoint_slides(tmp_path):
    data = minimal_pptx_bytes([["Welcome", "to the LMC"], [], ["Questions?"]])
    sections = extract(write(tmp_path, data, "a.pptx"), "pptx")
    assert [(s.number, s.label, s.text) for s in sections] == [
        (1, "slide 1", "Welcome\nto the LMC"),
        (3, "slide 3", "Questions?"),
    ]


def test_opendocument_text_and_spreadsheets(tmp_path):
    odt = minimal_odt_bytes([("p", "Before."), ("h", "Fees"), ("p", "£120 a year.")])
    sections = extract(write(tmp_path, odt, "a.odt"), "odt")
    assert [(s.label, s.text) for s in sections] == [
        ("start", "Before."),
        ("section “Fees”", "Fees\n£120 a year."),
    ]
    ods = minimal_ods_bytes({"Budget": [["Item", "Cost"], ["Rent", "1200"]]})
    sections = extract(write(tmp_path, ods, "a.ods"), "ods")
    assert [(s.label, s.text) for s in sections] == [("sheet “Budget”", "Item\tCost\nRent\t1200")]


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("pdf", pdf_bytes(["The hidden phrase."])),
        ("docx", docx_bytes("T", [("H", ["The hidden phrase."])])),
        ("xlsx", xlsx_bytes({"S": [["The hidden phrase."]]})),
        ("pptx", minimal_pptx_bytes([["The hidden phrase."]])),
        ("odt", minimal_odt_bytes([("p", "The hidden phrase.")])),
        ("ods", minimal_ods_bytes({"S": [["The hidden phrase."]]})),
        ("csv", b"a,b\nThe hidden phrase.,x\n"),
        ("txt", b"The hidden phrase."),
        ("rtf", rb"{\rtf1 The hidden phrase.}"),
    ],
)
def test_every_kind_is_read_whatever_the_file_is_called(tmp_path, kind, data):
    """Stored files are named by their hash, with no extension."""
    path = write(tmp_path, data, "141714c21d94a9ff009203d20b56e6275612c14f3be334200f916214b6ce989a")
    sections = extract_isolated(path, kind)
    assert any("The hidden phrase." in s.text for s in sections)
    assert sections == extract(path, kind)


# --- text, CSV, RTF -----------------------------------------------------------------------


def test_text_is_split_into_parts_at_line_boundaries(tmp_path):
    lines = [f"Line {n:04d} of the guidance, with a few words to fill it out." for n in range(400)]
    sections = extract(write(tmp_path, "\n".join(lines).encode(), "a.txt"), "txt")
    assert len(sections) > 1
    assert [s.label for s in sections] == [f"part {n}" for n in range(1, len(sections) + 1)]
    assert all(len(s.text) <= 3_000 for s in sections)
    assert "\n".join(s.text for s in sections).splitlines() == lines  # nothing lost or cut


def test_a_very_long_line_is_split_too(tmp_path):
    sections = extract(write(tmp_path, b"word " * 3_000, "a.txt"), "txt")
    assert len(sections) == 5
    assert all(len(s.text) <= 3_000 for s in sections)


def test_windows_1252_text(tmp_path):
    data = "The fee is \u00a3120 \u2013 \u201cnow\u201d.\r\nCaf\u00e9.".encode("cp1252")
    (section,) = extract(write(tmp_path, data, "a.txt"), "txt")
    assert section.text == "The fee is £120 – “now”.\nCafé."


def test_utf8_with_a_bom(tmp_path):
    (section,) = extract(write(tmp_path, "\ufeffCafé  au   lait".encode(), "a.txt"), "txt")
    assert section.text == "Café au lait"


def test_csv_parts_are_labelled_by_rows(tmp_path):
    rows = ["Practice,Town,List size"] + [f"Practice {n},Town {n},{n * 100}" for n in range(300)]
    sections = extract(write(tmp_path, "\n".join(rows).encode(), "a.csv"), "csv")
    assert len(sections) > 1
    assert sections[0].label.startswith("rows 1–")
    assert sections[0].text.splitlines()[0] == "Practice\tTown\tList size"
    first, last = sections[-1].label.removeprefix("rows ").split("–")
    assert int(last) == 301
    assert int(first) == int(sections[-2].label.split("–")[1]) + 1


def test_csv_with_quoted_fields_and_semicolons(tmp_path):
    data = b'Name;Note\n"Smith; J";"said ""hello""\nover two lines"\n'
    (section,) = extract(write(tmp_path, data, "a.csv"), "csv")
    assert section.label == "rows 1–2"
    assert section.text == 'Name\tNote\nSmith; J\tsaid "hello" over two lines'


def test_rtf(tmp_path):
    data = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}"
        rb"{\colortbl;\red0\green0\blue0;}{\*\generator Riched20;}"
        rb"{\info{\title Secret title}}\f0\fs24 Fees \'a3120 \endash  "
        rb"\ldblquote now\rdblquote .\par "
        rb"Caf\'e9 \u8364? and \{braces\}\tab done\par\r\n"
        rb"{\pict\pngblip 89504e470d0a1a0a}{\field{\*\fldinst HYPERLINK x}{\fldrslt link}}}"
    )
    (section,) = extract(write(tmp_path, data, "a.rtf"), "rtf")
    assert section.label == "part 1"
    assert section.text == "Fees £120 – “now”.\nCafé € and {braces}\tdone\nlink"


def test_rtf_stripper_skips_binary_data():
    assert rtf_to_text(b"{\\rtf1 a\\bin3 \x00{}b\\par}") == "ab\n"
    assert rtf_to_text(b"{\\rtf1 {\\*\\unknown skipped}{\\pict 0a0b}kept}") == "kept"


# --- cleaning and caps --------------------------------------------------------------------


def test_clean_text_collapses_whitespace_and_drops_control_characters():
    raw = "  Hello\x00  \u00a0world \x07\r\n\r\n\r\n\tcell\t \tcell2  \u202eevil\n\n"
    assert clean_text(raw) == "Hello world\n\ncell\t\tcell2 evil"


def test_caps_on_sections_and_characters(tmp_path, monkeypatch):
    path = write(tmp_path, "\n".join(f"line {n}" for n in range(50_000)).encode(), "a.txt")
    monkeypatch.setattr(extract_module, "PART_CHARS", 100)
    monkeypatch.setattr(extract_module, "MAX_SECTIONS", 20)
    assert len(extract(path, "txt")) == 20
    monkeypatch.setattr(extract_module, "MAX_SECTIONS", 2_000)
    whole = extract(path, "txt")
    monkeypatch.setattr(extract_module, "MAX_TOTAL_CHARS", 1_050)
    sections = extract(path, "txt")
    assert 1_050 - 100 < sum(len(s.text) for s in sections) <= 1_050
    assert sections[:-1] == whole[: len(sections) - 1]
    last = whole[len(sections) - 1].text
    assert last.startswith(sections[-1].text) and last != sections[-1].text  # cut short


def test_the_default_caps():
    assert extract_module.MAX_SECTIONS == 2_000
    assert extract_module.MAX_TOTAL_CHARS == 5_000_000


def test_large_text_stays_within_the_character_cap(tmp_path):
    path = write(tmp_path, b"0123456789 " * 600_000, "big.txt")  # 6.6 million characters
    sections = extract(path, "txt")
    assert 5_000_000 - 3_000 < sum(len(s.text) for s in sections) <= 5_000_000
    assert len(sections) < 2_000


# --- the child process ----------------------------------------------------------------------


def test_the_child_runs_by_path_without_flask(tmp_path):
    import subprocess

    path = write(tmp_path, b"hello", "a.txt")
    done = subprocess.run(
        [sys.executable, "-P", extract_module.__file__, str(path), "txt"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b'[{"number": 1, "label": "part 1", "text": "hello"}]'
    check = "import sys, runpy; runpy.run_path(sys.argv[1]); print('flask' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-I", "-c", check, extract_module.__file__],
        capture_output=True,
        check=True,
    )
    assert done.stdout.strip() == b"False"


def test_a_child_that_runs_out_of_time_fails_cleanly(tmp_path):
    path = write(tmp_path, ten_page_pdf(), "a.pdf")
    with pytest.raises(ExtractionFailed) as caught:
        extract_isolated(path, "pdf", timeout=0.001)
    assert str(caught.value) == "reading it took longer than 0.001 seconds"
    assert caught.value.code == "timeout"


def test_a_child_that_runs_out_of_memory_fails_cleanly(tmp_path):
    path = write(tmp_path, ten_page_pdf(), "a.pdf")
    with pytest.raises(ExtractionFailed) as caught:
        extract_isolated(path, "pdf", memory_mb=16)
    assert caught.value.code in {"crashed", "memory", "unreadable"}


def test_an_unknown_kind_fails(tmp_path):
    path = write(tmp_path, b"x", "a.bin")
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, "exe")
    assert caught.value.code == "unknown_kind"
    with pytest.raises(ExtractionFailed):
        extract_isolated(path, "exe")


def test_sections_are_plain_values():
    assert Section(1, "page 1", "x") == Section(1, "page 1", "x")


# --- one reading process for many documents -------------------------------------------------


def test_one_extractor_reads_many_documents_like_the_isolated_reader(tmp_path):
    pdf = write(tmp_path, ten_page_pdf(), "a.pdf")
    text = write(tmp_path, b"plain words", "b.txt")
    broken = write(tmp_path, b"%PDF-1.4\n" + b"\x00junk" * 100, "c.pdf")
    with extract_module.Extractor() as extractor:
        assert extractor.extract(pdf, "pdf") == extract_isolated(pdf, "pdf")
        with pytest.raises(ExtractionFailed) as caught:
            extractor.extract(broken, "pdf")
        assert caught.value.code == "unreadable"
        first_child = extractor._child
        assert extractor.extract(text, "txt") == [Section(1, "part 1", "plain words")]
        assert extractor._child is first_child  # a refused document keeps the process


def test_an_extractor_replaces_a_child_that_died_or_overran(tmp_path):
    pdf = write(tmp_path, ten_page_pdf(), "a.pdf")
    with extract_module.Extractor(timeout=0.001) as extractor:
        with pytest.raises(ExtractionFailed) as caught:
            extractor.extract(pdf, "pdf")
        assert caught.value.code == "timeout" and extractor._child is None
        extractor.timeout = 60
        assert len(extractor.extract(pdf, "pdf")) == 9
        extractor._child.kill()
        extractor._child.wait()
        assert len(extractor.extract(pdf, "pdf")) == 9  # started again


def test_an_extractor_is_recycled_after_so_many_documents(tmp_path):
    text = write(tmp_path, b"words", "a.txt")
    with extract_module.Extractor(recycle_after=2) as extractor:
        extractor.extract(text, "txt")
        first = extractor._child
        extractor.extract(text, "txt")
        extractor.extract(text, "txt")
        assert extractor._child is not first and first.poll() is not None


def test_an_extractor_out_of_memory_fails_cleanly_and_recovers(tmp_path):
    pdf = write(tmp_path, ten_page_pdf(), "a.pdf")
    with extract_module.Extractor(memory_mb=16) as extractor:
        with pytest.raises(ExtractionFailed):
            extractor.extract(pdf, "pdf")
        extractor.memory_mb = 1024
        extractor.close()
        assert len(extractor.extract(pdf, "pdf")) == 9


def test_a_forgotten_extractor_still_ends_its_child(tmp_path):
    import gc

    text = write(tmp_path, b"words", "a.txt")
    extractor = extract_module.Extractor()
    extractor.extract(text, "txt")
    child = extractor._child
    del extractor
    gc.collect()
    assert child.poll() is not None


def test_the_background_reader_is_shut_down_with_its_process(app, tmp_path):
    from plugins.resources import extraction
    from tests.resources.conftest import make_resource, sample_pdf

    app.config["RESOURCES_EXTRACT_IN_BACKGROUND"] = True
    from forum.extensions import db

    file_id = make_resource(file=sample_pdf(2, "background words", 2)).file_id
    db.session.commit()  # the test's in-memory database has one connection for all threads
    extraction.start(file_id).result(timeout=60)
    child = app.extensions["resources.extractor_process"]._child
    extraction.shutdown(app)
    assert child.poll() is not None
    assert "resources.extractor" not in app.extensions
    from plugins.resources.models import StoredFile

    assert db.session.get(StoredFile, file_id).extraction == "done"
