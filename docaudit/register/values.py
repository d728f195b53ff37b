"""Parsing of register cell values into a :class:`~docaudit.model.RegisterEntry` (the contract (README: The audit folder))."""

from __future__ import annotations

import datetime as dt
import unicodedata
import json
import re
from typing import Any, Mapping

from docaudit.model import Channel, Direction, RegisterEntry, RowError
from docaudit.text import Message, message

from .columns import fold_value, nfc

_DIRECTIONS: dict[str, Direction] = {
    "outgoing": Direction.OUTGOING,
    "out": Direction.OUTGOING,
    "di": Direction.OUTGOING,  # đi (folded)
    "van ban di": Direction.OUTGOING,
    "incoming": Direction.INCOMING,
    "in": Direction.INCOMING,
    "den": Direction.INCOMING,  # đến (folded)
    "van ban den": Direction.INCOMING,
}

_CHANNEL_WORDS: dict[str, Channel] = {
    "electronic": Channel.ELECTRONIC,
    "dien tu": Channel.ELECTRONIC,  # điện tử
    "paper": Channel.PAPER,
    "giay": Channel.PAPER,  # giấy
    "both": Channel.BOTH,
}
# "điện tử và giấy", "điện tử + giấy", "điện tử, giấy", "electronic and paper" …
_CHANNEL_JOIN = re.compile(r"\s*(?:\+|,|&|;|\bva\b|\band\b|\bkem\b)\s*")

_TRUE = frozenset({"yes", "y", "true", "1", "co"})  # có
_FALSE = frozenset({"no", "n", "false", "0", "khong"})  # không

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")

PERIOD_DATE = "period_date"
"""Key of the profile's period column in a row's values (not a register column of its own)."""

# What a bad cell should have held (catalogue texts, shown in the row error's reason).
DATE_EXPECTED = message("expected.date")
DIRECTION_EXPECTED = message("expected.direction")
CHANNEL_EXPECTED = message("expected.channel")
BOOL_EXPECTED = message("expected.bool")


def cell_text(value: Any) -> str:
    """Text of one cell as read from CSV, XLSX or JSON (not yet trimmed)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def clean(value: Any) -> str:
    """Trimmed, NFC-normalised text of a cell."""
    if type(value) is str:  # the common case (every CSV cell): skip two calls, a million rows add up
        return unicodedata.normalize("NFC", value).strip()
    return nfc(cell_text(value)).strip()


def parse_direction(text: str) -> Direction | None:
    return _DIRECTIONS.get(fold_value(text))


def parse_channel(text: str) -> Channel | None:
    folded = fold_value(text)
    if folded in _CHANNEL_WORDS:
        return _CHANNEL_WORDS[folded]
    parts = [p for p in _CHANNEL_JOIN.split(folded) if p]
    if len(parts) == 2:
        kinds = {_CHANNEL_WORDS.get(p) for p in parts}
        if kinds == {Channel.ELECTRONIC, Channel.PAPER}:
            return Channel.BOTH
    return None


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    folded = fold_value(cell_text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return None


def parse_date(value: Any) -> dt.date | None:
    """A register date: a date/datetime cell, ISO ``2021-03-05`` or day-first ``05/03/2021``
    (also ``5/3/2021``, ``05-03-2021``, ``05.03.2021``). ``None`` if not a real date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = nfc(value).strip()
    try:
        if m := _ISO_DATE.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DAY_FIRST.fullmatch(text):
            return dt.date(int(m[4]), int(m[3]), int(m[1]))
    except ValueError:  # 31/02/2021, month 13 …
        return None
    return None


def _bad(column: str, raw: str, expected: Message, problem: str = "row.not-recognised") -> Message:
    """What is wrong with one column: empty, or ``raw`` (quoted as Python would) not understood."""
    name = message(f"column.{column}")
    if raw == "":
        return message("row.empty", column=name, expected=expected)
    return message(problem, column=name, raw=repr(raw), expected=expected)


def build_entry(row: int, values: Mapping[str, Any], extra: Mapping[str, str]) -> RegisterEntry | RowError:
    """Turn one row (canonical column → raw cell value) into an entry, or a row error whose reason
    names every bad column and its value."""
    agency = " ".join(clean(values.get("agency")).split())
    number = clean(values.get("number"))
    problems: list[Message] = []

    if not agency:
        problems.append(message("row.agency-empty"))

    direction_raw = clean(values.get("direction"))
    direction = parse_direction(direction_raw)
    if direction is None:
        problems.append(_bad("direction", direction_raw, DIRECTION_EXPECTED))

    if not number:
        problems.append(message("row.number-empty"))

    date_value = values.get("date")
    day = parse_date(date_value if isinstance(date_value, (dt.date, str)) else cell_text(date_value))
    if day is None:
        problems.append(_bad("date", clean(date_value), DATE_EXPECTED, "row.not-a-date"))

    channel_raw = clean(values.get("channel"))
    channel = parse_channel(channel_raw)
    if channel is None:
        problems.append(_bad("channel", channel_raw, CHANNEL_EXPECTED))

    via_value = values.get("via_system")
    via = parse_bool(via_value)
    if via is None:
        problems.append(_bad("via_system", clean(via_value), BOOL_EXPECTED))

    period_day: dt.date | None = None
    if PERIOD_DATE in values:  # the profile's period column: (its header, its cell)
        header, cell = values[PERIOD_DATE]
        period_day = parse_date(cell if isinstance(cell, (dt.date, str)) else cell_text(cell))
        if period_day is None:
            raw = clean(cell)
            problems.append(message("row.empty", column=header, expected=DATE_EXPECTED) if raw == ""
                            else message("row.not-a-date", column=header, raw=repr(raw), expected=DATE_EXPECTED))

    if problems:
        return RowError(row=row, problems=tuple(problems), agency=agency or None, number=number or None)

    # The file path is kept as written, trimmed and composed (NFC) like every text that is compared;
    # the look-up on disk finds the file in whichever Unicode form the file system holds its name.
    file_text = nfc(cell_text(values.get("file"))).strip()
    assert direction is not None and day is not None and channel is not None and via is not None
    return RegisterEntry(
        row=row,
        agency=agency,
        direction=direction,
        number=number,
        doc_type=clean(values.get("doc_type")),
        date=day,
        subject=clean(values.get("subject")),
        counterparty=clean(values.get("counterparty")),
        channel=channel,
        via_system=via,
        file=file_text or None,
        extra=dict(extra),
        period_date=period_day,
    )
