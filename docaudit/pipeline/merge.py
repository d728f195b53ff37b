"""One result over several sources (``docaudit audit`` with several ``[[source]]``): entries and
exclusions added up, figures computed again over all of them.

Each register is read on its own, so each spells an agency as its own first row does; merged, an
agency is one agency across registers too (:func:`~docaudit.model.agency_key`), named as the first
register that names it spells it, in configuration order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..metrics import per_agency
from ..model import EntryResult, Register, RegisterEntry, RowError
from ..register import ExclusionCounts, Selection
from ..register.agencies import Spellings
from .run import ScanResult


def merge(results: list[ScanResult]) -> ScanResult:
    """One result over several sources: entries and exclusions added up, figures recomputed."""
    if len(results) == 1:
        return results[0]
    results = unify_agencies(results)
    first = results[0]
    errors = merged_errors([r.register for r in results])
    register = Register(
        source="; ".join(r.register.source for r in results),
        entries=tuple(e for r in results for e in r.register.entries),
        errors=errors,
        columns=first.register.columns,
    )
    excluded: dict[str, ExclusionCounts] = {}
    for r in results:
        for agency, counts in r.selection.excluded.items():
            excluded[agency] = excluded.get(agency, ExclusionCounts()) + _counts(counts)
    selection = Selection(
        entries=tuple(e for r in results for e in r.selection.entries),
        excluded=excluded,
        duplicates=tuple(d for r in results for d in r.selection.duplicates),
        period=first.selection.period,
    )
    entries = tuple(x for r in results for x in r.results)
    agencies, overall = per_agency(entries, excluded, first.targets)
    return replace(
        first, register=register, selection=selection, results=entries, agencies=agencies, overall=overall,
        started=min(r.started for r in results), finished=max(r.finished for r in results),
        notes=tuple(dict.fromkeys(n for r in results for n in r.notes)),
        documents_evaluated=sum(r.documents_evaluated for r in results),
        documents_reused=sum(r.documents_reused for r in results),
    )


def unify_agencies(results: list[ScanResult]) -> list[ScanResult]:
    """``results`` with every agency spelled as the first register naming it spells it (its first
    readable row, registers in order): entries, row errors, exclusions and duplicates alike, so
    that figures, breakdowns and entry lists of the merged run agree on one name per agency."""
    spellings = Spellings(e for r in results for e in r.register.entries)

    def same(name: str | None) -> bool:
        return not name or spellings.of(name) == name

    def entry(e: RegisterEntry) -> RegisterEntry:
        return e if same(e.agency) else replace(e, agency=spellings.of(e.agency))

    def error(e: RowError) -> RowError:
        return e if same(e.agency) else replace(e, agency=spellings.of(e.agency))

    def result(x: EntryResult) -> EntryResult:
        return x if same(x.entry.agency) else replace(x, entry=entry(x.entry))

    out = []
    for r in results:
        register, selection = r.register, r.selection
        if all(same(e.agency) for e in register.entries) and all(same(e.agency) for e in register.errors):
            out.append(r)  # the common case: one spelling everywhere, nothing is copied
            continue
        excluded: dict[str, ExclusionCounts] = {}
        for agency, counts in selection.excluded.items():
            name = (spellings.of(agency) or agency) if agency else agency
            excluded[name] = excluded.get(name, ExclusionCounts()) + _counts(counts)
        out.append(replace(
            r,
            register=replace(register, entries=tuple(map(entry, register.entries)),
                             errors=tuple(map(error, register.errors))),
            selection=replace(selection, entries=tuple(map(entry, selection.entries)), excluded=excluded,
                              duplicates=tuple((entry(a), entry(b)) for a, b in selection.duplicates)),
            results=tuple(map(result, r.results)),
        ))
    return out


def _counts(counts) -> ExclusionCounts:
    return counts if isinstance(counts, ExclusionCounts) else ExclusionCounts(
        counts.duplicate, counts.out_of_period, counts.unparsable)


def merged_errors(registers: list[Register]) -> tuple[RowError, ...]:
    """The row errors of several registers, each reason prefixed with its register's file name
    (one register: its errors as they are)."""
    if len(registers) == 1:
        return registers[0].errors
    return tuple(replace(e, register=Path(r.source).name) for r in registers for e in r.errors)
