"""docaudit's own judgement around pyHanko's (issue 17): the ByteRange and the bytes after the last
%%EOF before anything else (review.structure_problem, Document), its classification of later
revisions where pyHanko rejects them (revisions.py), a changed field value, and the visual
comparison hooked into the validator — on both sides: what must now pass, and what must still be
caught."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from asn1crypto import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from docaudit.evidence import inspect_bytes
from docaudit.signatures import TrustStore, ValidationSettings, review, revisions
from docaudit.signatures.validate import signature_fields
from docaudit.signatures.visual import VisualComparison
from tests.testkit import attacks
from tests.testkit.signing import sign_pdf

from ..conftest import require_conformance

N = generic.NameObject


@pytest.fixture(scope="module")
def settings() -> ValidationSettings:
    roots = tuple(x509.Certificate.load(der) for der in attacks.trust_anchors())
    return ValidationSettings(TrustStore(roots=roots))


def judge(data: bytes, settings: ValidationSettings, name: str = "case.pdf"):
    evidence = inspect_bytes(name, data, settings)
    assert evidence.verdict is not None, (evidence.status, evidence.reason)
    return evidence.verdict


def classified(data: bytes, field: str | None = None) -> revisions.Classification | None:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    for sig in signature_fields(reader):
        if field is None or sig.field_name == field:
            docmdp = sig.docmdp_level
            return revisions.classify(reader, sig.signed_revision, docmdp.value if docmdp else None, sig.fieldmdp)
    raise AssertionError(f"no signature {field}")


# --------------------------------------------------------------------------- integrity first


@pytest.mark.parametrize("name, words", [
    ("byte_range_overlap", "overlaps itself: its second range starts at byte 100, inside the first"),
    ("byte_range_gap", "leaves a gap: its second range starts at byte"),
    ("wrapping_second_contents", "leaves a gap: its second range starts at byte"),
    ("signature_dictionary_redefined", "before the end of the revision that holds the signature"),
])
def test_a_broken_byte_range_is_named_before_pyhanko_is_asked(name, words, settings) -> None:
    verdict = judge(attacks.build(name), settings)
    (sig,) = [s for s in verdict.signatures if s.field == "NguoiKy"]
    assert sig.verdict.value == "invalid" and sig.reasons == ("FORMAT_FAILURE",), sig
    assert words in sig.detail, sig.detail
    assert "lies outside the file" not in sig.detail


def test_a_broken_byte_range_over_changed_bytes_says_both(settings) -> None:
    from tests.testkit.signing import tamper

    (sig,) = judge(tamper(attacks.build("byte_range_gap")), settings).signatures
    assert sig.verdict.value == "invalid" and sig.reasons == ("FORMAT_FAILURE", "HASH_FAILURE"), sig


def test_objects_after_the_last_eof_are_an_illegal_modification(settings) -> None:
    verdict = judge(attacks.build("trailing_objects_after_eof"), settings)
    (sig,) = verdict.signatures
    assert sig.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in sig.reasons
    assert "after the last %%EOF" in sig.detail and "no cross-reference section lists" in sig.detail
    # end-of-line bytes and NULs there are not objects
    assert judge(attacks.signed_base() + b"\r\n\x00\n", settings).verdict.value == "valid"
    # an object a signature covers (written before it signed) is its own business
    data = attacks.signed_base()
    assert review._unlisted_tail(PdfFileReader(io.BytesIO(data), strict=False), data) is None


# --------------------------------------------------------------------------- classification


def test_a_signature_after_a_p2_certification_is_classified_as_form_filling() -> None:
    found = classified(attacks.build("certified_form_filling_then_signature"), "ChungThuc")
    assert found is not None and found.allowed and found.level.name == "FORM_FILLING", found


@pytest.mark.parametrize("name, words", [
    ("certified_no_changes_then_comment", "not allowed by the certification (DocMDP P=1)"),
    ("certified_form_filling_then_new_field", "a new form field that is not a signature field"),
    ("page_added", "the page tree changed"),
    ("incremental_saving_attack", "a page's content stream changed"),
    ("object_stream_rewritten", "an object stream the signed revision read objects from, written again"),
])
def test_what_the_classification_still_calls_illegal(name, words) -> None:
    found = classified(attacks.build(name))
    assert found is not None and not found.allowed and words in found.describe(), found


@pytest.mark.parametrize("name", ["DSS-3577.pdf", "pades-tst-with-sig-type.pdf", "pades-lta-copied-doctst.pdf"])
def test_later_revisions_eu_dss_accepts_are_allowed(name) -> None:
    root = require_conformance()
    data = (root / "pdf" / "esig" / "dss" / name).read_bytes()
    found = classified(data)
    assert found is not None and found.allowed, found.describe() if found else None


def _field_before_signing(value: str) -> bytes:
    rect = (80, 100, 300, 120)

    def edit(w):
        attacks._text_field(w, "SoTien", rect, value, attacks._appearance(  # noqa: SLF001
            w, rect, attacks.text_ops(value, 11, 2, 6), attacks._helvetica(w)))  # noqa: SLF001
    prepared = attacks._revise(attacks._document(), f"field:{value}", edit,  # noqa: SLF001
                               when=attacks.T_PERSON - timedelta(hours=1))
    return sign_pdf(prepared, attacks.person(), field_name="NguoiKy", signing_time=attacks.T_PERSON,
                    rect=attacks.RECTS["person"])


def test_a_changed_signed_field_value_is_illegal(settings) -> None:
    # pyHanko calls it form filling; the signer saw "50.000.000"
    data = attacks._fill(_field_before_signing("50.000.000"), "SoTien", "950.000.000",  # noqa: SLF001
                         lambda rect: attacks.text_ops("950.000.000", 11, 2, 6), "refill")
    (sig,) = judge(data, settings).signatures
    assert sig.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in sig.reasons
    assert "SoTien" in sig.detail and "a value the signer saw" in sig.detail


def test_a_field_empty_when_signed_may_be_filled(settings) -> None:
    data = attacks._fill(_field_before_signing(""), "SoTien", "Da nhan",  # noqa: SLF001
                         lambda rect: attacks.text_ops("Da nhan", 11, 2, 6), "fill")
    (sig,) = judge(data, settings).signatures
    assert sig.verdict.value == "valid", sig


def _catalog_change(data: bytes, key: str, value) -> bytes:
    def edit(w):
        w.root[N(key)] = value
        w.update_root()
    return attacks._revise(data, f"catalog:{key}", edit)  # noqa: SLF001


def test_a_navigation_change_is_suspicious_not_illegal(settings) -> None:
    data = _catalog_change(attacks.signed_base(), "/PageMode", N("/UseOutlines"))
    found = classified(data)
    assert found is not None and found.allowed and found.suspicious, found
    (sig,) = judge(data, settings).signatures
    assert sig.verdict.value == "valid" and "suspicious later change" in sig.detail and "/PageMode" in sig.detail
    # a certification allows no "other" change: there it is illegal
    certified = attacks._certify(attacks._document(), 3, attacks.agency(), attacks.T_ORG,  # noqa: SLF001
                                 attacks.RECTS["organisation"])
    found = classified(_catalog_change(certified, "/PageMode", N("/UseOutlines")))
    assert found is not None and not found.allowed and "DocMDP P=3" in found.describe()


def test_an_open_action_added_later_is_illegal(settings) -> None:
    action = generic.DictionaryObject({N("/S"): N("/JavaScript"), N("/JS"): generic.TextStringObject("app.alert(1)")})
    data = _catalog_change(attacks.signed_base(), "/OpenAction", action)
    (sig,) = judge(data, settings).signatures
    assert sig.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in sig.reasons


def test_a_signature_widget_the_form_does_not_list_is_illegal() -> None:
    # a "signature" widget hooked to the page only: viewers draw it, no form lists it
    rect = (80, 600, 400, 620)

    def edit(w):
        attacks._annotate(w, generic.DictionaryObject({  # noqa: SLF001
            N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/FT"): N("/Sig"),
            N("/T"): generic.TextStringObject("Fake"), N("/F"): generic.NumberObject(4),
            N("/Rect"): attacks._numbers(*rect),  # noqa: SLF001
            N("/AP"): generic.DictionaryObject({N("/N"): attacks._appearance(  # noqa: SLF001
                w, rect, attacks.white_box(rect))}),
        }))
    data = attacks._revise(attacks.signed_base(), "fake-sig-widget", edit)  # noqa: SLF001
    found = classified(data)
    assert found is not None and not found.allowed and "whose field the form does not list" in found.describe()


def test_a_reference_left_dangling_in_the_signed_revision_may_not_be_filled_later(settings) -> None:
    # the page's /Annots names an object number nobody defines when the person signs; a later
    # revision defines it as an opaque square over Điều 3 (only the trailer's private keys may
    # point ahead: LibreOffice's /AdditionalStreams, test_every_signature)
    base = attacks._document()  # noqa: SLF001
    reader = PdfFileReader(io.BytesIO(base), strict=False)
    ahead = int(reader.trailer["/Size"]) + 40

    def point_ahead(w):
        page_ref = attacks._page_ref(w)  # noqa: SLF001
        page_ref.get_object()[N("/Annots")] = generic.ArrayObject([generic.IndirectObject(ahead, 0, w)])
        w.mark_update(page_ref)
    prepared = attacks._revise(base, "dangling", point_ahead, when=attacks.T_PERSON - timedelta(hours=1))  # noqa: SLF001
    signed = sign_pdf(prepared, attacks.person(), field_name="NguoiKy", signing_time=attacks.T_PERSON,
                      rect=attacks.RECTS["person"])
    rect = attacks._hidden_line()  # noqa: SLF001
    square = (b"<< /Type /Annot /Subtype /Square /F 4 /Rect [%g %g %g %g] /C [1 1 1] /IC [1 1 1] "
              b"/BS << /W 0 >> >>" % tuple(rect))
    data = attacks._append_classic_update(signed, {ahead: square})  # noqa: SLF001
    found = classified(data)
    assert found is not None and not found.allowed and "before it existed" in found.describe(), found
    (sig,) = judge(data, settings).signatures
    assert sig.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in sig.reasons


def test_the_readme_table_is_the_classifications() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for kind, judgement, _why in revisions.TABLE:
        assert f"| {kind} | {judgement} |" in readme, kind


# --------------------------------------------------------------------------- the visual comparison


def test_a_visual_difference_names_the_page_and_the_area(settings) -> None:
    for name in ("shadow_hide_overlay", "shadow_hide_reveal", "shadow_replace", "shadow_hide_and_replace"):
        (sig,) = judge(attacks.build(name), settings).signatures
        assert sig.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in sig.reasons, name
        assert "differ: page 1 [" in sig.detail, (name, sig.detail)


def test_an_empty_signature_field_added_later_may_not_hide_signed_ink(settings) -> None:
    rect = attacks._hidden_line()  # noqa: SLF001

    def edit(w):
        ref = attacks._annotate(w, generic.DictionaryObject({  # noqa: SLF001
            N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/FT"): N("/Sig"),
            N("/T"): generic.TextStringObject("ChoKy"), N("/F"): generic.NumberObject(4),
            N("/Rect"): attacks._numbers(*rect),  # noqa: SLF001
            N("/AP"): generic.DictionaryObject({N("/N"): attacks._appearance(  # noqa: SLF001
                w, rect, attacks.white_box(rect))}),
        }))
        form = w.root["/AcroForm"]
        form["/Fields"].append(ref)
        holder = w.root.raw_get("/AcroForm")
        w.mark_update(holder) if isinstance(holder, generic.IndirectObject) else w.update_root()
    data = attacks._revise(attacks.signed_base(), "empty-sig-field", edit)  # noqa: SLF001
    (sig,) = judge(data, settings).signatures
    assert sig.verdict.value == "invalid" and "ILLEGAL_MODIFICATION" in sig.reasons, sig
    assert "erased" in sig.detail


def test_a_comparison_that_cannot_be_made_is_a_note(settings, monkeypatch) -> None:
    answer = VisualComparison("cannot_compare", reason="the limits")
    monkeypatch.setattr(review, "visual_check", lambda *args, **kwargs: answer)
    # pyHanko allowed the stamp: the verdict stands, with a note
    (person, agency) = judge(attacks.build("receipt_stamp"), settings).signatures
    assert person.verdict.value == "valid" and "could not be compared" in person.detail
    # docaudit's classification alone never overrules pyHanko: its rejection stands
    sig = next(s for s in judge(attacks.build("certified_form_filling_then_signature"), settings).signatures
               if s.field == "ChungThuc")
    assert sig.verdict.value == "invalid" and "could not be compared" in sig.detail


def test_a_single_revision_file_is_never_reviewed(settings, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("the visual check was called")
    monkeypatch.setattr(review, "visual_check", fail)
    monkeypatch.setattr(review, "classify", fail)
    assert judge(attacks.signed_base(), settings).verdict.value == "valid"
    # later signatures only: verified by the increment check, nothing classified nor rendered
    monkeypatch.setattr(review, "visual_check", lambda *a, **k: VisualComparison("not_needed"))
    assert judge(attacks.build("control_two_signatures"), settings).verdict.value == "valid"
