"""CSV registers: encodings, delimiters, headers, row numbers, ragged rows (the contract (README: The audit folder))."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from docaudit.errors import RegisterError
from docaudit.model import Channel, Direction, RegisterEntry, RowError
from docaudit.register import find_register, read_register

HEADER = "agency,direction,number,doc_type,date,subject,counterparty,channel,via_system,file"
ROW = "UBND-BQ,outgoing,123/QĐ-UBND,QĐ,2021-03-05,Về việc A,Sở Nội vụ,electronic,yes,files/a.pdf"


def write(tmp_path: Path, text: str, name: str = "register.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_basic_row_parses_every_column(tmp_path):
    reg = read_register(write(tmp_path, f"{HEADER}\n{ROW}\n"))
    assert reg.errors == ()
    assert reg.source.endswith("register.csv")
    assert reg.columns[:3] == ("agency", "direction", "number")
    (e,) = reg.entries
    assert e == RegisterEntry(
        row=2,
        agency="UBND-BQ",
        direction=Direction.OUTGOING,
        number="123/QĐ-UBND",
        doc_type="QĐ",
        date=dt.date(2021, 3, 5),
        subject="Về việc A",
        counterparty="Sở Nội vụ",
        channel=Channel.ELECTRONIC,
        via_system=True,
        file="files/a.pdf",
    )


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_utf8_with_and_without_bom(tmp_path, bom, newline):
    path = tmp_path / "register.csv"
    path.write_bytes(bom + newline.join([HEADER, ROW, ROW.replace("123", "124")]).encode("utf-8") + newline.encode())
    reg = read_register(path)
    assert [e.number for e in reg.entries] == ["123/QĐ-UBND", "124/QĐ-UBND"]
    assert [e.row for e in reg.entries] == [2, 3]
    assert reg.columns[0] == "agency"  # BOM not glued to the first header


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    text = "\n".join(
        [
            HEADER.replace(",", delimiter),
            # a comma inside a value must not confuse the ; and TAB cases
            'UBND-BQ|outgoing|"12/UBND-VP"|CV|05/03/2021|"Về việc A, B"|Sở|paper|no|'.replace("|", delimiter),
        ]
    )
    (e,) = read_register(write(tmp_path, text)).entries
    assert e.number == "12/UBND-VP"
    assert e.subject == "Về việc A, B"
    assert e.channel is Channel.PAPER and e.via_system is False and e.file is None


def test_optional_columns_may_be_absent(tmp_path):
    text = "agency,direction,number,date,channel,via_system\nA,in,1/UBND,2021-01-02,paper,0\n"
    (e,) = read_register(write(tmp_path, text)).entries
    # without a type column the type comes from the symbol: 1/UBND is a công văn
    assert (e.doc_type, e.subject, e.counterparty, e.file) == ("CV", "", "", None)
    assert e.direction is Direction.INCOMING


def test_unknown_columns_go_to_extra(tmp_path):
    text = "agency,Ghi chú,direction,number,date,channel,via_system,STT\nA, note ,out,1,2021-01-02,paper,no,7\n"
    reg = read_register(write(tmp_path, text))
    (e,) = reg.entries
    assert dict(e.extra) == {"Ghi chú": "note", "STT": "7"}
    assert "Ghi chú" in reg.columns


@pytest.mark.parametrize(
    "missing", ["agency", "direction", "number", "date", "channel", "via_system"]
)
def test_missing_required_column_names_it(tmp_path, missing):
    columns = [c for c in HEADER.split(",") if c != missing]
    path = write(tmp_path, ",".join(columns) + "\n" + ",".join("x" for _ in columns) + "\n")
    with pytest.raises(RegisterError) as info:
        read_register(path)
    message = str(info.value)
    assert "register.csv" in message and "missing required column" in message and missing in message
    assert "\n" not in message
    for present in ("agency", "number", "channel"):
        if present != missing:
            assert f"{present} (" not in message.split("header found")[0]


def test_missing_several_columns_lists_all(tmp_path):
    path = write(tmp_path, "agency,number,channel,via_system\nA,1,paper,no\n")
    with pytest.raises(RegisterError, match=r"register\.csv: missing required column\(s\): direction \(hướng\), date \(ngày\)"):
        read_register(path)


def test_empty_file_and_blank_file(tmp_path):
    for content in (b"", b"\xef\xbb\xbf", b"\n\n  \n"):
        path = tmp_path / "register.csv"
        path.write_bytes(content)
        with pytest.raises(RegisterError, match="register.csv.*empty"):
            read_register(path)


def test_header_only_is_an_empty_register(tmp_path):
    reg = read_register(write(tmp_path, HEADER + "\n"))
    assert reg.entries == () and reg.errors == ()


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(RegisterError, match="nope.csv.*not found"):
        read_register(tmp_path / "nope.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(RegisterError, match="dir.csv"):
        read_register(tmp_path / "dir.csv")


@pytest.mark.parametrize("name", ["register.txt", "register.xls", "register", "register.CSV.bak"])
def test_unsupported_suffix(tmp_path, name):
    path = write(tmp_path, HEADER + "\n", name=name)
    with pytest.raises(RegisterError, match="unsupported register format"):
        read_register(path)


def test_suffix_is_case_insensitive(tmp_path):
    reg = read_register(write(tmp_path, f"{HEADER}\n{ROW}\n", name="REGISTER.CSV"))
    assert len(reg.entries) == 1


def test_bad_rows_are_reported_with_row_numbers_and_scan_goes_on(tmp_path):
    rows = [
        HEADER,
        ROW,  # 2 ok
        "UBND-BQ,outgoing,2/UBND,CV,31/02/2021,s,c,paper,no,",  # 3 impossible date
        "UBND-BQ,sideways,3/UBND,CV,2021-03-05,s,c,paper,no,",  # 4 unknown direction
        "UBND-BQ,outgoing,4/UBND,CV,2021-03-05,s,c,fax,no,",  # 5 unknown channel
        ",outgoing,5/UBND,CV,2021-03-05,s,c,paper,no,",  # 6 empty agency
        "UBND-BQ,outgoing,,CV,2021-03-05,s,c,paper,no,",  # 7 empty number
        "UBND-BQ,outgoing,6/UBND,CV,2021-03-05,s,c,paper,maybe,",  # 8 bad via_system
        "UBND-BQ,outgoing,7/UBND,CV,2021-03-05,s,c,paper,,",  # 9 empty via_system
        "UBND-BQ,outgoing,8/UBND,CV,March 5,s,c,paper,no,",  # 10 unknown date format
        "UBND-BQ,incoming,9/UBND,CV,05/03/2021,s,c,paper,no,",  # 11 ok
    ]
    reg = read_register(write(tmp_path, "\n".join(rows) + "\n"))
    assert [e.row for e in reg.entries] == [2, 11]
    errors = {err.row: err for err in reg.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert errors[3].reason == "date '31/02/2021' is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY)"
    assert errors[3].agency == "UBND-BQ"
    assert "direction 'sideways'" in errors[4].reason
    assert "channel 'fax'" in errors[5].reason
    assert errors[6].reason == "agency is empty" and errors[6].agency is None
    assert errors[7].reason == "number is empty"
    assert "via_system 'maybe'" in errors[8].reason
    assert "via_system is empty" in errors[9].reason
    assert "date 'March 5'" in errors[10].reason
    for err in reg.errors:
        assert not err.reason.startswith("row")
        assert "\n" not in err.reason


def test_several_problems_in_one_row_are_all_named(tmp_path):
    reg = read_register(write(tmp_path, f"{HEADER}\nA,up,1,CV,2021-13-01,s,c,fax,no,\n"))
    (err,) = reg.errors
    assert err.row == 2
    for part in ("direction 'up'", "date '2021-13-01'", "channel 'fax'"):
        assert part in err.reason


def test_ragged_rows_do_not_crash(tmp_path):
    text = "\n".join(
        [
            HEADER,
            "A,out,1/UBND,CV,2021-01-02,s,c,paper,no",  # no file cell
            "A,out,2/UBND,CV,2021-01-02,s,c,paper,no,f.pdf,surplus,more",  # surplus ignored
            "A,out,3/UBND",  # too short: required values missing → row error
        ]
    )
    reg = read_register(write(tmp_path, text))
    assert [(e.row, e.number, e.file, dict(e.extra)) for e in reg.entries] == [
        (2, "1/UBND", None, {}),
        (3, "2/UBND", "f.pdf", {}),
    ]
    (err,) = reg.errors
    assert err.row == 4 and "date is empty" in err.reason and err.agency == "A"


def test_blank_rows_are_skipped_but_counted_as_lines(tmp_path):
    text = f"\n{HEADER}\n\n{ROW}\n,,,,,,,,,\n   \n{ROW.replace('123', '9')}\n"
    reg = read_register(write(tmp_path, text))
    assert reg.errors == ()
    assert [e.row for e in reg.entries] == [4, 7]


def test_multiline_quoted_field_keeps_row_numbers_right(tmp_path):
    text = "\n".join(
        [
            HEADER,
            'A,out,1/UBND,CV,2021-01-02,"line one\nline two\nline three",c,paper,no,',  # lines 2-4
            "A,out,2/UBND,CV,2021-01-02,s,c,fax,no,",  # line 5: bad channel
        ]
    )
    reg = read_register(write(tmp_path, text))
    (e,) = reg.entries
    assert e.row == 2 and e.subject == "line one\nline two\nline three"
    (err,) = reg.errors
    assert err.row == 5


def test_nul_bytes_are_stripped(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(f"{HEADER}\n{ROW}\n".encode().replace(b"UBND-BQ", b"UBND\x00-BQ").replace(b"yes", b"y\x00es"))
    (e,) = read_register(path).entries
    assert e.agency == "UBND-BQ" and e.via_system is True


def test_title_rows_above_the_header_are_skipped(tmp_path):
    text = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI,,,,,,,,,\nNăm 2021,,,,,,,,,\n{HEADER}\n{ROW}\n"
    (e,) = read_register(write(tmp_path, text)).entries
    assert e.row == 4


def test_duplicate_column_meaning_is_refused(tmp_path):
    with pytest.raises(RegisterError, match="both name the agency column"):
        read_register(write(tmp_path, f"{HEADER},cơ quan\n{ROW},X\n"))


# --------------------------------------------------------------------------- cp1258 / latin-1


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese the way Windows-1258 stores it: precomposed base letters (â ê ô ơ ư ă đ)
    and the five tones as combining marks when no precomposed character exists."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + tones).encode("cp1258")
    return bytes(out)


VIETNAMESE = "Ủy ban nhân dân huyện Bình Quới"


def test_cp1258_csv_decodes_to_vietnamese(tmp_path):
    text = (
        "cơ quan,hướng,số ký hiệu,ngày,trích yếu,hình thức,qua phần mềm\n"
        f"{VIETNAMESE},đến,45/UBND-VP,05/03/2021,Về việc kiểm tra ứng dụng,điện tử và giấy,có\n"
    )
    path = tmp_path / "register.csv"
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path.write_bytes(data)
    reg = read_register(path)
    assert reg.errors == ()
    (e,) = reg.entries
    assert e.agency == VIETNAMESE
    assert e.subject == "Về việc kiểm tra ứng dụng"
    assert e.direction is Direction.INCOMING and e.channel is Channel.BOTH and e.via_system is True
    assert unicodedata.is_normalized("NFC", e.agency)


def test_undecodable_bytes_fall_back_to_latin1(tmp_path):
    # 0x81 is undefined in cp1258, so only latin-1 can decode this file
    path = tmp_path / "register.csv"
    path.write_bytes(f"{HEADER}\n".encode() + b"A\x81,out,1/UBND,CV,2021-01-02,s,c,paper,no,\n")
    (e,) = read_register(path).entries
    assert e.agency == "A\x81"


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(f"{HEADER}\r\n{ROW}\r\n".replace(",", "\t").encode("utf-16"))
    (e,) = read_register(path).entries
    assert e.number == "123/QĐ-UBND"


# --------------------------------------------------------------------------- find_register


def test_find_register_prefers_csv_then_xlsx_then_json(tmp_path):
    with pytest.raises(RegisterError, match="no register found"):
        find_register(tmp_path)
    (tmp_path / "register.json").write_text("[]")
    assert find_register(tmp_path) == tmp_path / "register.json"
    (tmp_path / "register.xlsx").write_bytes(b"")
    assert find_register(tmp_path) == tmp_path / "register.xlsx"
    (tmp_path / "register.csv").write_text(HEADER)
    assert find_register(tmp_path) == tmp_path / "register.csv"


def test_find_register_on_a_missing_folder(tmp_path):
    with pytest.raises(RegisterError):
        find_register(tmp_path / "absent")


def test_row_errors_are_row_error_objects(tmp_path):
    reg = read_register(write(tmp_path, f"{HEADER}\nA,out,1,CV,bad,s,c,paper,no,\n"))
    assert isinstance(reg.errors[0], RowError)


def test_utf8_file_with_a_stray_cp1258_byte_keeps_its_utf8_text(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(
        f"{HEADER}\n{ROW}\n".encode("utf-8")
        + "Sở Nội vụ,đến,7/UBND,CV,2021-03-05,".encode("utf-8")
        + to_cp1258("Về việc")
        + b",c,paper,no,\n"
    )
    reg = read_register(path)
    assert reg.errors == ()
    a, b = reg.entries
    assert a.number == "123/QĐ-UBND" and b.agency == "Sở Nội vụ"
    assert b.subject == "Về việc"


def test_decode_text_never_fails():
    from docaudit.register import decode_text

    for data in (bytes(range(256)), b"\xff\xfe", b"\xfe\xff\x00", "đến".encode("utf-8") + b"\x81\xd2"):
        text, _ = decode_text(data)
        assert isinstance(text, str)
