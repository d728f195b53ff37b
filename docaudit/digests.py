"""SHA-256 of evidence files, read again only when a file's metadata changed — as git's index does.

An incremental audit keys everything on the bytes of each file, so every run used to read and hash
every file (165 MB for 2,000 documents: most of an unchanged second run's time after start-up).
Now each digest is remembered with the file's *stat record*: resolved path, size, modification
time, status-change time (ctime), inode and device, all to the nanosecond. A file whose stat
record is unchanged is not read again.

Why that is safe:

* writing a file changes its mtime and ctime; ``touch -r``/``os.utime`` can put the mtime back,
  but the ctime is set by the kernel to *now* on every change and cannot be set by a user — so
  content written over a file with the same size and its old mtime is still seen;
* a file replaced by another (a copy, ``mv``, a restored backup) gets another inode or ctime;
* the *racy* case: a file changed within the timestamp granularity of the moment it was read
  (same mtime and ctime, new bytes). As git does, a record is trusted only if the file's mtime
  and ctime were at least :data:`RACY_NS` older than the moment the file was read; otherwise it
  is read again next time (and then remembered for good, once it has aged);
* a record is written only when the file's stat record was the same before and after reading it
  (a file being written while we read it is simply read again next run).

``docaudit audit --rehash`` (or ``rehash = true`` in docaudit.toml, for file systems whose inode
numbers or timestamps cannot be trusted) reads and hashes every file; ``--no-cache`` does too.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .evidence.confine import Confiner
from .evidence.regular import NotRegular, TooLarge, open_regular, read_chunks

RACY_NS = 2_000_000_000
"""A stat record is trusted only if the file's mtime and ctime were this much older than the
moment it was read (2 s: FAT's timestamp granularity, the coarsest in common use)."""


@dataclass(frozen=True)
class FileStat:
    """What is compared to decide that a file did not change since it was hashed."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    dev: int

    @classmethod
    def of(cls, info: os.stat_result) -> "FileStat":
        # inode and device numbers are unsigned 64-bit; databases store signed 64-bit integers
        return cls(info.st_size, info.st_mtime_ns, info.st_ctime_ns, _signed64(info.st_ino), _signed64(info.st_dev))

    @property
    def storable(self) -> bool:
        """Every number fits a database's signed 64-bit integer (a file dated in the year 3000
        does not, in nanoseconds: it is then hashed every run)."""
        return all(-(1 << 63) <= n < 1 << 63 for n in (self.size, self.mtime_ns, self.ctime_ns))


def _signed64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


@dataclass(frozen=True)
class KnownDigest:
    """A digest remembered for a file, with the file's stat record when it was read."""

    path: str
    """The resolved path (inside the audit root)."""
    stat: FileStat
    sha256: str
    read_ns: int
    """Wall-clock time (``time.time_ns()``) just before the file was opened."""

    def trusted_for(self, now: FileStat) -> bool:
        """The file still has the stat record it had when read, and that read was not racy."""
        return now == self.stat and max(now.mtime_ns, now.ctime_ns) + RACY_NS <= self.read_ns


def resolve(confiner: Confiner, relative: str, max_bytes: int) -> tuple[str, FileStat] | None:
    """The resolved path and stat record of a regular file of at most ``max_bytes`` inside the
    root; ``None`` for anything the scan would refuse, miss or not read (those are checked by
    ``gather`` every run)."""
    path = confiner.path(relative)
    if path is None:
        return None
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return None
    return path, FileStat.of(info)


def read_digest(path: str, max_bytes: int) -> tuple[str, KnownDigest | None] | None:
    """Read and hash the regular file ``path``: its SHA-256 and the record to remember (``None``
    when the file changed while it was read). ``None`` if it cannot be read as a regular file
    of at most ``max_bytes``.

    Opened and read by :mod:`.evidence.regular`, as ``gather`` reads (a FIFO swapped in after
    the check cannot block the scan)."""
    started = time.time_ns()
    digest, total = hashlib.sha256(), 0
    try:
        with open_regular(path, max_bytes) as (fd, before):
            for chunk in read_chunks(fd, max_bytes):  # TooLarge if the file grows: gather says so
                digest.update(chunk)
                total += len(chunk)
            after = os.fstat(fd)
    except (OSError, ValueError, NotRegular, TooLarge):
        return None
    sha256 = digest.hexdigest()
    first, last = FileStat.of(before), FileStat.of(after)
    steady = first == last and total == first.size and first.storable
    return sha256, KnownDigest(path, first, sha256, started) if steady else None


def _path_key(path: str) -> str:
    """The key a path is remembered under (see ``docaudit_file_digest.path_key``)."""
    return hashlib.sha256(os.fsencode(path)).hexdigest()


class Digests:
    """File name (as in the register) → SHA-256, for the files of a scan: from the remembered
    record where the file's stat record still matches it, else read and hashed (and remembered).

    ``store``: a :class:`~docaudit.store.Store`, or ``None`` to hash every file and remember
    nothing (as does a store without the file-digest table, such as a test double). ``rehash``:
    hash every file, and remember what was read."""

    def __init__(self, store: Any = None, *, rehash: bool = False) -> None:
        self._store = store if hasattr(store, "file_digests") else None
        self.rehash = rehash

    def of(self, root: Path, names: Sequence[str], max_bytes: int) -> dict[str, str]:
        """The SHA-256 of each regular file of at most ``max_bytes`` named by ``names`` inside
        ``root``; names the scan would refuse, miss or not read are left out."""
        confiner = Confiner(root)
        located = {name: resolve(confiner, name, max_bytes) for name in names}
        paths = {found[0] for found in located.values() if found is not None}
        known = self._known(paths)
        digests: dict[str, str] = {}
        todo: dict[str, list[str]] = {}  # path → the names that resolve to it
        for name, found in located.items():
            if found is None:
                continue
            path, now = found
            record = known.get(path)
            if record is not None and record.trusted_for(now):
                digests[name] = record.sha256
            else:
                todo.setdefault(path, []).append(name)
        fresh: list[KnownDigest] = []
        for path, result in zip(todo, self._read_all(list(todo), max_bytes)):
            if result is None:
                continue
            sha256, record = result
            digests.update((name, sha256) for name in todo[path])
            if record is not None:
                fresh.append(record)
        self._remember(fresh)
        return digests

    @staticmethod
    def _read_all(paths: list[str], max_bytes: int) -> list[tuple[str, KnownDigest | None] | None]:
        if len(paths) < 2:
            return [read_digest(path, max_bytes) for path in paths]
        from concurrent.futures import ThreadPoolExecutor

        # hashlib releases the GIL on large buffers: a few threads read and hash in parallel
        with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) + 2)) as pool:
            return list(pool.map(lambda path: read_digest(path, max_bytes), paths, chunksize=16))

    def _known(self, paths: Iterable[str]) -> dict[str, KnownDigest]:
        if self._store is None or self.rehash:
            return {}
        keys = {_path_key(path): path for path in paths}
        if not keys:
            return {}
        known = {}
        for key, (size, mtime_ns, ctime_ns, ino, dev, sha256, read_ns) in self._store.file_digests(keys).items():
            path = keys.get(key)
            if path is not None:
                known[path] = KnownDigest(path, FileStat(size, mtime_ns, ctime_ns, ino, dev), sha256, read_ns)
        return known

    def _remember(self, records: Sequence[KnownDigest]) -> None:
        if self._store is None or not records:
            return
        self._store.save_file_digests([
            (_path_key(r.path), r.stat.size, r.stat.mtime_ns, r.stat.ctime_ns, r.stat.ino, r.stat.dev, r.sha256,
             r.read_ns)
            for r in records
        ])
