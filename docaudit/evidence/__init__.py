"""Opening evidence files safely: confinement, PDF/DOCX recognition, scans, encryption."""

from typing import Any

from .confine import Confined, confine

__all__ = ["Confined", "confine", "gather", "inspect_bytes"]


def __getattr__(name: str) -> Any:
    # the readers (pypdf, PDFium, python-docx, the signature validator) load on first use: an
    # incremental audit that reuses every file, and the confinement checks, never need them
    if name in ("gather", "inspect_bytes"):
        from . import inspect  # lazy for start-up: pypdf, PDFium and python-docx load on the first file

        return getattr(inspect, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
