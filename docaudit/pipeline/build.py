"""From a scan's results to the :class:`~docaudit.pipeline.report.AuditReport` every output reads.

The last step of the pipeline: the scan's entry results (register entry + evidence + findings)
become report entries, the figures and the header are copied in, and an audit adds its run
object, its sources and the baseline's status of every finding (a pure function of the findings,
:func:`docaudit.baseline.judge`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple, Sequence

from .. import __version__
from ..baseline import Baseline, BaselineStatus, judge
from ..metrics import counts_paperless, counts_via_software, why_not_counted
from ..model import EntryResult, Finding, RowError, SignatureReport
from ..rules import pack_summary
from ..signatures.crypto_policy import load_crypto_policy
from ..targets import TargetPack
from .merge import register_labels
from .report import (
    AuditReport, ReportDuplicate, ReportEntry, ReportFinding, ReportPeriod, ReportRowError, RunInfo, SourceRun, Targets,
    TargetSpec,
)

if TYPE_CHECKING:
    from .run import ScanResult


class _Findings:
    """Report findings made once per distinct (finding, baseline status): the scan shares equal
    findings between entries (:class:`~docaudit.pipeline.sharing.Sharing`), and so does the report
    (each one's text rendered once, in both languages)."""

    def __init__(self) -> None:
        self._made: dict[tuple[Finding, BaselineStatus | None], ReportFinding] = {}

    def __call__(self, finding: Finding, status: BaselineStatus | None = None) -> ReportFinding:
        key = (finding, status)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = ReportFinding(finding.rule, finding.severity, finding.text("vi"),
                                                   finding.text("en"), finding.reference, status)
        return made


_REPORTED: dict[SignatureReport, SignatureReport] = {}


def reported_signature(signature: SignatureReport) -> SignatureReport:
    """``signature`` as the report holds it: what its JSON says (no key usage, no revision number),
    so that a report read back from its JSON is the same object. Made once per distinct signature."""
    if not signature.key_usage and signature.revision is None:
        return signature
    made = _REPORTED.get(signature)
    if made is None:
        if len(_REPORTED) > 100_000:  # bounded: a long-lived process (docaudit serve) never grows it
            _REPORTED.clear()
        made = _REPORTED[signature] = replace(signature, key_usage=(), revision=None)
    return made


def report_entry(result: EntryResult, findings: tuple[ReportFinding, ...], source: int | None = None,
                 root: str | None = None, register: str | None = None) -> ReportEntry:
    entry, evidence = result.entry, result.evidence
    return ReportEntry(
        row=entry.row, agency=entry.agency, direction=entry.direction, number=entry.number,
        doc_type=entry.doc_type, date=entry.date, subject=entry.subject, channel=entry.channel,
        via_system=entry.via_system, file=evidence.path, file_status=evidence.status, file_reason=evidence.reason,
        kind=evidence.kind, sha256=evidence.sha256, image_only=evidence.image_only,
        verdict=result.verdict if result.verdict and evidence.present else None,
        counts_via_software=counts_via_software(result), counts_paperless=counts_paperless(result),
        not_counted=why_not_counted(result),
        signatures=tuple(map(reported_signature, evidence.verdict.signatures)) if evidence.verdict else (),
        findings=findings, source=source, root=root, register=register,
    )


class _EntryKey(NamedTuple):
    """What the baseline matches a finding's entry on."""

    agency: str
    number: str
    sha256: str | None
    file: str | None


def report_row_error(error: RowError) -> ReportRowError:
    return ReportRowError(error.row, error.agency, error.text("en"), error.text("vi"), error.register)


def report_targets(pack: TargetPack) -> Targets:
    def spec(target) -> TargetSpec:
        return TargetSpec(target.op, target.threshold, target.denominator)

    return Targets(pack.id, pack.version, spec(pack.via_software), spec(pack.paperless))


def build_report(result: "ScanResult") -> AuditReport:
    """The report of one scan (``docaudit scan``)."""
    made = _Findings()
    entries = tuple(report_entry(r, tuple(made(f) for f in r.findings)) for r in result.results)
    return _report(result, entries)


def _report(result: "ScanResult", entries: tuple[ReportEntry, ...], **audit: Any) -> AuditReport:
    period = result.options.period
    return AuditReport(
        tool_version=__version__, run_id=result.run_id, started=result.started, finished=result.finished,
        root=str(result.options.root), register=result.register.source,
        period=ReportPeriod(period.start, period.end, audit.pop("period_label", None)),
        targets=report_targets(result.targets), rule_pack=pack_summary(), trust_fingerprint=result.trust.fingerprint,
        trust_certificates=tuple(result.trust.describe()), trust_packs=tuple(result.trust.describe_packs()),
        validation_time=str(result.options.validation_time),
        agencies=dict(result.agencies), overall=result.overall, entries=entries,
        row_errors=tuple(report_row_error(e) for e in result.register.errors),
        duplicates=audit.pop("duplicates") if "duplicates" in audit else tuple(
            ReportDuplicate(dropped.row, kept.row) for dropped, kept in result.selection.duplicates),
        notes=tuple(result.notes), stored_in=result.db_url,
        crypto_policy=load_crypto_policy(result.options.crypto_policy).describe(), revocation=result.revocation,
        **audit,
    )


def build_audit_report(
    result: "ScanResult",
    sources: Sequence["ScanResult"],
    run: RunInfo,
    period_label: str,
    baseline: Baseline,
    today: dt.date,
) -> AuditReport:
    """The report of an audit (``docaudit audit``): the merged scan's report with the audit's run
    object, each entry's source (several sources), and the baseline's status of every finding
    (judged first, so each report entry is made once)."""
    keys = [_EntryKey(r.entry.agency, r.entry.number, r.evidence.sha256, r.evidence.path) for r in result.results]
    statuses, summary = judge(((key, f) for key, r in zip(keys, result.results) for f in r.findings), baseline, today)
    if len(sources) > 1:
        # each entry's source, its folder and the name its register's rows go by
        labels = register_labels([s.register.source for s in sources], [s.name for s in run.sources])
        origin = [(number, str(source.options.root), label)
                  for number, (source, label) in enumerate(zip(sources, labels)) for _ in source.results]
        extra: dict[str, Any] = {
            "sources": tuple((str(s.options.root), s.register.source) for s in sources),
            "duplicates": tuple(ReportDuplicate(dropped.row, kept.row, label) for source, label in zip(sources, labels)
                                for dropped, kept in source.selection.duplicates),
        }
    else:
        origin, extra = [(None, None, None)] * len(result.results), {}
    made, marks = _Findings(), iter(statuses)
    entries = tuple(report_entry(r, tuple(made(f, next(marks)) for f in r.findings), number, root, label)
                    for r, (number, root, label) in zip(result.results, origin))
    return _report(result, entries, period_label=period_label, run=run, baseline=summary, **extra)


def source_runs(config_sources: Sequence, sources: Sequence["ScanResult"]) -> tuple[SourceRun, ...]:
    return tuple(
        SourceRun(s.name, str(s.root), r.register.source, tuple(s.agencies), r.documents_evaluated, r.documents_reused)
        for s, r in zip(config_sources, sources)
    )
