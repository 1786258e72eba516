"""What an uploaded file is, from its content: every allowed kind is recognised, and web
pages, programs, pictures, archives and zip bombs are refused with a message a person can act
on, whatever the file is called. And the names downloads are offered under."""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest

from forum.files.types import (
    KINDS,
    MAX_FILENAME_CHARS,
    RefusedFile,
    describe_allowed,
    safe_filename,
    sniff,
)
from plugins.resources.samples import (
    docx_bytes,
    minimal_ods_bytes,
    minimal_odt_bytes,
    minimal_pptx_bytes,
    pdf_bytes,
    xlsx_bytes,
)


def write(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def kind_of(tmp_path: Path, data: bytes, filename: str = "") -> str:
    return sniff(write(tmp_path, data), filename).key


def refusal(tmp_path: Path, data: bytes, filename: str = "", **options) -> RefusedFile:
    with pytest.raises(RefusedFile) as caught:
        sniff(write(tmp_path, data), filename, **options)
    assert str(caught.value) == caught.value.message
    return caught.value


def docx() -> bytes:
    return docx_bytes("Partnership agreement", [("Termination", ["Either party may end it."])])


def zip_with(base: bytes, extra: dict[str, bytes]) -> bytes:
    """``base`` (a ZIP) with more parts added."""
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- every allowed kind ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (pdf_bytes(["Page one"], title="Minutes"), "pdf"),
        (docx(), "docx"),
        (xlsx_bytes({"Costs": [["Item", "Cost"], ["Rent", 1200]]}), "xlsx"),
        (minimal_pptx_bytes([["Welcome"], ["Agenda"]]), "pptx"),
        (minimal_odt_bytes([("h", "Heading"), ("p", "Text")]), "odt"),
        (minimal_ods_bytes({"Sheet1": [["a", "b"]]}), "ods"),
        (b"Name,Practice,List size\nA,B,1000\nC,D,2000\n", "csv"),
        ("Notes from the meeting.\nNothing to report. Café £5\n".encode(), "txt"),
        (rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Hello\par}", "rtf"),
    ],
    ids=["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "rtf"],
)
def test_each_allowed_kind_is_recognised_by_its_content(tmp_path, data, key):
    kind = sniff(write(tmp_path, data), "no extension")
    assert kind is KINDS[key]
    assert kind.extension == f".{key}"


def test_kinds_have_labels_and_standard_mime_types():
    assert KINDS["pdf"].mime == "application/pdf"
    assert KINDS["docx"].label == "Word document"
    assert KINDS["xlsx"].mime.endswith("spreadsheetml.sheet")
    assert KINDS["odt"].mime == "application/vnd.oasis.opendocument.text"
    assert set(KINDS) == {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "rtf"}
    assert describe_allowed() == (
        "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS), CSV, "
        "plain text and RTF"
    )


def test_the_content_wins_over_the_name(tmp_path):
    assert kind_of(tmp_path, docx(), "report.pdf") == "docx"
    assert kind_of(tmp_path, pdf_bytes(["x"]), "report.docx") == "pdf"
    assert kind_of(tmp_path, b"just some words\n", "photo.jpg") == "txt"


def test_a_pdf_may_start_after_a_little_junk_but_not_after_a_web_page(tmp_path):
    assert kind_of(tmp_path, b"\r\n" * 20 + pdf_bytes(["x"])) == "pdf"
    refused = refusal(tmp_path, b"<html><script>alert(1)</script>" + pdf_bytes(["x"]), "a.pdf")
    assert refused.code == "web_page"


def test_csv_by_its_name_or_by_its_columns(tmp_path):
    assert kind_of(tmp_path, b"a;b;c\n1;2;3\n4;5;6\n", "table.txt") == "csv"
    assert kind_of(tmp_path, b"a\tb\n1\t2\n3\t4\n") == "csv"
    assert kind_of(tmp_path, b"one line only\n", "list.csv") == "csv"
    prose = b"Hello, this is prose.\nIt has commas, here and there, at random.\nNo table.\n"
    assert kind_of(tmp_path, prose, "notes.txt") == "txt"


def test_windows_1252_text_is_accepted_as_text(tmp_path):
    data = "The practice\u2019s fee is \u00a3120 \u2013 payable \u201cnow\u201d.\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert kind_of(tmp_path, data, "fees.txt") == "txt"


def test_utf8_with_a_bom_is_text(tmp_path):
    assert kind_of(tmp_path, "\ufeffCafé notes\n".encode()) == "txt"


def test_text_that_is_neither_utf8_nor_windows_1252_is_refused(tmp_path):
    refused = refusal(tmp_path, b"Hello \x81\x8d\x90 world\n", "x.txt")
    assert refused.code == "encoding"
    assert "UTF-8" in refused.message


def test_utf16_text_is_refused_with_advice(tmp_path):
    refused = refusal(tmp_path, "\ufeffHello".encode("utf-16-le"), "x.txt")
    assert "UTF-8" in refused.message


# --- refused -----------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path):
    refused = refusal(tmp_path, b"", "minutes.pdf")
    assert refused.message == "This file is empty."
    assert refused.code == "empty"


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body>Hi</body></html>",
        b"  \n<HTML><head></head></html>",
        b"\xef\xbb\xbf<script>alert(document.cookie)</script>",
        b"Minutes of the meeting\n<p>nice</p><iframe src='https://evil.example'></iframe>",
        b"Click <a href='javascript:alert(1)'>here</a>",
        b"Dear all,\n" * 100 + b"<ScRiPt src=//evil.example/x.js></script>",
    ],
)
def test_web_pages_named_pdf_are_refused(tmp_path, data):
    refused = refusal(tmp_path, data, "minutes.pdf")
    assert refused.code == "web_page"
    assert refused.message == (
        "This file says it is a PDF but its content is a web page (HTML); only documents "
        "can be uploaded."
    )


def test_an_svg_with_a_script_named_pdf_is_refused(tmp_path):
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>"
    )
    refused = refusal(tmp_path, svg, "chart.pdf")
    assert "says it is a PDF" in refused.message
    assert "image with a script in it (SVG)" in refused.message
    assert refusal(tmp_path, b"<svg onload=alert(1)>", "").code == "web_page"


def test_xml_is_refused(tmp_path):
    refused = refusal(tmp_path, b'<?xml version="1.0"?><data>1</data>', "data.txt")
    assert "says it is a text file" in refused.message


def test_a_double_extension_web_page_is_refused(tmp_path):
    refused = refusal(tmp_path, b"<html><body><h1>Invoice</h1></body></html>", "report.pdf.html")
    assert refused.message == (
        "This file is a web page (HTML), not a document; only documents can be uploaded."
    )


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "a program (Windows .exe)"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "a program (Linux)"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(20), "a picture (GIF)"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36" + bytes(50), "a picture (BMP)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(50), "a picture (PNG)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(50), "a picture (JPEG)"),
    ],
)
def test_programs_and_pictures_are_refused_whatever_their_name(tmp_path, data, what):
    refused = refusal(tmp_path, data, "minutes.pdf")
    assert refused.message == (
        f"This file says it is a PDF but its content is {what}; only documents can be uploaded."
    )
    # ...even when %PDF- follows within the first kilobyte (a polyglot).
    assert refusal(tmp_path, data[:10] + b"%PDF-1.4\n", "minutes.pdf").code in {"program", "image"}


def test_text_starting_like_a_picture_format_is_still_text(tmp_path):
    assert kind_of(tmp_path, b"BMA guidance on partnership agreements\n") == "txt"
    assert kind_of(tmp_path, b"GIF8 is not a real heading\n") == "txt"


def test_binary_junk_is_refused(tmp_path):
    junk = bytes(range(256)) * 40
    refused = refusal(tmp_path, junk, "data.txt")
    assert refused.code == "binary"
    assert refused.message == (
        "This kind of file cannot be uploaded. Allowed: PDF, Word, Excel, PowerPoint, "
        "OpenDocument, CSV, plain text and RTF."
    )
    assert refusal(tmp_path, b"text\x00with a NUL\n").code == "binary"


def test_old_office_files_are_refused_with_advice(tmp_path):
    refused = refusal(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")
    assert ".docx" in refused.message


def test_a_plain_zip_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("minutes.pdf", pdf_bytes(["x"]))
        archive.writestr("notes.txt", "hello")
    refused = refusal(tmp_path, buffer.getvalue(), "documents.zip")
    assert refused.message == ".zip archives cannot be uploaded; upload the documents themselves."
    assert refusal(tmp_path, buffer.getvalue(), "minutes.docx").code == "zip_archive"


def test_a_zip_bomb_named_docx_is_refused_without_unpacking_it(tmp_path):
    """A real one: a Word document with a 300 MB part of zeros, packed to about 300 KB."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx())
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(300):
                part.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(RefusedFile) as caught:
        sniff(path, "bomb.docx")
    assert time.perf_counter() - started < 0.5
    assert caught.value.code == "zip_bomb"
    assert caught.value.message == (
        "This file unpacks to far more than its size; it looks like a 'zip bomb' and was refused."
    )


def test_a_document_unpacking_past_the_limit_is_refused(tmp_path):
    data = docx()
    assert kind_of(tmp_path, data) == "docx"
    assert refusal(tmp_path, data, max_unpacked_bytes=10_000).code == "zip_bomb"


def test_a_zip_with_too_many_parts_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(10_001):
            archive.writestr(f"p{n}", b"")
    refused = refusal(tmp_path, zip_with(buffer.getvalue(), {"[Content_Types].xml": b"<x/>"}))
    assert refused.code == "too_many_parts"
    assert "10,000" in refused.message


def test_parts_with_unsafe_names_are_refused(tmp_path):
    for name in ("../../evil.sh", "/etc/cron.d/evil", "word/../../x", "C:/evil.bat"):
        refused = refusal(tmp_path, zip_with(docx(), {name: b"x"}), "a.docx")
        assert refused.code == "unsafe_names", name


def _set_encrypted_flag(data: bytes) -> bytes:
    """The ZIP with its first part marked as encrypted, in both headers."""
    data = bytearray(data)
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    return bytes(data)


def test_a_password_protected_document_is_refused(tmp_path):
    refused = refusal(tmp_path, _set_encrypted_flag(docx()), "a.docx")
    assert refused.code == "encrypted"
    assert "password" in refused.message


def test_a_damaged_office_file_is_refused(tmp_path):
    data = docx()
    assert refusal(tmp_path, data[: len(data) // 2], "a.docx").code == "damaged"


def test_documents_with_macros_are_refused(tmp_path):
    # The content types part is deflated, so rebuild the archive instead of patching bytes.
    source = zipfile.ZipFile(io.BytesIO(docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    b".main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            archive.writestr(info.filename, content)
    refused = refusal(tmp_path, buffer.getvalue(), "a.docx")
    assert refused.code == "macros"
    assert "macros" in refused.message
    assert refusal(tmp_path, zip_with(docx(), {"word/vbaProject.bin": b"x"})).code == "macros"


def test_other_opendocument_files_are_refused(tmp_path):
    data = minimal_odt_bytes([("p", "x")])
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "mimetype":
                content = b"application/vnd.oasis.opendocument.presentation"
            archive.writestr(info, content)
    assert refusal(tmp_path, buffer.getvalue(), "slides.odp").code == "unknown_office"


def test_rtf_with_embedded_objects_is_refused(tmp_path):
    data = rb"{\rtf1\ansi Hello{\object\objemb{\*\objdata 0105000002000000}}}"
    assert refusal(tmp_path, data, "a.rtf").code == "rtf_objects"


# --- safe_filename -------------------------------------------------------------------------


def test_safe_filename_keeps_only_the_last_path_component():
    assert safe_filename("../../etc/passwd", KINDS["txt"]) == "passwd.txt"
    assert safe_filename("C:\\Users\\me\\Minutes March.pdf", KINDS["pdf"]) == "Minutes March.pdf"


def test_safe_filename_replaces_every_file_type_extension_with_the_real_one():
    assert safe_filename("report.pdf.html", KINDS["pdf"]) == "report.pdf"
    assert safe_filename("report.pdf", KINDS["docx"]) == "report.docx"
    assert safe_filename("budget.XLSX.exe .js", KINDS["xlsx"]) == "budget.xlsx"
    assert safe_filename("v1.2 final", KINDS["pdf"]) == "v1.2 final.pdf"


def test_safe_filename_drops_control_and_bidi_characters():
    name = safe_filename("a\u202egpj.exe", KINDS["pdf"])
    assert "\u202e" not in name
    assert name.endswith(".pdf")
    assert name == "agpj.pdf"
    assert safe_filename("min\x00utes\r\n.pdf", KINDS["pdf"]) == "minutes.pdf"
    assert safe_filename("a\u200fb\u2066c\ufeff.txt", KINDS["txt"]) == "abc.txt"


def test_safe_filename_normalises_and_collapses_whitespace():
    decomposed = "Cafe\u0301   notes\t.txt"
    name = safe_filename(decomposed, KINDS["txt"])
    assert name == "Caf\u00e9 notes.txt"
    assert unicodedata.is_normalized("NFC", name)
    assert safe_filename("...  .hidden.txt", KINDS["txt"]) == "hidden.txt"


def test_safe_filename_limits_very_long_names():
    name = safe_filename("a" * 10_000 + ".pdf", KINDS["pdf"])
    assert len(name) == MAX_FILENAME_CHARS
    assert name.endswith("a.pdf")
    accented = safe_filename("e\u0301" * 5_000, KINDS["docx"])  # NFC: é, one code point
    assert len(accented) <= MAX_FILENAME_CHARS
    combining = safe_filename("x" + "\u0323\u0301" * 5_000, KINDS["pdf"])  # no composed form
    assert len(combining) <= MAX_FILENAME_CHARS
    assert not unicodedata.combining(combining[0])


def test_safe_filename_without_a_usable_stem_is_document():
    assert safe_filename("", KINDS["pdf"]) == "document.pdf"
    assert safe_filename(".pdf", KINDS["pdf"]) == "document.pdf"
    assert safe_filename("../", KINDS["txt"]) == "document.txt"
    assert safe_filename("\u202e\x00 ..", KINDS["csv"]) == "document.csv"


def test_safe_filename_avoids_names_windows_refuses():
    assert safe_filename('Q1: "costs" <draft>?.xlsx', KINDS["xlsx"]) == "Q1_ _costs_ _draft__.xlsx"
    assert safe_filename("CON.txt", KINDS["txt"]) == "_CON.txt"
    assert safe_filename("nul.minutes.pdf", KINDS["pdf"]) == "_nul.minutes.pdf"
    assert safe_filename("Console notes.txt", KINDS["txt"]) == "Console notes.txt"
