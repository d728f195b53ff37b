"""Signature verdicts on generated documents: validation time, failures that must never crash,
and the per-signature record (field, signer, roles, widget)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader, PdfWriter

from docaudit.evidence import inspect_bytes
from docaudit.model import FileStatus, Verdict
from docaudit.signatures import ValidationSettings, load_trust
from docaudit.signatures import validate as validate_module

from ..conftest import SAMPLES

TRUST = load_trust([SAMPLES / "trust" / "root.pem"])
VALID = SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"
EXPIRED = SAMPLES / "files" / "ubnd-bq" / "den" / "45-qd-ubnd-vixuyen.pdf"
TAMPERED = SAMPLES / "files" / "ubnd-bq" / "di" / "03-qd-ubnd.pdf"
UTC = dt.timezone.utc


def _verdict(path, **settings):
    evidence = inspect_bytes(path.name, path.read_bytes(), ValidationSettings(TRUST, **settings))
    return evidence.verdict


def test_valid_document_records_each_signature() -> None:
    verdict = _verdict(VALID)
    assert verdict.verdict is Verdict.VALID
    person, org = verdict.signatures
    assert (person.field, org.field) == ("NguoiKy", "CoQuan")
    assert (person.role, org.role) == ("person", "organisation")
    assert person.signer_name.startswith("Nguyễn Văn An")
    assert person.issuer and person.serial and person.digest_algorithm == "sha256"
    assert person.signature_algorithm == "rsassa_pkcs1v15" and person.key_size == 2048
    assert person.signing_time < org.signing_time  # the agency signs after the person
    assert person.page == org.page == 0 and person.rect and org.rect
    assert org.coverage == "ENTIRE_FILE"


def test_validation_time_option() -> None:
    # signed 2021-03-10 with a certificate valid 2019-01-01..2020-12-31
    assert "EXPIRED" in _verdict(EXPIRED).reasons
    assert _verdict(EXPIRED).verdict is Verdict.INVALID
    assert _verdict(EXPIRED, validation_time=dt.datetime(2020, 6, 1, tzinfo=UTC)).verdict is Verdict.VALID
    # the demo certificates end on 2026-12-31: after that the valid sample is expired
    late = _verdict(VALID, validation_time=dt.datetime(2027, 6, 1, tzinfo=UTC))
    assert late.verdict is Verdict.INVALID and "EXPIRED" in late.reasons
    early = _verdict(VALID, validation_time=dt.datetime(2020, 1, 1, tzinfo=UTC))
    assert early.verdict is Verdict.INVALID and "NOT_YET_VALID" in early.reasons


@pytest.mark.parametrize("error", [KeyError("Reference(idnum=21)"), AttributeError("'NoneType' has no attribute 'x'"),
                                   ValueError("bad OID")])
def test_validator_exceptions_are_no_evidence(monkeypatch, error) -> None:
    # an exception inside pyHanko after the signed bytes are checked intact (by docaudit's own
    # code) is indeterminate with the reason named, never invalid by itself (issue 16 item 3)
    async def boom(*args, **kwargs):
        raise error

    monkeypatch.setattr(validate_module, "async_validate_pdf_signature", boom)
    verdict = _verdict(VALID)
    assert verdict.verdict is Verdict.INDETERMINATE
    assert all(s.reasons == ("PARSER_FAILURE",) for s in verdict.signatures)
    assert type(error).__name__ in verdict.signatures[0].detail
    assert "intact" in verdict.signatures[0].detail
    # with the signed bytes changed, the same exception leaves the evidence: invalid
    tampered = _verdict(TAMPERED)
    assert tampered.verdict is Verdict.INVALID and tampered.reasons == ("HASH_FAILURE",)


def _encrypt(data: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdfs() -> None:
    plain = (SAMPLES / "files" / "ubnd-bq" / "di" / "06-gm-ubnd.pdf").read_bytes()
    locked = inspect_bytes("x.pdf", _encrypt(plain, "secret"), ValidationSettings(TRUST))
    assert locked.status is FileStatus.UNREADABLE and locked.encrypted and "password" in locked.reason
    opened = inspect_bytes("x.pdf", _encrypt(plain, ""), ValidationSettings(TRUST))
    assert opened.status is FileStatus.PRESENT and opened.encrypted


def test_scan_and_unsigned_pdf() -> None:
    scan = SAMPLES / "files" / "ubnd-bq" / "den" / "12-sxd-qlxd-scan.pdf"
    evidence = inspect_bytes(scan.name, scan.read_bytes(), ValidationSettings(TRUST))
    assert evidence.image_only and evidence.verdict.verdict is Verdict.UNSIGNED
    unsigned = SAMPLES / "files" / "ubnd-bq" / "di" / "06-gm-ubnd.pdf"
    evidence = inspect_bytes(unsigned.name, unsigned.read_bytes(), ValidationSettings(TRUST))
    assert not evidence.image_only and evidence.verdict.verdict is Verdict.UNSIGNED


def test_truncated_signed_pdf_is_unreadable_but_not_mistaken_for_unsigned() -> None:
    path = SAMPLES / "files" / "so-tttt" / "den" / "30-ubnd-vp.pdf"
    evidence = inspect_bytes(path.name, path.read_bytes(), ValidationSettings(TRUST))
    assert evidence.status is FileStatus.UNREADABLE and "truncated" in evidence.reason
    assert evidence.verdict is None or evidence.verdict.verdict is Verdict.INVALID


@pytest.mark.parametrize("trust", [TRUST, load_trust([])], ids=["trusted-root", "no-trust"])
def test_a_tampered_signature_gives_only_true_reasons(trust) -> None:
    # the digest fails but the chain to the --trust root is fine: "no chain found" is false
    # (issue 15, item 10); without --trust no chain can be found, and saying so stays true
    evidence = inspect_bytes(TAMPERED.name, TAMPERED.read_bytes(), ValidationSettings(trust))
    assert evidence.verdict.verdict is Verdict.INVALID
    expected = ("HASH_FAILURE",) if trust.roots else ("HASH_FAILURE", "NO_CERTIFICATE_CHAIN_FOUND")
    assert evidence.verdict.reasons == expected
    assert [s.reasons for s in evidence.verdict.signatures] == [expected, expected]
