"""The tables of the results database (SQLAlchemy Core). Private to ``docaudit.store``.

The tables live in their own ``MetaData``, so that other tables in the process (or in the same
database) never get mixed into ``create_all``. Every table name starts with ``docaudit_`` so the
schema can share a PostgreSQL database.

Each table is reached as ``<Name>.__table__`` (``T.ScanRun.__table__``), the attribute the
SQLModel classes of earlier versions had. They were plain Core tables underneath, used as such
by every query: SQLModel, pydantic and the ORM cost a quarter of a second of start-up (a sixth of
an unchanged second audit) for nothing. The columns, types, defaults, keys and indexes are those
the SQLModel classes declared, so databases created before are the same schema
(tests/store/test_store_schema.py compares the DDL).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

METADATA = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> Column:
    return Column(name, Integer, ForeignKey(target, ondelete="CASCADE"), index=True, nullable=nullable)


def _text(name: str, *, nullable: bool = False, default: str | None = None) -> Column:
    return Column(name, Text, nullable=nullable, default=default)


def _short(name: str, length: int, *, nullable: bool = False, default: str | None = None, **kwargs) -> Column:
    return Column(name, String(length), nullable=nullable, default=default, **kwargs)


def _int(name: str, *, nullable: bool = False, default: int | None = None) -> Column:
    return Column(name, Integer, nullable=nullable, default=default)


class Meta:
    """Key/value facts about the database itself (``schema_version``)."""

    __table__ = Table(
        "docaudit_meta", METADATA,
        _short("key", 64, primary_key=True),
        _text("value"),
    )


class ScanRun:
    __table__ = Table(
        "docaudit_scan_run", METADATA,
        _id(),
        Column("started", DateTime(timezone=True), nullable=False),
        Column("finished", DateTime(timezone=True), nullable=True),
        _text("root"),
        _text("register_path", nullable=True),
        Column("period_start", Date, nullable=True),
        Column("period_end", Date, nullable=True),
        _text("targets_json", default="{}"),
        _text("trust_fingerprint", nullable=True),
        _text("validation_time", nullable=True),
        _short("tool_version", 64, nullable=True),
        _short("status", 16, default="running", index=True),
        _text("report_json", nullable=True),
        _int("entries_total", default=0),
    )


class RegisterRow:
    __table__ = Table(
        "docaudit_register_row", METADATA,
        _id(),
        _fk("run_id", "docaudit_scan_run.id"),
        _int("row"),
        _text("agency"),
        _short("direction", 16),
        _text("number"),
        _text("doc_type"),
        Column("date", Date, nullable=False),
        _text("subject"),
        _text("counterparty"),
        _short("channel", 16),
        Column("via_system", Boolean, nullable=False),
        _text("file", nullable=True),
        _text("extra_json", default="{}"),
    )


class Document:
    __table__ = Table(
        "docaudit_document", METADATA,
        _id(),
        _fk("run_id", "docaudit_scan_run.id"),
        _fk("register_row_id", "docaudit_register_row.id"),
        _text("path", nullable=True),
        _short("sha256", 64, nullable=True),
        Column("size", BigInteger, nullable=True),
        _short("kind", 16, nullable=True),
        _short("status", 16),
        _text("reason", nullable=True),
        _int("pages", nullable=True),
        Column("encrypted", Boolean, nullable=False, default=False),
        Column("image_only", Boolean, nullable=False, default=False),
        _short("verdict", 16, nullable=True),
        _text("verdict_reasons", default="[]"),
    )


class SignatureRecord:
    __table__ = Table(
        "docaudit_signature", METADATA,
        _id(),
        _fk("document_id", "docaudit_document.id"),
        _text("field"),
        _short("kind", 16),
        _short("verdict", 16),
        _text("reasons", default="[]"),
        _text("signer", nullable=True),
        _text("signer_name", nullable=True),
        _text("issuer", nullable=True),
        _text("serial", nullable=True),
        # ISO 8601 text, offset kept exactly as found (portable across SQLite and PostgreSQL)
        _short("signing_time", 64, nullable=True),
        _short("digest_algorithm", 64, nullable=True),
        _short("signature_algorithm", 64, nullable=True),
        _short("key_algorithm", 64, nullable=True),
        _int("key_size", nullable=True),
        _text("key_usage", default="[]"),
        _short("coverage", 64, nullable=True),
        _short("modification", 64, nullable=True),
        _short("role", 32, nullable=True),
        _text("role_basis", nullable=True),
        _int("revision", nullable=True),
        _int("page", nullable=True),
        _text("rect_json", nullable=True),
        _text("detail", nullable=True),
    )


class FindingRecord:
    __table__ = Table(
        "docaudit_finding", METADATA,
        _id(),
        _fk("run_id", "docaudit_scan_run.id"),
        _fk("register_row_id", "docaudit_register_row.id"),
        _short("rule", 64),
        _short("severity", 16),
        _text("message"),
        _text("reference", nullable=True),
    )


class RowErrorRecord:
    __table__ = Table(
        "docaudit_row_error", METADATA,
        _id(),
        _fk("run_id", "docaudit_scan_run.id"),
        _int("row"),
        _text("agency", nullable=True),
        _text("reason"),
    )


# --------------------------------------------------------------------------- schema version 2
# Scheduled audits (issue 4): per-run summaries for `history`, and the incremental-scan cache.


class RunInfo:
    """What kind of run it was and how it was run (one row per finished run)."""

    __table__ = Table(
        "docaudit_run_info", METADATA,
        Column("run_id", Integer, ForeignKey("docaudit_scan_run.id", ondelete="CASCADE"), primary_key=True),
        _short("command", 16, default="scan"),
        _text("period_label", nullable=True),
        _short("config_hash", 64, nullable=True),
        _short("rule_pack", 64, nullable=True),
        _int("documents_evaluated", nullable=True),
        _int("documents_reused", nullable=True),
        _int("new_errors", nullable=True),
        _int("accepted_findings", nullable=True),
    )


class RunAgency:
    """One agency's figures in one run (``agency`` NULL: the overall figures)."""

    __table__ = Table(
        "docaudit_run_agency", METADATA,
        _id(),
        _fk("run_id", "docaudit_scan_run.id"),
        _text("agency", nullable=True),
        _int("total", default=0),
        _int("via_count", default=0),
        _int("via_claimed", default=0),
        Column("via_rate", Float, nullable=True),
        Column("via_met", Boolean, nullable=True),
        _int("paperless_count", default=0),
        _int("paperless_claimed", default=0),
        Column("paperless_rate", Float, nullable=True),
        Column("paperless_met", Boolean, nullable=True),
    )


class EvidenceCacheRecord:
    """Evidence of a file's bytes under given settings, reused by incremental scans.

    ``context``: tool, code, rule-pack and rules-config fingerprint. ``trust_context``: trust set
    + validation time fingerprint for signed files; '' when the evidence does not depend on them
    (unsigned, DOCX, unreadable without signatures)."""

    __table__ = Table(
        "docaudit_evidence_cache", METADATA,
        _short("sha256", 64, primary_key=True),
        _short("context", 64, primary_key=True),
        _short("trust_context", 64, primary_key=True),
        _text("evidence_json"),
        Column("created", DateTime(timezone=True), nullable=False),
        Column("used", Date, nullable=False, index=True),
    )


# --------------------------------------------------------------------------- schema version 3
# Streaming scans (issue 6): a large JSON report is written and read in parts.


class ReportPart:
    """The continuation of a run's JSON report: ``report_json`` holds its first part and these
    rows the rest, in ``seq`` order (the report is their concatenation). A 20,000-entry report is
    some 60 MB of JSON; as one SQL value it cost several times that in memory (the text, its
    UTF-8 form, the driver's and SQLite's copies); in parts of about a megabyte it costs a few."""

    __table__ = Table(
        "docaudit_report_part", METADATA,
        Column("run_id", Integer, ForeignKey("docaudit_scan_run.id", ondelete="CASCADE"), primary_key=True),
        Column("seq", Integer, primary_key=True),
        _text("text"),
    )


# --------------------------------------------------------------------------- schema version 4
# Incremental audits (issue 4): the document-rule findings of an entry are reused with its evidence.


class FindingsCacheRecord:
    """The document-rule findings of one register entry on one file's bytes, under given settings.
    ``entry_key`` fingerprints every register field of the entry (the rules compare some of them
    with the document): the same file named by a changed row is judged again."""

    __table__ = Table(
        "docaudit_findings_cache", METADATA,
        _short("sha256", 64, primary_key=True),
        _short("context", 64, primary_key=True),
        _short("trust_context", 64, primary_key=True),
        _short("entry_key", 64, primary_key=True),
        _text("findings_json"),
        Column("used", Date, nullable=False, index=True),
    )


# --------------------------------------------------------------------------- schema version 5
# Incremental audits (issue 4): a file's SHA-256 is remembered with its stat record, so an unchanged
# file is not read again (docaudit.digests).


class FileDigestRecord:
    """The SHA-256 of a file when it had this stat record (size, times in ns, inode, device).

    ``path_key``: SHA-256 of the resolved path's bytes — fixed length (an index entry has a size
    limit in PostgreSQL, a path does not), and any file name is stored, even one that is not
    UTF-8. ``read_ns``: when the file was read (``time.time_ns()``), which decides whether the
    record may be trusted."""

    __table__ = Table(
        "docaudit_file_digest", METADATA,
        _short("path_key", 64, primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("mtime_ns", BigInteger, nullable=False),
        Column("ctime_ns", BigInteger, nullable=False),
        Column("ino", BigInteger, nullable=False),
        Column("dev", BigInteger, nullable=False),
        _short("sha256", 64),
        Column("read_ns", BigInteger, nullable=False),
        Column("used", Date, nullable=False, index=True),
    )


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
TABLES = TABLES_V1 + TABLES_V2 + TABLES_V3 + TABLES_V4 + TABLES_V5
