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
_REGISTER_TITLE = re.compile(r"\bso dang ky van ban (di|den)\b")


def _only_text(cells: Sequence[Any]) -> str:
    """The text of a title row: one non-blank cell (a merged cell), or ``""`` for any other row."""
    texts = [text for text in (clean(c) for c in cells) if text]
    return " ".join(texts[0].split()) if len(texts) == 1 else ""


def read_title_block(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """``{"agency": …, "direction": "đi" | "đến"}`` as far as the rows above the header say."""
    found: dict[str, str] = {}
    for cells in rows:
        text = _only_text(cells)
        if not text:
            continue
        folded = fold_value(text)
        if match := _REGISTER_TITLE.search(folded):
            found.setdefault("direction", "đi" if match[1] == "di" else "đến")
        elif "agency" not in found and folded.startswith(_AGENCY_OPENINGS):
            found["agency"] = text
    return found
