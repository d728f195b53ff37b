"""A verified fast check for the most common later revision: one that only adds a signature.

Vietnamese documents are signed twice (the person, then the agency), so the first signature is
followed by one incremental update. pyHanko's difference analysis walks every object of the file
to judge it, which costs more than all the cryptography. This module recognises — strictly — the
update a signing tool writes, and answers ``True`` only when each later revision:

* frees no object, keeps the same catalog reference and no encryption change, uses no hybrid or
  compressed cross-reference data in the older revision (references inside object streams could
  not be checked below);
* changes existing objects only in these ways: the catalog gains or changes only ``/AcroForm``;
  the AcroForm changes only ``/Fields`` (old fields kept, in order, new ones appended) and
  ``/SigFlags``; a page changes only ``/Annots`` (old annotations kept, new ones appended); the
  document information dictionary and the XMP metadata stream may change (metadata, never
  rendered);
* adds only new objects, none of which was already referenced by the older revision (a
  "dangling" reference filled in later would change signed content), and every new form field or
  widget it hooks in is a signature field holding a signature (an empty signature field may draw
  any appearance: the visual comparison must see it).

Anything else returns ``False`` and the caller runs pyHanko's full analysis, so the fast path can
only agree with it: when it says yes, the update is one pyHanko classifies as form filling.
"""

from __future__ import annotations

import re
from typing import Any

from pyhanko.pdf_utils import generic

_METADATA_KEYS = ("/Info",)
_DIGITS = b"0123456789"
_ACROFORM_FREE = {"/Fields", "/SigFlags"}


def _raw(container: Any, key: str) -> Any:
    try:
        return container.raw_get(key)
    except (KeyError, AttributeError):
        return None


def _ref_key(ref: Any) -> tuple[int, int] | None:
    return (ref.idnum, ref.generation) if isinstance(ref, generic.IndirectObject | generic.Reference) else None


def _same_except(old: Any, new: Any, free: set[str]) -> bool:
    """Two dictionaries equal in every key but ``free`` (compared as written: references by number)."""
    if not isinstance(old, generic.DictionaryObject) or not isinstance(new, generic.DictionaryObject):
        return False
    keys = (set(old) | set(new)) - free
    return all(_raw(old, k) == _raw(new, k) for k in keys)


def _appended(old: Any, new: Any, new_refs: set[tuple[int, int]]) -> list | None:
    """The items appended to an array whose old items are kept in order; ``None`` otherwise."""
    old_items = list(old) if isinstance(old, generic.ArrayObject) else ([] if old is None else None)
    if old_items is None or not isinstance(new, generic.ArrayObject):
        return None
    new_items = list(new)
    if len(new_items) < len(old_items) or new_items[: len(old_items)] != old_items:
        return None
    added = new_items[len(old_items):]
    if any(_ref_key(item) not in new_refs for item in added):
        return None  # appended items must be objects this revision creates
    return added


def _is_signature_field(obj: Any, depth: int = 0, signed: bool = False) -> bool:
    """A signature field (or its widget) that holds a signature: an empty signature field draws
    whatever appearance it was given, so it is not "only a signature"."""
    if not isinstance(obj, generic.DictionaryObject) or depth > 5:
        return False
    signed = signed or "/V" in obj
    if obj.get("/FT") == "/Sig":
        return signed
    parent = obj.get("/Parent")
    return parent is not None and _is_signature_field(parent.get_object(), depth + 1, signed)


class _Increment:
    def __init__(self, reader, revision: int, data: bytes) -> None:
        self.reader = reader
        self.revision = revision
        self.data = data
        self.xrefs = reader.xrefs
        self.old = reader.get_historical_resolver(revision - 1)
        # the newest revision is what the reader itself shows: its objects are parsed already
        # (finding the signatures read the form and the pages), so read them from there
        latest = revision == reader.xrefs.total_revisions - 1
        self.new = reader if latest else reader.get_historical_resolver(revision)
        self.changed = {(r.idnum, r.generation) for r in self.xrefs.explicit_refs_in_revision(revision)}
        self.created = {
            key for key in self.changed
            if self.xrefs.get_introducing_revision(generic.Reference(*key)) == revision
        }
        self.modified = self.changed - self.created
        self.hooked: list[Any] = []  # fields and annotations this revision links in

    def old_object(self, key: tuple[int, int]) -> Any:
        return self.old.get_object(generic.Reference(*key))

    def new_object(self, key: tuple[int, int]) -> Any:
        return self.new.get_object(generic.Reference(*key))

    # ------------------------------------------------------------------ roles of modified objects

    def check(self) -> bool:
        if self.xrefs.refs_freed_in_revision(self.revision) or self.xrefs.hybrid_xrefs_present:
            return False
        if self.xrefs.object_streams_used_in(self.revision - 1) or self._older_uses_object_streams():
            return False
        old_trailer, new_trailer = self.old.trailer_view, self.new.trailer_view
        if _raw(old_trailer, "/Root") != _raw(new_trailer, "/Root") or _raw(old_trailer, "/Encrypt") != _raw(
            new_trailer, "/Encrypt"
        ):
            return False
        root_key = _ref_key(_raw(new_trailer, "/Root"))
        allowed_metadata = {_ref_key(_raw(new_trailer, k)) for k in _METADATA_KEYS}
        old_root = self.old.root
        allowed_metadata.add(_ref_key(_raw(old_root, "/Metadata")))
        acroform_key = _ref_key(_raw(old_root, "/AcroForm"))
        fields_key = None
        old_acroform = _raw(old_root, "/AcroForm")
        if old_acroform is not None:
            fields_key = _ref_key(_raw(old_acroform.get_object(), "/Fields"))
        pages_root = _raw(old_root, "/Pages")
        annots_arrays: dict[tuple[int, int], tuple[int, int]] | None = None  # built only if needed

        for key in self.modified:
            if key == root_key:
                ok = self._check_catalog()
            elif key in allowed_metadata:
                ok = True
            elif key == acroform_key:
                ok = self._check_acroform(self.old_object(key), self.new_object(key))
            elif key == fields_key:
                ok = self._hook(_appended(self.old_object(key), self.new_object(key), self.created))
            elif self._is_leaf_page(key, pages_root):
                ok = self._check_page(key)
            else:
                if annots_arrays is None:
                    annots_arrays = self._annots_arrays(pages_root)
                if key in annots_arrays:
                    ok = self._hook(_appended(self.old_object(key), self.new_object(key), self.created))
                else:
                    ok = False
            if not ok:
                return False
        return all(_is_signature_field(item.get_object()) for item in self.hooked) and self._no_dangling_refs()

    def _hook(self, added: list | None) -> bool:
        if added is None:
            return False
        self.hooked.extend(added)
        return True

    def _check_catalog(self) -> bool:
        old_root, new_root = self.old.root, self.new.root
        if not _same_except(old_root, new_root, {"/AcroForm"}):
            return False
        old_form, new_form = _raw(old_root, "/AcroForm"), _raw(new_root, "/AcroForm")
        if old_form == new_form:
            return True
        if isinstance(old_form, generic.DictionaryObject) and isinstance(new_form, generic.DictionaryObject):
            return self._check_acroform(old_form, new_form)  # inline AcroForm
        if old_form is None and _ref_key(new_form) in self.created:
            return self._check_acroform(generic.DictionaryObject(), new_form.get_object())
        return False

    def _check_acroform(self, old: Any, new: Any) -> bool:
        if not _same_except(old, new, _ACROFORM_FREE):
            return False
        old_fields, new_fields = _raw(old, "/Fields"), _raw(new, "/Fields")
        if old_fields == new_fields:
            return True  # unchanged, or an indirect array judged as its own object
        old_items = old_fields.get_object() if old_fields is not None else None
        return self._hook(_appended(old_items, new_fields.get_object() if new_fields is not None else None, self.created))

    def _check_page(self, key: tuple[int, int]) -> bool:
        old, new = self.old_object(key), self.new_object(key)
        if not _same_except(old, new, {"/Annots"}):
            return False
        old_annots, new_annots = _raw(old, "/Annots"), _raw(new, "/Annots")
        if old_annots == new_annots:
            return True
        old_items = old_annots.get_object() if old_annots is not None else None
        return self._hook(_appended(old_items, new_annots.get_object() if new_annots is not None else None,
                                    self.created))

    # ------------------------------------------------------------------ safety nets

    def _is_leaf_page(self, key: tuple[int, int], pages_root: Any) -> bool:
        """Whether ``key`` is a leaf of the older revision's page tree — proved upwards: each
        /Parent up to the root /Pages lists the child in its /Kids (a few objects read instead of
        the whole tree)."""
        node = self.old_object(key)
        if not isinstance(node, generic.DictionaryObject) or "/Kids" in node:
            return False
        root_key, child = _ref_key(pages_root), key
        for _ in range(64):
            parent_ref = _raw(node, "/Parent")
            parent_key = _ref_key(parent_ref)
            if parent_key is None:
                return False
            parent = parent_ref.get_object()
            kids = _raw(parent, "/Kids") if isinstance(parent, generic.DictionaryObject) else None
            if isinstance(kids, generic.IndirectObject | generic.Reference):
                kids = kids.get_object()
            if not isinstance(kids, generic.ArrayObject) or child not in {_ref_key(k) for k in kids}:
                return False
            if parent_key == root_key:
                return True
            child, node = parent_key, parent
        return False

    def _annots_arrays(self, pages_root: Any) -> dict[tuple[int, int], tuple[int, int]]:
        """Indirect /Annots arrays of the older revision's pages → their page."""
        arrays = {}
        for page_key in self._page_refs(pages_root):
            annots_key = _ref_key(_raw(self.old_object(page_key), "/Annots"))
            if annots_key:
                arrays[annots_key] = page_key
        return arrays

    def _page_refs(self, pages_root: Any) -> set[tuple[int, int]]:
        refs: set[tuple[int, int]] = set()
        stack = [pages_root]
        while stack and len(refs) < 100_000:
            ref = stack.pop()
            key = _ref_key(ref)
            if key is None or key in refs:
                continue
            node = ref.get_object()
            if "/Kids" in node:
                refs.add(key)  # intermediate nodes too: they may not change either (not allowed below)
                stack.extend(node.raw_get("/Kids"))
            else:
                refs.add(key)
        # intermediate /Pages nodes are not allowed to change: keep only leaf pages
        return {k for k in refs if "/Kids" not in self.old_object(k)}

    def _older_uses_object_streams(self) -> bool:
        return any(self.xrefs.object_streams_used_in(r) for r in range(self.revision))

    def _no_dangling_refs(self) -> bool:
        """No object this revision creates was already referenced by the older bytes (the older
        revision has no object streams, so every reference in it is visible in its bytes)."""
        if not self.created:
            return True
        end = self.xrefs.get_startxref_for_revision(self.revision - 1)
        older = self.data[:end]
        # longest numbers first, so "123" is tried before "12" at the same position
        numbers = "|".join(str(idnum) for idnum in sorted({i for i, _ in self.created}, key=lambda i: -len(str(i))))
        # "not preceded by a digit" is checked by hand: a leading look-behind makes the regex
        # engine try every byte of the file (~30x slower on a 100 KB PDF)
        pattern = re.compile(rb"(?:" + numbers.encode() + rb")\s+\d+\s+R(?![A-Za-z])")
        return not any(m.start() == 0 or older[m.start() - 1] not in _DIGITS for m in pattern.finditer(older))


def only_signatures_after(reader, signed_revision: int, data: bytes) -> bool:
    """True when every revision after ``signed_revision`` only adds signatures (see the module
    docstring). Never raises: anything unexpected means "use pyHanko's full analysis"."""
    try:
        total = reader.xrefs.total_revisions
        for revision in range(signed_revision + 1, total):
            if not _Increment(reader, revision, data).check():
                return False
        return True
    except Exception:  # noqa: BLE001
        return False


def page_content_changed_after(reader, signed_revision: int) -> bool:
    """True when some revision after ``signed_revision`` changes the ``/Contents`` entry of a page
    that the signed revision already had (a leaf of the previous revision's page tree, and an
    object the signed revision introduced or inherited). No rule of pyHanko's difference policy
    allows a change to a page's content — it classifies such a revision as OTHER — so the caller
    may report the illegal modification without running the whole analysis. Never raises:
    anything unexpected means "ask pyHanko"."""
    try:
        xrefs = reader.xrefs
        for revision in range(signed_revision + 1, xrefs.total_revisions):
            if xrefs.refs_freed_in_revision(revision) or xrefs.hybrid_xrefs_present:
                return False
            increment = _Increment(reader, revision, b"")
            pages_root = _raw(increment.old.root, "/Pages")
            for key in increment.modified:
                ref = generic.Reference(*key)
                if xrefs.get_introducing_revision(ref) > signed_revision:
                    continue
                if not increment._is_leaf_page(key, pages_root):
                    continue
                old, new = increment.old_object(key), increment.new_object(key)
                if isinstance(new, generic.DictionaryObject) and _raw(old, "/Contents") != _raw(new, "/Contents"):
                    return True
        return False
    except Exception:  # noqa: BLE001
        return False
