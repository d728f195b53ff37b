"""The person/organisation heuristic (documented in docaudit/signatures/roles.py and the README)."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from docaudit.signatures.roles import classify

KEY = ec.generate_private_key(ec.SECP256R1())


def _cert(*attrs: tuple) -> asn1_x509.Certificate:
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in attrs])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(KEY.public_key())
        .serial_number(1).not_valid_before(dt.datetime(2020, 1, 1)).not_valid_after(dt.datetime(2030, 1, 1))
        .sign(KEY, hashes.SHA256())
    )
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@pytest.mark.parametrize(
    "attrs, role",
    [
        (((NameOID.COMMON_NAME, "Ủy ban nhân dân huyện Bắc Quang"), (NameOID.ORGANIZATION_NAME, "Ủy ban nhân dân huyện Bắc Quang"),
          (NameOID.USER_ID, "MNS:1034567")), "organisation"),
        (((NameOID.COMMON_NAME, "Sở Thông tin và Truyền thông"),), "organisation"),
        (((NameOID.COMMON_NAME, "Nguyễn Văn An - UBND huyện Bắc Quang"), (NameOID.SERIAL_NUMBER, "CCCD:001088012345"),
          (NameOID.ORGANIZATION_NAME, "UBND huyện Bắc Quang")), "person"),
        (((NameOID.COMMON_NAME, "Trần Thị Bình"), (NameOID.GIVEN_NAME, "Bình"), (NameOID.SURNAME, "Trần")), "person"),
        (((NameOID.COMMON_NAME, "Lê Văn C"), (NameOID.USER_ID, "CMND:123456789")), "person"),
        (((NameOID.COMMON_NAME, "Signer"),), None),
    ],
)
def test_classify(attrs, role) -> None:
    found, basis = classify(_cert(*attrs))
    assert found == role, basis
    assert basis
