"""One agency, one name: spellings that differ only in case, spaces or Unicode form are one agency,
named as its first readable row spells it; a row that could not be read never makes an agency
(the contract (README: The audit folder))."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from docaudit.model import Register, RegisterEntry, agency_key


class Spellings:
    """The agencies of some entries, each under the spelling of its first entry (register order)."""

    def __init__(self, entries: Iterable[RegisterEntry]) -> None:
        self._by_key: dict[str, str] = {}
        self._known: dict[str, str | None] = {}  # exact text → its agency: a register repeats a few names a million times
        for entry in entries:
            if entry.agency not in self._known:
                self._known[entry.agency] = self._by_key.setdefault(agency_key(entry.agency), entry.agency)

    def names(self) -> tuple[str, ...]:
        """Every agency once, under its first spelling, in order of first appearance."""
        return tuple(self._by_key.values())

    def of(self, name: str | None) -> str | None:
        """The agency ``name`` spells, as first spelled; ``None`` when no entry names it."""
        if not name:
            return None
        if name not in self._known:
            self._known[name] = self._by_key.get(agency_key(name))
        return self._known[name]


def unify_agencies(register: Register) -> Register:
    """``register`` with every entry's agency spelled as the agency's first entry spells it, and
    each row error's agency likewise, or ``None`` when no readable row names that agency (the
    text of an unreadable row, such as a template's "(9)", is not an agency)."""
    spellings = Spellings(register.entries)
    if all(spellings.of(e.agency) == e.agency for e in register.entries) and \
            all(spellings.of(e.agency) == e.agency for e in register.errors):
        return register  # the common case: a million rows are not copied
    entries = tuple(e if spellings.of(e.agency) == e.agency else replace(e, agency=spellings.of(e.agency))
                    for e in register.entries)
    errors = tuple(e if spellings.of(e.agency) == e.agency else replace(e, agency=spellings.of(e.agency))
                   for e in register.errors)
    return replace(register, entries=entries, errors=errors)
