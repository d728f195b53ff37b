"""Visual comparison of a signed revision with the final file (docaudit/signatures/visual.py,
issue 17 item 2), on generated files: what a later revision hides, replaces or reveals is found
on the right page and in the right area; new signatures, receipt stamps, comments and form filling
drawn in their own rectangle are not; a single-revision file renders nothing; a damaged file
gives "cannot compare", never an exception."""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from docaudit.signatures import visual
from docaudit.signatures.visual import Box, VisualLimits, compare_revisions, later_changes, visual_check
from tests.testkit import attacks

from ..conftest import require_conformance

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _signed_ends(data: bytes) -> list[int]:
    """Where each signature's signed revision ends (its ByteRange's end), in file order."""
    return [int(m.group(3)) + int(m.group(4)) for m in _BYTE_RANGE.finditer(data)]


def _first(data: bytes) -> int:
    return _signed_ends(data)[0]


def _overlaps(box: Box, rect, page: int) -> bool:
    return box.page == page and box.x1 < rect[2] and rect[0] < box.x2 and box.y1 < rect[3] and rect[1] < box.y2


def _inside(box: Box, rect, slack: float = 3.0) -> bool:
    return (box.x1 >= rect[0] - slack and box.y1 >= rect[1] - slack and box.x2 <= rect[2] + slack
            and box.y2 <= rect[3] + slack)


# --------------------------------------------------------------------------- what is found


def test_a_replaced_amount_is_found_where_it_was() -> None:
    data = attacks.build("shadow_replace")
    result = visual_check(data, _first(data))
    amount = attacks.text_box(attacks.AMOUNT)
    assert result.status == "different" and result.pages == (0,)
    assert len(result.differences) == 1
    (area,) = result.differences
    assert area.page == 0 and area.what == "erased"
    assert _overlaps(area, amount, 0) and _inside(area, attacks.text_box(attacks.AMOUNT), slack=6)
    assert "page 1" in result.describe()


@pytest.mark.parametrize(("name", "what"), [
    ("shadow_hide_overlay", "erased"),       # a new opaque comment over Điều 3
    ("shadow_hide_reveal", "revealed"),      # a covering field cleared: an article the signer never saw
    ("shadow_hide_and_replace", "erased"),   # a free-text overlay with other words over Điều 1
    ("incremental_saving_attack", "erased+added"),
    ("object_stream_rewritten", "erased+added"),
])
def test_hidden_replaced_or_revealed_content_is_a_difference(name: str, what: str) -> None:
    data = attacks.build(name)
    result = visual_check(data, _first(data))
    assert result.status == "different", result
    assert result.differences[0].what == what
    assert all(box.page == 0 for box in result.differences)


def test_the_area_is_on_the_page_the_overlay_is_on() -> None:
    base = attacks.signed_base(3)
    rect = attacks.text_box("khai th", 1, revision=base)
    rect = (rect[0] - 2, rect[1] - 2, rect[0] + 120, rect[3] + 2)
    data = attacks.add_annotation(base, "/Square", rect, page=1, content=attacks.white_box(rect))
    changes = later_changes(data, _first(data))
    assert [p.page for p in changes.pages] == [1]
    assert [(a.subtype, a.change, a.index) for a in changes.annotations] == [("/Square", "added", 0)]
    result = visual_check(data, _first(data))
    assert result.status == "different" and result.pages == (1,)
    assert all(_overlaps(box, rect, 1) and _inside(box, rect) for box in result.differences)


def test_a_page_added_after_signing_is_a_whole_page_difference() -> None:
    data = attacks.build("page_added")
    result = visual_check(data, _first(data))
    assert result.status == "different"
    (area,) = result.differences
    assert area.page == 1 and area.what == "page" and area.rect == (0.0, 0.0, 595.3, 841.9)


# --------------------------------------------------------------------------- what is lawful


def test_new_signatures_render_nothing() -> None:
    # person then agency: the agency's widget is the only later change on the page
    data = attacks.build("control_two_signatures")
    changes = later_changes(data, _first(data))
    (change,) = changes.annotations
    assert (change.subtype, change.change, change.field_type, change.signed_now) == ("/Widget", "added", "/Sig", True)
    assert change.box.rect == tuple(float(v) for v in attacks.RECTS["organisation"])
    # the validator's verified signature-only check answers first; told its answer, nothing is asked
    assert visual_check(data, _first(data)).reason == "later revisions only add signatures"
    told = visual_check(data, _first(data), signatures_only=True)
    assert told.status == "not_needed" and told.pages == ()
    # asked to look anyway, the page's only change is a new signature: nothing to render
    looked = visual_check(data, _first(data), signatures_only=False)
    assert looked.status == "not_needed" and looked.reason == "no later change on any page but new signatures"


def test_a_new_signature_drawn_in_its_own_rectangle_is_no_difference() -> None:
    # forced to render: the seal widget's rectangle is the only place the page changed
    data = attacks.build("control_two_signatures")
    seal = Box.of(0, attacks.RECTS["organisation"])
    result = compare_revisions(data, _first(data), [0], allowed=[seal], covering=[seal])
    assert result.status == "same" and result.pages == (0,)
    # without that rectangle, the seal's own drawing is all there is to see
    bare = compare_revisions(data, _first(data), [0])
    assert bare.status == "different"
    assert all(_inside(box, seal.rect) for box in bare.differences)


@pytest.mark.parametrize("name", ["receipt_stamp", "receipt_stamp_then_signature"])
def test_a_receipt_stamp_in_its_own_rectangle_is_no_difference(name: str) -> None:
    data = attacks.build(name)
    for end in _signed_ends(data):
        result = visual_check(data, end)
        assert result.status in ("same", "not_needed"), (end, result)
    # the first signature's page is rendered (the stamp is not a signature) and found unchanged
    assert visual_check(data, _first(data)).pages == (0,)


def test_a_comment_or_a_filled_field_in_blank_space_is_no_difference() -> None:
    for name in ("certified_no_changes_then_comment", "certified_form_filling_then_new_field"):
        data = attacks.build(name)
        assert visual_check(data, _first(data)).status == "same", name


def test_lawful_additions() -> None:
    box = Box.of(0, (0, 0, 10, 10))
    change = lambda subtype, kind, field=None, signed=False: visual.AnnotationChange(  # noqa: E731
        0, box, subtype, kind, field, signed)
    assert visual.lawful_addition(change("/Widget", "added", "/Sig"))
    assert visual.lawful_addition(change("/Widget", "changed", "/Sig", signed=True))
    assert not visual.lawful_addition(change("/Widget", "changed", "/Sig"))  # a signed field redrawn
    assert visual.lawful_addition(change("/Stamp", "added"))
    assert visual.lawful_addition(change("/FreeText", "added"))
    assert visual.lawful_addition(change("/Widget", "changed", "/Tx"))
    assert not visual.lawful_addition(change("/Stamp", "changed"))
    assert not visual.lawful_addition(change("/Link", "added"))
    assert not visual.lawful_addition(change("/Popup", "added"))
    assert visual.may_cover(change("/Widget", "added", "/Sig", signed=True))
    assert visual.may_cover(change("/Widget", "changed", "/Sig", signed=True))  # an empty field signed now
    assert not visual.may_cover(change("/Widget", "added", "/Sig"))  # an empty signature field: draws, covers not
    assert not visual.may_cover(change("/Stamp", "added"))
    assert not visual.may_cover(change("/Widget", "changed", "/Tx"))


# --------------------------------------------------------------------------- what it costs


def test_a_single_revision_file_renders_nothing(monkeypatch) -> None:
    import pypdfium2

    def no_rendering(*args, **kwargs):
        raise AssertionError("PDFium was asked to open a file")

    monkeypatch.setattr(pypdfium2, "PdfDocument", no_rendering)
    for name in ("control_signed", "signed_bytes_changed", "wrapping_second_contents"):
        data = attacks.build(name)
        result = visual_check(data, _first(data))
        assert result.status == "not_needed" and result.pages == () and not result.differences, name
    # later signatures only: no page is rendered either
    data = attacks.build("archive_timestamp")
    assert all(visual_check(data, end).status == "not_needed" for end in _signed_ends(data))


def test_the_validator_s_reader_can_be_shared() -> None:
    data = attacks.build("receipt_stamp_then_signature")
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    assert later_changes(data, _first(data), reader=reader) == later_changes(data, _first(data))
    assert visual_check(data, _first(data), reader=reader) == visual_check(data, _first(data))


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_file_never_raises(damage: str) -> None:
    data = attacks.build("shadow_replace")
    end = _first(data)
    broken = {"truncated": data[: len(data) * 2 // 3], "garbage": b"%PDF-1.7\n" + bytes(range(256)) * 40,
              "empty": b""}[damage]
    changes = later_changes(broken, end)
    assert changes.reason
    result = visual_check(broken, end)
    assert result.status in ("cannot_compare", "not_needed", "different"), result
    assert compare_revisions(broken, end, [0]).status in ("cannot_compare", "different")


def test_signed_end_outside_the_file() -> None:
    data = attacks.build("shadow_replace")
    assert compare_revisions(data, len(data) + 10, [0]).status == "cannot_compare"
    assert compare_revisions(data, 0, [0]).status == "cannot_compare"
    assert compare_revisions(data, _first(data), []).status == "not_needed"


def test_limits_bound_the_work() -> None:
    data = attacks.build("shadow_replace")
    end = _first(data)
    none = compare_revisions(data, end, [0], limits=VisualLimits(max_pages=0))
    assert none.status == "cannot_compare" and "limits" in none.reason and none.pages == ()
    late = compare_revisions(data, end, [0], limits=VisualLimits(max_seconds=-1))
    assert late.status == "cannot_compare"
    # a tiny pixel budget lowers the resolution instead of failing
    small = visual_check(data, end, limits=VisualLimits(max_pixels=40_000))
    assert small.status in ("different", "same") and small.pages == (0,)
    # too many objects to compare: every page is taken as changed, and compared
    many = later_changes(data, end, limits=VisualLimits(max_objects=3))
    assert many.reason == "too many objects to compare" and [p.page for p in many.pages] == [0]
    assert visual_check(data, end, limits=VisualLimits(max_objects=3)).status == "different"


def test_a_page_outside_both_revisions_is_ignored() -> None:
    data = attacks.build("shadow_replace")
    assert compare_revisions(data, _first(data), [7]).status == "same"


# --------------------------------------------------------------------------- the conformance corpus


@pytest.mark.conformance
@pytest.mark.parametrize(("name", "different"), [
    ("replace.pdf", True),                       # the shadow attack 'replace': EU DSS finds page 1
    ("annotation-and-visible-change.pdf", True),  # EU DSS: a visual difference on page 2
    ("DSS-3577.pdf", False),                     # a field filled under a FieldMDP lock
    ("pades-signed-annot-added.pdf", False),     # comments added after signing
    ("pdf-structtreeroot-changes.pdf", False),   # a second signature on a tagged PDF
])
def test_conformance_files(name: str, different: bool) -> None:
    data = (require_conformance() / "pdf" / "esig" / "dss" / name).read_bytes()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    ends = [sig.byte_range[2] + sig.byte_range[3] for sig in reader.embedded_signatures]
    results = [visual_check(data, end, reader=reader) for end in ends if end < len(data)]
    assert any(r.different for r in results) == different, results
    if name == "replace.pdf":
        (area,) = results[0].differences
        assert area.page == 0 and area.what == "erased"
    if name == "annotation-and-visible-change.pdf":
        assert {box.page for r in results for box in r.differences} == {1}
