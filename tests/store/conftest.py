"""Fixtures for the results-database tests: every store test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from pg import postgres_url_or_skip, temporary_database  # noqa: E402

from docaudit.text import add_templates, message  # noqa: E402

from docaudit.model import (  # noqa: E402
    Channel,
    Direction,
    DocumentVerdict,
    EntryResult,
    Evidence,
    FileStatus,
    Finding,
    RegisterEntry,
    Severity,
    SignatureReport,
    Verdict,
)

# a text of the tests' own, added to the catalogue as the rule packs add theirs
NOTICE = add_templates("test.notice", {"vi": "thông báo {k}", "en": "notice {k}"})


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    admin = postgres_url_or_skip()
    with temporary_database(admin) as url:
        yield url


def _reset_public_schema(url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SET lock_timeout = '10s'"))
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """An empty database: a SQLite file (in a not-yet-existing Vietnamese-named folder) or the
    session's PostgreSQL database with its schema wiped."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'Sổ đăng ký 2021' / 'docaudit.sqlite'}"
    url = request.getfixturevalue("pg_database_url")
    _reset_public_schema(url)
    return url


@pytest.fixture
def raw_engine(store_url):
    """A plain engine on the same database, to look behind the Store's back."""
    engine = sa.create_engine(store_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def make_result(
    i: int,
    *,
    agency: str = "UBND-BQ",
    status: FileStatus = FileStatus.PRESENT,
    signatures: int = 2,
    findings: int = 1,
) -> EntryResult:
    """A hand-built EntryResult: row ``i``, ``signatures`` signatures, ``findings`` findings."""
    entry = RegisterEntry(
        row=i + 1,
        agency=agency,
        direction=Direction.OUTGOING if i % 2 else Direction.INCOMING,
        number=f"{i}/QĐ-UBND",
        doc_type="QĐ",
        date=dt.date(2021, 3, 1) + dt.timedelta(days=i),
        subject=f"Quyết định số {i} về việc phê duyệt",
        counterparty="Sở Nội vụ",
        channel=Channel.ELECTRONIC,
        via_system=True,
        file=None if status is FileStatus.NONE else f"files/{i}.pdf",
        extra={"ghi_chú": f"dòng {i}"},
    )
    sigs = tuple(
        SignatureReport(
            field=f"Sig{k + 1}",
            verdict=Verdict.VALID,
            signer=f"CN=Nguyễn Văn {k},O=UBND",
            signer_name=f"Nguyễn Văn {k}",
            issuer="CN=Test CA",
            serial=f"{i:04x}{k:02x}",
            signing_time=dt.datetime(2021, 3, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
            digest_algorithm="sha256",
            signature_algorithm="rsassa_pkcs1v15",
            key_algorithm="rsa",
            key_size=2048,
            key_usage=("digital_signature", "non_repudiation"),
            coverage="ENTIRE_REVISION",
            modification="NONE",
            role="person" if k == 0 else "organisation",
            role_basis="CN is a person's name",
            revision=k,
            page=0,
            rect=(10.0, 20.0, 110.5, 60.25),
        )
        for k in range(signatures)
    )
    present = status is FileStatus.PRESENT
    evidence = Evidence(
        path=entry.file,
        status=status,
        kind="pdf" if present else None,
        problem=None if present else message("evidence.file-not-found"),
        sha256=f"{i:064x}" if present else None,
        size=5_000_000_000 + i if present else None,  # > 2**31: BigInteger
        pages=2 if present else None,
        verdict=DocumentVerdict(verdict=Verdict.VALID if sigs else Verdict.UNSIGNED, signatures=sigs)
        if present
        else None,
    )
    found = tuple(
        Finding(rule=f"SIG00{k}", severity=Severity.WARNING, wording=message(NOTICE, k=k), reference="NĐ 30/2020")
        for k in range(findings)
    )
    return EntryResult(entry=entry, evidence=evidence, findings=found)


@pytest.fixture
def result_factory() -> Callable[..., EntryResult]:
    return make_result


def typed(report: dict):
    """The typed report a JSON report describes (what the store is given and gives back)."""
    from docaudit.pipeline.report import SCHEMA, AuditReport

    return AuditReport.from_json({"schema": SCHEMA, **report})
