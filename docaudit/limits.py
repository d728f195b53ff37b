"""Resource limits for hostile or broken evidence files.

Auditors scan archives they do not control. Each limit turns a file that would exhaust memory or
time into an ``unreadable`` entry with a reason, and the scan goes on:

* ``max_file_bytes`` — checked on the file's size *before* it is read;
* ``max_pdf_pages`` — a PDF claiming more pages is still opened and its signatures checked, but
  its page tree is not walked for text and layout facts;
* ``max_inflate_bytes`` / ``max_compression_ratio`` — a DOCX (ZIP) member declaring more
  uncompressed bytes, or compressed more than the ratio (zip bomb), is refused before any XML
  parser sees it; streams inside PDFs are capped by pypdf's own limits (75 MB per stream);
* ``doc_timeout_s`` — wall-clock time for one document (see :func:`deadline`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from dataclasses import dataclass
from typing import Iterator

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * MB
    max_pdf_pages: int = 2_000
    max_inflate_bytes: int = 100 * MB
    """Per DOCX part (ZIP member), uncompressed."""
    max_compression_ratio: int = 200
    """Uncompressed/compressed size of a ZIP member above 1 MiB; deflated XML is typically 5–20."""
    doc_timeout_s: float = 30.0
    """Wall-clock seconds for one document (0 or less: no limit)."""


DEFAULT_LIMITS = Limits()


class DocumentTimeout(BaseException):
    """Raised inside the work on one document when its time is up.

    A ``BaseException`` so that the parsers' ``except Exception`` clauses (pypdf, pyHanko, our
    own "never raises" fact readers) cannot swallow it and carry on."""


def timer_available() -> bool:
    """SIGALRM can interrupt the work only in the main thread of a process on POSIX."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` inside the ``with`` body once ``seconds`` have passed.

    ``signal.setitimer(ITIMER_REAL)`` delivers SIGALRM to the main thread; the handler raises
    between two Python bytecodes, so pure-Python loops (pypdf, pyHanko, asn1crypto — where the
    pathological cases live) stop promptly. The timer re-fires every 0.5 s until the block ends,
    in case some ``except BaseException`` swallowed the first one. A C call (zlib, PDFium) is
    interrupted when it returns to Python. The previous handler and timer are restored.

    Outside the main thread, or with ``seconds`` ≤ 0 / ``None``, there is no limit.
    """
    if not seconds or seconds <= 0 or not timer_available():
        yield
        return
    armed = True

    def on_alarm(_signum, _frame):  # noqa: ANN001
        if armed:
            raise DocumentTimeout(seconds)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    started = time.monotonic()
    try:
        yield
    finally:
        while True:  # a last alarm may strike before the timer is off: disarm, then retry
            try:
                armed = False
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
                break
            except DocumentTimeout:
                continue
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:  # an outer timer (e.g. a test runner's) keeps its remaining time
            remaining = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, previous_interval)
