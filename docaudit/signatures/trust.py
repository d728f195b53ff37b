"""Trust roots given with ``--trust``: files or folders of PEM/DER certificates.

Every chain given ends in a trust anchor: a self-signed root, or an issuing CA whose own issuer
was not given. Clerks often hold only the CA that issued their agency's certificates (the
"CA phục vụ các cơ quan Nhà nước", say) and not its root; trusting what they named is what they
asked for, and the report says that the anchor is an issuing CA (role ``anchor``). An issuing CA
given together with its issuer only helps path building (role ``intermediate``): it is not
trusted by itself. Nothing is fetched from the network.

Trust packs (``--trust-pack vn``, :mod:`.packs`) add their anchors and intermediates as their
statuses say; a certificate given with ``--trust`` keeps the role it has among everything given
(its issuer may come from a pack). The trust set's fingerprint covers the certificates and, when
packs are used, each pack file (statuses and hierarchies included).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

from asn1crypto import pem, x509

from ..errors import TrustError
from .packs import TrustPack, load_pack, shipped_hierarchies

CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    sources: tuple[str, ...] = ()
    """The files given with ``--trust`` (folders expanded)."""
    packs: tuple[TrustPack, ...] = ()
    """The trust packs used (``--trust-pack``)."""
    hierarchies: Mapping[str, str] = field(default_factory=dict, compare=False)
    """SHA-256 (hex) → hierarchy (``vgca``, ``neac``) of the packs' certificates."""
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
    """SHA-256 (hex) → the pack a certificate came from."""

    @property
    def empty(self) -> bool:
        return not self.roots

    @property
    def spec(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(files, packs): what :func:`load_trust` needs to build this set again (a worker process)."""
        return tuple(self.sources), tuple(p.spec for p in self.packs)

    @functools.cached_property
    def fingerprint(self) -> str:
        """SHA-256 over the sorted SHA-256 fingerprints of every certificate, and of each pack file
        when packs are used: identifies the trust set. (Computed once: every signature's validation
        context and every cache key asks for it.)"""
        prints = sorted(c.sha256.hex() for c in (*self.roots, *self.intermediates))
        text = "\n".join(prints)
        if self.packs:
            text += "\npacks\n" + "\n".join(sorted(f"{p.id}:{p.digest}" for p in self.packs))
        return hashlib.sha256(text.encode()).hexdigest()

    def hierarchy_of(self, certificate: x509.Certificate) -> str | None:
        """The PKI hierarchy a certificate belongs to (``vgca``: Ban Cơ yếu Chính phủ; ``neac``), as a
        pack of this set, else a shipped pack, knows it; ``None`` for any other certificate."""
        fingerprint = certificate.sha256.hex()
        return self.hierarchies.get(fingerprint) or shipped_hierarchies().get(fingerprint)

    def describe_packs(self) -> list[dict[str, str]]:
        return [{"pack": p.id, "version": p.version, "sha256": p.digest} for p in self.packs]

    def describe(self) -> list[dict[str, str | None]]:
        return [
            {"subject": c.subject.human_friendly, "sha256": c.sha256.hex(),
             "role": "root" if _is_self_signed(c) else "anchor", "pack": self.origins.get(c.sha256.hex())}
            for c in self.roots
        ] + [
            {"subject": c.subject.human_friendly, "sha256": c.sha256.hex(), "role": "intermediate",
             "pack": self.origins.get(c.sha256.hex())}
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


def load_trust(paths: Iterable[str | Path], packs: Iterable[str] = ()) -> TrustStore:
    """Load every certificate named by ``paths`` (files, or folders scanned for .pem/.crt/.cer/.der)
    and by the trust ``packs`` (names, or pack files)."""
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
    loaded = tuple({p.source: p for p in (load_pack(spec) for spec in dict.fromkeys(str(s) for s in packs))}.values())
    pack_roots: dict[bytes, x509.Certificate] = {}
    pack_others: dict[bytes, x509.Certificate] = {}
    hierarchies: dict[str, str] = {}
    origins: dict[str, str] = {}
    for pack in loaded:
        for entry in pack.certificates:
            if entry.status == "not-trusted":
                continue  # listed for the record only
            key = entry.certificate.sha256
            (pack_roots if entry.anchor else pack_others)[key] = entry.certificate
            origins.setdefault(entry.sha256, pack.id)
            if entry.hierarchy:
                hierarchies.setdefault(entry.sha256, entry.hierarchy)
    for key in pack_roots:
        pack_others.pop(key, None)  # an anchor of one pack stays an anchor beside another's intermediate
    # a certificate given with --trust keeps its role among everything given: its issuer may be a pack's
    issuers = {c.subject.dump() for c in (*pack_roots.values(), *pack_others.values())}
    roots, intermediates = _anchors(list(given.values()), issuers)
    mine = set(given)
    roots += [c for key, c in pack_roots.items() if key not in mine]
    intermediates += [c for key, c in pack_others.items() if key not in mine]
    return TrustStore(tuple(roots), tuple(intermediates), tuple(sources), loaded,
                      MappingProxyType(hierarchies), MappingProxyType(origins))


def _anchors(certs: list[x509.Certificate], issuers: set[bytes] = frozenset()
             ) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """(anchors, intermediates): a certificate is an anchor when it is self-signed or when no
    certificate given (nor ``issuers``, the subjects of the packs' certificates) could have issued
    it (matched by name: enough to tell where a chain given ends, and path building checks the
    signatures)."""
    subjects = {c.subject.dump() for c in certs} | issuers
    anchors, intermediates = [], []
    for cert in certs:
        top = _is_self_signed(cert) or cert.issuer.dump() not in subjects
        (anchors if top else intermediates).append(cert)
    return anchors, intermediates
