"""PostgreSQL helpers shared by the test folders.

    from pg import postgres_url_or_skip, temporary_database

    admin = postgres_url_or_skip()            # skips (or fails when CI=true) if no server answers
    with temporary_database(admin) as url:    # a fresh, uniquely named database, dropped afterwards
        ...

The server defaults to ``postgresql+psycopg://root@127.0.0.1:5432/test`` (trust auth);
``$DOCAUDIT_TEST_PG_URL`` overrides it. To import this from a test folder without ``__init__.py``,
put the ``tests`` folder on ``sys.path`` first (see ``tests/store/conftest.py``).
"""

from __future__ import annotations

import os
import re
import secrets
from contextlib import contextmanager
from typing import Iterator

import pytest

DEFAULT_ADMIN_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"
CONNECT_TIMEOUT_S = 5


def admin_url() -> str:
    return os.environ.get("DOCAUDIT_TEST_PG_URL") or DEFAULT_ADMIN_URL


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _where(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        u = make_url(url)
        return f"{u.host or 'localhost'}:{u.port or 5432}"
    except Exception:  # noqa: BLE001
        return url


def _engine(url: str, **kw):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, **kw)


def postgres_url_or_skip(url: str | None = None) -> str:
    """Return ``url`` (default: ``admin_url()``) once ``SELECT 1`` works there.

    If the server does not answer (or the driver is missing), skip the calling test with
    "PostgreSQL not reachable at HOST:PORT: reason" — or fail with that message when ``CI=true``,
    because CI must run the PostgreSQL cases.
    """
    url = url or admin_url()
    try:
        from sqlalchemy import text

        engine = _engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as err:  # noqa: BLE001 - any failure means "not reachable"
        orig = getattr(err, "orig", None) or err
        reason = next((ln.strip() for ln in str(orig).splitlines() if ln.strip()), type(err).__name__)
        msg = f"PostgreSQL not reachable at {_where(url)}: {reason}"
        if in_ci():
            pytest.fail(msg + " (CI=true: the PostgreSQL tests are required)", pytrace=False)
        pytest.skip(msg)
    return url


@contextmanager
def temporary_database(admin: str, prefix: str = "docaudit_test_") -> Iterator[str]:
    """Create ``<prefix><random hex>`` through an autocommit connection to ``admin``'s database,
    yield its URL, then drop it (terminating connections left open to it)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"{prefix}{secrets.token_hex(6)}"
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    engine = _engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(admin).set(database=name).render_as_string(hide_password=False)
        finally:
            with engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        engine.dispose()
