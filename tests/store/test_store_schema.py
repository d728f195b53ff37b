"""Opening a results database: schema, version, pragmas, and one-line errors."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from docaudit.errors import StoreError
from docaudit.store import SCHEMA_VERSION, Store, mask_url

from .conftest import typed

TABLES = {
    "docaudit_meta",
    "docaudit_scan_run",
    "docaudit_register_row",
    "docaudit_document",
    "docaudit_signature",
    "docaudit_finding",
    "docaudit_row_error",
    "docaudit_report_part",
}


def _start(store: Store) -> int:
    return store.start_run(
        root="/audit",
        register_path="/audit/register.csv",
        period_start=None,
        period_end=None,
        targets={},
        trust_fingerprint=None,
        validation_time=None,
        tool_version="test",
    )


def _version_rows(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text("SELECT key, value FROM docaudit_meta"))]


def test_schema_created_with_version_row(store_url, raw_engine):
    with Store.open(store_url) as store:
        assert store.url == mask_url(store_url)
    inspector = sa.inspect(raw_engine)
    assert TABLES <= set(inspector.get_table_names())
    assert _version_rows(raw_engine) == [("schema_version", str(SCHEMA_VERSION))]
    assert SCHEMA_VERSION == 8
    indexed = {
        tuple(ix["column_names"]) for ix in inspector.get_indexes("docaudit_document")
    }
    assert ("run_id",) in indexed and ("register_row_id",) in indexed
    for table in ("docaudit_register_row", "docaudit_finding", "docaudit_row_error"):
        assert ("run_id",) in {tuple(ix["column_names"]) for ix in inspector.get_indexes(table)}


def test_sqlite_connection_settings(tmp_path):
    """SQLite only: WAL, foreign keys and a 30 s busy timeout on every connection."""
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_second_open_of_same_database(store_url, raw_engine):
    with Store.open(store_url) as store:
        run_id = _start(store)
        store.finish_run(run_id, typed({}))
    with Store.open(store_url) as again:
        assert again.latest_run_id() == run_id
        assert again.load_report(run_id).to_json() == typed({}).to_json()
        assert _start(again) > run_id
    assert _version_rows(raw_engine) == [("schema_version", "8")]


def test_schema_version_mismatch_is_refused(store_url, raw_engine):
    Store.open(store_url).close()
    with raw_engine.begin() as conn:
        conn.execute(sa.text("UPDATE docaudit_meta SET value = '999' WHERE key = 'schema_version'"))
    with pytest.raises(StoreError) as info:
        Store.open(store_url)
    msg = str(info.value)
    assert "\n" not in msg
    assert "999" in msg and "version 8" in msg
    # nothing was changed by the refused open
    assert _version_rows(raw_engine) == [("schema_version", "999")]


def _bad_urls(store_url: str, tmp_path) -> list[str]:
    if store_url.startswith("sqlite"):
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        return [f"sqlite:///{blocker}/sub/docaudit.sqlite", f"sqlite:///{blocker}"]
    url = sa.engine.make_url(store_url)
    return [
        # nobody listens on port 1
        url.set(password="s3cret-pw", port=1).render_as_string(hide_password=False),
        # the server answers, the database does not exist
        url.set(password="s3cret-pw", database="docaudit_no_such_db").render_as_string(hide_password=False),
    ]


def test_bad_url_gives_one_line_without_password(store_url, tmp_path):
    for bad in _bad_urls(store_url, tmp_path):
        with pytest.raises(StoreError) as info:
            Store.open(bad)
        msg = str(info.value)
        assert "\n" not in msg, msg
        assert "s3cret" not in msg, msg
        assert mask_url(bad) in msg, msg
        assert msg.startswith("cannot open database "), msg


@pytest.mark.parametrize(
    "bad",
    [
        "nosuchdialect://user:s3cret@host/db",
        "mysql://user:s3cret@host/db",  # driver not installed
        "this is not a url",
        "postgresql+psycopg://user:s3cret@127.0.0.1:1/db?sslmode=bogus",
    ],
)
def test_unusable_urls_give_one_line(bad):
    with pytest.raises(StoreError) as info:
        Store.open(bad)
    msg = str(info.value)
    assert "\n" not in msg and "s3cret" not in msg, msg
    assert msg.startswith("cannot open database ")


def test_mask_url():
    assert mask_url("postgresql+psycopg://u:pw@h:5432/d") == "postgresql+psycopg://u:***@h:5432/d"
    assert mask_url("sqlite:////tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"
    assert "pw" not in mask_url("bad url ://u:pw@h")
