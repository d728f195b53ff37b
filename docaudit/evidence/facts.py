"""Read the facts the rules need from an opened PDF or DOCX (text of the first and last page,
page sizes, DOCX layout, active content). Never raises: a fact that cannot be read is left empty."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections import Counter

from ..limits import DEFAULT_LIMITS
from ..model import DocumentFacts
from . import legacy_fonts
from .text import decode_legacy_pages, page_texts

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
    indices, max_inflate = sorted({0, count - 1}), max_inflate or DEFAULT_LIMITS.max_inflate_bytes
    texts, legacy = decode_legacy_pages(data, reader, indices, page_texts(data, reader, indices, max_inflate), max_inflate)
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
                         launch_action=launch, embedded_files=embedded, legacy_fonts=legacy,
                         legacy_encodings=_encodings(legacy))


def _encodings(fonts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(encoding.label for font in fonts if (encoding := legacy_fonts.font_encoding(font))))


def docx_facts(data: bytes) -> DocumentFacts:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001
        return DocumentFacts()
    fonts: Counter[str] = Counter()
    body = document.element.body
    # each body block as the paragraphs it holds (a table row: per cell), read before any text so
    # the whole document decides whether its legacy-font text may be decoded
    rows: list[list[list[Paragraph]]] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            rows.append([[paragraph]])
            _count_fonts(paragraph, document, fonts)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    cells.append(cell.paragraphs)
                    for paragraph in cell.paragraphs:
                        _count_fonts(paragraph, document, fonts)
                rows.append(cells)
    text_of, legacy = _docx_text_reader(document, [p for cells in rows for cell in cells for p in cell])
    blocks = ["\n".join(dict.fromkeys("\n".join(text_of(p) for p in cell) for cell in cells)) for cells in rows]
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
                         margins_mm=margins, fonts=tuple(f for f, _ in fonts.most_common()), macros=macros,
                         legacy_fonts=legacy, legacy_encodings=_encodings(legacy))


def _style_font(paragraph, document) -> str | None:
    try:
        return paragraph.style.font.name or document.styles["Normal"].font.name
    except Exception:  # noqa: BLE001
        return None


def _run_font(run, style_font: str | None) -> str | None:
    """The font Word draws a run's 8-bit characters in: w:hAnsi (then w:ascii) of the run, else
    the paragraph style's."""
    from docx.oxml.ns import qn

    properties = run._r.rPr  # noqa: SLF001 — python-docx exposes only w:ascii as font.name
    names = properties.rFonts if properties is not None else None
    if names is not None:
        for attribute in ("w:hAnsi", "w:ascii"):
            if names.get(qn(attribute)):
                return names.get(qn(attribute))
    return style_font


def _runs(paragraph) -> list:
    runs = []
    for item in paragraph.iter_inner_content():
        runs.extend(item.runs if hasattr(item, "runs") else [item])  # a hyperlink holds runs
    return runs


def _docx_text_reader(document, paragraphs: list):
    """(paragraph → its text, the legacy fonts decoded). A document with no legacy-font text to
    decode reads as python-docx gives it; otherwise each run in a TCVN3/VNI font is decoded."""
    pieces: dict[int, list[tuple[str, str | None]]] = {}
    try:
        for paragraph in paragraphs:
            style_font = _style_font(paragraph, document)
            runs = [(run.text, _run_font(run, style_font)) for run in _runs(paragraph)]
            if any(legacy_fonts.font_encoding(font) for _, font in runs):
                pieces[id(paragraph._p)] = runs  # noqa: SLF001 — the XML element: one per paragraph
    except Exception:  # noqa: BLE001 — unusual run markup: read the text as python-docx gives it
        pieces = {}
    every = [piece for runs in pieces.values() for piece in runs]
    changed = tuple(dict.fromkeys(legacy_fonts.base_font_name(font) for text, font in every
                                  if legacy_fonts.changes(text, font)))
    if not changed or not legacy_fonts.decodable(every):
        return (lambda paragraph: paragraph.text), ()

    def text_of(paragraph) -> str:
        runs = pieces.get(id(paragraph._p))  # noqa: SLF001
        if runs is None:
            return paragraph.text
        return "".join(legacy_fonts.decode(text, font) for text, font in runs)

    return text_of, changed


def _count_fonts(paragraph, document, fonts: Counter) -> None:
    style_font = _style_font(paragraph, document)
    for run in paragraph.runs:
        if run.text.strip():
            fonts[run.font.name or style_font or "?"] += len(run.text)
