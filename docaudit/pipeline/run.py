"""A scan's run: every in-scope entry judged (files, signatures, document rules), written in batches
as it goes, then the register-level rules and the figures.

A scan streams: entry results come out of :func:`~docaudit.pipeline.evaluate.evaluate` in register
order as their files are judged; the document rules run on each at once, the entry is slimmed down
to what the report, the figures and the store need, and every ``BATCH_SIZE`` entries go to the
writer in one transaction. Only the register-level rules (numbering gaps and duplicates), the
figures and the report wait for the end: an interrupted scan loses at most the batch in flight,
and memory does not grow with the size of the documents read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Protocol, Sequence

from ..metrics import Figures, per_agency
from ..model import EntryResult, FileStatus, Register
from ..register import Selection
from ..rules import RuleEngine
from ..signatures import TrustStore, ValidationSettings
from ..targets import TargetPack
from ..text import Message
from .evaluate import evaluate
from .options import ScanOptions
from .plan import ScanPlan
from .sharing import Sharing

if TYPE_CHECKING:
    from ..incremental import EvidenceCache
    from .report import AuditReport


class EntrySink(Protocol):
    """Where a run's entries go as they are judged (the store's ``RunWriter``): the pipeline
    writes through this, and never imports the store."""

    written: int

    def write(self, results: Sequence[EntryResult]) -> None: ...

    def attach(self, index: int, findings: Any) -> None: ...


BATCH_SIZE = 200  # results written per transaction: an interrupted scan loses at most one batch


@dataclass(frozen=True)
class ScanResult:
    options: ScanOptions
    register: Register
    selection: Selection
    results: tuple[EntryResult, ...]
    agencies: dict[str, Figures]
    overall: Figures
    targets: TargetPack
    trust: TrustStore
    started: dt.datetime
    finished: dt.datetime
    run_id: int | None = None
    db_url: str | None = None
    notes: tuple[Message, ...] = field(default_factory=tuple)
    documents_evaluated: int = 0
    """Distinct files opened and judged in this run."""
    documents_reused: int = 0
    """Distinct files whose stored evidence was reused (incremental scan, ``cache=``)."""
    report: "AuditReport | None" = field(default=None, compare=False, repr=False)
    """The report stored with the run (once it is stored)."""
    revocation: Mapping[str, Any] | None = None
    """Online revocation (``--online``): the report's ``revocation`` object; ``None`` offline."""

    @property
    def meets_targets(self) -> bool:
        """True unless some agency with entries misses a target."""
        return all(f.meets_targets is not False for f in self.agencies.values())


def run_plan(
    plan: ScanPlan,
    progress: Callable[[int, int], None] | None = None,
    cache: "EvidenceCache | None" = None,
    into: EntrySink | None = None,
) -> ScanResult:
    """Judge every in-scope entry of ``plan``; with ``into``, write the entries to that run as they
    come (its caller finishes the run: several scans may write into one, ``docaudit audit``)."""
    options, engine = plan.options, plan.engine
    offset = into.written if into is not None else 0
    results: list[EntryResult] = []
    batch: list[EntryResult] = []
    stats: dict[str, int] = {}
    share = Sharing()
    judged: list[EntryResult] = []

    def apply_rules() -> None:
        nonlocal batch
        for result in _apply_document_rules(engine, judged, cache, plan.settings):
            results.append(share.result(result))  # slimmed and shared
            if into is not None:
                batch.append(results[-1])
                if len(batch) == BATCH_SIZE:
                    into.write(batch)
                    batch = []
        judged.clear()

    for found in evaluate(options.root, plan.selection.entries, plan.settings, tuple(plan.trust.sources),
                          options.jobs, progress, cache=cache, stats=stats, limits=options.limits,
                          trust_packs=plan.trust.spec[1]):
        judged.append(found)  # document rules need the facts: applied a few entries at a time
        if len(judged) == RULES_CHUNK:
            apply_rules()
    apply_rules()
    if cache is not None:
        cache.flush()  # the findings of the last entries
    if into is not None:
        into.write(batch)
    # rules over the whole register (numbering gaps, duplicates) look at register rows only
    attach = (lambda index, extra: into.attach(offset + index, extra)) if into is not None else None
    entries = engine.with_register_findings(results, attach, plan.register)
    agencies, overall = per_agency(entries, plan.selection.excluded, plan.targets)
    online = plan.settings.online  # online revocation (issue 16 item 4): the sources that failed, the summary
    return ScanResult(
        options=options, register=plan.register, selection=plan.selection, results=entries,
        agencies=agencies, overall=overall, targets=plan.targets, trust=plan.trust,
        started=plan.started, finished=dt.datetime.now(dt.timezone.utc),
        notes=(*plan.notes, *online.notes()) if online is not None else plan.notes,
        documents_evaluated=stats.get("evaluated", 0), documents_reused=stats.get("reused", 0),
        revocation=online.summary() if online is not None else None,
    )


RULES_CHUNK = 200  # entries whose cached document-rule findings are looked up in one query


def _apply_document_rules(
    engine: "RuleEngine", judged: Sequence[EntryResult], cache: "EvidenceCache | None", settings: ValidationSettings,
) -> Iterator[EntryResult]:
    """``judged`` with their document rules' findings: reused from the cache (incremental audit)
    for an unchanged entry on unchanged bytes under the same rules, else evaluated (and offered to
    the cache)."""
    if engine.roles:  # the auditor's role overrides, before any rule, the store or the report
        judged = [replace(found, evidence=engine.assign_roles(found.evidence)) for found in judged]
    if cache is None:
        yield from (engine.apply_document(found) for found in judged)
        return
    rules_key = engine.fingerprint
    known = cache.fetch_findings(judged, settings, rules_key)
    for index, found in enumerate(judged):
        findings = known.get(index)
        if findings is None:
            findings = engine.document_findings(found)
            if found.evidence.status in (FileStatus.PRESENT, FileStatus.UNREADABLE):
                cache.put_findings(found, findings, settings, rules_key)
        yield engine.with_document_findings(found, findings)

