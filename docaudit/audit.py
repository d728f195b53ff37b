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
from typing import Any, Callable

from . import __version__
from .baseline import Baseline, load_baseline
from .config import AuditConfig
from .errors import ConfigError, OptionError, RegisterError, TrustError, UsageError
from .incremental import EvidenceCache, rules_fingerprint
from .outputs import check_outputs
from .periods import today as local_today
from .pipeline.build import build_audit_report, source_runs
from .pipeline.report import AuditReport, RunInfo
from .rules import pack_fingerprint, pack_summary
from .text import Message, message
from .pipeline.merge import merge, merged_errors
from .pipeline.options import ScanOptions, default_jobs
from .pipeline.plan import ScanPlan, prepare_scan
from .pipeline.run import ScanResult, run_plan
from .scan import finish_scan
from .store import RunWriter, Store, locate


@dataclass(frozen=True)
class AuditRun:
    """A finished audit: its configuration and its report (what every output renders)."""

    config: AuditConfig
    report: AuditReport
    """The stored report: the scans of every source, the run object and the baseline's statuses."""
    written: tuple[tuple[str, Path], ...] = ()

    @property
    def run_id(self) -> int | None:
        return self.report.run_id

    @property
    def meets_targets(self) -> bool:
        return self.report.meets_targets

    @property
    def missed_agencies(self) -> list[str]:
        return self.report.missed_agencies

    @property
    def new_errors(self) -> int:
        return self.report.new_errors

    @property
    def accepted(self) -> int:
        return self.report.baseline.accepted if self.report.baseline else 0

    @property
    def exit_ok(self) -> bool:
        """Every agency meets its targets and no error-level finding is new."""
        return self.meets_targets and self.new_errors == 0

    @property
    def finished(self) -> dt.datetime:
        return self.report.finished

    @property
    def db_url(self) -> str | None:
        return self.report.stored_in

    @property
    def notes(self) -> tuple[Message | str, ...]:
        return self.report.notes

    @property
    def documents_evaluated(self) -> int:
        return self.report.run.documents_evaluated if self.report.run else 0

    @property
    def documents_reused(self) -> int:
        return self.report.run.documents_reused if self.report.run else 0


# --------------------------------------------------------------------------- the report


def run_info(config: AuditConfig, result: ScanResult, sources: list[ScanResult]) -> RunInfo:
    """The run object of an audit's report: what it was computed from."""
    return RunInfo(
        id=result.run_id, command="audit", started=result.started, finished=result.finished,
        tool_version=__version__,
        rule_pack={"fingerprint": pack_fingerprint(), "rules_config": config.rules.fingerprint,
                   "combined": rules_fingerprint(config.rules),
                   "packs": pack_summary()["packs"]},  # each pack's name and version
        trust_fingerprint=result.trust.fingerprint, validation_time=str(config.validation_time),
        config_hash=config.hash, config_file=str(config.path) if config.path else None,
        period_label=config.period.label, documents_evaluated=result.documents_evaluated,
        documents_reused=result.documents_reused, sources=source_runs(config.sources, sources),
    )


def audit_report(
    config: AuditConfig, result: ScanResult, sources: list[ScanResult], baseline: Baseline, today: dt.date
) -> AuditReport:
    return build_audit_report(result, sources, run_info(config, result, sources), config.period.label, baseline, today)


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
    today = today or local_today()
    check_outputs(config)
    baseline_path = config.baseline_path
    if config.baseline is not None and not baseline_path.is_file():
        raise ConfigError(f"{config.path or 'baseline'}: key 'baseline': no such file: {baseline_path}")
    baseline = load_baseline(baseline_path) if baseline_path.is_file() else Baseline()

    def options_for(source) -> ScanOptions:
        return ScanOptions(
            root=source.root, register=source.register, trust=config.trust, trust_packs=config.trust_packs,
            period=config.period.period,
            targets=config.targets, db_url=None, jobs=config.jobs or default_jobs(),
            validation_time=config.validation_time, store=False, agencies=source.agencies, rules=config.rules,
            limits=config.limits, profile=source.profile, crypto_policy=config.crypto_policy,
            online=config.online, online_timeout=config.online_timeout,
        )

    # every source's register, trust roots and rules are read before the first document: a bad
    # source fails the audit at once, before any run is recorded
    plans = [_prepare(config, index, options_for(source)) for index, source in enumerate(config.sources, 1)]
    online = plans[0].settings.online if plans else None
    if online is not None:  # online revocation (issue 16 item 4): one resolver, each address fetched once per run
        plans = [replace(p, settings=replace(p.settings, online=online)) for p in plans]

    def scan_all(cache: EvidenceCache | None, into: RunWriter | None = None) -> list[ScanResult]:
        results = []
        for source, plan in zip(config.sources, plans):
            if progress is not None and hasattr(progress, "stage"):
                progress.stage(source.name or (source.root.name if len(config.sources) > 1 else ""))
            results.append(run_plan(plan, progress=progress, cache=cache, into=into))
        return results

    names = [source.name for source in config.sources]  # they name the registers' rows
    if not store:
        sources = scan_all(None)
        return AuditRun(config, audit_report(config, merge(sources, names), sources, baseline, today))

    url, location_note = locate(config=config, create=True)
    with Store.open(url) as db:
        if online is not None:  # online revocation: fetched CRLs and OCSP responses kept here
            online.cache = db
        cache = EvidenceCache(db, config.rules, refresh=refresh, rehash=rehash or config.rehash)
        writer = _start_run(db, plans, names)  # every source's entries stream into this one run
        sources = scan_all(cache, writer)
        merged = merge(sources, names)
        if location_note:
            merged = replace(merged, notes=(*merged.notes, location_note))
        _stored, report = finish_scan(
            merged, writer, url, report=lambda result: audit_report(config, result, sources, baseline, today))
        try:
            db.prune_evidence_cache()
        except Exception as exc:  # noqa: BLE001 - housekeeping must never fail an audit
            if note:
                note(f"could not prune the evidence cache: {exc}")
    return AuditRun(config, report)


def _prepare(config: AuditConfig, index: int, options: ScanOptions) -> ScanPlan:
    """``prepare_scan`` for the ``index``-th source; an error it raises names the config file and
    the key it comes from (the same error from command-line options is left as it is)."""
    try:
        return prepare_scan(options)
    except (RegisterError, TrustError, OptionError) as exc:
        if config.path is None:
            raise
        if isinstance(exc, RegisterError):
            key = f"source[{index}].register" if config.sources[index - 1].register else f"source[{index}].root"
            detail = message("register.in-config", config=str(config.path), key=key, problem=exc.detail or str(exc))
            raise RegisterError(detail=detail) from None  # in the user's language, as the register said it
        if isinstance(exc, TrustError):
            key, problem = "trust_packs" if "trust pack" in str(exc) else "trust", str(exc)
        elif exc.option == "agencies":
            key, problem = f"source[{index}].agencies", str(exc)
        elif exc.option == "--select/--ignore":  # the command-line name means nothing in the file
            key, problem = "rules.select/rules.ignore", exc.problem
        else:
            raise
        kind = UsageError if isinstance(exc, OptionError) else type(exc)  # as before: exit 2, one line
        raise kind(f"{config.path}: key '{key}': {problem}") from None


def _start_run(store: Any, plans: list[ScanPlan], names: list[str | None]) -> RunWriter:
    """The run of an audit: described as the first source (its root, targets, trust), with every
    source's register path and row errors."""
    writer = RunWriter.start(store, **plans[0].run_fields("; ".join(p.register.source for p in plans)))
    writer.save_row_errors(merged_errors([p.register for p in plans], names))
    return writer


__all__ = ["AuditRun", "audit_report", "merge", "run_audit"]
