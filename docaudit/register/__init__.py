"""The document register (sổ đăng ký văn bản): reading it, and choosing the entries that count.

>>> register = read_register(find_register(root))
>>> selection = select(register, parse_period("2021-01-01..2021-06-30"))
"""

from .columns import ALIASES, ALL_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, canonical_column
from .readers import (
    REGISTER_NAMES,
    decode_text,
    find_register,
    read_csv,
    read_json,
    read_register,
    read_xlsx,
    sniff_delimiter,
)
from .selection import ExclusionCounts, Selection, select
from .values import parse_bool, parse_channel, parse_date, parse_direction

__all__ = [
    "ALIASES",
    "ALL_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REGISTER_NAMES",
    "REQUIRED_COLUMNS",
    "ExclusionCounts",
    "Selection",
    "canonical_column",
    "decode_text",
    "find_register",
    "parse_bool",
    "parse_channel",
    "parse_date",
    "parse_direction",
    "read_csv",
    "read_json",
    "read_register",
    "read_xlsx",
    "select",
    "sniff_delimiter",
]
