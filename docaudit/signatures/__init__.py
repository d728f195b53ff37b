"""Signature validation: pyHanko wrapper, trust store, person/organisation heuristic."""

from .trust import TrustStore, load_trust
from .validate import (
    PdfStructureError,
    ValidationSettings,
    document_verdict,
    verify_pdf,
    verify_signature_bytes,
)

__all__ = [
    "PdfStructureError",
    "TrustStore",
    "ValidationSettings",
    "document_verdict",
    "load_trust",
    "verify_pdf",
    "verify_signature_bytes",
]
