"""The results database: one ``Store`` per database URL, one engine per ``Store``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy import event, func
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from docaudit.errors import StoreError
from docaudit.jsonstream import chunks, iter_dumps
from docaudit.model import (
    EntryResult,
    Evidence,
    FileStatus,
    Finding,
    RegisterEntry,
    RowError,
    SignatureReport,
)

from ..store_layout import DONE, REPORT_PART_CHARS, RUNNING, SCHEMA_VERSION, SQLITE_BUSY_TIMEOUT_MS
from . import _tables as T
from ._audit import (
    AuditStoreMixin,
    migrate_1_to_2,
    migrate_2_to_3,
    migrate_3_to_4,
    migrate_4_to_5,
    migrate_5_to_7,
    migrate_6_to_7,
    save_summaries,
)

MIGRATIONS = {"1": migrate_1_to_2, "2": migrate_2_to_3, "3": migrate_3_to_4, "4": migrate_4_to_5, "5": migrate_5_to_7,
              "6": migrate_6_to_7}
PG_CONNECT_TIMEOUT_S = 10


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


# --------------------------------------------------------------------------- URL and errors


_PASSWORD_RE = re.compile(r"(://[^:/@?#]*:)[^@/?#]*@")


def mask_url(url: str | sa.URL) -> str:
    """The URL with its password replaced by ``***`` (also for strings SQLAlchemy cannot parse)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - unparseable: mask by hand
        return _PASSWORD_RE.sub(r"\1***@", str(url))


def _password(url: str) -> str | None:
    try:
        return make_url(url).password
    except Exception:  # noqa: BLE001
        m = re.search(r"://[^:/@?#]*:([^@/?#]*)@", url)
        return m.group(1) if m else None


def _reason(err: BaseException, url: str) -> str:
    """The driver's own words, on one line, without the password."""
    orig = getattr(err, "orig", None)
    if isinstance(err, ModuleNotFoundError):
        text = f"database driver not installed ({err.name or err})"
    elif isinstance(err, sa.exc.NoSuchModuleError):
        text = f"unknown database dialect ({err})"
    else:
        text = str(orig if orig is not None else err)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    line = " ".join(lines[:1]) or type(err).__name__
    line = re.sub(r"\s*\(Background on this error at: [^)]*\)", "", line)
    password = _password(url)
    if password:
        line = line.replace(password, "***")
    return line


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def _dumps_texts(items: Sequence[Any]) -> str:
    """``_dumps(list(items))``, remembered for lists of strings: the same reasons and key usages
    recur on thousands of rows. (Strings only: ``1`` and ``1.0`` are equal keys of a cache.)"""
    items = tuple(items)
    if all(type(item) is str for item in items):
        return _dumps_strings(items)
    return _dumps(list(items))


@lru_cache(maxsize=4096)
def _dumps_strings(items: tuple[str, ...]) -> str:
    return _dumps(list(items))


def _dumps_extra(extra: Mapping[str, Any]) -> str:
    return "{}" if not extra else _dumps(dict(extra))


def _report_parts(report: Mapping[str, Any]) -> Iterator[str]:
    """The report's JSON text in consecutive parts of about :data:`REPORT_PART_CHARS` characters
    (at least one: the text of a mapping is never empty). The text is the one the JSON output
    holds (an entry per line)."""
    return chunks(iter_dumps(report, indent=2, default=_jsonable, one_line_items=True), REPORT_PART_CHARS)


def _val(value: Any) -> Any:
    """Enum → its value; anything else unchanged."""
    return value.value if isinstance(value, enum.Enum) else value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# --------------------------------------------------------------------------- model → rows
# Module-level so a test can make one of them fail half-way through a batch. Plain column dicts:
# a batch is written with bulk INSERTs (building ORM objects cost more than the database did).


def _register_row(run_id: int, e: RegisterEntry) -> dict[str, Any]:
    return dict(
        run_id=run_id,
        row=e.row,
        agency=e.agency,
        direction=_val(e.direction),
        number=e.number,
        doc_type=e.doc_type,
        date=e.date,
        subject=e.subject,
        counterparty=e.counterparty,
        channel=_val(e.channel),
        via_system=bool(e.via_system),
        file=e.file,
        extra_json=_dumps_extra(e.extra),
    )


def _document(run_id: int, register_row_id: int, ev: Evidence) -> dict[str, Any]:
    dv = ev.verdict
    return dict(
        run_id=run_id,
        register_row_id=register_row_id,
        path=ev.path,
        sha256=ev.sha256,
        size=ev.size,
        kind=ev.kind,
        status=_val(ev.status),
        reason=ev.reason,
        pages=ev.pages,
        encrypted=bool(ev.encrypted),
        image_only=bool(ev.image_only),
        verdict=_val(dv.verdict) if dv else None,
        verdict_reasons=_dumps_texts(dv.reasons if dv else ()),
    )


def _signature(document_id: int, s: SignatureReport) -> dict[str, Any]:
    return dict(
        document_id=document_id,
        field=s.field,
        kind=s.kind,
        verdict=_val(s.verdict),
        reasons=_dumps_texts(s.reasons),
        signer=s.signer,
        signer_name=s.signer_name,
        issuer=s.issuer,
        serial=s.serial,
        signing_time=s.signing_time.isoformat() if s.signing_time else None,
        digest_algorithm=s.digest_algorithm,
        signature_algorithm=s.signature_algorithm,
        key_algorithm=s.key_algorithm,
        key_size=s.key_size,
        key_usage=_dumps_texts(s.key_usage),
        coverage=s.coverage,
        modification=s.modification,
        role=s.role,
        role_basis=s.role_basis,
        revision=s.revision,
        page=s.page,
        rect_json=_dumps(list(s.rect)) if s.rect is not None else None,
        detail=s.detail,
    )


def _finding(run_id: int, register_row_id: int, f: Finding) -> dict[str, Any]:
    return dict(
        run_id=run_id,
        register_row_id=register_row_id,
        rule=f.rule,
        severity=_val(f.severity),
        message=f.message,
        reference=f.reference,
    )


def _has_document(ev: Evidence) -> bool:
    """A register entry that names no file (paper-only) has no document row."""
    return not (_val(ev.status) == FileStatus.NONE.value and ev.path is None)


class _Inserts:
    """Bulk inserts in one transaction: ``with_ids`` (rows whose new ids the caller needs, in
    order) and ``many``. Any database: RETURNING gives the ids back, in order."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def with_ids(self, table: Any, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [row[0] for row in self.conn.execute(stmt, rows)]

    def many(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(sa.insert(table), rows)


class _SqliteInserts(_Inserts):
    """SQLite: every insert is one ``executemany`` of the driver, and ids are given, not returned.

    SQLite cannot promise the order of RETURNING rows, so SQLAlchemy sent those inserts one row
    at a time (4,000 statements for 2,000 entries), and its per-row parameter handling cost as
    much again: together most of the time of storing a run. Here each row gets the next id after
    the largest in its table, which is safe because the write lock is taken first (a no-op
    UPDATE of the run's row: a write statement holds the lock until the transaction ends,
    matched rows or not): no other writer can insert between reading the largest id and using
    the next ones, and this transaction's snapshot starts with that statement, so it sees every
    row already committed. Values go through each column type's own bind processor, as
    SQLAlchemy would send them."""

    def __init__(self, conn: Connection, run_id: int) -> None:
        super().__init__(conn)
        runs = T.ScanRun.__table__
        conn.execute(sa.update(runs).where(runs.c.id == run_id).values(entries_total=runs.c.entries_total))

    def with_ids(self, table: Any, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        start = self.conn.execute(sa.select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        ids = list(range(start, start + len(rows)))
        for row, row_id in zip(rows, ids):
            row["id"] = row_id
        self.many(table, rows)
        return ids

    def many(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        statement = _driver_insert(self.conn.dialect, table, tuple(rows[0]))
        if statement is None:  # a column default or an unusual statement: the general way
            super().many(table, rows)
            return
        sql, names, process = statement
        if not any(process):
            params = [tuple(row[name] for name in names) for row in rows]
        else:
            params = [tuple(row[name] if p is None else p(row[name]) for name, p in zip(names, process)) for row in rows]
        self.conn.exec_driver_sql(sql, params)


_DRIVER_INSERTS: dict[tuple[Any, ...], tuple[str, list[str], list[Any]] | None] = {}


def _driver_insert(dialect: Any, table: Any, keys: tuple[str, ...]) -> tuple[str, list[str], list[Any]] | None:
    """The driver's INSERT text for these columns of ``table``, its parameter names in order and
    each one's bind processor (``None``: the value goes as it is); ``None`` if the statement
    would need more than the given values. Compiled once per table and columns."""
    key = (dialect.name, dialect.paramstyle, table.name, keys)
    if key not in _DRIVER_INSERTS:
        compiled = sa.insert(table).compile(dialect=dialect, column_keys=list(keys))
        names = list(compiled.positiontup or ())
        if sorted(names) != sorted(keys):
            _DRIVER_INSERTS[key] = None
        else:
            process = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
            _DRIVER_INSERTS[key] = (str(compiled), names, process)
    return _DRIVER_INSERTS[key]


# --------------------------------------------------------------------------- engine


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args: dict[str, Any] = {}
        if parsed.get_driver_name() in ("psycopg", "psycopg2") and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S  # a silent server must not hang a scan
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)

    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:") and "mode=memory" not in str(parsed.query):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        parsed,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no branch
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")
        finally:
            cur.close()

    return engine


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


def _prepare_schema(engine: Engine, masked: str) -> None:
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
                conn.execute(
                    sa.insert(T.Meta.__table__).values(key="schema_version", value=str(SCHEMA_VERSION))
                )
            return
        except (IntegrityError, sa.exc.ProgrammingError, sa.exc.OperationalError):
            if last:
                raise
    raise StoreError(f"database {masked}: the schema could not be brought to version {SCHEMA_VERSION}")


# --------------------------------------------------------------------------- the store


class Store(AuditStoreMixin):
    """The results database of docaudit scans.

    Open with ``Store.open(url)`` (preferably as a context manager). Every method runs in its own
    short transaction, so one ``Store`` may be shared by threads. The tables stay inside this
    package: callers pass and get back ``docaudit.model`` objects, plain dicts and ints.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self.url = url
        """The database URL with the password masked (safe to print)."""

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def open(cls, url: str) -> Store:
        masked = mask_url(url)
        engine: Engine | None = None
        try:
            engine = _create_engine(url)
            _prepare_schema(engine, masked)
        except StoreError:
            if engine is not None:
                engine.dispose()
            raise
        except Exception as err:  # noqa: BLE001 - any driver/URL/OS error becomes one line
            if engine is not None:
                engine.dispose()
            raise StoreError(f"cannot open database {masked}: {_reason(err, url)}") from err
        return cls(engine, masked)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _transaction(self, action: str) -> Iterator[Connection]:
        """One transaction: committed at the end, rolled back on any exception (also Ctrl-C)."""
        try:
            with self._engine.begin() as conn:
                yield conn
        except StoreError:
            raise
        except SQLAlchemyError as err:
            raise StoreError(f"cannot {action} in database {self.url}: {_reason(err, '')}") from err

    def _run(self, conn: Connection, run_id: int) -> sa.Row:
        """The run's ``status`` and ``report_json`` (the first part of its report)."""
        runs = T.ScanRun.__table__
        run = conn.execute(sa.select(runs.c.status, runs.c.report_json).where(runs.c.id == run_id)).first()
        if run is None:
            raise StoreError(f"no scan run {run_id} in database {self.url}")
        return run

    # ------------------------------------------------------------------ writing

    def start_run(
        self,
        *,
        root: str | Path,
        register_path: str | Path | None,
        period_start: dt.date | None,
        period_end: dt.date | None,
        targets: Mapping[str, Any],
        trust_fingerprint: str | None,
        validation_time: str | None,
        tool_version: str | None,
    ) -> int:
        """Record a new scan (status ``running``) and return its id."""
        run = dict(
            started=_now(),
            root=str(root),
            register_path=str(register_path) if register_path is not None else None,
            period_start=period_start,
            period_end=period_end,
            targets_json=_dumps(dict(targets)),
            trust_fingerprint=trust_fingerprint,
            validation_time=validation_time,
            tool_version=tool_version,
            status=RUNNING,
        )
        with self._transaction("start a scan run") as conn:
            run_id = conn.execute(sa.insert(T.ScanRun.__table__).values(**run)).inserted_primary_key[0]
            assert run_id is not None
            return int(run_id)

    def save_results(self, run_id: int, results: Sequence[EntryResult]) -> list[int]:
        """Write a batch of results (register rows, documents, signatures, findings) and return
        the ids of their register rows, in order (findings known only later, such as the
        register-level rules, are attached to them by ``finish_run``).

        All or nothing: the batch is one transaction, so an interrupted scan never leaves half an
        entry behind. Bulk inserts, four statements per batch whatever its size (ids come back with
        RETURNING, in order; under SQLite they are given: see :class:`_SqliteInserts`).
        """
        if not results:
            return []

        with self._transaction("save results") as conn:
            insert = _SqliteInserts(conn, run_id) if conn.dialect.name == "sqlite" else _Inserts(conn)
            row_ids = insert.with_ids(T.RegisterRow.__table__, [_register_row(run_id, r.entry) for r in results])
            with_docs = [(r.evidence, row_id) for r, row_id in zip(results, row_ids) if _has_document(r.evidence)]
            doc_ids = insert.with_ids(
                T.Document.__table__, [_document(run_id, row_id, ev) for ev, row_id in with_docs]
            )
            signatures = [
                _signature(doc_id, sig)
                for (ev, _), doc_id in zip(with_docs, doc_ids)
                if ev.verdict is not None
                for sig in ev.verdict.signatures
            ]
            findings = [_finding(run_id, row_id, f) for r, row_id in zip(results, row_ids) for f in r.findings]
            insert.many(T.SignatureRecord.__table__, signatures)
            insert.many(T.FindingRecord.__table__, findings)
        return row_ids

    def save_row_errors(self, run_id: int, errors: Sequence[RowError]) -> None:
        """Record the register rows that could not be parsed (one transaction)."""
        if not errors:
            return
        with self._transaction("save register row errors") as conn:
            conn.execute(sa.insert(T.RowErrorRecord.__table__),
                         [dict(run_id=run_id, row=e.row, agency=e.agency, reason=e.reason) for e in errors])

    def finish_run(
        self, run_id: int, report: Mapping[str, Any], findings: Sequence[tuple[int, Finding]] = ()
    ) -> None:
        """Store the JSON report (CONTRACT §6) and mark the run ``done``.

        ``findings`` are (register row id, finding) pairs known only once every entry had been
        written (the register-level rules); they are saved in the same transaction, so a run
        marked ``done`` always has all of its findings. The report is encoded as it is written,
        in parts of :data:`REPORT_PART_CHARS` (its ``entries`` may be a ``LazyList``)."""
        parts = _report_parts(report)
        rows = T.RegisterRow.__table__
        runs = T.ScanRun.__table__
        count = sa.select(func.count()).select_from(rows).where(rows.c.run_id == run_id).scalar_subquery()
        try:
            first = next(parts)
            with self._transaction("finish the scan run") as conn:
                # one UPDATE: no read-then-write, so no busy-snapshot surprise under SQLite WAL. The
                # report goes in as a parameter, not a value of the statement: SQLAlchemy caches
                # compiled statements with the statement object, which would keep the text alive.
                result = conn.execute(
                    sa.update(runs)
                    .where(runs.c.id == run_id)
                    .values(report_json=sa.bindparam("report_text", type_=runs.c.report_json.type),
                            status=DONE, finished=_now(), entries_total=count),
                    {"report_text": first},
                )
                if result.rowcount == 0:
                    raise StoreError(f"no scan run {run_id} in database {self.url}")
                del first
                part = T.ReportPart.__table__
                for seq, text in enumerate(parts, 1):
                    conn.execute(sa.insert(part), {"run_id": run_id, "seq": seq, "text": text})
                if findings:
                    conn.execute(sa.insert(T.FindingRecord.__table__),
                                 [_finding(run_id, row_id, f) for row_id, f in findings])
                save_summaries(conn, run_id, report)
        except (TypeError, ValueError) as err:  # the report does not encode: nothing was written
            raise StoreError(f"cannot store the report of scan run {run_id}: {err}") from err

    # ------------------------------------------------------------------ reading

    def latest_run_id(self) -> int | None:
        """The id of the most recently finished run, or ``None``."""
        runs = T.ScanRun.__table__
        with self._transaction("read scan runs") as conn:
            return conn.execute(
                sa.select(runs.c.id)
                .where(runs.c.status == DONE)
                .order_by(runs.c.finished.desc(), runs.c.id.desc())
                .limit(1)
            ).scalar()

    def load_report(self, run_id: int) -> dict[str, Any]:
        """The JSON report stored by ``finish_run``."""
        part = T.ReportPart.__table__
        with self._transaction("read the report") as conn:
            run = self._run(conn, run_id)
            if run.report_json is None:
                raise StoreError(f"scan run {run_id} has no report (status: {run.status})")
            rest = conn.execute(
                sa.select(part.c.text).where(part.c.run_id == run_id).order_by(part.c.seq)
            ).scalars().all()
            return json.loads(run.report_json + "".join(rest) if rest else run.report_json)

    def run_summary(self, run_id: int) -> RunSummary:
        """How many entries, documents, signatures, findings and row errors a run holds."""

        def count(conn: Connection, table: Any, where: Any, *joins: Any) -> int:
            stmt = sa.select(func.count()).select_from(table)
            for target, on in joins:
                stmt = stmt.join(target, on)
            return int(conn.execute(stmt.where(where)).scalar_one())

        rr, doc, sig, fnd, err = (
            T.RegisterRow.__table__,
            T.Document.__table__,
            T.SignatureRecord.__table__,
            T.FindingRecord.__table__,
            T.RowErrorRecord.__table__,
        )
        with self._transaction("read the scan run") as conn:
            run = self._run(conn, run_id)
            return RunSummary(
                run_id=run_id,
                status=run.status,
                entries=count(conn, rr, rr.c.run_id == run_id),
                documents=count(conn, doc, doc.c.run_id == run_id),
                signatures=count(conn, sig, doc.c.run_id == run_id, (doc, sig.c.document_id == doc.c.id)),
                findings=count(conn, fnd, fnd.c.run_id == run_id),
                row_errors=count(conn, err, err.c.run_id == run_id),
            )
