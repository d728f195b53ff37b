"""Trust roots given with ``--trust``: files or folders of PEM/DER certificates.

Every chain given ends in a trust anchor: a self-signed root, or an issuing CA whose own issuer
was not given. Clerks often hold only the CA that issued their agency's certificates (the
"CA phục vụ các cơ quan Nhà nước", say) and not its root; trusting what they named is what they
asked for, and the report says that the anchor is an issuing CA (role ``anchor``). An issuing CA
given together with its issuer only helps path building (role ``intermediate``): it is not
trusted by itself. Nothing is fetched from the network.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from asn1crypto import pem, x509

from ..errors import TrustError

CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.roots

    @functools.cached_property
    def fingerprint(self) -> str:
        """SHA-256 over the sorted SHA-256 fingerprints of every certificate: identifies the trust set.
        (Computed once: every signature's validation context and every cache key asks for it.)"""
        prints = sorted(c.sha256.hex() for c in (*self.roots, *self.intermediates))
        return hashlib.sha256("\n".join(prints).encode()).hexdigest()

    def describe(self) -> list[dict[str, str]]:
        return [
            {"subject": c.subject.human_friendly, "sha256": c.sha256.hex(),
             "role": "root" if _is_self_signed(c) else "anchor"}
            for c in self.roots
        ] + [
            {"subject": c.subject.human_friendly, "sha256": c.sha256.hex(), "role": "intermediate"}
            for c in self.intermediates
        ]


def _parse_certificates(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustError(f"trust file {path}: cannot be read: {exc.strerror or exc}") from None
    blobs: list[bytes]
    if pem.detect(data):
        blobs = [der for kind, _, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
        if not blobs:
            raise TrustError(f"trust file {path}: PEM file holds no CERTIFICATE block")
    else:
        blobs = [data]
    certs = []
    for der in blobs:
        try:
            cert = x509.Certificate.load(der)
            cert.native  # force a full parse: asn1crypto parses lazily
        except Exception as exc:  # asn1crypto raises ValueError/TypeError/… on junk
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if len(detail) > 80:  # asn1crypto can print a 140-digit length read from junk
                detail = f"{type(exc).__name__}: unreadable DER structure"
            raise TrustError(f"trust file {path}: not a PEM or DER X.509 certificate ({detail})") from None
        certs.append(cert)
    return certs


def _is_self_signed(cert: x509.Certificate) -> bool:
    return cert.self_signed in ("maybe", "yes")


def load_trust(paths: Iterable[str | Path]) -> TrustStore:
    """Load every certificate named by ``paths`` (files, or folders scanned for .pem/.crt/.cer/.der)."""
    given: dict[bytes, x509.Certificate] = {}
    sources: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CERT_SUFFIXES)
            if not files:
                raise TrustError(f"trust folder {path}: holds no .pem/.crt/.cer/.der file")
        elif path.is_file():
            files = [path]
        else:
            raise TrustError(f"trust path {path}: no such file or folder")
        for file in files:
            for cert in _parse_certificates(file):
                given[cert.sha256] = cert
            sources.append(str(file))
    roots, intermediates = _anchors(list(given.values()))
    return TrustStore(tuple(roots), tuple(intermediates), tuple(sources))


def _anchors(certs: list[x509.Certificate]) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """(anchors, intermediates): a certificate is an anchor when it is self-signed or when no
    certificate given could have issued it (matched by name: enough to tell where a chain given
    ends, and path building checks the signatures)."""
    subjects = {c.subject.dump() for c in certs}
    anchors, intermediates = [], []
    for cert in certs:
        top = _is_self_signed(cert) or cert.issuer.dump() not in subjects
        (anchors if top else intermediates).append(cert)
    return anchors, intermediates
