"""What the title block above an NĐ 30/2020 register's header says: the agency that keeps it
("ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG") and its direction ("SỔ ĐĂNG KÝ VĂN BẢN ĐI" / "… ĐẾN").
Used only for columns the header does not hold."""

from __future__ import annotations

import re
from typing import Any, Sequence

from .columns import fold_value
from .values import clean

# Folded openings of an agency's name (the tên cơ quan line of the template's title block).
_AGENCY_OPENINGS: tuple[str, ...] = (
    "uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd", "van phong", "so ", "phong ", "ban ", "bo ",
    "cuc ", "chi cuc", "tong cuc", "truong ", "trung tam", "benh vien", "cong an", "dang uy", "huyen uy",
    "tinh uy", "thanh uy", "thi uy", "mat tran", "toa an", "vien kiem sat", "kho bac", "chi nhanh",
)
# Lines that open like an agency but are not one ("Ban hành kèm theo …", "Sổ đăng ký …", "Bộ phận …").
_NOT_AGENCY: tuple[str, ...] = ("ban hanh", "so dang ky", "so:", "bo phan")
_REGISTER_TITLE = re.compile(r"\bso dang ky van ban (di|den)\b")


def _texts(cells: Sequence[Any]) -> list[str]:
    """The texts of a title row, each on one line: a merged cell, or the cells of a row that puts
    the agency on the left and the Quốc hiệu on the right."""
    return [" ".join(text.split()) for text in (clean(c) for c in cells) if text]


def read_title_block(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """``{"agency": …, "direction": "đi" | "đến"}`` as far as the rows above the header say: the
    first agency line (the governing body when two are stacked, as the template stacks them)."""
    found: dict[str, str] = {}
    for cells in rows:
        for text in _texts(cells):
            folded = fold_value(text)
            if match := _REGISTER_TITLE.search(folded):
                found.setdefault("direction", "đi" if match[1] == "di" else "đến")
            elif "agency" not in found and folded.startswith(_AGENCY_OPENINGS) \
                    and not folded.startswith(_NOT_AGENCY):
                found["agency"] = text
    return found
