"""Where documents are judged: here, one after the other, or in a pool of worker processes.

A document is opened and judged by :func:`docaudit.evidence.gather` under the per-document time
limit, and never raises (:func:`safe_gather`). The pool isolates crashes: if a worker process dies
inside a C library (PDFium), only the files in flight are suspects; each is retried alone in a
fresh worker, and only a file that kills its worker again is reported ``unreadable``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Generator, Iterable, Iterator

from ..limits import DEFAULT_LIMITS, DocumentTimeout, Limits, deadline
from ..model import Evidence, FileStatus
from ..quiet import silence_known_dependency_warnings
from ..signatures import ValidationSettings, load_trust
from ..text import message

if TYPE_CHECKING:
    from ..signatures.crypto_policy import CryptoPolicy


MIN_POOL_FILES = 32  # a process pool costs ~1 s to start (each worker imports pyHanko)


_worker_settings: ValidationSettings | None = None


_worker_limits: Limits = DEFAULT_LIMITS


def _init_worker(trust_paths: tuple[str, ...], validation_time: str | dt.datetime,
                 limits: Limits = DEFAULT_LIMITS, trust_packs: tuple[str, ...] = (),
                 crypto_policy: "CryptoPolicy | None" = None, online_timeout: float | None = None) -> None:
    global _worker_settings, _worker_limits
    silence_known_dependency_warnings()  # a spawned worker (Windows) has none of the parent's filters
    # the crypto policy travels as data (a worker reads no pack file); the trust packs by name
    # or path, each loaded once per worker (its fingerprints checked again)
    policy = {"crypto_policy": crypto_policy} if crypto_policy is not None else {}
    # online revocation (issue 16 item 4): a worker only prepares each signature's question; the
    # main process fetches (signatures/online.py), so a worker never opens a connection
    online = None
    if online_timeout is not None:
        from ..signatures.online import OnlineRevocation

        online = OnlineRevocation(online_timeout)
    _worker_settings = ValidationSettings(load_trust(trust_paths, trust_packs), validation_time, **policy, online=online)
    _worker_limits = limits
    # the readers now, not inside the first document's time limit: a spawned worker (Windows)
    # starts with nothing imported, and on a busy machine importing them takes seconds
    from ..evidence.inspect import gather as _  # noqa: F401


def pool_context():
    """The multiprocessing start method of the pool: *fork* on Linux (a worker starts at once,
    with the modules already loaded), else *spawn* — Windows has nothing else, and macOS's fork is
    unsafe — or, should neither be offered, the platform's default. A spawned worker imports
    what it needs itself (:func:`_init_worker`); nothing it uses is set up in the parent only."""
    import multiprocessing
    import sys

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn" if "spawn" in methods else None)


def _gather_in_worker(args: tuple[str, str]) -> Evidence:
    root, relative = args
    assert _worker_settings is not None
    return safe_gather(Path(root), relative, _worker_settings, _worker_limits)


def gather(root: Path, relative: str | None, settings: ValidationSettings,
           limits: Limits = DEFAULT_LIMITS) -> Evidence:
    """:func:`docaudit.evidence.gather`, loaded on first use: an incremental run whose every file
    is reused never loads the PDF and DOCX readers."""
    from ..evidence.inspect import gather as gather_file  # lazy for start-up: a fully cached run never loads the readers

    return gather_file(root, relative, settings, limits)


def _timeout_text(seconds: float) -> str:
    return f"{seconds:g}"


def safe_gather(root: Path, relative: str | None, settings: ValidationSettings,
                 limits: Limits = DEFAULT_LIMITS) -> Evidence:
    """``gather`` with the per-document time limit; never raises.

    The limit (:func:`docaudit.limits.deadline`: a SIGALRM timer, or a watchdog thread where
    there is no SIGALRM, as on Windows) acts in the process doing the work — the main process,
    or a pool worker — so a pathological file stops where it is and the next file starts in the
    same process."""
    try:
        with deadline(limits.doc_timeout_s):
            return gather(root, relative, settings, limits)
    except DocumentTimeout:
        return Evidence(relative, FileStatus.UNREADABLE,
                        problem=message("evidence.timeout", seconds=_timeout_text(limits.doc_timeout_s)))
    except RecursionError:
        return Evidence(relative, FileStatus.UNREADABLE, problem=message("evidence.too-deep"))
    except MemoryError:
        return Evidence(relative, FileStatus.UNREADABLE, problem=message("evidence.out-of-memory"))
    except Exception as exc:  # noqa: BLE001 — last line of defence: one bad file never stops a scan
        return Evidence(relative, FileStatus.UNREADABLE, problem=message("evidence.internal-error", detail=f"{type(exc).__name__}: {exc}"))


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

    with ProcessPoolExecutor(max_workers=jobs, mp_context=pool_context(), initializer=_init_worker,
                             initargs=initargs) as pool:
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

    with ProcessPoolExecutor(max_workers=1, mp_context=pool_context(), initializer=_init_worker,
                             initargs=initargs) as pool:
        try:
            return pool.submit(_gather_batch, str(root), [name]).result()[0]
        except BrokenProcessPool:
            return Evidence(name, FileStatus.UNREADABLE,
                            problem=message("evidence.worker-crashed"))


def judge(
    root: Path, items: Iterable[str | Evidence], settings: ValidationSettings, trust_paths: tuple[str, ...],
    pool_jobs: int, limits: Limits, trust_packs: tuple[str, ...] = (),
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
                                    (trust_paths, settings.validation_time, limits, trust_packs,
                                     settings.crypto_policy,
                                     settings.online.timeout if settings.online is not None else None))
            return
        return
    for item in items:
        if isinstance(item, Evidence):
            yield str(item.path), item
        else:
            yield item, safe_gather(root, item, settings, limits)

