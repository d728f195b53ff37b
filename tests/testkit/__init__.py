"""Builders for tests, samples and benchmarks: a deterministic demo PKI,
Vietnamese administrative documents (PDF / scanned PDF / DOCX) and helpers
to sign, modify, tamper with and truncate PDFs.

Only imported by tests, samples/generate.py and bench; needs reportlab,
Pillow, python-docx, cryptography and pyHanko.
"""

from .documents import (
    DOC_TYPE_TITLES,
    SIGNATURE_RECTS,
    DocumentFontError,
    DocumentSpec,
    render_docx,
    render_pdf,
    render_scan_pdf,
    signature_rects,
    spec_for,
    vn_date_line,
)
from .pki import Identity, TestPKI, organisation_subject, person_subject
from .signing import (
    ascii_fold,
    modify_after_signing,
    sign_pdf,
    sign_person_and_org,
    tamper,
    truncate,
)

__all__ = [
    "DOC_TYPE_TITLES",
    "SIGNATURE_RECTS",
    "DocumentFontError",
    "DocumentSpec",
    "Identity",
    "TestPKI",
    "ascii_fold",
    "modify_after_signing",
    "organisation_subject",
    "person_subject",
    "render_docx",
    "render_pdf",
    "render_scan_pdf",
    "sign_pdf",
    "sign_person_and_org",
    "signature_rects",
    "spec_for",
    "tamper",
    "truncate",
    "vn_date_line",
]
