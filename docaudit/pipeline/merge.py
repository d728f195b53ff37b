"""One result over several sources (``docaudit audit`` with several ``[[source]]``): entries and
exclusions added up, figures computed again over all of them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..metrics import per_agency
from ..model import Register, RowError
from ..register import ExclusionCounts, Selection
from .run import ScanResult



def merge(results: list[ScanResult]) -> ScanResult:
    """One result over several sources: entries and exclusions added up, figures recomputed."""
    if len(results) == 1:
        return results[0]
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
            counts = counts if isinstance(counts, ExclusionCounts) else ExclusionCounts(
                counts.duplicate, counts.out_of_period, counts.unparsable)
            excluded[agency] = excluded.get(agency, ExclusionCounts()) + counts
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


def merged_errors(registers: list[Register]) -> tuple[RowError, ...]:
    """The row errors of several registers, each reason prefixed with its register's file name
    (one register: its errors as they are)."""
    if len(registers) == 1:
        return registers[0].errors
    return tuple(replace(e, register=Path(r.source).name) for r in registers for e in r.errors)
