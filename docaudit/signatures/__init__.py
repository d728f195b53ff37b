"""Signature validation: pyHanko wrapper, trust store, person/organisation heuristic.

The validator (and with it pyHanko, ~0.7 s to import) loads on first use, so that a run which
validates nothing — an unchanged folder in an incremental audit — does not pay for it."""

from typing import Any

from .settings import ValidationSettings
from .trust import TrustStore, load_trust

_VALIDATOR_NAMES = {"PdfStructureError", "document_verdict", "verify_pdf", "verify_signature_bytes"}

__all__ = [
    "PdfStructureError",
    "TrustStore",
    "ValidationSettings",
    "document_verdict",
    "load_trust",
    "verify_pdf",
    "verify_signature_bytes",
]


def __getattr__(name: str) -> Any:
    if name in _VALIDATOR_NAMES:
        from . import validate  # lazy for start-up: pyHanko loads on the first signature

        return getattr(validate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
