"""A streaming scan (issue 6): completed batches survive SIGKILL, the rerun's report equals an
uninterrupted scan's, and the results come out in register order whatever the pool does."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from dataclasses import replace

from docaudit.pipeline import evaluate as evaluate_module
from docaudit.pipeline import executor as scan_module
from docaudit.incremental import EvidenceCache, decode_evidence
from docaudit.model import FileStatus
from docaudit.pipeline.evaluate import evaluate
from docaudit.pipeline.run import BATCH_SIZE
from docaudit.scan import ScanOptions, scan
from docaudit.signatures import ValidationSettings, load_trust

from .conftest import REPO, SAMPLES, count
from .test_crash_and_concurrency import _check_database, _comparable

TRUST = str(SAMPLES / "trust")
ENTRIES = 2 * BATCH_SIZE + 50
KILL_AT = BATCH_SIZE + 50  # files judged when the scan kills itself: one batch written, one in flight

# The scan kills itself (SIGKILL, nothing to catch) from its progress callback, at a known point.
KILLER = """
import os, signal, sys
from pathlib import Path
from docaudit.scan import ScanOptions, scan

root, trust, db, kill_at = sys.argv[1:5]

def progress(done, total):
    if done == int(kill_at):
        os.kill(os.getpid(), signal.SIGKILL)

scan(ScanOptions(root=Path(root), trust=(trust,), db_url=db, jobs=1), progress=progress)
"""


def _audit_folder(tmp_path: Path) -> Path:
    """ENTRIES outgoing entries, one file each: every 10th a copy of a signed sample, the others
    missing (cheap to judge); numbers with gaps and one duplicate, for the register-level rules."""
    root = tmp_path / "audit"
    (root / "files").mkdir(parents=True)
    pdfs = [p for p in sorted((SAMPLES / "files" / "ubnd-bq" / "di").glob("*.pdf")) if b"/ByteRange" in p.read_bytes()]
    lines = ["agency,direction,number,date,channel,via_system,file"]
    for index in range(ENTRIES):
        name = f"files/{index:04d}.pdf"
        if index % 10 == 0:
            shutil.copy(pdfs[index // 10 % len(pdfs)], root / name)
        number = index + 1 + index // 37  # a gap every 37 numbers
        if index == 123:
            number = 100  # a duplicate
        day = dt.date(2021, 1, 1) + dt.timedelta(days=index // 3)
        lines.append(f"UBND-X,outgoing,{number}/QĐ-UBND,{day.isoformat()},electronic,yes,{name}")
    (root / "register.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _rows(db: Path, table: str, run_id: int) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE run_id = ?", (run_id,)).fetchone()[0]


def test_sigkill_keeps_the_completed_batches_and_a_rerun_gives_the_same_report(tmp_path: Path) -> None:
    root = _audit_folder(tmp_path)
    reference = scan(ScanOptions(root=root, trust=(TRUST,), db_url=f"sqlite:///{tmp_path / 'ref.db'}", jobs=1))
    db = tmp_path / "killed.db"

    killed = subprocess.run([sys.executable, "-c", KILLER, str(root), TRUST, f"sqlite:///{db}", str(KILL_AT)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    count("crash kills")
    assert killed.returncode == -9, killed.stderr
    _check_database(db)
    with sqlite3.connect(db) as conn:
        (run_id, status), = conn.execute("SELECT id, status FROM docaudit_scan_run").fetchall()
        documents_with_signatures = conn.execute(
            "SELECT COUNT(DISTINCT d.id) FROM docaudit_document d JOIN docaudit_signature s ON s.document_id = d.id "
            "WHERE d.run_id = ?", (run_id,)).fetchone()[0]
        rules = {r for (r,) in conn.execute("SELECT DISTINCT rule FROM docaudit_finding WHERE run_id = ?", (run_id,))}
    assert status == "running"
    # exactly the completed batch: the entries judged after it died with the process
    assert _rows(db, "docaudit_register_row", run_id) == BATCH_SIZE
    assert _rows(db, "docaudit_document", run_id) == BATCH_SIZE
    assert documents_with_signatures == BATCH_SIZE // 10  # the signed copies among them, signatures and all
    assert "file-missing" in rules and "NUM004" not in rules  # register-level findings wait for the end

    from docaudit.store import Store

    with Store.open(f"sqlite:///{db}") as store:
        assert store.latest_run_id() is None and store.runs() == []  # never taken for a finished run
    rerun = scan(ScanOptions(root=root, trust=(TRUST,), db_url=f"sqlite:///{db}", jobs=1))
    _check_database(db)
    from docaudit.pipeline.build import build_report

    expected = _comparable(build_report(reference).to_json())
    assert _comparable(build_report(rerun).to_json()) == expected
    assert any(f["rule"] == "NUM004" for e in expected["entries"] for f in e["findings"])
    with Store.open(f"sqlite:///{db}") as store:
        assert store.latest_run_id() == rerun.run_id
        assert _comparable(store.load_report_json(rerun.run_id)) == json.loads(json.dumps(expected))
        assert store.run_summary(rerun.run_id).findings == sum(len(r.findings) for r in rerun.results)
        assert store.run_summary(run_id).status == "running"  # the killed run stays as it was


def test_results_in_register_order_whatever_the_pool_does(tmp_path: Path, monkeypatch) -> None:
    """Entries sharing a file, entries without one, and a pool returning batches out of order."""
    import time

    real_gather, real_pool = scan_module._gather_in_worker, scan_module._pool_gather
    arrivals: list[str] = []

    def slow_first_batches(args):  # the workers are forked: they run this too
        if int(Path(args[1]).stem) % 16 < 8:
            time.sleep(0.02)
        return real_gather(args)

    def recording(*args, **kw):
        for name, found in real_pool(*args, **kw):
            arrivals.append(name)
            yield name, found

    monkeypatch.setattr(scan_module, "_gather_in_worker", slow_first_batches)
    monkeypatch.setattr(scan_module, "_pool_gather", recording)
    root = _audit_folder(tmp_path)
    from docaudit.register import read_register

    entries = list(read_register(root / "register.csv").entries)[:80]
    entries = entries + [entries[3], entries[70]]  # files named twice, far apart
    entries.insert(5, replace(entries[5], file=None))  # names no file
    settings = ValidationSettings(load_trust((TRUST,)))
    one = list(evaluate(root, entries, settings, (TRUST,), jobs=1))
    pooled = list(evaluate(root, entries, settings, (TRUST,), jobs=2))
    assert arrivals != sorted(arrivals)  # the pool did answer out of order
    assert [r.entry for r in pooled] == entries
    assert pooled == one
    assert pooled[5].evidence.status is FileStatus.NONE
    assert pooled[-1].evidence == pooled[71].evidence


def test_slim_results_but_the_cache_gets_whole_evidence(tmp_path: Path, monkeypatch) -> None:
    """Entries keep no document text; the evidence cache still stores it (the rules of a later
    run need it); the cache is read a chunk at a time."""

    class FakeStore:
        def __init__(self) -> None:
            self.saved: list[tuple[str, str, str, str]] = []
            self.lookups: list[int] = []

        def cached_evidence(self, digests, context, trust_context):
            self.lookups.append(len(list(digests)))
            return []

        def save_cached_evidence(self, rows) -> None:
            self.saved.extend(rows)

        def cached_findings(self, keys, context, trust_contexts):  # the findings cache: always a miss
            return {}

        def save_cached_findings(self, rows) -> None:
            pass

    monkeypatch.setattr(evaluate_module, "CACHE_CHUNK", 7)
    root = tmp_path / "audit"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".docaudit"))
    fake = FakeStore()
    result = scan(ScanOptions(root=root, trust=(TRUST,), store=False, jobs=1), cache=EvidenceCache(fake))
    assert all(r.evidence.facts is None and not r.evidence.findings for r in result.results)
    cached = [decode_evidence(text) for _, _, _, text in fake.saved]
    assert cached and any(e.facts is not None and e.facts.head_text for e in cached)
    assert max(fake.lookups) <= 7 and len(fake.lookups) > 1
    assert not (root / ".docaudit").exists()  # store=False: nothing written
