"""What ``history`` and ``diff`` read: the finished runs and each one's per-agency figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..model import agency_key
from . import schema as T
from .schema import DONE
from .sql import in_chunks


@dataclass(frozen=True)
class RunRecord:
    """One finished run, as ``history`` lists it."""

    run_id: int
    started: dt.datetime | None
    finished: dt.datetime | None
    root: str
    period_start: dt.date | None
    period_end: dt.date | None
    period_label: str | None
    command: str
    config_hash: str | None
    trust_fingerprint: str | None
    tool_version: str | None
    documents_evaluated: int | None
    documents_reused: int | None
    new_errors: int | None


@dataclass(frozen=True)
class AgencyRates:
    run_id: int
    agency: str | None
    """``None``: the overall figures."""
    total: int
    via_count: int
    via_rate: float | None
    via_met: bool | None
    paperless_count: int
    paperless_rate: float | None
    paperless_met: bool | None


def runs(conn: Connection, limit: int | None = None, before: int | None = None) -> list[RunRecord]:
    """Finished runs, oldest first (the most recent ``limit`` of them)."""
    r, i = T.ScanRun.__table__, T.RunInfo.__table__
    stmt = (
        sa.select(r.c.id, r.c.started, r.c.finished, r.c.root, r.c.period_start, r.c.period_end,
                  i.c.period_label, i.c.command, i.c.config_hash, r.c.trust_fingerprint,
                  r.c.tool_version, i.c.documents_evaluated, i.c.documents_reused, i.c.new_errors)
        .select_from(r.outerjoin(i, i.c.run_id == r.c.id))
        .where(r.c.status == DONE)
        .order_by(r.c.id.desc())
    )
    if before is not None:
        stmt = stmt.where(r.c.id < before)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = conn.execute(stmt).all()
    return [
        RunRecord(run_id=row[0], started=row[1], finished=row[2], root=row[3], period_start=row[4],
                  period_end=row[5], period_label=row[6], command=row[7] or "scan", config_hash=row[8],
                  trust_fingerprint=row[9], tool_version=row[10], documents_evaluated=row[11],
                  documents_reused=row[12], new_errors=row[13])
        for row in reversed(rows)
    ]


def agency_rates(conn: Connection, run_ids: Iterable[int], agency: str | None = None) -> list[AgencyRates]:
    """Per-agency figures of these runs (``agency`` filters: case, spaces and Unicode form folded)."""
    a = T.RunAgency.__table__
    ids = list(run_ids)
    out: list[AgencyRates] = []
    for chunk in in_chunks(ids):
        stmt = sa.select(a.c.run_id, a.c.agency, a.c.total, a.c.via_count, a.c.via_rate, a.c.via_met,
                         a.c.paperless_count, a.c.paperless_rate, a.c.paperless_met).where(
            a.c.run_id.in_(chunk)).order_by(a.c.run_id, a.c.id)
        out += [AgencyRates(*row) for row in conn.execute(stmt).all()]
    if agency is not None:  # spellings of one agency are one agency, as in the figures
        wanted = agency_key(agency)
        out = [x for x in out if x.agency is not None and agency_key(x.agency) == wanted]
    return out
