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


REFIRE_S = 0.5
"""Once a document's time is up, the stop is raised again this often until the work ends (some
``except BaseException`` may have swallowed the first one)."""


def alarm_available() -> bool:
    """SIGALRM can interrupt the work: POSIX, in the main thread of a process."""
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread())


def _async_raiser():
    """CPython's ``PyThreadState_SetAsyncExc`` as two callables — raise an exception class in a
    thread, clear the one still pending — or ``None`` where the C API cannot be reached."""
    try:
        import ctypes

        api = ctypes.pythonapi
        raise_in, clear_in = api["PyThreadState_SetAsyncExc"], api["PyThreadState_SetAsyncExc"]
    except (ImportError, AttributeError, OSError):  # not CPython (PyPy), or no ctypes
        return None
    raise_in.argtypes, raise_in.restype = (ctypes.c_ulong, ctypes.py_object), ctypes.c_int
    clear_in.argtypes, clear_in.restype = (ctypes.c_ulong, ctypes.c_void_p), ctypes.c_int  # None is NULL
    return raise_in, clear_in


_ASYNC = _async_raiser()


def watchdog_available() -> bool:
    """A watchdog thread can interrupt the work (CPython, any thread, any system)."""
    return _ASYNC is not None


def timer_available() -> bool:
    """Some way to stop the work on a document exists here (:func:`deadline`)."""
    return alarm_available() or watchdog_available()


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` inside the ``with`` body once ``seconds`` have passed.

    Two ways, the first one available:

    * **SIGALRM** (POSIX, main thread): ``signal.setitimer(ITIMER_REAL)`` delivers SIGALRM to the
      main thread; the handler raises. The previous handler and timer are restored.
    * **a watchdog thread** (Windows, which has no SIGALRM; a thread other than the main one):
      it waits ``seconds``, then raises the exception in the working thread with CPython's
      ``PyThreadState_SetAsyncExc``.

    Either way the exception comes between two Python bytecodes, so pure-Python loops (pypdf,
    pyHanko, asn1crypto — where the pathological cases live) stop promptly; a C call (zlib,
    PDFium) is interrupted when it returns to Python. It is raised again every
    :data:`REFIRE_S` seconds until the block ends, in case some ``except BaseException``
    swallowed the first one; none is left pending after the block.

    With ``seconds`` ≤ 0 / ``None``, or neither way available (an interpreter other than CPython
    without SIGALRM), there is no limit.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if alarm_available():
        with _alarm(seconds):
            yield
    elif watchdog_available():
        with _watchdog(seconds):
            yield
    else:
        yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = True

    def on_alarm(_signum, _frame):  # noqa: ANN001
        if armed:
            raise DocumentTimeout(seconds)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_S)
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


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    assert _ASYNC is not None
    raise_in, clear_in = _ASYNC
    target = threading.get_ident()
    done = threading.Event()

    def watch() -> None:
        delay = seconds
        while not done.wait(delay):
            raise_in(target, DocumentTimeout)
            delay = REFIRE_S

    watcher = threading.Thread(target=watch, name="docaudit-deadline", daemon=True)
    try:  # started inside: however early the stop comes, the watchdog is ended below
        watcher.start()
        yield
    finally:
        while True:  # the watchdog may strike once more before it sees ``done``
            try:
                done.set()
                watcher.join()
                clear_in(target, None)  # one raised but not yet delivered: dropped
                break
            except DocumentTimeout:
                continue
