"""The verified fast path gives the same verdicts as pyHanko's full analysis on every sample and
conformance file, and really is taken where it should be."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from docaudit.signatures import ValidationSettings, load_trust, verify_pdf
from docaudit.signatures.increments import only_signatures_after
from docaudit.signatures.validate import PdfStructureError
from docaudit.testkit.signing import modify_after_signing

from ..conftest import CONFORMANCE, SAMPLES

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
    return verdict.verdict, [(s.field, s.verdict, s.reasons) for s in verdict.signatures]


@pytest.mark.parametrize("path, trust", _files(), ids=lambda v: getattr(v, "name", ""))
def test_fast_and_full_analysis_agree(path, trust) -> None:
    data = path.read_bytes()
    settings = ValidationSettings(trust)
    assert _outline(data, settings) == _outline(data, replace(settings, fast_paths=False))


def test_fast_path_taken_for_a_second_signature_and_refused_for_content_changes() -> None:
    data = (SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf").read_bytes()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    first = reader.embedded_signatures[0]
    assert only_signatures_after(reader, first.signed_revision, data)
    changed = modify_after_signing(data)
    reader = PdfFileReader(io.BytesIO(changed), strict=False)
    assert not only_signatures_after(reader, reader.embedded_signatures[0].signed_revision, changed)
    assert not only_signatures_after(reader, reader.embedded_signatures[1].signed_revision, changed)
