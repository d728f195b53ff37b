"""Store methods for scheduled audits (schema version 2): run summaries for ``history``/``diff``,
and the evidence cache of incremental scans. Mixed into :class:`docaudit.store.Store`.

Older databases are migrated in place on open. Version 1: the three new tables are created and
the per-agency summaries of the runs already stored are filled in from their JSON reports.
Version 2: the report-part table (version 3) is created. Version 3: the findings cache (4).
Version 4: the file-digest table (5). Version 6: replayed runs get their whole report, and
the run-inputs table goes (7; a version-5 database only changes its version).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..jsonstream import chunks, iter_dumps
from ..store_layout import REPORT_PART_CHARS
from . import _tables as T

CHUNK = 400  # ids per IN (...) clause: well below SQLite's and PostgreSQL's parameter limits
CACHE_KEEP_DAYS = 90
USE_NOTED_DAYS = 7
"""A cache record's ``used`` day is moved forward only once it is this many days old: a nightly
audit then rewrites each record once a week, not every night (records are pruned after about
:data:`CACHE_KEEP_DAYS` days unused: between 83 and 90)."""


def _read_noting_use(conn: Connection, table: Any, columns: Sequence[Any], where: Any) -> list[tuple]:
    """The ``columns`` of the cache rows matching ``where``. Rows whose ``used`` day is more than
    :data:`USE_NOTED_DAYS` old get today's: a nightly audit rewrites each row once a week."""
    today = dt.date.today()
    stale = today - dt.timedelta(days=USE_NOTED_DAYS)
    rows = conn.execute(sa.select(*columns, table.c.used).where(where)).all()
    if any(row[-1] < stale for row in rows):
        conn.execute(sa.update(table).where(where, table.c.used < stale).values(used=today))
    return [tuple(row[:-1]) for row in rows]


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


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- summaries


def _rate(figures: Mapping[str, Any], name: str) -> tuple[int, int, float | None, bool | None]:
    rate = figures.get(name) or {}
    return (int(rate.get("count") or 0), int(rate.get("claimed") or 0), rate.get("rate"), rate.get("meets_target"))


def summary_rows(run_id: int, report: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows for ``docaudit_run_agency`` and the ``docaudit_run_info`` row, from a JSON report."""
    rows = []
    agencies = report.get("agencies") if isinstance(report.get("agencies"), Mapping) else {}
    items: list[tuple[str | None, Any]] = list(agencies.items())
    if isinstance(report.get("overall"), Mapping):
        items.append((None, report["overall"]))
    for agency, figures in items:
        if not isinstance(figures, Mapping):
            continue
        vc, vcl, vr, vm = _rate(figures, "via_software")
        pc, pcl, pr, pm = _rate(figures, "paperless")
        rows.append(dict(run_id=run_id, agency=agency, total=int(figures.get("total") or 0),
                         via_count=vc, via_claimed=vcl, via_rate=vr, via_met=vm,
                         paperless_count=pc, paperless_claimed=pcl, paperless_rate=pr, paperless_met=pm))
    run = report.get("run") if isinstance(report.get("run"), Mapping) else {}
    period = report.get("period") if isinstance(report.get("period"), Mapping) else {}
    info = dict(
        run_id=run_id,
        command="audit" if run else "scan",
        period_label=run.get("period_label") or period.get("label"),
        config_hash=run.get("config_hash"),
        rule_pack=(run.get("rule_pack") or {}).get("fingerprint") if isinstance(run.get("rule_pack"), Mapping) else None,
        documents_evaluated=run.get("documents_evaluated"),
        documents_reused=run.get("documents_reused"),
        new_errors=(report.get("baseline") or {}).get("new_errors") if isinstance(report.get("baseline"), Mapping) else None,
        accepted_findings=(report.get("baseline") or {}).get("accepted") if isinstance(report.get("baseline"), Mapping) else None,
    )
    return rows, info


def save_summaries(conn: Connection, run_id: int, report: Mapping[str, Any]) -> None:
    """Write the per-agency figures and run info of a finished run (replacing any)."""
    rows, info = summary_rows(run_id, report)
    agency, run_info = T.RunAgency.__table__, T.RunInfo.__table__
    conn.execute(sa.delete(agency).where(agency.c.run_id == run_id))
    conn.execute(sa.delete(run_info).where(run_info.c.run_id == run_id))
    if rows:
        conn.execute(sa.insert(agency), rows)
    conn.execute(sa.insert(run_info).values(**info))


def migrate_1_to_2(engine: Engine) -> None:
    """Add the version-2 tables and fill the summaries of the runs stored so far."""
    T.METADATA.create_all(engine, tables=T.TABLES_V2, checkfirst=True)
    runs = T.ScanRun.__table__
    with engine.begin() as conn:
        done = conn.execute(
            sa.select(runs.c.id, runs.c.report_json).where(runs.c.report_json.is_not(None))
        ).all()
        for run_id, text in done:
            try:
                report = json.loads(text)
            except (TypeError, ValueError):
                continue
            if isinstance(report, Mapping):
                save_summaries(conn, run_id, report)
        meta = T.Meta.__table__
        conn.execute(
            sa.update(meta).where(meta.c.key == "schema_version", meta.c.value == "1").values(value="2")
        )


def _add_tables(engine: Engine, tables: list, from_version: str, to_version: str) -> None:
    """A migration that only adds tables: create them, then record the new version."""
    T.METADATA.create_all(engine, tables=tables, checkfirst=True)
    meta = T.Meta.__table__
    with engine.begin() as conn:
        conn.execute(
            sa.update(meta).where(meta.c.key == "schema_version", meta.c.value == from_version)
            .values(value=to_version)
        )


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
    meta = T.Meta.__table__
    with engine.begin() as conn:
        conn.execute(sa.update(meta).where(meta.c.key == "schema_version", meta.c.value == "5").values(value="7"))


def migrate_6_to_7(engine: Engine) -> None:
    """Drop ``docaudit_run_inputs`` (replayed audits were removed). A replayed run stored only the
    keys of its report that differed from the run it replayed (``replay_of``) and was read with
    that run's report under them: it gets its whole report first, so it reads the same after."""
    meta = T.Meta.__table__
    with engine.begin() as conn:
        # the version first: a second process migrating at the same time waits for this
        # transaction (write lock / row lock), then finds nothing left to do
        bumped = conn.execute(
            sa.update(meta).where(meta.c.key == "schema_version", meta.c.value == "6").values(value="7"))
        if bumped.rowcount == 0 or not sa.inspect(conn).has_table("docaudit_run_inputs"):
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
    if not isinstance(overlay, dict) or not isinstance(report, dict):
        return
    report.update(overlay)  # the keys keep their places in the report
    runs, parts = T.ScanRun.__table__, T.ReportPart.__table__
    pieces = chunks(iter_dumps(report, indent=2, one_line_items=True), REPORT_PART_CHARS)
    conn.execute(sa.update(runs).where(runs.c.id == run_id).values(report_json=next(pieces)))
    conn.execute(sa.delete(parts).where(parts.c.run_id == run_id))
    for seq, text in enumerate(pieces, 1):
        conn.execute(sa.insert(parts), {"run_id": run_id, "seq": seq, "text": text})


def _insert(conn: Connection, table: Any, values: list[dict[str, Any]], key: tuple[str, ...], *,
            replace: bool) -> None:
    """Insert ``values``; a row already stored under the same ``key`` columns is replaced
    (``replace``) or kept."""
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = __import__(f"sqlalchemy.dialects.{dialect}", fromlist=["insert"])
        stmt = module.insert(table)
        if replace:
            stmt = stmt.on_conflict_do_update(
                index_elements=list(key),
                set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key},
            )
        else:
            stmt = stmt.on_conflict_do_nothing()
        conn.execute(stmt, values)
    else:  # pragma: no cover - other databases: replace
        for row in values:
            conn.execute(sa.delete(table).where(*(table.c[k] == row[k] for k in key)))
        conn.execute(sa.insert(table), values)


# --------------------------------------------------------------------------- the mixin


class AuditStoreMixin:
    """History and cache methods of :class:`~docaudit.store.Store` (see ``_store.py``)."""

    url: str

    # ------------------------------------------------------------------ history

    def runs(self, limit: int | None = None, before: int | None = None) -> list[RunRecord]:
        """Finished runs, oldest first (the most recent ``limit`` of them)."""
        r, i = T.ScanRun.__table__, T.RunInfo.__table__
        stmt = (
            sa.select(r.c.id, r.c.started, r.c.finished, r.c.root, r.c.period_start, r.c.period_end,
                      i.c.period_label, i.c.command, i.c.config_hash, r.c.trust_fingerprint,
                      r.c.tool_version, i.c.documents_evaluated, i.c.documents_reused, i.c.new_errors)
            .select_from(r.outerjoin(i, i.c.run_id == r.c.id))
            .where(r.c.status == "done")
            .order_by(r.c.id.desc())
        )
        if before is not None:
            stmt = stmt.where(r.c.id < before)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._transaction("read scan runs") as conn:  # type: ignore[attr-defined]
            rows = conn.execute(stmt).all()
        return [
            RunRecord(run_id=row[0], started=row[1], finished=row[2], root=row[3], period_start=row[4],
                      period_end=row[5], period_label=row[6], command=row[7] or "scan", config_hash=row[8],
                      trust_fingerprint=row[9], tool_version=row[10], documents_evaluated=row[11],
                      documents_reused=row[12], new_errors=row[13])
            for row in reversed(rows)
        ]

    def agency_rates(self, run_ids: Iterable[int], agency: str | None = None) -> list[AgencyRates]:
        """Per-agency figures of these runs (``agency`` filters, case-insensitive)."""
        a = T.RunAgency.__table__
        ids = list(run_ids)
        out: list[AgencyRates] = []
        with self._transaction("read run figures") as conn:  # type: ignore[attr-defined]
            for chunk in _chunks(ids):
                stmt = sa.select(a.c.run_id, a.c.agency, a.c.total, a.c.via_count, a.c.via_rate, a.c.via_met,
                                 a.c.paperless_count, a.c.paperless_rate, a.c.paperless_met).where(
                    a.c.run_id.in_(chunk)).order_by(a.c.run_id, a.c.id)
                out += [AgencyRates(*row) for row in conn.execute(stmt).all()]
        if agency is not None:
            wanted = agency.strip().casefold()
            out = [x for x in out if x.agency is not None and x.agency.casefold() == wanted]
        return out

    # ------------------------------------------------------------------ evidence cache

    def cached_evidence(
        self, digests: Iterable[str], context: str, trust_context: str
    ) -> list[tuple[str, str, str]]:
        """(sha256, trust_context, evidence_json) stored for these digests under ``context``, for
        the trust-independent key ``''`` and for ``trust_context``. Notes them used today."""
        c = T.EvidenceCacheRecord.__table__
        ids = sorted(set(digests))
        found: list[tuple[str, str, str]] = []
        with self._transaction("read the evidence cache") as conn:  # type: ignore[attr-defined]
            for chunk in _chunks(ids):
                where = sa.and_(c.c.context == context, c.c.trust_context.in_(("", trust_context)),
                                c.c.sha256.in_(chunk))
                found += _read_noting_use(conn, c, (c.c.sha256, c.c.trust_context, c.c.evidence_json), where)
        return found

    def save_cached_evidence(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """Store (sha256, context, trust_context, evidence_json) rows; existing keys are kept."""
        if not rows:
            return
        c = T.EvidenceCacheRecord.__table__
        now = dt.datetime.now(dt.timezone.utc)
        unique = {(r[0], r[1], r[2]): r[3] for r in rows}
        values = [dict(sha256=k[0], context=k[1], trust_context=k[2], evidence_json=v, created=now, used=now.date())
                  for k, v in unique.items()]
        with self._transaction("write the evidence cache") as conn:  # type: ignore[attr-defined]
            _insert(conn, c, values, ("sha256", "context", "trust_context"), replace=False)

    def cached_findings(
        self, keys: Iterable[tuple[str, str]], context: str, trust_contexts: Iterable[str]
    ) -> dict[tuple[str, str, str], str]:
        """(sha256, entry_key, trust_context) → findings_json stored under ``context`` for these
        (sha256, entry_key) pairs and trust keys. Notes them used today."""
        c = T.FindingsCacheRecord.__table__
        wanted = set(keys)
        found: dict[tuple[str, str, str], str] = {}
        with self._transaction("read the findings cache") as conn:  # type: ignore[attr-defined]
            for chunk in _chunks(sorted(wanted)):
                # by entry key too: a file named by many rows must not bring back every row's findings
                where = sa.and_(c.c.context == context, c.c.trust_context.in_(tuple(trust_contexts)),
                                c.c.sha256.in_({sha for sha, _ in chunk}),
                                c.c.entry_key.in_({key for _, key in chunk}))
                columns = (c.c.sha256, c.c.entry_key, c.c.trust_context, c.c.findings_json)
                for sha, entry_key, trust, text in _read_noting_use(conn, c, columns, where):
                    if (sha, entry_key) in wanted:
                        found[(sha, entry_key, trust)] = text
        return found

    def save_cached_findings(self, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
        """Store (sha256, context, trust_context, entry_key, findings_json) rows; existing keys are kept."""
        if not rows:
            return
        c = T.FindingsCacheRecord.__table__
        today = dt.date.today()
        unique = {r[:4]: r[4] for r in rows}
        values = [dict(sha256=k[0], context=k[1], trust_context=k[2], entry_key=k[3], findings_json=v, used=today)
                  for k, v in unique.items()]
        with self._transaction("write the findings cache") as conn:  # type: ignore[attr-defined]
            _insert(conn, c, values, ("sha256", "context", "trust_context", "entry_key"), replace=False)

    # ------------------------------------------------------------------ file digests (schema 5)

    def file_digests(self, path_keys: Iterable[str]) -> dict[str, tuple[int, int, int, int, int, str, int]]:
        """path key → (size, mtime_ns, ctime_ns, ino, dev, sha256, read_ns) remembered for these
        keys (see :mod:`docaudit.digests`). Notes them used today."""
        d = T.FileDigestRecord.__table__
        keys = sorted(set(path_keys))
        found: dict[str, tuple[int, int, int, int, int, str, int]] = {}
        with self._transaction("read the file digests") as conn:  # type: ignore[attr-defined]
            for chunk in _chunks(keys):
                columns = (d.c.path_key, d.c.size, d.c.mtime_ns, d.c.ctime_ns, d.c.ino, d.c.dev, d.c.sha256,
                           d.c.read_ns)
                for key, *rest in _read_noting_use(conn, d, columns, d.c.path_key.in_(chunk)):
                    found[key] = tuple(rest)  # type: ignore[assignment]
        return found

    def save_file_digests(self, rows: Sequence[tuple[str, int, int, int, int, int, str, int]]) -> None:
        """Remember (path key, size, mtime_ns, ctime_ns, ino, dev, sha256, read_ns) rows, replacing
        what was remembered under the same path key."""
        if not rows:
            return
        d = T.FileDigestRecord.__table__
        today = dt.date.today()
        unique = {r[0]: r for r in rows}
        values = [dict(path_key=k, size=r[1], mtime_ns=r[2], ctime_ns=r[3], ino=r[4], dev=r[5], sha256=r[6],
                       read_ns=r[7], used=today) for k, r in unique.items()]
        with self._transaction("write the file digests") as conn:  # type: ignore[attr-defined]
            _insert(conn, d, values, ("path_key",), replace=True)

    def prune_evidence_cache(self, keep_days: int = CACHE_KEEP_DAYS) -> int:
        """Forget cached evidence (and findings and file digests) not noted used for ``keep_days``
        days (see :data:`USE_NOTED_DAYS`); returns how many evidence rows went."""
        c = T.EvidenceCacheRecord.__table__
        limit = dt.date.today() - dt.timedelta(days=keep_days)
        f = T.FindingsCacheRecord.__table__
        d = T.FileDigestRecord.__table__
        with self._transaction("prune the evidence cache") as conn:  # type: ignore[attr-defined]
            conn.execute(sa.delete(f).where(f.c.used < limit))
            conn.execute(sa.delete(d).where(d.c.used < limit))
            return conn.execute(sa.delete(c).where(c.c.used < limit)).rowcount or 0

    def clear_evidence_cache(self) -> int:
        c = T.EvidenceCacheRecord.__table__
        with self._transaction("clear the evidence cache") as conn:  # type: ignore[attr-defined]
            conn.execute(sa.delete(T.FindingsCacheRecord.__table__))
            conn.execute(sa.delete(T.FileDigestRecord.__table__))
            return conn.execute(sa.delete(c)).rowcount or 0
