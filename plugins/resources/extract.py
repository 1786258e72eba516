"""The text inside an uploaded document, in sections people can be pointed at.

Holds :class:`Section` (a page, a headed section, a sheet, a slide or a part, with its text),
:class:`ExtractionFailed`, :func:`extract` (read a document in this process) and
:func:`extract_isolated` (read it in a child process with a time and memory limit, the one
to use for files people upload: a hostile or broken document can only take the child down).

This module must stay runnable on its own as a script (``python -P extract.py PATH KIND``,
which is what :func:`extract_isolated` runs): it uses only the standard library and the
parsing libraries (pypdf, python-docx, openpyxl, lxml), imported when first needed, and no
relative imports, and it never imports Flask or the forum.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: The most sections returned; the rest of a longer document is left out.
MAX_SECTIONS = 2_000
#: The most characters returned, over all sections; the rest is left out.
MAX_TOTAL_CHARS = 5_000_000
#: About how many characters a "part" of a text, CSV or RTF file holds.
PART_CHARS = 3_000
#: How many paragraphs a "part" of a Word or OpenDocument text without headings holds.
PART_PARAGRAPHS = 40
#: The most rows read from each sheet of a spreadsheet.
MAX_SHEET_ROWS = 5_000
#: The most columns read from each row of a spreadsheet.
MAX_SHEET_COLUMNS = 1_000
#: The most characters of a heading shown in a section's label.
MAX_LABEL_CHARS = 60
#: The most bytes of a text, CSV or RTF file read (more than MAX_TOTAL_CHARS characters).
MAX_TEXT_FILE_BYTES = 4 * MAX_TOTAL_CHARS
#: The most bytes any one XML part of a PowerPoint or OpenDocument file may unpack to.
MAX_XML_PART_BYTES = 64 * 1024 * 1024
#: The kinds :func:`extract` reads (every kind of ``filetypes.KINDS``).
READABLE_KINDS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "rtf"})
#: The exit status of the child process when it reports an ExtractionFailed as JSON.
_FAILED_EXIT = 3

#: How each kind is named in messages ("the PDF could not be read").
_NOUNS: dict[str, str] = {
    "pdf": "the PDF",
    "docx": "the Word document",
    "xlsx": "the spreadsheet",
    "pptx": "the presentation",
    "odt": "the document",
    "ods": "the spreadsheet",
    "csv": "the CSV file",
    "txt": "the text file",
    "rtf": "the RTF document",
}


@dataclass(frozen=True)
class Section:
    """A stretch of a document's text and where it is."""

    number: int  # 1-based position in the document (a PDF page's number, a sheet's index...)
    label: str  # for people: "page 7", "section “Termination”", "sheet “Costs”", "part 3"
    text: str  # plain text, whitespace collapsed within lines


class ExtractionFailed(Exception):
    """The document's text could not be read; ``str(exc)`` is a short reason for people.

    ``exc.code`` is a fixed word for logs and tests ("unreadable", "encrypted", "timeout",
    "memory", "crashed", "unknown_kind"); ``exc.detail`` is technical detail for logs.
    """

    def __init__(self, message: str, code: str = "unreadable", detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail


def _noun(kind_key: str) -> str:
    return _NOUNS.get(kind_key, "the file")


# --- cleaning -----------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
#: Control characters (but tab and newline), lone surrogates, and invisible format
#: characters (soft hyphen, zero-width space, bidi controls, BOM); zero-width (non-)joiners
#: stay, as some scripts need them.
_DROP = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[^\S\n\t]+")
_AROUND_TABS = re.compile(r" ?\t ?")
_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """``text`` with control characters dropped and whitespace collapsed within each line.

    Newlines and tabs (between spreadsheet cells) stay; lines are trimmed, and runs of blank
    lines become one.
    """
    text = _NEWLINES.sub("\n", text)
    text = _DROP.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _AROUND_TABS.sub("\t", text)
    text = _LINE_EDGES.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip(" \t\n")


def _inline(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters (cut with an ellipsis)."""
    text = " ".join(_DROP.sub("", text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ", limit // 2)
    return (cut[:space] if space > 0 else cut).rstrip(" ,;:.-") + "…"


def _collect(items: Iterable[tuple[int, str, str]]) -> list[Section]:
    """Sections from (number, label, raw text), cleaned, empty ones dropped, within caps."""
    sections: list[Section] = []
    total = 0
    for number, label, raw in items:
        text = clean_text(raw)
        if not text:
            continue
        room = MAX_TOTAL_CHARS - total
        if len(text) >= room:
            text = text[:room].rstrip()
            if text:
                sections.append(Section(number, label, text))
            break
        sections.append(Section(number, label, text))
        total += len(text)
        if len(sections) >= MAX_SECTIONS:
            break
    return sections


# --- the public functions -----------------------------------------------------------------


def extract(path: str | Path, kind_key: str) -> list[Section]:
    """The text of the document at ``path`` (of kind ``kind_key``, from ``filetypes.sniff``).

    Runs in this process, so a hostile document can take all its memory or time: for
    uploads use :func:`extract_isolated`. Raises :class:`ExtractionFailed`. Library warnings
    are silenced while reading (``warnings.catch_warnings``, which is not thread-safe).
    """
    reader = _READERS.get(kind_key)
    if reader is None:
        raise ExtractionFailed(f"files of kind “{kind_key}” cannot be read", "unknown_kind")
    try:
        with warnings.catch_warnings():
            # Damaged documents make the libraries warn (pypdf, openpyxl's "extension is
            # not supported"); the warnings say nothing the caller could act on.
            warnings.simplefilter("ignore")
            return _collect(reader(Path(path)))
    except ExtractionFailed:
        raise
    except MemoryError as exc:
        raise ExtractionFailed(
            f"{_noun(kind_key)} needs more memory to read than is allowed", "memory"
        ) from exc
    except Exception as exc:  # every parser error: the document is damaged or unusual
        raise ExtractionFailed(
            f"{_noun(kind_key)} could not be read", "unreadable", f"{type(exc).__name__}: {exc}"
        ) from exc


#: The Python that runs :func:`extract_isolated`'s child (under uWSGI, set it to a real one).
PYTHON = sys.executable


def extract_isolated(
    path: str | Path, kind_key: str, *, timeout: float = 120, memory_mb: int = 1024
) -> list[Section]:
    """:func:`extract` in a child process, killed after ``timeout`` seconds.

    The child limits its own address space to ``memory_mb`` megabytes (on Unix) before
    reading anything; it limits itself rather than being limited through ``preexec_fn``,
    which is unsafe in a threaded web server. A crash, a non-zero exit, the time running out
    or output that is not the expected JSON raise :class:`ExtractionFailed`.
    """
    command = [
        PYTHON,
        "-P",  # do not put this folder on sys.path, where its modules would shadow others
        str(Path(__file__).resolve()),
        str(path),
        kind_key,
        str(int(memory_mb)),
    ]
    noun = _noun(kind_key)
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionFailed(
            f"reading it took longer than {timeout:g} seconds", "timeout"
        ) from exc
    except OSError as exc:
        raise ExtractionFailed(f"{noun} could not be read", "crashed", str(exc)) from exc
    detail = done.stderr.decode("utf-8", "replace")[-2000:]
    if done.returncode == _FAILED_EXIT:
        try:
            failure = json.loads(done.stdout)
            message, code = str(failure["message"]), str(failure["code"])
        except (ValueError, KeyError, TypeError):
            message, code = f"{noun} could not be read", "bad_output"
        raise ExtractionFailed(message, code, detail)
    if done.returncode != 0:
        code = "crashed" if done.returncode > 0 else "killed"
        raise ExtractionFailed(
            f"{noun} could not be read", code, f"exit status {done.returncode}\n{detail}"
        )
    try:
        return [
            Section(int(item["number"]), str(item["label"]), str(item["text"]))
            for item in json.loads(done.stdout)
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise ExtractionFailed(f"{noun} could not be read", "bad_output", detail) from exc


class Extractor:
    """One child process that reads document after document: :func:`extract_isolated`
    without starting Python for each file (about 0.1 s saved per document, which is most of
    the time for small ones). The same limits hold: the child caps its memory, each document
    has ``timeout`` seconds, and a child that crashes, runs out of memory or overruns is
    killed and replaced for the next document. It is replaced after ``recycle_after``
    documents too, so a leak in a parser cannot grow for ever. Not thread-safe: one per
    thread. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, *, timeout: float = 120, memory_mb: int = 1024, recycle_after: int = 200):
        self.timeout, self.memory_mb, self.recycle_after = timeout, memory_mb, recycle_after
        self._child: subprocess.Popen | None = None
        self._served = 0

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __del__(self) -> None:  # forgotten without close(): still end the child
        self.close()

    def _start(self) -> subprocess.Popen:
        if (
            self._child is None
            or self._child.poll() is not None
            or (self._served >= self.recycle_after)
        ):
            self.close()
            self._child = subprocess.Popen(
                [PYTHON, "-P", str(Path(__file__).resolve()), "--serve", str(self.memory_mb)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._served = 0
        return self._child

    def close(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()

    def extract(self, path: str | Path, kind_key: str) -> list[Section]:
        noun = _noun(kind_key)
        child = self._start()
        self._served += 1
        request = json.dumps({"path": str(path), "kind": kind_key}) + "\n"
        try:
            child.stdin.write(request.encode("utf-8"))
            child.stdin.flush()
            line = self._read_line(child)
        except TimeoutError as exc:
            self.close()
            raise ExtractionFailed(
                f"reading it took longer than {self.timeout:g} seconds", "timeout"
            ) from exc
        except OSError as exc:  # the child died while we wrote to it
            self.close()
            raise ExtractionFailed(f"{noun} could not be read", "crashed", str(exc)) from exc
        if not line:
            self.close()
            raise ExtractionFailed(f"{noun} could not be read", "crashed", "the reader stopped")
        try:
            answer = json.loads(line)
            if not answer["ok"]:
                raise ExtractionFailed(str(answer["message"]), str(answer["code"]))
            return [
                Section(int(item["number"]), str(item["label"]), str(item["text"]))
                for item in answer["sections"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            self.close()
            raise ExtractionFailed(f"{noun} could not be read", "bad_output") from exc

    def _read_line(self, child: subprocess.Popen) -> bytes:
        """One line of the child's answer, within the time limit (``b""`` if it died)."""
        import os
        import select
        import time

        deadline = time.monotonic() + self.timeout
        fd, chunks = child.stdout.fileno(), []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b""
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)


def serve(memory_mb: int) -> int:
    """The child of :class:`Extractor`: one JSON request per line in, one answer per line
    out, until standard input closes."""
    if memory_mb > 0:
        _limit_memory(memory_mb)
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            sections = extract(request["path"], request["kind"])
            answer = {"ok": True, "sections": [asdict(section) for section in sections]}
        except ExtractionFailed as exc:
            answer = {"ok": False, "message": exc.message, "code": exc.code}
        except (ValueError, KeyError, TypeError):
            answer = {
                "ok": False,
                "message": "the request was not understood",
                "code": "bad_output",
            }
        out.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()
    return 0


# --- PDF ----------------------------------------------------------------------------------


def _pdf(path: Path) -> Iterator[tuple[int, str, str]]:
    """One item per page, numbered and labelled by its page number."""
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:  # e.g. AES without the "cryptography" package
            opened = False
        if not opened:
            raise ExtractionFailed(
                "the PDF is protected with a password, so its text cannot be read", "encrypted"
            )
    pages = reader.pages
    count = len(pages)
    if count == 0:
        raise ExtractionFailed("the PDF could not be read", "unreadable", "no pages")
    failed = 0
    for index in range(count):
        try:
            text = pages[index].extract_text() or ""
        except Exception:  # a damaged page: keep the others
            failed += 1
            continue
        yield index + 1, f"page {index + 1}", text
    if failed == count:
        raise ExtractionFailed("the PDF could not be read", "unreadable", "no page could be read")


# --- Word and OpenDocument text: blocks of text, some of them headings --------------------


def _headed_sections(blocks: Iterable[tuple[bool, str]]) -> Iterator[tuple[int, str, str]]:
    """Sections from (is_heading, text) blocks: split at headings, else every 40 paragraphs.

    Text before the first heading is the section labelled "start".
    """
    kept: list[tuple[bool, str]] = []
    size = 0
    for is_heading, text in blocks:
        if text.strip():
            kept.append((is_heading, text))
            size += len(text)
            if size > MAX_TOTAL_CHARS:
                break
    number = 0
    if any(is_heading for is_heading, _ in kept):
        label, lines = "start", []
        for is_heading, text in kept:
            if is_heading:
                if lines:
                    number += 1
                    yield number, label, "\n".join(lines)
                label, lines = f"section “{_inline(text)}”", [text]
            else:
                lines.append(text)
        if lines:
            yield number + 1, label, "\n".join(lines)
        return
    for start in range(0, len(kept), PART_PARAGRAPHS):
        number += 1
        yield (
            number,
            f"part {number}",
            "\n".join(t for _, t in kept[start : start + PART_PARAGRAPHS]),
        )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_table_text(tbl: Any) -> str:
    """A Word table's text: a line per row, cells separated by tabs (nested tables inline)."""
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            paragraphs = (
                "".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iter(f"{_W}p")
            )
            cells.append(" ".join(p for p in paragraphs if p.strip()))
        rows.append("\t".join(cells))
    return "\n".join(rows)


def _docx_blocks(path: Path) -> Iterator[tuple[bool, str]]:
    import docx
    from docx.table import Table

    with path.open("rb") as stream:  # whatever the file is called
        document = docx.Document(stream)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield False, _docx_table_text(block._tbl)
            continue
        text = block.text
        style = block.style
        name = (style.name or "") if style is not None else ""
        yield name.startswith(("Heading", "Title")) and bool(text.strip()), text


def _docx(path: Path) -> Iterator[tuple[int, str, str]]:
    return _headed_sections(_docx_blocks(path))


# --- spreadsheets -------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat(sep=" ") if hasattr(value, "date") else value.isoformat()
        return text.removesuffix(" 00:00:00")
    return " ".join(str(value).split())


def _row_text(values: Iterable[object]) -> str:
    cells = [_cell_text(value) for value in values]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells)


def _xlsx(path: Path) -> Iterator[tuple[int, str, str]]:
    """One item per worksheet, at most MAX_SHEET_ROWS rows each."""
    import openpyxl

    # An open file rather than the path: openpyxl refuses paths not ending in .xlsx, and
    # stored files are named by their hash.
    with path.open("rb") as stream:
        yield from _xlsx_sheets(openpyxl.load_workbook(stream, read_only=True, data_only=True))


def _xlsx_sheets(workbook: Any) -> Iterator[tuple[int, str, str]]:
    try:
        for index, sheet in enumerate(workbook.worksheets, start=1):
            lines, size = [], 0
            for row in sheet.iter_rows(max_row=MAX_SHEET_ROWS, values_only=True):
                line = _row_text(row[:MAX_SHEET_COLUMNS])
                if line:
                    lines.append(line)
                    size += len(line)
                    if size > MAX_TOTAL_CHARS:
                        break
            yield index, f"sheet “{_inline(sheet.title)}”", "\n".join(lines)
    finally:
        workbook.close()


# --- text, CSV and RTF files: split into parts of about PART_CHARS ------------------------


def _read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without a BOM), else Windows-1252."""
    with path.open("rb") as f:
        data = f.read(MAX_TEXT_FILE_BYTES + 1)
    complete = len(data) <= MAX_TEXT_FILE_BYTES
    data = data[:MAX_TEXT_FILE_BYTES]
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=complete)
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _split_long(line: str) -> Iterator[str]:
    """``line`` in pieces of at most PART_CHARS characters, cut at a space where possible."""
    limit = PART_CHARS
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        cut = cut if cut > 0 else limit
        yield line[:cut]
        line = line[cut:].lstrip(" ")
    yield line


def _parts(lines: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, text) for runs of lines about PART_CHARS long (1-based)."""
    chunk: list[str] = []
    size, first, last = 0, 1, 0
    for number, line in enumerate(lines, start=1):
        for piece in _split_long(line):
            if chunk and size + len(piece) > PART_CHARS:
                yield first, last, "\n".join(chunk)
                chunk, size = [], 0
            if not chunk:
                first = number
            chunk.append(piece)
            size += len(piece) + 1
            last = number
    if chunk:
        yield first, last, "\n".join(chunk)


def _numbered_parts(text: str) -> Iterator[tuple[int, str, str]]:
    for index, (_, _, part) in enumerate(_parts(text.splitlines()), start=1):
        yield index, f"part {index}", part


def _txt(path: Path) -> Iterator[tuple[int, str, str]]:
    return _numbered_parts(_read_text(path))


def _csv(path: Path) -> Iterator[tuple[int, str, str]]:
    """Parts of about PART_CHARS labelled by their rows ("rows 1–40"), cells tab-separated."""
    text = _read_text(path)
    try:
        try:
            dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [
            "\t".join(" ".join(cell.split()) for cell in record)
            for record in csv.reader(io.StringIO(text, newline=""), dialect)
        ]
    except csv.Error:  # not really CSV after all (a stray quote, a huge field)
        yield from _numbered_parts(text)
        return
    for index, (first, last, part) in enumerate(_parts(rows), start=1):
        yield index, f"row {first}" if first == last else f"rows {first}\u2013{last}", part


#: RTF groups whose text is not the document's (fonts, styles, pictures, field codes...).
_RTF_SKIPPED = frozenset(
    "fonttbl colortbl stylesheet info pict object objdata themedata colorschememapping "
    "datastore latentstyles listtable listoverridetable rsidtbl generator xmlnstbl filetbl "
    "revtbl fldinst header headerl headerr headerf footer footerl footerr footerf "
    "annotation atnid atnauthor xe tc bkmkstart bkmkend shpinst sp sn sv nonshppict "
    "datafield mmathPr pgdsctbl protusertbl".split()
)
_RTF_WORDS: dict[str, str] = {
    "par": "\n",
    "line": "\n",
    "sect": "\n",
    "page": "\n",
    "row": "\n",
    "tab": "\t",
    "cell": "\t",
    "emdash": "\u2014",
    "endash": "\u2013",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
}
_RTF_SYMBOLS = {"\\": "\\", "{": "{", "}": "}", "~": " ", "_": "-", "-": "", "\n": "\n", "\r": "\n"}
_RTF_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # 1, 2: control word and parameter
    rb"|\\'([0-9a-fA-F]{2})"  # 3: a byte in the document's code page
    rb"|\\(.)"  # 4: control symbol
    rb"|([{}])"  # 5: group
    rb"|[\r\n]+"  # line breaks in the file mean nothing
    rb"|([^\\{}\r\n]+)",  # 6: text
    re.DOTALL,
)


def rtf_to_text(data: bytes) -> str:
    """The text of an RTF document: a small stripper, not a full RTF reader.

    Skips font tables, style sheets, pictures, embedded objects, field codes and other
    ``{\\*...}`` destinations; reads ``\\'hh`` and plain bytes as Windows-1252 and ``\\uN``
    as Unicode; turns ``\\par`` into a newline and ``\\tab``/``\\cell`` into a tab.
    """
    out: list[str] = []
    pending = bytearray()  # bytes still to decode as cp1252
    stack: list[tuple[bool, int]] = []
    skipping, uc = False, 1  # this group is not text; characters after \uN to skip
    to_skip = 0
    size = len(data)
    pos = 0
    chars = 0

    def emit(text: str) -> None:
        nonlocal chars
        if pending:
            out.append(pending.decode("cp1252", errors="replace"))
            pending.clear()
        out.append(text)
        chars += len(text)

    while pos < size and chars <= MAX_TOTAL_CHARS:
        match = _RTF_TOKEN.match(data, pos)
        if match is None:  # a lone backslash at the very end
            break
        pos = match.end()
        word, param, hexbyte, symbol, brace, plain = match.groups()
        if brace is not None:
            if brace == b"{":
                stack.append((skipping, uc))
            elif stack:
                skipping, uc = stack.pop()
            to_skip = 0
            continue
        if word is not None:
            name = word.decode("ascii")
            if name == "bin" and param:  # raw binary data follows
                pos += max(int(param), 0)
                continue
            if name in _RTF_SKIPPED:
                skipping = True
            if skipping:
                continue
            if name == "uc" and param:
                uc = max(int(param), 0)
            elif name == "u" and param:
                code = int(param)
                code = code + 65536 if code < 0 else code
                emit(chr(code) if 0 < code < 0x110000 else "")
                to_skip = uc
            elif name in _RTF_WORDS:
                emit(_RTF_WORDS[name])
            continue
        if symbol is not None:
            if symbol == b"*":
                skipping = True
            elif not skipping:
                emit(_RTF_SYMBOLS.get(symbol.decode("latin-1"), ""))
            continue
        if skipping:
            continue
        if hexbyte is not None:
            if to_skip:
                to_skip -= 1
            else:
                pending.append(int(hexbyte, 16))
            continue
        if plain is not None:
            if to_skip:
                skip = min(to_skip, len(plain))
                plain, to_skip = plain[skip:], to_skip - skip
            pending.extend(plain)
            chars += len(plain)
    emit("")
    return "".join(out)


def _rtf(path: Path) -> Iterator[tuple[int, str, str]]:
    with path.open("rb") as f:
        data = f.read(MAX_TEXT_FILE_BYTES * 2)
    return _numbered_parts(rtf_to_text(data))


# --- PowerPoint and OpenDocument: XML inside a ZIP, read with lxml ------------------------


def _xml_part(archive: zipfile.ZipFile, name: str) -> Any:
    """A part of the archive parsed safely (no entities, no network, no huge trees)."""
    from lxml import etree

    with archive.open(name) as part:
        data = part.read(MAX_XML_PART_BYTES + 1)
    if len(data) > MAX_XML_PART_BYTES:
        raise ExtractionFailed("the file unpacks to too much text to read", "too_big")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    return etree.fromstring(data, parser)


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _pptx_slide_names(archive: zipfile.ZipFile) -> list[str]:
    """The slides' part names in the order they are shown."""
    names = set(archive.namelist())
    numbered = sorted(
        (int(m.group(1)), name)
        for name in names
        if (m := re.fullmatch(r"ppt/slides/slide(\d+)\.xml", name))
    )
    fallback = [name for _, name in numbered]
    try:
        presentation = _xml_part(archive, "ppt/presentation.xml")
        rels = _xml_part(archive, "ppt/_rels/presentation.xml.rels")
    except Exception:  # missing or damaged: fall back to the parts' numbers
        return fallback
    targets = {
        rel.get("Id"): "ppt/" + (rel.get("Target") or "").lstrip("/").removeprefix("ppt/")
        for rel in rels.iter(f"{_PACKAGE_RELS}Relationship")
    }
    ordered = [targets.get(slide.get(f"{_R}id"), "") for slide in presentation.iter(f"{_P}sldId")]
    ordered = [name for name in ordered if name in names]
    return ordered or fallback


def _pptx(path: Path) -> Iterator[tuple[int, str, str]]:
    """One item per slide, "slide N", from the slides' ``a:t`` text runs."""
    with zipfile.ZipFile(path) as archive:
        for number, name in enumerate(_pptx_slide_names(archive), start=1):
            slide = _xml_part(archive, name)
            lines = ("".join(t.text or "" for t in p.iter(f"{_A}t")) for p in slide.iter(f"{_A}p"))
            yield number, f"slide {number}", "\n".join(lines)


_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _odf_text(element: Any) -> str:
    """The text of an OpenDocument paragraph, heading or cell, spaces and tabs included."""
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            pieces.append(node.text)
        for child in node:
            if child.tag == f"{_TEXT}s":
                pieces.append(" " * min(int(child.get(f"{_TEXT}c") or 1), 100))
            elif child.tag == f"{_TEXT}tab":
                pieces.append("\t")
            elif child.tag == f"{_TEXT}line-break":
                pieces.append("\n")
            elif child.tag != f"{_OFFICE}annotation":
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return "".join(pieces)


def _repeat(element: Any, attribute: str, limit: int) -> int:
    try:
        return max(1, min(int(element.get(f"{_TABLE}{attribute}") or 1), limit))
    except ValueError:
        return 1


def _ods_rows(table: Any) -> Iterator[str]:
    for row in table.iter(f"{_TABLE}table-row"):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                continue
            text = " ".join(_odf_text(p) for p in cell.iterchildren(f"{_TEXT}p", f"{_TEXT}h"))
            cells.extend([" ".join(text.split())] * _repeat(cell, "number-columns-repeated", 100))
            if len(cells) >= MAX_SHEET_COLUMNS:
                break
        line = _row_text(cells[:MAX_SHEET_COLUMNS])
        if line:
            yield from [line] * _repeat(row, "number-rows-repeated", 100)


def _ods(path: Path) -> Iterator[tuple[int, str, str]]:
    """One item per sheet, at most MAX_SHEET_ROWS non-empty rows each."""
    with zipfile.ZipFile(path) as archive:
        content = _xml_part(archive, "content.xml")
    for index, table in enumerate(content.iter(f"{_TABLE}table"), start=1):
        lines = []
        for line in _ods_rows(table):
            lines.append(line)
            if len(lines) >= MAX_SHEET_ROWS:
                break
        name = table.get(f"{_TABLE}name") or f"Sheet{index}"
        yield index, f"sheet “{_inline(name)}”", "\n".join(lines)


def _odt_blocks(content: Any) -> Iterator[tuple[bool, str]]:
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        return
    for element in body.iter(f"{_TEXT}h", f"{_TEXT}p", f"{_TABLE}table-row"):
        if element.tag == f"{_TABLE}table-row":
            cells = (
                " ".join(_odf_text(p) for p in cell.iterchildren(f"{_TEXT}p", f"{_TEXT}h"))
                for cell in element.iterchildren(f"{_TABLE}table-cell")
            )
            yield False, "\t".join(cells)
        elif element.getparent().tag not in (f"{_TABLE}table-cell", f"{_OFFICE}annotation"):
            yield element.tag == f"{_TEXT}h", _odf_text(element)


def _odt(path: Path) -> Iterator[tuple[int, str, str]]:
    with zipfile.ZipFile(path) as archive:
        content = _xml_part(archive, "content.xml")
    return _headed_sections(_odt_blocks(content))


_READERS: dict[str, Any] = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "pptx": _pptx,
    "odt": _odt,
    "ods": _ods,
    "csv": _csv,
    "txt": _txt,
    "rtf": _rtf,
}


# --- the child process --------------------------------------------------------------------


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space (Unix only; elsewhere the time limit still holds)."""
    try:
        import resource
    except ImportError:
        return
    wanted = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def main(argv: list[str]) -> int:
    """``extract.py PATH KIND [MEMORY_MB]``: print the sections as JSON.

    Exit status 0 with ``[{"number": .., "label": .., "text": ..}, ...]`` on standard
    output, or 3 with ``{"message": .., "code": ..}`` when the document cannot be read.
    """
    if len(argv) == 3 and argv[1] == "--serve":
        return serve(int(argv[2]))
    if len(argv) not in (3, 4):
        sys.stderr.write("usage: extract.py PATH KIND [MEMORY_MB]\n")
        return 2
    if len(argv) == 4 and int(argv[3]) > 0:
        _limit_memory(int(argv[3]))
    try:
        sections = extract(argv[1], argv[2])
    except ExtractionFailed as exc:
        sys.stderr.write(exc.detail + "\n")
        sys.stdout.buffer.write(json.dumps({"message": exc.message, "code": exc.code}).encode())
        return _FAILED_EXIT
    payload = json.dumps([asdict(section) for section in sections], ensure_ascii=False)
    sys.stdout.buffer.write(payload.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
