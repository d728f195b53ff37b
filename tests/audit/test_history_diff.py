"""History and diff of stored runs (CLI), and the migration of a version-1 database."""

from __future__ import annotations

import json
import shutil
import sqlite3

import sqlalchemy as sa

from docaudit.audit import run_audit
from docaudit.config import load_config
from docaudit.history import diff_reports, history
from docaudit.scan import ScanOptions, scan
from docaudit.store import SCHEMA_VERSION, Store
from docaudit.store import schema as T

from ..cli.helpers import run_cli
from ..conftest import SAMPLES
from .conftest import TRUST, basic_config, build_folder


def test_history_and_diff(tmp_path, folder):
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    config = basic_config(tmp_path, folder, db=str(tmp_path / "h.sqlite"), period="2021-H1")
    run_audit(load_config(config))
    # HU-BQ's second document is replaced by one whose signed content was changed: invalid
    shutil.copyfile(SAMPLES / "files/ubnd-bq/di/03-qd-ubnd.pdf", folder / "files/hu-bq/di/150-bc-hu.pdf")
    run_audit(load_config(config))

    proc = run_cli("history", "--db", db, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "docaudit.history/1"
    runs = data["runs"]
    assert [r["id"] for r in runs] == [1, 2]
    assert runs[0]["command"] == "audit" and runs[0]["period"]["label"] == "2021-H1"
    assert runs[0]["period"]["start"] == "2021-01-01" and runs[0]["period"]["end"] == "2021-06-30"
    # the new bytes are those of 03/QĐ-UBND, evaluated in the first run: reused by content
    assert (runs[0]["documents_evaluated"], runs[1]["documents_evaluated"]) == (7, 0)
    hu = [r["agencies"]["HU-BQ"] for r in runs]
    assert hu[0]["paperless"] == {"count": 2, "rate": 1.0, "meets_target": True}
    assert hu[1]["paperless"] == {"count": 1, "rate": 0.5, "meets_target": False}
    assert runs[0]["overall"]["total"] == 9

    with Store.open(db) as store:
        only = history(store, "hu-bq")
    assert [list(r["agencies"]) for r in only["runs"]] == [["HU-BQ"], ["HU-BQ"]]
    table = run_cli("history", "--db", db, "--lang", "en", "--limit", "1")
    assert table.returncode == 0 and "#2" in table.stdout and "#1" not in table.stdout
    assert "HU-BQ" in table.stdout and "50.00%" in table.stdout

    proc = run_cli("diff", "--db", db, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    diff = json.loads(proc.stdout)
    assert (diff["from"]["run_id"], diff["to"]["run_id"]) == (1, 2)
    assert diff["newly_missed"] == [{"agency": "HU-BQ", "target": "paperless", "from": 1.0, "to": 0.5}]
    assert diff["newly_met"] == []
    assert [(c["number"], c["from"], c["to"], c["sha256_changed"]) for c in diff["verdict_changes"]] == [
        ("150-BC/HU", "valid", "invalid", True)]
    hu_row = next(r for r in diff["agencies"] if r["agency"] == "HU-BQ")
    assert hu_row["paperless"]["change"] == -0.5 and hu_row["via_software"]["change"] == 0
    assert any(e["number"] == "150-BC/HU" for e in diff["new_errors"])

    # explicit runs, reversed: the target is newly met again
    with Store.open(db) as store:
        back = diff_reports(store.load_report(2), store.load_report(1), 2, 1)
    assert back["newly_met"] == [{"agency": "HU-BQ", "target": "paperless", "from": 0.5, "to": 1.0}]
    text = run_cli("diff", "--db", db, "--lang", "en")
    assert text.returncode == 0
    assert "Newly missed targets: HU-BQ Fully online" in text.stdout and "150-BC/HU" in text.stdout

    # the history of a plain `scan` run is there too
    scan(ScanOptions(root=folder, trust=(str(TRUST),), db_url=db))
    with Store.open(db) as store:
        runs = history(store)["runs"]
    assert runs[-1]["command"] == "scan" and runs[-1]["agencies"]["HU-BQ"]["total"] == 2
    assert runs[-1]["documents_evaluated"] is None


def test_history_and_diff_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCAUDIT_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    missing = run_cli("history", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert missing.returncode == 2 and "no runs stored yet" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()
    nothing = run_cli("history")
    assert nothing.returncode == 2 and "--db" in nothing.stderr
    db = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    Store.open(db).close()
    one = run_cli("diff", "--db", db)
    assert one.returncode == 2 and "two finished runs" in one.stderr


def test_version_1_database_is_migrated(tmp_path):
    url = f"sqlite:///{tmp_path / 'v1.sqlite'}"
    engine = sa.create_engine(url)
    T.METADATA.create_all(engine, tables=T.TABLES_V1)
    report = {"schema": "docaudit.report/1", "period": {"start": None, "end": None},
              "agencies": {"A": {"total": 4, "via_software": {"count": 4, "claimed": 4, "rate": 1.0, "meets_target": True},
                                 "paperless": {"count": 1, "claimed": 4, "rate": 0.25, "meets_target": False}}},
              "overall": {"total": 4, "via_software": {"count": 4, "claimed": 4, "rate": 1.0, "meets_target": True},
                          "paperless": {"count": 1, "claimed": 4, "rate": 0.25, "meets_target": False}}}
    with engine.begin() as conn:
        conn.execute(sa.insert(T.Meta.__table__).values(key="schema_version", value="1"))
        conn.execute(sa.insert(T.ScanRun.__table__).values(
            id=1, started=sa.func.current_timestamp(), root="/audit", status="done", report_json=json.dumps(report)))
    engine.dispose()
    with Store.open(url) as store:
        assert [r.run_id for r in store.runs()] == [1]
        rates = store.agency_rates([1])
        assert [(r.agency, r.paperless_rate, r.paperless_met) for r in rates] == [("A", 0.25, False), (None, 0.25, False)]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM docaudit_meta")).scalar() == str(SCHEMA_VERSION) == "8"
    engine.dispose()


def test_history_refuses_an_unknown_agency_and_a_foreign_database(tmp_path):
    """A typo in --agency is not "no runs stored"; a SQLite file that is not docaudit's is left
    untouched (a reading command never creates docaudit's tables in it)."""
    root = build_folder(tmp_path / "audit")
    config = basic_config(tmp_path, root)
    assert run_cli("audit", "--config", config, "--quiet", "--exit-zero", cwd=tmp_path).returncode == 0
    proc = run_cli("history", "--config", config, "--agency", "NOPE")
    assert proc.returncode == 2 and "in none of the 1 stored runs" in proc.stderr and "UBND-BQ" in proc.stderr
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (x TEXT)")
    proc = run_cli("history", "--db", f"sqlite:///{foreign}")
    assert proc.returncode == 2 and "not a docaudit database" in proc.stderr
    with sqlite3.connect(foreign) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"notes"}


def test_reading_commands_create_no_database_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli("history", "--root", empty, env={"DOCAUDIT_DB": ""})
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not (empty / ".docaudit").exists()


def test_history_says_which_clock_its_times_are_on(tmp_path, folder):
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    run_audit(load_config(basic_config(tmp_path, folder, db=str(tmp_path / "h.sqlite"), period="2021-H1")))
    vi = run_cli("history", "--db", db)
    en = run_cli("history", "--db", db, "--lang", "en")
    assert vi.returncode == en.returncode == 0, vi.stderr + en.stderr
    # Vietnam time in Vietnamese (as the DOCX and XLSX reports), UTC said as such in English
    assert "giờ Việt Nam" in vi.stdout.replace("\n", " ") or "(giờ" in vi.stdout
    assert "UTC" in en.stdout
