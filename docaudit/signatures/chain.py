"""The certificate path a signature validated through, name by name, and the PKI it ends in.

Real files often carry only the signer's certificate: the path then runs through intermediates
that a trust pack offered. Reporting it (``path``: the signer's name, each issuing CA's, the trust
anchor's) lets an auditor see which hierarchy vouched for the signature; ``hierarchy`` is what the
trust set knows of the anchor (``vgca``: Ban Cơ yếu Chính phủ; ``neac``), which SIG011 decides on.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

from asn1crypto import x509

from ..model import SignatureReport
from .trust import TrustStore


def with_path(report: SignatureReport, status: Any, trust: TrustStore) -> SignatureReport:
    """``report`` with the path pyHanko validated to a trust anchor (none when the chain was not
    validated, or when the file's revocation data revoked it). Never raises."""
    try:
        path = getattr(status, "validation_path", None)
        if path is None or getattr(status, "trust_problem_indic", None) is not None:
            return report
        if any(reason.startswith("REVOKED") for reason in report.reasons):
            return report
        certificates = list(path.iter_certs(include_root=True))
        if not certificates:
            return report
        anchor = getattr(path.trust_anchor.authority, "certificate", None)
        hierarchy = trust.hierarchy_of(anchor) if anchor is not None else None
        names = tuple(_name(c.dump()) for c in reversed(certificates))
        return replace(report, path=names, hierarchy=hierarchy)
    except Exception:  # noqa: BLE001 — a description never costs a verdict
        return report


@functools.lru_cache(maxsize=4096)
def _name(der: bytes) -> str:
    cert = x509.Certificate.load(der)
    common_name = cert.subject.native.get("common_name")
    if isinstance(common_name, list):  # several CNs
        common_name = ", ".join(common_name)
    return common_name or cert.subject.human_friendly
