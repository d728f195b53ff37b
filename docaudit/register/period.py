"""``--period START..END`` (CONTRACT §2, §5)."""

from __future__ import annotations

import datetime as dt
import re

from docaudit.errors import UsageError
from docaudit.model import Period

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
