"""The scan: register → evidence → signatures → verdicts → metrics → store.

``scan()`` is the library entry point behind ``docaudit scan``; the CLI only wires options to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from . import __version__
from .errors import UsageError
from .evidence import gather
from .evidence.problems import evidence_findings
from .limits import DEFAULT_LIMITS, DocumentTimeout, Limits, deadline
from .metrics import Figures, per_agency
from .model import EntryResult, Evidence, FileStatus, Period, Register
from .register import Selection, find_register, read_register, select
from .signatures import TrustStore, ValidationSettings, load_trust
from .targets import TargetPack, load_targets

BATCH_SIZE = 200  # results written per transaction: an interrupted scan loses at most one batch

if TYPE_CHECKING:
    from .incremental import EvidenceCache


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
    agencies: tuple[str, ...] = ()
    """Only these agencies (case-insensitive); empty = all (``docaudit audit`` source filter)."""
    rules: Any = None
    """``docaudit.config.RulesConfig`` from ``docaudit.toml`` (``None``: the packs' defaults)."""
    limits: Limits = DEFAULT_LIMITS
    """Per-document size, decompression and time limits (``--max-file-size``, ``--timeout``)."""


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
    documents_evaluated: int = 0
    """Distinct files opened and judged in this run."""
    documents_reused: int = 0
    """Distinct files whose stored evidence was reused (incremental scan, ``cache=``)."""

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


_worker_settings: ValidationSettings | None = None
_worker_limits: Limits = DEFAULT_LIMITS


def _init_worker(trust_paths: tuple[str, ...], validation_time: str | dt.datetime,
                 limits: Limits = DEFAULT_LIMITS) -> None:
    global _worker_settings, _worker_limits
    _worker_settings = ValidationSettings(load_trust(trust_paths), validation_time)
    _worker_limits = limits


def _gather_in_worker(args: tuple[str, str]) -> Evidence:
    root, relative = args
    assert _worker_settings is not None
    return _safe_gather(Path(root), relative, _worker_settings, _worker_limits)


def _timeout_text(seconds: float) -> str:
    return f"{seconds:g}"


def _safe_gather(root: Path, relative: str | None, settings: ValidationSettings,
                 limits: Limits = DEFAULT_LIMITS) -> Evidence:
    """``gather`` with the per-document time limit; never raises.

    The limit is a SIGALRM timer (:func:`docaudit.limits.deadline`) in the process doing the work
    — the main process, or a pool worker (tasks run in a worker's main thread) — so a
    pathological file stops where it is and the next file starts in the same process."""
    try:
        with deadline(limits.doc_timeout_s):
            return gather(root, relative, settings, limits)
    except DocumentTimeout:
        return Evidence(relative, FileStatus.UNREADABLE,
                        reason=f"timeout after {_timeout_text(limits.doc_timeout_s)} s")
    except RecursionError:
        return Evidence(relative, FileStatus.UNREADABLE, reason="structure nested too deeply to be read")
    except MemoryError:
        return Evidence(relative, FileStatus.UNREADABLE, reason="out of memory while reading the file")
    except Exception as exc:  # noqa: BLE001 — last line of defence: one bad file never stops a scan
        return Evidence(relative, FileStatus.UNREADABLE, reason=f"internal error while reading: {type(exc).__name__}: {exc}")


POOL_BATCH = 8  # files per task: fewer round trips to the workers


def _gather_batch(root: str, names: list[str]) -> list[Evidence]:
    return [_gather_in_worker((root, name)) for name in names]


def _pool_gather(root: Path, names: list[str], jobs: int, initargs: tuple) -> Iterator[tuple[str, Evidence]]:
    """Evaluate ``names`` in a process pool, yielding (name, evidence) as batches finish.

    At most two batches per worker are in flight, so that if a worker process dies (a crash
    inside a C library such as PDFium) only those few files are suspects: each is then retried
    alone in a fresh worker, and only the file that kills its worker again is reported
    ``unreadable`` — the scan goes on."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    batches = [names[i : i + POOL_BATCH] for i in range(0, len(names), POOL_BATCH)]
    suspects: list[str] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=initargs) as pool:
        running: dict = {}
        try:
            while batches or running:
                while batches and len(running) < 2 * jobs:
                    running[pool.submit(_gather_batch, str(root), batches[0])] = batches[0]
                    batches.pop(0)  # only once submitted: a broken pool must not lose the batch
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    found = future.result()  # raises BrokenProcessPool if its worker died
                    yield from zip(running.pop(future), found)
        except BrokenProcessPool:
            suspects = [name for batch in running.values() for name in batch] + [n for b in batches for n in b]
    for name in suspects:
        yield name, _isolated(root, name, initargs)


def _isolated(root: Path, name: str, initargs: tuple) -> Evidence:
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=initargs) as pool:
        try:
            return pool.submit(_gather_batch, str(root), [name]).result()[0]
        except BrokenProcessPool:
            return Evidence(name, FileStatus.UNREADABLE,
                            reason="the PDF/DOCX reader crashed on this file (its worker process died)")


def evaluate(
    root: Path,
    entries: Sequence,
    settings: ValidationSettings,
    trust_paths: tuple[str, ...] = (),
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cache: "EvidenceCache | None" = None,
    stats: dict[str, int] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[EntryResult]:
    """Yield one result per entry, in register order. Each distinct file is opened once.

    With a ``cache`` (incremental scan), files whose bytes and settings match an earlier run are
    not parsed again; ``stats`` receives ``evaluated`` and ``reused`` counts of distinct files."""
    files = list(dict.fromkeys(e.file.strip() for e in entries if e.file and e.file.strip()))
    evidence: dict[str, Evidence] = {}
    done = 0
    todo, digests = files, {}
    if cache is not None:
        evidence, todo, digests = _reuse_cached(root, files, settings, cache, limits.max_file_bytes)
        done = len(evidence)
        if progress and done:
            progress(done, len(files))
    # A process pool costs ~1 s to start (each worker imports pyHanko): worth it only for larger folders.
    if jobs > 1 and len(todo) >= 32:
        for name, found in _pool_gather(root, todo, jobs, (trust_paths, settings.validation_time, limits)):
            evidence[name] = found
            _remember(cache, found, digests.get(name), settings)
            done += 1
            if progress:
                progress(done, len(files))
    else:
        for name in todo:
            evidence[name] = _safe_gather(root, name, settings, limits)
            _remember(cache, evidence[name], digests.get(name), settings)
            done += 1
            if progress:
                progress(done, len(files))
    _count_evaluated(cache, stats, evidence, todo, len(files) - len(todo))
    for entry in entries:
        key = entry.file.strip() if entry.file and entry.file.strip() else None
        found = evidence[key] if key else Evidence(None, FileStatus.NONE)
        yield EntryResult(entry, found, evidence_findings(found))


# --------------------------------------------------------------------------- incremental scans
# The cache (docaudit.incremental) keys stored Evidence on the file's SHA-256 and the settings; the
# bytes are hashed here (cheap) so that a hit skips parsing and signature validation entirely.


def _file_digest(root: Path, relative: str, max_bytes: int = DEFAULT_LIMITS.max_file_bytes) -> str | None:
    """SHA-256 of a regular file inside the root; ``None`` for anything ``gather`` would refuse,
    miss or fail to read (those are re-checked every run: it costs nothing)."""
    from .evidence import confine

    confined = confine(root, relative)
    if confined.path is None:
        return None
    try:
        if not confined.path.is_file() or confined.path.stat().st_size > max_bytes:
            return None
        digest = hashlib.sha256()
        with confined.path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _reuse_cached(
    root: Path, files: Sequence[str], settings: ValidationSettings, cache: "EvidenceCache",
    max_bytes: int = DEFAULT_LIMITS.max_file_bytes,
) -> tuple[dict[str, Evidence], list[str], dict[str, str]]:
    """(evidence reused from the cache, files still to evaluate, file → SHA-256)."""
    from concurrent.futures import ThreadPoolExecutor

    # hashlib releases the GIL on large buffers: a few threads read and hash in parallel
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) + 2)) as pool:
        found_digests = list(pool.map(lambda name: _file_digest(root, name, max_bytes), files, chunksize=16))
    digests = {name: d for name, d in zip(files, found_digests) if d is not None}
    found = cache.fetch(set(digests.values()), settings)
    reused: dict[str, Evidence] = {}
    todo: list[str] = []
    for name in files:
        hit = found.get(digests.get(name, ""))
        if hit is not None:
            reused[name] = replace(hit, path=name)
        else:
            todo.append(name)
    return reused, todo, digests


def _remember(
    cache: "EvidenceCache | None", evidence: Evidence, digest: str | None, settings: ValidationSettings
) -> None:
    """Offer freshly evaluated evidence to the cache — only if it is of the very bytes hashed
    before (the file did not change in between) and came from the parsers, not a crash."""
    if cache is not None and digest is not None and evidence.sha256 == digest:
        cache.put(evidence, settings)


def _count_evaluated(
    cache: "EvidenceCache | None", stats: dict[str, int] | None, evidence: Mapping[str, Evidence],
    todo: Sequence[str], reused: int,
) -> None:
    if cache is not None:
        cache.flush()
    if stats is not None:
        opened = (FileStatus.PRESENT, FileStatus.UNREADABLE)
        stats["evaluated"] = sum(1 for name in todo if evidence[name].status in opened)
        stats["reused"] = reused


def _only_agencies(register: Register, selection: Selection, agencies: Sequence[str]) -> tuple[Register, Selection]:
    """Keep the entries, exclusions and row errors of ``agencies`` only (case-insensitive)."""
    if not agencies:
        return register, selection
    wanted = {a.strip().casefold() for a in agencies}

    def keep(name: str | None) -> bool:
        return name is not None and name.strip().casefold() in wanted

    register = replace(register, errors=tuple(e for e in register.errors if e.agency is None or keep(e.agency)))
    selection = replace(
        selection,
        entries=tuple(e for e in selection.entries if keep(e.agency)),
        excluded={k: v for k, v in selection.excluded.items() if keep(k)},
        duplicates=tuple(pair for pair in selection.duplicates if keep(pair[0].agency)),
    )
    return register, selection


# --------------------------------------------------------------------------- the scan


def scan(
    options: ScanOptions,
    progress: Callable[[int, int], None] | None = None,
    cache: "EvidenceCache | None" = None,
) -> ScanResult:
    """Run a whole scan. Raises a :class:`DocauditError` subclass for usage/config problems
    (before any file is read); bad rows and bad files are reported in the result instead.

    ``cache`` (a :class:`docaudit.incremental.EvidenceCache`) makes the scan incremental."""
    from .store import Store, default_db_url

    started = dt.datetime.now(dt.timezone.utc)
    root = options.root
    if not root.is_dir():
        raise UsageError(f"audit root {root}: no such folder")
    if options.jobs < 1:
        raise UsageError(f"--jobs: expected a positive number, got {options.jobs}")
    if options.limits.max_file_bytes < 1:
        raise UsageError(f"--max-file-size: expected a positive size, got {options.limits.max_file_bytes}")
    targets = load_targets(options.targets)
    trust = load_trust(options.trust)
    register_path = options.register or find_register(root)
    register = read_register(register_path)
    selection = select(register, options.period)
    register, selection = _only_agencies(register, selection, options.agencies)
    settings = ValidationSettings(trust, options.validation_time)
    engine = rule_engine(options)

    notes: list[str] = []
    if trust.empty:
        notes.append("no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'")

    stats: dict[str, int] = {}
    results = tuple(
        evaluate(root, selection.entries, settings, tuple(trust.sources), options.jobs, progress,
                 cache=cache, stats=stats, limits=options.limits)
    )
    results = engine.apply(results)
    agencies, overall = per_agency(results, selection.excluded, targets)
    finished = dt.datetime.now(dt.timezone.utc)
    result = ScanResult(
        options=options, register=register, selection=selection, results=results,
        agencies=agencies, overall=overall, targets=targets, trust=trust,
        started=started, finished=finished, notes=tuple(notes),
        documents_evaluated=stats.get("evaluated", 0), documents_reused=stats.get("reused", 0),
    )
    if not options.store:
        return result

    url, note = (options.db_url, None) if options.db_url else default_db_url(root)
    if note:
        notes.append(note)
    with Store.open(url) as store:
        return store_result(_with(result, notes=tuple(notes)), store, url, str(register_path))


def rule_engine(options: ScanOptions):
    """The rule engine a scan applies: the packs, narrowed by ``options.rules`` (docaudit.toml
    ``[rules]`` or ``--select/--ignore``). Built before any file is read, so a bad pack or
    selector fails fast (exit 2)."""
    from .rules import RuleEngine, RuleSelection

    return RuleEngine(selection=RuleSelection.from_config(options.rules))


def store_result(
    result: ScanResult,
    store: Any,
    url: str,
    register_path: str | None = None,
    report: Callable[[ScanResult], Mapping[str, Any]] | None = None,
) -> ScanResult:
    """Record ``result`` as one run in the open ``store`` and return it with its ``run_id``.
    ``report`` builds the stored JSON report (default: the CONTRACT §6 report)."""
    from .report.json_report import build_report

    options = result.options
    run_id = store.start_run(
        root=str(options.root), register_path=register_path or result.register.source,
        period_start=options.period.start, period_end=options.period.end,
        targets=result.targets.as_json(), trust_fingerprint=result.trust.fingerprint,
        validation_time=str(options.validation_time), tool_version=__version__,
    )
    store.save_row_errors(run_id, result.register.errors)
    for start in range(0, len(result.results), BATCH_SIZE):
        store.save_results(run_id, result.results[start : start + BATCH_SIZE])
    result = _with(result, run_id=run_id, db_url=url)
    store.finish_run(run_id, (report or build_report)(result))
    return result


def _with(result: ScanResult, **changes) -> ScanResult:
    from dataclasses import replace

    return replace(result, **changes)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
