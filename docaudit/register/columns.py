"""Register columns, header aliases and the text folding used to match them (the contract (README: The audit folder))."""

from __future__ import annotations

import functools
import re
import unicodedata

from docaudit.text import t

REQUIRED_COLUMNS: tuple[str, ...] = ("agency", "direction", "number", "date", "channel", "via_system")
OPTIONAL_COLUMNS: tuple[str, ...] = ("doc_type", "subject", "counterparty", "file")
ALL_COLUMNS: tuple[str, ...] = (
    "agency",
    "direction",
    "number",
    "doc_type",
    "date",
    "subject",
    "counterparty",
    "channel",
    "via_system",
    "file",
)

ALIASES: dict[str, tuple[str, ...]] = {
    "agency": ("co_quan", "cơ quan", "đơn vị"),
    "direction": ("huong", "hướng"),
    # the NĐ 30/2020 Phụ lục IV registers (sổ đăng ký văn bản đi / đến) name these columns so
    "number": ("so_ky_hieu", "số ký hiệu", "số, ký hiệu văn bản", "số, ký hiệu", "số ký hiệu văn bản"),
    "doc_type": ("loai_van_ban", "loại văn bản", "tên loại văn bản"),
    "date": ("ngay", "ngày", "ngày tháng văn bản", "ngày tháng", "ngày, tháng văn bản", "ngày văn bản"),
    "subject": ("trich_yeu", "trích yếu", "tên loại và trích yếu nội dung văn bản",
                "tên loại và trích yếu nội dung", "trích yếu nội dung", "trích yếu nội dung văn bản"),
    # the outgoing register's recipients; the incoming register's author (tác giả) is its sender
    "counterparty": ("noi_gui_nhan", "nơi gửi/nhận", "nơi nhận văn bản", "nơi nhận", "nơi gửi", "tác giả"),
    "channel": ("hinh_thuc", "hình thức"),
    "via_system": ("qua_phan_mem", "qua phần mềm"),
    # what offices add to the template for the electronic copy
    "file": ("tep", "tệp", "tệp đính kèm", "tệp tin", "tên tệp", "file đính kèm"),
}
"""Canonical column → accepted aliases (the canonical name itself is always accepted)."""

VIETNAMESE_LABEL: dict[str, str] = {column: t(f"column.{column}", "vi") for column in ALL_COLUMNS}

_WS = re.compile(r"\s+")
_HEADER_SEP = re.compile(r"[\s_\-/]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """``Điện tử`` → ``Dien tu``: drop combining marks and map đ/Đ to d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


@functools.lru_cache(maxsize=4096)
def fold_value(text: str) -> str:
    """Fold a vocabulary value: NFC, trimmed, case-folded, without diacritics, single spaces.
    Cached: a register repeats a handful of directions, channels and yes/no words a million times."""
    return _WS.sub(" ", strip_diacritics(nfc(text).casefold())).strip()


def fold_header(text: str) -> str:
    """Fold a header: like :func:`fold_value`, and ``_``, ``-``, ``/`` and spaces are interchangeable."""
    return _HEADER_SEP.sub(" ", strip_diacritics(nfc(text).casefold())).strip()


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        for name in (canonical, *aliases):
            key = fold_header(name)
            other = lookup.setdefault(key, canonical)
            assert other == canonical, f"alias clash: {name!r}"
    return lookup


HEADER_LOOKUP: dict[str, str] = _build_lookup()


def canonical_column(header: str) -> str | None:
    """The canonical column a header names, or ``None`` for an unknown (extra) column."""
    return HEADER_LOOKUP.get(fold_header(header))


def describe_column(canonical: str) -> str:
    """``date (ngày)`` — for messages."""
    return f"{canonical} ({VIETNAMESE_LABEL[canonical]})"
