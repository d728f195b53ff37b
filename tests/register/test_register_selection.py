"""Period filter, de-duplication and exclusion counts (the contract (README: The audit folder)); --period parsing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from docaudit.errors import UsageError
from docaudit.model import Channel, Direction, Period, Register, RegisterEntry, RowError
from docaudit.text import message
from docaudit.periods import parse_period
from docaudit.register import ExclusionCounts, Selection, read_register, select


def entry(row: int, agency: str = "A", number: str = "1/UBND", day: str = "2021-03-05", direction=Direction.OUTGOING) -> RegisterEntry:
    return RegisterEntry(
        row=row,
        agency=agency,
        direction=direction,
        number=number,
        doc_type="CV",
        date=dt.date.fromisoformat(day),
        subject="",
        counterparty="",
        channel=Channel.ELECTRONIC,
        via_system=True,
        file=None,
    )


def register(*entries: RegisterEntry, errors: tuple[RowError, ...] = ()) -> Register:
    return Register(source="register.csv", entries=tuple(entries), errors=errors)


def test_dedup_folds_case_and_spaces_in_number_and_keeps_first():
    first = entry(2, number="123/QĐ-UBND")
    dupes = [entry(3, number="123/qđ-ubnd"), entry(4, number=" 123 / QĐ - UBND "), entry(5, number="123/QĐ-UBND")]
    other_direction = entry(6, number="123/QĐ-UBND", direction=Direction.INCOMING)
    other_date = entry(7, number="123/QĐ-UBND", day="2021-03-06")
    other_agency = entry(8, agency="B", number="123/QĐ-UBND")
    sel = select(register(first, *dupes, other_direction, other_date, other_agency), Period())
    assert [e.row for e in sel.entries] == [2, 6, 7, 8]
    assert [(dropped.row, kept.row) for dropped, kept in sel.duplicates] == [(3, 2), (4, 2), (5, 2)]
    assert sel.excluded["A"] == ExclusionCounts(duplicate=3, out_of_period=0, unparsable=0)
    assert sel.excluded["B"] == ExclusionCounts()


def test_dedup_through_the_csv_reader(tmp_path: Path):
    path = tmp_path / "register.csv"
    path.write_text(
        "agency,direction,number,date,channel,via_system\n"
        "A,đi,45/UBND-VP,05/03/2021,điện tử,có\n"
        "A,out,45/ubnd-vp ,2021-03-05,paper,no\n"  # same key: other fields do not matter
        "A,in,45/UBND-VP,2021-03-05,paper,no\n",
        encoding="utf-8",
    )
    sel = select(read_register(path), Period())
    assert [e.row for e in sel.entries] == [2, 4]
    assert sel.excluded["A"].duplicate == 1
    assert sel.duplicates[0][0].row == 3 and sel.duplicates[0][1].row == 2


def test_period_is_inclusive_at_both_ends():
    rows = [entry(i, number=str(i), day=d) for i, d in enumerate(
        ["2020-12-31", "2021-01-01", "2021-03-15", "2021-06-30", "2021-07-01"], start=2)]
    sel = select(register(*rows), parse_period("2021-01-01..2021-06-30"))
    assert [e.date.isoformat() for e in sel.entries] == ["2021-01-01", "2021-03-15", "2021-06-30"]
    assert sel.excluded["A"] == ExclusionCounts(out_of_period=2)
    assert sel.period == Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def test_open_ended_periods():
    rows = [entry(2, number="1", day="2020-01-01"), entry(3, number="2", day="2022-01-01")]
    assert len(select(register(*rows), parse_period("2021-01-01..")).entries) == 1
    assert len(select(register(*rows), parse_period("..2021-01-01")).entries) == 1
    assert len(select(register(*rows), parse_period("..")).entries) == 2
    assert len(select(register(*rows)).entries) == 2


def test_out_of_period_rows_are_not_duplicates():
    # the period filter runs first: an out-of-period row never "keeps" an in-period one out
    rows = [entry(2, day="2020-05-05", number="1"), entry(3, day="2021-05-05", number="1"), entry(4, day="2021-05-05", number="1")]
    sel = select(register(*rows), parse_period("2021-01-01..2021-12-31"))
    assert [e.row for e in sel.entries] == [3]
    assert sel.excluded["A"] == ExclusionCounts(duplicate=1, out_of_period=1)


def test_unparsable_counted_per_agency_and_under_empty_key():
    bad_date = message("row.not-a-date", column=message("column.date"), raw="'x'", expected=message("expected.date"))
    errors = (RowError(5, (bad_date,), "A"), RowError(6, (message("row.agency-empty"),)),
              RowError(7, (message("row.number-empty"),), "C"), RowError(8, (bad_date,), " a "))
    sel = select(register(entry(2), errors=errors), Period())
    assert sel.excluded["A"] == ExclusionCounts(unparsable=2)  # " a " is A spelled otherwise
    # no readable row names "C": an unreadable row never makes an agency, it counts overall only
    assert "C" not in sel.excluded
    assert sel.excluded[""] == ExclusionCounts(unparsable=2)
    assert sel.excluded_total == ExclusionCounts(unparsable=4)
    assert sel.agencies() == ("A",)


def test_selection_is_immutable():
    sel = select(register(entry(2)))
    assert isinstance(sel, Selection)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sel.entries = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        sel.excluded["Z"] = ExclusionCounts()  # type: ignore[index]
    assert ExclusionCounts(1, 2, 3).as_dict() == {"duplicate": 1, "out_of_period": 2, "unparsable": 3}
    assert ExclusionCounts(1, 2, 3).total == 6


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021-01-01..2021-06-30", "2021-01-01", "2021-06-30"),
        (" 2021-01-01 .. 2021-06-30 ", "2021-01-01", "2021-06-30"),
        ("2021-01-01..", "2021-01-01", None),
        ("..2021-06-30", None, "2021-06-30"),
        ("..", None, None),
        ("2021-03-05..2021-03-05", "2021-03-05", "2021-03-05"),
    ],
)
def test_parse_period(text, start, end):
    p = parse_period(text)
    assert p.start == (dt.date.fromisoformat(start) if start else None)
    assert p.end == (dt.date.fromisoformat(end) if end else None)


@pytest.mark.parametrize(
    "text",
    ["", "2021", "2021-01-01", "2021-01-01...2021-02-01", "2021-01-01..2021-02-01..", "01/01/2021..",
     "2021-02-30..", "2021-06-30..2021-01-01", "20210101..", "a..b"],
)
def test_parse_period_rejects(text):
    with pytest.raises(UsageError) as info:
        parse_period(text)
    assert "\n" not in str(info.value) and "period" in str(info.value)
