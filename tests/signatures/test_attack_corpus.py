"""The generated attack corpus (tests/testkit/attacks.py, issue 17 item 5): every file through
docaudit's evidence path, as `docaudit check` and `scan` judge it, with the verdict and the
reason codes an auditor must get.

A case the code gets wrong would be a strict xfail with the reason (``WRONG_TODAY``), as in the
conformance test; there is none."""

from __future__ import annotations

import re

import pytest
from asn1crypto import x509

from docaudit.evidence import inspect_bytes
from docaudit.signatures import TrustStore, ValidationSettings
from docaudit.signatures.visual import visual_check
from tests.testkit import attacks

# cases docaudit gets wrong, as strict xfails with the reason (a strict xfail that passes fails the
# suite): none since the validator checks the ByteRange and what follows the last %%EOF itself,
# classifies later revisions where pyHanko rejects them and compares what the pages show
# (issue 17: signatures/review.py, revisions.py, visual.py)
WRONG_TODAY: dict[str, str] = {}


@pytest.fixture(scope="module")
def settings() -> ValidationSettings:
    roots = tuple(x509.Certificate.load(der) for der in attacks.trust_anchors())
    return ValidationSettings(TrustStore(roots=roots))


def _params():
    for name, case in attacks.CASES.items():
        marks = [pytest.mark.xfail(strict=True, reason=WRONG_TODAY[name])] if name in WRONG_TODAY else []
        yield pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", list(_params()))
def test_attack_corpus_verdict(name: str, settings: ValidationSettings) -> None:
    case = attacks.CASES[name]
    evidence = inspect_bytes(f"{name}.pdf", attacks.build(name), settings)
    assert evidence.verdict is not None, (evidence.status, evidence.reason)
    verdict = evidence.verdict
    summary = [(s.field, s.verdict.value, s.reasons, s.modification, s.coverage) for s in verdict.signatures]
    assert verdict.verdict.value == case.expected, summary
    assert set(case.reasons) <= set(verdict.reasons), summary
    if case.expected == "valid":
        assert verdict.signatures and all(s.verdict.value == "valid" for s in verdict.signatures), summary


def test_the_table_is_complete_and_consistent() -> None:
    assert set(WRONG_TODAY) <= set(attacks.CASES)
    for name, case in attacks.CASES.items():
        assert case.name == name
        assert case.expected in ("valid", "invalid", "indeterminate"), name
        assert bool(case.reasons) == (case.expected != "valid"), name
        assert (case.kind == "lawful") == (case.expected == "valid"), name
        assert case.what, name
    # every class issue 17 names is in the corpus
    for prefix in ("incremental_saving", "wrapping_second_contents", "wrapping_moved_byte_range", "byte_range_overlap",
                   "byte_range_gap", "trailing_", "shadow_hide", "shadow_replace", "shadow_hide_and_replace",
                   "certified_no_changes_then", "certified_form_filling_then_new_field", "dss_update",
                   "receipt_stamp_then_signature", "page_added", "object_stream_rewritten", "usage_rights_ur3"):
        assert any(name.startswith(prefix) for name in attacks.CASES), prefix


def test_the_corpus_is_deterministic() -> None:
    # built twice (the cache bypassed): byte for byte the same, including the timestamp token
    for name in ("shadow_replace", "archive_timestamp", "wrapping_moved_byte_range", "object_stream_rewritten"):
        assert attacks.CASES[name].build() == attacks.build(name), name


# the cases the visual comparison (signatures/visual.py) is there for (the validator runs it on
# every signature followed by such changes: review.py), here called on its own
SHADOW = ("shadow_hide_overlay", "shadow_hide_reveal", "shadow_replace", "shadow_hide_and_replace")


@pytest.mark.parametrize("name", list(attacks.CASES))
def test_the_visual_check_tells_shadow_attacks_from_lawful_changes(name: str) -> None:
    data = attacks.build(name)
    # where each signature's signed revision ends, read as the bytes say (some cases are too
    # broken for pyHanko to list their signatures)
    ends = [int(m.group(3)) + int(m.group(4)) for m in re.finditer(
        rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)]
    results = [visual_check(data, end) for end in ends]
    different = [r for r in results if r.different]
    if name in SHADOW:
        assert different and all(box.page == 0 for r in different for box in r.differences), results
    if attacks.CASES[name].kind == "lawful":
        assert not different, results
