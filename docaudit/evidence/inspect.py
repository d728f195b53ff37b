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

from ..limits import DEFAULT_LIMITS, Limits
from ..model import DocumentFacts, DocumentVerdict, Evidence, FileStatus, Verdict
from ..signatures import ValidationSettings
from ..text import message
from .confine import confine
from .facts import docx_facts, pdf_facts
from .regular import NotRegular, TooLarge, open_regular, read_chunks
from .text import page_texts

logging.getLogger("pypdf").setLevel(logging.ERROR)

TEXT_PAGES_CHECKED = 3  # pages sampled for a text layer; a scan has none on any of them
_EOF_WINDOW = 2048  # PDF 32000 §7.5.5: %%EOF ends the file; allow trailing junk from transfer tools
_RAW_BYTERANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def gather(root: Path, relative: str | None, settings: ValidationSettings,
           limits: Limits = DEFAULT_LIMITS) -> Evidence:
    """Find, confine, open and judge the file a register row names.

    Only a regular file is ever opened (a FIFO, device or socket inside the root is refused
    without opening it), and its size is checked before a byte is read."""
    if not relative or not relative.strip():
        return Evidence(None, FileStatus.NONE)
    confined = confine(root, relative)
    if confined.path is None:
        return Evidence(relative, FileStatus.OUTSIDE_ROOT, problem=confined.refusal)
    path = confined.path
    if not path.exists():
        return Evidence(relative, FileStatus.MISSING, problem=confined.missing or message("evidence.file-not-found"))
    if not path.is_file():
        return Evidence(relative, FileStatus.MISSING, problem=message("evidence.not-regular-file"))
    try:
        data = read_limited(path, limits.max_file_bytes)
    except TooLarge as exc:
        return Evidence(relative, FileStatus.UNREADABLE, size=exc.size,
                        problem=message("evidence.too-large", limit=limits.max_file_bytes, size=exc.size))
    except NotRegular:
        return Evidence(relative, FileStatus.MISSING, problem=message("evidence.not-regular-file"))
    except OSError as exc:
        return Evidence(relative, FileStatus.UNREADABLE, problem=message("evidence.cannot-read", detail=exc.strerror or exc))
    return inspect_bytes(relative, data, settings, limits)


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (:mod:`.regular` guards the read)."""
    with open_regular(path, max_bytes) as (fd, _info):
        return b"".join(read_chunks(fd, max_bytes, chunk=1 << 22))


def inspect_bytes(name: str, data: bytes, settings: ValidationSettings,
                  limits: Limits = DEFAULT_LIMITS) -> Evidence:
    common = {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if len(data) > limits.max_file_bytes:
        return Evidence(status=FileStatus.UNREADABLE,
                        problem=message("evidence.too-large", limit=limits.max_file_bytes, size=len(data)), **common)
    head = data[:1024]
    if b"%PDF-" in head:
        return _inspect_pdf(data, common, settings, limits)
    if data.startswith(b"PK\x03\x04"):
        return _inspect_docx(data, common, limits)
    if not data:
        return Evidence(status=FileStatus.UNREADABLE, problem=message("evidence.empty"), **common)
    return Evidence(status=FileStatus.UNREADABLE, problem=message("evidence.not-pdf-docx"), **common)


def zip_bomb_reason(archive: zipfile.ZipFile, limits: Limits) -> str | None:
    """Why a ZIP archive must not be inflated, or ``None``. Uses the sizes the archive declares:
    ``zipfile`` never inflates a member past its declared size (it stops there and fails the CRC),
    so the declared sizes bound what any reader of this archive can be made to allocate."""
    total = 0
    for info in archive.infolist():
        size = info.file_size
        total += size
        if size > limits.max_inflate_bytes:
            return f"ZIP member {info.filename!r} inflates to {size} bytes (limit {limits.max_inflate_bytes})"
        if size > 1 << 20 and size > limits.max_compression_ratio * max(info.compress_size, 1):
            return (f"ZIP member {info.filename!r} is compressed {size // max(info.compress_size, 1)}:1 "
                    f"(limit {limits.max_compression_ratio}:1): zip bomb")
    if total > 4 * limits.max_inflate_bytes:
        return f"ZIP archive inflates to {total} bytes in all (limit {4 * limits.max_inflate_bytes})"
    return None


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_XML_PEEK = 4096  # a DOCTYPE can only come before the root element


def _docx_dtd_reason(archive: zipfile.ZipFile) -> str | None:
    """OOXML parts never carry a DTD (ECMA-376 Part 2 §8.1.4 forbids it): a part with one is
    refused outright, so no entity — internal (billion laughs) or external (XXE) — is expanded."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        with archive.open(info) as part:
            head = part.read(_XML_PEEK)
        match = _DOCTYPE.search(head)
        if match:
            return f"XML part {info.filename!r} declares a DTD ({match.group().decode()}), which DOCX forbids"
    return None


def _inspect_docx(data: bytes, common: dict, limits: Limits = DEFAULT_LIMITS) -> Evidence:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                return Evidence(status=FileStatus.UNREADABLE, kind=None,
                                problem=message("evidence.zip-not-docx"), **common)
            refusal = zip_bomb_reason(archive, limits) or _docx_dtd_reason(archive)
            if refusal:
                return Evidence(status=FileStatus.UNREADABLE, kind="docx", problem=message("evidence.docx-refused", detail=refusal),
                                **common)
        import docx

        docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — python-docx/zipfile raise many types on junk
        return Evidence(status=FileStatus.UNREADABLE, kind="docx", problem=message("evidence.docx-unparsable", detail=exc), **common)
    # Signatures inside DOCX (XAdES in _xmlsignatures) are not validated: the contract counts
    # DOCX files as unsigned, and PDF is the format ND 30 prescribes for signed documents.
    return Evidence(status=FileStatus.PRESENT, kind="docx", verdict=DocumentVerdict(Verdict.UNSIGNED),
                    facts=docx_facts(data), **common)


def _declared_pages(reader) -> int | None:
    """/Count of the page tree root, without walking the tree."""
    try:
        count = reader.trailer["/Root"].get_object()["/Pages"].get_object()["/Count"]
        return int(count)
    except Exception:  # noqa: BLE001
        return None


def _inspect_pdf(data: bytes, common: dict, settings: ValidationSettings,
                 limits: Limits = DEFAULT_LIMITS) -> Evidence:
    from pypdf import PdfReader

    from ..signatures.validate import PdfStructureError, verify_pdf  # lazy for start-up: pyHanko loads on the first signed PDF

    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        return Evidence(status=FileStatus.UNREADABLE, kind="pdf",
                        problem=message("evidence.pdf-truncated"),
                        verdict=_raw_signature_verdict(data, settings), **common)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            return Evidence(status=FileStatus.UNREADABLE, kind="pdf", encrypted=True,
                            problem=message("evidence.pdf-encrypted"), **common)
        page_numbers = None
        declared = _declared_pages(reader)
        if declared is not None and declared > limits.max_pdf_pages:
            # too many pages to walk the page tree: signatures are still checked, text is not read
            pages, facts, image_only = declared, DocumentFacts(), False
        else:
            pages = len(reader.pages)
            if pages == 0:
                raise ValueError("the page tree holds no page")
            if pages > limits.max_pdf_pages:
                facts, image_only = DocumentFacts(), False
            else:
                facts = pdf_facts(reader, data, limits.max_inflate_bytes)
                page_numbers = _page_numbers(reader) if pages <= 10_000 else None
                middle = _sample_pages(pages)[1:-1]
                image_only = not (facts.head_text.strip() or facts.tail_text.strip()) and not any(
                    text.strip() for text in page_texts(data, reader, middle, limits.max_inflate_bytes)
                )
    except Exception as exc:  # noqa: BLE001 — pypdf raises many types on damaged files
        return Evidence(status=FileStatus.UNREADABLE, kind="pdf",
                        # the parser's words, cut so that the English reason stays within 300 characters
                        problem=message("evidence.pdf-unparsable", detail=f"{type(exc).__name__}: {exc}"[:278]),
                        verdict=_raw_signature_verdict(data, settings), **common)
    try:
        verdict = verify_pdf(data, settings, page_numbers)
    except PdfStructureError as exc:
        verdict = _pypdf_signature_verdict(reader, data, settings, str(exc))
    return Evidence(status=FileStatus.PRESENT, kind="pdf", pages=pages, encrypted=encrypted,
                    image_only=image_only, verdict=verdict, facts=facts, **common)


def _page_numbers(reader) -> dict[int, int] | None:
    """Page object number → 0-based index from pypdf's walk of the page tree (the signature
    validator places widgets with it instead of walking the tree again); ``None`` if unknown."""
    try:
        numbers: dict[int, int] = {}
        for page in reader.pages:
            ref = page.indirect_reference
            if ref is None:
                return None
            numbers.setdefault(ref.idnum, len(numbers))  # a page listed twice keeps its first place
        return numbers
    except Exception:  # noqa: BLE001 — the validator walks the tree itself
        return None


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
    from ..signatures.validate import verify_signature_bytes  # lazy for start-up: pyHanko loads on the first signature

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
    from ..signatures.validate import verify_signature_bytes  # lazy for start-up: pyHanko loads on the first signature

    return verify_signature_bytes(data, found, settings)
