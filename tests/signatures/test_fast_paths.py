"""The verified fast path and the memos (docaudit.signatures.memo) give the same verdicts as
pyHanko's full analysis on every sample and conformance file, and really are taken where they
should be."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

import datetime as dt

from docaudit.evidence.inspect import _page_numbers as pypdf_page_numbers
from docaudit.signatures import ValidationSettings, load_trust, memo, verify_pdf
from docaudit.signatures.increments import only_signatures_after
from docaudit.signatures.validate import PdfStructureError, _page_numbers
from tests.testkit.signing import modify_after_signing

from ..conftest import CONFORMANCE, SAMPLES, require_conformance

TRUST = load_trust([SAMPLES / "trust" / "root.pem"])


def _files():
    files = [(p, TRUST) for p in sorted(SAMPLES.glob("**/*.pdf"))]
    if (CONFORMANCE / "expected.csv").is_file():
        with (CONFORMANCE / "expected.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                trust = load_trust([CONFORMANCE / row["trust"]]) if row["trust"] else load_trust([SAMPLES / "trust"])
                files.append((CONFORMANCE / row["file"], trust))
    return files


def _outline(data: bytes, settings: ValidationSettings):
    try:
        verdict = verify_pdf(data, settings)
    except PdfStructureError:
        return "unparsable"
    # the modification level itself may differ in the allowed range (a signature-only increment is
    # reported as form filling where pyHanko may say LTA updates); "illegal" must match exactly
    return verdict.verdict, [(s.field, s.verdict, s.reasons, s.modification == "OTHER", s.signer, s.signing_time)
                             for s in verdict.signatures]


def _full(data: bytes, settings: ValidationSettings):
    """pyHanko's full analysis: no fast difference check, and the memos pass every call through."""
    return _outline(data, replace(settings, fast_paths=False))


@pytest.mark.parametrize("path, trust", _files(), ids=lambda v: getattr(v, "name", ""))
def test_fast_and_full_analysis_agree(path, trust) -> None:
    data = path.read_bytes()
    settings = ValidationSettings(trust)
    assert _outline(data, settings) == _full(data, settings)
    assert _outline(data, settings) == _full(data, settings)  # memos warm: still the same


def _bounds_moments(cert) -> list[dt.datetime]:
    validity = cert["tbs_certificate"]["validity"]
    moments = []
    for bound in (validity["not_before"].native, validity["not_after"].native):
        for seconds in (-86400, -2, -1, -0.5, 0, 0.5, 1, 2, 86400):
            moments.append(bound + dt.timedelta(seconds=seconds))
    return moments


def test_path_memo_agrees_at_every_side_of_the_validity_bounds() -> None:
    """A remembered path outcome is reused only for moments on the same side of every validity
    bound (± pyHanko's tolerance): at moments around the signer's and the root's notBefore and
    notAfter, memoised and plain validation give the same verdicts and reasons."""
    data = (SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf").read_bytes()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signer = reader.embedded_signatures[0].signer_cert
    moments = _bounds_moments(signer) + _bounds_moments(TRUST.roots[0])
    outcomes = set()
    for moment in moments:  # one memo for all moments: hits across moments must be right
        settings = ValidationSettings(TRUST, moment)
        fast = _outline(data, settings)
        assert fast == _full(data, settings), moment
        outcomes.add(fast[0])
    assert len(outcomes) >= 2  # the moments really straddle a bound (valid and not valid)


def test_widget_pages_from_pypdf_equal_pyhankos_walk() -> None:
    """The page index of a signature widget comes from pypdf's page walk (done anyway for the
    format rules); it must equal pyHanko's walk on every file both parsers can read."""
    from pypdf import PdfReader

    compared = 0
    for path, _ in _files():
        data = path.read_bytes()
        try:
            ours = pypdf_page_numbers(PdfReader(io.BytesIO(data), strict=False))
            theirs = _page_numbers(PdfFileReader(io.BytesIO(data), strict=False))
        except Exception:  # noqa: BLE001 — a file one of the parsers refuses is judged elsewhere
            continue
        if ours is not None:
            assert ours == theirs, path.name
            compared += 1
    assert compared >= 20  # the samples alone (29 files both parsers read)
    require_conformance()  # the rest of the comparison is on the conformance corpus: skip outside CI
    assert compared >= 50


# --------------------------------------------------------------------------- content-change shortcut
# A later revision that rewrites a page's /Contents is reported illegal without pyHanko's whole
# difference analysis (increments.page_content_changed_after). Each variant below must give the
# same verdicts, reasons and "illegal" flags as the full analysis, and really take the shortcut.

_TZ = dt.timezone(dt.timedelta(hours=7))
_T1 = dt.datetime(2021, 3, 1, 9, 0, tzinfo=_TZ)
_T2 = dt.datetime(2021, 3, 1, 9, 30, tzinfo=_TZ)


@pytest.fixture(scope="module")
def content_variants():
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from tests.testkit import DocumentSpec, TestPKI, organisation_subject, person_subject, render_pdf, sign_pdf

    pki = TestPKI.generate(2021)
    person = pki.issue("fast-person", person_subject("Trần Thị B", "Sở TTTT", "Sở Thông tin", "001088099999"))
    org = pki.issue("fast-org", organisation_subject("Sở Thông tin và Truyền thông", "1034999"), kind="organisation")
    plain = render_pdf(DocumentSpec(pages=3))

    def replace_contents(pdf: bytes, page: int) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        page_ref = writer.root["/Pages"]["/Kids"][page]
        page_obj = page_ref.get_object()
        stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td (Replaced) Tj ET"))
        page_obj["/Contents"] = stream
        writer.update_container(page_obj)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    one = sign_pdf(plain, person, field_name="NguoiKy", signing_time=_T1)
    two = sign_pdf(one, org, field_name="CoQuan", signing_time=_T2)
    variants = {
        "appended stream, both signatures": modify_after_signing(two),
        "contents replaced on page 3": replace_contents(two, 2),
        "modified between the signatures": sign_pdf(replace_contents(one, 0), org, field_name="CoQuan",
                                                    signing_time=_T2),
        "pades, contents replaced": replace_contents(
            sign_pdf(plain, person, field_name="NguoiKy", signing_time=_T1, subfilter="pades"), 1),
    }
    return variants, load_trust_from_pem(pki.root_pem())


def load_trust_from_pem(pem: bytes):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="docaudit-fast-"))
    (folder / "root.pem").write_bytes(pem)
    return load_trust([folder / "root.pem"])


def test_content_change_shortcut_agrees_with_full_analysis(content_variants) -> None:
    from docaudit.signatures.increments import page_content_changed_after

    variants, trust = content_variants
    for name, data in variants.items():
        settings = ValidationSettings(trust)
        fast = _outline(data, settings)
        assert fast == _full(data, settings), name
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        first = reader.embedded_signatures[0]
        assert page_content_changed_after(reader, first.signed_revision), name  # the shortcut was taken
        assert fast[0].value == "invalid", name


def test_content_change_shortcut_not_taken_for_signature_only_updates() -> None:
    from docaudit.signatures.increments import page_content_changed_after

    data = (SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf").read_bytes()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    assert not any(page_content_changed_after(reader, s.signed_revision) for s in reader.embedded_signatures)


# --------------------------------------------------------------------------- running pyHanko's coroutines


def test_validation_coroutines_run_without_an_event_loop():
    """pyHanko's validation never waits when nothing is fetched: every sample signature is
    validated by driving the coroutine directly, none needs the event loop."""
    from docaudit.signatures import validate

    before = dict(validate._driven)
    for path in sorted(SAMPLES.glob("**/*.pdf")):
        try:
            verify_pdf(path.read_bytes(), ValidationSettings(TRUST))
        except PdfStructureError:
            pass
    assert validate._driven["inline"] > before["inline"] + 10
    assert validate._driven["loop"] == before["loop"]


def test_a_coroutine_that_waits_or_fails_is_run_again_on_the_loop():
    import asyncio

    from docaudit.signatures.validate import _run

    starts = []

    async def waits():
        starts.append("waits")
        await asyncio.sleep(0)  # suspends: needs the loop
        return "done"

    async def fails():
        starts.append("fails")
        raise ValueError("malformed")

    assert _run(waits) == "done"
    assert starts == ["waits", "waits"]  # the suspended attempt is thrown away, a fresh one runs
    with pytest.raises(ValueError, match="malformed"):
        _run(fails)
    assert starts[2:] == ["fails", "fails"]


def test_contexts_share_one_trust_manager_per_trust_set_only_on_the_fast_path():
    from docaudit.signatures.validate import _context

    moment = dt.datetime(2021, 6, 1, tzinfo=dt.timezone.utc)
    fast = [_context(ValidationSettings(TRUST), moment) for _ in range(2)]
    assert fast[0].path_builder.trust_manager is fast[1].path_builder.trust_manager
    assert fast[0].certificate_registry is not fast[1].certificate_registry  # filled per document
    slow = _context(ValidationSettings(TRUST, fast_paths=False), moment)
    assert slow.path_builder.trust_manager is not fast[0].path_builder.trust_manager


def test_the_memos_answer_on_the_fast_path_only() -> None:
    data = (SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf").read_bytes()
    memo.forget()
    verify_pdf(data, ValidationSettings(TRUST, fast_paths=False))
    assert not memo._checked and not memo._ess_passed and not memo._outcomes
    verify_pdf(data, ValidationSettings(TRUST))
    assert memo._checked and memo._ess_passed and memo._outcomes
