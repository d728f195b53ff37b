"""Named reporting periods for audits: ``2021``, ``2021-H1``, ``2021-Q3``, ``2021-06``,
``last-month``, ``last-quarter``, ``ytd`` … and the explicit ``START..END`` of ``--period``.

``parse_period`` reads the explicit ``START..END`` form (either side may be empty).

Relative names are resolved against ``today`` (injectable; ``$DOCAUDIT_TODAY=YYYY-MM-DD`` overrides
the clock, for re-running a scheduled audit as of a past day and for tests).

>>> resolve_period("2024-Q1").period
Period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 31))
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass

from .errors import UsageError
from .model import Period

TODAY_ENV = "DOCAUDIT_TODAY"

NAMED_HELP = (
    "YYYY, YYYY-H1|H2, YYYY-Q1..Q4, YYYY-MM, last-month, last-quarter, last-year, "
    "this-month, this-quarter, this-year, ytd, or START..END"
)

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(text: str, side: str, whole: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if not _ISO.fullmatch(text):
        raise UsageError(f"bad --period {whole!r}: {side} {text!r} is not a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"bad --period {whole!r}: {side} {text!r} is not a real date") from None


def parse_period(text: str) -> Period:
    """``2021-01-01..2021-06-30``; either side may be empty (``2021-01-01..``, ``..2021-06-30``, ``..``)."""
    whole = (text or "").strip()
    if whole.count("..") != 1:
        raise UsageError(f"bad --period {text!r}: expected START..END with dates YYYY-MM-DD (either may be empty)")
    start_text, end_text = whole.split("..")
    start = _day(start_text, "start", whole)
    end = _day(end_text, "end", whole)
    if start and end and start > end:
        raise UsageError(f"bad --period {whole!r}: start {start} is after end {end}")
    return Period(start=start, end=end)


_YEAR = re.compile(r"(\d{4})")
_HALF = re.compile(r"(\d{4})-H([12])", re.IGNORECASE)
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class NamedPeriod:
    period: Period
    label: str
    """What the user wrote, normalised (``2021-H1``, ``last-month``) — or ``START..END``."""

    @property
    def resolved(self) -> str:
        """The concrete range, ``2021-01-01..2021-06-30`` (either side may be empty)."""
        start, end = self.period.start, self.period.end
        return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"


def today() -> dt.date:
    """The local date, or ``$DOCAUDIT_TODAY`` when set."""
    text = os.environ.get(TODAY_ENV, "").strip()
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"${TODAY_ENV}: '{text}' is not a date YYYY-MM-DD") from None
    return dt.date.today()


def month_range(year: int, month: int) -> Period:
    return Period(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


def quarter_range(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(month_range(year, first).start, month_range(year, first + 2).end)


def half_range(year: int, half: int) -> Period:
    first = 6 * (half - 1) + 1
    return Period(month_range(year, first).start, month_range(year, first + 5).end)


def year_range(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _check_year(year: int, text: str) -> None:
    if not 1900 <= year <= 2999:
        raise UsageError(f"bad period {text!r}: year {year} is out of range")


def resolve_period(text: str, today_: dt.date | None = None) -> NamedPeriod:
    """A named or explicit period. Raises :class:`UsageError` (one line) when it is neither."""
    raw = (text or "").strip()
    name = raw.lower()
    if ".." in raw:
        period = parse_period(raw)
        return NamedPeriod(period, raw)
    day = today_ or today()
    if m := _YEAR.fullmatch(name):
        year = int(m.group(1))
        _check_year(year, raw)
        return NamedPeriod(year_range(year), str(year))
    if m := _HALF.fullmatch(name):
        year, half = int(m.group(1)), int(m.group(2))
        _check_year(year, raw)
        return NamedPeriod(half_range(year, half), f"{year}-H{half}")
    if m := _QUARTER.fullmatch(name):
        year, quarter = int(m.group(1)), int(m.group(2))
        _check_year(year, raw)
        return NamedPeriod(quarter_range(year, quarter), f"{year}-Q{quarter}")
    if m := _MONTH.fullmatch(name):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(year, raw)
        if not 1 <= month <= 12:
            raise UsageError(f"bad period {raw!r}: month {month:02d} does not exist")
        return NamedPeriod(month_range(year, month), f"{year}-{month:02d}")
    if name == "last-month":
        year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
        return NamedPeriod(month_range(year, month), name)
    if name == "this-month":
        return NamedPeriod(month_range(day.year, day.month), name)
    if name == "last-quarter":
        quarter = _quarter_of(day)
        year, quarter = (day.year, quarter - 1) if quarter > 1 else (day.year - 1, 4)
        return NamedPeriod(quarter_range(year, quarter), name)
    if name == "this-quarter":
        return NamedPeriod(quarter_range(day.year, _quarter_of(day)), name)
    if name == "last-year":
        return NamedPeriod(year_range(day.year - 1), name)
    if name == "this-year":
        return NamedPeriod(year_range(day.year), name)
    if name == "ytd":
        return NamedPeriod(Period(dt.date(day.year, 1, 1), day), name)
    if name in ("all", ""):
        return NamedPeriod(Period(), "all")
    raise UsageError(f"bad period {raw!r}: expected {NAMED_HELP}")
