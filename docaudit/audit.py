"""``docaudit audit``: the scheduled audit — every configured source, incrementally, stored as one
run, with the baseline applied and every configured output written.

    config = load_config("docaudit.toml")
    with progress_reporter() as progress:
        run = run_audit(config, progress=progress)
    run.exit_ok      # every agency meets its targets and no new error-level finding

The library never exits; ``docaudit.commands.audit`` maps :attr:`AuditRun.exit_ok` to 0/1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from . import __version__
from .baseline import Baseline, BaselineSummary, apply_baseline, load_baseline
from .config import REPORT_FORMATS, AuditConfig
from .errors import ConfigError, OptionError, RegisterError, TrustError, UsageError
from .metrics import per_agency
from .model import Register, RowError
from .periods import today as local_today
from .register import ExclusionCounts, Selection
from .outputs import check_outputs, render_output, write_outputs  # noqa: F401 - also offered here
from .scan import ScanOptions, ScanPlan, ScanResult, default_jobs, finish_scan, prepare_scan, run_plan

if TYPE_CHECKING:
    from .store import RunWriter



@dataclass(frozen=True)
class AuditRun:
    config: AuditConfig
    result: ScanResult
    """All sources together (one source: exactly its scan)."""
    report: dict[str, Any]
    """The stored JSON report: CONTRACT §6 + ``run`` + ``baseline``."""
    baseline: BaselineSummary
    sources: tuple[ScanResult, ...]
    written: tuple[tuple[str, Path], ...] = ()

    @property
    def run_id(self) -> int | None:
        return self.result.run_id

    @property
    def meets_targets(self) -> bool:
        return self.result.meets_targets

    @property
    def new_errors(self) -> int:
        return self.baseline.new_errors

    @property
    def exit_ok(self) -> bool:
        return self.meets_targets and self.new_errors == 0

    @property
    def accepted(self) -> int:
        return self.baseline.accepted

    @property
    def missed_agencies(self) -> list[str]:
        return sorted(name for name, f in self.result.agencies.items() if f.meets_targets is False)

    @property
    def finished(self) -> dt.datetime:
        return self.result.finished

    @property
    def db_url(self) -> str | None:
        return self.result.db_url

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self.result.notes)

    @property
    def register_source(self) -> str:
        return self.result.register.source

    @property
    def row_errors(self) -> tuple[tuple[int, str], ...]:
        return tuple((e.row, e.reason) for e in self.result.register.errors)

    @property
    def documents_evaluated(self) -> int:
        return sum(s.documents_evaluated for s in self.sources)

    @property
    def documents_reused(self) -> int:
        return sum(s.documents_reused for s in self.sources)


# --------------------------------------------------------------------------- merging sources


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
    )


def merged_errors(registers: list[Register]) -> tuple[RowError, ...]:
    """The row errors of several registers, each reason prefixed with its register's file name
    (one register: its errors as they are)."""
    if len(registers) == 1:
        return registers[0].errors
    return tuple(replace(e, reason=f"{Path(r.source).name}: {e.reason}") for r in registers for e in r.errors)


# --------------------------------------------------------------------------- the report


def _run_object(config: AuditConfig, result: ScanResult, sources: list[ScanResult]) -> dict[str, Any]:
    from .incremental import rules_fingerprint
    from .rules import pack_fingerprint, pack_summary

    return {
        "id": result.run_id,
        "command": "audit",
        "started": result.started.isoformat(),
        "finished": result.finished.isoformat(),
        "tool": {"name": "docaudit", "version": __version__},
        "rule_pack": {"fingerprint": pack_fingerprint(), "rules_config": config.rules.fingerprint,
                      "combined": rules_fingerprint(config.rules),
                      "packs": pack_summary()["packs"]},  # each pack's name and version
        "trust_fingerprint": result.trust.fingerprint,
        "validation_time": str(config.validation_time),
        "config_hash": config.hash,
        "config_file": str(config.path) if config.path else None,
        "period_label": config.period.label,
        "documents_evaluated": result.documents_evaluated,
        "documents_reused": result.documents_reused,
        # always null since replayed audits were removed: kept so that the `run` object of
        # docaudit.report/1 keeps its keys for the readers of earlier reports
        "replay_of": None,
        "sources": [
            {"name": s.name, "root": str(s.root), "register": r.register.source, "agencies": list(s.agencies),
             "documents_evaluated": r.documents_evaluated, "documents_reused": r.documents_reused}
            for s, r in zip(config.sources, sources)
        ],
    }


def build_audit_report(
    config: AuditConfig, result: ScanResult, sources: list[ScanResult], baseline: Baseline, today: dt.date
) -> tuple[dict[str, Any], BaselineSummary]:
    from .report.json_report import build_report

    report = build_report(result)
    report["period"]["label"] = config.period.label
    if len(sources) > 1:
        index = 0
        for number, source in enumerate(sources):
            for _ in source.results:
                report["entries"][index]["source"] = number
                report["entries"][index]["root"] = str(source.options.root)
                index += 1
        report["sources"] = [{"root": str(s.options.root), "register": s.register.source} for s in sources]
    report["run"] = _run_object(config, result, sources)
    summary = apply_baseline(report, baseline, today)
    return report, summary


# --------------------------------------------------------------------------- the run


def run_audit(
    config: AuditConfig,
    *,
    store: bool = True,
    refresh: bool = False,
    rehash: bool = False,
    progress: Any = None,
    today: dt.date | None = None,
    note: Callable[[str], None] | None = None,
) -> AuditRun:
    """Scan every source (reusing cached evidence), store one run, apply the baseline.

    ``store=False`` keeps nothing (and so reuses nothing); ``refresh=True`` evaluates every
    document again and refreshes the cache; ``rehash=True`` (or ``config.rehash``) reads and
    hashes every file, whatever its stat record."""
    from .incremental import EvidenceCache
    from .store import Store, locate

    today = today or local_today()
    check_outputs(config)
    baseline_path = config.baseline_path
    if config.baseline is not None and not baseline_path.is_file():
        raise ConfigError(f"{config.path or 'baseline'}: key 'baseline': no such file: {baseline_path}")
    baseline = load_baseline(baseline_path) if baseline_path.is_file() else Baseline()

    def options_for(source) -> ScanOptions:
        return ScanOptions(
            root=source.root, register=source.register, trust=config.trust, period=config.period.period,
            targets=config.targets, db_url=None, jobs=config.jobs or default_jobs(),
            validation_time=config.validation_time, store=False, agencies=source.agencies, rules=config.rules,
            limits=config.limits,
        )

    # every source's register, trust roots and rules are read before the first document: a bad
    # source fails the audit at once, before any run is recorded
    plans = [_prepare(config, index, options_for(source)) for index, source in enumerate(config.sources, 1)]

    def scan_all(cache: EvidenceCache | None, into: RunWriter | None = None) -> list[ScanResult]:
        results = []
        for source, plan in zip(config.sources, plans):
            if progress is not None and hasattr(progress, "stage"):
                progress.stage(source.name or (source.root.name if len(config.sources) > 1 else ""))
            results.append(run_plan(plan, progress=progress, cache=cache, into=into))
        return results

    def finish(sources: list[ScanResult], holder: dict[str, Any]) -> Callable[[ScanResult], Mapping[str, Any]]:
        def build(result: ScanResult) -> Mapping[str, Any]:
            report, summary = build_audit_report(config, result, sources, baseline, today)
            holder["report"], holder["summary"] = report, summary
            return report

        return build

    holder: dict[str, Any] = {}
    if not store:
        sources = scan_all(None)
        merged = merge(sources)
        finish(sources, holder)(merged)
        return AuditRun(config, merged, holder["report"], holder["summary"], tuple(sources))

    url, location_note = locate(config=config, create=True)
    with Store.open(url) as db:
        cache = EvidenceCache(db, config.rules, refresh=refresh, rehash=rehash or config.rehash)
        writer = _start_run(db, plans)  # every source's entries stream into this one run
        sources = scan_all(cache, writer)
        merged = merge(sources)
        if location_note:
            merged = replace(merged, notes=(*merged.notes, location_note))
        stored = finish_scan(merged, writer, url, report=finish(sources, holder))
        try:
            db.prune_evidence_cache()
        except Exception as exc:  # noqa: BLE001 - housekeeping must never fail an audit
            if note:
                note(f"could not prune the evidence cache: {exc}")
    return AuditRun(config, stored, holder["report"], holder["summary"], tuple(sources))


def _prepare(config: AuditConfig, index: int, options: ScanOptions) -> ScanPlan:
    """``prepare_scan`` for the ``index``-th source; an error it raises names the config file and
    the key it comes from (the same error from command-line options is left as it is)."""
    try:
        return prepare_scan(options)
    except (RegisterError, TrustError, OptionError) as exc:
        if config.path is None:
            raise
        if isinstance(exc, RegisterError):
            key, problem = (f"source[{index}].register" if config.sources[index - 1].register
                            else f"source[{index}].root"), str(exc)
        elif isinstance(exc, TrustError):
            key, problem = "trust", str(exc)
        elif exc.option == "agencies":
            key, problem = f"source[{index}].agencies", str(exc)
        elif exc.option == "--select/--ignore":  # the command-line name means nothing in the file
            key, problem = "rules.select/rules.ignore", exc.problem
        else:
            raise
        kind = UsageError if isinstance(exc, OptionError) else type(exc)  # as before: exit 2, one line
        raise kind(f"{config.path}: key '{key}': {problem}") from None


def _start_run(store: Any, plans: list[ScanPlan]) -> RunWriter:
    """The run of an audit: described as the first source (its root, targets, trust), with every
    source's register path and row errors."""
    from .store import RunWriter

    writer = RunWriter.start(store, **plans[0].run_fields("; ".join(p.register.source for p in plans)))
    writer.save_row_errors(merged_errors([p.register for p in plans]))
    return writer


__all__ = ["AuditRun", "REPORT_FORMATS", "build_audit_report", "check_outputs", "merge", "render_output", "run_audit",
           "write_outputs"]
