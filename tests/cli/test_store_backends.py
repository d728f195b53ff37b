"""The scan stores its run in SQLite by default and in PostgreSQL with --db (same report)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docaudit.store import Store

from ..conftest import SAMPLES
from ..pg import postgres_url_or_skip, temporary_database
from .helpers import run_cli

ARGS = ("--trust", SAMPLES / "trust" / "root.pem", "--period", "2021-01-01..2021-06-30", "--format", "json")


def _stored_report(url: str) -> dict:
    with Store.open(url) as store:
        run_id = store.latest_run_id()
        assert run_id is not None
        summary = store.run_summary(run_id)
        assert summary.entries == 26 and summary.documents == 24
        return store.load_report_json(run_id)


def test_default_database_is_sqlite_under_the_audit_root(tmp_path: Path) -> None:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".docaudit"))
    proc = run_cli("scan", root, *ARGS)
    assert proc.returncode == 0, proc.stderr
    db = root / ".docaudit" / "docaudit.sqlite"
    assert db.is_file()
    stored = _stored_report(f"sqlite:///{db}")
    assert stored["overall"] == json.loads(proc.stdout)["overall"]


def test_docaudit_db_environment_variable(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite"
    proc = run_cli("scan", SAMPLES, *ARGS, env={"DOCAUDIT_DB": f"sqlite:///{db}"})
    assert proc.returncode == 0, proc.stderr
    assert db.is_file()


@pytest.mark.postgres
def test_postgresql_database() -> None:
    admin = postgres_url_or_skip()
    with temporary_database(admin) as url:
        proc = run_cli("scan", SAMPLES, *ARGS, "--db", url)
        assert proc.returncode == 0, proc.stderr
        stored = _stored_report(url)
        assert stored["agencies"] == json.loads(proc.stdout)["agencies"]


def test_parallel_jobs_give_the_same_report(tmp_path: Path) -> None:
    """--jobs uses a process pool from 32 files on: build 40 and compare with --jobs 1."""
    root = tmp_path / "many"
    (root / "files").mkdir(parents=True)
    sources = sorted(SAMPLES.glob("files/**/*.pdf"))
    lines = ["agency,direction,number,date,channel,via_system,file"]
    for i in range(40):
        source = sources[i % len(sources)]
        shutil.copy(source, root / "files" / f"{i:03d}.pdf")
        lines.append(f"A{i % 3},đi,{i + 1:02d}/QĐ-X,2021-03-01,điện tử,có,files/{i:03d}.pdf")
    (root / "register.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = []
    for jobs in ("1", "2"):
        proc = run_cli("scan", root, "--trust", SAMPLES / "trust" / "root.pem", "--format", "json",
                       "--no-db", "--jobs", jobs)
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        reports.append((report["agencies"], [(e["file"], e["verdict"]) for e in report["entries"]]))
    assert reports[0] == reports[1]
