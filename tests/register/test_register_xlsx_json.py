"""XLSX and JSON registers (the contract (README: The audit folder))."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from docaudit.errors import RegisterError
from docaudit.model import Channel, Direction
from docaudit.register import read_register

HEADER = ["Cơ quan", "Hướng", "Số ký hiệu", "Loại văn bản", "Ngày", "Trích yếu", "Nơi gửi/nhận", "Hình thức", "Qua phần mềm", "Tệp", "Ghi chú"]


def make_xlsx(path: Path, rows: list[list], *, leading_blank: int = 0, extra_sheet_first: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sổ đăng ký"
    for _ in range(leading_blank):
        ws.append([])
    for row in rows:
        ws.append(row)
    if extra_sheet_first:
        other = wb.create_sheet("Khác", 1)
        other.append(["nothing", "here"])
    wb.save(path)
    return path


# --------------------------------------------------------------------------- XLSX


def test_xlsx_with_date_int_bool_and_float_cells(tmp_path):
    path = make_xlsx(
        tmp_path / "register.xlsx",
        [
            HEADER,
            ["UBND-BQ", "đi", "123/QĐ-UBND", "QĐ", dt.datetime(2021, 3, 5), "A", "Sở", "điện tử", 1, "files/a.pdf", None],
            ["UBND-BQ", "đến", 45, "CV", dt.date(2021, 3, 6), "B", None, "giấy", 0, None, 7],
            ["UBND-BQ", "out", "46", "CV", "07/03/2021", "C", "", "both", True, "", 1.5],
            ["UBND-BQ", "in", "47", "CV", "2021-03-08", "D", "", "paper", False, "", None],
            ["UBND-BQ", "in", "48", "CV", dt.datetime(2021, 3, 9, 10, 15), "E", "", "paper", 1.0, "", None],
        ],
    )
    reg = read_register(path)
    assert reg.errors == ()
    a, b, c, d, e = reg.entries
    assert [x.row for x in reg.entries] == [2, 3, 4, 5, 6]
    assert (a.date, a.via_system, a.direction, a.channel, a.file) == (
        dt.date(2021, 3, 5), True, Direction.OUTGOING, Channel.ELECTRONIC, "files/a.pdf"
    )
    assert (b.number, b.date, b.via_system, b.file, b.counterparty) == ("45", dt.date(2021, 3, 6), False, None, "")
    assert dict(b.extra) == {"Ghi chú": "7"}
    assert (c.date, c.via_system, c.channel) == (dt.date(2021, 3, 7), True, Channel.BOTH)
    assert dict(c.extra) == {"Ghi chú": "1.5"}
    assert (d.date, d.via_system) == (dt.date(2021, 3, 8), False)
    assert (e.date, e.via_system) == (dt.date(2021, 3, 9), True)


def test_xlsx_row_numbers_are_sheet_rows(tmp_path):
    path = make_xlsx(
        tmp_path / "register.xlsx",
        [
            HEADER,
            ["A", "đi", "1", "CV", "2021-01-01", "", "", "giấy", "không", "", ""],
            [],
            ["A", "đi", "2", "CV", "31/02/2021", "", "", "giấy", "không", "", ""],
            ["A", "ngang", "3", "CV", "2021-01-01", "", "", "giấy", "không", "", ""],
        ],
        leading_blank=2,
    )
    reg = read_register(path)
    assert [e.row for e in reg.entries] == [4]
    assert [(err.row, err.agency) for err in reg.errors] == [(6, "A"), (7, "A")]
    assert "date '31/02/2021'" in reg.errors[0].reason
    assert "direction 'ngang'" in reg.errors[1].reason


def test_xlsx_reads_first_worksheet_only(tmp_path):
    path = make_xlsx(
        tmp_path / "register.xlsx",
        [HEADER, ["A", "đi", "1", "CV", "2021-01-01", "", "", "giấy", "no", "", ""]],
        extra_sheet_first=True,
    )
    assert len(read_register(path).entries) == 1


def test_xlsx_title_row_above_header(tmp_path):
    path = make_xlsx(
        tmp_path / "register.xlsx",
        [["SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2021"], HEADER, ["A", "đi", "1", "CV", "2021-01-01", "", "", "giấy", "no", "", ""]],
    )
    (e,) = read_register(path).entries
    assert e.row == 3


def test_xlsx_missing_column(tmp_path):
    path = make_xlsx(tmp_path / "register.xlsx", [[h for h in HEADER if h != "Ngày"], ["A"]])
    with pytest.raises(RegisterError, match=r"register\.xlsx: missing required column\(s\): date \(ngày\)"):
        read_register(path)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_broken_xlsx(tmp_path, content):
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    with pytest.raises(RegisterError) as info:
        read_register(path)
    assert "register.xlsx" in str(info.value) and "\n" not in str(info.value)


def test_xlsx_empty_sheet(tmp_path):
    path = make_xlsx(tmp_path / "register.xlsx", [])
    with pytest.raises(RegisterError, match="empty"):
        read_register(path)


def test_xlsx_missing_file(tmp_path):
    with pytest.raises(RegisterError, match="not found"):
        read_register(tmp_path / "register.xlsx")


# --------------------------------------------------------------------------- JSON

GOOD = {
    "agency": "UBND-BQ",
    "direction": "outgoing",
    "number": "123/QĐ-UBND",
    "date": "2021-03-05",
    "channel": "electronic",
    "via_system": True,
    "file": "files/a.pdf",
}


def write_json(tmp_path: Path, document, raw: str | None = None) -> Path:
    path = tmp_path / "register.json"
    path.write_text(raw if raw is not None else json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("wrap", [None, "entries", "rows"])
def test_json_list_or_wrapped(tmp_path, wrap):
    items = [GOOD, {**GOOD, "number": "124/QĐ-UBND"}]
    reg = read_register(write_json(tmp_path, {wrap: items} if wrap else items))
    assert [(e.row, e.number) for e in reg.entries] == [(1, "123/QĐ-UBND"), (2, "124/QĐ-UBND")]
    assert reg.entries[0].via_system is True and reg.entries[0].channel is Channel.ELECTRONIC


def test_json_value_types_and_aliases(tmp_path):
    items = [
        {"cơ quan": "A", "hướng": "đến", "số ký hiệu": 45, "ngày": "05/03/2021", "hình thức": "giấy",
         "qua phần mềm": 0, "tệp": None, "trích yếu": None, "note": 3, "flag": False},
        {"co_quan": "A", "huong": "di", "so_ky_hieu": "46", "ngay": "2021-03-06", "hinh_thuc": "dien tu va giay",
         "qua_phan_mem": "có"},
    ]
    reg = read_register(write_json(tmp_path, items))
    assert reg.errors == ()
    a, b = reg.entries
    assert (a.number, a.direction, a.via_system, a.file, a.subject) == ("45", Direction.INCOMING, False, None, "")
    assert dict(a.extra) == {"note": "3", "flag": "false"}
    assert (b.direction, b.channel, b.via_system) == (Direction.OUTGOING, Channel.BOTH, True)


def test_json_row_errors_use_list_positions(tmp_path):
    items = [GOOD, {**GOOD, "date": "31/02/2021"}, {**GOOD, "agency": None}, {**GOOD, "via_system": None}, {**GOOD, "number": "9"}]
    reg = read_register(write_json(tmp_path, items))
    assert [e.row for e in reg.entries] == [1, 5]
    assert [(err.row, err.agency) for err in reg.errors] == [(2, "UBND-BQ"), (3, None), (4, "UBND-BQ")]
    assert "via_system is empty" in reg.errors[2].reason


def test_json_empty_list_is_an_empty_register(tmp_path):
    reg = read_register(write_json(tmp_path, []))
    assert reg.entries == () and reg.errors == ()


@pytest.mark.parametrize(
    ("document", "raw", "message"),
    [
        (None, "", "empty"),
        (None, "{not json", "invalid JSON"),
        (None, "[1, 2", "invalid JSON"),
        ({"data": []}, None, "list of objects"),
        ("text", None, "list of objects"),
        (42, None, "list of objects"),
        ([GOOD, 3], None, "item 2"),
        ([[1, 2]], None, "item 1"),
        ([{"agency": "A", "number": "1"}], None, "missing required column"),
    ],
)
def test_json_whole_file_errors(tmp_path, document, raw, message):
    with pytest.raises(RegisterError, match=message) as info:
        read_register(write_json(tmp_path, document, raw))
    assert str(info.value).startswith(str(tmp_path / "register.json"))
    assert "\n" not in str(info.value)


def test_json_with_bom(tmp_path):
    path = tmp_path / "register.JSON"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([GOOD]).encode())
    assert len(read_register(path).entries) == 1


def test_json_object_naming_a_column_twice(tmp_path):
    items = [
        {**GOOD, " cơ quan ": "UBND-BQ"},  # same value twice: fine
        {**GOOD, "đơn vị": "OTHER"},  # conflicting values: row error, scan goes on
        {**GOOD, "number": "2"},
    ]
    reg = read_register(write_json(tmp_path, items))
    assert [e.row for e in reg.entries] == [1, 3]
    (err,) = reg.errors
    assert err.row == 2 and "agency" in err.reason and "'OTHER'" in err.reason
