"""docaudit's difference analysis (signatures/diff_rules.py): pyHanko's default policy plus the
structure-tree rule. A later signature on a tagged PDF rewrites structure elements, which is not
a change to the signed document; a change to anything a reader sees still is, even when the
changed object is also reachable from the structure tree."""

from __future__ import annotations

import io
from typing import Callable

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification

from docaudit.evidence import inspect_bytes
from docaudit.signatures import ValidationSettings
from docaudit.signatures.diff_rules import DIFF_POLICY

from ..conftest import require_conformance

TAGGED = "pdf/esig/dss/pdf-structtreeroot-changes.pdf"  # EU DSS: two signatures, a tagged form
# objects of that file (its last revision): 14 a structure element, 10 the StructTreeRoot, 3 the
# page (also the /Pg of structure elements), 25 a signature widget and 33 its appearance stream
# (both also reached from the structure tree through an /OBJR)


def _tagged() -> bytes:
    return (require_conformance() / TAGGED).read_bytes()


def _with_change(data: bytes, idnum: int, edit: Callable[[generic.DictionaryObject], None]) -> bytes:
    """``data`` with one more revision in which object ``idnum`` is edited."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    ref = generic.IndirectObject(idnum, 0, writer)
    edit(ref.get_object())
    writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _review(data: bytes, policy) -> ModificationLevel | SuspiciousModification:
    """The policy's judgement of what came after the file's last signature (``sign4``)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    sig = next(s for s in reader.embedded_signatures if s.field_name == "sign4")
    result = policy.review_file(reader, sig.signed_revision, field_mdp_spec=sig.fieldmdp, doc_mdp=sig.docmdp_level)
    return result if isinstance(result, SuspiciousModification) else result.modification_level


def _number_array(*values: int) -> generic.ArrayObject:
    return generic.ArrayObject([generic.NumberObject(v) for v in values])


def test_the_eu_dss_tagged_form_is_no_longer_an_illegal_modification() -> None:
    data = _tagged()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    first = next(s for s in reader.embedded_signatures if s.field_name == "sign3")
    assert isinstance(DEFAULT_DIFF_POLICY.review_file(reader, first.signed_revision), SuspiciousModification)
    assert DIFF_POLICY.review_file(reader, first.signed_revision).modification_level == ModificationLevel.FORM_FILLING
    evidence = inspect_bytes("tagged.pdf", data, ValidationSettings())
    assert evidence.verdict.verdict.value == "indeterminate"  # intact, no trust root given
    assert all("ILLEGAL_MODIFICATION" not in s.reasons for s in evidence.verdict.signatures)


@pytest.mark.parametrize(("idnum", "key", "value"), [
    (14, "/Alt", generic.TextStringObject("Chữ ký số của cơ quan")),  # a structure element
    (10, "/ClassMap", generic.DictionaryObject()),                     # the StructTreeRoot
])
def test_a_change_to_the_structure_tree_alone_counts_as_form_filling(idnum: int, key: str, value) -> None:
    changed = _with_change(_tagged(), idnum, lambda obj: obj.__setitem__(key, value))
    assert _review(changed, DIFF_POLICY) == ModificationLevel.FORM_FILLING
    assert isinstance(_review(changed, DEFAULT_DIFF_POLICY), SuspiciousModification)


@pytest.mark.parametrize(("idnum", "key", "value"), [
    (3, "/Rotate", generic.NumberObject(90)),                 # the page: also reached via /Pg
    (25, "/Rect", _number_array(0, 0, 500, 500)),             # a widget: also reached via /OBJR
    (33, "/BBox", _number_array(0, 0, 900, 900)),             # the widget's appearance
])
def test_a_visible_change_is_still_illegal_when_the_structure_tree_also_reaches_the_object(
    idnum: int, key: str, value,
) -> None:
    changed = _with_change(_tagged(), idnum, lambda obj: obj.__setitem__(key, value))
    assert isinstance(_review(changed, DIFF_POLICY), SuspiciousModification)
    verdict = inspect_bytes("changed.pdf", changed, ValidationSettings()).verdict
    assert verdict.verdict.value == "invalid"
