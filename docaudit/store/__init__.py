"""The results database (SQLite by default, any SQLAlchemy URL, PostgreSQL for shared use).

    url, note = default_db_url(root)          # CONTRACT §5 --db default; note if we fell back
    with Store.open(url) as store:
        run_id = store.start_run(root=..., register_path=..., period_start=..., period_end=...,
                                 targets={...}, trust_fingerprint=..., validation_time=...,
                                 tool_version=...)
        store.save_row_errors(run_id, register.errors)
        for batch in batches:
            store.save_results(run_id, batch)   # one transaction per batch
        store.finish_run(run_id, report)        # the CONTRACT §6 dict
        # or, while a scan runs: RunWriter.start(store, ...), .write(batch), .attach(...), .finish(report)
        store.latest_run_id(); store.load_report(run_id); store.run_summary(run_id)
        store.runs(limit); store.agency_rates(run_ids, agency)        # history (schema 2)
        store.cached_evidence(...); store.save_cached_evidence(...)   # incremental scans

Every failure surfaces as ``docaudit.errors.StoreError`` with a one-line message (password masked).
"""

from ..store_location import default_db_url, user_cache_dir
from ._audit import AgencyRates, RunRecord
from ._store import SCHEMA_VERSION, RunSummary, Store, mask_url
from ._writer import RunWriter

__all__ = [
    "SCHEMA_VERSION", "AgencyRates", "RunRecord", "RunSummary", "RunWriter", "Store", "default_db_url", "mask_url",
    "user_cache_dir",
]
