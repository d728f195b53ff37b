"""The scan: register → evidence → signatures → verdicts → metrics → store.

``scan()`` is the library entry point behind ``docaudit scan``; the CLI only wires options to it.

A scan streams (issue 6): entry results come out of :func:`evaluate` in register order as their
files are judged; the document rules run on each at once, the entry is slimmed down to what the
report, the figures and the store need (:func:`slim`), and every ``BATCH_SIZE`` entries are
written to the database in one transaction. Only the register-level rules (numbering gaps and
duplicates), the figures and the report wait for the end. So an interrupted scan loses at most
the batch in flight, and memory does not grow with the size of the documents read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterable, Iterator, Mapping, Sequence

from . import __version__
from .errors import OptionError, UsageError
from .evidence.problems import evidence_findings
from .limits import DEFAULT_LIMITS, DocumentTimeout, Limits, deadline
from .metrics import Figures, per_agency
from .model import EntryResult, Evidence, FileStatus, Period, Register, SignatureReport
from .register import Selection, find_register, read_register, select
from .signatures import TrustStore, ValidationSettings, load_trust
from .targets import TargetPack, load_targets

BATCH_SIZE = 200  # results written per transaction: an interrupted scan loses at most one batch
MIN_POOL_FILES = 32  # a process pool costs ~1 s to start (each worker imports pyHanko)
CACHE_CHUNK = 400  # files looked up in the evidence cache at a time, just ahead of the scan

if TYPE_CHECKING:
    from .incremental import EvidenceCache
    from .rules import RuleEngine
    from .store import RunWriter


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
    from .quiet import silence_known_dependency_warnings

    silence_known_dependency_warnings()  # a spawned worker (Windows) has none of the parent's filters
    _worker_settings = ValidationSettings(load_trust(trust_paths), validation_time)
    _worker_limits = limits


def _gather_in_worker(args: tuple[str, str]) -> Evidence:
    root, relative = args
    assert _worker_settings is not None
    return _safe_gather(Path(root), relative, _worker_settings, _worker_limits)


def gather(root: Path, relative: str | None, settings: ValidationSettings,
           limits: Limits = DEFAULT_LIMITS) -> Evidence:
    """:func:`docaudit.evidence.gather`, loaded on first use: an incremental run whose every file
    is reused never loads the PDF and DOCX readers."""
    from .evidence.inspect import gather as gather_file

    return gather_file(root, relative, settings, limits)


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


def _take(items: Iterator[str | Evidence], size: int) -> Generator[tuple[str, Evidence], None, list[str]]:
    """Up to ``size`` names to judge from ``items``. An item is a file to judge (its name as in the
    register) or evidence already known (reused from the cache, ``path`` = the name), which is
    yielded at once, in its place. Fewer than ``size`` names means ``items`` is exhausted."""
    names: list[str] = []
    for item in items:
        if isinstance(item, Evidence):
            yield str(item.path), item
            continue
        names.append(item)
        if len(names) == size:
            break
    return names


def _pool_gather(
    root: Path, items: Iterable[str | Evidence], jobs: int, initargs: tuple
) -> Iterator[tuple[str, Evidence]]:
    """Evaluate ``items`` in a process pool, yielding (name, evidence) as batches finish.

    ``items`` is read lazily, only as far as the pool needs work: the results come out roughly in
    order, and nothing ahead of the pool is held in memory. At most two batches per worker are in
    flight, so that if a worker process dies (a crash inside a C library such as PDFium) only
    those few files are suspects: each is then retried alone in a fresh worker, and only the file
    that kills its worker again is reported ``unreadable``; the other files go on in a new pool."""
    source = iter(items)
    while True:
        suspects = yield from _pool_round(root, source, jobs, initargs)
        if suspects is None:
            return
        for name in suspects:
            yield name, _isolated(root, name, initargs)


def _pool_round(
    root: Path, source: Iterator[str | Evidence], jobs: int, initargs: tuple
) -> Generator[tuple[str, Evidence], None, list[str] | None]:
    """One pool's life: ``None`` when ``source`` is done, else the files in flight when it broke."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    running: dict = {}
    taken: list[str] = []
    exhausted = False
    # workers start on the first submit: a run whose every file is reused never starts one
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=initargs) as pool:
        try:
            while True:
                while not exhausted and len(running) < 2 * jobs:
                    taken = yield from _take(source, POOL_BATCH)
                    exhausted = len(taken) < POOL_BATCH
                    if taken:
                        running[pool.submit(_gather_batch, str(root), taken)] = taken
                    taken = []  # only once submitted: a broken pool must not lose the batch
                if not running:
                    return None
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    found = future.result()  # raises BrokenProcessPool if its worker died
                    yield from zip(running.pop(future), found)
        except BrokenProcessPool:
            return [name for batch in running.values() for name in batch] + taken


def _isolated(root: Path, name: str, initargs: tuple) -> Evidence:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=initargs) as pool:
        try:
            return pool.submit(_gather_batch, str(root), [name]).result()[0]
        except BrokenProcessPool:
            return Evidence(name, FileStatus.UNREADABLE,
                            reason="the PDF/DOCX reader crashed on this file (its worker process died)")


def _file_key(entry: Any) -> str | None:
    return entry.file.strip() if entry.file and entry.file.strip() else None


def _judge(
    root: Path, items: Iterable[str | Evidence], settings: ValidationSettings, trust_paths: tuple[str, ...],
    pool_jobs: int, limits: Limits,
) -> Iterator[tuple[str, Evidence]]:
    """(name, evidence) for every item, roughly in order: in a pool of ``pool_jobs`` workers, or
    here when ``pool_jobs`` is 0."""
    if pool_jobs:
        # evidence reused before the first file to judge needs no pool: a run that reuses every
        # file never creates one (nor loads multiprocessing)
        items = iter(items)
        for item in items:
            if isinstance(item, Evidence):
                yield str(item.path), item
                continue
            yield from _pool_gather(root, itertools.chain([item], items), pool_jobs,
                                    (trust_paths, settings.validation_time, limits))
            return
        return
    for item in items:
        if isinstance(item, Evidence):
            yield str(item.path), item
        else:
            yield item, _safe_gather(root, item, settings, limits)


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
    """Yield one result per entry, in register order, as soon as its file and the files of every
    entry before it have been judged. Each distinct file is opened once; its evidence is kept
    only until the last entry naming it has been yielded, so what is held does not grow with the
    number of documents (only the pool's few batches in flight may wait for a slow file).

    With a ``cache`` (incremental scan), files whose bytes and settings match an earlier run are
    not parsed again; ``stats`` receives ``evaluated`` and ``reused`` counts of distinct files
    once the last result has been yielded."""
    keys = [_file_key(e) for e in entries]
    files = list(dict.fromkeys(k for k in keys if k))
    waiting = Counter(k for k in keys if k)  # entries not yet yielded, per file
    known: dict[str, Evidence] = {}
    lookup = _Lookup(root, settings, cache, limits.max_file_bytes)
    # With a cache this counts reused files too: the pool's workers then start only when the
    # first file misses the cache.
    pool_jobs = jobs if jobs > 1 and len(files) >= MIN_POOL_FILES else 0
    position = 0

    def ready() -> Iterator[EntryResult]:
        nonlocal position
        while position < len(entries) and (keys[position] is None or keys[position] in known):
            entry, key = entries[position], keys[position]
            position += 1
            if key is None:
                found = Evidence(None, FileStatus.NONE)
            else:
                found = known[key]
                waiting[key] -= 1
                if not waiting[key]:
                    del known[key], waiting[key]
            yield EntryResult(entry, found, evidence_findings(found))

    judged = _judge(root, lookup.items(files), settings, trust_paths, pool_jobs, limits)
    for done, (name, found) in enumerate(judged, 1):
        lookup.arrived(name, found)
        known[name] = found
        if progress:
            progress(done, len(files))
        yield from ready()
    yield from ready()  # entries naming no file after the last file
    lookup.close(stats)


# --------------------------------------------------------------------------- incremental scans
# The cache (docaudit.incremental) keys stored Evidence on the file's SHA-256 and the settings; the
# bytes are hashed here (cheap) so that a hit skips parsing and signature validation entirely, and
# a file whose stat record did not change since it was hashed is not even read (docaudit.digests).


class _Lookup:
    """Which files need judging: every file, or, with an evidence cache, those not judged before
    in the same bytes under the same settings.

    The cache is read :data:`CACHE_CHUNK` files at a time just ahead of the scan (never the
    whole corpus's evidence at once); fresh evidence is offered to the cache as it arrives, whole
    (facts included: a later run re-applies the rules to it); evaluated and reused files are
    counted."""

    def __init__(self, root: Path, settings: ValidationSettings, cache: "EvidenceCache | None",
                 max_bytes: int) -> None:
        self.root, self.settings, self.cache, self.max_bytes = root, settings, cache, max_bytes
        self._digests: dict[str, str] = {}
        """Files to judge → the SHA-256 read before judging them (looked-up chunks only)."""
        self._hits: set[str] = set()
        """Reused files not arrived yet."""
        self._fresh: set[str] = cache.judged if cache is not None else set()
        """Digests judged in this run (shared by every source of an audit). A copy of such a
        file met later in the same run is judged again rather than reused: "reused" means
        judged by an earlier run, and every distinct file of a first run is opened (a register
        naming the same bytes twice is rare; a benchmark made of copies would otherwise measure
        the cache, not the scan)."""
        self.evaluated = 0
        self.reused = 0

    def items(self, files: Sequence[str]) -> Iterator[str | Evidence]:
        """Each file, in order: its name (to judge) or its evidence (reused)."""
        if self.cache is None:
            yield from files
            return
        for start in range(0, len(files), CACHE_CHUNK):
            chunk = files[start : start + CACHE_CHUNK]
            hits, digests = _reuse_cached(self.root, chunk, self.settings, self.cache, self.max_bytes)
            for name in chunk:
                if name in hits and digests.get(name) not in self._fresh:
                    self._hits.add(name)
                    yield hits[name]
                else:
                    if name in digests:
                        self._digests[name] = digests[name]
                    yield name

    def arrived(self, name: str, evidence: Evidence) -> None:
        if name in self._hits:
            self._hits.discard(name)
            self.reused += 1
            return
        if evidence.status in (FileStatus.PRESENT, FileStatus.UNREADABLE):
            self.evaluated += 1
        digest = self._digests.pop(name, None)
        if digest is not None:
            self._fresh.add(digest)
        _remember(self.cache, evidence, digest, self.settings)

    def close(self, stats: dict[str, int] | None) -> None:
        if self.cache is not None:
            self.cache.flush()
        if stats is not None:
            stats["evaluated"] = self.evaluated
            stats["reused"] = self.reused


def _reuse_cached(
    root: Path, files: Sequence[str], settings: ValidationSettings, cache: "EvidenceCache",
    max_bytes: int = DEFAULT_LIMITS.max_file_bytes,
) -> tuple[dict[str, Evidence], dict[str, str]]:
    """(evidence reused from the cache, file → SHA-256); the files without evidence are judged."""
    digests = cache.digests.of(root, files, max_bytes)
    found = cache.fetch(set(digests.values()), settings)
    reused: dict[str, Evidence] = {}
    for name in files:
        hit = found.get(digests.get(name, ""))
        if hit is not None:
            reused[name] = replace(hit, path=name)
    return reused, digests


def _remember(
    cache: "EvidenceCache | None", evidence: Evidence, digest: str | None, settings: ValidationSettings
) -> None:
    """Offer freshly evaluated evidence to the cache — only if it is of the very bytes hashed
    before (the file did not change in between) and came from the parsers, not a crash."""
    if cache is not None and digest is not None and evidence.sha256 == digest:
        cache.put(evidence, settings)


def _only_agencies(register: Register, selection: Selection, agencies: Sequence[str]) -> tuple[Register, Selection]:
    """Keep the entries, exclusions and row errors of ``agencies`` only (case-insensitive)."""
    if not agencies:
        return register, selection
    wanted = {a.strip().casefold() for a in agencies}
    listed = {e.agency.strip().casefold(): e.agency for e in register.entries if e.agency}
    listed.update({e.agency.strip().casefold(): e.agency for e in register.errors if e.agency})
    unknown = [a for a in agencies if a.strip().casefold() not in listed]
    if unknown:  # a typo in a nightly job's filter must not pass green on zero entries
        shown = ", ".join(sorted(listed.values())[:12]) + (" …" if len(listed) > 12 else "")
        raise OptionError("agencies", f"{', '.join(repr(a) for a in unknown)} not in the register "
                                      f"{register.source} (it lists: {shown or 'no agency'})")

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


@dataclass(frozen=True)
class ScanPlan:
    """Everything a scan needs, read and checked before any file is opened (a bad option,
    register, trust file, target pack or rule selector fails fast, exit 2)."""

    options: ScanOptions
    register_path: Path
    register: Register
    selection: Selection
    targets: TargetPack
    trust: TrustStore
    settings: ValidationSettings
    engine: "RuleEngine"
    started: dt.datetime
    notes: tuple[str, ...] = ()

    def run_fields(self, register_path: str | None = None) -> dict[str, Any]:
        """``Store.start_run`` keywords for a run of this scan."""
        return _run_fields(self.options, register_path or str(self.register_path), self.targets, self.trust)


def _run_fields(options: ScanOptions, register_path: str, targets: TargetPack, trust: TrustStore) -> dict[str, Any]:
    return dict(
        root=str(options.root), register_path=register_path,
        period_start=options.period.start, period_end=options.period.end,
        targets=targets.as_json(), trust_fingerprint=trust.fingerprint,
        validation_time=str(options.validation_time), tool_version=__version__,
    )


def prepare_scan(options: ScanOptions) -> ScanPlan:
    """Check the options and read the targets, trust roots, register and rules."""
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
    notes: tuple[str, ...] = ()
    if trust.empty:
        notes = ("no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'",)
    return ScanPlan(
        options=options, register_path=register_path, register=register, selection=selection,
        targets=targets, trust=trust, settings=ValidationSettings(trust, options.validation_time),
        engine=rule_engine(options), started=started, notes=notes,
    )


def scan(
    options: ScanOptions,
    progress: Callable[[int, int], None] | None = None,
    cache: "EvidenceCache | None" = None,
) -> ScanResult:
    """Run a whole scan. Raises a :class:`DocauditError` subclass for usage/config problems
    (before any file is read); bad rows and bad files are reported in the result instead.

    With ``options.store`` the run is recorded as it goes: the run row first (status
    ``running``), then each batch of entries, then the register-level findings, the figures and
    the report (status ``done``). ``cache`` (a :class:`docaudit.incremental.EvidenceCache`)
    makes the scan incremental."""
    from .store import RunWriter, Store, locate

    plan = prepare_scan(options)
    if not options.store:
        return run_plan(plan, progress, cache)
    url, note = locate(options.db_url, options.root, create=True)
    if note:
        plan = replace(plan, notes=(*plan.notes, note))
    with Store.open(url) as store:
        writer = RunWriter.start(store, **plan.run_fields())
        writer.save_row_errors(plan.register.errors)
        return finish_scan(run_plan(plan, progress, cache, writer), writer, url)


def run_plan(
    plan: ScanPlan,
    progress: Callable[[int, int], None] | None = None,
    cache: "EvidenceCache | None" = None,
    into: "RunWriter | None" = None,
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
            results.append(share.result(slim(result)))
            if into is not None:
                batch.append(results[-1])
                if len(batch) == BATCH_SIZE:
                    into.write(batch)
                    batch = []
        judged.clear()

    for found in evaluate(options.root, plan.selection.entries, plan.settings, tuple(plan.trust.sources),
                          options.jobs, progress, cache=cache, stats=stats, limits=options.limits):
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
    entries = engine.with_register_findings(results, attach)
    agencies, overall = per_agency(entries, plan.selection.excluded, plan.targets)
    return ScanResult(
        options=options, register=plan.register, selection=plan.selection, results=entries,
        agencies=agencies, overall=overall, targets=plan.targets, trust=plan.trust,
        started=plan.started, finished=dt.datetime.now(dt.timezone.utc), notes=plan.notes,
        documents_evaluated=stats.get("evaluated", 0), documents_reused=stats.get("reused", 0),
    )


RULES_CHUNK = 100  # entries whose cached document-rule findings are looked up in one query


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


def slim(result: EntryResult) -> EntryResult:
    """``result`` as the report, the figures and the store need it once the document rules have
    run: without the document's text facts (first and last page text, fonts, page sizes …) and
    without the evidence's own findings, which :meth:`RuleEngine.apply_document` has copied into
    the entry's. What a 20,000-document scan keeps in memory then no longer depends on the
    documents' size. (The evidence cache got the whole evidence when it arrived.)"""
    evidence = result.evidence
    if evidence.facts is None and not evidence.findings:
        return result
    return replace(result, evidence=replace(evidence, facts=None, findings=()))


# Signature details shared between equal signatures: who signed, which CA, which algorithms. The
# serial number and signing time differ from one signature to the next: not worth a look-up.
_SHARED_SIGNATURE_FIELDS = (
    "field", "kind", "reasons", "signer", "signer_name", "issuer", "digest_algorithm", "signature_algorithm",
    "key_algorithm", "key_usage", "coverage", "modification", "role", "role_basis", "detail",
)


class Sharing:
    """One object for each value a scan meets again and again: the same finding (rule and message)
    on many entries, the same signer, CA and algorithms on many documents. Evidence arrives from
    the workers as fresh copies, so without this every entry would hold its own. Values are
    immutable: sharing them changes nothing but memory."""

    def __init__(self) -> None:
        self._known: dict[Any, Any] = {}

    def one(self, value: Any) -> Any:
        """The first value met equal to ``value`` (``value`` itself if none, or if it cannot be
        hashed: sharing is only ever an optimisation)."""
        if value is None:
            return None
        try:
            return self._known.setdefault((type(value), value), value)
        except TypeError:
            return value

    def seen(self, value: Any) -> Any:
        """The value met before equal to ``value`` (already shared, parts and all), or ``None``."""
        try:
            return self._known.get((type(value), value))
        except TypeError:
            return None

    def result(self, result: EntryResult) -> EntryResult:
        evidence, verdict = result.evidence, result.evidence.verdict
        if verdict is not None and verdict.signatures:
            # an equal verdict met before (another copy of the file, or evidence reused from the
            # cache by several entries) is taken whole: looking it up is cheaper than rebuilding it
            shared = self.seen(verdict)
            if shared is None:
                shared = self.one(replace(verdict, signatures=tuple(self._signature(s) for s in verdict.signatures),
                                          reasons=self.one(verdict.reasons)))
            if shared is not verdict:
                evidence = replace(evidence, verdict=shared)
        return replace(result, evidence=evidence, findings=tuple(self.one(f) for f in result.findings))

    def _signature(self, signature: SignatureReport) -> SignatureReport:
        shared = self.seen(signature)
        if shared is not None:
            return shared
        fields = {name: self.one(getattr(signature, name)) for name in _SHARED_SIGNATURE_FIELDS}
        return self.one(replace(signature, **fields))


def rule_engine(options: ScanOptions):
    """The rule engine a scan applies: the packs, narrowed by ``options.rules`` (docaudit.toml
    ``[rules]`` or ``--select/--ignore``). Built before any file is read, so a bad pack or
    selector fails fast (exit 2)."""
    from .rules import RuleEngine, RuleSelection

    return RuleEngine(selection=RuleSelection.from_config(options.rules))


def finish_scan(
    result: ScanResult,
    writer: "RunWriter",
    url: str,
    report: Callable[[ScanResult], Mapping[str, Any]] | None = None,
) -> ScanResult:
    """Finish the run ``result`` was written into and return ``result`` with its ``run_id``.
    ``report`` builds the stored JSON report (default: the CONTRACT §6 report)."""
    from .report.json_report import build_report

    result = replace(result, run_id=writer.run_id, db_url=url)
    writer.finish(report(result) if report else build_report(result, lazy=True))
    return result


def store_result(
    result: ScanResult,
    store: Any,
    url: str,
    register_path: str | None = None,
    report: Callable[[ScanResult], Mapping[str, Any]] | None = None,
) -> ScanResult:
    """Record a finished ``result`` as one run in the open ``store`` (all its entries at once) and
    return it with its ``run_id``. ``report`` builds the stored JSON report (default: the
    CONTRACT §6 report)."""
    from .store import RunWriter

    fields = _run_fields(result.options, register_path or result.register.source, result.targets, result.trust)
    writer = RunWriter.start(store, **fields)
    writer.save_row_errors(result.register.errors)
    for start in range(0, len(result.results), BATCH_SIZE):
        writer.write(result.results[start : start + BATCH_SIZE])
    return finish_scan(result, writer, url, report)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
