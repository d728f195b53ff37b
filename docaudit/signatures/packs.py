"""Trust packs: the certificates of a PKI, shipped as data (``rules/trust/NAME.yaml`` and ``certs/``).

A pack lists each certificate file with its SHA-256 fingerprint, subject, validity, status,
hierarchy, legal reference and provenance (how many independent holders had the same bytes,
and where). Loading a pack checks every file against its fingerprint: a pack whose bytes were
changed is refused (exit 2), so the pack file alone identifies what is trusted.

Statuses: ``anchor`` (a trust root), ``anchor-confirm`` (a trust root whose fingerprint has not
been published where we could reach it: to confirm before a release; trusted all the same and
marked in ``docaudit trust show``), ``intermediate`` (offered for path building, never trusted by
itself) and ``not-trusted`` (listed for the record, not used). Hierarchies: ``vgca`` (Ban Cơ yếu
Chính phủ: official, công vụ, signatures) and ``neac`` (the National Root CA and the public CAs
it licenses); SIG011 reads which one a validated path ends in.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import pem, x509

from .. import yamlio
from ..errors import TrustError
from ..rules_data import trust_dir

STATUSES = ("anchor", "anchor-confirm", "intermediate", "not-trusted")
ANCHOR_STATUSES = ("anchor", "anchor-confirm")
HIERARCHIES = ("vgca", "neac")
_PACK_KEYS = {"id", "version", "title", "reference", "verify", "description", "certificates"}
_CERT_KEYS = {"file", "sha256", "subject", "issuer", "valid", "key", "status", "hierarchy", "reference", "note",
              "provenance"}
_PROVENANCE_KEYS = {"sources", "found"}


@dataclass(frozen=True)
class PackCertificate:
    file: Path
    sha256: str
    """SHA-256 of the certificate (DER), lower-case hex: checked against the file when loaded."""
    certificate: x509.Certificate
    status: str
    hierarchy: str | None = None
    subject: str = ""
    """The name to show (the subject's common name), as the pack writes it."""
    issuer: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    key: str = ""
    reference: str = ""
    note: str = ""
    sources: int | None = None
    """How many independent holders of the same bytes were found (consistency, not authority)."""
    found: tuple[str, ...] = ()

    @property
    def anchor(self) -> bool:
        return self.status in ANCHOR_STATUSES


@dataclass(frozen=True)
class TrustPack:
    id: str
    source: str
    """The pack file."""
    spec: str
    """The name or path it was asked for by (what a worker process loads again)."""
    digest: str
    """SHA-256 of the pack file: with the fingerprints it lists, the whole content of the pack."""
    certificates: tuple[PackCertificate, ...]
    version: str = "1"
    title: tuple[tuple[str, str], ...] = ()
    reference: str = ""
    verify: tuple[str, ...] = ()

    def title_in(self, lang: str) -> str:
        titles = dict(self.title)
        return titles.get(lang) or titles.get("en") or self.id


def pack_names() -> list[str]:
    """The packs shipped (or in ``$DOCAUDIT_RULES_DIR/trust``), by name."""
    folder = trust_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def resolve_pack_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise TrustError(f"trust pack {name_or_path}: no such file")
        return path
    candidate = trust_dir() / f"{name_or_path}.yaml"
    if not candidate.is_file():
        raise TrustError(f"unknown trust pack '{name_or_path}' (known: {', '.join(pack_names()) or 'none'})")
    return candidate


@functools.lru_cache(maxsize=32)
def _load(path: Path, stamp: tuple[int, int], spec: str) -> TrustPack:
    try:
        raw = path.read_bytes()
        data = yamlio.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TrustError(f"trust pack {path}: cannot be read: {str(exc).splitlines()[0]}") from None
    where = f"trust pack {path}"
    if not isinstance(data, dict):
        raise TrustError(f"{where}: expected a mapping at the top level")
    unknown = set(data) - _PACK_KEYS
    if unknown:
        raise TrustError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    entries = data.get("certificates")
    if not isinstance(entries, list) or not entries:
        raise TrustError(f"{where}: key 'certificates' must list the pack's certificates")
    certificates = tuple(_certificate(item, path.parent, f"{where}: certificates[{i}]")
                         for i, item in enumerate(entries))
    seen: set[str] = set()
    for i, cert in enumerate(certificates):
        if cert.sha256 in seen:
            raise TrustError(f"{where}: certificates[{i}]: {cert.file.name} is listed twice")
        seen.add(cert.sha256)
    title = data.get("title") or {}
    if not isinstance(title, dict):
        title = {"vi": str(title), "en": str(title)}
    verify = data.get("verify") or []
    return TrustPack(
        id=str(data.get("id", path.stem)), source=str(path), spec=spec, digest=hashlib.sha256(raw).hexdigest(),
        certificates=certificates, version=str(data.get("version", "1")),
        title=tuple((str(k), str(v)) for k, v in title.items()), reference=str(data.get("reference") or ""),
        verify=tuple(str(v) for v in verify) if isinstance(verify, list) else (str(verify),),
    )


def load_pack(name_or_path: str) -> TrustPack:
    """The pack named (``vn``, ``vn-gov``) or the pack file at a path, with every certificate read
    and checked against its fingerprint. Raises :class:`TrustError` (exit 2) naming the file and key."""
    path = resolve_pack_path(str(name_or_path))
    try:
        info = path.stat()
    except OSError as exc:
        raise TrustError(f"trust pack {path}: cannot be read: {exc.strerror or exc}") from None
    return _load(path.resolve(), (info.st_mtime_ns, info.st_size), str(name_or_path))


def _certificate(item: Any, folder: Path, where: str) -> PackCertificate:
    if not isinstance(item, dict):
        raise TrustError(f"{where}: expected a mapping with file, sha256 and status")
    unknown = set(item) - _CERT_KEYS
    if unknown:
        raise TrustError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    for key in ("file", "sha256", "status"):
        if not item.get(key):
            raise TrustError(f"{where}: key '{key}' is missing")
    status = str(item["status"])
    if status not in STATUSES:
        raise TrustError(f"{where}.status: '{status}' is not one of {', '.join(STATUSES)}")
    hierarchy = item.get("hierarchy")
    if hierarchy is not None and hierarchy not in HIERARCHIES:
        raise TrustError(f"{where}.hierarchy: '{hierarchy}' is not one of {', '.join(HIERARCHIES)}")
    expected = str(item["sha256"]).replace(":", "").strip().lower()
    file = folder / str(item["file"])
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise TrustError(f"{where}.file: {file}: cannot be read: {exc.strerror or exc}") from None
    try:
        der = pem.unarmor(data)[2] if pem.detect(data) else data
        certificate = x509.Certificate.load(der)
        # what reading the pack needs (a full parse of 75 certificates would cost 0.2 s of every
        # run; the fingerprint below already pins the bytes, and path building parses the rest)
        certificate.subject.dump(), certificate.issuer.dump(), certificate["tbs_certificate"]["validity"].native
    except Exception:  # noqa: BLE001 — asn1crypto raises ValueError/TypeError/… on junk
        raise TrustError(f"{where}.file: {file}: not a PEM or DER X.509 certificate") from None
    actual = hashlib.sha256(der).hexdigest()
    if actual != expected:
        raise TrustError(f"{where}.sha256: {file.name} has SHA-256 {actual.upper()}, the pack says {expected.upper()}")
    valid = item.get("valid") or {}
    provenance = item.get("provenance") or {}
    if not isinstance(valid, dict) or not isinstance(provenance, dict):
        raise TrustError(f"{where}: 'valid' and 'provenance' must be mappings")
    if set(provenance) - _PROVENANCE_KEYS:
        raise TrustError(f"{where}.provenance: unknown key '{sorted(set(provenance) - _PROVENANCE_KEYS)[0]}'")
    return PackCertificate(
        file=file, sha256=actual, certificate=certificate, status=status, hierarchy=hierarchy,
        subject=str(item.get("subject") or certificate.subject.native.get("common_name") or
                    certificate.subject.human_friendly),
        issuer=str(item.get("issuer") or ""), valid_from=_date(valid.get("from")) or _bound(certificate, "not_before"),
        valid_until=_date(valid.get("until")) or _bound(certificate, "not_after"), key=str(item.get("key") or ""),
        reference=str(item.get("reference") or ""), note=str(item.get("note") or ""),
        sources=provenance.get("sources"), found=tuple(str(f) for f in provenance.get("found") or ()),
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _bound(certificate: x509.Certificate, which: str) -> dt.date:
    return certificate["tbs_certificate"]["validity"][which].native.date()


@functools.lru_cache(maxsize=1)
def shipped_hierarchies() -> dict[str, str]:
    """SHA-256 → hierarchy of every certificate of the shipped packs: a root given with ``--trust``
    that is one of them (the same bytes) is known for what it is. Read once per process, and only
    when a path is reported. The pack files' fingerprints are taken as written (loading a pack
    checks them; a test checks the shipped ones)."""
    known: dict[str, str] = {}
    for name in pack_names():
        try:
            data = yamlio.safe_load((trust_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
            for item in data["certificates"]:
                if item.get("hierarchy") in HIERARCHIES and item.get("status") in STATUSES[:3]:
                    known.setdefault(str(item["sha256"]).replace(":", "").lower(), item["hierarchy"])
        except Exception:  # noqa: BLE001 — a broken pack is reported when it is asked for, not here
            continue
    return known
