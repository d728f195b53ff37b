"""A scan run through the store: round trip, all-or-nothing batches, counts."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
import sqlalchemy as sa

from docaudit.errors import StoreError
from docaudit.model import FileStatus, RowError
from docaudit.text import message
from docaudit.store import RunSummary, Store

from .conftest import typed
from docaudit.store import rows as store_rows

REPORT = {
    "schema": "docaudit.report/1",
    "period": {"start": "2021-01-01", "end": "2021-06-30"},
    "targets": {"via_software": {"op": ">", "threshold": 0.9}, "paperless": {"op": ">", "threshold": 0.8}},
    "agencies": {"UBND-BQ": {"total": 5, "via_software": {"count": 4, "claimed": 5, "rate": 0.8, "meets_target": False}}},
    "overall": {"total": 5, "paperless": {"count": 0, "claimed": 0, "rate": None, "meets_target": None}},
    "entries": [{"row": 2, "agency": "UBND-BQ", "direction": "outgoing", "number": "1/QĐ-UBND", "date": "2021-03-05",
                 "channel": "electronic", "via_system": True, "file": "a.pdf", "file_status": "present",
                 "verdict": "valid", "signatures": [], "findings": []}],
}

ALL_TABLES = (
    "docaudit_register_row",
    "docaudit_document",
    "docaudit_signature",
    "docaudit_finding",
    "docaudit_row_error",
)


def start(store: Store, **over) -> int:
    args = dict(
        root="/kiểm tra/UBND",
        register_path="/kiểm tra/UBND/register.csv",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 6, 30),
        targets={"via_software": {"op": ">", "threshold": 0.9}},
        trust_fingerprint="ab" * 32,
        validation_time="2021-07-01T00:00:00+07:00",
        tool_version="0.1.0",
    )
    args.update(over)
    return store.start_run(**args)


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ALL_TABLES}


def test_full_run_round_trip(store_url, raw_engine, result_factory):
    batch1 = [result_factory(i) for i in range(3)]  # 3 documents, 6 signatures, 3 findings
    batch2 = [
        result_factory(3, status=FileStatus.NONE, signatures=0, findings=0),  # paper only: no document
        result_factory(4, status=FileStatus.MISSING, signatures=0, findings=2),
        result_factory(5, signatures=0, findings=0, agency="UBND-XA"),  # unsigned present file
    ]
    with Store.open(store_url) as store:
        assert store.latest_run_id() is None
        run_id = start(store)
        bad_date = message("row.not-a-date", column=message("column.date"), raw="'31/02/2021'", expected=message("expected.date"))
        bad_direction = message("row.empty", column=message("column.direction"), expected=message("expected.direction"))
        store.save_row_errors(run_id, [RowError(row=9, problems=(bad_date,), agency="UBND-BQ"),
                                       RowError(row=10, problems=(bad_direction,))])
        store.save_results(run_id, batch1)
        store.save_results(run_id, batch2)
        store.save_results(run_id, [])  # nothing to do
        assert store.run_summary(run_id).status == "running"
        assert store.latest_run_id() is None  # not finished yet
        store.finish_run(run_id, typed(REPORT))

        assert store.latest_run_id() == run_id
        assert store.load_report(run_id).to_json() == typed(REPORT).to_json()
        assert store.load_report(run_id).entries[0].number == "1/QĐ-UBND"
        assert store.run_summary(run_id) == RunSummary(
            run_id=run_id, status="done", entries=6, documents=5, signatures=6, findings=5, row_errors=2
        )

    with raw_engine.connect() as conn:
        run = conn.execute(sa.text("SELECT * FROM docaudit_scan_run")).mappings().one()
        assert run["status"] == "done" and run["entries_total"] == 6 and run["finished"] is not None
        assert run["period_start"] in (dt.date(2021, 1, 1), "2021-01-01")
        assert json.loads(run["targets_json"]) == {"via_software": {"op": ">", "threshold": 0.9}}
        assert run["validation_time"] == "2021-07-01T00:00:00+07:00"
        assert run["root"] == "/kiểm tra/UBND"

        row = conn.execute(sa.text("SELECT * FROM docaudit_register_row WHERE row = 2")).mappings().one()
        assert (row["direction"], row["channel"], row["number"]) == ("outgoing", "electronic", "1/QĐ-UBND")
        assert json.loads(row["extra_json"]) == {"ghi_chú": "dòng 1"}
        assert bool(row["via_system"]) is True

        doc = conn.execute(
            sa.text("SELECT * FROM docaudit_document WHERE register_row_id = :id"), {"id": row["id"]}
        ).mappings().one()
        assert (doc["status"], doc["verdict"], doc["kind"], doc["size"]) == ("present", "valid", "pdf", 5_000_000_001)
        assert doc["run_id"] == run["id"] and doc["path"] == "files/1.pdf"

        sig = conn.execute(
            sa.text("SELECT * FROM docaudit_signature WHERE document_id = :id ORDER BY field"), {"id": doc["id"]}
        ).mappings().first()
        assert sig["field"] == "Sig1" and sig["verdict"] == "valid" and sig["role"] == "person"
        assert sig["signing_time"] == "2021-03-05T09:30:00+07:00"
        assert json.loads(sig["rect_json"]) == [10.0, 20.0, 110.5, 60.25]
        assert json.loads(sig["reasons"]) == []
        assert json.loads(sig["key_usage"]) == ["digital_signature", "non_repudiation"]

        missing = conn.execute(sa.text("SELECT * FROM docaudit_document WHERE status = 'missing'")).mappings().one()
        assert missing["verdict"] is None and missing["reason"] == "file not found"

        f = conn.execute(sa.text("SELECT * FROM docaudit_finding ORDER BY id")).mappings().first()
        assert (f["rule"], f["severity"], f["reference"]) == ("SIG000", "warning", "NĐ 30/2020")


def test_latest_run_is_the_last_finished_one(store_url):
    with Store.open(store_url) as store:
        first = start(store)
        second = start(store)
        store.finish_run(second, typed({"notes": ["two"]}))
        store.finish_run(first, typed({"notes": ["one"]}))
        start(store)  # still running: never "latest"
        assert store.latest_run_id() == first
        assert store.load_report(second).notes == ("two",)


def test_unknown_or_unfinished_runs(store_url):
    with Store.open(store_url) as store:
        run_id = start(store)
        with pytest.raises(StoreError, match="no report"):
            store.load_report(run_id)
        for call in (store.load_report, store.run_summary, lambda r: store.finish_run(r, typed({}))):
            with pytest.raises(StoreError, match="no scan run 999"):
                call(999)


def test_results_for_unknown_run_are_refused(store_url, raw_engine, result_factory):
    """Foreign keys are enforced (SQLite too): nothing is written for a run that does not exist."""
    with Store.open(store_url) as store:
        with pytest.raises(StoreError) as info:
            store.save_results(12345, [result_factory(0)])
        assert "\n" not in str(info.value)
    assert set(table_counts(raw_engine).values()) == {0}


@pytest.mark.parametrize("interrupt", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_failed_batch_leaves_nothing_behind(store_url, raw_engine, result_factory, monkeypatch, interrupt):
    with Store.open(store_url) as store:
        run_id = start(store)
        store.save_results(run_id, [result_factory(i) for i in range(2)])
        before = table_counts(raw_engine)
        assert before["docaudit_register_row"] == 2 and before["docaudit_signature"] == 4

        real = store_rows.signature
        calls = {"n": 0}

        def flaky(document_id, sig):
            calls["n"] += 1
            if calls["n"] > 3:  # register rows and documents are flushed already, signatures half made
                raise interrupt
            return real(document_id, sig)

        monkeypatch.setattr(store_rows, "signature", flaky)
        with pytest.raises(type(interrupt)):
            store.save_results(run_id, [result_factory(i) for i in range(2, 6)])
        assert calls["n"] == 4
        assert table_counts(raw_engine) == before
        assert store.run_summary(run_id).entries == 2

        # the store is still usable and the batch can be saved again
        monkeypatch.setattr(store_rows, "signature", real)
        store.save_results(run_id, [result_factory(i) for i in range(2, 6)])
        summary = store.run_summary(run_id)
        assert (summary.entries, summary.documents, summary.signatures, summary.findings) == (6, 6, 12, 6)


def test_threads_share_one_store(store_url, result_factory):
    with Store.open(store_url) as store:
        run_id = start(store)
        errors: list[BaseException] = []

        def work(t: int) -> None:
            try:
                for b in range(3):
                    store.save_results(run_id, [result_factory(100 * t + 10 * b + i) for i in range(5)])
            except BaseException as err:  # noqa: BLE001
                errors.append(err)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        summary = store.run_summary(run_id)
        assert (summary.entries, summary.documents, summary.signatures) == (60, 60, 120)
