"""The caches of incremental audits: a file's evidence by its bytes and the settings, an entry's
document-rule findings with it, and a file's SHA-256 by its stat record; each row notes the day
it was last used, and rows unused for about :data:`CACHE_KEEP_DAYS` days are pruned."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import schema as T
from .sql import in_chunks, upsert

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
    # the database compares the days: reading each row's day back as a date cost more than the query
    old = (table.c.used < stale).label("stale")
    rows = conn.execute(sa.select(*columns, old).where(where)).all()
    if any(row[-1] for row in rows):
        conn.execute(sa.update(table).where(where, table.c.used < stale).values(used=today))
    return [tuple(row[:-1]) for row in rows]


def cached_evidence(
    conn: Connection, digests: Iterable[str], context: str, trust_context: str
) -> list[tuple[str, str, str]]:
    """(sha256, trust_context, evidence_json) stored for these digests under ``context``, for
    the trust-independent key ``''`` and for ``trust_context``. Notes them used today."""
    c = T.EvidenceCacheRecord.__table__
    ids = sorted(set(digests))
    found: list[tuple[str, str, str]] = []
    for chunk in in_chunks(ids):
        where = sa.and_(c.c.context == context, c.c.trust_context.in_(("", trust_context)),
                        c.c.sha256.in_(chunk))
        found += _read_noting_use(conn, c, (c.c.sha256, c.c.trust_context, c.c.evidence_json), where)
    return found


def save_cached_evidence(conn: Connection, rows: Sequence[tuple[str, str, str, str]]) -> None:
    """Store (sha256, context, trust_context, evidence_json) rows; existing keys are kept."""
    if not rows:
        return
    c = T.EvidenceCacheRecord.__table__
    now = dt.datetime.now(dt.timezone.utc)
    unique = {(r[0], r[1], r[2]): r[3] for r in rows}
    values = [dict(sha256=k[0], context=k[1], trust_context=k[2], evidence_json=v, created=now, used=now.date())
              for k, v in unique.items()]
    upsert(conn, c, values, ("sha256", "context", "trust_context"), replace=False)


def cached_findings(
    conn: Connection, keys: Iterable[tuple[str, str]], context: str, trust_contexts: Iterable[str]
) -> dict[tuple[str, str, str], str]:
    """(sha256, entry_key, trust_context) → findings_json stored under ``context`` for these
    (sha256, entry_key) pairs and trust keys. Notes them used today."""
    c = T.FindingsCacheRecord.__table__
    wanted = set(keys)
    found: dict[tuple[str, str, str], str] = {}
    for chunk in in_chunks(sorted(wanted)):
        # by entry key too: a file named by many rows must not bring back every row's findings
        where = sa.and_(c.c.context == context, c.c.trust_context.in_(tuple(trust_contexts)),
                        c.c.sha256.in_({sha for sha, _ in chunk}),
                        c.c.entry_key.in_({key for _, key in chunk}))
        columns = (c.c.sha256, c.c.entry_key, c.c.trust_context, c.c.findings_json)
        for sha, entry_key, trust, text in _read_noting_use(conn, c, columns, where):
            if (sha, entry_key) in wanted:
                found[(sha, entry_key, trust)] = text
    return found


def save_cached_findings(conn: Connection, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
    """Store (sha256, context, trust_context, entry_key, findings_json) rows; existing keys are kept."""
    if not rows:
        return
    c = T.FindingsCacheRecord.__table__
    today = dt.date.today()
    unique = {r[:4]: r[4] for r in rows}
    values = [dict(sha256=k[0], context=k[1], trust_context=k[2], entry_key=k[3], findings_json=v, used=today)
              for k, v in unique.items()]
    upsert(conn, c, values, ("sha256", "context", "trust_context", "entry_key"), replace=False)


# --------------------------------------------------------------------------- file digests


def file_digests(conn: Connection, path_keys: Iterable[str]) -> dict[str, tuple[int, int, int, int, int, str, int]]:
    """path key → (size, mtime_ns, ctime_ns, ino, dev, sha256, read_ns) remembered for these
    keys (see :mod:`docaudit.digests`). Notes them used today."""
    d = T.FileDigestRecord.__table__
    keys = sorted(set(path_keys))
    found: dict[str, tuple[int, int, int, int, int, str, int]] = {}
    for chunk in in_chunks(keys):
        columns = (d.c.path_key, d.c.size, d.c.mtime_ns, d.c.ctime_ns, d.c.ino, d.c.dev, d.c.sha256,
                   d.c.read_ns)
        for key, *rest in _read_noting_use(conn, d, columns, d.c.path_key.in_(chunk)):
            found[key] = tuple(rest)  # type: ignore[assignment]
    return found


def save_file_digests(conn: Connection, rows: Sequence[tuple[str, int, int, int, int, int, str, int]]) -> None:
    """Remember (path key, size, mtime_ns, ctime_ns, ino, dev, sha256, read_ns) rows, replacing
    what was remembered under the same path key."""
    if not rows:
        return
    d = T.FileDigestRecord.__table__
    today = dt.date.today()
    unique = {r[0]: r for r in rows}
    values = [dict(path_key=k, size=r[1], mtime_ns=r[2], ctime_ns=r[3], ino=r[4], dev=r[5], sha256=r[6],
                   read_ns=r[7], used=today) for k, r in unique.items()]
    upsert(conn, d, values, ("path_key",), replace=True)


def prune_evidence_cache(conn: Connection, keep_days: int = CACHE_KEEP_DAYS) -> int:
    """Forget cached evidence (and findings and file digests) not noted used for ``keep_days``
    days (see :data:`USE_NOTED_DAYS`); returns how many evidence rows went."""
    c = T.EvidenceCacheRecord.__table__
    limit = dt.date.today() - dt.timedelta(days=keep_days)
    f = T.FindingsCacheRecord.__table__
    d = T.FileDigestRecord.__table__
    conn.execute(sa.delete(f).where(f.c.used < limit))
    conn.execute(sa.delete(d).where(d.c.used < limit))
    return conn.execute(sa.delete(c).where(c.c.used < limit)).rowcount or 0


def clear_evidence_cache(conn: Connection) -> int:
    c = T.EvidenceCacheRecord.__table__
    conn.execute(sa.delete(T.FindingsCacheRecord.__table__))
    conn.execute(sa.delete(T.FileDigestRecord.__table__))
    return conn.execute(sa.delete(c)).rowcount or 0
