"""What an uploaded file really is, decided by its content and never by its name.

Holds the allowlist of document kinds (:data:`KINDS`), :func:`sniff` (look inside a file
and name its kind, or refuse it with a message for the person uploading it),
:func:`safe_filename` (the name a download is offered under) and :func:`describe_allowed`
(the list of allowed kinds, for help text).

Uses the standard library and lxml. :func:`sniff` never holds a whole file in memory: it
reads the first 64 KB, a ZIP archive's directory and at most two small parts of an Office
document (never unpacking the rest), and scans an RTF file 1 MB at a time for embedded
objects.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree


@dataclass(frozen=True)
class FileKind:
    """One kind of document that can be uploaded."""

    key: str  # "pdf", "docx", ...
    label: str  # for people: "PDF", "Word document", ...
    mime: str  # the standard MIME type, for Content-Type
    extension: str  # ".pdf", ...


#: The allowlist: every kind of file that can be uploaded, by key.
KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", ".pdf"),
        FileKind(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        FileKind(
            "xlsx",
            "Excel spreadsheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        FileKind(
            "pptx",
            "PowerPoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".pptx",
        ),
        FileKind("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", ".odt"),
        FileKind(
            "ods",
            "OpenDocument spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
            ".ods",
        ),
        FileKind("csv", "CSV", "text/csv", ".csv"),
        FileKind("txt", "Plain text", "text/plain", ".txt"),
        FileKind("rtf", "Rich text (RTF)", "application/rtf", ".rtf"),
    )
}

#: Bytes of a text file looked at (for binary content, markup and its character encoding).
TEXT_SNIFF_BYTES = 64 * 1024
#: How far into a file ``%PDF-`` may start (Acrobat accepts up to 1024 bytes of junk).
PDF_HEADER_WINDOW = 1024
#: Default for :func:`sniff`'s ``max_unpacked_bytes``: the most a document may unpack to.
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
#: The most parts (files inside) an Office or OpenDocument file may have.
MAX_ZIP_ENTRIES = 10_000
#: The largest ZIP directory read (10,000 entries with long names fit easily).
MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024
#: A part unpacking to more than this many times its packed size is a "zip bomb"...
MAX_COMPRESSION_RATIO = 100
#: ...when it unpacks to more than this.
RATIO_CHECK_ABOVE_BYTES = 1024 * 1024
#: The most of ``[Content_Types].xml`` or ``mimetype`` ever read.
MAX_MANIFEST_BYTES = 1024 * 1024
#: The longest name :func:`safe_filename` returns, extension included, in characters.
MAX_FILENAME_CHARS = 120

ALLOWED_MESSAGE = (
    "This kind of file cannot be uploaded. Allowed: PDF, Word, Excel, PowerPoint, "
    "OpenDocument, CSV, plain text and RTF."
)
ZIP_BOMB_MESSAGE = (
    "This file unpacks to far more than its size; it looks like a 'zip bomb' and was refused."
)


class RefusedFile(Exception):
    """A file we will not store; ``str(exc)`` and ``exc.message`` are for the person.

    ``exc.code`` is a short fixed reason for logs and tests ("empty", "web_page", "zip_bomb",
    "zip_archive", "program", "image", "binary", "encoding", "encrypted", "damaged", ...).
    """

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def describe_allowed() -> str:
    """The kinds of file that can be uploaded, for help text next to an upload field."""
    return (
        "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS), CSV, "
        "plain text and RTF"
    )


def accept_attribute() -> str:
    """The allowed extensions for an ``<input type="file" accept="...">`` (a hint only)."""
    return ",".join(kind.extension for kind in KINDS.values())


# --- what the file's name claims (only ever used to word a message) -------------------------

_CLAIMS: dict[str, str] = {
    "pdf": "a PDF",
    "doc": "a Word document",
    "docx": "a Word document",
    "xls": "an Excel spreadsheet",
    "xlsx": "an Excel spreadsheet",
    "ppt": "a PowerPoint presentation",
    "pptx": "a PowerPoint presentation",
    "odt": "an OpenDocument text",
    "ods": "an OpenDocument spreadsheet",
    "csv": "a CSV file",
    "txt": "a text file",
    "rtf": "an RTF document",
}


def _name_extension(filename: str) -> str:
    """The lower-case extension of the last component of ``filename``, without the dot."""
    base = re.split(r"[/\\]", filename)[-1]
    return base.rsplit(".", 1)[1].strip().lower() if "." in base else ""


def _refuse_content(what: str, filename: str, code: str) -> RefusedFile:
    """A refusal for a file whose content is ``what`` ("a web page (HTML)", ...)."""
    claim = _CLAIMS.get(_name_extension(filename))
    if claim:
        message = f"This file says it is {claim} but its content is {what}; "
    else:
        message = f"This file is {what}, not a document; "
    return RefusedFile(message + "only documents can be uploaded.", code)


# --- sniff --------------------------------------------------------------------------------

#: Content that is never a document, recognised by its first bytes (a pattern matched at
#: the start; BMP's needs its reserved zero bytes, or every text starting "BMA" would match).
_FORBIDDEN_MAGIC: tuple[tuple[re.Pattern[bytes], str, str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), what, code)
    for pattern, what, code in (
        (rb"MZ", "a program (Windows .exe)", "program"),
        (rb"\x7fELF", "a program (Linux)", "program"),
        (rb"\xfe\xed\xfa[\xce\xcf]|[\xce\xcf]\xfa\xed\xfe", "a program (Mac)", "program"),
        (rb"\xca\xfe\xba\xbe", "a program (Java or Mac)", "program"),
        (rb"GIF8[79]a", "a picture (GIF)", "image"),
        (rb"\x89PNG", "a picture (PNG)", "image"),
        (rb"\xff\xd8\xff", "a picture (JPEG)", "image"),
        (rb"BM.{4}\x00\x00\x00\x00", "a picture (BMP)", "image"),
        (rb"II\*\x00|MM\x00\*", "a picture (TIFF)", "image"),
        (rb"RIFF.{4}WEBP", "a picture (WebP)", "image"),
        (rb"\x00\x00\x01\x00", "a picture (icon)", "image"),
        (rb"Rar!\x1a\x07", "a compressed archive (RAR)", "archive"),
        (rb"7z\xbc\xaf\x27\x1c", "a compressed archive (7-Zip)", "archive"),
        (rb"\x1f\x8b", "a compressed archive (gzip)", "archive"),
    )
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_SPANNED_ZIP_MAGIC = b"PK\x07\x08"


def sniff(
    path: str | os.PathLike[str],
    filename: str = "",
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> FileKind:
    """The kind of the file at ``path``, judged by its content; raises :class:`RefusedFile`.

    ``filename`` is the name the person's computer gave it: it never decides the kind, but
    it words messages ("This file says it is a PDF but ...") and makes text whose name ends
    in ``.csv`` a CSV. ``max_unpacked_bytes`` is the most an Office or OpenDocument file may
    unpack to.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise RefusedFile("This file is empty.", "empty")
    with path.open("rb") as f:
        head = f.read(TEXT_SNIFF_BYTES)

    for magic, what, code in _FORBIDDEN_MAGIC:
        if magic.match(head):
            raise _refuse_content(what, filename, code)
    if head.startswith(_OLE_MAGIC):
        raise RefusedFile(
            "This is an older Office file (.doc, .xls or .ppt) or a document protected with a "
            "password, which cannot be uploaded. Open it in Word, Excel or PowerPoint, save it "
            "as a .docx, .xlsx or .pptx file without a password, and upload that.",
            "old_office",
        )

    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC, _SPANNED_ZIP_MAGIC)):
        return _sniff_zip(path, size, filename, max_unpacked_bytes)
    if head.startswith(b"{\\rtf"):
        _check_rtf(path, filename)
        return KINDS["rtf"]
    # Acrobat also opens a PDF after up to 1 KB of junk (mail or HTTP headers, blank lines):
    # accepted if the junk is text and no web page.
    pdf_at = head.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5)
    if pdf_at > 0 and b"\x00" not in head[:pdf_at] and not _looks_like_markup(head[:pdf_at]):
        return KINDS["pdf"]
    return _sniff_text(head, size, filename)


# --- ZIP containers: Office Open XML and OpenDocument -------------------------------------

_OOXML_MAIN_PARTS: dict[str, tuple[str, str]] = {
    # main part: (kind key, content type of an ordinary document of that kind)
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "ppt/presentation.xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
_ODF_MIMETYPES: dict[str, str] = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: What reading a damaged archive can raise (RuntimeError: encrypted; NotImplementedError:
#: an unknown compression method; zlib.error: a corrupt compressed part).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
)
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _zip_directory_size(path: Path, size: int) -> tuple[int, int] | None:
    """(entries, directory bytes) from a ZIP's end record, found as :mod:`zipfile` finds it.

    Read before :mod:`zipfile` builds an object per entry, so that a small archive claiming
    a million entries is refused without using the memory. Sizes too big for the plain
    record (ZIP64) come back as the plain record's "see ZIP64" markers, which are too many.
    ``None`` if there is no end record.
    """
    tail_size = min(size, 22 + 65535)
    with path.open("rb") as f:
        f.seek(size - tail_size)
        tail = f.read(tail_size)
    at = tail.rfind(_EMPTY_ZIP_MAGIC)
    if at < 0 or len(tail) - at < 22:
        return None
    _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = struct.unpack(
        "<HHHHIIH", tail[at + 4 : at + 22]
    )
    return entries, cd_size


def _sniff_zip(path: Path, size: int, filename: str, max_unpacked_bytes: int) -> FileKind:
    damaged = RefusedFile(
        "This file looks like an Office or OpenDocument file but it is damaged, so it cannot "
        "be uploaded. Try saving it again.",
        "damaged",
    )
    directory = _zip_directory_size(path, size)
    if directory is None:
        raise damaged
    entries, directory_bytes = directory
    if entries > MAX_ZIP_ENTRIES or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise _too_many_parts()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_zip_entries(infos, max_unpacked_bytes)
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names:
                return _ooxml_kind(zf, names, filename)
            if "mimetype" in names:
                odf = _odf_kind(zf)
                if odf is not None:
                    return odf
    except RefusedFile:
        raise
    except _ZIP_ERRORS as exc:
        raise damaged from exc
    raise RefusedFile(
        ".zip archives cannot be uploaded; upload the documents themselves.", "zip_archive"
    )


def _too_many_parts() -> RefusedFile:
    return RefusedFile(
        f"This file holds more than {MAX_ZIP_ENTRIES:,} parts, far more than any normal "
        "document, so it was refused.",
        "too_many_parts",
    )


def _password_protected() -> RefusedFile:
    return RefusedFile(
        "This document is protected with a password, so it cannot be uploaded. Remove the "
        "password, save it again and upload that.",
        "encrypted",
    )


def _check_zip_entries(infos: list[zipfile.ZipInfo], max_unpacked_bytes: int) -> None:
    """Refuse encrypted parts, too many parts, zip bombs and unsafe part names."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _too_many_parts()
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _password_protected()
        name = info.filename
        parts = re.split(r"[/\\]", name)
        if (
            name.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", name)
            or ".." in parts
            or "\x00" in name
        ):
            raise RefusedFile(
                "This file contains parts with unsafe names, so it was refused.", "unsafe_names"
            )
        total += info.file_size
        if total > max_unpacked_bytes:
            raise RefusedFile(ZIP_BOMB_MESSAGE, "zip_bomb")
        if (
            info.file_size > RATIO_CHECK_ABOVE_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise RefusedFile(ZIP_BOMB_MESSAGE, "zip_bomb")


def _read_bounded(zf: zipfile.ZipFile, name: str) -> bytes:
    """A part of the archive, refused as a zip bomb if it unpacks past the manifest limit."""
    with zf.open(name) as part:
        data = part.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise RefusedFile(ZIP_BOMB_MESSAGE, "zip_bomb")
    return data


def _safe_xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _ooxml_kind(zf: zipfile.ZipFile, names: set[str], filename: str) -> FileKind:
    """docx, xlsx or pptx, by the main part and its declared content type."""
    main = next((part for part in _OOXML_MAIN_PARTS if part in names), None)
    if main is None:
        raise RefusedFile(ALLOWED_MESSAGE, "unknown_office")
    key, wanted = _OOXML_MAIN_PARTS[main]
    label = {
        "docx": "Word document",
        "xlsx": "Excel spreadsheet",
        "pptx": "PowerPoint presentation",
    }[key]
    try:
        root = etree.fromstring(_read_bounded(zf, "[Content_Types].xml"), _safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise RefusedFile(
            f"This {label} is damaged, so it cannot be uploaded. Try saving it again.", "damaged"
        ) from exc
    overrides = {
        (el.get("PartName") or "").lstrip("/").lower(): (el.get("ContentType") or "").lower()
        for el in root.iter(f"{_CONTENT_TYPES_NS}Override")
    }
    defaults = {
        (el.get("Extension") or "").lower(): (el.get("ContentType") or "").lower()
        for el in root.iter(f"{_CONTENT_TYPES_NS}Default")
    }
    declared = overrides.get(main, defaults.get("xml", ""))
    all_types = set(overrides.values()) | set(defaults.values())
    has_macros = any("macroenabled" in t or "vbaproject" in t for t in all_types) or any(
        name.lower().endswith("vbaproject.bin") for name in names
    )
    if has_macros:
        extension = KINDS[key].extension
        raise RefusedFile(
            f"This {label} contains macros (small programs), which cannot be uploaded. Save it "
            f"as an ordinary {label} ({extension}) and upload that.",
            "macros",
        )
    if declared != wanted:
        extension = KINDS[key].extension
        raise RefusedFile(
            f"This {label} is of a kind that cannot be uploaded (for example a template). "
            f"Save it as an ordinary {label} ({extension}) and upload that.",
            "unknown_office",
        )
    return KINDS[key]


def _odf_kind(zf: zipfile.ZipFile) -> FileKind | None:
    """odt or ods, by the ``mimetype`` part; refuses other OpenDocument files."""
    mimetype = _read_bounded(zf, "mimetype").decode("ascii", "replace").strip()
    if mimetype in _ODF_MIMETYPES:
        if "META-INF/manifest.xml" in zf.namelist():
            if b"encryption-data" in _read_bounded(zf, "META-INF/manifest.xml"):
                raise _password_protected()
        return KINDS[_ODF_MIMETYPES[mimetype]]
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        raise RefusedFile(
            "This kind of OpenDocument file cannot be uploaded; only OpenDocument text (ODT) "
            "and spreadsheets (ODS) can. Save it as a PDF and upload that.",
            "unknown_office",
        )
    return None


# --- RTF ----------------------------------------------------------------------------------

_RTF_OBJECT = re.compile(rb"\\objdata|\\objocx|\\objemb|\\objlink|\\objautlink")


def _check_rtf(path: Path, filename: str) -> None:
    """Refuse RTF documents carrying embedded objects (the usual way RTF carries malware)."""
    overlap = b""
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            if _RTF_OBJECT.search(overlap + chunk):
                raise RefusedFile(
                    "This RTF document contains embedded objects, which cannot be uploaded. "
                    "Save it as a PDF or Word document (.docx) and upload that.",
                    "rtf_objects",
                )
            overlap = chunk[-16:]


# --- text: CSV and plain text -------------------------------------------------------------

_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_MARKUP_STARTS = (
    b"<!doctype",
    b"<html",
    b"<svg",
    b"<?xml",
    b"<script",
    b"<head",
    b"<body",
    b"<!--",
)
_MARKUP_ANYWHERE = re.compile(
    rb"<script|<svg|<html|<iframe|<object|<embed|javascript:", re.IGNORECASE
)


def _strip_bom_and_space(data: bytes) -> bytes:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data.lstrip()


def _looks_like_markup(data: bytes) -> bool:
    """Whether a browser shown these bytes would treat them as a page or a scripted image."""
    start = _strip_bom_and_space(data)[:16].lower()
    return start.startswith(_MARKUP_STARTS) or _MARKUP_ANYWHERE.search(data) is not None


def _markup_description(data: bytes) -> str:
    lowered = data.lower()
    svg_at = lowered.find(b"<svg")
    html_at = min(
        (at for at in (lowered.find(b"<html"), lowered.find(b"<!doctype")) if at >= 0), default=-1
    )
    if svg_at >= 0 and (html_at < 0 or svg_at < html_at):
        return "an image with a script in it (SVG)"
    if html_at < 0 and _strip_bom_and_space(lowered).startswith(b"<?xml"):
        return "XML data that a web browser would display as a page"
    return "a web page (HTML)"


def _decode_head(head: bytes, complete: bool) -> str | None:
    """The first bytes as text: UTF-8 (with or without a BOM), else Windows-1252."""
    try:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        return decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        pass
    try:
        return head.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _sniff_text(head: bytes, size: int, filename: str) -> FileKind:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RefusedFile(
            'This text file is saved as UTF-16 ("Unicode"), which cannot be read. Save it as '
            "UTF-8 and upload that.",
            "encoding",
        )
    if _looks_like_markup(head):
        raise _refuse_content(_markup_description(head), filename, "web_page")
    controls = len(_BINARY_BYTES.findall(head))
    if b"\x00" in head or controls > len(head) // 1000:
        raise RefusedFile(ALLOWED_MESSAGE, "binary")
    text = _decode_head(head, complete=size <= len(head))
    if text is None:
        raise RefusedFile(
            "This text file uses a character encoding that cannot be read. Save it as UTF-8 "
            "and upload that.",
            "encoding",
        )
    if _name_extension(filename) == "csv" or _looks_like_csv(text):
        return KINDS["csv"]
    return KINDS["txt"]


def _looks_like_csv(text: str, lines: int = 20) -> bool:
    """Whether the first lines hold a table: one of ``, ; tab`` giving ≥ 2 columns each."""
    all_lines = text[:8192].splitlines()
    if len(text) > 8192:
        all_lines = all_lines[:-1]  # probably cut short
    sample_lines = [line for line in all_lines[:lines] if line.strip()]
    if len(sample_lines) < 2:
        return False
    sample = "\n".join(sample_lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        rows = list(csv.reader(sample_lines, dialect))
    except csv.Error:
        return False
    widths = {len(row) for row in rows}
    return len(widths) == 1 and widths.pop() >= 2


# --- safe_filename -------------------------------------------------------------------------

_TYPE_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods csv txt rtf html htm svg xml js exe bat cmd sh "
    "php zip scr com jar msi vbs ps1".split()
)
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)
_NOT_IN_NAMES = str.maketrans({c: "_" for c in '<>:"|?*'})


def safe_filename(name: str, kind: FileKind) -> str:
    """The name a download is offered under: ``name`` cleaned, with ``kind``'s extension.

    Keeps the last path component; drops control, format and bidi characters (so
    ``a\\u202egpj.exe`` cannot pose as a picture); NFC-normalises; collapses whitespace;
    drops leading dots; replaces characters Windows refuses in names; strips every trailing
    file-type extension (``report.pdf.html`` → ``report``) and appends the real one. At most
    :data:`MAX_FILENAME_CHARS` characters; ``document`` if nothing is left.
    """
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(
        " " if unicodedata.category(c) in ("Zl", "Zp") else c
        for c in base
        if unicodedata.category(c) not in ("Cc", "Cf", "Cs")
    )
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"\s+", " ", base).translate(_NOT_IN_NAMES)
    stem = base.strip()
    while True:
        stem = stem.rstrip(". ")
        head, dot, extension = stem.rpartition(".")
        if not dot or extension.strip().lower() not in _TYPE_EXTENSIONS:
            break
        stem = head
    stem = stem.lstrip(". ")
    if stem.split(".")[0].rstrip().lower() in _WINDOWS_RESERVED:
        stem = "_" + stem  # CON, NUL, COM1...: device names on Windows, whatever follows
    room = MAX_FILENAME_CHARS - len(kind.extension)
    if len(stem) > room:
        cut = room
        while cut > 0 and unicodedata.combining(stem[cut]):
            cut -= 1  # do not separate an accent from its letter
        stem = stem[:cut].rstrip(". ")
    return (stem or "document") + kind.extension
