"""The Word báo cáo (python-docx), formatted the way Nghị định 30/2020/NĐ-CP asks of an
administrative document: A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (the
decree allows 20–25 / 20–25 / 30–35 / 15–20); Times New Roman throughout (also for East-Asian and
complex-script text, so Vietnamese never falls back to another font), body 13 pt, title 14 pt bold;
paragraphs justified with a 1 cm first-line indent and 6 pt between paragraphs.

Contents: title, period, the narrative paragraph (overall, then per agency), the summary table, the
breakdown by direction, and the list of shortfalls.
"""

from __future__ import annotations

import io
import math

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips

from ..pipeline.report import AuditReport
from . import breakdown as bd
from . import narrative as nv
from .i18n import DIRECTIONS, datetime_text, number, t, word

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4_TWIPS = (11906, 16838)  # 210 × 297 mm, as Word writes A4


def _mm(mm: float) -> Twips:
    """Whole twips (what the file stores), rounded up so a margin is never under its minimum."""
    return Twips(math.ceil(mm * 1440 / 25.4))


def _fonts(rpr_parent, size_pt: float | None = None, lang_tag: str | None = None) -> None:
    """Set Times New Roman for every script (ascii, hAnsi, eastAsia, cs) on an rPr owner."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    if size_pt:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))
    if lang_tag:
        el = rpr.find(qn("w:lang"))
        if el is None:
            el = OxmlElement("w:lang")
            rpr.append(el)
        el.set(qn("w:val"), lang_tag)


def _run(paragraph, text: str, bold: bool = False, italic: bool = False, size: float = BODY_PT):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.name = FONT
    run.font.size = Pt(size)
    _fonts(run._r, size)
    return run


def _paragraph(doc, text: str = "", *, bold: bool = False, italic: bool = False, size: float = BODY_PT,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, after: float = 6):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _cell(cell, text: str, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.first_line_indent = None
    _run(p, text, bold=bold)


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float], bold_last: bool = False) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        _cell(table.rows[0].cells[i], header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for r, values in enumerate(rows):
        cells = table.add_row().cells
        last = bold_last and r == len(rows) - 1
        for i, value in enumerate(values):
            _cell(cells[i], value, bold=last, align=WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.CENTER)
    for row in table.rows:
        for i, width in enumerate(widths_cm):
            row.cells[i].width = Cm(width)
    _paragraph(doc, "", after=6, indent=False)


def _setup(doc, lang: str) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    section.top_margin, section.bottom_margin = _mm(MARGINS_MM["top"]), _mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = _mm(MARGINS_MM["left"]), _mm(MARGINS_MM["right"])
    lang_tag = "vi-VN" if lang == "vi" else "en-GB"
    for name in ("Normal", "Table Grid"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        _fonts(style.element, BODY_PT, lang_tag)
    # document defaults too, for anything that does not use a style we set
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)


def render(report: AuditReport, lang: str = "vi") -> bytes:
    doc = Document()
    _setup(doc, lang)
    doc.core_properties.author = "docaudit"
    doc.core_properties.title = t("report_title", lang)

    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, t("docx_title", lang), bold=True, size=TITLE_PT, align=center, indent=False, after=0)
    _paragraph(doc, t("docx_subtitle", lang), bold=True, size=TITLE_PT, align=center, indent=False, after=0)
    _paragraph(doc, f"({t('period', lang)}: {nv.period_text(report, lang)})", italic=True, align=center,
               indent=False, after=12)

    _paragraph(doc, t("docx.summary", lang), bold=True, indent=False)
    for paragraph in nv.paragraphs(report, lang):
        _paragraph(doc, paragraph)

    _paragraph(doc, t("docx.table", lang), bold=True, indent=False)
    pack = bd.targets(report)
    headers = [t("agency", lang), t("total", lang),
               f"{t('via_software', lang)} ({nv.target_text(pack['via_software'], lang)})", t("result", lang),
               f"{t('paperless', lang)} ({nv.target_text(pack['paperless'], lang)})", t("result", lang)]
    rows = []
    for scope in [*bd.agencies(report), bd.overall(report)]:
        rows.append([nv.scope_label(scope, lang), number(scope.total, lang),
                     nv.rate_text(scope.via_software, lang), nv.status_word(scope.via_software.status, lang),
                     nv.rate_text(scope.paperless, lang), nv.status_word(scope.paperless.status, lang)])
    _table(doc, headers, rows, [3.4, 1.8, 3.4, 1.9, 3.4, 1.9], bold_last=True)

    directions = bd.breakdown(report, "direction")
    if directions:
        _paragraph(doc, f"{t('by_direction', lang)}:", italic=True, indent=False)
        rows = [[word(DIRECTIONS, g.key, lang), number(g.total, lang), nv.rate_text(g.via_software, lang),
                 nv.rate_text(g.paperless, lang)] for g in directions]
        _table(doc, [t("direction", lang), t("total", lang), t("via_software", lang), t("paperless", lang)],
               rows, [3.4, 2.6, 4.9, 4.9])

    _paragraph(doc, t("docx.shortfalls", lang), bold=True, indent=False)
    items = bd.shortfalls(report)
    if items:
        for item in items:
            _paragraph(doc, f"- {nv.shortfall_text(item, lang)}")
    else:
        _paragraph(doc, t(bd.no_shortfall_key(report), lang))

    source = f"docaudit {report.tool_version}".strip()
    if report.run_id is not None:
        source += f", {t('run_id', lang).lower()} #{report.run_id}"
    if report.finished:
        source += f", {datetime_text(report.finished.isoformat(), lang)}"
    _paragraph(doc, f"{t('generated_by', lang, tool=source)}.", italic=True, indent=False, after=0)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
