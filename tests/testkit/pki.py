"""Deterministic test PKI.

RSA keys are derived from a seed (``random.Random`` + Miller-Rabin), and the
certificates have fixed serial numbers and validity dates, so the whole PKI is
reproducible byte for byte from ``TestPKI.generate(seed)``.

THESE KEYS ARE FOR TESTS AND DEMOS ONLY: anybody can regenerate them.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

__all__ = [
    "Hierarchy",
    "Identity",
    "generated_hierarchy",
    "TestPKI",
    "derive_rsa_key",
    "person_subject",
    "organisation_subject",
    "UID_OID",
    "ROOT_NAME",
    "INTERMEDIATE_NAME",
    "UNTRUSTED_ROOT_NAME",
]

UID_OID = ObjectIdentifier("0.9.2342.19200300.100.1.1")
ROOT_NAME = "Docaudit Demo Root CA"
INTERMEDIATE_NAME = "Docaudit Demo CA phục vụ các cơ quan Nhà nước"
UNTRUSTED_ROOT_NAME = "Unknown Public CA"

_E = 65537

# --------------------------------------------------------------------------
# Deterministic RSA key generation
# --------------------------------------------------------------------------

_SMALL_PRIMES = [p for p in range(3, 8000) if all(p % q for q in range(2, int(p**0.5) + 1))]


def _is_probable_prime(n: int, rng: random.Random, rounds: int = 8) -> bool:
    if n < 2:
        return False
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _gen_prime(bits: int, rng: random.Random) -> int:
    while True:
        # top two bits set so that p*q has exactly 2*bits bits; odd
        cand = rng.getrandbits(bits) | (0b11 << (bits - 2)) | 1
        if cand % _E == 1:  # gcd(e, p-1) must be 1 (e is prime)
            continue
        if _is_probable_prime(cand, rng):
            return cand


@functools.lru_cache(maxsize=None)
def derive_rsa_key(seed: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """Derive an RSA private key deterministically from ``seed`` (a string)."""
    digest = hashlib.sha256(f"docaudit-testkit-rsa:{bits}:{seed}".encode()).digest()
    rng = random.Random(int.from_bytes(digest, "big"))
    half = bits // 2
    while True:
        p = _gen_prime(half, rng)
        q = _gen_prime(bits - half, rng)
        if p == q:
            continue
        n = p * q
        if n.bit_length() != bits:
            continue
        if p < q:
            p, q = q, p
        phi = (p - 1) * (q - 1)
        d = pow(_E, -1, phi)
        priv = rsa.RSAPrivateNumbers(
            p=p,
            q=q,
            d=d,
            dmp1=d % (p - 1),
            dmq1=d % (q - 1),
            iqmp=pow(q, -1, p),
            public_numbers=rsa.RSAPublicNumbers(_E, n),
        )
        return priv.private_key()


# --------------------------------------------------------------------------
# Subjects
# --------------------------------------------------------------------------


def person_subject(
    name: str, unit_short: str, agency: str, cccd: str, *, province: str | None = None
) -> list[x509.NameAttribute]:
    """Person certificate subject: CN "Nguyễn Văn An - UBND huyện Bắc Quang",
    serialNumber "CCCD:...", O = agency."""
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    attrs += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"CCCD:{cccd}"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{name} - {unit_short}"),
    ]
    return attrs


def organisation_subject(
    agency: str, mns: str, *, province: str | None = None
) -> list[x509.NameAttribute]:
    """Organisation certificate subject: CN = O = agency, UID "MNS:..."."""
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    attrs += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency),
        x509.NameAttribute(UID_OID, f"MNS:{mns}"),
        x509.NameAttribute(NameOID.COMMON_NAME, agency),
    ]
    return attrs


def _name(attrs: Sequence[x509.NameAttribute] | x509.Name | str) -> x509.Name:
    if isinstance(attrs, x509.Name):
        return attrs
    if isinstance(attrs, str):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, attrs)])
    return x509.Name(list(attrs))


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def _serial(label: str) -> int:
    # fixed, positive, < 2^159
    return int.from_bytes(hashlib.sha256(label.encode()).digest()[:19], "big") | 1


_HASHES = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha1": hashes.SHA1,
}

_KU_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def _key_usage(names: Iterable[str]) -> x509.KeyUsage:
    names = {("content_commitment" if n == "non_repudiation" else n) for n in names}
    unknown = names - set(_KU_NAMES)
    if unknown:
        raise ValueError(f"unknown key usage: {sorted(unknown)}")
    return x509.KeyUsage(**{n: (n in names) for n in _KU_NAMES})


# --------------------------------------------------------------------------
# Identity
# --------------------------------------------------------------------------


@dataclass
class Identity:
    """A key + certificate (+ issuing chain, excluding the root)."""

    name_key: str
    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate] = field(default_factory=list)
    kind: str = "person"
    root: x509.Certificate | None = None

    @property
    def subject_cn(self) -> str:
        cns = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return cns[0].value if cns else ""

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def signer(self, *, prefer_pss: bool = False):
        """A pyHanko ``signers.SimpleSigner`` that embeds the chain."""
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der = lambda c: c.public_bytes(serialization.Encoding.DER)  # noqa: E731
        signing_cert = asn1_x509.Certificate.load(der(self.cert))
        chain = [asn1_x509.Certificate.load(der(c)) for c in self.chain]
        key_der = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return signers.SimpleSigner(
            signing_cert=signing_cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            cert_registry=SimpleCertificateStore.from_certs(chain),
            prefer_pss=prefer_pss,
        )


# --------------------------------------------------------------------------
# The PKI
# --------------------------------------------------------------------------


class TestPKI:
    """Demo PKI: ``root`` -> ``intermediate`` -> end-entity identities, plus an
    unrelated ``untrusted_root`` that can also issue identities."""

    __test__ = False  # not a pytest test class

    def __init__(self, seed: int):
        self.seed = seed
        self._cache: dict[tuple, Identity] = {}

    # -- construction -------------------------------------------------------
    @classmethod
    def generate(cls, seed: int = 2021) -> "TestPKI":
        return _generate_cached(seed)

    def _key(self, label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
        return derive_rsa_key(f"{self.seed}:{label}", bits)

    def _build(
        self,
        *,
        label: str,
        subject: x509.Name,
        key: rsa.RSAPrivateKey,
        issuer_name: x509.Name,
        issuer_key: rsa.RSAPrivateKey,
        not_before: datetime,
        not_after: datetime,
        ca: bool,
        path_length: int | None = None,
        key_usage: Iterable[str] = (),
        hash_algo: str = "sha256",
        extended_key_usage: Sequence[ObjectIdentifier] | None = None,
    ) -> x509.Certificate:
        return _certificate(serial=_serial(f"{self.seed}:{label}"), subject=subject, key=key, issuer_name=issuer_name,
                            issuer_key=issuer_key, not_before=not_before, not_after=not_after, ca=ca,
                            path_length=path_length, key_usage=key_usage, hash_algo=hash_algo,
                            extended_key_usage=extended_key_usage)

    def _init_cas(self) -> None:
        root_name = _name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Docaudit Demo"),
                x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
            ]
        )
        self.root_key = self._key("root", 2048)
        self.root = self._build(
            label="root",
            subject=root_name,
            key=self.root_key,
            issuer_name=root_name,
            issuer_key=self.root_key,
            not_before=datetime(2020, 1, 1),
            not_after=datetime(2040, 12, 31, 23, 59, 59),
            ca=True,
            key_usage=("key_cert_sign", "crl_sign", "digital_signature"),
        )
        int_name = _name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Docaudit Demo"),
                x509.NameAttribute(NameOID.COMMON_NAME, INTERMEDIATE_NAME),
            ]
        )
        self.intermediate_key = self._key("intermediate", 2048)
        self.intermediate = self._build(
            label="intermediate",
            subject=int_name,
            key=self.intermediate_key,
            issuer_name=root_name,
            issuer_key=self.root_key,
            not_before=datetime(2020, 1, 1),
            not_after=datetime(2035, 12, 31, 23, 59, 59),
            ca=True,
            path_length=0,
            key_usage=("key_cert_sign", "crl_sign", "digital_signature"),
        )
        untrusted_name = _name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Unknown"),
                x509.NameAttribute(NameOID.COMMON_NAME, UNTRUSTED_ROOT_NAME),
            ]
        )
        self.untrusted_root_key = self._key("untrusted-root", 2048)
        self.untrusted_root = self._build(
            label="untrusted-root",
            subject=untrusted_name,
            key=self.untrusted_root_key,
            issuer_name=untrusted_name,
            issuer_key=self.untrusted_root_key,
            not_before=datetime(2020, 1, 1),
            not_after=datetime(2040, 12, 31, 23, 59, 59),
            ca=True,
            key_usage=("key_cert_sign", "crl_sign", "digital_signature"),
        )

    # -- issuing -------------------------------------------------------------
    def issue(
        self,
        name_key: str,
        subject_attrs: Sequence[x509.NameAttribute] | x509.Name | str,
        kind: str = "person",
        not_before: datetime = datetime(2020, 6, 1),
        not_after: datetime = datetime(2026, 12, 31, 23, 59, 59),
        key_bits: int = 2048,
        issuer: str | x509.Certificate | None = None,
        key_usage: Sequence[str] = ("digital_signature", "non_repudiation"),
        hash_algo: str = "sha256",
    ) -> Identity:
        """Issue an end-entity identity.

        ``name_key`` determines the key (and serial): the same name_key always
        yields the same key. ``issuer`` is ``None``/``"intermediate"`` (demo CA),
        ``"root"`` (directly by the demo root), ``"untrusted"`` (the unknown
        public CA) or a CA certificate of this PKI.
        """
        if kind not in ("person", "organisation"):
            raise ValueError("kind must be 'person' or 'organisation'")
        if issuer is None or issuer == "intermediate" or issuer is self.intermediate:
            icert, ikey, chain, root = self.intermediate, self.intermediate_key, [self.intermediate], self.root
        elif issuer == "root" or issuer is self.root:
            icert, ikey, chain, root = self.root, self.root_key, [], self.root
        elif issuer == "public":
            public = self.public_ca()
            icert, ikey, chain, root = public, self._public_ca_key, [public], self.root
        elif issuer in ("untrusted", "untrusted_root") or issuer is self.untrusted_root:
            icert, ikey, chain, root = self.untrusted_root, self.untrusted_root_key, [], self.untrusted_root
        else:
            raise ValueError(f"unknown issuer: {issuer!r}")
        subject = _name(subject_attrs)
        ck = (name_key, subject.rfc4514_string(), kind, _utc(not_before), _utc(not_after),
              key_bits, icert.serial_number, tuple(key_usage), hash_algo)
        hit = self._cache.get(ck)
        if hit is not None:
            return hit
        key = self._key(f"ee:{name_key}", key_bits)
        label = f"ee:{name_key}:{kind}:{not_before.isoformat()}:{not_after.isoformat()}:{icert.serial_number}"
        cert = self._build(
            label=label,
            subject=subject,
            key=key,
            issuer_name=icert.subject,
            issuer_key=ikey,
            not_before=not_before,
            not_after=not_after,
            ca=False,
            key_usage=key_usage,
            hash_algo=hash_algo,
        )
        ident = Identity(name_key=name_key, cert=cert, key=key, chain=list(chain), kind=kind, root=root)
        self._cache[ck] = ident
        return ident

    def public_ca(self) -> x509.Certificate:
        """A second intermediate under the demo root named like a licensed public CA
        ("VNPT Certification Authority"), for rules that tell public from công vụ CAs."""
        if getattr(self, "_public_ca", None) is None:
            name = _name([
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "VNPT Group"),
                x509.NameAttribute(NameOID.COMMON_NAME, "VNPT Certification Authority (demo)"),
            ])
            self._public_ca_key = self._key("public-ca", 2048)
            self._public_ca = self._build(
                label="public-ca", subject=name, key=self._public_ca_key, issuer_name=self.root.subject,
                issuer_key=self.root_key, not_before=datetime(2020, 1, 1),
                not_after=datetime(2035, 12, 31, 23, 59, 59), ca=True, path_length=0,
                key_usage=("key_cert_sign", "crl_sign", "digital_signature"),
            )
        return self._public_ca

    # -- output --------------------------------------------------------------
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def write_root_pem(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.root_pem())
        return path

    def untrusted_root_pem(self) -> bytes:
        return self.untrusted_root.public_bytes(serialization.Encoding.PEM)

    def validation_context(self, **kwargs):
        """``pyhanko_certvalidator.ValidationContext`` trusting the demo root."""
        from asn1crypto import x509 as asn1_x509
        from pyhanko_certvalidator import ValidationContext

        root = asn1_x509.Certificate.load(self.root.public_bytes(serialization.Encoding.DER))
        kwargs.setdefault("allow_fetching", False)
        return ValidationContext(trust_roots=[root], **kwargs)


# --------------------------------------------------------------------------
# Generated copies of real hierarchies (same names and algorithms, new keys)
# --------------------------------------------------------------------------


@dataclass
class Hierarchy:
    """A root and one issuing CA under it, with keys generated for the test (not derived: RSA-4096
    is too slow to derive in Python), named like a real hierarchy of the Vietnamese PKI."""

    root: x509.Certificate
    root_key: rsa.RSAPrivateKey
    intermediate: x509.Certificate
    intermediate_key: rsa.RSAPrivateKey
    hash_algo: str = "sha256"

    def issue(self, subject_attrs: Sequence[x509.NameAttribute] | x509.Name | str, *, kind: str = "person",
              embed_chain: bool = False, not_before: datetime = datetime(2020, 6, 1),
              not_after: datetime = datetime(2026, 12, 31, 23, 59, 59), key_bits: int = 2048,
              key_usage: Sequence[str] = ("digital_signature", "non_repudiation")) -> Identity:
        """A signer under the issuing CA; its signatures embed only its own certificate unless
        ``embed_chain`` (what real files often do)."""
        key = _fresh_key(key_bits)
        subject = _name(subject_attrs)
        cert = _certificate(serial=x509.random_serial_number(), subject=subject, key=key,
                            issuer_name=self.intermediate.subject, issuer_key=self.intermediate_key,
                            not_before=not_before, not_after=not_after, ca=False, key_usage=key_usage,
                            hash_algo=self.hash_algo)
        return Identity(name_key=subject.rfc4514_string(), cert=cert, key=key,
                        chain=[self.intermediate] if embed_chain else [], kind=kind, root=self.root)

    def pem(self, which: str) -> bytes:
        return getattr(self, which).public_bytes(serialization.Encoding.PEM)


@functools.lru_cache(maxsize=16)
def _fresh_key(bits: int, label: str = "") -> rsa.RSAPrivateKey:
    del label  # only makes distinct cache entries
    return rsa.generate_private_key(public_exponent=_E, key_size=bits)


def generated_hierarchy(root_subject: Sequence[x509.NameAttribute], intermediate_subject: Sequence[x509.NameAttribute],
                        *, bits: int = 4096, hash_algo: str = "sha256",
                        root_validity: tuple[datetime, datetime] = (datetime(2018, 8, 22), datetime(2048, 8, 14)),
                        intermediate_validity: tuple[datetime, datetime] | None = None,
                        label: str = "") -> Hierarchy:
    """A root (self-signed) and an issuing CA (pathlen 0) with the given names, ``bits``-bit RSA
    keys and ``hash_algo`` signatures. Keys are generated once per process for each name and
    ``label`` (another ``label``: a look-alike with the same names and other keys)."""
    root_name, intermediate_name = _name(root_subject), _name(intermediate_subject)
    root_key = _fresh_key(bits, f"root:{root_name.rfc4514_string()}:{label}")
    intermediate_key = _fresh_key(bits, f"ca:{intermediate_name.rfc4514_string()}:{label}")
    ca_usage = ("key_cert_sign", "crl_sign", "digital_signature")
    root = _certificate(serial=x509.random_serial_number(), subject=root_name, key=root_key, issuer_name=root_name,
                        issuer_key=root_key, not_before=root_validity[0], not_after=root_validity[1], ca=True,
                        key_usage=ca_usage, hash_algo=hash_algo)
    start, end = intermediate_validity or root_validity
    intermediate = _certificate(serial=x509.random_serial_number(), subject=intermediate_name, key=intermediate_key,
                                issuer_name=root_name, issuer_key=root_key, not_before=start, not_after=end, ca=True,
                                path_length=0, key_usage=ca_usage, hash_algo=hash_algo)
    return Hierarchy(root, root_key, intermediate, intermediate_key, hash_algo)


def _certificate(*, serial: int, subject: x509.Name, key: rsa.RSAPrivateKey, issuer_name: x509.Name,
                 issuer_key: rsa.RSAPrivateKey, not_before: datetime, not_after: datetime, ca: bool,
                 path_length: int | None = None, key_usage: Iterable[str] = (), hash_algo: str = "sha256",
                 extended_key_usage: Sequence[ObjectIdentifier] | None = None) -> x509.Certificate:
    pub = key.public_key()
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(pub)
        .serial_number(serial)
        .not_valid_before(_utc(not_before))
        .not_valid_after(_utc(not_after))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .add_extension(_key_usage(key_usage), critical=True)
    )
    if extended_key_usage:
        b = b.add_extension(x509.ExtendedKeyUsage(list(extended_key_usage)), critical=False)
    return b.sign(issuer_key, _HASHES[hash_algo]())


@functools.lru_cache(maxsize=None)
def _generate_cached(seed: int) -> TestPKI:
    pki = TestPKI(seed)
    pki._init_cas()
    return pki
