"""The schema the SQLModel classes declare must stay exactly the one of tests/fixtures/store_schema.sql
(schema version 8), so existing databases stay valid; the store's Core statements reach each table
as its class's ``__table__``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from docaudit.store import schema as T

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store_schema.sql"


def _schema() -> str:
    out = []
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        out.append(f"-- dialect: {dialect.name}")
        for table in T.TABLES:
            out.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
            for index in sorted(table.indexes, key=lambda i: i.name):
                out.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";")
        out.append("")
    out.append("-- column defaults filled in by SQLAlchemy when an INSERT leaves the column out")
    for table in T.TABLES:
        for column in table.columns:
            if column.default is not None:
                out.append(f"-- default {table.name}.{column.name} = {column.default.arg!r}")
    return "\n".join(line.rstrip() for line in "\n".join(out).splitlines())


def test_schema_is_the_one_sqlmodel_declared() -> None:
    expected = "\n".join(line for line in FIXTURE.read_text(encoding="utf-8").splitlines()
                         if not line.startswith("-- The schema") and not line.startswith("-- docaudit/store"))
    assert _schema() == expected.strip("\n")


def test_every_table_is_reached_as_its_class_table() -> None:
    named = [getattr(T, name).__table__ for name in dir(T) if hasattr(getattr(T, name), "__table__")]
    assert sorted(t.name for t in named) == sorted(t.name for t in T.TABLES)
    assert all(t.name.startswith("docaudit_") for t in T.TABLES)
