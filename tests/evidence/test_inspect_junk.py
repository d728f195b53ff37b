"""Files that are not PDF/DOCX, or are broken, become `unreadable` with a reason — never a crash."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings, strategies as st

from docaudit.evidence import inspect_bytes
from docaudit.model import FileStatus
from docaudit.signatures import ValidationSettings

SETTINGS = ValidationSettings()


def test_plain_text_is_unreadable() -> None:
    evidence = inspect_bytes("a.pdf", b"hello world", SETTINGS)
    assert evidence.status is FileStatus.UNREADABLE
    assert "not a PDF or DOCX" in evidence.reason


def test_empty_file_is_unreadable() -> None:
    assert inspect_bytes("a.pdf", b"", SETTINGS).reason == "empty file"


def test_pdf_header_without_body_is_unreadable() -> None:
    evidence = inspect_bytes("a.pdf", b"%PDF-1.7\n1 0 obj\n<<", SETTINGS)
    assert evidence.status is FileStatus.UNREADABLE
    assert evidence.kind == "pdf"
    assert "truncated" in evidence.reason


def test_zip_that_is_not_docx_is_unreadable() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    evidence = inspect_bytes("a.docx", buffer.getvalue(), SETTINGS)
    assert evidence.status is FileStatus.UNREADABLE
    assert "word/document.xml" in evidence.reason


def test_docx_is_present_and_unsigned() -> None:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    document.save(buffer)
    evidence = inspect_bytes("a.docx", buffer.getvalue(), SETTINGS)
    assert evidence.status is FileStatus.PRESENT
    assert evidence.kind == "docx"
    assert evidence.verdict.verdict.value == "unsigned"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    for prefix in (b"", b"%PDF-1.4\n", b"PK\x03\x04"):
        evidence = inspect_bytes("x", prefix + data, SETTINGS)
        assert evidence.status in (FileStatus.PRESENT, FileStatus.UNREADABLE)
        if evidence.status is FileStatus.UNREADABLE:
            assert evidence.reason
