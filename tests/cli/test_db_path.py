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
