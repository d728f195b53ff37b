"""A register profile: how to read one source's register without editing it.

``columns`` maps a canonical column to the header that holds it (an export from a
document-management software names its columns its own way); ``constants`` give the columns the
register does not hold at all (the NĐ 30 template has no ``channel`` nor ``via_system``: they are
never guessed, the profile must say them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .columns import ALL_COLUMNS, fold_header

PROFILE_CONSTANTS: tuple[str, ...] = ("agency", "direction", "channel", "via_system")
"""The columns a profile may give as one value for every row."""


@dataclass(frozen=True)
class RegisterProfile:
    columns: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = [c for c in self.columns if c not in ALL_COLUMNS]
        unknown += [c for c in self.constants if c not in PROFILE_CONSTANTS]
        if unknown:
            raise ValueError(f"unknown register column(s) in the profile: {', '.join(unknown)}")

    def column_for(self, header: str) -> str | None:
        """The canonical column the profile maps ``header`` to, if any."""
        folded = fold_header(header)
        for column, name in self.columns.items():
            if fold_header(name) == folded:
                return column
        return None


NO_PROFILE = RegisterProfile()
