"""PDFium and pypdf give the same rule findings on every sample document (the reason we may use
the faster one)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from docaudit.evidence import inspect_bytes
from docaudit.evidence.text import pypdf_texts
from docaudit.model import Direction
from docaudit.rules import RuleEngine
from docaudit.signatures import ValidationSettings, load_trust

from ..conftest import SAMPLES

PDFS = sorted(p for p in SAMPLES.glob("**/*.pdf") if p.name != "30-ubnd-vp.pdf")  # that one is truncated


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine()


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_same_findings_with_either_extractor(path, engine) -> None:
    data = path.read_bytes()
    evidence = inspect_bytes(path.name, data, ValidationSettings(load_trust([SAMPLES / "trust" / "root.pem"])))
    reader = PdfReader(io.BytesIO(data))
    texts = pypdf_texts(reader, sorted({0, len(reader.pages) - 1}))
    head, tail = texts[0], texts[-1]
    with_pypdf = replace(evidence, facts=replace(evidence.facts, head_text=head, tail_text=tail))
    for direction in (Direction.OUTGOING, Direction.INCOMING):
        fast = [(f.rule, f.message) for f in engine.findings(evidence, None, direction, "check")]
        slow = [(f.rule, f.message) for f in engine.findings(with_pypdf, None, direction, "check")]
        assert fast == slow
