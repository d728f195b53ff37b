"""A run written while the scan goes on (issue 6): RunWriter batches, findings attached at the end,
the report stored in parts, and what an unfinished run looks like to the readers."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
import sqlalchemy as sa

from docaudit.errors import StoreError
from docaudit.model import Finding, Severity
from docaudit.store import RunWriter, Store
from docaudit.store import runs as store_runs
from docaudit.store import schema as T
from docaudit.text import add_templates, message

from .conftest import typed

ENTRY = {"row": 2, "agency": "UBND-BQ", "direction": "outgoing", "number": "1/QĐ-UBND", "date": "2021-03-05",
         "channel": "electronic", "via_system": True, "file": None, "file_status": "none"}

RUN = dict(root="/kiểm tra", register_path="/kiểm tra/register.csv", period_start=None, period_end=None,
           targets={}, trust_fingerprint=None, validation_time="signing", tool_version="test")
GAP = Finding("NUM004", Severity.WARNING,
              message(add_templates("test.gap", {"vi": "Thiếu {n} số trước số này", "en": "{n} numbers missing"}), n=2),
              "NĐ 30/2020")


def _count(engine, sql: str, **params) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(sql), params).scalar_one())


def test_writer_batches_then_late_findings_with_the_report(store_url, raw_engine, result_factory):
    with Store.open(store_url) as store:
        writer = RunWriter.start(store, **RUN)
        writer.write([result_factory(i, findings=1) for i in range(3)])
        writer.write([])
        writer.write([result_factory(i, findings=0) for i in range(3, 5)])
        assert writer.written == 5
        writer.attach(4, [GAP])  # the 5th entry written, in the second batch
        # nothing of the late findings is stored before the run is finished
        assert store.run_summary(writer.run_id).findings == 3
        assert store.run_summary(writer.run_id).status == "running"
        writer.finish(typed({}))
        summary = store.run_summary(writer.run_id)
        assert (summary.status, summary.entries, summary.findings) == ("done", 5, 4)
    with raw_engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT r.row FROM docaudit_finding f JOIN docaudit_register_row r ON r.id = f.register_row_id "
            "WHERE f.rule = 'NUM004'")).scalar_one()
    assert row == 5


def test_large_report_is_stored_and_read_in_parts(store_url, raw_engine, monkeypatch):
    monkeypatch.setattr(store_runs, "REPORT_PART_CHARS", 2000)
    rows = [dict(ENTRY, row=i, subject=f"Quyết định số {i} về việc phê duyệt kế hoạch") for i in range(50)]
    report = typed({"entries": rows})
    with Store.open(store_url) as store:
        run_id = store.start_run(**RUN)
        store.finish_run(run_id, report)
        assert store.load_report(run_id) == report
        assert [e.subject for e in store.load_report(run_id).entries] == [r["subject"] for r in rows]
        small = store.start_run(**RUN)
        store.finish_run(small, typed({}))
        assert store.load_report(small) == typed({})
    parts = _count(raw_engine, "SELECT COUNT(*) FROM docaudit_report_part WHERE run_id = :r", r=run_id)
    assert parts > 5
    assert _count(raw_engine, "SELECT COUNT(*) FROM docaudit_report_part WHERE run_id = :r", r=small) == 0


def test_a_report_that_does_not_encode_writes_nothing(store_url, raw_engine, monkeypatch):
    monkeypatch.setattr(store_runs, "REPORT_PART_CHARS", 10)
    good = typed({"entries": [dict(ENTRY, row=i) for i in range(10)]})
    bad = replace(good, entries=tuple(e if e.row < 5 else replace(e, file_reason=object()) for e in good.entries))
    with Store.open(store_url) as store:
        run_id = store.start_run(**RUN)
        with pytest.raises(StoreError, match=f"cannot store the report of scan run {run_id}"):
            store.finish_run(run_id, bad, findings=())  # fails half-way through the entries
        assert store.run_summary(run_id).status == "running"
        assert store.latest_run_id() is None
    assert _count(raw_engine, "SELECT COUNT(*) FROM docaudit_report_part") == 0


def test_unfinished_runs_are_ignored_or_named(store_url, result_factory):
    """A run killed half-way keeps its batches but is never taken for a finished one."""
    with Store.open(store_url) as store:
        done = store.start_run(**RUN)
        store.finish_run(done, typed({"overall": {"total": 0}, "agencies": {}}))
        killed = RunWriter.start(store, **RUN)
        killed.write([result_factory(i) for i in range(3)])
        assert store.latest_run_id() == done
        assert [r.run_id for r in store.runs()] == [done]
        assert {r.run_id for r in store.agency_rates([done, killed.run_id])} == {done}
        with pytest.raises(StoreError, match=rf"scan run {killed.run_id} has no report \(status: running\)"):
            store.load_report(killed.run_id)
        assert store.run_summary(killed.run_id).entries == 3


def test_version_2_database_is_migrated(tmp_path):
    url = f"sqlite:///{tmp_path / 'v2.sqlite'}"
    engine = sa.create_engine(url)
    T.METADATA.create_all(engine, tables=T.TABLES_V1 + T.TABLES_V2)
    with engine.begin() as conn:
        conn.execute(sa.insert(T.Meta.__table__).values(key="schema_version", value="2"))
        conn.execute(sa.insert(T.ScanRun.__table__).values(
            id=1, started=dt.datetime(2021, 7, 1), root="/audit", status="done", report_json='{"n": 1}'))
    engine.dispose()
    with Store.open(url) as store:
        assert store.load_report_json(1) == {"n": 1}
        run_id = store.start_run(**RUN)
        store.finish_run(run_id, typed({}))
        assert store.latest_run_id() == run_id
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM docaudit_meta")).scalar() == "8"  # 2 → 3 → 4 → 5 → 7 → 8
        assert sa.inspect(conn).has_table("docaudit_report_part")
        assert sa.inspect(conn).has_table("docaudit_revocation_cache")
        assert sa.inspect(conn).has_table("docaudit_findings_cache")
    engine.dispose()


RUN_INPUTS_V6 = """CREATE TABLE docaudit_run_inputs (
	run_id INTEGER NOT NULL, config_hash VARCHAR(64) NOT NULL, inputs_key VARCHAR(64) NOT NULL,
	files_json TEXT NOT NULL, replay_of INTEGER, PRIMARY KEY (run_id),
	FOREIGN KEY(run_id) REFERENCES docaudit_scan_run (id) ON DELETE CASCADE,
	FOREIGN KEY(replay_of) REFERENCES docaudit_scan_run (id) ON DELETE RESTRICT)"""


def test_version_6_replayed_runs_keep_their_reports_and_the_replay_table_goes(tmp_path, monkeypatch):
    """Schema 6 stored a replayed run's report as the keys that differ from the run it replayed;
    version 7 has no replays: such a run gets its whole report, read exactly as before."""
    monkeypatch.setattr(store_runs, "REPORT_PART_CHARS", 40)  # the whole report is written in parts
    url = f"sqlite:///{tmp_path / 'v6.sqlite'}"
    base = {"run_id": 1, "started": "a", "finished": "b", "entries": [{"n": i} for i in range(9)],
            "run": {"id": 1, "documents_evaluated": 9, "documents_reused": 0}}
    overlay = {"run_id": 2, "started": "c", "finished": "d",
               "run": {"id": 2, "documents_evaluated": 0, "documents_reused": 9, "replay_of": 1}}
    engine = sa.create_engine(url)
    T.METADATA.create_all(engine, tables=T.TABLES)
    with engine.begin() as conn:
        conn.execute(sa.text(RUN_INPUTS_V6))
        conn.execute(sa.insert(T.Meta.__table__).values(key="schema_version", value="6"))
        for run_id, report in ((1, base), (2, overlay), (3, {"n": 3})):
            conn.execute(sa.insert(T.ScanRun.__table__).values(
                id=run_id, started=dt.datetime(2021, 7, 1), root="/audit", status="done",
                report_json=json.dumps(report)))
        conn.execute(sa.text("INSERT INTO docaudit_run_inputs VALUES (1, 'h', 'k', '[]', NULL), "
                             "(2, 'h', 'k', '[]', 1), (3, 'h', 'x', '[]', NULL)"))
    engine.dispose()
    with Store.open(url) as store:
        assert store.load_report_json(1) == base
        assert store.load_report_json(2) == {**base, **overlay}
        assert list(store.load_report_json(2)) == list(base)  # the keys in their places
        assert store.load_report_json(3) == {"n": 3}
        assert [r.run_id for r in store.runs()] == [1, 2, 3]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM docaudit_meta")).scalar() == "8"  # 6 → 7 → 8
        assert not sa.inspect(conn).has_table("docaudit_run_inputs")
        assert conn.execute(sa.text("SELECT COUNT(*) FROM docaudit_report_part WHERE run_id = 2")).scalar() > 1
    engine.dispose()
