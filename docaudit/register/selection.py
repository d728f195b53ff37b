"""Choosing the entries that count: the period filter and de-duplication (the contract (README: The audit folder))."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from docaudit.model import Period, Register, RegisterEntry

from .agencies import Spellings


@dataclass(frozen=True)
class ExclusionCounts:
    """Rows of one agency left out of every count — the report's ``excluded`` object."""

    duplicate: int = 0
    out_of_period: int = 0
    unparsable: int = 0

    @property
    def total(self) -> int:
        return self.duplicate + self.out_of_period + self.unparsable

    def __add__(self, other: ExclusionCounts) -> ExclusionCounts:
        if not isinstance(other, ExclusionCounts):
            return NotImplemented
        return ExclusionCounts(
            self.duplicate + other.duplicate,
            self.out_of_period + other.out_of_period,
            self.unparsable + other.unparsable,
        )

    def as_dict(self) -> dict[str, int]:
        return {"duplicate": self.duplicate, "out_of_period": self.out_of_period, "unparsable": self.unparsable}


@dataclass(frozen=True)
class Selection:
    """The in-scope, de-duplicated entries of a register, and what was left out and why."""

    entries: tuple[RegisterEntry, ...]
    """In-period entries after de-duplication, in register order."""
    excluded: Mapping[str, ExclusionCounts]
    """Agency → exclusion counts, for every agency of a readable row (zeros included), under the
    spelling of its first row. Row errors that name no such agency are counted under ``""``."""
    duplicates: tuple[tuple[RegisterEntry, RegisterEntry], ...] = ()
    """(dropped row, kept row) for each duplicate, in register order."""
    period: Period = field(default_factory=Period)

    @property
    def excluded_total(self) -> ExclusionCounts:
        """Exclusions over all agencies (the report's ``overall.excluded``)."""
        total = ExclusionCounts()
        for counts in self.excluded.values():
            total = total + counts
        return total

    def agencies(self) -> tuple[str, ...]:
        """Agencies with at least one in-scope entry, in order of first appearance (spellings of
        one agency once, as first spelled)."""
        return Spellings(self.entries).names()


def select(register: Register, period: Period | None = None) -> Selection:
    """Keep entries whose date is in ``period`` (inclusive; ``None`` = every row), then drop
    duplicates on :attr:`RegisterEntry.dedup_key`, keeping the first row. Exclusions are counted
    per agency, spellings of one agency together (:func:`docaudit.model.agency_key`)."""
    period = period or Period()
    spellings = Spellings(register.entries)
    counts: dict[str, dict[str, int]] = {}

    def bump(agency: str | None, kind: str | None) -> None:
        slot = counts.setdefault(spellings.of(agency) or "", {"duplicate": 0, "out_of_period": 0, "unparsable": 0})
        if kind:
            slot[kind] += 1

    kept: list[RegisterEntry] = []
    first_by_key: dict[tuple, RegisterEntry] = {}
    duplicates: list[tuple[RegisterEntry, RegisterEntry]] = []
    for entry in register.entries:
        if not period.contains(entry.in_period_on):
            bump(entry.agency, "out_of_period")
            continue
        key = entry.dedup_key
        original = first_by_key.get(key)
        if original is not None:
            bump(entry.agency, "duplicate")
            duplicates.append((entry, original))
            continue
        bump(entry.agency, None)
        first_by_key[key] = entry
        kept.append(entry)
    for error in register.errors:
        bump(error.agency, "unparsable")  # under "" unless a readable row names its agency

    excluded = MappingProxyType({agency: ExclusionCounts(**c) for agency, c in counts.items()})
    return Selection(entries=tuple(kept), excluded=excluded, duplicates=tuple(duplicates), period=period)
