"""Render realistic Vietnamese administrative documents (NĐ 30/2020 layout).

One layout engine produces drawing operations; they are rendered to a text
PDF (reportlab), to a "scanned" image-only PDF (Pillow + reportlab), and the
same content is written to DOCX (python-docx).  All outputs are deterministic.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Sequence

__all__ = [
    "DocumentSpec",
    "DocumentFontError",
    "DOC_TYPE_TITLES",
    "SIGNATURE_RECTS",
    "signature_rects",
    "render_pdf",
    "render_scan_pdf",
    "render_docx",
    "spec_for",
    "vn_date_line",
    "FONT_DIR",
    "LEGACY_TCVN3_DECISION",
    "LEGACY_VNI_DECISION",
    "render_legacy_pdf",
    "render_legacy_docx",
]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {
    "regular": "DejaVuSerif.ttf",
    "bold": "DejaVuSerif-Bold.ttf",
    "italic": "DejaVuSerif-Italic.ttf",  # optional; falls back to regular
}
_RL_NAMES = {"regular": "DejaVuSerif", "bold": "DejaVuSerif-Bold", "italic": "DejaVuSerif-Italic"}

MM = 72.0 / 25.4
A4 = (595.2755905511812, 841.8897637795277)

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"

DOC_TYPE_TITLES = {
    "NQ": "NGHỊ QUYẾT", "QĐ": "QUYẾT ĐỊNH", "CT": "CHỈ THỊ", "QC": "QUY CHẾ",
    "QyĐ": "QUY ĐỊNH", "QĐi": "QUY ĐỊNH", "TC": "THÔNG CÁO", "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN", "CTr": "CHƯƠNG TRÌNH", "KH": "KẾ HOẠCH", "PA": "PHƯƠNG ÁN",
    "ĐA": "ĐỀ ÁN", "DA": "DỰ ÁN", "BC": "BÁO CÁO", "BB": "BIÊN BẢN", "TTr": "TỜ TRÌNH",
    "HĐ": "HỢP ĐỒNG", "CĐ": "CÔNG ĐIỆN", "GM": "GIẤY MỜI", "GGT": "GIẤY GIỚI THIỆU",
    "KL": "KẾT LUẬN", "TT": "THÔNG TRI",
}


class DocumentFontError(RuntimeError):
    """The DejaVu fonts needed for Vietnamese text are not installed."""


def _font_path(style: str) -> Path | None:
    p = FONT_DIR / _FONT_FILES[style]
    if p.is_file():
        return p
    if style == "italic":
        return None
    raise DocumentFontError(
        f"font {p} not found: install the DejaVu fonts (Debian/Ubuntu: apt-get install fonts-dejavu-core"
        " fonts-dejavu-extra) to render Vietnamese test documents"
    )


_registered = False


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for style in ("regular", "bold", "italic"):
        path = _font_path(style)
        if path is None:
            continue
        pdfmetrics.registerFont(TTFont(_RL_NAMES[style], str(path)))
    _registered = True


def _rl_font(style: str) -> str:
    if style == "italic" and _font_path("italic") is None:
        style = "regular"
    return _RL_NAMES[style]


def _width(text: str, style: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    _register_fonts()
    return pdfmetrics.stringWidth(text, _rl_font(style), size)


def _nfc(s: str | None) -> str | None:
    return None if s is None else unicodedata.normalize("NFC", s)


def vn_date_line(place: str, d: date) -> str:
    """``Bắc Quang, ngày 05 tháng 01 năm 2021`` (NĐ 30: leading zeros for day < 10
    and months 1-2)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


_DEFAULT_BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
    "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Theo đề nghị của Chánh Văn phòng.",
]

_FILLER = (
    "Các cơ quan, đơn vị, địa phương có trách nhiệm tổ chức triển khai thực hiện nghiêm túc, hiệu quả "
    "các nội dung nêu trên; định kỳ hằng tháng báo cáo kết quả thực hiện, những khó khăn, vướng mắc "
    "phát sinh trong quá trình triển khai về cơ quan thường trực để tổng hợp, báo cáo theo quy định. "
    "Việc gửi, nhận văn bản điện tử được thực hiện qua Hệ thống quản lý văn bản và điều hành, bảo đảm "
    "an toàn, bảo mật thông tin và đúng thời hạn."
)


@dataclass
class DocumentSpec:
    """Content of one document. Every element is optional (``None`` drops it)."""

    agency_parent: str | None = "UBND TỈNH HÀ GIANG"
    agency: str | None = "ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"
    national_header: bool = True
    party: bool = False
    quoc_hieu: str | None = None  # override the national/party header text
    tieu_ngu: str | None = None  # override the motto (ignored for party documents)
    number_line: str | None = "Số: 05/QĐ-UBND"
    place_date_line: str | None = "Bắc Quang, ngày 05 tháng 01 năm 2021"
    title: str | None = "QUYẾT ĐỊNH"
    subject: str | None = "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân huyện"
    subject_under_number: bool = False  # công văn: "V/v ..." printed under the number
    salutation: Sequence[str] | None = None  # "Kính gửi: ..." lines
    body: Sequence[str] = field(default_factory=lambda: list(_DEFAULT_BODY))
    recipients: Sequence[str] | None = field(
        default_factory=lambda: ["- Như Điều 3;", "- Thường trực Huyện ủy;", "- Thường trực HĐND huyện;"]
    )
    archive_line: str | None = "- Lưu: VT."
    signer_authority: str | None = "TM. ỦY BAN NHÂN DÂN"
    signer_position: str | None = "CHỦ TỊCH"
    signer_name: str | None = "Nguyễn Văn An"
    pages: int = 1
    page_size: tuple[float, float] = A4
    pdf_title: str | None = None  # PDF /Title metadata (default: number line)

    def with_(self, **kw) -> "DocumentSpec":
        return replace(self, **kw)


def spec_for(
    *,
    doc_type: str,
    number: str,
    on: date,
    place: str,
    agency: str,
    agency_parent: str | None,
    subject: str,
    signer_authority: str | None,
    signer_position: str,
    signer_name: str,
    recipients: Sequence[str] | None = None,
    body: Sequence[str] | None = None,
    party: bool = False,
    salutation: Sequence[str] | None = None,
    pages: int = 1,
) -> DocumentSpec:
    """Build a spec from register-like data. ``doc_type`` ``CV`` = công văn
    (no type title; subject "V/v ..." under the number)."""
    is_cv = doc_type.upper() == "CV"
    number_line = f"Số {number}" if party else f"Số: {number}"
    if is_cv:
        title = None
        subj = subject if subject.startswith("V/v") else f"V/v {subject[:1].lower()}{subject[1:]}"
    else:
        title = DOC_TYPE_TITLES.get(doc_type, doc_type.upper())
        subj = subject
    if body is None:
        if is_cv:
            body = [
                "Thực hiện chỉ đạo của cấp trên về đẩy mạnh ứng dụng công nghệ thông tin, đề nghị các "
                "cơ quan, đơn vị quan tâm phối hợp thực hiện một số nội dung sau:",
                _FILLER,
                "Trân trọng đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.",
            ]
        elif doc_type == "QĐ":
            body = list(_DEFAULT_BODY) + [
                "QUYẾT ĐỊNH:",
                f"Điều 1. {subject}.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                "Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm "
                "thi hành Quyết định này./.",
            ]
        else:
            body = [
                "I. MỤC ĐÍCH, YÊU CẦU",
                _FILLER,
                "II. NỘI DUNG THỰC HIỆN",
                "Đẩy mạnh ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước; tăng tỷ lệ "
                "văn bản điện tử được gửi, nhận hoàn toàn trên môi trường mạng, không kèm văn bản giấy./.",
            ]
    if recipients is None:
        recipients = ["- Như trên;", "- Lãnh đạo cơ quan;"]
    return DocumentSpec(
        agency_parent=agency_parent,
        agency=agency,
        national_header=True,
        party=party,
        number_line=number_line,
        place_date_line=vn_date_line(place, on),
        title=title,
        subject=subj,
        subject_under_number=is_cv,
        salutation=salutation,
        body=list(body),
        recipients=list(recipients),
        signer_authority=signer_authority,
        signer_position=signer_position,
        signer_name=signer_name,
        pages=pages,
        pdf_title=number,
    )


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------

_LEFT = 30 * MM
_RIGHT = 15 * MM
_TOP = 20 * MM
_BOTTOM = 20 * MM
_BODY_SIZE = 13
_LEADING = 17
# signature block (last page), y measured from the page bottom, in points
_SIG_TOP = 112 * MM  # body text must end above this line


def signature_rects(page_size: tuple[float, float] = A4) -> dict[str, tuple[int, int, int, int]]:
    """Widget rectangles (x1, y1, x2, y2 in PDF points) on the last page:
    ``person`` (the signer's signature image) and ``organisation`` (the seal),
    the seal covering about the left third of the person's widget (NĐ 30,
    Phụ lục I II.8.a)."""
    w, _h = page_size
    col_center = _right_col_center(w)
    pw, ph = 58 * MM, 24 * MM
    px1 = col_center - pw / 2
    py1 = _sig_name_y() + 10 * MM
    person = (round(px1), round(py1), round(px1 + pw), round(py1 + ph))
    sw = 30 * MM
    sx2 = px1 + pw / 3
    sy_c = py1 + ph / 2
    seal = (round(sx2 - sw), round(sy_c - sw / 2), round(sx2), round(sy_c + sw / 2))
    return {"person": person, "organisation": seal}


def _right_col_center(page_w: float) -> float:
    # right column spans from 46% of the printable width to the right margin
    x0 = _LEFT + (page_w - _LEFT - _RIGHT) * 0.40
    return (x0 + page_w - _RIGHT) / 2


def _left_col_center(page_w: float) -> float:
    x1 = _LEFT + (page_w - _LEFT - _RIGHT) * 0.40
    return (_LEFT - 10 * MM + x1) / 2


def _sig_name_y() -> float:
    return 46 * MM


SIGNATURE_RECTS = signature_rects(A4)


@dataclass
class _Op:
    kind: str  # "text" | "line"
    x: float
    y: float
    text: str = ""
    style: str = "regular"
    size: float = _BODY_SIZE
    align: str = "left"  # left | center | right
    x2: float = 0.0
    y2: float = 0.0


def _wrap(text: str, style: str, size: float, width: float) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    for wd in words:
        cand = f"{cur} {wd}" if cur else wd
        if _width(cand, style, size) <= width or not cur:
            cur = cand
        else:
            lines.append(cur)
            cur = wd
    if cur:
        lines.append(cur)
    return lines or [""]


def _layout(spec: DocumentSpec) -> list[list[_Op]]:
    _register_fonts()
    W, H = spec.page_size
    pages: list[list[_Op]] = [[]]
    ops = pages[0]
    lc = _left_col_center(W)
    rc = _right_col_center(W)
    left_w = 2 * (lc - (_LEFT - 10 * MM))

    def text(x, y, s, style="regular", size=_BODY_SIZE, align="left", page=None):
        (page if page is not None else ops).append(_Op("text", x, y, _nfc(s), style, size, align))

    def underline(xc, y, width, page=None):
        (page if page is not None else ops).append(_Op("line", xc - width / 2, y, x2=xc + width / 2, y2=y))

    # ---- header ---------------------------------------------------------
    y = H - _TOP - 12
    yl = yr = y
    if spec.agency_parent:
        text(lc, yl, spec.agency_parent, "regular", 12.5, "center")
        yl -= 15
    if spec.agency:
        for ln in _wrap(_nfc(spec.agency), "bold", 12.5, left_w):
            text(lc, yl, ln, "bold", 12.5, "center")
            yl -= 15
        if spec.party:
            text(lc, yl, "*", "bold", 12.5, "center")
            yl -= 15
        else:
            underline(lc, yl + 10, min(_width(spec.agency, "bold", 12.5), left_w) / 3)
            yl -= 6
    if spec.number_line:
        yl -= 4
        text(lc, yl, spec.number_line, "regular", 13, "center")
        yl -= 16
    if spec.subject and spec.subject_under_number:
        for ln in _wrap(_nfc(spec.subject), "regular", 12, left_w - 10):
            text(lc, yl, ln, "regular", 12, "center")
            yl -= 14

    if spec.national_header or spec.party:
        qh = spec.quoc_hieu or (PARTY_HEADER if spec.party else QUOC_HIEU)
        qh_size = 14 if spec.party else 11.5
        text(rc, yr, qh, "bold", qh_size, "center")
        if spec.party:
            underline(rc, yr - 4, _width(qh, "bold", qh_size))
            yr -= 22
        else:
            yr -= 16
            tn = spec.tieu_ngu or TIEU_NGU
            text(rc, yr, tn, "bold", 13, "center")
            underline(rc, yr - 4, _width(tn, "bold", 13))
            yr -= 24
    else:
        yr -= 40
    if spec.place_date_line:
        text(rc, yr, spec.place_date_line, "italic", 13, "center")
        yr -= 16
    y = min(yl, yr) - 14

    # ---- title & subject ---------------------------------------------------
    body_w = W - _LEFT - _RIGHT
    xc = _LEFT + body_w / 2
    if spec.title:
        y -= 6
        text(xc, y, spec.title, "bold", 14, "center")
        y -= 18
    if spec.subject and not spec.subject_under_number:
        lines = _wrap(_nfc(spec.subject), "bold", 14, body_w * 0.8)
        for ln in lines:
            text(xc, y, ln, "bold", 14, "center")
            y -= 18
        underline(xc, y + 12, 50 * MM)
        y -= 14
    if spec.salutation:
        y -= 4
        sx = _LEFT + 25 * MM
        lines = list(spec.salutation)
        if len(lines) == 1:
            text(xc, y, lines[0], "regular", 14, "center")
            y -= 18
        else:
            text(sx, y, lines[0], "regular", 14, "left")
            y -= 18
            ix = sx + 8 * MM
            for s in lines[1:]:
                for ln in _wrap(_nfc(s), "regular", 13, W - _RIGHT - ix):
                    text(ix, y, ln, "regular", 13, "left")
                    y -= 17
        y -= 4

    # ---- body ------------------------------------------------------------
    body_lines: list[tuple[str, str, float]] = []  # (text, style, x)
    indent = 12 * MM
    for para in spec.body:
        para = _nfc(para)
        style = "bold" if (para.isupper() or para.rstrip(":").isupper()) else "regular"
        wrapped = _wrap(para, style, _BODY_SIZE, body_w - indent)
        first = True
        for ln in wrapped:
            body_lines.append((ln, style, _LEFT + (indent if first else 0)))
            first = False
            # continuation lines use the full width
        # (wrapping at reduced width keeps the code simple)
    npages = max(1, int(spec.pages))
    if npages > 1:
        # pad with filler so that the document spans the requested number of pages
        per_page = int((H - _TOP - _BOTTOM) / _LEADING)
        need = (npages - 1) * per_page + 2
        k = 0
        while len(body_lines) < need:
            k += 1
            for j, ln in enumerate(_wrap(f"{k}. {_FILLER}", "regular", _BODY_SIZE, body_w - indent)):
                body_lines.append((ln, "regular", _LEFT + (indent if j == 0 else 0)))

    def last_page_fits(start_y: float, remaining: int) -> bool:
        return start_y - remaining * _LEADING >= _SIG_TOP

    i = 0
    page_no = 0
    while True:
        remaining = len(body_lines) - i
        if page_no >= npages - 1 and last_page_fits(y, remaining):
            for ln, style, x in body_lines[i:]:
                text(x, y, ln, style)
                y -= _LEADING
            break
        # fill this page down to the bottom margin, then continue
        while i < len(body_lines) and y - _LEADING >= _BOTTOM:
            ln, style, x = body_lines[i]
            text(x, y, ln, style)
            y -= _LEADING
            i += 1
        if i >= len(body_lines) and page_no >= npages - 1:
            # the remainder did not fit above the signature block: new page for it
            pass
        ops = []
        pages.append(ops)
        page_no += 1
        y = H - _TOP - 12

    # ---- signature block & recipients (fixed position, last page) --------------
    sy = _SIG_TOP - 14
    ry = sy
    if spec.recipients is not None or spec.archive_line:
        text(_LEFT - 10 * MM + 2, ry, "Nơi nhận:", "bold", 12, "left")
        ry -= 13
        for r in list(spec.recipients or []) + ([spec.archive_line] if spec.archive_line else []):
            text(_LEFT - 10 * MM + 2, ry, r, "regular", 11, "left")
            ry -= 13
    if spec.signer_authority:
        text(rc, sy, spec.signer_authority, "bold", 13, "center")
        sy -= 16
    if spec.signer_position:
        text(rc, sy, spec.signer_position, "bold", 13, "center")
    if spec.signer_name:
        text(rc, _sig_name_y(), spec.signer_name, "bold", 13, "center")

    for n, p in enumerate(pages):
        if len(pages) > 1 and n > 0:
            p.insert(0, _Op("text", W / 2, H - 12 * MM, str(n + 1), "regular", 12, "center"))
    return pages


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


def _new_canvas(buf, spec: DocumentSpec):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(buf, pagesize=spec.page_size, invariant=1, pageCompression=0)
    # page content streams stay uncompressed (easy to tamper with in tests);
    # embedded font programs and ToUnicode maps are still Flate-compressed.
    c._doc.setCompression(1)
    c.setCreator("docaudit testkit")
    c.setProducer("docaudit testkit")
    c.setAuthor(_nfc(spec.agency or ""))
    c.setTitle(_nfc(spec.pdf_title or (spec.number_line or spec.title or "Văn bản")))
    c.setSubject(_nfc(spec.subject or ""))
    return c


def render_pdf(spec: DocumentSpec) -> bytes:
    """Text PDF (reportlab, DejaVu Serif embedded, uncompressed, invariant)."""
    pages = _layout(spec)
    buf = io.BytesIO()
    c = _new_canvas(buf, spec)
    for ops in pages:
        for op in ops:
            if op.kind == "line":
                c.setLineWidth(0.8)
                c.line(op.x, op.y, op.x2, op.y2)
                continue
            c.setFont(_rl_font(op.style), op.size)
            if op.align == "center":
                c.drawCentredString(op.x, op.y, op.text)
            elif op.align == "right":
                c.drawRightString(op.x, op.y, op.text)
            else:
                c.drawString(op.x, op.y, op.text)
        c.showPage()
    c.save()
    return buf.getvalue()


def _render_page_image(ops: list[_Op], page_size, dpi: int):
    from PIL import Image, ImageDraw, ImageFont

    W, H = page_size
    scale = dpi / 72.0
    img = Image.new("L", (round(W * scale), round(H * scale)), 255)
    draw = ImageDraw.Draw(img)
    fonts: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}

    def font(style, size):
        key = (style, size)
        if key not in fonts:
            path = _font_path(style) or _font_path("regular")
            fonts[key] = ImageFont.truetype(str(path), max(1, round(size * scale)))
        return fonts[key]

    for op in ops:
        if op.kind == "line":
            draw.line(
                [(op.x * scale, (H - op.y) * scale), (op.x2 * scale, (H - op.y2) * scale)],
                fill=20,
                width=max(1, round(0.8 * scale)),
            )
            continue
        f = font(op.style, op.size)
        anchor = {"left": "ls", "center": "ms", "right": "rs"}[op.align]
        draw.text((op.x * scale, (H - op.y) * scale), op.text, font=f, fill=25, anchor=anchor)
    return img


def render_scan_pdf(spec: DocumentSpec, *, dpi: int = 100, quality: int = 60) -> bytes:
    """Image-only PDF: each page is a grayscale JPEG (~``dpi``); no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    pages = _layout(spec)
    buf = io.BytesIO()
    c = _new_canvas(buf, spec)
    W, H = spec.page_size
    for n, ops in enumerate(pages):
        img = _render_page_image(ops, spec.page_size, dpi)
        # slight rotation + noise-free: a touch of "scanner" realism, still deterministic
        img = img.rotate(0.3, resample=Image.BICUBIC, fillcolor=255)
        jb = io.BytesIO()
        img.save(jb, format="JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
        jb.seek(0)
        c.drawImage(ImageReader(jb), 0, 0, width=W, height=H)
        c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

_FIXED_DT = datetime(2021, 1, 1, 0, 0, 0)


def _normalize_zip(data: bytes, when=(1980, 1, 1, 0, 0, 0)) -> bytes:
    """Rewrite a zip with fixed timestamps/attributes so the bytes are stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def render_docx(spec: DocumentSpec, *, when: datetime | None = None) -> bytes:
    """DOCX (A4; margins 20/20/30/15 mm; Times New Roman 14 pt), deterministic."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)

    def para(container, txt, *, bold=False, italic=False, size=None, align=None, underline=False, indent=None):
        p = container.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent is not None:
            p.paragraph_format.first_line_indent = indent
        r = p.add_run(_nfc(txt))
        r.bold, r.italic, r.underline = bold, italic, underline
        if size:
            r.font.size = Pt(size)
        return p

    C = WD_ALIGN_PARAGRAPH.CENTER
    tbl = doc.add_table(rows=1, cols=2)
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = tbl.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    if spec.agency_parent:
        para(left, spec.agency_parent, size=13, align=C)
    if spec.agency:
        para(left, spec.agency, bold=True, size=13, align=C)
        para(left, "*" if spec.party else "_______", size=13, align=C)
    if spec.number_line:
        para(left, spec.number_line, size=13, align=C)
    if spec.subject and spec.subject_under_number:
        para(left, spec.subject, size=12, align=C)
    right.paragraphs[0].text = ""
    if spec.national_header or spec.party:
        if spec.party:
            para(right, spec.quoc_hieu or PARTY_HEADER, bold=True, size=15, align=C, underline=True)
        else:
            para(right, spec.quoc_hieu or QUOC_HIEU, bold=True, size=13, align=C)
            para(right, spec.tieu_ngu or TIEU_NGU, bold=True, size=14, align=C, underline=True)
    if spec.place_date_line:
        para(right, spec.place_date_line, italic=True, size=14, align=C)

    if spec.title:
        para(doc, "")
        para(doc, spec.title, bold=True, align=C)
    if spec.subject and not spec.subject_under_number:
        para(doc, spec.subject, bold=True, align=C)
        para(doc, "__________", align=C)
    if spec.salutation:
        for s in spec.salutation:
            para(doc, s, align=C)
    for b in spec.body:
        bold = b.isupper() or b.rstrip(":").isupper()
        para(doc, b, bold=bold, indent=Mm(12), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for k in range(1, max(1, spec.pages)):
        # extra pages of body text
        doc.add_page_break()
        for j in range(12):
            para(doc, f"{k}.{j + 1}. {_FILLER}", indent=Mm(12), align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    para(doc, "")
    sig = doc.add_table(rows=1, cols=2)
    l2, r2 = sig.rows[0].cells
    l2.width, r2.width = Mm(80), Mm(85)
    l2.paragraphs[0].text = ""
    if spec.recipients is not None or spec.archive_line:
        para(l2, "Nơi nhận:", bold=True, italic=True, size=12)
        for r in list(spec.recipients or []) + ([spec.archive_line] if spec.archive_line else []):
            para(l2, r, size=11)
    r2.paragraphs[0].text = ""
    if spec.signer_authority:
        para(r2, spec.signer_authority, bold=True, align=C)
    if spec.signer_position:
        para(r2, spec.signer_position, bold=True, align=C)
    for _ in range(4):
        para(r2, "", align=C)
    if spec.signer_name:
        para(r2, spec.signer_name, bold=True, align=C)

    when = when or _FIXED_DT
    cp = doc.core_properties
    cp.author = _nfc(spec.agency or "")
    cp.last_modified_by = "docaudit testkit"
    cp.title = _nfc(spec.pdf_title or spec.number_line or "")
    cp.subject = _nfc(spec.subject or "")
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _normalize_zip(buf.getvalue())


# --------------------------------------------------------------------------- legacy font encodings
# A decision typed as offices typed before Unicode: each line is (text, font), the text holding the
# legacy codes as Latin-1 characters, as a .VnTime/VNI-Times document's text layer or runs do.
# Written out by hand (not by docaudit's tables), so the tests check those tables.

LEGACY_TCVN3_DECISION: tuple[tuple[str, str], ...] = (
    ("ubnd huyÖn b¾c quang", ".VnTimeH"),  # UBND HUYỆN BẮC QUANG (the H font draws capitals)
    ("céng hoµ x· héi chñ nghÜa viÖt nam", ".VnTimeH"),  # CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
    ("§éc lËp - Tù do - H¹nh phóc", ".VnTime"),  # Độc lập - Tự do - Hạnh phúc
    ("Sè: 05/Q§-UBND", ".VnTime"),  # Số: 05/QĐ-UBND
    ("B¾c Quang, ngµy 05 th¸ng 01 n¨m 2021", ".VnTime"),  # Bắc Quang, ngày 05 tháng 01 năm 2021
    ("quyÕt ®Þnh", ".VnTimeH"),  # QUYẾT ĐỊNH
    ("VÒ viÖc giao chØ tiªu n¨m 2021", ".VnTime"),  # Về việc giao chỉ tiêu năm 2021
    ("N¬i nhËn:", ".VnTime"),  # Nơi nhận:
    ("- L\u00adu: VT.", ".VnTime"),  # - Lưu: VT. (ư is 0xAD, the soft hyphen's code)
)

LEGACY_VNI_DECISION: tuple[tuple[str, str], ...] = (
    ("UBND HUYEÄN BAÉC QUANG", "VNI-Times"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "VNI-Times"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "VNI-Times"),
    ("Soá: 05/QÑ-UBND", "VNI-Times"),
    ("Baéc Quang, ngaøy 05 thaùng 01 naêm 2021", "VNI-Times"),
    ("QUYEÁT ÑÒNH", "VNI-Times"),
    ("Veà vieäc giao chæ tieâu naêm 2021", "VNI-Times"),
    ("Nôi nhaän:", "VNI-Times"),
    ("- Löu: VT.", "VNI-Times"),
)


def render_legacy_pdf(lines: Sequence[tuple[str, str]]) -> bytes:
    """One A4 page, a line per (text, font): each font name becomes an embedded TrueType font whose
    /BaseFont is that name (the glyphs are DejaVu's; the text layer holds the characters given)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    y = A4[1] - 30 * MM
    for text, font in lines:
        alias = "legacy-" + font
        if alias not in pdfmetrics.getRegisteredFontNames():
            face = TTFont(alias, str(_font_path("regular")))
            face.face.name = font.encode("latin-1")  # the /BaseFont a .VnTime document names
            pdfmetrics.registerFont(face)
        c.setFont(alias, 13)
        c.drawString(30 * MM, y, text)
        y -= 8 * MM
    c.showPage()
    c.save()
    return buf.getvalue()


def render_legacy_docx(lines: Sequence[tuple[str, str]]) -> bytes:
    """A4 DOCX with a paragraph per (text, font); the run names the font in w:ascii and w:hAnsi
    as Word does for .VnTime and VNI-Times."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    for text, font in lines:
        run = doc.add_paragraph().add_run(text)
        run.font.name = font
        run._r.get_or_add_rPr().rFonts.set(qn("w:hAnsi"), font)
    out = io.BytesIO()
    doc.save(out)
    return _normalize_zip(out.getvalue())
