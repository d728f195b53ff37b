"""The tables of the results database (its DDL), declared as SQLModel classes, and the schema
version they make. Private to ``docaudit.store``.

The tables live in their own SQLAlchemy registry/metadata, so that other SQLModel classes in the
process (or in the same database) never get mixed into ``create_all`` and never clash by class name.
Every table name starts with ``docaudit_`` so the schema can share a PostgreSQL database.

The store reads and writes through SQLAlchemy Core statements over each class's table
(``T.ScanRun.__table__``), not through ORM sessions: a batch of a few thousand rows goes in one
``executemany`` instead of one object per row (tests/store/test_store_tables.py keeps the DDL
equal to tests/fixtures/store_schema.sql).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, LargeBinary, MetaData, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 8
"""1: scan runs. 2: + run info, per-agency run figures, evidence cache. 3: + report parts. 4: +
findings cache. 5: + file digests by stat record. 6: + run inputs (replayed audits). 7: − run
inputs (replays removed; their runs made ordinary). 8: + revocation cache (``--online``). Older
databases are migrated in place when opened (``migrations``); a database of a newer version is
refused."""
RUNNING = "running"
DONE = "done"
"""The ``status`` of a run while it is written, and once it is finished (only these are read)."""

_registry = registry(metadata=MetaData())


class _Base(SQLModel, registry=_registry):
    pass


METADATA = _registry.metadata


def _fk(target: str, *, nullable: bool = False):
    return Field(
        default=None if nullable else ...,
        foreign_key=target,
        ondelete="CASCADE",
        index=True,
        nullable=nullable,
    )


class Meta(_Base, table=True):
    """Key/value facts about the database itself (``schema_version``)."""

    __tablename__ = "docaudit_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)


class ScanRun(_Base, table=True):
    __tablename__ = "docaudit_scan_run"

    id: int | None = Field(default=None, primary_key=True)
    started: dt.datetime = Field(sa_type=DateTime(timezone=True))
    finished: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    root: str = Field(sa_type=Text)
    register_path: str | None = Field(default=None, sa_type=Text)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    targets_json: str = Field(default="{}", sa_type=Text)
    trust_fingerprint: str | None = Field(default=None, sa_type=Text)
    validation_time: str | None = Field(default=None, sa_type=Text)
    tool_version: str | None = Field(default=None, max_length=64)
    status: str = Field(default=RUNNING, max_length=16, index=True)
    report_json: str | None = Field(default=None, sa_type=Text)
    entries_total: int = 0


class RegisterRow(_Base, table=True):
    __tablename__ = "docaudit_register_row"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = _fk("docaudit_scan_run.id")
    row: int
    agency: str = Field(sa_type=Text)
    direction: str = Field(max_length=16)
    number: str = Field(sa_type=Text)
    doc_type: str = Field(sa_type=Text)
    date: dt.date
    subject: str = Field(sa_type=Text)
    counterparty: str = Field(sa_type=Text)
    channel: str = Field(max_length=16)
    via_system: bool
    file: str | None = Field(default=None, sa_type=Text)
    extra_json: str = Field(default="{}", sa_type=Text)


class Document(_Base, table=True):
    __tablename__ = "docaudit_document"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = _fk("docaudit_scan_run.id")
    register_row_id: int = _fk("docaudit_register_row.id")
    path: str | None = Field(default=None, sa_type=Text)
    sha256: str | None = Field(default=None, max_length=64)
    size: int | None = Field(default=None, sa_type=BigInteger)
    kind: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=16)
    reason: str | None = Field(default=None, sa_type=Text)
    pages: int | None = None
    encrypted: bool = False
    image_only: bool = False
    verdict: str | None = Field(default=None, max_length=16)
    verdict_reasons: str = Field(default="[]", sa_type=Text)


class SignatureRecord(_Base, table=True):
    __tablename__ = "docaudit_signature"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("docaudit_document.id")
    field: str = Field(sa_type=Text)
    kind: str = Field(max_length=16)
    verdict: str = Field(max_length=16)
    reasons: str = Field(default="[]", sa_type=Text)
    signer: str | None = Field(default=None, sa_type=Text)
    signer_name: str | None = Field(default=None, sa_type=Text)
    issuer: str | None = Field(default=None, sa_type=Text)
    serial: str | None = Field(default=None, sa_type=Text)
    signing_time: str | None = Field(default=None, max_length=64)
    """ISO 8601 text, offset kept exactly as found (portable across SQLite and PostgreSQL)."""
    digest_algorithm: str | None = Field(default=None, max_length=64)
    signature_algorithm: str | None = Field(default=None, max_length=64)
    key_algorithm: str | None = Field(default=None, max_length=64)
    key_size: int | None = None
    key_usage: str = Field(default="[]", sa_type=Text)
    coverage: str | None = Field(default=None, max_length=64)
    modification: str | None = Field(default=None, max_length=64)
    role: str | None = Field(default=None, max_length=32)
    role_basis: str | None = Field(default=None, sa_type=Text)
    revision: int | None = None
    page: int | None = None
    rect_json: str | None = Field(default=None, sa_type=Text)
    detail: str | None = Field(default=None, sa_type=Text)


class FindingRecord(_Base, table=True):
    __tablename__ = "docaudit_finding"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = _fk("docaudit_scan_run.id")
    register_row_id: int = _fk("docaudit_register_row.id")
    rule: str = Field(max_length=64)
    severity: str = Field(max_length=16)
    message: str = Field(sa_type=Text)
    reference: str | None = Field(default=None, sa_type=Text)


class RowErrorRecord(_Base, table=True):
    __tablename__ = "docaudit_row_error"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = _fk("docaudit_scan_run.id")
    row: int
    agency: str | None = Field(default=None, sa_type=Text)
    reason: str = Field(sa_type=Text)


# --------------------------------------------------------------------------- schema version 2
# Scheduled audits (issue 4): per-run summaries for `history`, and the incremental-scan cache.


class RunInfo(_Base, table=True):
    """What kind of run it was and how it was run (one row per finished run)."""

    __tablename__ = "docaudit_run_info"

    run_id: int = Field(primary_key=True, foreign_key="docaudit_scan_run.id", ondelete="CASCADE")
    command: str = Field(default="scan", max_length=16)
    period_label: str | None = Field(default=None, sa_type=Text)
    config_hash: str | None = Field(default=None, max_length=64)
    rule_pack: str | None = Field(default=None, max_length=64)
    documents_evaluated: int | None = None
    documents_reused: int | None = None
    new_errors: int | None = None
    accepted_findings: int | None = None


class RunAgency(_Base, table=True):
    """One agency's figures in one run (``agency`` NULL: the overall figures)."""

    __tablename__ = "docaudit_run_agency"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = _fk("docaudit_scan_run.id")
    agency: str | None = Field(default=None, sa_type=Text)
    total: int = 0
    via_count: int = 0
    via_claimed: int = 0
    via_rate: float | None = None
    via_met: bool | None = None
    paperless_count: int = 0
    paperless_claimed: int = 0
    paperless_rate: float | None = None
    paperless_met: bool | None = None


class EvidenceCacheRecord(_Base, table=True):
    """Evidence of a file's bytes under given settings, reused by incremental scans."""

    __tablename__ = "docaudit_evidence_cache"

    sha256: str = Field(primary_key=True, max_length=64)
    context: str = Field(primary_key=True, max_length=64)
    """Tool, code, rule-pack and rules-config fingerprint."""
    trust_context: str = Field(primary_key=True, max_length=64)
    """Trust set + validation time fingerprint for signed files; '' when the evidence does not
    depend on them (unsigned, DOCX, unreadable without signatures)."""
    evidence_json: str = Field(sa_type=Text)
    created: dt.datetime = Field(sa_type=DateTime(timezone=True))
    used: dt.date = Field(index=True)


# --------------------------------------------------------------------------- schema version 3
# Streaming scans (issue 6): a large JSON report is written and read in parts.


class ReportPart(_Base, table=True):
    """The continuation of a run's JSON report: ``report_json`` holds its first part and these
    rows the rest, in ``seq`` order (the report is their concatenation). A 20,000-entry report is
    some 60 MB of JSON; as one SQL value it cost several times that in memory (the text, its
    UTF-8 form, the driver's and SQLite's copies); in parts of about a megabyte it costs a few."""

    __tablename__ = "docaudit_report_part"

    run_id: int = Field(primary_key=True, foreign_key="docaudit_scan_run.id", ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    text: str = Field(sa_type=Text)


# --------------------------------------------------------------------------- schema version 4
# Incremental audits (issue 4): the document-rule findings of an entry are reused with its evidence.


class FindingsCacheRecord(_Base, table=True):
    """The document-rule findings of one register entry on one file's bytes, under given settings.
    ``entry_key`` fingerprints every register field of the entry (the rules compare some of them
    with the document): the same file named by a changed row is judged again."""

    __tablename__ = "docaudit_findings_cache"

    sha256: str = Field(primary_key=True, max_length=64)
    context: str = Field(primary_key=True, max_length=64)
    trust_context: str = Field(primary_key=True, max_length=64)
    entry_key: str = Field(primary_key=True, max_length=64)
    findings_json: str = Field(sa_type=Text)
    used: dt.date = Field(index=True)


# --------------------------------------------------------------------------- schema version 5
# Incremental audits (issue 4): a file's SHA-256 is remembered with its stat record, so an unchanged
# file is not read again (docaudit.digests).


class FileDigestRecord(_Base, table=True):
    """The SHA-256 of a file when it had this stat record (size, times in ns, inode, device)."""

    __tablename__ = "docaudit_file_digest"

    path_key: str = Field(primary_key=True, max_length=64)
    """SHA-256 of the resolved path's bytes: fixed length (an index entry has a size limit in
    PostgreSQL, a path does not) and any file name is stored, even one that is not UTF-8."""
    size: int = Field(sa_type=BigInteger)
    mtime_ns: int = Field(sa_type=BigInteger)
    ctime_ns: int = Field(sa_type=BigInteger)
    ino: int = Field(sa_type=BigInteger)
    dev: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64)
    read_ns: int = Field(sa_type=BigInteger)
    """When the file was read (``time.time_ns()``): decides whether the record may be trusted."""
    used: dt.date = Field(index=True)


# --------------------------------------------------------------------------- schema version 7
# Version 6 added ``docaudit_run_inputs`` for replayed audits; version 7 drops it again (replays
# were removed: the evidence cache already evaluates nothing in an unchanged folder).
# ``migrations`` turns the runs it described into ordinary runs first.


TABLES_V1 = [
    Meta.__table__,
    ScanRun.__table__,
    RegisterRow.__table__,
    Document.__table__,
    SignatureRecord.__table__,
    FindingRecord.__table__,
    RowErrorRecord.__table__,
]
TABLES_V2 = [RunInfo.__table__, RunAgency.__table__, EvidenceCacheRecord.__table__]
TABLES_V3 = [ReportPart.__table__]
TABLES_V4 = [FindingsCacheRecord.__table__]
TABLES_V5 = [FileDigestRecord.__table__]


# --------------------------------------------------------------------------- schema version 8
# online revocation (--online, issue 16 item 4): the CRLs and OCSP responses fetched, kept until
# their nextUpdate (docaudit/signatures/online.py, store/revocation_cache.py).


class RevocationCacheRecord(_Base, table=True):
    """A CRL (by its address) or an OCSP response (by the responder's address and the request)
    fetched by an online run, as the CA sent it."""

    __tablename__ = "docaudit_revocation_cache"

    cache_key: str = Field(primary_key=True, max_length=64)
    """SHA-256 of the kind, the address and (OCSP) the request: ``online.cache_key``."""
    kind: str = Field(max_length=8)
    """``crl`` or ``ocsp``."""
    url: str = Field(sa_type=Text)
    data: bytes = Field(sa_type=LargeBinary)
    fetched: dt.datetime = Field(sa_type=DateTime(timezone=True))
    this_update: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    next_update: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """Until when it may be used without fetching again (none: fetched again every run)."""
    used: dt.date = Field(index=True)


TABLES_V8 = [RevocationCacheRecord.__table__]
TABLES = TABLES_V1 + TABLES_V2 + TABLES_V3 + TABLES_V4 + TABLES_V5 + TABLES_V8
