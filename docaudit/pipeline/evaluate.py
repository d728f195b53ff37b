"""Every in-scope entry's evidence, in register order, each distinct file judged once (or
reused from the evidence cache when its bytes and the settings did not change)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..evidence.problems import evidence_findings
from ..limits import DEFAULT_LIMITS, Limits
from ..model import EntryResult, Evidence, FileStatus
from ..signatures import ValidationSettings
from .executor import MIN_POOL_FILES, judge

if TYPE_CHECKING:
    from ..incremental import EvidenceCache


CACHE_CHUNK = 400  # files looked up in the evidence cache at a time, just ahead of the scan


def _file_key(entry: Any) -> str | None:
    return entry.file.strip() if entry.file and entry.file.strip() else None


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
    trust_packs: tuple[str, ...] = (),
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

    judged = judge(root, lookup.items(files), settings, trust_paths, pool_jobs, limits, trust_packs)
    for done, (name, found) in enumerate(judged, 1):
        lookup.arrived(name, found)  # the cache keeps the evidence as judged, questions and all
        if settings.online is not None:  # online revocation (issue 16 item 4): the CAs are asked here
            found = settings.online.settle(found)
        known[name] = found
        if progress:
            progress(done, len(files))
        yield from ready()
    yield from ready()  # entries naming no file after the last file
    lookup.close(stats)


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

