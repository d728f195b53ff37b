"""Writing and reading runs: a run's row, its entries (register rows, documents, signatures,
findings) batch by batch, its row errors, its JSON report (in parts) and the per-agency figures
and run info ``history`` reads. Each function works inside a transaction its caller opened
(:class:`~docaudit.store.Store`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.engine import Connection

from docaudit.errors import StoreError
from docaudit.jsonstream import REPORT_TEXT, chunks, iter_dumps
from docaudit.model import EntryResult, Finding, RowError
from docaudit.pipeline.report import AuditReport

from . import rows as R
from . import schema as T
from .schema import DONE, RUNNING
from .sql import Inserts, SqliteInserts

REPORT_PART_CHARS = 1 << 20
"""A stored report is cut into parts of about this many characters (see ``docaudit_report_part``)."""


class NoSuchRun(LookupError):
    """No run with this id (the store names its database in the message it gives the user)."""

    def __init__(self, run_id: int) -> None:
        super().__init__(run_id)
        self.run_id = run_id


@dataclass(frozen=True)
class RunSummary:
    """How much one scan run holds."""

    run_id: int
    status: str
    entries: int
    documents: int
    signatures: int
    findings: int
    row_errors: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# --------------------------------------------------------------------------- writing


def start_run(conn: Connection, *, root: str | Path, register_path: str | Path | None,
              period_start: dt.date | None, period_end: dt.date | None, targets: Mapping[str, Any],
              trust_fingerprint: str | None, validation_time: str | None, tool_version: str | None) -> int:
    """Record a new run (status ``running``) and return its id."""
    run = dict(
        started=_now(),
        root=str(root),
        register_path=str(register_path) if register_path is not None else None,
        period_start=period_start,
        period_end=period_end,
        targets_json=R.dumps(dict(targets)),
        trust_fingerprint=trust_fingerprint,
        validation_time=validation_time,
        tool_version=tool_version,
        status=RUNNING,
    )
    run_id = conn.execute(sa.insert(T.ScanRun.__table__).values(**run)).inserted_primary_key[0]
    assert run_id is not None
    return int(run_id)


def save_results(conn: Connection, run_id: int, results: Sequence[EntryResult]) -> list[int]:
    """Write a batch of results (register rows, documents, signatures, findings) and return the ids
    of their register rows, in order. Bulk inserts, four statements per batch whatever its size
    (ids come back with RETURNING, in order; under SQLite they are given: see ``SqliteInserts``)."""
    insert = SqliteInserts(conn, run_id) if conn.dialect.name == "sqlite" else Inserts(conn)
    row_ids = insert.with_ids(T.RegisterRow.__table__, [R.register_row(run_id, r.entry) for r in results])
    with_docs = [(r.evidence, row_id) for r, row_id in zip(results, row_ids) if R.has_document(r.evidence)]
    doc_ids = insert.with_ids(T.Document.__table__, [R.document(run_id, row_id, ev) for ev, row_id in with_docs])
    signatures = [
        R.signature(doc_id, sig)
        for (ev, _), doc_id in zip(with_docs, doc_ids)
        if ev.verdict is not None
        for sig in ev.verdict.signatures
    ]
    findings = [R.finding(run_id, row_id, f) for r, row_id in zip(results, row_ids) for f in r.findings]
    insert.many(T.SignatureRecord.__table__, signatures)
    insert.many(T.FindingRecord.__table__, findings)
    return row_ids


def save_row_errors(conn: Connection, run_id: int, errors: Sequence[RowError]) -> None:
    conn.execute(sa.insert(T.RowErrorRecord.__table__),
                 [dict(run_id=run_id, row=e.row, agency=e.agency, reason=e.reason) for e in errors])


def report_parts(report: AuditReport) -> Iterator[str]:
    """The report's JSON text in consecutive parts of about :data:`REPORT_PART_CHARS` characters
    (at least one: the text of a report is never empty). The text is the one the JSON output
    holds (an entry per line); a short one is remembered for that output (``REPORT_TEXT``)."""
    return REPORT_TEXT.recording(report, chunks(report.iter_json_text(), REPORT_PART_CHARS))


def json_parts(report: Mapping[str, Any]) -> Iterator[str]:
    """:func:`report_parts` of a report as stored JSON (a migration rewriting an old run's report)."""
    return chunks(iter_dumps(report, indent=2, default=R.jsonable, one_line_items=True), REPORT_PART_CHARS)


def finish_run(conn: Connection, run_id: int, first: str, parts: Iterator[str], report: AuditReport,
               findings: Sequence[tuple[int, Finding]] = ()) -> None:
    """Store the report (its first part ``first``, then ``parts``), the late ``findings`` (register
    row id, finding) and the figures, and mark the run ``done``, in the caller's one transaction."""
    rows, runs = T.RegisterRow.__table__, T.ScanRun.__table__
    count = sa.select(func.count()).select_from(rows).where(rows.c.run_id == run_id).scalar_subquery()
    # one UPDATE: no read-then-write, so no busy-snapshot surprise under SQLite WAL. The report
    # goes in as a parameter, not a value of the statement: SQLAlchemy caches compiled statements
    # with the statement object, which would keep the text alive.
    result = conn.execute(
        sa.update(runs)
        .where(runs.c.id == run_id)
        .values(report_json=sa.bindparam("report_text", type_=runs.c.report_json.type),
                status=DONE, finished=_now(), entries_total=count),
        {"report_text": first},
    )
    if result.rowcount == 0:
        raise NoSuchRun(run_id)
    del first
    _insert_parts(conn, run_id, parts)
    if findings:
        conn.execute(sa.insert(T.FindingRecord.__table__), [R.finding(run_id, row_id, f) for row_id, f in findings])
    save_summaries(conn, run_id, report)


def _insert_parts(conn: Connection, run_id: int, parts: Iterator[str]) -> None:
    part = T.ReportPart.__table__
    for seq, text in enumerate(parts, 1):
        conn.execute(sa.insert(part), {"run_id": run_id, "seq": seq, "text": text})


def replace_report(conn: Connection, run_id: int, report: Mapping[str, Any]) -> None:
    """Store ``report`` as the whole report of run ``run_id``, in place of the one it has."""
    runs, part = T.ScanRun.__table__, T.ReportPart.__table__
    parts = json_parts(report)
    conn.execute(sa.update(runs).where(runs.c.id == run_id).values(report_json=next(parts)))
    conn.execute(sa.delete(part).where(part.c.run_id == run_id))
    _insert_parts(conn, run_id, parts)


# --------------------------------------------------------------------------- the figures


def summary_rows(run_id: int, report: AuditReport) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows for ``docaudit_run_agency`` (each agency, then overall: ``agency`` NULL) and the
    ``docaudit_run_info`` row of a finished run, read off its report."""
    rows = []
    for agency, figures in [*report.agencies.items(), (None, report.overall)]:
        via, paper = figures.via_software, figures.paperless
        rows.append(dict(run_id=run_id, agency=agency, total=figures.total,
                         via_count=via.count, via_claimed=via.claimed, via_rate=via.rate, via_met=via.meets_target,
                         paperless_count=paper.count, paperless_claimed=paper.claimed, paperless_rate=paper.rate,
                         paperless_met=paper.meets_target))
    run, baseline = report.run, report.baseline
    info = dict(
        run_id=run_id,
        command=report.command,
        period_label=(run.period_label if run else None) or report.period.label,
        config_hash=run.config_hash if run else None,
        rule_pack=run.rule_pack.get("fingerprint") if run else None,
        documents_evaluated=run.documents_evaluated if run else None,
        documents_reused=run.documents_reused if run else None,
        new_errors=baseline.new_errors if baseline else None,
        accepted_findings=baseline.accepted if baseline else None,
    )
    return rows, info


def save_summaries(conn: Connection, run_id: int, report: AuditReport) -> None:
    """Write the per-agency figures and run info of a finished run (replacing any)."""
    rows, info = summary_rows(run_id, report)
    agency, run_info = T.RunAgency.__table__, T.RunInfo.__table__
    conn.execute(sa.delete(agency).where(agency.c.run_id == run_id))
    conn.execute(sa.delete(run_info).where(run_info.c.run_id == run_id))
    if rows:
        conn.execute(sa.insert(agency), rows)
    conn.execute(sa.insert(run_info).values(**info))


# --------------------------------------------------------------------------- reading


def _run(conn: Connection, run_id: int) -> sa.Row:
    """The run's ``status`` and ``report_json`` (the first part of its report)."""
    runs = T.ScanRun.__table__
    run = conn.execute(sa.select(runs.c.status, runs.c.report_json).where(runs.c.id == run_id)).first()
    if run is None:
        raise NoSuchRun(run_id)
    return run


def latest_run_id(conn: Connection) -> int | None:
    """The id of the most recently finished run, or ``None``."""
    runs = T.ScanRun.__table__
    return conn.execute(
        sa.select(runs.c.id).where(runs.c.status == DONE).order_by(runs.c.finished.desc(), runs.c.id.desc()).limit(1)
    ).scalar()


def report_text(conn: Connection, run_id: int) -> str:
    """The JSON text of the report stored by ``finish_run`` (its parts joined)."""
    part = T.ReportPart.__table__
    run = _run(conn, run_id)
    if run.report_json is None:
        raise StoreError(f"scan run {run_id} has no report (status: {run.status})")
    rest = conn.execute(sa.select(part.c.text).where(part.c.run_id == run_id).order_by(part.c.seq)).scalars().all()
    return run.report_json + "".join(rest) if rest else run.report_json



def run_summary(conn: Connection, run_id: int) -> RunSummary:
    """How many entries, documents, signatures, findings and row errors a run holds."""

    def count(table: Any, where: Any, *joins: Any) -> int:
        stmt = sa.select(func.count()).select_from(table)
        for target, on in joins:
            stmt = stmt.join(target, on)
        return int(conn.execute(stmt.where(where)).scalar_one())

    rr, doc, sig, fnd, err = (T.RegisterRow.__table__, T.Document.__table__, T.SignatureRecord.__table__,
                              T.FindingRecord.__table__, T.RowErrorRecord.__table__)
    run = _run(conn, run_id)
    return RunSummary(
        run_id=run_id,
        status=run.status,
        entries=count(rr, rr.c.run_id == run_id),
        documents=count(doc, doc.c.run_id == run_id),
        signatures=count(sig, doc.c.run_id == run_id, (doc, sig.c.document_id == doc.c.id)),
        findings=count(fnd, fnd.c.run_id == run_id),
        row_errors=count(err, err.c.run_id == run_id),
    )
