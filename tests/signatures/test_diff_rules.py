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
from docaudit.signatures import ValidationSettings, load_trust
from docaudit.signatures.diff_rules import DIFF_POLICY

from ..conftest import SAMPLES, require_conformance

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


# --------------------------------------------------------------------------- comments after signing

SIGNED = SAMPLES / "files" / "ubnd-bq" / "di" / "15-ubnd-vp.pdf"  # one signature (a person's), valid
TWO_SIGNATURES = SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"  # person, then organisation
TRUSTED = ValidationSettings(trust=load_trust([SAMPLES / "trust" / "root.pem"]))
N = generic.NameObject


def _annotation(writer: IncrementalPdfFileWriter, subtype: str, **extra: generic.PdfObject) -> generic.IndirectObject:
    appearance = generic.StreamObject({N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"),
                                       N("/BBox"): _number_array(0, 0, 24, 24)}, stream_data=b"0 0 1 rg 0 0 24 24 re f")
    annotation = generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N(subtype), N("/Rect"): _number_array(50, 700, 74, 724),
        N("/Contents"): generic.TextStringObject("Đã xem"), N("/AP"): generic.DictionaryObject({N("/N"): writer.add_object(appearance)}),
        **{N("/" + key): value for key, value in extra.items()},
    })
    return writer.add_object(annotation)


def _commented(edit: Callable[[IncrementalPdfFileWriter, generic.DictionaryObject], None], signed=SIGNED) -> bytes:
    """A valid sample with one more revision in which ``edit(writer, first page)`` runs."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    edit(writer, page_ref.get_object())
    writer.mark_update(page_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add(*subtypes: str, **extra: generic.PdfObject) -> Callable[[IncrementalPdfFileWriter, generic.DictionaryObject], None]:
    def edit(writer: IncrementalPdfFileWriter, page: generic.DictionaryObject) -> None:
        for subtype in subtypes:
            page["/Annots"].append(_annotation(writer, subtype, **extra))
    return edit


def _verdict(data: bytes):
    return inspect_bytes("commented.pdf", data, TRUSTED).verdict


def test_a_sticky_note_or_highlight_added_after_signing_keeps_the_document_valid() -> None:
    for subtypes in (("/Text",), ("/Highlight", "/FreeText")):
        verdict = _verdict(_commented(_add(*subtypes)))
        assert verdict.verdict.value == "valid", (subtypes, verdict)
        assert {s.modification for s in verdict.signatures} == {"ANNOTATIONS"}


def test_an_icon_name_tree_in_the_catalog_is_allowed_with_comments_but_javascript_is_not() -> None:
    def names(tree: str):
        def edit(writer: IncrementalPdfFileWriter, page: generic.DictionaryObject) -> None:
            _add("/Text")(writer, page)
            icon = writer.add_object(generic.StreamObject({N("/Subtype"): N("/Form"), N("/BBox"): _number_array(0, 0, 24, 24)},
                                                          stream_data=b"0 0 24 24 re f"))
            value = generic.DictionaryObject({N("/Names"): generic.ArrayObject([generic.TextStringObject("icon"), icon])})
            writer.root[N("/Names")] = writer.add_object(generic.DictionaryObject({N(tree): writer.add_object(value)}))
            writer.update_root()
        return edit

    assert _verdict(_commented(names("/AP"))).verdict.value == "valid"
    broken = _verdict(_commented(names("/JavaScript")))
    assert broken.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in broken.reasons


@pytest.mark.parametrize("edit", [
    _add("/Link", A=generic.DictionaryObject({N("/S"): N("/URI"), N("/URI"): generic.TextStringObject("https://x.invalid")})),
    _add("/Text", AA=generic.DictionaryObject()),           # an annotation with actions
    _add("/Widget"),                                         # a form widget without a field
    _add("/FileAttachment"),                                 # not a comment: it carries a file
    lambda writer, page: (page["/Annots"].pop(0), _add("/Text")(writer, page)),  # a widget removed
    lambda writer, page: (_add("/Text")(writer, page), page.__setitem__(N("/Rotate"), generic.NumberObject(90))),
], ids=["link-with-action", "text-with-aa", "widget", "file-attachment", "widget-removed", "page-rotated"])
def test_changes_beyond_plain_comments_stay_illegal(edit) -> None:
    verdict = _verdict(_commented(edit))
    assert verdict.verdict.value == "invalid", verdict
    assert "ILLEGAL_MODIFICATION" in verdict.reasons


def test_a_comment_after_the_second_signature_keeps_both_valid() -> None:
    """pyHanko reviews the first signature against the revision with the comment as a whole,
    where the second signature's new field is also new: its widget check must know the comment."""
    verdict = _verdict(_commented(_add("/Text"), signed=TWO_SIGNATURES))
    assert verdict.verdict.value == "valid", verdict
    assert [s.modification for s in verdict.signatures] == ["ANNOTATIONS", "ANNOTATIONS"]


def test_with_a_second_signature_an_unknown_widget_is_still_refused() -> None:
    verdict = _verdict(_commented(_add("/Text", "/Widget"), signed=TWO_SIGNATURES))
    assert verdict.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in verdict.reasons
