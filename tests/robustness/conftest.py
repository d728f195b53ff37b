"""Shared helpers of the robustness suite: sample documents, a tiny PDF builder, the rule that
every input is accounted for, and a count of the generated cases (printed at the end)."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from docaudit.evidence import inspect_bytes
from docaudit.limits import DEFAULT_LIMITS, Limits, deadline
from docaudit.model import Evidence, FileStatus
from docaudit.signatures import ValidationSettings, load_trust

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SETTINGS = ValidationSettings(load_trust((str(SAMPLES / "trust"),)))
CASES: dict[str, int] = {}
HANG_GUARD_S = 20.0  # a case taking longer than this is a hang: the test fails instead of hanging


def count(kind: str, n: int = 1) -> None:
    CASES[kind] = CASES.get(kind, 0) + n


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if CASES:
        total = sum(CASES.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(CASES.items()))
        terminalreporter.write_line(f"robustness: {total} generated cases ran ({detail})")


def signed_samples() -> list[Path]:
    return sorted(p for p in (SAMPLES / "files").rglob("*.pdf") if b"/ByteRange" in p.read_bytes())


def accounted(evidence: Evidence) -> Evidence:
    """A verdict for a present file, or `unreadable` with a reason — nothing else."""
    assert evidence.status in (FileStatus.PRESENT, FileStatus.UNREADABLE), evidence
    if evidence.status is FileStatus.PRESENT:
        assert evidence.verdict is not None
    else:
        assert evidence.reason and evidence.reason.strip()
    return evidence


def judge(data: bytes, kind: str, limits: Limits = DEFAULT_LIMITS, name: str = "x.pdf") -> Evidence:
    """``inspect_bytes`` must return (no exception escapes) within the hang guard."""
    count(kind)
    with deadline(HANG_GUARD_S):
        return accounted(inspect_bytes(name, data, SETTINGS, limits))


# --------------------------------------------------------------------------- PDF builder


def build_pdf(objects: dict[int, bytes], root: int = 1, trailer_extra: bytes = b"", prev_self: bool = False) -> bytes:
    """A classic-xref PDF of the given ``{number: body}`` objects."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    extra = trailer_extra + (b" /Prev %d" % xref_at if prev_self else b"")
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, extra, xref_at)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page_pdf(content: bytes = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", page_extra: bytes = b"",
             more: dict[int, bytes] | None = None, **kw) -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
           + page_extra + b">>",
        4: stream(content),
    }
    objects.update(more or {})
    return build_pdf(objects, **kw)


def deflate_bomb(gib: int = 2) -> bytes:
    """A valid zlib stream (correct Adler-32) of ``gib`` GiB of zeros, about 1 MB per GiB: one
    sync-flushed deflate block of 1 MiB of zeros repeated (it only refers back to zeros)."""
    mib = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9)
    first = compressor.compress(mib) + compressor.flush(zlib.Z_SYNC_FLUSH)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_SYNC_FLUSH)
    n = gib * 1024
    adler = 1
    for _ in range(n):
        adler = zlib.adler32(mib, adler)
    return first + block * (n - 1) + b"\x03\x00" + struct.pack(">I", adler)


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return deflate_bomb(2)


_BYTERANGE = re.compile(rb"/ByteRange\s*\[[^\]]*\]")
