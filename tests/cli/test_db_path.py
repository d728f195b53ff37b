"""--db takes a SQLAlchemy URL or, as `db` in docaudit.toml does, a plain path to a SQLite file."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..conftest import SAMPLES
from .helpers import run_cli


def test_a_plain_db_path_is_a_sqlite_file_for_scan_and_history(tmp_path: Path) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".docaudit"))
    scan = run_cli("scan", root, "--trust", SAMPLES / "trust" / "root.pem", "--db", "runs.sqlite",
                   "--format", "json", cwd=tmp_path)
    assert scan.returncode == 0, scan.stderr
    assert (tmp_path / "runs.sqlite").is_file() and not (root / ".docaudit").exists()
    history = run_cli("history", "--db", tmp_path / "runs.sqlite", "--format", "json")
    assert history.returncode == 0 and '"UBND-BQ"' in history.stdout


def test_db_and_no_db_together_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("scan", SAMPLES, "--no-db", "--db", tmp_path / "x.sqlite")
    assert proc.returncode == 2 and "not both" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_report_reads_a_foreign_or_empty_sqlite_file_without_writing_to_it(tmp_path: Path) -> None:
    empty = tmp_path / "zero.db"
    empty.write_bytes(b"")
    proc = run_cli("report", "--db", empty, "--format", "md")
    assert proc.returncode == 2 and "not a docaudit database" in proc.stderr
    assert empty.stat().st_size == 0
