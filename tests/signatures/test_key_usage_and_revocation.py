"""Two verdict rules pyHanko's defaults miss (the contract (docs/REPORT.md: verdicts)):

* a certificate without the keyUsage extension is not restricted (RFC 5280), so its signature
  can be valid; one whose keyUsage allows neither signing usage cannot;
* a certificate revoked before the signing time, per revocation data the file carries (its DSS
  or the CMS), makes the signature invalid; revoked only later, it does not.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from docaudit.evidence import inspect_bytes
from docaudit.signatures import TrustStore, ValidationSettings
from docaudit.signatures.trust import load_trust
from tests.testkit import TestPKI, render_pdf, sign_pdf, spec_for
from tests.testkit.pki import Identity

VN = dt.timezone(dt.timedelta(hours=7))
SIGNED_AT = dt.datetime(2021, 3, 5, 9, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI.generate(2021)


@pytest.fixture(scope="module")
def settings(pki: TestPKI, tmp_path_factory) -> ValidationSettings:
    root = tmp_path_factory.mktemp("trust") / "root.pem"
    root.write_bytes(pki.root_pem())
    return ValidationSettings(trust=load_trust([root]))


_CRL_DP = x509.CRLDistributionPoints([x509.DistributionPoint(
    [x509.UniformResourceIdentifier("http://ca.docaudit.invalid/demo.crl")], None, None, None)])


def _certificate(name: str, issuer: x509.Certificate, issuer_key, extensions) -> tuple:
    """(key, certificate) of an end entity named ``name``, valid 2020–2030, with ``extensions``
    (extension, critical) pairs besides basicConstraints."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
        .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return key, builder.sign(issuer_key, hashes.SHA256())


def _identity(pki: TestPKI, name: str, key_usage: x509.KeyUsage | None) -> Identity:
    """An end-entity certificate from the demo CA, with the given keyUsage extension or none,
    naming where its CA publishes revocation (pyHanko checks revocation of certificates that do)."""
    extensions = [(_CRL_DP, False)] + ([(key_usage, True)] if key_usage is not None else [])
    key, cert = _certificate(name, pki.intermediate, pki.intermediate_key, extensions)
    return Identity(name, cert, key, chain=[pki.intermediate], root=pki.root)


def _usage(**allowed: bool) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: allowed.get(n, False) for n in names})


def _signed(identity: Identity) -> bytes:
    pdf = render_pdf(spec_for(doc_type="QĐ", number="01/QĐ-UBND", on=SIGNED_AT.date(), place="Bắc Quang",
                              agency="ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG", agency_parent="UBND TỈNH HÀ GIANG",
                              subject="Thử chứng thư", signer_authority="TM. ỦY BAN NHÂN DÂN",
                              signer_position="CHỦ TỊCH", signer_name="Nguyễn Văn An", pages=1))
    return sign_pdf(pdf, identity, field_name="Sig1", signing_time=SIGNED_AT)


def _verdict(data: bytes, settings: ValidationSettings):
    return inspect_bytes("doc.pdf", data, settings).verdict


@pytest.mark.parametrize(("key_usage", "expected"), [
    (None, "valid"),                                        # no extension: not restricted
    (_usage(digital_signature=True), "valid"),
    (_usage(content_commitment=True), "valid"),             # non-repudiation alone
    (_usage(key_encipherment=True), "indeterminate"),       # a key not meant to sign
])
def test_key_usage(pki, settings, key_usage, expected) -> None:
    verdict = _verdict(_signed(_identity(pki, f"Ký thử {expected}", key_usage)), settings)
    assert verdict.verdict.value == expected, verdict
    if expected == "indeterminate":
        assert "CHAIN_CONSTRAINTS_FAILURE" in verdict.reasons


def _with_dss_crl(pki: TestPKI, signed: bytes, identity: Identity, revoked_on: dt.datetime) -> bytes:
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(pki.intermediate.subject)
        .last_update(revoked_on)
        .next_update(dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc))
        .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(identity.cert.serial_number)
                                 .revocation_date(revoked_on).build())
        .add_extension(x509.CRLNumber(1), critical=False)
        .sign(pki.intermediate_key, hashes.SHA256())
    )
    buffer = io.BytesIO(signed)
    DocumentSecurityStore.add_dss(buffer, None,
                                  crls=[asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))])
    return buffer.getvalue()


def test_a_certificate_revoked_before_signing_makes_the_signature_invalid(pki, settings) -> None:
    identity = _identity(pki, "Người bị thu hồi", _usage(digital_signature=True, content_commitment=True))
    data = _with_dss_crl(pki, _signed(identity), identity, dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))
    verdict = _verdict(data, settings)
    assert verdict.verdict.value == "invalid" and "REVOKED" in verdict.reasons, verdict


def test_a_revocation_after_the_signing_time_is_not_held_against_the_signature(pki, settings) -> None:
    identity = _identity(pki, "Người bị thu hồi sau", _usage(digital_signature=True, content_commitment=True))
    data = _with_dss_crl(pki, _signed(identity), identity, dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc))
    assert _verdict(data, settings).verdict.value == "valid"


def test_revocation_data_do_not_change_an_untrusted_verdict(pki) -> None:
    identity = _identity(pki, "Người chưa tin cậy", _usage(digital_signature=True))
    data = _with_dss_crl(pki, _signed(identity), identity, dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc))
    assert _verdict(data, ValidationSettings(trust=TrustStore())).verdict.value == "indeterminate"


def _tsa(pki: TestPKI):
    """A time-stamping authority under the demo root (a pyHanko DummyTimeStamper)."""
    key, cert = _certificate("Docaudit Demo TSA", pki.root, pki.root_key, [
        (_usage(digital_signature=True), True), (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)])
    der = cert.public_bytes(serialization.Encoding.DER)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    root = asn1_x509.Certificate.load(pki.root.public_bytes(serialization.Encoding.DER))
    return DummyTimeStamper(tsa_cert=asn1_x509.Certificate.load(der), tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
                            certs_to_embed=SimpleCertificateStore.from_certs([root]))


def _timestamped(data: bytes, tsa) -> bytes:
    out = io.BytesIO()
    PdfTimeStamper(tsa).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), "sha256", output=out)
    return out.getvalue()


def test_a_document_timestamp_alone_is_not_a_signature(pki, settings) -> None:
    """It proves when the file existed, not who signed it: the document counts as unsigned (and
    so not as paperless), with the timestamp still reported; on a signed document it is fine."""
    tsa = _tsa(pki)
    pdf = render_pdf(spec_for(doc_type="QĐ", number="02/QĐ-UBND", on=SIGNED_AT.date(), place="Bắc Quang",
                              agency="ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG", agency_parent="UBND TỈNH HÀ GIANG",
                              subject="Chỉ có dấu thời gian", signer_authority="TM. ỦY BAN NHÂN DÂN",
                              signer_position="CHỦ TỊCH", signer_name="Nguyễn Văn An", pages=1))
    alone = _verdict(_timestamped(pdf, tsa), settings)
    assert alone.verdict.value == "unsigned" and [s.kind for s in alone.signatures] == ["timestamp"]
    identity = _identity(pki, "Người ký có dấu thời gian", _usage(digital_signature=True))
    with_signature = _verdict(_timestamped(_signed(identity), tsa), settings)
    assert with_signature.verdict.value == "valid" and [s.kind for s in with_signature.signatures] == [
        "signature", "timestamp"]
