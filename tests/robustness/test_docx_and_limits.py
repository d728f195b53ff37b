"""DOCX zip bombs, XXE and billion laughs; the size and time limits; FIFOs and devices."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from docaudit.evidence import gather
from docaudit.limits import Limits
from docaudit.model import FileStatus

from .conftest import SETTINGS, accounted, count, judge


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b"<w:document " + W + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b"]><w:document " + W + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


@pytest.mark.parametrize("xml", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_docx_with_a_dtd_is_refused_and_never_expanded(xml: bytes) -> None:
    start = time.monotonic()
    evidence = judge(_docx(xml), "docx xml entities", name="x.docx")
    assert evidence.status is FileStatus.UNREADABLE and "DTD" in evidence.reason
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("xml", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_python_docx_parser_itself_does_not_resolve_entities(xml: bytes) -> None:
    """Second line of defence: python-docx's lxml parser (resolve_entities=False)."""
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    count("docx xml entities")
    start = time.monotonic()
    try:
        root = etree.fromstring(xml, oxml_parser)
    except etree.XMLSyntaxError:
        return
    text = "".join(root.itertext())
    assert "root:" not in text and "lollol" not in text
    assert time.monotonic() - start < 5


def _bomb_docx(member_bytes: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document " + W + b"/>")
        with archive.open("word/padding.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(member_bytes >> 20):
                member.write(chunk)
    return out.getvalue()


def test_docx_zip_bombs_are_refused_before_parsing() -> None:
    small_limits = Limits(max_inflate_bytes=4 << 20)
    evidence = judge(_bomb_docx(8 << 20), "docx zip bombs", small_limits, name="x.docx")
    assert evidence.status is FileStatus.UNREADABLE and "inflates to" in evidence.reason
    evidence = judge(_bomb_docx(3 << 20), "docx zip bombs", name="x.docx")  # under the size limit, ratio ~1000:1
    assert evidence.status is FileStatus.UNREADABLE and "zip bomb" in evidence.reason


def test_docx_with_lying_sizes_is_unreadable() -> None:
    data = bytearray(_docx(b"<w:document " + W + b"><w:body/></w:document>"))
    # declare a tiny uncompressed size for every member: zipfile stops there and fails the CRC
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:
        data[offset + 24: offset + 28] = (1).to_bytes(4, "little")
        offset += 4
    judge(bytes(data), "docx zip bombs", name="x.docx")


def test_size_limit_is_checked_before_reading(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.truncate(300 << 20)  # sparse: 300 MB without writing them
    read = []
    monkeypatch.setattr(os, "read", lambda *a: read.append(a) or b"")
    evidence = accounted(gather(tmp_path, "big.pdf", SETTINGS))
    count("limits")
    assert evidence.status is FileStatus.UNREADABLE
    assert evidence.reason.startswith(f"file larger than {200 << 20} bytes")
    assert read == []


def test_timeout_stops_a_slow_document_and_the_scan_goes_on(tmp_path: Path, monkeypatch) -> None:
    from docaudit.pipeline import executor as scan_module

    (tmp_path / "slow.pdf").write_bytes(b"x")
    (tmp_path / "fast.pdf").write_bytes(b"y")
    real = scan_module.gather

    def slow_gather(root, relative, settings, limits):
        if relative == "slow.pdf":
            while True:  # a pure-Python loop that never ends, swallowing ordinary exceptions
                try:
                    time.sleep(0.01)
                except Exception:  # noqa: BLE001
                    pass
        return real(root, relative, settings, limits)

    monkeypatch.setattr(scan_module, "gather", slow_gather)
    start = time.monotonic()
    limits = Limits(doc_timeout_s=0.3)
    slow = scan_module.safe_gather(tmp_path, "slow.pdf", SETTINGS, limits)
    fast = scan_module.safe_gather(tmp_path, "fast.pdf", SETTINGS, limits)
    count("limits", 2)
    assert slow.status is FileStatus.UNREADABLE and slow.reason == "timeout after 0.3 s"
    assert fast.status is FileStatus.UNREADABLE and fast.reason == "not a PDF or DOCX file"
    assert time.monotonic() - start < 5
    time.sleep(0.6)  # the timer is off: no stray alarm after the document


def test_fifo_and_device_are_never_opened(tmp_path: Path, monkeypatch) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "dev.pdf").symlink_to("/dev/zero")  # inside the root by name, a device by nature
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    for name in ("pipe.pdf", "dev.pdf"):
        evidence = gather(tmp_path, name, SETTINGS)
        count("limits")
        assert evidence.status in (FileStatus.MISSING, FileStatus.OUTSIDE_ROOT), evidence
    assert opened == []
