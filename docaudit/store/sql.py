"""Statements the store's operations share: bulk inserts (under SQLite one ``executemany`` with the
ids given, not returned), inserts that keep or replace a row already stored under the same key, and
``IN (...)`` clauses in chunks."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.engine import Connection

from . import schema as T

CHUNK = 400  # ids per IN (...) clause: well below SQLite's and PostgreSQL's parameter limits


def in_chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Inserts:
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


class SqliteInserts(Inserts):
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
        statement = driver_insert(self.conn.dialect, table, tuple(rows[0]))
        if statement is None:  # a column default or an unusual statement: the general way
            super().many(table, rows)
            return
        sql, names, process = statement
        # the values in the statement's order: one C-level itemgetter call per row (a generator
        # per row cost 125,000 Python steps for one audit of 2,000 entries)
        values = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
        params = [values(row) for row in rows]
        converted = [(i, p) for i, p in enumerate(process) if p is not None]
        if converted:  # dates, times, booleans: through the column type's bind processor
            params = [_converted(row, converted) for row in params]
        self.conn.exec_driver_sql(sql, params)


def _converted(row: tuple[Any, ...], converted: list[tuple[int, Any]]) -> tuple[Any, ...]:
    values = list(row)
    for index, process in converted:
        values[index] = process(values[index])
    return tuple(values)


DRIVER_INSERTS: dict[tuple[Any, ...], tuple[str, list[str], list[Any]] | None] = {}


def driver_insert(dialect: Any, table: Any, keys: tuple[str, ...]) -> tuple[str, list[str], list[Any]] | None:
    """The driver's INSERT text for these columns of ``table``, its parameter names in order and
    each one's bind processor (``None``: the value goes as it is); ``None`` if the statement
    would need more than the given values. Compiled once per table and columns."""
    key = (dialect.name, dialect.paramstyle, table.name, keys)
    if key not in DRIVER_INSERTS:
        compiled = sa.insert(table).compile(dialect=dialect, column_keys=list(keys))
        names = list(compiled.positiontup or ())
        if sorted(names) != sorted(keys):
            DRIVER_INSERTS[key] = None
        else:
            process = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
            DRIVER_INSERTS[key] = (str(compiled), names, process)
    return DRIVER_INSERTS[key]


def upsert(conn: Connection, table: Any, values: list[dict[str, Any]], key: tuple[str, ...], *,
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
