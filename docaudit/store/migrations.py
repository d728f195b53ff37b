"""Bringing a database to :data:`~.schema.SCHEMA_VERSION`: the tables are created on first use, an
older version is migrated in place step by step, a newer one is refused.

Version 1: the run-info, per-agency and evidence-cache tables are created and the per-agency
figures of the runs already stored are filled in from their JSON reports. Version 2: the
report-part table (3). Version 3: the findings cache (4). Version 4: the file-digest table (5).
Version 5: nothing but the version (7). Version 6: replayed runs get their whole report, and the
run-inputs table goes (7). Version 7: the revocation cache of online runs (8).
"""

from __future__ import annotations

import json
from typing import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from docaudit.errors import StoreError
from docaudit.pipeline.report import AuditReport

from . import schema as T
from .runs import replace_report, save_summaries
from .schema import SCHEMA_VERSION


def _set_version(conn: Connection, from_version: str, to_version: str) -> bool:
    """Record the new version if the database still has the old one (whether it had)."""
    meta = T.Meta.__table__
    return bool(conn.execute(
        sa.update(meta).where(meta.c.key == "schema_version", meta.c.value == from_version).values(value=to_version)
    ).rowcount)


def migrate_1_to_2(engine: Engine) -> None:
    """Add the version-2 tables and fill the summaries of the runs stored so far."""
    T.METADATA.create_all(engine, tables=T.TABLES_V2, checkfirst=True)
    runs = T.ScanRun.__table__
    with engine.begin() as conn:
        done = conn.execute(sa.select(runs.c.id, runs.c.report_json).where(runs.c.report_json.is_not(None))).all()
        for run_id, text in done:
            try:
                report = json.loads(text)
            except (TypeError, ValueError):
                continue
            if isinstance(report, Mapping):
                try:
                    typed = AuditReport.from_json(report)
                except (TypeError, ValueError, KeyError):
                    continue  # not a report docaudit can read: no figures to index
                save_summaries(conn, run_id, typed)
        _set_version(conn, "1", "2")


def _add_tables(engine: Engine, tables: list, from_version: str, to_version: str) -> None:
    """A migration that only adds tables: create them, then record the new version."""
    T.METADATA.create_all(engine, tables=tables, checkfirst=True)
    with engine.begin() as conn:
        _set_version(conn, from_version, to_version)


def migrate_2_to_3(engine: Engine) -> None:
    """Add the report-part table (the reports stored so far are whole in ``report_json``)."""
    _add_tables(engine, T.TABLES_V3, "2", "3")


def migrate_3_to_4(engine: Engine) -> None:
    """Add the findings cache (empty: the next audit fills it)."""
    _add_tables(engine, T.TABLES_V4, "3", "4")


def migrate_4_to_5(engine: Engine) -> None:
    """Add the file-digest table (empty: the next audit hashes every file once, as before)."""
    _add_tables(engine, T.TABLES_V5, "4", "5")


def migrate_5_to_7(engine: Engine) -> None:
    """Version 6 only added the run-inputs table of replayed audits, which version 7 drops: a
    version-5 database has nothing to change but its version."""
    with engine.begin() as conn:
        _set_version(conn, "5", "7")


def migrate_6_to_7(engine: Engine) -> None:
    """Drop ``docaudit_run_inputs`` (replayed audits were removed). A replayed run stored only the
    keys of its report that differed from the run it replayed (``replay_of``) and was read with
    that run's report under them: it gets its whole report first, so it reads the same after."""
    with engine.begin() as conn:
        # the version first: a second process migrating at the same time waits for this
        # transaction (write lock / row lock), then finds nothing left to do
        if not _set_version(conn, "6", "7") or not sa.inspect(conn).has_table("docaudit_run_inputs"):
            return
        replays = conn.execute(sa.text(
            "SELECT run_id, replay_of FROM docaudit_run_inputs WHERE replay_of IS NOT NULL AND replay_of <> run_id"
        )).all()
        for run_id, base in replays:
            _store_whole_report(conn, int(run_id), int(base))
        conn.execute(sa.text("DROP TABLE docaudit_run_inputs"))


def _stored_text(conn: Connection, run_id: int) -> str | None:
    runs, parts = T.ScanRun.__table__, T.ReportPart.__table__
    first = conn.execute(sa.select(runs.c.report_json).where(runs.c.id == run_id)).scalar()
    if first is None:
        return None
    rest = conn.execute(sa.select(parts.c.text).where(parts.c.run_id == run_id).order_by(parts.c.seq)).scalars()
    return first + "".join(rest)


def _store_whole_report(conn: Connection, run_id: int, base: int) -> None:
    """The report of replayed run ``run_id``: its own keys laid over the report of ``base``, as a
    version-6 docaudit read it, stored whole (a report that does not decode is left as it is)."""
    own, whole = _stored_text(conn, run_id), _stored_text(conn, base)
    try:
        overlay, report = json.loads(own or ""), json.loads(whole or "")
    except ValueError:
        return
    if isinstance(overlay, dict) and isinstance(report, dict):
        report.update(overlay)  # the keys keep their places in the report
        replace_report(conn, run_id, report)


def migrate_7_to_8(engine: Engine) -> None:
    """Add the revocation cache (online revocation, issue 16 item 4; empty: the next online run fills it)."""
    _add_tables(engine, T.TABLES_V8, "7", "8")


MIGRATIONS: dict[str, Callable[[Engine], None]] = {
    "1": migrate_1_to_2, "2": migrate_2_to_3, "3": migrate_3_to_4, "4": migrate_4_to_5, "5": migrate_5_to_7,
    "6": migrate_6_to_7, "7": migrate_7_to_8,
}


def _read_version(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(T.Meta.__table__.name):
            return None
        return conn.execute(
            sa.select(T.Meta.__table__.c.value).where(T.Meta.__table__.c.key == "schema_version")
        ).scalar_one_or_none()


def _check_version(found: str, masked: str) -> None:
    if found.strip() != str(SCHEMA_VERSION):
        raise StoreError(
            f"database {masked} holds docaudit schema version {found.strip()!s}, this docaudit "
            f"uses version {SCHEMA_VERSION}; use another --db or a matching docaudit"
        )


def prepare_schema(engine: Engine, masked: str) -> None:
    """Create the tables on first use and record the schema version; migrate an older version
    step by step; refuse a newer one."""
    attempts = len(MIGRATIONS) + 3  # every migration, then two processes creating it at once
    for attempt in range(attempts):
        last = attempt == attempts - 1
        found = _read_version(engine)
        migrate = MIGRATIONS.get(found.strip()) if found is not None else None
        if migrate is not None:
            try:
                migrate(engine)
            except (IntegrityError, sa.exc.ProgrammingError, sa.exc.OperationalError):
                if last:
                    raise
            continue
        if found is not None:
            _check_version(found, masked)
            return
        try:
            T.METADATA.create_all(engine, tables=T.TABLES, checkfirst=True)
            with engine.begin() as conn:
                conn.execute(sa.insert(T.Meta.__table__).values(key="schema_version", value=str(SCHEMA_VERSION)))
            return
        except (IntegrityError, sa.exc.ProgrammingError, sa.exc.OperationalError):
            if last:
                raise
    raise StoreError(f"database {masked}: the schema could not be brought to version {SCHEMA_VERSION}")
