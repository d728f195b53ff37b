"""The results database (SQLite by default, any SQLAlchemy URL, PostgreSQL for shared use).

    url, note = locate(db, root, config, create=True)   # where the database is; note if we fell back
    with Store.open(url) as store:
        run_id = store.start_run(root=..., register_path=..., period_start=..., period_end=...,
                                 targets={...}, trust_fingerprint=..., validation_time=...,
                                 tool_version=...)
        store.save_row_errors(run_id, register.errors)
        for batch in batches:
            store.save_results(run_id, batch)   # one transaction per batch
        store.finish_run(run_id, report)        # the typed report (docs/REPORT.md)
        # or, while a scan runs: RunWriter.start(store, ...), .write(batch), .attach(...), .finish(report)
        store.latest_run_id(); store.load_report(run_id); store.run_summary(run_id)
        store.runs(limit); store.agency_rates(run_ids, agency)        # history
        store.cached_evidence(...); store.save_cached_evidence(...)   # incremental scans

Every failure surfaces as ``docaudit.errors.StoreError`` with a one-line message (password masked).

The modules, one job each: ``schema`` (tables, DDL, version), ``migrations`` (older versions
brought up to date), ``connection`` (engine, URL masking, driver errors as one line), ``rows``
(model objects as rows), ``sql`` (bulk inserts, upserts, chunks), ``runs`` (writing and reading
runs and their figures), ``history`` (the runs and figures ``history``/``diff`` list), ``cache``
(evidence, findings and digest caches), ``database`` (the ``Store``: transactions over those),
``writer`` (a run written batch by batch while the scan goes on), ``location`` (where the database
is: one precedence for every command).
"""

from .connection import mask_url
from .database import Store
from .history import AgencyRates, RunRecord
from .location import Location, NoDatabase, default_db_url, locate, user_cache_dir
from .runs import RunSummary, summary_rows
from .schema import SCHEMA_VERSION
from .writer import RunWriter

__all__ = [
    "SCHEMA_VERSION", "AgencyRates", "Location", "NoDatabase", "RunRecord", "RunSummary", "RunWriter", "Store",
    "default_db_url", "locate", "mask_url", "summary_rows", "user_cache_dir",
]
