"""Visual comparison of a signed revision with the final file, as EU DSS does (issue 17, item 2).

A later revision may add or change annotations, form fields and widgets that pyHanko's difference
analysis accepts (form filling, comments) while they hide or replace what the signer saw: the
shadow attacks of Mainka, Mladenov and Rohlmann (hide, replace, hide-and-replace). EU DSS catches
them by rendering the pages of the signed revision and of the final document and comparing the
images. docaudit does the same with PDFium (pypdfium2), in three steps:

1. :func:`later_changes` — what the revisions after the signed one changed, page by page: the
   page's own drawing (content streams, resources, boxes, rotation, a page added or removed, a
   document-wide switch: optional content, ``/NeedAppearances``) and each annotation or widget
   added, changed or removed, with its subtype, field type, rectangle and place in ``/Annots``.
   It compares what each page reaches in the signed revision and in the final file (pyHanko's
   historical resolver; an object kept in an object stream that a later revision wrote again
   counts as changed, since its old copy can no longer be read). Metadata, the DSS, document
   timestamps and new fields elsewhere touch no page.
2. Which later additions are lawful, and how far (:func:`lawful_addition`, :func:`may_cover`):
   a new signature (or an empty signature field signed now), a stamp, a comment, a form field
   filled in. Each may add ink inside its own rectangle. Only a new signature's widget may also
   lie over signed ink (NĐ 30: the agency's seal over the signer's signature).
3. :func:`compare_revisions` — renders the pages concerned of the signed revision (the file's
   first ``signed_end`` bytes) and of the final file, in grayscale at a modest resolution, with
   form fields drawn as a viewer draws them, and reports each area (page, box in PDF points)
   where the final page

   * ``erased`` signed ink: a pixel lighter than the signed revision showed it — content hidden
     or replaced, whatever drew over it;
   * ``added`` ink outside every lawful addition's rectangle;
   * ``revealed`` ink inside a lawful addition's rectangle that its own appearance does not draw
     (the page rendered once more with the later annotations hidden shows that ink too): content
     an annotation of the signed revision covered, uncovered later.

   Inside a new signature's rectangle nothing counts.

:func:`visual_check` runs the three for one signature. It returns at once for a signature that
covers the whole file, and for later revisions the validator's own verified check finds to add
signatures only (:func:`.increments.only_signatures_after`); pages whose only changes are new
signatures are not rendered (nothing there could count). So the common file — one revision, or the
NĐ 30 person-then-agency pair — costs microseconds and renders nothing. Nothing here raises on a damaged or hostile file: the
answer is then ``cannot_compare`` with the reason. Time, pages rendered and pixels per page are
bounded (:class:`VisualLimits`); renderings are compared one page at a time and freed.
(:class:`~docaudit.limits.DocumentTimeout`, a ``BaseException``, still stops the work.)
"""

from __future__ import annotations

import io
import math
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, Sequence

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import Reference

__all__ = [
    "AnnotationChange",
    "Box",
    "DEFAULT_VISUAL_LIMITS",
    "LaterChanges",
    "PageChange",
    "VisualComparison",
    "VisualLimits",
    "compare_revisions",
    "lawful_addition",
    "later_changes",
    "may_cover",
    "visual_check",
]

Status = Literal["same", "different", "not_needed", "cannot_compare"]


@dataclass(frozen=True)
class Box:
    """An area of a page: 0-based ``page`` and ``x1 < x2``, ``y1 < y2`` in PDF points, in the
    page's default user space (as an annotation's /Rect). ``what``, for a difference: ``erased``,
    ``added``, ``revealed`` (joined with ``+`` when an area has several), or ``page`` (a page
    only one side has, or whose size changed)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float
    what: str = ""

    @classmethod
    def of(cls, page: int, rect: Sequence[float], what: str = "") -> "Box":
        x1, y1, x2, y2 = (float(v) for v in rect[:4])
        return cls(page, round(min(x1, x2), 1), round(min(y1, y2), 1), round(max(x1, x2), 1), round(max(y1, y2), 1),
                   what)

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)

    @property
    def area(self) -> float:
        return max(0.0, self.x2 - self.x1) * max(0.0, self.y2 - self.y1)

    def __str__(self) -> str:
        what = f" ({self.what})" if self.what else ""
        return f"page {self.page + 1} [{self.x1:g} {self.y1:g} {self.x2:g} {self.y2:g}]{what}"


@dataclass(frozen=True)
class VisualLimits:
    dpi: float = 60.0
    """Rendering resolution; at 60 dpi a changed digit of 11-point text is some 30 pixels."""
    max_pages: int = 12
    """Pages compared per signature."""
    max_pixels: int = 3_000_000
    """Pixels per page rendering (8 bits each); a larger page is rendered at a lower resolution."""
    max_seconds: float = 8.0
    """Time for one comparison; past it, the pages not yet compared are not rendered."""
    tolerance: int = 40
    """Gray levels (of 255) a pixel may change by without counting (anti-aliasing)."""
    margin: float = 1.5
    """Points added around each lawful addition's rectangle (an appearance's anti-aliased edge)."""
    min_pixels: int = 3
    """Pixels an area needs to be reported."""
    max_areas: int = 40
    """Areas reported per comparison (the largest)."""
    max_objects: int = 50_000
    """Objects :func:`later_changes` compares before it calls every page changed."""


DEFAULT_VISUAL_LIMITS = VisualLimits()


@dataclass(frozen=True)
class AnnotationChange:
    """An annotation (or widget) a later revision added, changed or removed."""

    page: int
    box: Box
    subtype: str
    """``/Widget``, ``/Stamp``, ``/FreeText`` …"""
    change: Literal["added", "changed", "removed"]
    field_type: str | None = None
    """For a widget, its field's /FT (``/Sig``, ``/Tx`` …)."""
    signed_now: bool = False
    """A signature field without a value in the signed revision that has one now."""
    index: int | None = None
    """Its place in the final page's /Annots (``None`` when removed)."""


@dataclass(frozen=True)
class PageChange:
    page: int
    """0-based, as the final file numbers its pages (a removed page: as the signed revision did)."""
    drawing: bool
    """Something other than the page's annotations changed: content, resources, boxes, the page
    itself added or removed, or a document-wide rendering switch."""
    annotations: tuple[AnnotationChange, ...] = ()
    why: str | None = None


@dataclass(frozen=True)
class LaterChanges:
    """What the revisions after the signed one changed, page by page (only pages that changed)."""

    pages: tuple[PageChange, ...] = ()
    later_revisions: int = 0
    reason: str | None = None
    """Set when the revisions could not be read in full: every page is then listed as changed."""

    @property
    def annotations(self) -> tuple[AnnotationChange, ...]:
        return tuple(a for p in self.pages for a in p.annotations)


@dataclass(frozen=True)
class VisualComparison:
    status: Status
    """``same``: compared, nothing counts; ``different``: see ``differences``; ``not_needed``:
    nothing to render (no later change on any page, or only new signatures); ``cannot_compare``:
    see ``reason``."""
    differences: tuple[Box, ...] = ()
    pages: tuple[int, ...] = ()
    """Pages compared (0-based)."""
    reason: str | None = None

    @property
    def different(self) -> bool:
        return self.status == "different"

    def describe(self) -> str:
        """One line for a report's ``detail``: the pages and areas that differ."""
        if self.status != "different":
            return self.reason or self.status
        shown = "; ".join(str(box) for box in self.differences[:4])
        more = f" and {len(self.differences) - 4} more" if len(self.differences) > 4 else ""
        return f"the page as signed and as shown now differ: {shown}{more}"


# --------------------------------------------------------------------------- what changed, per page

_SKIP_IN_PAGE = {"/Parent", "/Annots", "/StructParents", "/Tabs", "/PieceInfo", "/LastModified", "/Metadata"}
_SKIP_IN_ANNOT = {"/P", "/Parent", "/Popup", "/IRT", "/M", "/StructParent", "/NM"}
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_FIELD_KEYS = ("/V", "/DA", "/Q", "/Ff", "/Opt", "/MaxLen")  # a widget's field: what its appearance may show


class _TooMuch(Exception):
    pass


class _Comparer:
    """Compares what an object reaches in the signed revision (``old``) and in the final file."""

    def __init__(self, reader: Any, signed_revision: int, budget: int) -> None:
        self.reader, self.revision = reader, signed_revision
        self.old = reader.get_historical_resolver(signed_revision)
        self.last = reader.xrefs.total_revisions - 1
        self.budget = budget
        self.memo: dict[tuple[int, int], bool] = {}
        self.open: set[tuple[int, int]] = set()
        self.cycle = False

    def _spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _TooMuch

    def _object_stream_rewritten(self, ref: Reference) -> bool:
        now = self.reader.xrefs.get_historical_ref(ref, self.last)
        stream_id = getattr(now, "obj_stream_id", None)
        if stream_id is None:
            return False
        container = Reference(stream_id, 0)
        xrefs = self.reader.xrefs
        return xrefs.get_historical_ref(container, self.revision) != xrefs.get_historical_ref(container, self.last)

    def same_ref(self, ref: Reference, skip: frozenset[str] = frozenset()) -> bool:
        key = (ref.idnum, ref.generation)
        if not skip and key in self.memo:
            return self.memo[key]
        if key in self.open:
            self.cycle = True
            return True  # judged where the cycle started
        self._spend()
        self.open.add(key)
        outer_cycle, self.cycle = self.cycle, False
        try:
            xrefs = self.reader.xrefs
            then, now = xrefs.get_historical_ref(ref, self.revision), xrefs.get_historical_ref(ref, self.last)
            if self._object_stream_rewritten(ref):
                result = False
            elif then is None:
                result = now is None  # defined only later: a reference the signed revision left dangling
            elif then == now:
                # the very bytes the signed revision had: only what it points to may differ
                result = self._children_same(self.reader.get_object(ref), skip)
            else:
                result = self.same(self.old.get_object(ref), self.reader.get_object(ref), skip)
        finally:
            self.open.discard(key)
        if not skip and not self.cycle:
            self.memo[key] = result
        self.cycle = self.cycle or outer_cycle
        return result

    def _children_same(self, value: Any, skip: frozenset[str] = frozenset()) -> bool:
        self._spend()
        if isinstance(value, generic.IndirectObject):
            return self.same_ref(value.reference)
        if isinstance(value, generic.DictionaryObject):  # a stream's dictionary too
            return all(self._children_same(value.raw_get(k)) for k in sorted(set(value.keys()) - skip))
        if isinstance(value, generic.ArrayObject):
            return all(self._children_same(item) for item in value)
        return True

    def same(self, old: Any, new: Any, skip: frozenset[str] = frozenset()) -> bool:
        self._spend()
        if isinstance(old, generic.IndirectObject) or isinstance(new, generic.IndirectObject):
            if not (isinstance(old, generic.IndirectObject) and isinstance(new, generic.IndirectObject)):
                return False
            if (old.idnum, old.generation) != (new.idnum, new.generation):
                return False
            return self.same_ref(new.reference, skip)
        if isinstance(new, generic.StreamObject):
            return (isinstance(old, generic.StreamObject) and old.encoded_data == new.encoded_data
                    and self._same_dict(old, new, skip))
        if isinstance(new, generic.DictionaryObject):
            return isinstance(old, generic.DictionaryObject) and self._same_dict(old, new, skip)
        if isinstance(new, generic.ArrayObject):
            # iterating a pyHanko array gives its items as written (references not followed)
            return (isinstance(old, generic.ArrayObject) and len(old) == len(new)
                    and all(self.same(a, b) for a, b in zip(old, new)))
        return type(old) is type(new) and old == new

    def _same_dict(self, old: Any, new: Any, skip: frozenset[str]) -> bool:
        keys = (set(old.keys()) | set(new.keys())) - skip
        for key in sorted(keys):
            if key not in old or key not in new:
                return False
            if not self.same(old.raw_get(key), new.raw_get(key)):
                return False
        return True


def _get(container: Any, key: str) -> Any:
    """``container[key]`` with references followed (pyHanko's ``dict.get`` does not follow them)."""
    if not isinstance(container, generic.DictionaryObject) or key not in container:
        return None
    return container[key]


def _raw_items(array: Any) -> list[Any]:
    """The items of an array as written (a pyHanko array iterates without following references)."""
    return list(array) if isinstance(array, generic.ArrayObject) else []


def _pages(root: Any, limit: int) -> list[tuple[Any, Any, dict[str, Any]]]:
    """(reference or None, page dictionary, inherited attributes) of each page, in order."""
    found: list[tuple[Any, Any, dict[str, Any]]] = []
    seen: set[tuple[int, int]] = set()

    def walk(node_ref: Any, inherited: dict[str, Any], depth: int) -> None:
        if len(found) > limit or depth > 64:
            raise _TooMuch
        node = node_ref.get_object() if isinstance(node_ref, generic.IndirectObject) else node_ref
        if isinstance(node_ref, generic.IndirectObject):
            key = (node_ref.idnum, node_ref.generation)
            if key in seen:
                return
            seen.add(key)
        if not isinstance(node, generic.DictionaryObject):
            return
        here = dict(inherited)
        for name in _INHERITED:
            if name in node:
                here[name] = node.raw_get(name)
        kids = _get(node, "/Kids")
        kind = _get(node, "/Type")
        if kind == "/Pages" or (kids is not None and kind != "/Page"):
            for kid in _raw_items(kids):
                walk(kid, here, depth + 1)
        else:
            found.append((node_ref if isinstance(node_ref, generic.IndirectObject) else None, node, here))

    walk(root.raw_get("/Pages"), {}, 0)
    return found


def _field_type(widget: Any, fields: dict[tuple[int, int], tuple[str | None, Any]] | None = None,
                key: tuple[int, int] | None = None) -> tuple[str | None, Any]:
    """The /FT of a widget's field, and the field dictionary (the widget itself when merged):
    from the AcroForm's field tree (``fields``, :func:`_form_fields`), else up its /Parent."""
    if fields is not None and key is not None and key in fields:
        return fields[key]
    node, depth = widget, 0
    while isinstance(node, generic.DictionaryObject) and depth < 16:
        if "/FT" in node:
            return str(node["/FT"]), node
        node, depth = _get(node, "/Parent"), depth + 1
    return None, widget


def _form_fields(root: Any, limit: int = 20_000) -> dict[tuple[int, int], tuple[str | None, Any]]:
    """Widget reference → (field type, terminal field) for every widget the AcroForm reaches
    (a widget need not point back at its field with /Parent)."""
    found: dict[tuple[int, int], tuple[str | None, Any]] = {}
    seen: set[tuple[int, int]] = set()

    def walk(item: Any, inherited: str | None, field: Any, depth: int) -> None:
        key = _key(item)
        if depth > 32 or len(seen) > limit or (key is not None and key in seen):
            return
        if key is not None:
            seen.add(key)
        node = item.get_object() if isinstance(item, generic.IndirectObject) else item
        if not isinstance(node, generic.DictionaryObject):
            return
        kind = str(node["/FT"]) if "/FT" in node else inherited
        if "/T" in node or field is None:
            field = node
        if key is not None and (_get(node, "/Subtype") == "/Widget" or "/Rect" in node):
            found[key] = (kind, field)
        for kid in _raw_items(_get(node, "/Kids")):
            walk(kid, kind, field, depth + 1)

    for item in _raw_items(_get(_get(root, "/AcroForm"), "/Fields")):
        walk(item, None, None, 0)
    return found


def _has_value(field_dict: Any) -> bool:
    """The field has a /V (not followed: a signature's value is its large signature dictionary)."""
    if not isinstance(field_dict, generic.DictionaryObject) or "/V" not in field_dict:
        return False
    return not isinstance(field_dict.raw_get("/V"), generic.NullObject)


def _rect(annotation: Any) -> tuple[float, float, float, float]:
    try:
        values = [float(v) for v in annotation["/Rect"]][:4]
        if len(values) == 4 and all(math.isfinite(v) for v in values):
            return (values[0], values[1], values[2], values[3])
    except Exception:  # noqa: BLE001
        pass
    return (0.0, 0.0, 0.0, 0.0)


def _annotation_refs(page: Any) -> list[Any]:
    return _raw_items(_get(page, "/Annots"))


def _key(item: Any) -> tuple[int, int] | None:
    return (item.idnum, item.generation) if isinstance(item, generic.IndirectObject) else None


def _document_switches(compare: _Comparer, old_root: Any, new_root: Any) -> str | None:
    """A change to what every page shows: optional content, or appearances the viewer regenerates."""
    if not compare.same(old_root.raw_get("/OCProperties") if "/OCProperties" in old_root else None,
                        new_root.raw_get("/OCProperties") if "/OCProperties" in new_root else None):
        return "the optional content (layers) settings changed"
    old_form, new_form = _get(old_root, "/AcroForm"), _get(new_root, "/AcroForm")
    regenerate, was = bool(_get(new_form, "/NeedAppearances")), bool(_get(old_form, "/NeedAppearances"))
    if regenerate != was:
        return "the form's /NeedAppearances changed"
    if regenerate:
        for key in ("/DA", "/DR"):
            if not compare.same(old_form.raw_get(key) if key in old_form else None,
                                new_form.raw_get(key) if key in new_form else None):
                return f"the form's {key} changed while the viewer regenerates appearances"
    return None


def _compare_annotations(compare: _Comparer, index: int, old_page: Any, new_page: Any,
                         fields: tuple[dict, dict]) -> list[AnnotationChange]:
    old_fields, new_fields = fields
    old_items = {_key(a): a for a in _annotation_refs(old_page) if _key(a) is not None}
    new_items = _annotation_refs(new_page)
    changes: list[AnnotationChange] = []
    matched: set[tuple[int, int]] = set()
    direct_old = [a for a in _annotation_refs(old_page) if _key(a) is None]
    direct_new = [(place, a) for place, a in enumerate(new_items) if _key(a) is None]
    for place, item in enumerate(new_items):
        key = _key(item)
        if key is None:
            continue
        annotation = item.get_object()
        if not isinstance(annotation, generic.DictionaryObject):
            continue
        subtype = str(_get(annotation, "/Subtype") or "")
        widget = subtype == "/Widget"
        field_type, field_dict = _field_type(annotation, new_fields, key) if widget else (None, None)
        old_field = None
        if key not in old_items:
            change = "added"
        else:
            matched.add(key)
            old_field = _field_type(old_items[key].get_object(), old_fields, key)[1] if widget else None
            # a signature's value is its signature dictionary: nothing a viewer draws
            skip = _SKIP_IN_ANNOT | ({"/V"} if field_type == "/Sig" else set())
            same = compare.same_ref(item.reference, frozenset(skip))
            if same and field_dict is not None and field_dict is not annotation:
                same = isinstance(old_field, generic.DictionaryObject) and all(
                    compare.same(old_field.raw_get(k) if k in old_field else None,
                                 field_dict.raw_get(k) if k in field_dict else None)
                    for k in _FIELD_KEYS if not (k == "/V" and field_type == "/Sig"))
            if same:
                continue
            change = "changed"
        signed_now = field_type == "/Sig" and _has_value(field_dict) and (change == "added" or not _has_value(old_field))
        changes.append(AnnotationChange(index, Box.of(index, _rect(annotation)), subtype, change, field_type,
                                        signed_now, place))
    for key, item in old_items.items():
        if key not in matched:
            annotation = item.get_object()
            subtype = str(_get(annotation, "/Subtype") or "")
            changes.append(AnnotationChange(index, Box.of(index, _rect(annotation)), subtype, "removed"))
    if len(direct_old) != len(direct_new) or not all(compare.same(a, b) for a, (_, b) in zip(direct_old, direct_new)):
        for place, annotation in direct_new:
            changes.append(AnnotationChange(index, Box.of(index, _rect(annotation)),
                                            str(_get(annotation, "/Subtype") or ""), "changed", index=place))
    return changes


def _signed_revision(reader: Any, signed_end: int) -> int | None:
    xrefs = reader.xrefs
    best = None
    for revision in range(xrefs.total_revisions):
        if xrefs.get_xref_container_info(revision).end_location <= signed_end:
            best = revision
    return best


def later_changes(data: bytes, signed_end: int, *, reader: Any = None,
                  limits: VisualLimits = DEFAULT_VISUAL_LIMITS) -> LaterChanges:
    """What the revisions after the one ending at byte ``signed_end`` (the end of the signature's
    ByteRange) changed, page by page. ``reader``: the pyHanko ``PdfFileReader`` of ``data``, when
    the caller has one. Never raises: a file whose revisions cannot be read gives every page as
    changed, with ``reason``."""
    try:
        if reader is None:
            reader = _reader(data)
            if reader is None:
                return _everything(None, "pyHanko cannot read the file")
        revision = _signed_revision(reader, signed_end)
        if revision is None:
            return _everything(reader, "no revision of the file ends where the signature's ByteRange does")
        later = reader.xrefs.total_revisions - 1 - revision
        if later <= 0:
            return LaterChanges((), 0)
        compare = _Comparer(reader, revision, limits.max_objects)
        old_root, new_root = compare.old.root, reader.root
        old_pages = _pages(old_root, 10_000)
        new_pages = _pages(new_root, 10_000)
        switch = _document_switches(compare, old_root, new_root)
        fields = (_form_fields(old_root), _form_fields(new_root))
        pages: list[PageChange] = []
        for index in range(max(len(old_pages), len(new_pages))):
            if index >= len(old_pages) or index >= len(new_pages):
                why = "page added after signing" if index >= len(old_pages) else "page removed after signing"
                pages.append(PageChange(index, True, (), why))
                continue
            (old_ref, old_page, old_inherited), (new_ref, new_page, new_inherited) = old_pages[index], new_pages[index]
            why = switch
            if why is None and (_key(old_ref) != _key(new_ref)):
                why = "another page object stands at this place"
            same_page = (compare.same_ref(new_ref.reference, frozenset(_SKIP_IN_PAGE)) if new_ref is not None
                         else compare.same(old_page, new_page, frozenset(_SKIP_IN_PAGE)))
            if why is None and not same_page:
                why = "the page's content, resources or boxes changed"
            if why is None and not all(compare.same(old_inherited.get(k), new_inherited.get(k)) for k in _INHERITED):
                why = "an inherited page attribute changed"
            annotations = _compare_annotations(compare, index, old_page, new_page, fields)
            if why is not None or annotations:
                pages.append(PageChange(index, why is not None, tuple(annotations), why))
        return LaterChanges(tuple(pages), later)
    except _TooMuch:
        return _everything(reader, "too many objects to compare")
    except Exception as exc:  # noqa: BLE001 — a damaged file: compare every page
        return _everything(reader, f"the revisions cannot be compared ({type(exc).__name__}: {exc})")


def _everything(reader: Any, reason: str) -> LaterChanges:
    try:
        count = len(_pages(reader.root, 10_000))
    except Exception:  # noqa: BLE001
        count = 1
    return LaterChanges(tuple(PageChange(i, True, (), reason) for i in range(count)), reason=reason)


# --------------------------------------------------------------------------- what may be drawn

# comments (ISO 32000-1, 12.5.6: markup annotations) a reader adds; not a link, a file, a sound,
# a movie, a redaction, a popup
COMMENTS = frozenset({"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
                      "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink"})
FILLABLE = frozenset({"/Tx", "/Ch", "/Btn"})


def lawful_addition(change: AnnotationChange) -> bool:
    """May this later addition add ink inside its own rectangle? A new signature (or a signature
    field signed now), a new stamp or comment, a form field filled in (a changed text, choice or
    button field: what it showed when signed must still not be erased)."""
    if change.field_type == "/Sig":
        return change.change == "added" or change.signed_now
    if change.subtype == "/Widget":
        return change.field_type in FILLABLE and change.change in ("added", "changed")
    return change.change == "added" and change.subtype in COMMENTS


def may_cover(change: AnnotationChange) -> bool:
    """May it also lie over signed ink? A new signature's widget (the agency's seal over the
    signer's signature) — signed: an empty signature field added later draws nothing a signer
    made, so its appearance may not hide signed ink."""
    return change.field_type == "/Sig" and change.signed_now


# --------------------------------------------------------------------------- rendering and comparing


def visual_check(data: bytes, signed_end: int, *, reader: Any = None, signatures_only: bool | None = None,
                 lawful: Callable[[AnnotationChange], bool] = lawful_addition,
                 covering: Callable[[AnnotationChange], bool] = may_cover,
                 limits: VisualLimits = DEFAULT_VISUAL_LIMITS) -> VisualComparison:
    """For one signature whose signed revision ends at byte ``signed_end`` (the end of its
    ByteRange): :func:`later_changes`, then :func:`compare_revisions` on every page with a change
    other than new signatures. ``reader``: the pyHanko ``PdfFileReader`` of ``data`` when the
    caller has one (the validator does: the objects it parsed are not parsed again).
    ``signatures_only``: whether every later revision was verified to add signatures only
    (:func:`.increments.only_signatures_after`, which the validator's fast path has asked
    already); ``None``: find out here."""
    if signed_end >= len(data):
        return VisualComparison("not_needed", reason="the signature covers the whole file")
    if reader is None:
        reader = _reader(data)
    if signatures_only is None:
        signatures_only = reader is not None and _signatures_only(reader, signed_end, data)
    if signatures_only:
        return VisualComparison("not_needed", reason="later revisions only add signatures")
    changes = later_changes(data, signed_end, reader=reader, limits=limits)
    pages = tuple(p.page for p in changes.pages if p.drawing or any(not covering(a) for a in p.annotations))
    if not pages:
        return VisualComparison("not_needed", reason="no later change on any page but new signatures")
    annotations = [a for a in changes.annotations if a.change != "removed" and a.box.area > 0]
    return compare_revisions(
        data, signed_end, pages,
        allowed=[a.box for a in annotations if lawful(a) or covering(a)],
        covering=[a.box for a in annotations if covering(a)],
        hide=[(a.page, a.index) for a in annotations if a.index is not None],
        limits=limits)


def _reader(data: bytes) -> Any:
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        return reader
    except Exception:  # noqa: BLE001 — later_changes says why
        return None


def _signatures_only(reader: Any, signed_end: int, data: bytes) -> bool:
    """Every later revision verified to add signatures only (the validator's own fast check,
    :func:`.increments.only_signatures_after`): nothing on any page but new signature widgets."""
    from .increments import only_signatures_after

    try:
        revision = _signed_revision(reader, signed_end)
    except Exception:  # noqa: BLE001
        return False
    return revision is not None and only_signatures_after(reader, revision, data)


def compare_revisions(data: bytes, signed_end: int, pages: Iterable[int], *, allowed: Iterable[Box] = (),
                      covering: Iterable[Box] = (), hide: Iterable[tuple[int, int]] = (),
                      limits: VisualLimits = DEFAULT_VISUAL_LIMITS) -> VisualComparison:
    """Render ``pages`` (0-based) of the signed revision (``data[:signed_end]``) and of the final
    file, and compare them. ``allowed``: rectangles where later additions may add ink;
    ``covering``: rectangles where anything goes (new signatures); ``hide``: the (page, index in
    /Annots) of the final file's later annotations, hidden for the rendering that tells their own
    ink from ink they reveal. Never raises."""
    wanted = sorted({int(p) for p in pages if int(p) >= 0})
    if not wanted:
        return VisualComparison("not_needed", reason="no page to compare")
    if not 0 < signed_end <= len(data):
        return VisualComparison("cannot_compare", reason=f"the signed revision's end ({signed_end}) lies outside "
                                                         f"the file ({len(data)} bytes)")
    try:
        import pypdfium2 as pdfium
    except Exception as exc:  # noqa: BLE001
        return VisualComparison("cannot_compare", reason=f"PDFium is not available ({type(exc).__name__})")
    documents: list[Any] = []
    try:
        try:
            for content in (bytes(data[:signed_end]), data):
                document = pdfium.PdfDocument(content)
                documents.append(document)
                document.init_forms()  # widgets are drawn only with a form environment
        except Exception as exc:  # noqa: BLE001
            return VisualComparison("cannot_compare", reason=f"PDFium cannot open a revision ({type(exc).__name__}: {exc})")
        return _compare(documents[0], documents[1], wanted, _Plan(list(allowed), list(covering), list(hide)), limits)
    except Exception as exc:  # noqa: BLE001
        return VisualComparison("cannot_compare", reason=f"rendering failed ({type(exc).__name__}: {exc})")
    finally:
        _close_all(documents)


@dataclass
class _Plan:
    allowed: list[Box]
    covering: list[Box]
    hide: list[tuple[int, int]]


def _compare(signed: Any, final: Any, wanted: list[int], plan: _Plan, limits: VisualLimits) -> VisualComparison:
    deadline = time.monotonic() + limits.max_seconds
    counts = (len(signed), len(final))
    found: list[tuple[int, Box]] = []
    compared: list[int] = []
    skipped = 0
    for index in wanted:
        if index >= max(counts):
            continue  # no such page on either side
        if len(compared) >= limits.max_pages or time.monotonic() > deadline:
            skipped += 1
            continue
        compared.append(index)
        if index >= counts[0] or index >= counts[1]:
            side = final if index < counts[1] else signed
            found.append((1 << 30, Box.of(index, _page_box(side, index), "page")))
            continue
        found.extend(_compare_page(signed, final, index, plan, limits))
    found.sort(key=lambda item: -item[0])
    boxes = tuple(sorted((box for _, box in found[:limits.max_areas]), key=lambda b: (b.page, -b.y2, b.x1)))
    note = f"{skipped} of {skipped + len(compared)} changed pages not compared (limits)" if skipped else None
    if boxes:
        return VisualComparison("different", boxes, tuple(compared), note)
    if skipped:
        return VisualComparison("cannot_compare", (), tuple(compared), note)
    return VisualComparison("same", (), tuple(compared))


def _page_box(document: Any, index: int) -> tuple[float, float, float, float]:
    page = document[index]
    try:
        return tuple(page.get_cropbox())  # type: ignore[return-value]
    finally:
        page.close()


def _scale(document: Any, index: int, limits: VisualLimits) -> float:
    page = document[index]
    try:
        width, height = page.get_size()
    finally:
        page.close()
    scale = limits.dpi / 72.0
    area = max(width, 1.0) * max(height, 1.0)
    if area * scale * scale > limits.max_pixels:
        scale = math.sqrt(limits.max_pixels / area)
    return scale


def _render(page: Any, scale: float) -> tuple[Any, bytes]:
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True, draw_annots=True)
    return bitmap, bytes(bitmap.buffer)


def _hide_annotations(page: Any, indices: list[int]) -> None:
    import pypdfium2.raw as raw

    for index in indices:
        handle = raw.FPDFPage_GetAnnot(page.raw, index)
        if not handle:
            continue
        try:
            raw.FPDFAnnot_SetFlags(handle, raw.FPDFAnnot_GetFlags(handle) | raw.FPDF_ANNOT_FLAG_HIDDEN)
        finally:
            raw.FPDFPage_CloseAnnot(handle)


def _compare_page(signed: Any, final: Any, index: int, plan: _Plan, limits: VisualLimits) -> list[tuple[int, Box]]:
    scale = min(_scale(signed, index, limits), _scale(final, index, limits))
    opened: list[Any] = []
    try:
        old_page = signed[index]
        opened.append(old_page)
        old_bitmap, old = _render(old_page, scale)
        opened.append(old_bitmap)
        new_page = final[index]
        opened.append(new_page)
        new_bitmap, new = _render(new_page, scale)
        opened.append(new_bitmap)
        width, height, stride = new_bitmap.width, new_bitmap.height, new_bitmap.stride
        if (old_bitmap.width, old_bitmap.height, old_bitmap.stride) != (width, height, stride):
            return [(1 << 30, Box.of(index, new_page.get_cropbox(), "page"))]
        convert = new_bitmap.get_posconv(new_page)
        hide = [i for p, i in plan.hide if p == index]
        bare = new
        if hide:
            _hide_annotations(new_page, hide)
            bare_bitmap, bare = _render(new_page, scale)
            opened.append(bare_bitmap)
        allowed = _masks(convert, [b for b in plan.allowed if b.page == index], limits.margin, width, height)
        covering = _masks(convert, [b for b in plan.covering if b.page == index], limits.margin, width, height)
        tiles = _differing_tiles(old, new, bare, width, height, stride, allowed, covering, limits.tolerance)
        return [(count, _to_box(convert, index, box, width, height, what)) for count, box, what in _areas(tiles)
                if count >= limits.min_pixels]
    finally:
        _close_all(opened)


def _masks(convert: Any, boxes: list[Box], margin: float, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Boxes as pixel rectangles (x0, y0, x1, y1), exclusive ends, clipped to the bitmap."""
    masks = []
    for box in boxes:
        corners = [convert.to_bitmap(x, y) for x in (box.x1 - margin, box.x2 + margin)
                   for y in (box.y1 - margin, box.y2 + margin)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        x0, x1 = max(0, min(xs)), min(width, max(xs) + 1)
        y0, y1 = max(0, min(ys)), min(height, max(ys) + 1)
        if x0 < x1 and y0 < y1:
            masks.append((x0, y0, x1, y1))
    return masks


_TILE = 6
_NEAR = (-2, -1, 0, 1, 2)  # tiles this far apart make one area: the glyphs of a changed word or line
_NONZERO = re.compile(rb"[^\x00]+")
_ERASED, _ADDED, _REVEALED = 1, 2, 4
_KINDS = ((_ERASED, "erased"), (_ADDED, "added"), (_REVEALED, "revealed"))


def _row_spans(masks: list[tuple[int, int, int, int]], y: int) -> list[tuple[int, int]]:
    return [(m[0], m[2]) for m in masks if m[1] <= y < m[3]]


def _inside(x: int, spans: list[tuple[int, int]]) -> bool:
    for start, end in spans:
        if start <= x < end:
            return True
    return False


def _differing_tiles(old: bytes, new: bytes, bare: bytes, width: int, height: int, stride: int,
                     allowed: list[tuple[int, int, int, int]], covering: list[tuple[int, int, int, int]],
                     tolerance: int) -> dict[tuple[int, int], list[int]]:
    """The pixels that count, gathered per tile: {(tx, ty): [count, x0, y0, x1, y1, kinds]}.

    Only rows and runs where the signed and the final rendering differ are looked at, pixel by
    pixel: the common page costs one comparison of bytes per row."""
    tiles: dict[tuple[int, int], list[int]] = {}
    for y in range(height):
        start = y * stride
        a, b = old[start:start + width], new[start:start + width]
        if a == b:
            continue
        lawful, free = _row_spans(allowed, y), _row_spans(covering, y)
        c = bare[start:start + width] if bare is not new else b
        xor = (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(width, "big")
        for run in _NONZERO.finditer(xor):
            for x in range(run.start(), run.end()):
                signed, shown = a[x], b[x]
                if shown > signed + tolerance:
                    kind = _ERASED
                elif shown < signed - tolerance:
                    if not _inside(x, lawful):
                        kind = _ADDED
                    elif c[x] < signed - tolerance:
                        kind = _REVEALED
                    else:
                        continue  # the lawful addition's own ink
                else:
                    continue
                if free and _inside(x, free):
                    continue
                key = (x // _TILE, y // _TILE)
                tile = tiles.get(key)
                if tile is None:
                    tiles[key] = [1, x, y, x + 1, y + 1, kind]
                else:
                    tile[0] += 1
                    if x < tile[1]:
                        tile[1] = x
                    if x + 1 > tile[3]:
                        tile[3] = x + 1
                    tile[4] = y + 1
                    tile[5] |= kind
    return tiles


def _areas(tiles: dict[tuple[int, int], list[int]]) -> list[tuple[int, tuple[int, int, int, int], str]]:
    """Groups of nearby differing tiles: (pixel count, pixel box, kinds)."""
    areas = []
    left = set(tiles)
    while left:
        stack = [left.pop()]
        count, kinds, box = 0, 0, None
        while stack:
            tx, ty = stack.pop()
            tile = tiles[(tx, ty)]
            count += tile[0]
            kinds |= tile[5]
            box = tuple(tile[1:5]) if box is None else (min(box[0], tile[1]), min(box[1], tile[2]),
                                                        max(box[2], tile[3]), max(box[3], tile[4]))
            for dx in _NEAR:
                for dy in _NEAR:
                    neighbour = (tx + dx, ty + dy)
                    if neighbour in left:
                        left.discard(neighbour)
                        stack.append(neighbour)
        areas.append((count, box, "+".join(name for bit, name in _KINDS if kinds & bit)))
    return areas


def _to_box(convert: Any, index: int, box: tuple[int, int, int, int], width: int, height: int, what: str) -> Box:
    x0, y0, x1, y1 = box
    corners = [convert.to_page(x, y) for x in (x0, min(x1, width)) for y in (y0, min(y1, height))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return Box.of(index, (min(xs), min(ys), max(xs), max(ys)), what)


def _close_all(items: list[Any]) -> None:
    """Close PDFium objects, newest first; a close that fails must not hide the answer."""
    for item in reversed(items):
        try:
            item.close()
        except Exception:  # noqa: BLE001
            pass
