"""Hostile and broken PDFs: every one is judged (verdict, or `unreadable` with a reason) — no
exception, no hang, bounded memory."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from docaudit.limits import Limits
from docaudit.model import FileStatus, Verdict

from .conftest import _BYTERANGE, build_pdf, count, judge, page_pdf, signed_samples, stream

SIGNED = signed_samples()
SIGNED_BYTES = [p.read_bytes() for p in SIGNED]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


def test_there_are_signed_samples() -> None:
    assert len(SIGNED) >= 5


@FAST
@given(st.data())
def test_bit_flips_in_signed_pdfs(data) -> None:
    original = data.draw(st.sampled_from(SIGNED_BYTES))
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(mutated) - 1))
        mutated[position] ^= 1 << data.draw(st.integers(0, 7))
    evidence = judge(bytes(mutated), "pdf bit flips")
    if evidence.present and bytes(mutated) != original:
        # a flipped bit inside signed bytes can never leave the document `valid`... unless it hit
        # bytes outside the signed ranges (the /Contents hex padding): those do not count
        assert evidence.verdict is not None


@FAST
@given(st.data())
def test_truncated_signed_pdfs(data) -> None:
    original = data.draw(st.sampled_from(SIGNED_BYTES))
    cut = data.draw(st.integers(0, len(original) - 1))
    evidence = judge(original[:cut], "pdf truncations")
    assert evidence.status is FileStatus.UNREADABLE or evidence.verdict is not None


def test_every_truncation_step_of_one_signed_pdf() -> None:
    original = SIGNED_BYTES[0]
    for cut in range(0, len(original), max(1, len(original) // 40)):
        evidence = judge(original[:cut], "pdf truncations")
        if evidence.present:  # a cut after the last %%EOF of an earlier revision is a valid PDF
            assert evidence.verdict is not None


@pytest.mark.parametrize("numbers", [b"0 100 99999999 99999999", b"0 99999999 99999999 1", b"-5 10 20 -30",
                                     b"0 0 0 0", b"99999999999999999999 1 2 3"])
def test_byterange_and_contents_far_larger_than_the_file(numbers: bytes) -> None:
    for original in SIGNED_BYTES[:3]:
        match = _BYTERANGE.search(original)
        assert match
        replacement = b"/ByteRange [" + numbers + b"]"
        replacement = replacement.ljust(len(match.group()))  # keep every offset in place
        mutated = original[: match.start()] + replacement + original[match.start() + len(replacement):]
        evidence = judge(mutated, "pdf byterange")
        if evidence.present:
            assert evidence.verdict.verdict is not Verdict.VALID


def test_contents_hex_string_longer_than_the_file() -> None:
    data = page_pdf(more={5: b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
                             b"/ByteRange [0 10 99999999 10] /Contents <" + b"30" * 50 + b">>>",
                          6: b"<< /FT /Sig /T (Sig1) /V 5 0 R /Rect [0 0 0 0] /Subtype /Widget /P 3 0 R >>"},
                    page_extra=b"/Annots [6 0 R]")
    data = data.replace(b"/Pages 2 0 R >>", b"/Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >> >>", 1)
    evidence = judge(data, "pdf byterange")
    assert evidence.verdict is None or evidence.verdict.verdict is not Verdict.VALID


@pytest.mark.parametrize("depth", [100, 10_000, 200_000])
def test_deeply_nested_arrays_and_dicts(depth: int) -> None:
    arrays = b"[" * depth + b"]" * depth
    dicts = b"<< /A " * depth + b"1" + b" >>" * depth
    for nested in (arrays, dicts):
        data = page_pdf(page_extra=b"/Nested 5 0 R", more={5: nested})
        judge(data, "pdf nesting")
        # and directly inside the page dictionary / the trailer
        judge(page_pdf(page_extra=b"/Nested " + nested), "pdf nesting")
        judge(page_pdf(trailer_extra=b" /Nested " + nested), "pdf nesting")


def test_cyclic_references() -> None:
    cases = [
        # the page tree node is its own kid
        build_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"}),
        # two nodes referring to each other
        build_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   3: b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>"}),
        # an array holding itself, a dictionary holding itself, a reference chain
        page_pdf(page_extra=b"/Loop 5 0 R", more={5: b"[5 0 R 6 0 R]", 6: b"<< /Self 6 0 R /Next 5 0 R >>"}),
        page_pdf(page_extra=b"/Loop 5 0 R", more={5: b"6 0 R", 6: b"5 0 R"}),
        # /Root points at itself
        build_pdf({1: b"1 0 R"}),
        # stream /Length is an indirect reference to the stream itself
        build_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>",
                   4: b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"}),
        # the catalogue's outlines and names loop
        page_pdf(more={5: b"<< /First 6 0 R /Last 6 0 R >>", 6: b"<< /Parent 5 0 R /Next 6 0 R /Prev 6 0 R >>"})
        .replace(b"/Pages 2 0 R >>", b"/Pages 2 0 R /Outlines 5 0 R /Names << /Dests 5 0 R >> >>", 1),
    ]
    for data in cases:
        judge(data, "pdf cycles")


def test_page_tree_of_shared_kids_claiming_a_billion_pages() -> None:
    """Each level's /Kids names the next level twice: 2^30 leaves from 31 objects."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    depth = 30
    for level in range(depth):
        number = 2 + level
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>" % (number + 1, number + 1, 2 ** (depth - level))
    objects[2 + depth] = b"<< /Type /Page /MediaBox [0 0 10 10] >>"
    evidence = judge(build_pdf(objects), "pdf page trees")
    # /Count above the page limit: the page tree is not walked
    assert evidence.present and evidence.pages == 2 ** depth
    # the same tree lying with /Count 1 at the top is walked until the time limit stops it
    objects[2] = objects[2].replace(b"/Count %d" % 2**depth, b"/Count 1")
    from docaudit.pipeline.executor import safe_gather  # noqa: F401 — the timeout lives in the executor
    evidence = judge_with_timeout(build_pdf(objects), 2.0)
    assert evidence.status in (FileStatus.PRESENT, FileStatus.UNREADABLE)


def judge_with_timeout(data: bytes, seconds: float):
    import tempfile
    from pathlib import Path

    from docaudit.pipeline.executor import safe_gather as _safe_gather

    from .conftest import SETTINGS, accounted

    count("pdf timeouts")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x.pdf").write_bytes(data)
        return accounted(_safe_gather(Path(folder), "x.pdf", SETTINGS, Limits(doc_timeout_s=seconds)))


def test_xref_loops() -> None:
    data = page_pdf(prev_self=True)
    judge(data, "pdf xref loops")
    # two xref sections whose /Prev point at each other
    first = page_pdf()
    xref_at = int(re.search(rb"startxref\n(\d+)", first).group(1))
    second_at = len(first)
    tail = (b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (second_at, second_at))
    looped = first.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % second_at, 1) + tail
    judge(looped, "pdf xref loops")
    # startxref pointing at garbage, at itself, past the end
    for target in (b"0", b"99999999", str(xref_at + 3).encode()):
        judge(re.sub(rb"startxref\n\d+", b"startxref\n" + target, first), "pdf xref loops")
    # an xref stream whose /Prev is itself
    judge(page_pdf(trailer_extra=b" /XRefStm %d" % xref_at), "pdf xref loops")


def test_flate_stream_inflating_to_gigabytes(bomb: bytes) -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    as_content = page_pdf(more={4: stream(bomb, b"/Filter /FlateDecode ")})
    as_image = page_pdf(page_extra=b"/Extra 5 0 R", more={5: stream(bomb, b"/Filter /FlateDecode /Type /XObject "
                                                                          b"/Subtype /Image /Width 65536 /Height 32768 "
                                                                          b"/BitsPerComponent 8 /ColorSpace /DeviceGray ")})
    as_object_stream = page_pdf(more={5: stream(bomb, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode ")})
    for data in (as_content, as_image, as_object_stream):
        judge(data, "pdf flate bombs")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 1024, f"peak memory grew by {grown_mib:.0f} MiB on a 2 GiB deflate bomb"


def test_encrypted_pdfs() -> None:
    from pypdf import PdfReader, PdfWriter

    base = page_pdf()
    for user, algorithm in (("secret", "AES-256"), ("secret", "RC4-128"), ("", "AES-128")):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
        writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
        buffer = io.BytesIO()
        writer.write(buffer)
        evidence = judge(buffer.getvalue(), "pdf encrypted")
        if user:
            assert evidence.status is FileStatus.UNREADABLE and "password" in evidence.reason
        else:
            assert evidence.present and evidence.encrypted
    # an /Encrypt dictionary that is junk
    for junk in (b"<< /Filter /Standard /V 99 /R 99 >>", b"<< >>", b"5 0 R", b"[1 2 3]"):
        judge(page_pdf(trailer_extra=b" /Encrypt " + junk + b" /ID [<00> <00>]"), "pdf encrypted")


@FAST
@given(st.binary(min_size=1, max_size=64), st.integers(0, 2000))
def test_random_splices_into_a_signed_pdf(junk: bytes, where: int) -> None:
    original = SIGNED_BYTES[1]
    position = where * len(original) // 2000
    judge(original[:position] + junk + original[position:], "pdf splices")


def test_page_limit_skips_text_but_keeps_the_verdict() -> None:
    data = SIGNED_BYTES[0]
    full = judge(data, "pdf page limit")
    limited = judge(data, "pdf page limit", Limits(max_pdf_pages=0))
    assert full.present and limited.present
    assert limited.verdict.verdict == full.verdict.verdict
    assert limited.facts is not None and not limited.facts.head_text


def test_nothing_embedded_is_written_out(tmp_path, monkeypatch) -> None:
    """A PDF with JavaScript, a launch action and an attachment is judged without writing a file."""
    attachment = stream(b"#!/bin/sh\necho owned > /tmp/owned\n", b"/Type /EmbeddedFile ")
    data = page_pdf(more={5: attachment,
                          6: b"<< /Type /Filespec /F (run.sh) /UF (run.sh) /EF << /F 5 0 R >> >>",
                          7: b"<< /S /Launch /F (run.sh) /Win << /F (cmd.exe) /P (/c calc) >> >>",
                          8: b"<< /S /JavaScript /JS (app.alert('x');) >>"})
    data = data.replace(b"/Pages 2 0 R >>", b"/Pages 2 0 R /OpenAction 7 0 R /AA << /WC 8 0 R >> "
                                            b"/Names << /EmbeddedFiles << /Names [(run.sh) 6 0 R] >> "
                                            b"/JavaScript << /Names [(a) 8 0 R] >> >> >>", 1)
    monkeypatch.chdir(tmp_path)
    import builtins
    import os

    real_open, real_os_open = builtins.open, os.open
    written: list[str] = []

    def spy_open(file, mode="r", *args, **kwargs):
        if any(flag in str(mode) for flag in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    evidence = judge(data, "pdf active content")
    assert evidence.present
    assert evidence.facts.javascript and evidence.facts.launch_action and evidence.facts.embedded_files
    assert written == [] and list(tmp_path.iterdir()) == []
