"""Reading NĐ 30 document parts from extracted text (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from docaudit.rules import nd30


@pytest.mark.parametrize(
    "raw, family, value, doc_type, problems",
    [
        ("05/QĐ-UBND", "state", 5, "QĐ", ()),
        ("12/2021/QĐ-UBND", "state-legal", 12, "QĐ", ()),
        ("45/UBND-VP", "cong-van", 45, "CV", ()),
        ("120/SNV-TCBC", "cong-van", 120, "CV", ()),
        ("04-NQ/TU", "party", 4, "NQ", ()),
        ("149-KH/HU", "party", 149, "KH", ()),
        ("5/QĐ-UBND", "state", 5, "QĐ", ("leading-zero",)),
        ("05/qđ-UBND", "state", 5, "QĐ", ("case",)),
        ("05 / QĐ-UBND", "state", 5, "QĐ", ("spaces",)),
        ("15/TTr-UBND", "state", 15, "TTr", ()),
        ("07/QyĐ-UBND", "state", 7, "QyĐ", ()),
        ("12/2021/XYZ-UBND", "cong-van", 12, "CV", ("unknown-type",)),
        ("05 QĐ UBND", None, None, None, ()),
    ],
)
def test_parse_number(raw, family, value, doc_type, problems) -> None:
    number = nd30.parse_number(raw)
    assert number.family == family
    assert number.value == value
    if family is not None:
        assert number.doc_type == doc_type
        assert set(problems) <= set(number.problems)


def test_find_number_in_merged_header_columns() -> None:
    text = "UBND TỈNH HÀ GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 01/QĐ-UBND Bắc Quang, ngày 05 tháng 01 năm 2021"
    assert nd30.find_number(text).raw == "01/QĐ-UBND"
    assert nd30.find_number("Số lượng: 5 bản\nSố 04-NQ/TU").raw == "04-NQ/TU"
    assert nd30.find_number("Căn cứ Nghị định số 30/2020/NĐ-CP") is None  # lower-case "số" is body text


def test_date_line() -> None:
    line = nd30.find_date_line("Số: 01/QĐ-UBND\nBắc Quang, ngày 05 tháng 01 năm 2021")
    assert line.place == "Bắc Quang" and line.date == dt.date(2021, 1, 5) and line.problems == ()
    assert "day-leading-zero" in nd30.find_date_line("Hà Nội, ngày 5 tháng 01 năm 2021").problems
    assert "month-leading-zero" in nd30.find_date_line("Hà Nội, ngày 05 tháng 2 năm 2021").problems
    assert "month-extra-zero" in nd30.find_date_line("Hà Nội, ngày 15 tháng 03 năm 2021").problems
    assert nd30.find_date_line("Hà Nội, ngày 30 tháng 02 năm 2021").date is None
    assert nd30.find_date_line("Luật ngày 19 tháng 6 năm 2015") is None  # body reference, no place


def test_headers_tolerate_old_tone_marks_and_dashes() -> None:
    header = nd30.read_header("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc")
    assert header.national and header.motto and not header.party
    assert nd30.read_header("ĐẢNG CỘNG SẢN VIỆT NAM").party


def test_title() -> None:
    assert nd30.find_title("Số: 01/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc …\nQUYẾT ĐỊNH:") == ("QUYẾT ĐỊNH", "QĐ")
    assert nd30.find_title("KẾT LUẬN", party=True) == ("KẾT LUẬN", "KL")
    assert nd30.find_title("V/v tăng cường …") is None


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(sorted(nd30.STATE_TYPES)),
       st.sampled_from(["UBND", "BNV", "STTTT", "HĐND"]))
def test_every_well_formed_state_number_parses_without_problems(value, code, issuer) -> None:
    raw = f"{value:02d}/{code}-{issuer}"
    number = nd30.parse_number(raw)
    assert number.family == "state" and number.value == value and number.doc_type == code
    assert number.problems == ()


@given(st.text(max_size=200))
def test_parsers_never_raise(text) -> None:
    nd30.find_number(text)
    nd30.find_date_line(text)
    nd30.find_title(text)
    nd30.read_header(text)
