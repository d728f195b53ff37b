"""Registers as offices keep them: the NĐ 30 template's row of column numbers under the header,
rows that cannot be read, one agency spelled several ways, text in decomposed Unicode (NFD)."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from docaudit.errors import OptionError
from docaudit.metrics import per_agency
from docaudit.model import Channel, Direction, DocumentVerdict, EntryResult, Evidence, FileStatus, RegisterEntry, Verdict
from docaudit.periods import parse_period
from docaudit.pipeline.plan import only_agencies
from docaudit.register import ExclusionCounts, read_register, select
from docaudit.targets import load_targets

HEADER = ["Cơ quan", "Hướng", "Số ký hiệu", "Loại văn bản", "Ngày", "Trích yếu", "Nơi gửi/nhận", "Hình thức",
          "Qua phần mềm", "Tệp"]
NUMBERS = [f"({n})" for n in range(1, len(HEADER) + 1)]
AGENCY = "UBND huyện Bắc Quang"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def row(agency: str = AGENCY, number: str = "01/QĐ-UBND", date: str = "05/03/2021", file: str = "") -> list[str]:
    return [agency, "đi", number, "QĐ", date, "Trích yếu", "Các cơ quan", "điện tử", "có", file]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for cells in rows:
        book.active.append(cells)
    book.save(path)
    return path


# --------------------------------------------------------------------------- the column-number row


@pytest.mark.parametrize("numbers", [NUMBERS, list(range(1, len(HEADER) + 1)), [" ( 1 ) ", "(2)", "", "(4)"]])
def test_the_templates_column_number_row_is_skipped(tmp_path: Path, numbers: list) -> None:
    path = write_csv(tmp_path / "register.csv", [["ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"], HEADER,
                                                [str(n) for n in numbers], row()])
    register = read_register(path)
    assert register.errors == ()
    assert [(e.row, e.agency) for e in register.entries] == [(4, AGENCY)]


def test_the_column_number_row_in_a_workbook_is_skipped(tmp_path: Path) -> None:
    register = read_register(write_xlsx(tmp_path / "register.xlsx", [HEADER, NUMBERS, row(), NUMBERS, row(number="02/QĐ-UBND")]))
    assert register.errors == ()
    assert [e.row for e in register.entries] == [3, 5]  # a page break repeats the numbers: skipped again
    assert select(register).agencies() == (AGENCY,)


def test_a_row_that_cannot_be_read_makes_no_agency(tmp_path: Path) -> None:
    # "(9)" under the agency column, a total line at the foot: rows that cannot be read
    rows = [HEADER, ["(9)", "(1)", "(3)"], row(), ["Tổng cộng: 1 văn bản"], row(agency="UBND huyện", date="31/02/2021")]
    register = read_register(write_csv(tmp_path / "register.csv", rows))
    assert [(e.row, e.agency) for e in register.errors] == [(2, None), (4, None), (5, None)]
    selection = select(register)
    assert set(selection.excluded) == {AGENCY, ""}
    assert selection.excluded[""] == ExclusionCounts(unparsable=3)
    agencies, overall = per_agency([], selection.excluded, load_targets())
    assert list(agencies) == [AGENCY]
    assert overall.excluded["unparsable"] == 3


def test_a_row_that_cannot_be_read_counts_under_its_agency_when_readable_rows_name_it(tmp_path: Path) -> None:
    rows = [HEADER, row(), row(agency=nfd("UBND  HUYỆN Bắc Quang"), date="31/02/2021")]
    register = read_register(write_csv(tmp_path / "register.csv", rows))
    assert [(e.row, e.agency) for e in register.errors] == [(3, AGENCY)]
    assert select(register).excluded[AGENCY] == ExclusionCounts(unparsable=1)


# --------------------------------------------------------------------------- one agency, several spellings

SPELLINGS = [AGENCY, "UBND Huyện Bắc Quang", "  UBND  huyện   Bắc Quang ", nfd(AGENCY), nfd("ubnd HUYỆN BẮC QUANG")]


def test_the_tone_mark_placed_the_old_or_the_new_way_is_one_agency(tmp_path: Path) -> None:
    # Unikey types "UỶ"/"Hoà" (old placement) or "ỦY"/"Hòa" (new): the same name
    rows = [HEADER, row(agency="ỦY BAN NHÂN DÂN HUYỆN HÒA AN"), row(agency="UỶ BAN NHÂN DÂN HUYỆN HOÀ AN", number="2/QĐ-UBND"),
            row(agency="UBND xã Hòa Bình", number="3/QĐ-UBND"), row(agency="UBND xã Hoà Bình", number="4/QĐ-UBND"),
            # another tone is another name
            row(agency="UBND xã Hóa Bình", number="5/QĐ-UBND")]
    register = read_register(write_csv(tmp_path / "register.csv", rows))
    assert select(register).agencies() == ("ỦY BAN NHÂN DÂN HUYỆN HÒA AN", "UBND xã Hòa Bình", "UBND xã Hóa Bình")


def test_one_agency_spelled_several_ways_is_one_agency_under_its_first_spelling(tmp_path: Path) -> None:
    rows = [HEADER] + [row(agency=a, number=f"{n}/QĐ-UBND") for n, a in enumerate(SPELLINGS, start=1)]
    rows.append(row(agency="UBND xã Việt Vinh", number="9/UBND"))
    register = read_register(write_csv(tmp_path / "register.csv", rows))
    assert [e.agency for e in register.entries] == [AGENCY] * len(SPELLINGS) + ["UBND xã Việt Vinh"]
    selection = select(register)
    assert selection.agencies() == (AGENCY, "UBND xã Việt Vinh")
    assert list(selection.excluded) == [AGENCY, "UBND xã Việt Vinh"]


def test_the_first_spelling_names_the_agency_whatever_it_is(tmp_path: Path) -> None:
    rows = [HEADER, row(agency="UBND Huyện Bắc Quang"), row(agency=AGENCY, number="2/QĐ-UBND")]
    register = read_register(write_csv(tmp_path / "register.csv", rows))
    assert {e.agency for e in register.entries} == {"UBND Huyện Bắc Quang"}


def test_decomposed_register_text_is_composed(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    write_csv(path, [[nfd(h) for h in HEADER], [nfd(c) for c in row(file="văn bản/Quyết định.pdf")]])
    (entry,) = read_register(path).entries
    assert (entry.agency, entry.number, entry.direction, entry.channel) == (AGENCY, "01/QĐ-UBND", Direction.OUTGOING,
                                                                           Channel.ELECTRONIC)
    assert entry.file == "văn bản/Quyết định.pdf" and unicodedata.is_normalized("NFC", entry.file)


def entry(row_number: int, agency: str, number: str = "01/QĐ-UBND", day: str = "2021-03-05") -> RegisterEntry:
    return RegisterEntry(row_number, agency, Direction.OUTGOING, number, "QĐ", dt.date.fromisoformat(day), "", "",
                         Channel.ELECTRONIC, True, None)


def test_the_dedup_key_folds_the_agency_as_the_grouping_does() -> None:
    keys = {entry(2, a).dedup_key for a in SPELLINGS}
    assert len(keys) == 1
    assert entry(2, AGENCY, nfd("01/qđ-ubnd")).dedup_key in keys
    assert entry(2, "UBND huyện Bắc Quang 2").dedup_key not in keys


def test_a_row_repeated_under_another_spelling_is_a_duplicate(tmp_path: Path) -> None:
    rows = [HEADER, row(), row(agency="UBND Huyện Bắc  Quang"), row(agency=nfd(AGENCY), number="01/qđ-ubnd ")]
    selection = select(read_register(write_csv(tmp_path / "register.csv", rows)))
    assert [e.row for e in selection.entries] == [2]
    assert [(d.row, k.row) for d, k in selection.duplicates] == [(3, 2), (4, 2)]
    assert selection.excluded == {AGENCY: ExclusionCounts(duplicate=2)}


def test_the_agency_filter_matches_as_the_grouping_does(tmp_path: Path) -> None:
    rows = [HEADER, row(), row(agency="UBND Huyện Bắc Quang", number="2/QĐ-UBND"), row(agency="UBND xã Việt Vinh"),
            row(agency="UBND HUYỆN BẮC QUANG", date="31/02/2021")]
    register = read_register(write_csv(tmp_path / "register.csv", rows))
    selection = select(register, parse_period("2021-01-01..2021-12-31"))
    for wanted in (nfd("ubnd huyện bắc quang"), " UBND  HUYỆN Bắc Quang"):
        kept_register, kept = only_agencies(register, selection, [wanted])
        assert [e.row for e in kept.entries] == [2, 3]
        assert list(kept.excluded) == [AGENCY]
        assert [e.row for e in kept_register.errors] == [5]
    with pytest.raises(OptionError):
        only_agencies(register, selection, ["UBND huyện Bắc Mê"])


# --------------------------------------------------------------------------- rates per agency


def result(agency: str, row_number: int, *, status: FileStatus = FileStatus.PRESENT) -> EntryResult:
    evidence = Evidence("f.pdf", status, verdict=DocumentVerdict(Verdict.VALID) if status is FileStatus.PRESENT else None)
    return EntryResult(entry(row_number, agency, f"{row_number}/QĐ-UBND"), evidence)


def test_rates_per_agency_count_every_spelling_under_the_first() -> None:
    results = [result(AGENCY, 2), result("UBND Huyện Bắc Quang", 3), result(nfd(AGENCY), 4, status=FileStatus.MISSING),
               result("UBND  huyện Bắc Quang", 5), result("UBND xã Việt Vinh", 6)]
    excluded = {"UBND Huyện Bắc Quang": ExclusionCounts(duplicate=1), AGENCY: ExclusionCounts(out_of_period=2),
                "UBND xã Việt Vinh": ExclusionCounts(), "": ExclusionCounts(unparsable=1)}
    agencies, overall = per_agency(results, excluded, load_targets())
    assert list(agencies) == ["UBND Huyện Bắc Quang", "UBND xã Việt Vinh"]  # the exclusions hold the register order
    one = agencies["UBND Huyện Bắc Quang"]
    assert one.total == 4
    assert (one.via_software.count, one.via_software.claimed, one.via_software.rate) == (3, 4, 0.75)
    assert one.excluded == {"duplicate": 1, "out_of_period": 2, "unparsable": 0}
    assert agencies["UBND xã Việt Vinh"].via_software.rate == 1.0
    assert overall.total == 5 and overall.via_software.count == 4
    assert overall.excluded == {"duplicate": 1, "out_of_period": 2, "unparsable": 1}
