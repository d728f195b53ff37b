"""--trust: files or folders, PEM or DER; bad input is a TrustError (exit 2 at the CLI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from docaudit.errors import TrustError
from docaudit.signatures import load_trust


def _cert(cn: str, issuer_key=None, issuer_name=None) -> tuple[x509.Certificate, object]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1))
        .not_valid_after(dt.datetime(2040, 1, 1))
    )
    return builder.sign(issuer_key or key, hashes.SHA256()), key


def test_pem_der_and_folders(tmp_path: Path) -> None:
    root, root_key = _cert("Root")
    inter, _ = _cert("Intermediate", root_key, root.subject)
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "inter.der").write_bytes(inter.public_bytes(serialization.Encoding.DER))
    (folder / "root.crt").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / "notes.txt").write_text("ignored")
    store = load_trust([tmp_path / "root.pem", folder])
    assert [c.subject.native["common_name"] for c in store.roots] == ["Root"]
    assert [c.subject.native["common_name"] for c in store.intermediates] == ["Intermediate"]
    assert len(store.fingerprint) == 64
    assert load_trust([folder]).fingerprint == store.fingerprint  # same certificates, same set


def test_bundle_with_several_certificates(tmp_path: Path) -> None:
    a, _ = _cert("A")
    b, _ = _cert("B")
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(a.public_bytes(serialization.Encoding.PEM) + b.public_bytes(serialization.Encoding.PEM))
    assert len(load_trust([bundle]).roots) == 2


@pytest.mark.parametrize(
    "content, words",
    [(b"not a certificate", "not a PEM or DER"),
     (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "no CERTIFICATE")],
)
def test_bad_trust_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.pem"
    path.write_bytes(content)
    with pytest.raises(TrustError, match=words):
        load_trust([path])


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(TrustError, match="no such file"):
        load_trust([tmp_path / "nope.pem"])
    with pytest.raises(TrustError, match="holds no"):
        load_trust([tmp_path])


def _issuing_ca_of(pdf: Path) -> x509.Certificate:
    """The CA certificate that issued the first signer's certificate, as carried in the file."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with pdf.open("rb") as handle:
        signature = PdfFileReader(handle, strict=False).embedded_signatures[0]
        issuer = signature.signer_cert.issuer
        der = next(c.chosen.dump() for c in signature.signed_data["certificates"]
                   if c.chosen.subject == issuer)
    return x509.load_der_x509_certificate(der)


def test_an_issuing_ca_alone_is_a_trust_anchor_and_said_to_be_one(tmp_path: Path) -> None:
    # issue 15, item 9: a clerk's --trust often holds only the CA that issued the agency's
    # certificates; it used to count as "no --trust roots given"
    from docaudit.evidence import inspect_bytes
    from docaudit.model import Verdict
    from docaudit.signatures import ValidationSettings

    from ..conftest import SAMPLES

    valid = SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"
    ca = _issuing_ca_of(valid)
    assert ca.issuer != ca.subject  # not self-signed: an issuing CA
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    store = load_trust([tmp_path / "ca.pem"])
    assert not store.empty and not store.intermediates
    assert [c["role"] for c in store.describe()] == ["anchor"]
    evidence = inspect_bytes(valid.name, valid.read_bytes(), ValidationSettings(store))
    assert evidence.verdict.verdict is Verdict.VALID
    # given with its root, the same CA only helps build chains: the root is the anchor
    both = load_trust([tmp_path / "ca.pem", SAMPLES / "trust" / "root.pem"])
    assert sorted(c["role"] for c in both.describe()) == ["intermediate", "root"]
