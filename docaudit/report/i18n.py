"""The report layer's words and number style (``--lang vi|en``): the names the renderers use,
all taken from the one catalogue in :mod:`docaudit.text`.

The word families (``DIRECTIONS`` …) are the catalogue prefixes :func:`word` looks codes up under.
"""

from __future__ import annotations

from typing import Any

from ..text import (
    LANGS, as_text, date_text, datetime_text, decimal, family, month_text, number, percent, t, target_phrase,
    threshold, word,
)

DIRECTIONS = "direction"
CHANNELS = "channel"
VERDICTS = "verdict"
FILE_STATUSES = "file_status"
ROLES = "role"
SEVERITIES = "severity"
VALIDATION_TIMES = "validation_time"
REASONS = family("reason")
"""The codes of the reasons an entry did not count, in the order reports list them."""

__all__ = [
    "CHANNELS", "DIRECTIONS", "FILE_STATUSES", "LANGS", "REASONS", "ROLES", "SEVERITIES", "VALIDATION_TIMES",
    "VERDICTS", "date_text", "datetime_text", "decimal", "month_text", "note", "number", "percent", "reason",
    "row_name", "t", "target_phrase", "threshold", "word",
]


def note(item: Any, lang: str) -> str:
    """A scan note in ``lang``: a live run's message, or the English text a stored report holds."""
    return as_text(item, lang, "note")


def reason(code: str, lang: str) -> str:
    """Why an entry did not count (a metrics reason code) in ``lang``."""
    return word("reason", code, lang)


def row_name(row: int, register: str | None, lang: str) -> str:
    """Where a register row is: ``dòng 6`` / ``row 6``; in a run of several registers, with its
    register's name (``bac-quang/register.csv, dòng 6``), since each register numbers its rows."""
    if register:
        return t("register.row", lang, register=register, row=row)
    return f"{t('row', lang)} {row}"
