"""Reading the parts of a Vietnamese administrative document that NĐ 30/2020/NĐ-CP fixes.

Pure functions over extracted text: the national header, the ``Số:`` line, the place-and-date line,
the type title, the recipients block. Text from PDFs often merges the two header columns on one
line, so every search tolerates neighbours on the same line and is not anchored at line ends.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

# Phụ lục III, NĐ 30/2020: type → abbreviation. Keys are titles as printed (upper case).
STATE_TYPES: dict[str, str] = {
    "NQ": "NGHỊ QUYẾT", "QĐ": "QUYẾT ĐỊNH", "CT": "CHỈ THỊ", "QC": "QUY CHẾ", "QyĐ": "QUY ĐỊNH",
    "TC": "THÔNG CÁO", "TB": "THÔNG BÁO", "HD": "HƯỚNG DẪN", "CTr": "CHƯƠNG TRÌNH", "KH": "KẾ HOẠCH",
    "PA": "PHƯƠNG ÁN", "ĐA": "ĐỀ ÁN", "DA": "DỰ ÁN", "BC": "BÁO CÁO", "BB": "BIÊN BẢN",
    "TTr": "TỜ TRÌNH", "HĐ": "HỢP ĐỒNG", "CĐ": "CÔNG ĐIỆN", "BGN": "BẢN GHI NHỚ",
    "BTT": "BẢN THỎA THUẬN", "GUQ": "GIẤY ỦY QUYỀN", "GM": "GIẤY MỜI", "GGT": "GIẤY GIỚI THIỆU",
    "GNP": "GIẤY NGHỈ PHÉP", "PG": "PHIẾU GỬI", "PC": "PHIẾU CHUYỂN", "PB": "PHIẾU BÁO",
    "SY": "BẢN SAO Y", "TrS": "BẢN TRÍCH SAO", "SL": "BẢN SAO LỤC",
}
# Hướng dẫn 36-HD/VPTW (Party documents).
PARTY_TYPES: dict[str, str] = {
    "NQ": "NGHỊ QUYẾT", "QĐ": "QUYẾT ĐỊNH", "QĐi": "QUY ĐỊNH", "CT": "CHỈ THỊ", "TT": "THÔNG TRI",
    "KL": "KẾT LUẬN", "QC": "QUY CHẾ", "KH": "KẾ HOẠCH", "BC": "BÁO CÁO", "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN", "CTr": "CHƯƠNG TRÌNH", "TTr": "TỜ TRÌNH", "ĐA": "ĐỀ ÁN", "BB": "BIÊN BẢN",
    "CV": "CÔNG VĂN", "TC": "THÔNG CÁO", "GM": "GIẤY MỜI",
}


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Upper case, no diacritics (Đ → D), dashes and spaces normalised: for tolerant matching.
    (Memoised: rules fold the same headers and titles for every document.)"""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).upper()


NATIONAL_TITLE = "CONG HOA XA HOI CHU NGHIA VIET NAM"
MOTTO = re.compile(r"DOC LAP\s*-\s*TU DO\s*-\s*HANH PHUC")
PARTY_HEADER = "DANG CONG SAN VIET NAM"


@dataclass(frozen=True)
class Header:
    national: bool
    motto: bool
    party: bool


def read_header(text: str) -> Header:
    folded = fold(text)
    return Header(NATIONAL_TITLE in folded, bool(MOTTO.search(folded)), PARTY_HEADER in folded)


# --------------------------------------------------------------------------- number

_SO_LINE = re.compile(r"(?<![\w])Số(\s*:)?[ \t]*(\S[^\n]*)")
_NUMBER_TOKEN = re.compile(r"\S+?(?:\s*[/\-]\s*\S+?)*(?=\s|$|[,;])")
_STATE = re.compile(
    r"^(?P<n>\d+)(?:/(?P<year>\d{4}))?/(?P<first>[^\W\d_][\w]*)-(?P<rest>[\w]+(?:-[\w]+)*)$"
)
_PARTY = re.compile(r"^(?P<n>\d+)-(?P<type>[^\W\d_]\w*)/(?P<issuer>[\w]+(?:-[\w]+)*)$")


@dataclass(frozen=True)
class Number:
    """A parsed number-and-symbol."""

    raw: str
    """As found in the document (after ``Số:``)."""
    family: str | None
    """``state``, ``state-legal`` (with year), ``cong-van``, ``party`` or ``None`` (unparsable)."""
    value: int | None = None
    doc_type: str | None = None
    """Type code (``QĐ``), ``CV`` for a công văn."""
    issuer: str | None = None
    year: int | None = None
    colon: bool = True
    problems: tuple[str, ...] = ()
    """Style problems (codes): leading-zero, spaces, unknown-type, lower-case."""


def _canonical_type(code: str, table: dict[str, str]) -> str | None:
    """The table's spelling of a type code, compared case-sensitively first (QyĐ ≠ QYĐ is a style
    problem, not an unknown code)."""
    if code in table:
        return code
    for known in table:
        if known.upper() == code.upper():
            return known
    return None


def parse_number(raw: str, colon: bool = True) -> Number:
    text = unicodedata.normalize("NFC", raw.strip().rstrip(".,;"))
    problems: list[str] = []
    compact = re.sub(r"\s+", "", text)
    if compact != text:
        problems.append("spaces")
    party = _PARTY.match(compact)
    state = _STATE.match(compact)
    if party and not state:
        code = _canonical_type(party["type"], PARTY_TYPES)
        if code is None:
            problems.append("unknown-type")
        elif code != party["type"]:
            problems.append("case")
        return Number(text, "party", int(party["n"]), code or party["type"], party["issuer"], None, colon,
                      tuple(problems))
    if not state:
        return Number(text, None, colon=colon, problems=tuple(problems))
    value = int(state["n"])
    if value < 10 and not state["n"].startswith("0"):
        problems.append("leading-zero")
    first = state["first"]
    code = _canonical_type(first, STATE_TYPES)
    year = int(state["year"]) if state["year"] else None
    if code is None:
        # no type code: a công văn, "<issuer>-<drafting unit>" (45/UBND-VP)
        if year is not None:
            problems.append("unknown-type")
        family, doc_type, issuer = "cong-van", "CV", f"{first}-{state['rest']}"
    else:
        if code != first:
            problems.append("case")
        family = "state-legal" if year else "state"
        doc_type, issuer = code, state["rest"]
    if not colon:
        problems.append("colon")
    return Number(text, family, value, doc_type, issuer, year, colon, tuple(problems))


def find_number(text: str) -> Number | None:
    """The first ``Số:`` line of the header. ``None`` when there is none at all."""
    for match in _SO_LINE.finditer(text):
        rest = match.group(2)
        if not rest[:1].isdigit():
            continue  # "Số lượng …" and the like
        token = _NUMBER_TOKEN.match(rest)
        if token:
            return parse_number(token.group(0), colon=bool(match.group(1)))
    return None


# --------------------------------------------------------------------------- place and date

_DATE_LINE = re.compile(
    r"(?P<place>[^\W\d_][^\n,]{0,60}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
)


@dataclass(frozen=True)
class DateLine:
    place: str
    date: dt.date | None
    problems: tuple[str, ...] = ()
    """invalid-date, day-leading-zero, month-leading-zero, month-extra-zero."""


def find_date_line(text: str) -> DateLine | None:
    match = _DATE_LINE.search(text)
    if not match:
        return None
    day_text, month_text = match["d"], match["m"]
    problems: list[str] = []
    try:
        day = dt.date(int(match["y"]), int(month_text), int(day_text))
    except ValueError:
        day = None
        problems.append("invalid-date")
    if int(day_text) < 10 and len(day_text) == 1:
        problems.append("day-leading-zero")
    if int(month_text) in (1, 2) and len(month_text) == 1:
        problems.append("month-leading-zero")
    if int(month_text) >= 3 and month_text.startswith("0"):
        problems.append("month-extra-zero")
    place = match["place"].strip()
    # PDF text may glue the header column before the place: keep the last words only
    place = re.split(r"\s{2,}|Độc lập - Tự do - Hạnh phúc|HẠNH PHÚC", place)[-1].strip()
    return DateLine(place, day, tuple(problems))


# --------------------------------------------------------------------------- title and recipients

def find_title(text: str, party: bool = False) -> tuple[str, str] | None:
    """(title as printed, its type code) for the first type-title line, e.g. ("QUYẾT ĐỊNH", "QĐ")."""
    table = PARTY_TYPES if party else STATE_TYPES
    by_title = {fold(title): code for code, title in table.items()}
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and stripped.upper() == stripped and fold(stripped) in by_title:
            return stripped, by_title[fold(stripped)]
    return None


_RECIPIENTS = re.compile(r"Nơi\s+nhận\s*:", re.IGNORECASE)


def has_recipients(text: str) -> bool:
    return bool(_RECIPIENTS.search(unicodedata.normalize("NFC", text)))


def fold_number(number: str) -> str:
    """Number compared across register and document: no spaces, case-folded (the contract (README: The audit folder))."""
    return "".join(unicodedata.normalize("NFC", number).split()).casefold()
