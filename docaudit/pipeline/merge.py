"""One result over several sources (``docaudit audit`` with several ``[[source]]``): entries and
exclusions added up, figures computed again over all of them.

Each register is read on its own, so each spells an agency as its own first row does; merged, an
agency is one agency across registers too (:func:`~docaudit.model.agency_key`), named as the first
register that names it spells it, in configuration order."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import PurePath
from typing import Sequence

from ..metrics import per_agency
from ..model import EntryResult, Register, RegisterEntry, RowError
from ..register import ExclusionCounts, Selection
from ..register.agencies import Spellings
from .run import ScanResult


def merge(results: list[ScanResult], names: Sequence[str | None] = ()) -> ScanResult:
    """One result over several sources: entries and exclusions added up, figures recomputed.
    ``names``: the sources' configured names, if any (they name the registers' rows)."""
    if len(results) == 1:
        return results[0]
    results = unify_agencies(results)
    first = results[0]
    errors = merged_errors([r.register for r in results], names)
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
        # online revocation: one resolver for the run, so the last source's summary covers them all
        revocation=next((r.revocation for r in reversed(results) if r.revocation is not None), None),
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


def merged_errors(registers: Sequence[Register], names: Sequence[str | None] = ()) -> tuple[RowError, ...]:
    """The row errors of several registers, each naming its register (:func:`register_labels`;
    its text then starts with that name); one register: its errors as they are."""
    if len(registers) == 1:
        return registers[0].errors
    labels = register_labels([r.source for r in registers], names)
    return tuple(replace(e, register=label) for r, label in zip(registers, labels) for e in r.errors)


def register_labels(paths: Sequence[str], names: Sequence[str | None] = ()) -> tuple[str, ...]:
    """How a run of several registers names each one wherever it names one of its rows
    (``register.csv, dòng 6``): the source's configured ``name`` when it has one that no other
    source shares, else the register's file name; where that is not enough to tell registers apart
    (two folders that each hold a ``register.csv``), as many of its folders as it takes
    (``bac-quang/register.csv``, ``vi-xuyen/register.csv``)."""
    names = [*names, *[None] * (len(paths) - len(names))][: len(paths)]
    shared = Counter(n for n in names if n)
    labels: list[str] = [n if n and shared[n] == 1 else "" for n in names]
    depth = [0 if labels[i] else 1 for i in range(len(paths))]  # 0: named; else path parts shown

    def tail(path: str, parts: int) -> str:
        pieces = PurePath(path).parts
        return str(PurePath(path)) if parts >= len(pieces) else "/".join(pieces[-parts:])

    while True:
        for i, path in enumerate(paths):
            if depth[i]:
                labels[i] = tail(path, depth[i])
        seen = Counter(labels)
        clashing = [i for i, label in enumerate(labels) if seen[label] > 1 and depth[i]]
        deeper = [i for i in clashing if depth[i] < len(PurePath(paths[i]).parts)]
        if not deeper:
            break
        for i in deeper:
            depth[i] += 1
    seen = Counter(labels)  # the same file given twice: told apart by its position
    return tuple(f"{label} ({i + 1})" if seen[label] > 1 else label for i, label in enumerate(labels))
