"""Cache records note their last use at most once a week (a nightly audit does not rewrite every
record every night), and records unused for the keep period are pruned."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from docaudit.store import Store
from docaudit.store.cache import CACHE_KEEP_DAYS, USE_NOTED_DAYS

TODAY = dt.date.today()
SHA = ["a" * 64, "b" * 64, "c" * 64]


def _set_used(engine, table: str, days_ago: list[int]) -> None:
    with engine.begin() as conn:
        keys = [r[0] for r in conn.execute(sa.text(f"SELECT sha256 FROM {table} ORDER BY sha256"))]
        for key, days in zip(keys, days_ago):
            conn.execute(sa.text(f"UPDATE {table} SET used = :d WHERE sha256 = :k"),
                         {"d": TODAY - dt.timedelta(days=days), "k": key})


def _used(engine, table: str) -> list[int]:
    with engine.connect() as conn:
        return [(TODAY - (d if isinstance(d, dt.date) else dt.date.fromisoformat(d))).days
                for (d,) in conn.execute(sa.text(f"SELECT used FROM {table} ORDER BY sha256"))]


def test_use_is_noted_once_a_week(store_url, raw_engine):
    with Store.open(store_url) as store:
        store.save_cached_evidence([(sha, "ctx", "", "{}") for sha in SHA])
        store.save_cached_findings([(sha, "ctx", "", "key", "[]") for sha in SHA])
        ages = [USE_NOTED_DAYS - 1, USE_NOTED_DAYS + 1, CACHE_KEEP_DAYS + 1]
        _set_used(raw_engine, "docaudit_evidence_cache", ages)
        _set_used(raw_engine, "docaudit_findings_cache", ages)
        assert len(store.cached_evidence(SHA[:2], "ctx", "trust")) == 2
        assert len(store.cached_findings([(sha, "key") for sha in SHA[:2]], "ctx", ["", "trust"])) == 2
        # recent enough: left as it was; a week old: today; not read: as it was
        expected = [USE_NOTED_DAYS - 1, 0, CACHE_KEEP_DAYS + 1]
        assert _used(raw_engine, "docaudit_evidence_cache") == expected
        assert _used(raw_engine, "docaudit_findings_cache") == expected
        assert store.prune_evidence_cache() == 1
        assert len(store.cached_evidence(SHA, "ctx", "trust")) == 2


def test_file_digest_use_is_noted_once_a_week(store_url, raw_engine):
    with Store.open(store_url) as store:
        store.save_file_digests([(sha, 1, 2, 3, 4, 5, "d" * 64, 6) for sha in SHA])
        with raw_engine.begin() as conn:
            for sha, days in zip(SHA, [1, USE_NOTED_DAYS + 1, CACHE_KEEP_DAYS + 1]):
                conn.execute(sa.text("UPDATE docaudit_file_digest SET used = :d WHERE path_key = :k"),
                             {"d": TODAY - dt.timedelta(days=days), "k": sha})
        assert set(store.file_digests(SHA[:2])) == set(SHA[:2])
        with raw_engine.connect() as conn:
            used = [(TODAY - (d if isinstance(d, dt.date) else dt.date.fromisoformat(d))).days for (d,) in
                    conn.execute(sa.text("SELECT used FROM docaudit_file_digest ORDER BY path_key"))]
        assert used == [1, 0, CACHE_KEEP_DAYS + 1]
        store.prune_evidence_cache()
        assert set(store.file_digests(SHA)) == set(SHA[:2])
