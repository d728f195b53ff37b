"""Named periods: years, halves, quarters, months, relative names, explicit ranges."""

from __future__ import annotations

import datetime as dt

import pytest

from docaudit.errors import UsageError
from docaudit.periods import resolve_period

D = dt.date


def span(text: str, today: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    period = resolve_period(text, today).period
    return period.start, period.end


@pytest.mark.parametrize("text, start, end", [
    ("2021", D(2021, 1, 1), D(2021, 12, 31)),
    ("2021-H1", D(2021, 1, 1), D(2021, 6, 30)),
    ("2021-H2", D(2021, 7, 1), D(2021, 12, 31)),
    ("2021-Q1", D(2021, 1, 1), D(2021, 3, 31)),
    ("2021-Q2", D(2021, 4, 1), D(2021, 6, 30)),
    ("2021-Q3", D(2021, 7, 1), D(2021, 9, 30)),
    ("2021-Q4", D(2021, 10, 1), D(2021, 12, 31)),
    ("2021-q2", D(2021, 4, 1), D(2021, 6, 30)),
    ("2021-h2", D(2021, 7, 1), D(2021, 12, 31)),
    ("2021-06", D(2021, 6, 1), D(2021, 6, 30)),
    ("2021-12", D(2021, 12, 1), D(2021, 12, 31)),
    ("2021-01-01..2021-06-30", D(2021, 1, 1), D(2021, 6, 30)),
    ("2021-03-01..", D(2021, 3, 1), None),
])
def test_named_and_explicit(text, start, end):
    assert span(text) == (start, end)


@pytest.mark.parametrize("text, end", [
    ("2024-02", D(2024, 2, 29)),  # leap year
    ("2023-02", D(2023, 2, 28)),
    ("2000-02", D(2000, 2, 29)),  # divisible by 400: leap
    ("1900-02", D(1900, 2, 28)),  # divisible by 100 only: not leap
    ("2024-Q1", D(2024, 3, 31)),
    ("2024-H1", D(2024, 6, 30)),
    ("2024", D(2024, 12, 31)),
])
def test_leap_years(text, end):
    assert span(text)[1] == end


@pytest.mark.parametrize("today, start, end", [
    (D(2024, 3, 31), D(2024, 2, 1), D(2024, 2, 29)),   # leap February
    (D(2023, 3, 1), D(2023, 2, 1), D(2023, 2, 28)),
    (D(2021, 1, 15), D(2020, 12, 1), D(2020, 12, 31)),  # across the year
])
def test_last_month(today, start, end):
    assert span("last-month", today) == (start, end)


@pytest.mark.parametrize("today, start, end", [
    (D(2021, 1, 1), D(2020, 10, 1), D(2020, 12, 31)),  # first day of Q1: the previous year's Q4
    (D(2021, 3, 31), D(2020, 10, 1), D(2020, 12, 31)),  # last day of Q1
    (D(2021, 4, 1), D(2021, 1, 1), D(2021, 3, 31)),    # first day of Q2
    (D(2021, 6, 30), D(2021, 1, 1), D(2021, 3, 31)),
    (D(2021, 7, 1), D(2021, 4, 1), D(2021, 6, 30)),
    (D(2021, 12, 31), D(2021, 7, 1), D(2021, 9, 30)),
    (D(2024, 4, 15), D(2024, 1, 1), D(2024, 3, 31)),
])
def test_last_quarter(today, start, end):
    assert span("last-quarter", today) == (start, end)


def test_ytd_and_others():
    assert span("ytd", D(2024, 2, 29)) == (D(2024, 1, 1), D(2024, 2, 29))
    assert span("ytd", D(2021, 1, 1)) == (D(2021, 1, 1), D(2021, 1, 1))
    assert span("this-quarter", D(2021, 5, 5)) == (D(2021, 4, 1), D(2021, 6, 30))
    assert span("this-month", D(2024, 2, 10)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert span("last-year", D(2021, 5, 5)) == (D(2020, 1, 1), D(2020, 12, 31))
    assert span("LAST-MONTH", D(2021, 5, 5)) == (D(2021, 4, 1), D(2021, 4, 30))
    assert resolve_period("last-quarter", D(2021, 5, 5)).label == "last-quarter"
    assert resolve_period("2021-q3").label == "2021-Q3"
    assert resolve_period("2021-H1").resolved == "2021-01-01..2021-06-30"


def test_today_from_environment(monkeypatch):
    monkeypatch.setenv("DOCAUDIT_TODAY", "2021-07-15")
    assert span("last-quarter") == (D(2021, 4, 1), D(2021, 6, 30))
    monkeypatch.setenv("DOCAUDIT_TODAY", "yesterday")
    with pytest.raises(UsageError, match="DOCAUDIT_TODAY"):
        span("ytd")


@pytest.mark.parametrize("text", [
    "2021-Q5", "2021-Q0", "2021-H3", "2021-13", "2021-00", "21", "last-week", "2021-02-30..2021-03-01",
    "2021-06-30..2021-01-01", "Q1-2021",
])
def test_bad_periods(text):
    with pytest.raises(UsageError) as info:
        resolve_period(text)
    assert "\n" not in str(info.value)
