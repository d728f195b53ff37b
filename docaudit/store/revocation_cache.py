"""The revocation cache of online runs (``--online``, issue 16 item 4): each CRL and OCSP response
fetched, as the CA sent it, with its thisUpdate and nextUpdate (``signatures/online.py`` decides
when a kept one is fresh: before its nextUpdate). Keyed by ``online.cache_key``: a CRL by its
address, an OCSP response by the responder's address and the request. Rows unused for
:data:`~.cache.CACHE_KEEP_DAYS` days are pruned with the evidence cache."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import schema as T
from .sql import upsert


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive date-times: they were stored in UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def cached_revocation(conn: Connection, key: str) -> tuple[bytes, dt.datetime | None, dt.datetime | None] | None:
    """(data, thisUpdate, nextUpdate) kept under ``key``, noted used today; ``None`` if none."""
    table = T.RevocationCacheRecord.__table__
    row = conn.execute(sa.select(table.c.data, table.c.this_update, table.c.next_update, table.c.used)
                       .where(table.c.cache_key == key)).first()
    if row is None:
        return None
    today = dt.date.today()
    if row.used != today:
        conn.execute(sa.update(table).where(table.c.cache_key == key).values(used=today))
    return bytes(row.data), _utc(row.this_update), _utc(row.next_update)


def save_revocation(conn: Connection, key: str, kind: str, url: str, data: bytes,
                    this_update: dt.datetime | None, next_update: dt.datetime | None) -> None:
    """Keep what was fetched under ``key``, replacing what was kept there."""
    table = T.RevocationCacheRecord.__table__
    now = dt.datetime.now(dt.timezone.utc)
    upsert(conn, table, [dict(cache_key=key, kind=kind, url=url, data=data, fetched=now, this_update=_utc(this_update),
                              next_update=_utc(next_update), used=now.date())], ("cache_key",), replace=True)


def prune_revocation_cache(conn: Connection, keep_days: int) -> int:
    """Forget what was not used for ``keep_days`` days; how many rows went."""
    table = T.RevocationCacheRecord.__table__
    limit = dt.date.today() - dt.timedelta(days=keep_days)
    return conn.execute(sa.delete(table).where(table.c.used < limit)).rowcount or 0
