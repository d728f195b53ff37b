"""Auditors use Windows: every Unix-only call docaudit makes has a fallback, tested here by taking
the call away (README: Windows).

* the per-document time limit: ``signal.setitimer``/SIGALRM → a watchdog thread;
* the worker pool's start method: fork → spawn (a spawned worker imports what it needs itself);
* stdout/stderr in the ANSI code page, with CRLF translation → UTF-8 and ``\\n``;
* ``os.O_NONBLOCK`` → a plain read-only open (the ``fstat`` check still refuses what is not a file).

The whole of it at once: a scan run as on Windows (no SIGALRM, no fork, no ``fcntl``/``resource``
modules, no ``O_NONBLOCK``), of a register saved by Excel (BOM, CRLF, backslash paths), in a pool
of spawned workers with one document that never ends, gives the figures of the ordinary run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from docaudit import limits
from docaudit.limits import DocumentTimeout, Limits, deadline
from docaudit.model import FileStatus

from .conftest import REPO, SAMPLES

TRUST = SAMPLES / "trust" / "root.pem"
SLOW = "03-qd-ubnd.pdf"  # the sample document made to never end


def _no_alarm(monkeypatch) -> None:
    """Windows' ``signal`` module: no ``setitimer``, no SIGALRM."""
    for name in ("setitimer", "SIGALRM", "ITIMER_REAL"):
        monkeypatch.delattr(signal, name, raising=False)


HANG_GUARD_S = 30.0


def _endless(*_args, **_kwargs):
    """Pure Python that does not end and swallows every ordinary exception, as a pathological
    parser would — until the hang guard: a broken limit fails the test instead of hanging it."""
    until = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < until:
        try:
            time.sleep(0.01)
        except Exception:  # noqa: BLE001
            pass
    raise AssertionError("the time limit never stopped the work")


def _python_for(seconds: float) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        sum(range(100))


def _no_watchdog_left() -> bool:
    return not any(t.name == "docaudit-deadline" for t in threading.enumerate())


# --------------------------------------------------------------------------- the time limit


def test_without_sigalrm_a_watchdog_thread_stops_a_slow_document(tmp_path: Path, monkeypatch) -> None:
    from docaudit.pipeline import executor

    from .robustness.conftest import SETTINGS

    _no_alarm(monkeypatch)
    assert not limits.alarm_available() and limits.watchdog_available() and limits.timer_available()
    (tmp_path / "slow.pdf").write_bytes(b"x")
    (tmp_path / "fast.pdf").write_bytes(b"y")
    real = executor.gather
    monkeypatch.setattr(executor, "gather", lambda root, relative, *rest: (
        _endless() if relative == "slow.pdf" else real(root, relative, *rest)))
    started = time.monotonic()
    slow = executor.safe_gather(tmp_path, "slow.pdf", SETTINGS, Limits(doc_timeout_s=0.3))
    fast = executor.safe_gather(tmp_path, "fast.pdf", SETTINGS, Limits(doc_timeout_s=0.3))
    assert slow.status is FileStatus.UNREADABLE and slow.reason == "timeout after 0.3 s"
    assert fast.status is FileStatus.UNREADABLE and fast.reason == "not a PDF or DOCX file"
    assert time.monotonic() - started < 5
    _python_for(1.2)  # no stray stop after the document (the watchdog re-fires every 0.5 s)
    assert _no_watchdog_left()


def test_a_stop_swallowed_by_a_parser_comes_again(monkeypatch) -> None:
    _no_alarm(monkeypatch)
    swallowed = 0
    with pytest.raises(DocumentTimeout):
        with deadline(0.1):
            while True:
                try:
                    _endless()
                except BaseException:  # noqa: BLE001 — a careless parser
                    swallowed += 1
                    if swallowed > 1:
                        raise
    assert swallowed == 2 and _no_watchdog_left()


def test_work_that_ends_in_time_is_never_stopped_afterwards(monkeypatch) -> None:
    """Many blocks ending right at their deadline: a stop raised as one ends never escapes it."""
    _no_alarm(monkeypatch)
    for _ in range(200):
        try:
            with deadline(0.001):
                _python_for(0.001)
        except DocumentTimeout:
            pass
    _python_for(1.0)
    assert _no_watchdog_left()


def test_the_limit_holds_in_a_library_callers_thread() -> None:
    """Off the main thread SIGALRM cannot help even on POSIX: the watchdog does it there."""
    outcome: list[str] = []

    def work() -> None:
        assert not limits.alarm_available() and limits.timer_available()
        try:
            with deadline(0.2):
                _endless()
        except DocumentTimeout:
            outcome.append("stopped")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert outcome == ["stopped"]


def test_with_neither_way_there_is_no_limit(monkeypatch) -> None:
    """An interpreter with no SIGALRM and no CPython C API (PyPy on Windows): the work runs to
    its end, as README says."""
    _no_alarm(monkeypatch)
    monkeypatch.setattr(limits, "_ASYNC", None)
    assert not limits.timer_available()
    with deadline(0.05):
        _python_for(0.3)


# --------------------------------------------------------------------------- the pool's start method


def test_pool_start_method(monkeypatch) -> None:
    import multiprocessing

    from docaudit.pipeline.executor import pool_context

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn", "forkserver"])
    assert pool_context().get_start_method() == "fork"
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # Windows
    assert pool_context().get_start_method() == "spawn"
    monkeypatch.setattr(sys, "platform", "darwin")  # fork offered but unsafe: spawn
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn", "fork", "forkserver"])
    assert pool_context().get_start_method() == "spawn"
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["forkserver"])
    assert pool_context() is not None  # neither: the platform's default


# --------------------------------------------------------------------------- standard streams


def test_standard_streams_in_the_ansi_code_page_become_utf_8(monkeypatch) -> None:
    from docaudit.cli import utf8_stdio

    out = io.TextIOWrapper(io.BytesIO(), encoding="cp1258", newline="\r\n")  # Vietnamese Windows, redirected
    err = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="backslashreplace", newline="\r\n")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    utf8_stdio(windows=True)
    out.write("Ủy ban nhân dân\n")
    err.write("dòng 18\n")
    out.flush()
    err.flush()
    assert out.buffer.getvalue() == "Ủy ban nhân dân\n".encode("utf-8")
    assert err.buffer.getvalue() == "dòng 18\n".encode("utf-8") and err.errors == "backslashreplace"


def test_a_utf_8_stream_is_left_alone_on_posix(monkeypatch) -> None:
    from docaudit.cli import utf8_stdio

    calls = []

    class Stream(io.StringIO):
        encoding, errors = "utf-8", "strict"

        def reconfigure(self, **kwargs):
            calls.append(kwargs)

    monkeypatch.setattr(sys, "stdout", Stream())
    monkeypatch.setattr(sys, "stderr", Stream())
    utf8_stdio(windows=False)
    assert calls == []


def test_a_report_on_a_stdout_in_cp1258_is_utf_8(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "cp1258", "DOCAUDIT_DB": ""}
    proc = subprocess.run([sys.executable, "-m", "docaudit.cli", "rules", "show", "SIG001"],
                          capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "chữ ký số hợp lệ" in proc.stdout.decode("utf-8")


# --------------------------------------------------------------------------- a scan as on Windows

_WINDOWS_LIKE = r'''
"""Run docaudit as on Windows. Spawned workers run this file again as __mp_main__ (as they do on
Windows), so they are Windows-like too."""
import multiprocessing, os, signal, sys, time

for name in ("setitimer", "SIGALRM", "ITIMER_REAL"):
    if hasattr(signal, name):
        delattr(signal, name)
for name in ("fork", "O_NONBLOCK", "killpg", "getuid", "geteuid"):
    if hasattr(os, name):
        delattr(os, name)
sys.modules["fcntl"] = None       # `import fcntl` fails, as on Windows
sys.modules["resource"] = None
multiprocessing.get_all_start_methods = lambda: ["spawn"]
_get_context = multiprocessing.get_context

def _windows_context(method=None):
    if method in ("fork", "forkserver"):
        raise ValueError(f"cannot find context for {method!r}")
    return _get_context(method)

multiprocessing.get_context = _windows_context

import docaudit.cli
from docaudit.pipeline import evaluate, executor

LOG = os.environ["WINDOWS_LIKE_LOG"]
_real = executor.gather

def _gather(root, relative, *rest):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {sys.modules['__main__'].__name__} {hasattr(signal, 'SIGALRM')}\n")
    if relative and relative.endswith("SLOW"):
        until = time.monotonic() + 60  # the hang guard: a broken limit fails the test, never hangs it
        while time.monotonic() < until:
            try:
                time.sleep(0.01)
            except Exception:
                pass
    return _real(root, relative, *rest)

executor.gather = _gather

if __name__ == "__main__":
    evaluate.MIN_POOL_FILES = 1   # the pool even for the samples' two dozen files
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"main {os.getpid()}\n")
    docaudit.cli.main(sys.argv[1:])
'''.replace("SLOW", SLOW)


def _excel_saved_copy(folder: Path) -> Path:
    """The samples as a Windows auditor holds them: the register saved by Excel as "CSV UTF-8"
    (byte-order mark, CRLF) with backslash paths."""
    shutil.copytree(SAMPLES / "files", folder / "files")
    rows = list(csv.reader(io.StringIO((SAMPLES / "register.csv").read_text(encoding="utf-8-sig"), newline="")))
    column = [name.lower() for name in rows[0]].index("tệp")
    for row in rows[1:]:
        if len(row) > column:
            row[column] = row[column].replace("/", "\\")
    with open(folder / "register.csv", "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    data = (folder / "register.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"files\\ubnd-bq\\di\\" in data
    return folder


def _figures(report: dict) -> dict:
    entries = [{k: e[k] for k in ("row", "agency", "number", "file_status", "verdict", "counts", "not_counted")}
               | {"file_reason": (e["file_reason"] or "").replace("\\", "/")}  # quotes the register's path
               for e in report["entries"]]
    return {"agencies": report["agencies"], "overall": report["overall"], "entries": entries,
            "row_errors": report["row_errors"]}


def test_a_scan_as_on_windows_gives_the_ordinary_figures(tmp_path: Path, monkeypatch) -> None:
    from docaudit.model import Period
    from docaudit.pipeline import executor
    from docaudit.pipeline.build import build_report
    from docaudit.scan import ScanOptions, scan

    timeout = 3
    # the ordinary run: here, on POSIX (SIGALRM), the samples as they are, the same endless document
    real = executor.gather
    monkeypatch.setattr(executor, "gather", lambda root, relative, *rest: (
        _endless() if relative and relative.endswith(SLOW) else real(root, relative, *rest)))
    import datetime as dt

    ordinary = build_report(scan(ScanOptions(
        root=SAMPLES, trust=(str(TRUST),), period=Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)), jobs=1,
        store=False, limits=Limits(doc_timeout_s=timeout)))).to_json()
    slow = [e for e in ordinary["entries"] if (e["file"] or "").endswith(SLOW)]
    assert slow and all(e["file_reason"] == f"timeout after {timeout} s" for e in slow)

    # the same as on Windows, in a process of its own
    root = _excel_saved_copy(tmp_path / "audit")
    script = tmp_path / "windows_like.py"
    script.write_text(_WINDOWS_LIKE, encoding="utf-8")
    log = tmp_path / "gather.log"
    env = {**os.environ, "DOCAUDIT_DB": "", "WINDOWS_LIKE_LOG": str(log), "PYTHONIOENCODING": "cp1252"}
    proc = subprocess.run(
        [sys.executable, "-W", "default", str(script), "scan", str(root), "--trust", str(TRUST),
         "--period", "2021-H1", "--format", "json", "--jobs", "2", "--timeout", str(timeout), "--no-db"],
        capture_output=True, env=env, cwd=tmp_path, timeout=300)
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "Warning" not in stderr, stderr
    assert all(line.startswith(f"{root / 'register.csv'}: row ") for line in stderr.splitlines()), stderr
    windows = json.loads(proc.stdout.decode("utf-8"))  # UTF-8 although the stream was cp1252

    assert _figures(windows) == _figures(ordinary)
    assert [e["file"] for e in windows["entries"] if e["file"]][0].startswith("files\\")

    # the documents were judged in spawned workers (they ran this file as __mp_main__), with no SIGALRM
    lines = log.read_text(encoding="utf-8").splitlines()
    main_pid = next(line.split()[1] for line in lines if line.startswith("main "))
    workers = [line.split() for line in lines if not line.startswith("main ")]
    assert workers and all(pid != main_pid and main == "__mp_main__" and alarm == "False"
                           for pid, main, alarm in workers), lines
    assert len({pid for pid, _, _ in workers}) >= 2
