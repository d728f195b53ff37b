"""Revocation data a signed PDF carries, for the certificate-path check (the contract (docs/REPORT.md: verdicts): a revoked
certificate makes a signature ``invalid``).

docaudit never fetches anything (an audit must give the same answer offline, tomorrow), so the
only revocation evidence is what the signer or a later LTV update put into the file:

* the document security store (``/DSS``: ``/CRLs`` and ``/OCSPs`` streams, PAdES B-LT), shared
  by every signature of the document;
* Adobe's ``adbe-revocationInfoArchival`` signed attribute of a signature's CMS (CRLs and OCSP
  responses captured at signing time, what most Vietnamese signing software writes).

pyHanko's basic validation reads neither: given to the ``ValidationContext``, they make its
path validation (soft-fail: no data means no objection) report ``REVOKED`` for a certificate
revoked before the validation moment. A revocation after that moment is not held against the
signature. Data that cannot be parsed is left out, never an error: the signature is then
judged as if the file carried none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from pyhanko.sign.general import find_unique_cms_attribute


@dataclass(frozen=True)
class RevocationData:
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.crls or self.ocsps)

    def __add__(self, other: "RevocationData") -> "RevocationData":
        return RevocationData(self.crls + other.crls, self.ocsps + other.ocsps)


NONE = RevocationData()


def from_dss(reader: Any) -> RevocationData:
    """The CRLs and OCSP responses of the document's ``/DSS`` (none if it has no DSS)."""
    try:
        dss = reader.root.get("/DSS")
        dss = dss.get_object() if dss is not None else None
    except Exception:  # noqa: BLE001 — a broken DSS is no revocation evidence
        return NONE
    if dss is None or not hasattr(dss, "get"):
        return NONE
    return RevocationData(tuple(_streams(dss, "/CRLs", asn1_crl.CertificateList)),
                          tuple(_streams(dss, "/OCSPs", asn1_ocsp.OCSPResponse)))


def _streams(dss: Any, key: str, spec: Any) -> list[Any]:
    found = []
    try:
        items = dss.get(key)
        items = items.get_object() if items is not None else ()
    except Exception:  # noqa: BLE001
        return found
    for item in items if isinstance(items, list) else ():
        try:
            value = spec.load(item.get_object().data)
            value.native  # noqa: B018 — asn1crypto parses lazily: junk fails here, not in pyHanko
        except Exception:  # noqa: BLE001
            continue
        found.append(value)
    return found


def from_cms(signer_info: Any) -> RevocationData:
    """The CRLs and OCSP responses of the ``adbe-revocationInfoArchival`` signed attribute."""
    try:
        archive = find_unique_cms_attribute(signer_info["signed_attrs"], "adobe_revocation_info_archival")
    except Exception:  # noqa: BLE001 — absent, repeated or malformed: none
        return NONE
    crls, ocsps = [], []
    for field, out in (("crl", crls), ("ocsp", ocsps)):
        try:
            values = archive[field]
            for value in values if values.native is not None else ():
                value.native  # noqa: B018 — see _streams
                out.append(value)
        except Exception:  # noqa: BLE001
            continue
    return RevocationData(tuple(crls), tuple(ocsps))
