"""A scan killed with SIGKILL at random moments and run again; two scans on one SQLite database."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import REPO, SAMPLES, count

SCAN = [sys.executable, "-m", "docaudit.cli", "scan"]


def _copy_samples(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".docaudit"))
    return root


def _args(root: Path, db: Path) -> list[str]:
    return [*SCAN, str(root), "--trust", str(root / "trust"), "--db", f"sqlite:///{db}", "--format", "json",
            "--jobs", "1"]


def _comparable(report: dict) -> dict:
    keep = ("schema", "period", "targets", "agencies", "overall", "entries")
    # every entry compares whole, signature details included: they are reproducible across processes
    return {k: report[k] for k in keep}


def _check_database(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "docaudit_scan_run" not in tables:
            # killed after SQLite made the file, before the schema was (fully) created: nothing
            # was stored; the rerun below shows the next scan creates the rest and completes
            return
        # every document row of a run has its signatures: a signed PDF never lost them half-way
        for run_id, status, report in conn.execute("SELECT id, status, report_json FROM docaudit_scan_run"):
            assert (status == "done") == (report is not None), (run_id, status)
        orphans = conn.execute("SELECT COUNT(*) FROM docaudit_document d LEFT JOIN docaudit_register_row r ON r.id = d.register_row_id "
                               "WHERE r.id IS NULL").fetchone()[0]
        assert orphans == 0
        missing = conn.execute(
            "SELECT COUNT(*) FROM docaudit_document d WHERE d.verdict IN ('valid','invalid','indeterminate') "
            "AND NOT EXISTS (SELECT 1 FROM docaudit_signature s WHERE s.document_id = d.id)").fetchone()[0]
        assert missing == 0


def test_sigkill_at_random_moments_then_rerun(tmp_path: Path) -> None:
    root = _copy_samples(tmp_path)
    reference = subprocess.run([*_args(root, tmp_path / "ref.db")], capture_output=True, text=True, cwd=REPO,
                               timeout=120)
    assert reference.returncode == 0, reference.stderr
    db = tmp_path / "killed.db"
    rng = random.Random(7)
    for _ in range(5):
        process = subprocess.Popen(_args(root, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        time.sleep(rng.uniform(0.3, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        count("crash kills")
        if db.exists():
            _check_database(db)
    final = subprocess.run(_args(root, db), capture_output=True, text=True, cwd=REPO, timeout=120)
    assert final.returncode == 0, final.stderr
    _check_database(db)
    assert _comparable(json.loads(final.stdout)) == _comparable(json.loads(reference.stdout))
    from docaudit.store import Store

    with Store.open(f"sqlite:///{db}") as store:
        latest = store.latest_run_id()
        assert _comparable(store.load_report_json(latest)) == _comparable(json.loads(reference.stdout))


def test_two_scans_on_one_sqlite_database(tmp_path: Path) -> None:
    root = _copy_samples(tmp_path)
    db = tmp_path / "shared.db"
    processes = [subprocess.Popen(_args(root, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in processes]
    count("concurrent scans", 2)
    reports = []
    for process, (out, err) in zip(processes, outputs):
        if process.returncode == 2:  # allowed: a clear one-line "database is busy"
            lines = [ln for ln in err.splitlines() if "busy" in ln or "locked" in ln]
            assert lines and "Traceback" not in err
        else:
            assert process.returncode == 0, err
            reports.append(_comparable(json.loads(out)))
    assert reports and all(r == reports[0] for r in reports)
    _check_database(db)
    with sqlite3.connect(db) as conn:
        done = conn.execute("SELECT COUNT(*) FROM docaudit_scan_run WHERE status = 'done'").fetchone()[0]
    assert done == len(reports)


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch) -> None:
    """A crash inside a C library kills the worker process, not the scan: the other files are
    retried and only the killer file is unreadable."""
    import os as _os

    from docaudit.pipeline import executor as scan_module
    from docaudit.model import FileStatus as _FS


    real = scan_module._gather_in_worker

    def crashing(args):
        if args[1].endswith("boom.pdf"):
            _os._exit(1)  # what a segfault in PDFium looks like from the pool's side
        return real(args)

    monkeypatch.setattr(scan_module, "_gather_in_worker", crashing)
    root = tmp_path / "audit"
    (root / "files").mkdir(parents=True)
    sample = next(Path(__file__).resolve().parents[2].glob("samples/files/ubnd-bq/di/01-qd-ubnd.pdf"))
    names = []
    for index in range(40):
        name = f"files/{index:02d}.pdf" if index != 17 else "files/boom.pdf"
        (root / name).write_bytes(sample.read_bytes())
        names.append(name)
    evidence = dict(scan_module._pool_gather(root, names, 2, ((), "signing", scan_module.DEFAULT_LIMITS)))
    assert set(evidence) == set(names)
    assert evidence["files/boom.pdf"].status is _FS.UNREADABLE and "crashed" in evidence["files/boom.pdf"].reason
    assert all(evidence[n].status is _FS.PRESENT for n in names if n != "files/boom.pdf")

