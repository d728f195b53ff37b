"""Open one evidence file: recognise PDF or DOCX, detect scans and encryption, validate signatures.

A file that cannot be parsed becomes ``unreadable`` with the parser's reason — never a crash.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from pathlib import Path

from ..model import DocumentVerdict, Evidence, FileStatus, Verdict
from ..signatures import (
    PdfStructureError,
    ValidationSettings,
    verify_pdf,
    verify_signature_bytes,
)
from .confine import confine
from .facts import docx_facts, pdf_facts
from .text import page_texts

logging.getLogger("pypdf").setLevel(logging.ERROR)

TEXT_PAGES_CHECKED = 3  # pages sampled for a text layer; a scan has none on any of them
_EOF_WINDOW = 2048  # PDF 32000 §7.5.5: %%EOF ends the file; allow trailing junk from transfer tools
_RAW_BYTERANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def gather(root: Path, relative: str | None, settings: ValidationSettings) -> Evidence:
    """Find, confine, open and judge the file a register row names."""
    if not relative or not relative.strip():
        return Evidence(None, FileStatus.NONE)
    confined = confine(root, relative)
    if confined.path is None:
        return Evidence(relative, FileStatus.OUTSIDE_ROOT, reason=confined.refusal)
    path = confined.path
    if not path.exists():
        return Evidence(relative, FileStatus.MISSING, reason="file not found")
    if not path.is_file():
        return Evidence(relative, FileStatus.MISSING, reason="not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Evidence(relative, FileStatus.UNREADABLE, reason=f"cannot be read: {exc.strerror or exc}")
    return inspect_bytes(relative, data, settings)


def inspect_bytes(name: str, data: bytes, settings: ValidationSettings) -> Evidence:
    common = {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    head = data[:1024]
    if b"%PDF-" in head:
        return _inspect_pdf(data, common, settings)
    if data.startswith(b"PK\x03\x04"):
        return _inspect_docx(data, common)
    if not data:
        return Evidence(status=FileStatus.UNREADABLE, reason="empty file", **common)
    return Evidence(status=FileStatus.UNREADABLE, reason="not a PDF or DOCX file", **common)


def _inspect_docx(data: bytes, common: dict) -> Evidence:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                return Evidence(status=FileStatus.UNREADABLE, kind=None,
                                reason="ZIP archive without word/document.xml: not a DOCX", **common)
        import docx

        docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — python-docx/zipfile raise many types on junk
        return Evidence(status=FileStatus.UNREADABLE, kind="docx", reason=f"DOCX cannot be parsed: {exc}", **common)
    # Signatures inside DOCX (XAdES in _xmlsignatures) are not validated: the contract counts
    # DOCX files as unsigned, and PDF is the format ND 30 prescribes for signed documents.
    return Evidence(status=FileStatus.PRESENT, kind="docx", verdict=DocumentVerdict(Verdict.UNSIGNED),
                    facts=docx_facts(data), **common)


def _inspect_pdf(data: bytes, common: dict, settings: ValidationSettings) -> Evidence:
    from pypdf import PdfReader

    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        return Evidence(status=FileStatus.UNREADABLE, kind="pdf",
                        reason="truncated PDF: no %%EOF marker at the end of the file",
                        verdict=_raw_signature_verdict(data, settings), **common)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            return Evidence(status=FileStatus.UNREADABLE, kind="pdf", encrypted=True,
                            reason="encrypted PDF: a password is needed to open it", **common)
        pages = len(reader.pages)
        if pages == 0:
            raise ValueError("the page tree holds no page")
        facts = pdf_facts(reader, data)
        middle = _sample_pages(pages)[1:-1]
        image_only = not (facts.head_text.strip() or facts.tail_text.strip()) and not any(
            text.strip() for text in page_texts(data, reader, middle)
        )
    except Exception as exc:  # noqa: BLE001 — pypdf raises many types on damaged files
        return Evidence(status=FileStatus.UNREADABLE, kind="pdf",
                        reason=f"PDF cannot be parsed: {type(exc).__name__}: {exc}"[:300],
                        verdict=_raw_signature_verdict(data, settings), **common)
    try:
        verdict = verify_pdf(data, settings)
    except PdfStructureError as exc:
        verdict = _pypdf_signature_verdict(reader, data, settings, str(exc))
    return Evidence(status=FileStatus.PRESENT, kind="pdf", pages=pages, encrypted=encrypted,
                    image_only=image_only, verdict=verdict, facts=facts, **common)


def _sample_pages(count: int) -> list[int]:
    return sorted({*range(min(count, TEXT_PAGES_CHECKED)), count - 1})


def _pypdf_signature_verdict(reader, data: bytes, settings: ValidationSettings, why: str) -> DocumentVerdict:
    """pyHanko cannot parse the file but pypdf can: check the signatures pypdf finds."""
    found = []
    try:
        for name, field in (reader.get_fields() or {}).items():
            if field.get("/FT") != "/Sig" or field.get("/V") is None:
                continue
            value = field["/V"].get_object()
            contents = value.get("/Contents")
            found.append((name, list(value.get("/ByteRange", [])),
                          bytes(contents.original_bytes if hasattr(contents, "original_bytes") else contents)))
    except Exception:  # noqa: BLE001
        pass
    if not found:
        return _raw_signature_verdict(data, settings) or DocumentVerdict(Verdict.UNSIGNED)
    return verify_signature_bytes(data, found, settings)


def _raw_signature_verdict(data: bytes, settings: ValidationSettings) -> DocumentVerdict | None:
    """No parser can read the file: look for signature dictionaries in the raw bytes, so that a
    damaged signed file is never mistaken for an unsigned one."""
    found = []
    for index, match in enumerate(_RAW_BYTERANGE.finditer(data)):
        byte_range = [int(g) for g in match.groups()]
        start, end = byte_range[1], byte_range[2]
        hex_blob = data[start + 1 : end - 1] if 0 < start < end <= len(data) else b""
        try:
            contents = bytes.fromhex(hex_blob.decode("ascii"))
        except ValueError:
            contents = b""
        found.append((f"signature {index + 1}", byte_range, contents))
    if not found:
        return None
    return verify_signature_bytes(data, found, settings)
