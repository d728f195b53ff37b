"""Read the facts the rules need from an opened PDF or DOCX (text of the first and last page,
page sizes, DOCX layout, active content). Never raises: a fact that cannot be read is left empty."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections import Counter

from ..limits import DEFAULT_LIMITS
from ..model import DocumentFacts
from .text import page_texts

MAX_TEXT = 20_000  # characters kept per end of the document: enough for header and signature block
DOCX_BLOCKS = 60  # body blocks (paragraphs, table rows) treated as the "first page" / "last page"
EMU_PER_MM = 36_000
EMU_PER_POINT = 12_700


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")[:MAX_TEXT]


def pdf_facts(reader, data: bytes, max_inflate: int | None = None) -> DocumentFacts:
    """``reader`` is an open pypdf ``PdfReader`` of ``data``."""

    pages = reader.pages
    count = len(pages)
    texts = page_texts(data, reader, sorted({0, count - 1}), max_inflate or DEFAULT_LIMITS.max_inflate_bytes)
    head, tail = texts[0], texts[-1]
    sizes = []
    for index in sorted({*range(min(count, 5)), count - 1}):
        try:
            box = pages[index].mediabox
            sizes.append((round(float(box.width), 2), round(float(box.height), 2)))
        except Exception:  # noqa: BLE001
            pass
    javascript = launch = embedded = False
    try:
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        javascript = "/JavaScript" in names or "/JS" in str(root.get("/OpenAction", ""))
        embedded = "/EmbeddedFiles" in names
        launch = "/Launch" in str(root.get("/OpenAction", "")) or "/AA" in root
    except Exception:  # noqa: BLE001
        pass
    return DocumentFacts(head_text=head, tail_text=tail, page_sizes=tuple(sizes), javascript=javascript,
                         launch_action=launch, embedded_files=embedded)


def docx_facts(data: bytes) -> DocumentFacts:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001
        return DocumentFacts()
    blocks: list[str] = []
    fonts: Counter[str] = Counter()
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            blocks.append(paragraph.text)
            _count_fonts(paragraph, document, fonts)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    cells.append(cell.text)
                    for paragraph in cell.paragraphs:
                        _count_fonts(paragraph, document, fonts)
                blocks.append("\n".join(dict.fromkeys(cells)))
    head = "\n".join(blocks[:DOCX_BLOCKS])
    tail = "\n".join(blocks[-DOCX_BLOCKS:])
    sizes, margins = [], None
    try:
        for section in document.sections:
            sizes.append((round(section.page_width / EMU_PER_POINT, 2), round(section.page_height / EMU_PER_POINT, 2)))
        first = document.sections[0]
        margins = tuple(round(m / EMU_PER_MM, 1) for m in (first.top_margin, first.bottom_margin,
                                                           first.left_margin, first.right_margin))
    except Exception:  # noqa: BLE001
        pass
    macros = False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            macros = any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except Exception:  # noqa: BLE001
        pass
    return DocumentFacts(head_text=_nfc(head), tail_text=_nfc(tail), page_sizes=tuple(sizes),
                         margins_mm=margins, fonts=tuple(f for f, _ in fonts.most_common()), macros=macros)


def _count_fonts(paragraph, document, fonts: Counter) -> None:
    style_font = None
    try:
        style_font = paragraph.style.font.name or document.styles["Normal"].font.name
    except Exception:  # noqa: BLE001
        pass
    for run in paragraph.runs:
        if run.text.strip():
            fonts[run.font.name or style_font or "?"] += len(run.text)
