"""A generated copy of Ban Cơ yếu Chính phủ's first-generation (G1) hierarchy.

Same names and algorithms as the real one (``../shared/trust-vn``: ``vgca-rootca-g1-2010.pem``,
``vgca-g1-cq-chinh-phu.pem``): "Co quan chung thuc so chuyen dung Chinh phu (RootCA)" (RSA-2048,
self-signed with SHA-1, 2010-03-10 → 2030-03-05) → "Co quan chung thuc so Chinh phu" (RSA-2048,
SHA-1) → an official's certificate (RSA-2048, SHA-1). Keys are derived from a seed like the demo
PKI's (:mod:`.pki`): reproducible, and FOR TESTS ONLY.
"""

from __future__ import annotations

import functools
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from .pki import Identity, TestPKI, person_subject

__all__ = ["G1", "ROOT_CN", "CA_CN", "g1"]

ROOT_CN = "Co quan chung thuc so chuyen dung Chinh phu (RootCA)"
CA_CN = "Co quan chung thuc so Chinh phu"
_ORG = "Ban Co yeu Chinh phu"


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORG),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def with_sha1(cert: x509.Certificate, issuer_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """``cert`` signed again by ``issuer_key`` with sha1WithRSAEncryption (cryptography no longer
    signs certificates with SHA-1, but G1 certificates are SHA-1)."""
    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    tbs = parsed["tbs_certificate"]
    algorithm = asn1_x509.SignedDigestAlgorithm({"algorithm": "sha1_rsa"})
    tbs["signature"] = algorithm
    value = issuer_key.sign(tbs.dump(force=True), padding.PKCS1v15(), hashes.SHA1())
    der = asn1_x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": algorithm,
                                 "signature_value": value}).dump()
    return x509.load_der_x509_certificate(der)


class G1:
    """The hierarchy; :meth:`official` issues an end-entity certificate under the Government CA."""

    def __init__(self, seed: str = "vgca-g1") -> None:
        self._pki = TestPKI(seed)  # its key derivation and certificate builder
        self.root_key = self._pki._key("root", 2048)
        self.root = self._pki._build(
            label="root", subject=_name(ROOT_CN), key=self.root_key, issuer_name=_name(ROOT_CN),
            issuer_key=self.root_key, not_before=datetime(2010, 3, 10, 5, 45, 57),
            not_after=datetime(2030, 3, 5, 5, 45, 57), ca=True, key_usage=("key_cert_sign", "crl_sign"),
        )
        self.root = with_sha1(self.root, self.root_key)
        self.ca_key = self._pki._key("ca-chinh-phu", 2048)
        self.ca = self._pki._build(
            label="ca-chinh-phu", subject=_name(CA_CN), key=self.ca_key, issuer_name=self.root.subject,
            issuer_key=self.root_key, not_before=datetime(2010, 3, 25, 6, 33, 32),
            not_after=datetime(2030, 3, 4, 6, 33, 32), ca=True, path_length=0,
            key_usage=("key_cert_sign", "crl_sign"),
        )
        self.ca = with_sha1(self.ca, self.root_key)
        self._issued: dict[tuple, Identity] = {}

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def official(self, name: str = "Nguyễn Văn Bình", *, hash_algo: str = "sha1", ca_hash: str | None = None,
                 not_before: datetime = datetime(2017, 1, 1), not_after: datetime = datetime(2022, 12, 31, 23, 59, 59),
                 label: str = "official") -> Identity:
        """An official of a ministry (RSA-2048). ``hash_algo`` signs the certificate; ``ca_hash``
        (given) re-issues the Government CA's certificate with that hash, for chains that mix."""
        key = (name, hash_algo, ca_hash, not_before, not_after, label)
        if key in self._issued:
            return self._issued[key]
        ca = self.ca
        if ca_hash is not None and ca_hash != "sha1":
            ca = self._pki._build(
                label=f"ca-chinh-phu:{ca_hash}", subject=_name(CA_CN), key=self.ca_key, issuer_name=self.root.subject,
                issuer_key=self.root_key, not_before=datetime(2010, 3, 25, 6, 33, 32),
                not_after=datetime(2030, 3, 4, 6, 33, 32), ca=True, path_length=0,
                key_usage=("key_cert_sign", "crl_sign"), hash_algo=ca_hash,
            )
        subject = x509.Name(person_subject(name, "Bộ Tài chính", "Bộ Tài chính", "001079001234", province="Hà Nội"))
        ee_key = self._pki._key(f"ee:{label}:{name}", 2048)
        cert = self._pki._build(
            label=f"ee:{label}:{name}:{hash_algo}:{ca_hash}:{not_before.isoformat()}", subject=subject, key=ee_key,
            issuer_name=ca.subject, issuer_key=self.ca_key, not_before=not_before, not_after=not_after, ca=False,
            key_usage=("digital_signature", "non_repudiation"), hash_algo="sha256" if hash_algo == "sha1" else hash_algo,
        )
        if hash_algo == "sha1":
            cert = with_sha1(cert, self.ca_key)
        identity = Identity(name_key=f"g1:{label}:{name}", cert=cert, key=ee_key, chain=[ca], kind="person",
                            root=self.root)
        self._issued[key] = identity
        return identity


@functools.lru_cache(maxsize=None)
def g1() -> G1:
    return G1()
