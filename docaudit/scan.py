"""The scan: register → evidence → signatures → verdicts → metrics → store.

``scan()`` is the library entry point behind ``docaudit scan``; the CLI only wires options to it.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import __version__
from .errors import UsageError
from .evidence import gather
from .metrics import Figures, per_agency
from .model import EntryResult, Evidence, FileStatus, Finding, Period, Register, Severity
from .register import Selection, find_register, read_register, select
from .signatures import TrustStore, ValidationSettings, load_trust
from .targets import TargetPack, load_targets

BATCH_SIZE = 200  # results written per transaction: an interrupted scan loses at most one batch


@dataclass(frozen=True)
class ScanOptions:
    root: Path
    register: Path | None = None
    trust: tuple[str, ...] = ()
    period: Period = Period()
    targets: str | None = None
    db_url: str | None = None
    jobs: int = 1
    validation_time: str | dt.datetime = "signing"
    store: bool = True


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
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def meets_targets(self) -> bool:
        """True unless some agency with entries misses a target."""
        return all(f.meets_targets is not False for f in self.agencies.values())


def parse_validation_time(text: str) -> str | dt.datetime:
    value = text.strip().lower()
    if value in ("signing", "now"):
        return value
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--validation-time: '{text}' is not 'signing', 'now' or an ISO date (e.g. 2021-06-30)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------- evaluation


def _findings(evidence: Evidence) -> tuple[Finding, ...]:
    """Evidence problems the report lists per entry (the rule packs of later issues add more)."""
    rule = {
        FileStatus.OUTSIDE_ROOT: "path-outside-root",
        FileStatus.MISSING: "file-missing",
        FileStatus.UNREADABLE: "file-unreadable",
    }.get(evidence.status)
    if rule is None:
        return ()
    return (Finding(rule, Severity.ERROR, f"{evidence.path}: {evidence.reason}"),)


_worker_settings: ValidationSettings | None = None


def _init_worker(trust_paths: tuple[str, ...], validation_time: str | dt.datetime) -> None:
    global _worker_settings
    _worker_settings = ValidationSettings(load_trust(trust_paths), validation_time)


def _gather_in_worker(args: tuple[str, str]) -> Evidence:
    root, relative = args
    assert _worker_settings is not None
    return _safe_gather(Path(root), relative, _worker_settings)


def _safe_gather(root: Path, relative: str | None, settings: ValidationSettings) -> Evidence:
    try:
        return gather(root, relative, settings)
    except Exception as exc:  # noqa: BLE001 — last line of defence: one bad file never stops a scan
        return Evidence(relative, FileStatus.UNREADABLE, reason=f"internal error while reading: {type(exc).__name__}: {exc}")


def evaluate(
    root: Path,
    entries: Sequence,
    settings: ValidationSettings,
    trust_paths: tuple[str, ...] = (),
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[EntryResult]:
    """Yield one result per entry, in register order. Each distinct file is opened once."""
    files = list(dict.fromkeys(e.file.strip() for e in entries if e.file and e.file.strip()))
    evidence: dict[str, Evidence] = {}
    done = 0
    # A process pool costs ~1 s to start (each worker imports pyHanko): worth it only for larger folders.
    if jobs > 1 and len(files) >= 32:
        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker, initargs=(trust_paths, settings.validation_time)
        ) as pool:
            for name, found in zip(files, pool.map(_gather_in_worker, [(str(root), f) for f in files], chunksize=8)):
                evidence[name] = found
                done += 1
                if progress:
                    progress(done, len(files))
    else:
        for name in files:
            evidence[name] = _safe_gather(root, name, settings)
            done += 1
            if progress:
                progress(done, len(files))
    for entry in entries:
        key = entry.file.strip() if entry.file and entry.file.strip() else None
        found = evidence[key] if key else Evidence(None, FileStatus.NONE)
        yield EntryResult(entry, found, _findings(found))


# --------------------------------------------------------------------------- the scan


def scan(options: ScanOptions, progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Run a whole scan. Raises a :class:`DocauditError` subclass for usage/config problems
    (before any file is read); bad rows and bad files are reported in the result instead."""
    from .report.json_report import build_report
    from .store import Store, default_db_url

    started = dt.datetime.now(dt.timezone.utc)
    root = options.root
    if not root.is_dir():
        raise UsageError(f"audit root {root}: no such folder")
    if options.jobs < 1:
        raise UsageError(f"--jobs: expected a positive number, got {options.jobs}")
    targets = load_targets(options.targets)
    trust = load_trust(options.trust)
    register_path = options.register or find_register(root)
    register = read_register(register_path)
    selection = select(register, options.period)
    settings = ValidationSettings(trust, options.validation_time)

    notes: list[str] = []
    if trust.empty:
        notes.append("no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'")

    results = tuple(
        evaluate(root, selection.entries, settings, tuple(trust.sources), options.jobs, progress)
    )
    agencies, overall = per_agency(results, selection.excluded, targets)
    finished = dt.datetime.now(dt.timezone.utc)
    result = ScanResult(
        options=options, register=register, selection=selection, results=results,
        agencies=agencies, overall=overall, targets=targets, trust=trust,
        started=started, finished=finished, notes=tuple(notes),
    )
    if not options.store:
        return result

    url, note = (options.db_url, None) if options.db_url else default_db_url(root)
    if note:
        notes.append(note)
    with Store.open(url) as store:
        run_id = store.start_run(
            root=str(root), register_path=str(register_path),
            period_start=options.period.start, period_end=options.period.end,
            targets=targets.as_json(), trust_fingerprint=trust.fingerprint,
            validation_time=str(options.validation_time), tool_version=__version__,
        )
        store.save_row_errors(run_id, register.errors)
        for start in range(0, len(results), BATCH_SIZE):
            store.save_results(run_id, results[start : start + BATCH_SIZE])
        result = _with(result, run_id=run_id, db_url=url, notes=tuple(notes))
        store.finish_run(run_id, build_report(result))
    return result


def _with(result: ScanResult, **changes) -> ScanResult:
    from dataclasses import replace

    return replace(result, **changes)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
