"""Facts about the results database that code outside ``docaudit.store`` needs without importing
SQLAlchemy: :mod:`docaudit.replay` writes a replayed audit through the standard ``sqlite3``
module, and an unchanged nightly audit must not pay for SQLAlchemy's and SQLModel's imports
(0.25 s, most of such a run). ``docaudit.store`` takes these from here too, so they are defined
once; where the database lives is :mod:`docaudit.store_location`."""

SCHEMA_VERSION = 7
"""1: scan runs. 2: + run info, per-agency run figures, evidence cache. 3: + report parts. 4: +
findings cache. 5: + file digests by stat record. 6: + run inputs (replayed audits). 7: − run
inputs (replays removed; their runs made ordinary). Older databases are migrated in place when
opened; a database of a newer version is refused."""
REPORT_PART_CHARS = 1 << 20
"""A stored report is cut into parts of about this many characters (see ``docaudit_report_part``)."""
RUNNING = "running"
DONE = "done"
SQLITE_BUSY_TIMEOUT_MS = 30_000
