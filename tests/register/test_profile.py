"""A register profile read from docaudit.toml: column mapping, constants, period column; every
mistake in it is an error naming the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docaudit.config import load_config
from docaudit.errors import ConfigError
from docaudit.model import Period
from docaudit.register import read_register, select
from docaudit.register.readers import RegisterHeaderError

from test_official_templates import PROFILE, incoming_rows, write


def incoming(tmp_path: Path) -> Path:
    rows = incoming_rows()
    # dated 26 February, arrived 2 March; dated 30 March, arrived 1 April
    rows.append(["02/03/2021", "16", "Sở Tài chính", "88/STC-NS", "26/02/2021", "Dự toán", "VP", "", "", ""])
    rows.append(["01/04/2021", "17", "Sở Y tế", "09/SYT-VP", "30/03/2021", "Tiêm chủng", "VP", "", "", ""])
    return write(tmp_path / "register.xlsx", rows)


MARCH = Period(dt.date(2021, 3, 1), dt.date(2021, 3, 31))


def numbers(selection) -> list[str]:
    return [e.number for e in selection.entries]


def test_the_period_is_filtered_on_the_arrival_date_when_the_profile_says_so(tmp_path: Path) -> None:
    path = incoming(tmp_path)
    by_document_date = select(read_register(path, PROFILE), MARCH)
    assert numbers(by_document_date) == ["45/TB-UBND", "09/SYT-VP"]
    on_arrival = type(PROFILE)(constants=PROFILE.constants, period_column="Ngày đến")
    by_arrival = select(read_register(path, on_arrival), MARCH)
    assert numbers(by_arrival) == ["45/TB-UBND", "88/STC-NS"]
    # the document's own date is still the entry's date (the rules compare it with the document)
    assert by_arrival.entries[1].date == dt.date(2021, 2, 26)
    assert by_arrival.excluded_total.out_of_period == 1


def test_a_bad_arrival_date_is_a_row_error_naming_its_column(tmp_path: Path) -> None:
    rows = incoming_rows()
    rows.append(["", "16", "Sở Tài chính", "88/STC-NS", "26/02/2021", "Dự toán", "VP", "", "", ""])
    rows.append(["hôm qua", "17", "Sở Y tế", "09/SYT-VP", "30/03/2021", "Tiêm chủng", "VP", "", "", ""])
    profile = type(PROFILE)(constants=PROFILE.constants, period_column="Ngày đến")
    register = read_register(write(tmp_path / "register.csv", rows), profile)
    assert [e.number for e in register.entries] == ["45/TB-UBND"]
    empty, words = register.errors
    assert (empty.row, words.row) == (7, 8)
    assert "Ngày đến" in empty.text("en") and "empty" in empty.text("en")
    assert "Ngày đến 'hôm qua'" in words.text("vi") and "không phải ngày" in words.text("vi")


def test_a_period_column_absent_from_the_header_is_named(tmp_path: Path) -> None:
    profile = type(PROFILE)(constants=PROFILE.constants, period_column="Ngày nhận")
    with pytest.raises(RegisterHeaderError) as caught:
        read_register(incoming(tmp_path), profile)
    assert "'Ngày nhận'" in caught.value.text("en") and "period_column" in caught.value.text("vi")
    assert "Ngày đến" in caught.value.text("en")  # the header as found


def test_a_mapped_header_replaces_the_alias_for_its_column(tmp_path: Path) -> None:
    # an export whose "Ngày tháng" is the registration date; the document's date is elsewhere
    rows = [["Cơ quan", "Hướng", "Số ký hiệu", "Ngày tháng", "Ngày ban hành", "Hình thức", "Qua phần mềm"],
            ["UBND", "đi", "01/QĐ-UBND", "06/03/2021", "05/03/2021", "điện tử", "có"]]
    profile = type(PROFILE)(columns={"date": "Ngày ban hành"})
    (entry,) = read_register(write(tmp_path / "register.csv", rows), profile).entries
    assert entry.date == dt.date(2021, 3, 5) and entry.extra == {"Ngày tháng": "06/03/2021"}


def config(tmp_path: Path, source: str) -> Path:
    (tmp_path / "audit").mkdir(exist_ok=True)
    path = tmp_path / "docaudit.toml"
    path.write_text(f'[[source]]\nroot = "audit"\n{source}', encoding="utf-8")
    return path


def test_the_profile_is_read_from_the_source_table(tmp_path: Path) -> None:
    path = config(tmp_path, 'period_column = "Ngày đến"\n[source.columns]\nnumber = "Số ký hiệu VB"\n'
                            '[source.constants]\nchannel = "giấy"\nvia_system = "có"\ndirection = "đến"\n')
    profile = load_config(path).sources[0].profile
    assert profile.columns == {"number": "Số ký hiệu VB"} and profile.period_column == "Ngày đến"
    assert profile.constants == {"channel": "giấy", "via_system": "có", "direction": "đến"}
    # the profile changes what the register says: it is part of the configuration's hash
    assert load_config(path).hash != load_config(config(tmp_path, "")).hash


@pytest.mark.parametrize(("source", "key", "said"), [
    ('[source.columns]\nnumbr = "Số"\n', "source[1].columns.numbr", "unknown register column"),
    ('[source.columns]\nnumber = ""\n', "source[1].columns.number", "header"),
    ('[source.columns]\nnumber = "Số"\nsubject = "Số"\n', "source[1].columns.number", "two columns"),
    ('[source.constants]\nchanel = "giấy"\n', "source[1].constants.chanel", "unknown constant"),
    ('[source.constants]\nchannel = "fax"\n', "source[1].constants.channel", "'fax' is not understood"),
    ('[source.constants]\nvia_system = "maybe"\n', "source[1].constants.via_system", "not understood"),
    ('[source.constants]\ndirection = "sideways"\n', "source[1].constants.direction", "not understood"),
    ('[source.constants]\nagency = ""\n', "source[1].constants.agency", "not understood"),
    ('period_column = 3\n', "source[1].period_column", "expected a non-empty string"),
    ('columns = "number"\n', "source[1].columns", "expected a table"),
])
def test_a_mistake_in_the_profile_names_the_file_and_key(tmp_path: Path, source: str, key: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(config(tmp_path, source))
    assert f"key '{key}'" in str(caught.value) and said in str(caught.value)
    assert "docaudit.toml" in str(caught.value) and "\n" not in str(caught.value)


def test_constants_fill_the_blank_cells_of_a_column_marked_only_on_the_exceptions(tmp_path: Path) -> None:
    rows = [["Cơ quan", "Hướng", "Số ký hiệu", "Ngày", "Hình thức", "Qua phần mềm"],
            ["UBND", "đi", "01/QĐ-UBND", "05/03/2021", "", ""],
            ["UBND", "đi", "02/QĐ-UBND", "06/03/2021", "giấy", "không"],
            ["UBND", "đi", "03/QĐ-UBND", "07/03/2021", " ", None]]
    register = read_register(write(tmp_path / "register.xlsx", rows), PROFILE)
    assert register.errors == ()
    assert [(e.channel.value, e.via_system) for e in register.entries] == [
        ("electronic", True), ("paper", False), ("electronic", True)]


def test_without_a_constant_a_blank_cell_is_still_a_row_error(tmp_path: Path) -> None:
    rows = [["Cơ quan", "Hướng", "Số ký hiệu", "Ngày", "Hình thức", "Qua phần mềm"],
            ["UBND", "đi", "01/QĐ-UBND", "05/03/2021", "", "có"]]
    register = read_register(write(tmp_path / "register.csv", rows), type(PROFILE)(constants={"via_system": True}))
    (error,) = register.errors
    assert "channel is empty" in error.text("en")


def test_a_folder_without_register_star_names_the_registers_it_holds(tmp_path: Path) -> None:
    from docaudit.errors import RegisterError
    from docaudit.register import find_register

    for name in ("Sổ đi 2021.xlsx", "Sổ đến 2021.xlsx", "~$Sổ đi 2021.xlsx", "ghi chú.txt"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(RegisterError) as caught:
        find_register(tmp_path)
    vi, en = caught.value.text("vi"), caught.value.text("en")
    assert "'Sổ đi 2021.xlsx'" in en and "'Sổ đến 2021.xlsx'" in en and "~$" not in en and "ghi chú" not in en
    assert "--register" in en and "--register" in vi and "thư mục có" in vi


def test_a_workbook_with_both_registers_as_sheets(tmp_path: Path) -> None:
    import openpyxl
    from docaudit.errors import RegisterError
    from docaudit.model import Direction
    from test_official_templates import outgoing_rows

    book = openpyxl.Workbook()
    book.active.title = "Sổ đi"
    for cells in outgoing_rows():
        book.active.append(cells)
    incoming_sheet = book.create_sheet("Sổ đến")
    for cells in incoming_rows():
        incoming_sheet.append(cells)
    path = tmp_path / "Sổ đăng ký 2021.xlsx"
    book.save(path)
    first = read_register(path, PROFILE)
    assert {e.direction for e in first.entries} == {Direction.OUTGOING}
    # named as the office named it, or without accents and case
    for name in ("Sổ đến", "so den"):
        second = read_register(path, type(PROFILE)(constants=PROFILE.constants, sheet=name))
        assert [(e.direction, e.number) for e in second.entries] == [(Direction.INCOMING, "45/TB-UBND")]
    with pytest.raises(RegisterError) as caught:
        read_register(path, type(PROFILE)(constants=PROFILE.constants, sheet="Sổ đi 2020"))
    assert "'Sổ đi 2020'" in caught.value.text("en") and "'Sổ đi', 'Sổ đến'" in caught.value.text("vi")
