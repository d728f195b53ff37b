"""The NĐ 30/2020 Phụ lục IV registers (sổ đăng ký văn bản đi / đến) read with their own headers,
the title block above them and the column-number row below; the type derived from the symbol."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from docaudit.errors import RegisterError
from docaudit.model import Channel, Direction
from docaudit.register import read_register
from docaudit.register.doctypes import doc_type_from_number
from docaudit.register.profile import RegisterProfile
from docaudit.register.readers import RegisterHeaderError

OUTGOING_HEADER = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
                   "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
                   "Ghi chú"]
INCOMING_HEADER = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung",
                   "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"]
AGENCY = "ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"
PROFILE = RegisterProfile(constants={"channel": "điện tử", "via_system": True})


def outgoing_rows() -> list[list]:
    return [
        [AGENCY], ["VĂN PHÒNG HĐND VÀ UBND"], ["SỔ ĐĂNG KÝ VĂN BẢN ĐI"], ["Năm 2021"], [],
        OUTGOING_HEADER,
        [f"({n})" for n in range(1, len(OUTGOING_HEADER) + 1)],
        ["01/QĐ-UBND", "05/03/2021", "Quyết định ban hành Quy chế làm việc", "Nguyễn Văn A", "Các phòng ban",
         "VP", "2", "05/03/2021", "", ""],
        ["123/UBND-VP", "08/03/2021", "V/v báo cáo tình hình", "Nguyễn Văn A", "Sở Nội vụ", "VP", "1", "", "", ""],
        ["07/KH-UBND", "10/03/2021", "Kế hoạch chuyển đổi số", "Nguyễn Văn A", "UBND các xã", "VP", "1", "", "", ""],
    ]


def incoming_rows() -> list[list]:
    return [
        [AGENCY], ["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"], ["Năm 2021"],
        INCOMING_HEADER,
        [str(n) for n in range(1, len(INCOMING_HEADER) + 1)],
        ["06/03/2021", "15", "UBND tỉnh Hà Giang", "45/TB-UBND", "04/03/2021", "Thông báo kết luận", "VP", "", "", ""],
    ]


def write(path: Path, rows: list[list]) -> Path:
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        for cells in rows:
            book.active.append(cells)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_outgoing_template_is_read_with_its_own_headers(tmp_path: Path, suffix: str) -> None:
    register = read_register(write(tmp_path / f"register{suffix}", outgoing_rows()), PROFILE)
    assert register.errors == ()
    first, letter, plan = register.entries
    # the agency and the direction come from the title block, channel and via_system from the profile
    assert {e.agency for e in register.entries} == {AGENCY}
    assert {e.direction for e in register.entries} == {Direction.OUTGOING}
    assert (first.channel, first.via_system) == (Channel.ELECTRONIC, True)
    assert (first.row, first.number, first.date.isoformat()) == (8, "01/QĐ-UBND", "2021-03-05")
    assert first.subject == "Quyết định ban hành Quy chế làm việc"
    assert first.counterparty == "Các phòng ban"
    assert [e.doc_type for e in register.entries] == ["QĐ", "CV", "KH"]
    assert first.extra["Người ký"] == "Nguyễn Văn A"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_incoming_template_is_read_with_its_own_headers(tmp_path: Path, suffix: str) -> None:
    register = read_register(write(tmp_path / f"register{suffix}", incoming_rows()), PROFILE)
    assert register.errors == ()
    (entry,) = register.entries
    assert (entry.agency, entry.direction) == (AGENCY, Direction.INCOMING)
    assert (entry.number, entry.doc_type, entry.date.isoformat()) == ("45/TB-UBND", "TB", "2021-03-04")
    assert (entry.counterparty, entry.subject) == ("UBND tỉnh Hà Giang", "Thông báo kết luận")
    assert entry.extra["Ngày đến"] == "06/03/2021"


def test_profile_constants_and_columns_win_over_the_title_block(tmp_path: Path) -> None:
    rows = outgoing_rows()
    rows[5] = ["Số ký hiệu VB", *OUTGOING_HEADER[1:]]
    profile = RegisterProfile(columns={"number": "Số ký hiệu VB"},
                              constants={"agency": "UBND-BQ", "channel": "giấy", "via_system": "không"})
    register = read_register(write(tmp_path / "register.csv", rows), profile)
    assert [e.number for e in register.entries] == ["01/QĐ-UBND", "123/UBND-VP", "07/KH-UBND"]
    assert {(e.agency, e.channel, e.via_system) for e in register.entries} == {("UBND-BQ", Channel.PAPER, False)}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_without_a_profile_channel_and_via_system_are_named_missing_not_guessed(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(RegisterHeaderError) as caught:
        read_register(write(tmp_path / f"register{suffix}", outgoing_rows()))
    error = caught.value
    vi, en = error.text("vi"), error.text("en")
    # the header row (6), not the title row; only the two fields really missing
    assert "dòng tiêu đề có lẽ là dòng 6" in vi and "thiếu cột bắt buộc: hình thức (channel), qua phần mềm (via_system)" in vi
    assert "most likely row 6" in en and "missing required column(s): channel (hình thức), via_system (qua phần mềm)" in en
    for present in ("agency", "direction", "number", "date"):
        assert f"{present} (" not in en
    assert "NĐ 30/2020" in vi and "[source.constants]" in vi and "[source.constants]" in en
    assert "\n" not in str(error) and isinstance(error, RegisterError)


def test_an_unreadable_header_names_the_most_likely_row_and_only_what_is_missing(tmp_path: Path) -> None:
    rows = [["SỔ ĐĂNG KÝ VĂN BẢN ĐI"], ["Cơ quan", "Số ký hiệu", "Ngày", "Ghi chú"], ["A", "1/QĐ-X", "05/03/2021", ""]]
    with pytest.raises(RegisterHeaderError) as caught:
        read_register(write(tmp_path / "register.csv", rows))
    en = caught.value.text("en")
    assert "most likely row 2" in en
    # the direction comes from the title: only channel and via_system are missing
    assert "missing required column(s): channel (hình thức), via_system (qua phần mềm) (" in en


@pytest.mark.parametrize(("number", "doc_type"), [
    ("01/QĐ-UBND", "QĐ"), ("123/UBND-VP", "CV"), ("5/KH-UBND", "KH"), ("9/BC-UBND", "BC"), ("9/TB-VP", "TB"),
    ("7/qd-ubnd", "QĐ"), ("4/TTr-PTNMT", "TTr"), ("12", ""),
    # Party documents (Hướng dẫn 36-HD/VPTW) put the type after the number
    ("04-NQ/TU", "NQ"), ("149-KH/HU", "KH"), ("150-CV/HU", "CV"), ("12-13/QĐ-UBND", "QĐ"),
])
def test_the_type_comes_from_the_symbol(number: str, doc_type: str) -> None:
    assert doc_type_from_number(number) == doc_type


def test_a_type_column_is_never_overridden(tmp_path: Path) -> None:
    rows = [["Cơ quan", "Hướng", "Số ký hiệu", "Loại văn bản", "Ngày", "Hình thức", "Qua phần mềm"],
            ["A", "đi", "01/QĐ-UBND", "", "05/03/2021", "giấy", "không"]]
    (entry,) = read_register(write(tmp_path / "register.csv", rows)).entries
    assert entry.doc_type == ""


def test_a_title_row_with_the_agency_left_and_the_national_title_right(tmp_path: Path) -> None:
    rows = outgoing_rows()
    rows[0] = [AGENCY, "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    rows[1] = ["VĂN PHÒNG HĐND VÀ UBND", "", "", "Độc lập - Tự do - Hạnh phúc"]
    rows[3] = ["(Ban hành kèm theo Nghị định số 30/2020/NĐ-CP)"]
    register = read_register(write(tmp_path / "register.xlsx", rows), PROFILE)
    assert register.errors == () and {e.agency for e in register.entries} == {AGENCY}
    assert {e.direction for e in register.entries} == {Direction.OUTGOING}
