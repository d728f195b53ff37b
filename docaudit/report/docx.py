"""The Word báo cáo (python-docx), an administrative document in the layout of Nghị định
30/2020/NĐ-CP (Phụ lục I), so that ``docaudit check`` passes it: A4 portrait; margins top 20 mm,
bottom 20 mm, left 30 mm, right 15 mm (the decree allows 20–25 / 20–25 / 30–35 / 15–20); Times New
Roman throughout (also for East-Asian and complex-script text, so Vietnamese never falls back to
another font), body 13 pt, title 14 pt bold; paragraphs justified with a 1 cm first-line indent and
6 pt between paragraphs.

From top to bottom:

* a borderless two-column table: upper left the cơ quan chủ quản (capitals) and the issuing agency
  (capitals, bold, a short rule under it), then ``Số: 15/BC-UBND``; upper right the Quốc hiệu (12 pt
  bold capitals) and the Tiêu ngữ (13 pt bold, underlined), then the place and date line (italic:
  ``Bắc Quang, ngày 06 tháng 12 năm 2026``; days below 10 and months 1–2 with a leading zero; the
  date is the day the run finished, in Vietnam time);
* the type title ``BÁO CÁO`` and the trích yếu (14 pt bold, centred, a short rule under them), the
  period;
* the content: the narrative paragraph (overall, then per agency), the summary table, the breakdown
  by direction, the list of shortfalls;
* a borderless two-column table: bottom left ``Nơi nhận:`` (12 pt bold italic) and the recipients
  (11 pt), ending with ``- Lưu: VT.``; bottom right the signer's authority and position (bold
  capitals), room for the signature and the seal, the signer's name (bold).

What the office sets in ``docaudit.toml``'s ``[report]`` (:class:`~.settings.ReportSettings`) fills
these elements; anything unset shows the decree's placeholder (``TÊN CƠ QUAN, TỔ CHỨC``,
``Số: …/BC-…``, ``……`` for the place). The elements stay in Vietnamese in an English report (NĐ 30
prescribes them; :data:`LEGAL`); the content follows ``lang``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata

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
from .settings import DEFAULT_SETTINGS, ReportSettings

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
NATIONAL_PT = 12      # Quốc hiệu: 12–13 pt, so it fits its column on one line
RECIPIENTS_PT = 12    # "Nơi nhận:" 12 pt, the recipients 11 pt
RECIPIENT_PT = 11
LEGAL = "vi"
"""The language of NĐ 30's elements (Quốc hiệu, Tiêu ngữ, Số, the date line, the type title and the
trích yếu, Nơi nhận): Vietnamese in every report, since the decree prescribes them."""
HEADER_CM = (6.0, 10.5)   # tên cơ quan | Quốc hiệu: the 16.5 cm between the margins
FOOTER_CM = (7.5, 9.0)    # Nơi nhận | chữ ký
VIETNAM = dt.timezone(dt.timedelta(hours=7))
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


def _run(paragraph, text: str, bold: bool = False, italic: bool = False, size: float = BODY_PT,
         underline: bool = False, lang_tag: str | None = None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.name = FONT
    run.font.size = Pt(size)
    _fonts(run._r, size, lang_tag)
    if underline:  # after _fonts, which appends w:szCs: python-docx puts w:u after it, as the schema wants
        run.underline = True
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


def _line(container, text: str = "", *, bold: bool = False, italic: bool = False, size: float = BODY_PT,
          underline: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False, lang_tag: str | None = None):
    """One line of a header or footer cell (no indent, no space after): ``first`` fills the cell's
    own empty paragraph instead of adding one."""
    p = container.paragraphs[0] if first else container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = None
    fmt.line_spacing = 1.0
    if text:
        _run(p, text, bold=bold, italic=italic, size=size, underline=underline, lang_tag=lang_tag)
    return p


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")
"""The elements that follow ``w:pBdr`` inside ``w:pPr`` (ECMA-376 CT_PPrBase order)."""


def _rule(container, width_cm: float, column_cm: float) -> None:
    """The short solid rule NĐ 30 puts under the agency's name and under the trích yếu: an empty
    paragraph with a top border, indented so that the rule is ``width_cm`` long and centred."""
    p = _line(container, size=BODY_PT)
    side = Cm(max(column_cm - width_cm, 0) / 2)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(name), value)
    borders.append(top)
    # python-docx has no API for paragraph borders: w:pBdr goes where the schema puts it in w:pPr
    p._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)  # noqa: SLF001


def _layout_table(doc, widths_cm: tuple[float, ...], rows: int):
    """A borderless table of fixed column widths (the header and the signature block)."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)  # w:gridCol, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)  # w:tcW, which Word follows
    return table


def _capitals(text: str) -> str:
    """NĐ 30 prints agency names, authority and position in capitals (``Ủy ban`` → ``ỦY BAN``)."""
    return unicodedata.normalize("NFC", text).upper()


def _lines(cell, text: str, first: bool = False, **style) -> None:
    """``text`` in ``cell``, a paragraph per line (an agency name may be given on two lines)."""
    for i, part in enumerate(text.splitlines() or [text]):
        _line(cell, part.strip(), first=first and i == 0, **style)


def _issue_date(report: AuditReport) -> dt.date | None:
    """The date of the báo cáo: the day its run finished, in Vietnam time."""
    finished = report.finished
    if finished is None:
        return None
    if finished.tzinfo is None:
        finished = finished.replace(tzinfo=dt.timezone.utc)
    return finished.astimezone(VIETNAM).date()


def date_line(place: str | None, day: dt.date | None) -> str:
    """``Bắc Quang, ngày 06 tháng 12 năm 2026``: days below 10 and months 1 and 2 take a leading
    zero, later months none (NĐ 30, Phụ lục I, II.4); ``……`` and ``…`` for what is not known."""
    blank = t("docx.date_placeholder", LEGAL)
    return t("docx.date_line", LEGAL, place=place or t("docx.place_placeholder", LEGAL),
             day=f"{day.day:02d}" if day else blank,
             month=(f"{day.month:02d}" if day.month < 3 else str(day.month)) if day else blank,
             year=str(day.year) if day else blank)


def _header(doc, report: AuditReport, settings: ReportSettings, lang_tag: str | None) -> None:
    """Tên cơ quan and Số (left), Quốc hiệu, Tiêu ngữ and the date line (right)."""
    left_cm, right_cm = HEADER_CM
    table = _layout_table(doc, HEADER_CM, rows=2)
    left, right = table.rows[0].cells
    first = True
    if settings.parent_agency:
        _lines(left, _capitals(settings.parent_agency), first=True, lang_tag=lang_tag)
        first = False
    _lines(left, _capitals(settings.agency) if settings.agency else t("docx.agency_placeholder", LEGAL),
           first=first, bold=True, lang_tag=lang_tag)
    _rule(left, 2.5, left_cm)
    _line(right, t("docx.national_title", LEGAL), bold=True, size=NATIONAL_PT, first=True, lang_tag=lang_tag)
    _line(right, t("docx.motto", LEGAL), bold=True, underline=True, lang_tag=lang_tag)
    number_cell, date_cell = table.rows[1].cells
    _line(number_cell, t("docx.number", LEGAL, number=settings.number or t("docx.number_placeholder", LEGAL)),
          first=True, lang_tag=lang_tag)
    _line(date_cell, date_line(settings.place, _issue_date(report)), italic=True, first=True, lang_tag=lang_tag)
    for cell in (number_cell, date_cell):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _footer(doc, settings: ReportSettings, lang_tag: str | None) -> None:
    """Nơi nhận (left); the signer's authority, position and name (right)."""
    _paragraph(doc, "", indent=False, after=0)
    table = _layout_table(doc, FOOTER_CM, rows=1)
    left, right = table.rows[0].cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    _line(left, t("docx.recipients", LEGAL), bold=True, italic=True, size=RECIPIENTS_PT, align=left_align,
          first=True, lang_tag=lang_tag)
    for recipient in settings.recipients or (t("docx.recipient_placeholder", LEGAL),):
        _line(left, f"- {recipient.rstrip(' ;,.')};", size=RECIPIENT_PT, align=left_align, lang_tag=lang_tag)
    archive = (settings.archive or t("docx.archive_default", LEGAL)).rstrip(" ;,.")
    _line(left, f"- {t('docx.archive', LEGAL, archive=archive)}.", size=RECIPIENT_PT, align=left_align,
          lang_tag=lang_tag)
    first = True
    for line in settings.authority:
        _line(right, _capitals(line), bold=True, first=first, lang_tag=lang_tag)
        first = False
    _line(right, _capitals(settings.position) if settings.position else t("docx.position_placeholder", LEGAL),
          bold=True, first=first, lang_tag=lang_tag)
    for _ in range(4):  # the signature, and the seal over its left third
        _line(right)
    _line(right, settings.signer or t("docx.signer_placeholder", LEGAL), bold=True, lang_tag=lang_tag)
    _line(doc, size=RECIPIENT_PT)  # Word ends a document with a paragraph, not a table


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


def render(report: AuditReport, lang: str = "vi", settings: ReportSettings | None = None) -> bytes:
    settings = settings or DEFAULT_SETTINGS
    doc = Document()
    _setup(doc, lang)
    doc.core_properties.author = "docaudit"
    doc.core_properties.title = t("report_title", lang)
    legal_tag = "vi-VN" if lang != LEGAL else None  # Vietnamese runs in an English report, for proofing

    _header(doc, report, settings, legal_tag)
    center = WD_ALIGN_PARAGRAPH.CENTER
    heading = _paragraph(doc, t("docx_title", LEGAL), bold=True, size=TITLE_PT, align=center, indent=False, after=0)
    heading.paragraph_format.space_before = Pt(18)
    title = _paragraph(doc, "", align=center, indent=False, after=0)
    _run(title, settings.subject or t("docx_subtitle", LEGAL), bold=True, size=TITLE_PT, lang_tag=legal_tag)
    if lang != LEGAL and settings.subject is None:  # what the Vietnamese trích yếu says
        _paragraph(doc, f"({t('docx_subtitle', lang)})", italic=True, align=center, indent=False, after=0)
    _rule(doc, 4.0, sum(HEADER_CM))
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
    _footer(doc, settings, legal_tag)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
