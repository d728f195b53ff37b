"""Read a regular file of bounded size without ever blocking or reading past the bound.

The one opener behind both readers of evidence files: ``evidence.inspect`` (the bytes, to parse
them) and ``digests`` (the SHA-256, to key the caches). Keeping one copy means a change to these
guards cannot reach one reader and miss the other.

* opened non-blocking: a FIFO swapped in after the caller's ``is_file()`` check cannot block;
* checked with ``fstat`` on the open descriptor, not on the path (no check-then-open race);
* never more than ``max_bytes + 1`` bytes read, even from a file that grows while it is read.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from typing import Iterator

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
CHUNK = 1 << 20


class NotRegular(Exception):
    """The path names something other than a regular file (FIFO, device, socket, folder)."""


class TooLarge(Exception):
    """The file holds more than the allowed number of bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@contextmanager
def open_regular(path: str | os.PathLike, max_bytes: int) -> Iterator[tuple[int, os.stat_result]]:
    """The open descriptor of a regular file of at most ``max_bytes`` bytes, and its ``fstat``.

    Raises :class:`NotRegular`, :class:`TooLarge` or ``OSError``; the descriptor is closed on exit."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular()
        if info.st_size > max_bytes:
            raise TooLarge(info.st_size)
        yield fd, info
    finally:
        os.close(fd)


def read_chunks(fd: int, max_bytes: int, chunk: int = CHUNK) -> Iterator[bytes]:
    """The bytes of ``fd`` from its position, chunk by chunk; raises :class:`TooLarge` as soon as
    more than ``max_bytes`` have come (the file grew after it was opened)."""
    total = 0
    while True:
        data = os.read(fd, min(chunk, max_bytes + 1 - total))
        if not data:
            return
        total += len(data)
        if total > max_bytes:
            raise TooLarge(total)
        yield data
