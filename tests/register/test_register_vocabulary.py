"""Header aliases and value vocabulary (the contract (README: The audit folder))."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from docaudit.model import Channel, Direction
from docaudit.register import (
    ALIASES,
    canonical_column,
    parse_bool,
    parse_channel,
    parse_date,
    parse_direction,
    read_register,
)
from docaudit.register.columns import strip_diacritics

ALIAS_CASES = [
    (canonical, alias)
    for canonical, aliases in ALIASES.items()
    for alias in (canonical, *aliases)
]


def variants(name: str) -> set[str]:
    bare = strip_diacritics(name)
    out = {name, bare, name.upper(), f"  {name}  ", name.replace("_", " "), bare.replace(" ", "_")}
    out.add(unicodedata.normalize("NFD", name))  # decomposed input is NFC-normalised
    out.add(name.title())
    return out


@pytest.mark.parametrize(("canonical", "alias"), ALIAS_CASES)
def test_every_alias_maps_to_its_column(canonical, alias):
    for variant in variants(alias):
        assert canonical_column(variant) == canonical, variant


def test_spec_alias_list_is_complete():
    expected = {
        "agency": {"co_quan", "cơ quan", "đơn vị"},
        "direction": {"huong", "hướng"},
        # the NĐ 30/2020 Phụ lục IV registers' own headers too
        "number": {"so_ky_hieu", "số ký hiệu", "số, ký hiệu văn bản", "số, ký hiệu", "số ký hiệu văn bản"},
        "doc_type": {"loai_van_ban", "loại văn bản", "tên loại văn bản"},
        "date": {"ngay", "ngày", "ngày tháng văn bản", "ngày tháng", "ngày, tháng văn bản", "ngày văn bản"},
        "subject": {"trich_yeu", "trích yếu", "tên loại và trích yếu nội dung văn bản",
                    "tên loại và trích yếu nội dung", "trích yếu nội dung", "trích yếu nội dung văn bản"},
        "counterparty": {"noi_gui_nhan", "nơi gửi/nhận", "nơi nhận văn bản", "nơi nhận", "nơi gửi", "tác giả"},
        "channel": {"hinh_thuc", "hình thức"},
        "via_system": {"qua_phan_mem", "qua phần mềm"},
        "file": {"tep", "tệp", "tệp đính kèm", "tệp tin", "tên tệp", "file đính kèm"},
    }
    assert {k: set(v) for k, v in ALIASES.items()} == expected


@pytest.mark.parametrize("name", ["ghi chu", "STT", "agency2", "so", "", "date of birth"])
def test_unknown_headers(name):
    assert canonical_column(name) is None


def _write_table(tmp_path: Path, header: list[str], row: list[str]) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


ROW = ["UBND-BQ", "đi", "1/UBND", "CV", "05/03/2021", "Trích yếu", "Sở", "điện tử", "có", "a.pdf"]
ENGLISH = ["agency", "direction", "number", "doc_type", "date", "subject", "counterparty", "channel", "via_system", "file"]
VIET = ["Cơ quan", "Hướng", "Số ký hiệu", "Loại văn bản", "Ngày", "Trích yếu", "Nơi gửi/nhận", "Hình thức", "Qua phần mềm", "Tệp"]
ASCII = ["co_quan", "huong", "so_ky_hieu", "loai_van_ban", "ngay", "trich_yeu", "noi_gui_nhan", "hinh_thuc", "qua_phan_mem", "tep"]
ASCII_SPACED = ["CO QUAN", "HUONG", "SO KY HIEU", "LOAI VAN BAN", "NGAY", "TRICH YEU", "NOI GUI NHAN", "HINH THUC", "QUA PHAN MEM", "TEP"]
VIET_UNDERSCORE = ["đơn_vị", "hướng", "số_ký_hiệu", "loại_văn_bản", "ngày", "trích_yếu", "nơi_gửi_nhận", "hình_thức", "qua_phần_mềm", "tệp"]


@pytest.mark.parametrize("header", [ENGLISH, VIET, ASCII, ASCII_SPACED, VIET_UNDERSCORE])
def test_whole_register_under_each_header_style(tmp_path, header):
    reg = read_register(_write_table(tmp_path, header, ROW))
    assert reg.errors == ()
    (e,) = reg.entries
    assert (e.agency, e.direction, e.number, e.doc_type, e.date) == (
        "UBND-BQ",
        Direction.OUTGOING,
        "1/UBND",
        "CV",
        dt.date(2021, 3, 5),
    )
    assert (e.subject, e.counterparty, e.channel, e.via_system, e.file) == (
        "Trích yếu",
        "Sở",
        Channel.ELECTRONIC,
        True,
        "a.pdf",
    )
    assert dict(e.extra) == {}


DIRECTION_WORDS = {
    "outgoing": Direction.OUTGOING,
    "OUTGOING": Direction.OUTGOING,
    "đi": Direction.OUTGOING,
    "Đi": Direction.OUTGOING,
    "di": Direction.OUTGOING,
    "out": Direction.OUTGOING,
    " Out ": Direction.OUTGOING,
    "incoming": Direction.INCOMING,
    "Incoming": Direction.INCOMING,
    "đến": Direction.INCOMING,
    "ĐẾN": Direction.INCOMING,
    "den": Direction.INCOMING,
    "in": Direction.INCOMING,
    "IN": Direction.INCOMING,
    unicodedata.normalize("NFD", "đến"): Direction.INCOMING,
}


@pytest.mark.parametrize(("word", "expected"), DIRECTION_WORDS.items())
def test_direction_words(word, expected):
    assert parse_direction(word) is expected


@pytest.mark.parametrize("word", ["", "sideways", "outbound", "dii", "ra", "vào", "incoming/outgoing"])
def test_direction_unknown(word):
    assert parse_direction(word) is None


CHANNEL_WORDS = {
    "electronic": Channel.ELECTRONIC,
    "Electronic": Channel.ELECTRONIC,
    "điện tử": Channel.ELECTRONIC,
    "Điện tử": Channel.ELECTRONIC,
    "ĐIỆN TỬ": Channel.ELECTRONIC,
    "dien tu": Channel.ELECTRONIC,
    "điện  tử": Channel.ELECTRONIC,
    "paper": Channel.PAPER,
    "PAPER": Channel.PAPER,
    "giấy": Channel.PAPER,
    "Giấy": Channel.PAPER,
    "giay": Channel.PAPER,
    "both": Channel.BOTH,
    "Both": Channel.BOTH,
    "điện tử và giấy": Channel.BOTH,
    "Điện tử và Giấy": Channel.BOTH,
    "dien tu va giay": Channel.BOTH,
    "điện tử + giấy": Channel.BOTH,
    "điện tử+giấy": Channel.BOTH,
    "điện tử, giấy": Channel.BOTH,
    "electronic and paper": Channel.BOTH,
    unicodedata.normalize("NFD", "điện tử và giấy"): Channel.BOTH,
}


@pytest.mark.parametrize(("word", "expected"), CHANNEL_WORDS.items())
def test_channel_words(word, expected):
    assert parse_channel(word) is expected


@pytest.mark.parametrize("word", ["", "fax", "email", "điện tử và fax", "giấy + giấy", "electronic, paper, fax"])
def test_channel_unknown(word):
    assert parse_channel(word) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("yes", True), ("Yes", True), ("YES", True), ("y", True), ("true", True), ("TRUE", True),
        ("1", True), ("có", True), ("Có", True), ("co", True), (True, True), (1, True), (1.0, True),
        ("no", False), ("No", False), ("n", False), ("false", False), ("False", False), ("0", False),
        ("không", False), ("Không", False), ("khong", False), (False, False), (0, False),
    ],
)
def test_via_system_words(word, expected):
    assert parse_bool(word) is expected


@pytest.mark.parametrize("word", ["", None, "maybe", "x", "2", "yes please", "chưa"])
def test_via_system_unknown_or_empty(word):
    assert parse_bool(word) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-05", dt.date(2021, 3, 5)),
        (" 2021-03-05 ", dt.date(2021, 3, 5)),
        ("05/03/2021", dt.date(2021, 3, 5)),
        ("5/3/2021", dt.date(2021, 3, 5)),
        ("05-03-2021", dt.date(2021, 3, 5)),
        ("05.03.2021", dt.date(2021, 3, 5)),
        ("31/12/2021", dt.date(2021, 12, 31)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        (dt.date(2021, 3, 5), dt.date(2021, 3, 5)),
        (dt.datetime(2021, 3, 5, 14, 30), dt.date(2021, 3, 5)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "31/02/2021", "29/02/2021", "2021-02-30", "13/13/2021", "2021-13-01", "05/03/21", "2021/03/05",
     "05/03-2021", "March 5, 2021", "20210305", "2021-03-05T10:00", "5 tháng 3 năm 2021", 44260],
)
def test_bad_dates(text):
    assert parse_date(text) is None
