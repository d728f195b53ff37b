"""Connecting to the results database: the engine for a URL (SQLite pragmas, PostgreSQL timeout),
the URL with its password masked, and a driver's error as one line for the user."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

PG_CONNECT_TIMEOUT_S = 10
SQLITE_BUSY_TIMEOUT_MS = 30_000
"""Several scans may write one SQLite database at once: a writer waits this long for the lock."""

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


def reason(err: BaseException, url: str) -> str:
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


def create_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, and every SQLite connection waits
    for the lock, enforces foreign keys and uses WAL."""
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
