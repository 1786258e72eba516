"""Small generated documents for the demo library, the tests and the benchmarks.

Holds :func:`pdf_bytes` (fpdf2), :func:`docx_bytes` (python-docx) and :func:`xlsx_bytes`
(openpyxl), which make real documents that Acrobat, Word and Excel open, and
:func:`minimal_pptx_bytes`, :func:`minimal_odt_bytes` and :func:`minimal_ods_bytes`, built by
hand with :mod:`zipfile`: just enough of a PowerPoint or OpenDocument file to be recognised
and have its text read (the OpenDocument ones open in LibreOffice; the PowerPoint one lacks
the masters and layouts PowerPoint needs, so it is for tests only).

Every function returns the file's bytes and gives the same bytes for the same input.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from fpdf import FPDF

#: The fixed date written into generated files, so the same input gives the same bytes.
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)

# --- PDF ----------------------------------------------------------------------------------

#: Characters outside Latin-1 that fpdf2's core fonts cannot draw, and what to draw instead.
_LATIN1_SUBSTITUTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u20ac": "EUR",
        "\u2122": "(TM)",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

_PDF_FONT_SIZE = 11
_PDF_LINE_HEIGHT = 5.5  # mm
_PDF_MARGIN = 15  # mm


def to_latin1(text: str) -> str:
    """``text`` with curly quotes, dashes and the like made plain, the rest outside Latin-1
    replaced by ``?`` (fpdf2's core fonts draw only Latin-1; ``£`` is fine)."""
    text = text.translate(_LATIN1_SUBSTITUTES)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def pdf_bytes(pages: list[str], title: str = "") -> bytes:
    """A PDF with one page per string of ``pages`` (Helvetica 11 pt, long lines wrapped).

    ``title`` is the document's title in its properties and, in bold, the first line of the
    first page. A page whose text does not fit continues on the next page (so only then
    does the PDF have more pages than ``pages`` has strings). Lines are placed directly
    rather than through ``multi_cell``, which is 20 times slower: 100 pages take well under
    a tenth of a second.
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(to_latin1(title))
    width = pdf.w - 2 * _PDF_MARGIN
    bottom = pdf.h - _PDF_MARGIN
    for index, page in enumerate(pages or [""]):
        pdf.add_page()
        y = _PDF_MARGIN + _PDF_LINE_HEIGHT
        if index == 0 and title:
            pdf.set_font("Helvetica", style="B", size=_PDF_FONT_SIZE + 3)
            for line in _wrap(pdf, to_latin1(title), width):
                pdf.text(_PDF_MARGIN, y, line)
                y += _PDF_LINE_HEIGHT + 1
            y += _PDF_LINE_HEIGHT
        pdf.set_font("Helvetica", size=_PDF_FONT_SIZE)
        for paragraph in to_latin1(page).split("\n"):
            for line in _wrap(pdf, paragraph, width) or [""]:
                if y > bottom:
                    pdf.add_page()
                    y = _PDF_MARGIN + _PDF_LINE_HEIGHT
                if line:
                    pdf.text(_PDF_MARGIN, y, line)
                y += _PDF_LINE_HEIGHT
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` mm in the PDF's current font."""
    measure = pdf.get_string_width
    if measure(text) <= width:
        return [text] if text.strip() else []
    columns = max(10, int(len(text) * width / measure(text)))
    while True:
        lines = textwrap.wrap(text, columns, break_long_words=True, break_on_hyphens=False)
        if columns <= 10 or all(measure(line) <= width for line in lines):
            return lines
        columns -= max(1, columns // 20)


# --- Word and Excel -----------------------------------------------------------------------


def docx_bytes(title: str, sections: list[tuple[str, list[str]]]) -> bytes:
    """A Word document: ``title`` (Title style), then per section a Heading 1 and paragraphs."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    if title:
        document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An Excel workbook with a worksheet per entry of ``sheets`` (name → rows of cells)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.created = FIXED_DATE.replace(tzinfo=None)
    workbook.properties.modified = FIXED_DATE.replace(tzinfo=None)
    default = workbook.active
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=name)
        for row in rows:
            sheet.append(list(row))
    if sheets and default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PowerPoint and OpenDocument, by hand ---------------------------------------------------


def _zip(parts: Iterable[tuple[str, str | bytes]], stored_first: bool = False) -> bytes:
    """A ZIP of (name, content) parts, deflated (the first one stored, if asked: ODF's
    ``mimetype`` must be)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(parts):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            stored = stored_first and index == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


_PPTX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>
{slides}
</Types>"""  # noqa: E501
_PPTX_SLIDE_TYPE = (
    '<Override PartName="/ppt/slides/slide{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def minimal_pptx_bytes(slides: list[list[str]]) -> bytes:
    """The bare bones of a PowerPoint file: a slide per list of paragraphs (for tests)."""
    ids = "".join(f'<p:sldId id="{256 + n}" r:id="rId{n}"/>' for n in range(1, len(slides) + 1))
    presentation = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p:presentation xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{_OFFICE_RELS}" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        f"<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_OFFICE_RELS}/slide" Target="slides/slide{n}.xml"/>'
        for n in range(1, len(slides) + 1)
    )
    parts: list[tuple[str, str | bytes]] = [
        (
            "[Content_Types].xml",
            _PPTX_CONTENT_TYPES.format(
                slides="".join(_PPTX_SLIDE_TYPE.format(n=n) for n in range(1, len(slides) + 1))
            ),
        ),
        (
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
            f'<Relationship Id="rId1" Type="{_OFFICE_RELS}/officeDocument" '
            'Target="ppt/presentation.xml"/></Relationships>',
        ),
        ("ppt/presentation.xml", presentation),
        (
            "ppt/_rels/presentation.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
            f"{rels}</Relationships>",
        ),
    ]
    for n, paragraphs in enumerate(slides, start=1):
        body = "".join(f"<a:p><a:r><a:t>{escape(p)}</a:t></a:r></a:p>" for p in paragraphs)
        parts.append(
            (
                f"ppt/slides/slide{n}.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
                "<p:cSld><p:spTree><p:sp><p:txBody>"
                f"{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
            )
        )
    return _zip(parts)


_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"'
)


def _odf_bytes(mimetype: str, body: str) -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_ODF_NAMESPACES}><office:body>{body}</office:body>"
        "</office:document-content>"
    )
    return _zip(
        [("mimetype", mimetype), ("META-INF/manifest.xml", manifest), ("content.xml", content)],
        stored_first=True,
    )


def minimal_odt_bytes(blocks: list[tuple[str, str]]) -> bytes:
    """An OpenDocument text of ("h" or "p", text) blocks: headings and paragraphs."""
    body = "".join(
        f'<text:h text:outline-level="1">{escape(text)}</text:h>'
        if tag == "h"
        else f"<text:p>{escape(text)}</text:p>"
        for tag, text in blocks
    )
    return _odf_bytes(
        "application/vnd.oasis.opendocument.text", f"<office:text>{body}</office:text>"
    )


def minimal_ods_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An OpenDocument spreadsheet with a sheet per entry (name → rows of cells, as text)."""
    tables = []
    for name, rows in sheets.items():
        xml_rows = "".join(
            "<table:table-row>"
            + "".join(
                f"<table:table-cell><text:p>{escape(str(cell))}</text:p></table:table-cell>"
                for cell in row
            )
            + "</table:table-row>"
            for row in rows
        )
        tables.append(f"<table:table table:name={quoteattr(name)}>{xml_rows}</table:table>")
    return _odf_bytes(
        "application/vnd.oasis.opendocument.spreadsheet",
        f"<office:spreadsheet>{''.join(tables)}</office:spreadsheet>",
    )
