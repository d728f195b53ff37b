"""A register profile: how to read one source's register without editing it.

``columns`` maps a canonical column to the header that holds it (an export from a
document-management software names its columns its own way); ``constants`` give the columns the
register does not hold at all (the NĐ 30 template has no ``channel`` nor ``via_system``: they are
never guessed, the profile must say them); ``period_column`` names the date column the period
filter reads when it is not the document's date (an incoming register's "Ngày đến").

Every value is checked when the profile is made, so a typo in ``docaudit.toml`` is an error that
names the key, not a register in which every row fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from docaudit.text import render

from .columns import ALL_COLUMNS, fold_header
from .values import BOOL_EXPECTED, CHANNEL_EXPECTED, DIRECTION_EXPECTED, parse_bool, parse_channel, parse_direction

PROFILE_CONSTANTS: tuple[str, ...] = ("agency", "direction", "channel", "via_system")
"""The columns a profile may give as one value for every row."""


class ProfileError(ValueError):
    """A profile entry that cannot be used; ``key`` is where it sits (``columns.numbr``,
    ``constants.channel``), ``problem`` what is wrong (English, like every configuration error)."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


def _check_constant(column: str, value: Any) -> None:
    if column == "agency":
        ok = isinstance(value, str) and bool(value.strip())
        expected = "the agency's name or code"
    elif column == "via_system":
        ok = parse_bool(value) is not None
        expected = render(BOOL_EXPECTED, "en")
    else:
        parse = parse_direction if column == "direction" else parse_channel
        ok = isinstance(value, str) and parse(value) is not None
        expected = render(DIRECTION_EXPECTED if column == "direction" else CHANNEL_EXPECTED, "en")
    if not ok:
        raise ProfileError(f"constants.{column}", f"{value!r} is not understood ({expected})")


@dataclass(frozen=True)
class RegisterProfile:
    columns: Mapping[str, str] = field(default_factory=dict)
    """Canonical column → the register's header for it."""
    constants: Mapping[str, Any] = field(default_factory=dict)
    """Canonical column → its value on every row (only for columns the header does not hold)."""
    period_column: str | None = None
    """The header of the date the period filter reads; ``None``: the document's date (``date``)."""
    sheet: str | None = None
    """The worksheet of an ``.xlsx`` register; ``None``: the first."""

    def __post_init__(self) -> None:
        for column, header in self.columns.items():
            if column not in ALL_COLUMNS:
                raise ProfileError(f"columns.{column}",
                                   f"unknown register column (expected one of: {', '.join(ALL_COLUMNS)})")
            if not isinstance(header, str) or not header.strip():
                raise ProfileError(f"columns.{column}", "expected the header of that column, as text")
        headers = [fold_header(h) for h in self.columns.values()]
        for column, header in self.columns.items():
            if headers.count(fold_header(header)) > 1:
                raise ProfileError(f"columns.{column}", f"the header {header!r} is given for two columns")
        for column, value in self.constants.items():
            if column not in PROFILE_CONSTANTS:
                raise ProfileError(f"constants.{column}",
                                   f"unknown constant (expected one of: {', '.join(PROFILE_CONSTANTS)})")
            _check_constant(column, value)
        if self.period_column is not None and not (isinstance(self.period_column, str) and self.period_column.strip()):
            raise ProfileError("period_column", "expected the header of a date column, as text")
        if self.sheet is not None and not (isinstance(self.sheet, str) and self.sheet.strip()):
            raise ProfileError("sheet", "expected the name of a worksheet, as text")
        # frozen means frozen: a mapping handed in must not change under the reader
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))
        object.__setattr__(self, "constants", MappingProxyType(dict(self.constants)))

    def column_for(self, header: str) -> str | None:
        """The canonical column the profile maps ``header`` to, if any."""
        folded = fold_header(header)
        for column, name in self.columns.items():
            if fold_header(name) == folded:
                return column
        return None

    @property
    def empty(self) -> bool:
        return not (self.columns or self.constants or self.period_column or self.sheet)

    def as_json(self) -> dict[str, Any]:
        """What the configuration hash covers (a profile changes what the register says)."""
        return {"columns": dict(self.columns), "constants": dict(self.constants), "period_column": self.period_column,
                **({"sheet": self.sheet} if self.sheet is not None else {})}


NO_PROFILE = RegisterProfile()
