"""docaudit's own classification of the revisions after a signature, object by object (issue 17,
item 1).

pyHanko's difference policy rejects some later revisions that PAdES allows and EU DSS accepts: a
dangling reference of the signed revision (LibreOffice's trailer ``/AdditionalStreams`` names the
next free object number) that a later revision fills with its DSS; a filled-in text field whose
widget is a kid of the field (pyHanko looks for the new appearance on the field, not on its
widget); a new visible signature after a certification signature ("stricter than Acrobat", in
pyHanko's own words). Where pyHanko rejects a later revision, or its analysis raises, the
validator asks :func:`classify` instead, and its answer, not pyHanko's, decides.

:func:`classify` reviews each revision after the signed one against the signed revision (as
pyHanko does: an intermediate revision's objects are judged even when a later one forgets them).
What each object *was* in the signed document — its role — comes from one walk of the signed
revision from its trailer (:class:`_Roles`): the catalog, the page tree, a page, its content, its
resources, its annotations and their appearances, the form, each field, its widgets and value,
the DSS, the metadata, the structure tree, the trailer's private keys … An object can have
several roles (an appearance stream that is also a page's XObject); each is judged and the worst
counts. Then, per object a later revision writes:

* an object the signed revision did not have is judged where it is hooked in — by the existing
  object that now points to it (a page's ``/Annots`` gaining a new signature's widget, the catalog
  gaining ``/DSS``) — and, if the signed revision already pointed at its number (a *dangling*
  reference), by where it pointed from: only the trailer's private keys, which no viewer reads,
  may be filled in later;
* an object the signed revision had is compared with its old value, and the change judged by its
  roles, key by key (:data:`TABLE`, and the README's table, give the reasoning row by row);
* an object the signed revision used that is freed, or an object stream it read objects from
  that is written again, is illegal.

Each change is ``allowed`` (at a pyHanko modification level: LTA updates, form filling or
annotations, which a certification signature's DocMDP level then bounds), ``suspicious`` (allowed
for an approval signature, named in the report; illegal under a certification, which allows no
"other" change) or ``illegal``. Anything the walk or the comparison cannot read makes the answer
``None`` — no classification — and the caller keeps pyHanko's verdict (or, when pyHanko raised,
calls the signature indeterminate): this module can only turn a rejection into an acceptance with
positive evidence for every object, and the validator still requires the visual comparison
(:mod:`.visual`) to find nothing before it accepts. Never raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Literal

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import Reference
from pyhanko.sign.diff_analysis import ModificationLevel

__all__ = ["Change", "Classification", "TABLE", "classify", "changed_field_values"]

Judgement = Literal["allowed", "suspicious", "illegal"]
Key = tuple[int, int]

LTA, FILL, ANNOT = ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING, ModificationLevel.ANNOTATIONS

# What each kind of later change is, and why (the README's table is this one).
TABLE: tuple[tuple[str, str, str], ...] = (
    ("DSS / VRI (the catalog's /DSS and what only it reaches)", "allowed (LTA updates)",
     "validation material for the signatures (PAdES-LT/LTA, ETSI EN 319 142-1 5.4); nothing a page shows"),
    ("document timestamp (a new invisible signature field whose value is a /DocTimeStamp or ETSI.RFC3161)",
     "allowed (LTA updates)", "PAdES-LTA: proves when the file existed; draws nothing"),
    ("new signature field and its widget (/Fields and a page's /Annots gain it; its value, appearance, lock)",
     "allowed (form filling; an invisible one: LTA updates)",
     "PAdES and DocMDP P=2 allow signing; the visual comparison checks what its widget draws"),
    ("an empty signature field signed", "allowed (form filling)", "as above; a signature field already signed, "
     "or its signature dictionary, changed: illegal"),
    ("comments and stamps (new markup annotations without actions, appended to /Annots)",
     "allowed (annotations)", "DocMDP P=3 and approval signatures allow them; the visual comparison checks "
     "they cover nothing signed; a link, a file, an annotation with an action: illegal"),
    ("an annotation of the signed revision changed, moved or removed", "illegal", "it was signed"),
    ("form field value filled (a field empty when signed), with its widget's appearance, /DA, /AS",
     "allowed (form filling)", "DocMDP P=2 allows filling forms; a field locked by the signature's FieldMDP: "
     "illegal; the visual comparison checks the new appearance stays inside the widget"),
    ("form field value changed (a value the signer saw)", "illegal", "a changed signed field value"),
    ("a new field that is not a signature field", "illegal", "P=2 allows filling fields, not adding them"),
    ("the form's default resources (/DR: fonts and encodings added, other entries), /DA or /Q added, /SigFlags",
     "allowed (form filling)", "what a viewer draws a new value with; a /DR font or encoding replaced, the "
     "form's /DA or /Q changed: illegal (a field without an appearance of its own would be drawn otherwise)"),
    ("the form's /NeedAppearances switched", "suspicious", "viewers then redraw every field; the visual "
     "comparison renders every page"),
    ("page content stream", "illegal", "the signed drawing itself"),
    ("page tree (/Kids, /Count, a page added, removed or moved) and a page's own keys (boxes, rotation, "
     "resources, actions)", "illegal", "changes which pages the document has or how they look"),
    ("resources (fonts, images, XObjects a page or an appearance draws with)", "illegal",
     "changes how signed content is drawn"),
    ("a page's /Tabs, /StructParents, /PieceInfo, /LastModified", "allowed (form filling)",
     "tab order, tagging and private data: never drawn"),
    ("catalog: /AcroForm, /DSS, /Metadata, /Extensions, /Version, /StructTreeRoot, /MarkInfo, /Lang",
     "allowed (as the rows above; metadata and extensions: LTA updates)", "none of them is drawn"),
    ("catalog: /Names /AP (annotation appearances)", "allowed (annotations)", "Acrobat's stamp icons"),
    ("catalog: /PageMode, /PageLayout, /ViewerPreferences, /PageLabels",
     "suspicious", "how the file opens and its pages are labelled, not what a page shows"),
    ("catalog: anything else (/OpenAction, /AA, /Outlines, /Names /JavaScript or /EmbeddedFiles, /Perms, "
     "/OCProperties, /Pages …)", "illegal", "actions (an outline item may carry one), attachments, permissions, "
     "layers or pages"),
    ("metadata (/Info, XMP)", "allowed (LTA updates)", "never drawn"),
    ("structure tree (/StructTreeRoot and below)", "allowed (form filling)",
     "accessibility and reading order; an object a page or an annotation also uses is judged by that use"),
    ("the trailer's private keys (LibreOffice's /AdditionalStreams, /DocChecksum), and a reference of the "
     "signed revision's trailer to an object defined later", "allowed (LTA updates)", "no viewer reads them"),
    ("a reference the signed revision left dangling anywhere else, defined later", "illegal",
     "it changes what signed content points at"),
    ("an object the signed revision used, freed; an object stream it read, written again", "illegal",
     "signed objects replaced without being listed"),
    ("anything else", "illegal", "what is not named here is not allowed"),
)

# how a role is named in a report
_ROLE_NAMES = {
    "other": "reached from the catalog by a key PAdES does not name", "actions": "an action",
    "perms": "the permissions (/Perms)", "optional_content": "optional content (layers)",
    "names_other": "a name tree other than /AP", "sig_value": "a signature dictionary",
    "sig_settings": "a signature field's lock or seed values", "field_value": "a form field's value",
    "encryption": "the encryption dictionary",
}
_LEVELS = (ModificationLevel.NONE, LTA, FILL, ANNOT)
_DOCMDP_LIMIT = {1: LTA, 2: FILL, 3: ANNOT}

# ISO 32000-2 12.5.6.2: markup annotations (comments) and their pop-ups
MARKUP = frozenset({"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
                    "/Underline", "/Squiggly", "/StrikeOut", "/Caret", "/Ink", "/Stamp", "/Popup"})
# a widget's keys a value update may change (pyHanko's VALUE_UPDATE_KEYS)
_VALUE_KEYS = frozenset({"/AP", "/AS", "/V", "/F", "/DA", "/Q", "/Ff", "/Type"})
_ALWAYS = frozenset({"/Ff", "/Type"})  # Acrobat sets these liberally
_TRAILER_STANDARD = frozenset({"/Size", "/Prev", "/Root", "/Encrypt", "/Info", "/ID", "/XRefStm", "/Type", "/W",
                               "/Index", "/Length", "/Filter", "/DecodeParms"})
_CATALOG = {
    "/AcroForm": "acroform", "/DSS": "dss", "/Metadata": "metadata", "/Extensions": "extensions",
    "/Version": "extensions", "/StructTreeRoot": "structure", "/MarkInfo": "structure", "/Lang": "structure",
    "/Names": "names", "/Pages": "page_tree", "/Type": "catalog",
    "/PageMode": "navigation", "/PageLayout": "navigation", "/ViewerPreferences": "navigation",
    "/PageLabels": "navigation",
}
_PAGE_FREE = {"/Tabs": FILL, "/StructParents": FILL, "/PieceInfo": FILL, "/LastModified": FILL}
# keys that point back at what is reached another way (walked only where said)
_BACK = frozenset({"/Parent", "/P", "/IRT", "/Pg", "/StmOwn"})


@dataclass(frozen=True)
class Change:
    revision: int
    obj: Key | None
    kind: str
    judgement: Judgement
    why: str
    level: ModificationLevel = ModificationLevel.NONE

    def __str__(self) -> str:
        where = f"object {self.obj[0]}" if self.obj else "the trailer"
        return f"revision {self.revision}, {where}: {self.why}"


@dataclass(frozen=True)
class Classification:
    """What the revisions after a signature did. ``illegal``/``suspicious``: the changes so judged;
    ``level``: the highest modification level of the allowed ones (pyHanko's scale)."""

    level: ModificationLevel
    illegal: tuple[Change, ...] = ()
    suspicious: tuple[Change, ...] = ()
    revisions: int = 0

    @property
    def allowed(self) -> bool:
        return not self.illegal

    def describe(self) -> str:
        changes = self.illegal or self.suspicious
        shown = "; ".join(str(c) for c in changes[:3])
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        return f"{shown}{more}"


class _Unreadable(Exception):
    """Something the classification needs cannot be read: no answer."""


# --------------------------------------------------------------------------- values


def _key(value: Any) -> Key | None:
    if isinstance(value, generic.IndirectObject):
        return (value.idnum, value.generation)
    if isinstance(value, Reference):
        return (value.idnum, value.generation)
    return None


def _raw(container: Any, name: str) -> Any:
    if not isinstance(container, generic.DictionaryObject) or name not in container:
        return None
    return container.raw_get(name)


def _deref(value: Any) -> Any:
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def _equal(a: Any, b: Any, depth: int = 0) -> bool:
    """Equal as written: references by number, streams by their encoded bytes too."""
    if depth > 64:
        raise _Unreadable("nesting too deep")
    if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
        return _key(a) is not None and _key(a) == _key(b)
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        if not (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)):
            return False
        return a.encoded_data == b.encoded_data and _equal_dict(a, b, depth)
    if isinstance(a, generic.DictionaryObject) or isinstance(b, generic.DictionaryObject):
        return isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject) \
            and _equal_dict(a, b, depth)
    if isinstance(a, generic.ArrayObject) or isinstance(b, generic.ArrayObject):
        return (isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject) and len(a) == len(b)
                and all(_equal(x, y, depth + 1) for x, y in zip(a, b)))
    return type(a) is type(b) and a == b


def _equal_dict(a: Any, b: Any, depth: int) -> bool:
    if set(a.keys()) != set(b.keys()):
        return False
    return all(_equal(a.raw_get(k), b.raw_get(k), depth + 1) for k in a.keys())


def _changed_keys(old: Any, new: Any) -> set[str]:
    keys = set(old.keys()) | set(new.keys())
    return {k for k in keys if k not in old or k not in new or not _equal(old.raw_get(k), new.raw_get(k))}


def _items(value: Any) -> list[Any]:
    value = _deref(value)
    return list(value) if isinstance(value, generic.ArrayObject) else []


def _empty_value(value: Any) -> bool:
    """A field value that shows nothing: absent, null, an empty string or array, /Off."""
    value = _deref(value)
    if value is None or isinstance(value, generic.NullObject):
        return True
    if isinstance(value, (generic.TextStringObject, generic.ByteStringObject)):
        return len(str(value) if isinstance(value, generic.TextStringObject) else bytes(value)) == 0
    if isinstance(value, generic.NameObject):
        return value == "/Off"
    if isinstance(value, generic.ArrayObject):
        return len(value) == 0
    return False


def _subsequence(old: list[Key | None], new: list[Key | None]) -> bool:
    """Every old item kept, in its order (new ones may stand anywhere)."""
    position = 0
    for item in new:
        if position < len(old) and item == old[position]:
            position += 1
    return position == len(old)


# --------------------------------------------------------------------------- roles in the signed revision


@dataclass
class _Roles:
    """What each object is in one revision: object → {(role, owner)}; references to numbers the
    revision does not define → the roles they were found in."""

    roles: dict[Key, set[tuple[str, Key | None]]] = field(default_factory=dict)
    dangling: dict[Key, set[str]] = field(default_factory=dict)


def _walk(resolver: Any, defined: Any, budget: int) -> _Roles:
    out = _Roles()
    seen: set[tuple[Key, str, Key | None]] = set()
    stack: list[tuple[Any, str, Key | None]] = []
    trailer = resolver.trailer_view
    for name in trailer.keys():
        if name == "/Root":
            stack.append((trailer.raw_get(name), "catalog", None))
        elif name == "/Encrypt":
            stack.append((trailer.raw_get(name), "encryption", None))
        elif name == "/Info":
            stack.append((trailer.raw_get(name), "metadata", None))
        elif name not in _TRAILER_STANDARD:
            stack.append((trailer.raw_get(name), "private", None))
    steps = 0
    while stack:
        value, role, owner = stack.pop()
        steps += 1
        if steps > budget:
            raise _Unreadable("too many objects to classify")
        key = _key(value)
        if key is not None:
            if not defined(key):
                out.dangling.setdefault(key, set()).add(role)
                continue
            if (key, role, owner) in seen:
                continue
            seen.add((key, role, owner))
            value = resolver.get_object(Reference(*key))
            if _elsewhere(role, value):
                continue
            role, owner = _refine(role, owner, key, value)
            out.roles.setdefault(key, set()).add((role, owner))
        stack.extend(_children(value, role, owner, key))
    return out


_HOME = {"page": frozenset({"page_tree"}),
         "annotation": frozenset({"annotation", "annots", "widget", "field", "fields"})}


def _nature(value: Any) -> str | None:
    """``page``, ``annotation`` (an annotation, a widget or a form field), or ``None``."""
    if not isinstance(value, generic.DictionaryObject):
        return None
    if _raw(value, "/Type") == "/Page":
        return "page"
    if _raw(value, "/Subtype") == "/Widget" or "/FT" in value or (
            "/Rect" in value and "/Subtype" in value and not isinstance(value, generic.StreamObject)):
        return "annotation"
    return None


def _elsewhere(role: str, value: Any) -> bool:
    """A page, an annotation or a form field reached as a link from somewhere else (a
    destination, an action's field list, a struct element): it is walked from its own place (the
    page tree, a page's /Annots, the form), and only from there — a page an /OpenAction names is
    not part of the action."""
    nature = _nature(value)
    return nature is not None and role not in _HOME[nature]


def _refine(role: str, owner: Key | None, key: Key, value: Any) -> tuple[str, Key | None]:
    """The role of an object once it is read (a page tree node or a page, an annotation or a
    widget, a field or a widget merged with its field)."""
    if role == "page_tree" and isinstance(value, generic.DictionaryObject):
        if _raw(value, "/Type") == "/Page" or "/Kids" not in value:
            return "page", key
        return "page_tree", None
    if role == "annotation" and isinstance(value, generic.DictionaryObject):
        if _raw(value, "/Subtype") == "/Widget":
            return "widget", key
        return "annotation", key
    if role == "field":
        if isinstance(value, generic.DictionaryObject) and _raw(value, "/Subtype") == "/Widget" \
                and "/T" not in value and "/FT" not in value:
            return "widget", owner  # a widget kid of a field: owned by the field
        return "field", key
    return role, owner


def _children(value: Any, role: str, owner: Key | None, key: Key | None) -> Iterable[tuple[Any, str, Key | None]]:
    if isinstance(value, generic.ArrayObject):
        child = {"annots": "annotation", "fields": "field"}.get(role, role)
        for item in value:
            yield item, child, owner
        return
    if not isinstance(value, generic.DictionaryObject):
        return
    for name in value.keys():
        item = value.raw_get(name)
        if not isinstance(item, (generic.IndirectObject, generic.DictionaryObject, generic.ArrayObject)):
            continue
        child = _child_role(role, name, value)
        if child is None:
            continue
        entering = (child != role and child in ("appearance", "field_value", "sig_value", "annots")) or (
            role == "field" and child == "field")  # a field's kids: their owner is the field
        yield item, child, ((key if key is not None else owner) if entering else owner)


def _child_role(role: str, name: str, value: Any) -> str | None:
    if role == "catalog":
        return _CATALOG.get(name, {"/OpenAction": "actions", "/AA": "actions", "/Perms": "perms",
                                   "/OCProperties": "optional_content"}.get(name, "other"))
    if role == "page_tree":
        if name == "/Kids":
            return "page_tree"
        if name == "/Parent":
            return None
        return "resources" if name == "/Resources" else "page_tree"
    if role == "page":
        return {"/Contents": "content", "/Resources": "resources", "/Group": "resources", "/Annots": "annots",
                "/Metadata": "metadata", "/PieceInfo": "metadata", "/AA": "actions", "/B": "navigation",
                "/Parent": None}.get(name, "page")
    if role in ("annotation", "widget"):
        if name in ("/AP", "/MK"):
            return "appearance"
        if name in ("/A", "/AA"):
            return "actions"
        if name == "/Popup":
            return "annotation"
        if name == "/Parent" and role == "widget":
            return "field"
        if name in _BACK:
            return None
        if role == "widget" and name in ("/V", "/DV"):
            return "sig_value" if _raw(value, "/FT") == "/Sig" else "field_value"
        if role == "widget" and name in ("/Lock", "/SV"):
            return "sig_settings"
        if role == "widget" and name == "/Kids":
            return "field"
        return role
    if role == "field":
        if name == "/Kids":
            return "field"
        if name in ("/V", "/DV"):
            return "sig_value" if _field_type(value) == "/Sig" else "field_value"
        if name in ("/AP", "/MK"):
            return "appearance"
        if name in ("/Lock", "/SV"):
            return "sig_settings"
        if name in ("/A", "/AA"):
            return "actions"
        if name in _BACK:
            return None
        return "field"
    if role == "acroform":
        if name == "/CO":
            return None  # the calculation order lists fields the form already lists
        return {"/Fields": "fields", "/DR": "form_resources"}.get(name, "other")
    if role == "sig_value" and name == "/Data":
        return None  # a signature reference's /Data: the document it signs
    if role == "names":
        return "names_ap" if name == "/AP" else ("navigation" if name == "/Dests" else "names_other")
    if role == "structure":
        return None if name in _BACK or name == "/Obj" else "structure"
    if role in ("appearance", "resources", "form_resources", "content"):
        return None if name == "/Parent" else role
    return role


def _field_type(field_dict: Any, depth: int = 0) -> str | None:
    node = field_dict
    while isinstance(node, generic.DictionaryObject) and depth < 32:
        if "/FT" in node:
            return str(node.raw_get("/FT"))
        node, depth = _deref(_raw(node, "/Parent")), depth + 1
    return None


def _field_name(field_dict: Any) -> str | None:
    parts: list[str] = []
    node, depth = field_dict, 0
    while isinstance(node, generic.DictionaryObject) and depth < 32:
        if "/T" in node:
            parts.append(str(_deref(node.raw_get("/T"))))
        node, depth = _deref(_raw(node, "/Parent")), depth + 1
    return ".".join(reversed(parts)) if parts else None


# --------------------------------------------------------------------------- one later revision


class _Review:
    """The signed revision (``old``) against one later revision (``new``)."""

    def __init__(self, reader: Any, signed: int, revision: int, roles: _Roles, fieldmdp: Any) -> None:
        self.reader, self.signed, self.revision = reader, signed, revision
        self.xrefs = reader.xrefs
        self.old = reader.get_historical_resolver(signed)
        self.new = reader.get_historical_resolver(revision)
        self.roles, self.fieldmdp = roles, fieldmdp
        self.changes: list[Change] = []
        self._form_fields: set[Key] | None = None
        self._kids: dict[Key, Key] | None = None

    # ------------------------------------------------------------------ helpers

    def existed(self, key: Key) -> bool:
        return self.xrefs.get_historical_ref(Reference(*key), self.signed) is not None

    def old_object(self, key: Key) -> Any:
        return self.old.get_object(Reference(*key))

    def new_object(self, key: Key) -> Any:
        return self.new.get_object(Reference(*key))

    def note(self, key: Key | None, kind: str, judgement: Judgement, why: str,
             level: ModificationLevel = ModificationLevel.NONE) -> None:
        self.changes.append(Change(self.revision, key, kind, judgement, why, level))

    def allow(self, key: Key | None, kind: str, level: ModificationLevel, why: str) -> None:
        self.note(key, kind, "allowed", why, level)

    def illegal(self, key: Key | None, kind: str, why: str) -> None:
        self.note(key, kind, "illegal", why)

    def filled(self, field_key: Key | None) -> str | None:
        """How the field ``field_key`` changed value since the signed revision: ``filled`` (empty
        then), ``signed`` (a signature field without a value then), ``changed``, or ``None``."""
        if field_key is None or not self.existed(field_key):
            return None
        old, new = self.old_object(field_key), self.new_object(field_key)
        if not isinstance(old, generic.DictionaryObject) or not isinstance(new, generic.DictionaryObject):
            return None
        old_value, new_value = _raw(old, "/V"), _raw(new, "/V")
        if _equal(old_value, new_value):
            return None
        if _field_type(new) == "/Sig":
            return "signed" if old_value is None or isinstance(old_value, generic.NullObject) else "changed"
        return "filled" if _empty_value(old_value) else "changed"

    def field_of(self, key: Key, widget: Any) -> Key | None:
        """The field a widget of the signed revision belongs to: the field whose /Kids list it
        (the walk), else its /Parent."""
        for role, owner in self.roles.roles.get(key, ()):
            if role == "widget" and owner is not None and owner != key:
                return owner
        return _key(_raw(widget, "/Parent")) if isinstance(widget, generic.DictionaryObject) else None

    def new_field_of(self, key: Key, widget: Any) -> tuple[Key | None, Any]:
        """The field a new widget belongs to in the later revision: itself when merged, the field
        whose /Kids list it, else its /Parent."""
        if "/FT" in widget or "/T" in widget:
            return key, widget
        if self._kids is None:
            self._kids = {}
            for item in _fields_by_name(self.new.root, keys=True).values():
                parent = _key(item)
                for kid in _items(_raw(_deref(item), "/Kids")):
                    if _key(kid) is not None and parent is not None:
                        self._kids.setdefault(_key(kid), parent)
        parent = self._kids.get(key) or _key(_raw(widget, "/Parent"))
        return parent, (self.new_object(parent) if parent is not None else None)

    def form_fields(self) -> set[Key]:
        """The fields (and widgets) the later revision's form lists."""
        if self._form_fields is None:
            self._form_fields = {key for key in (_key(v) for v in _fields_by_name(self.new.root, keys=True).values())
                                 if key is not None}
        return self._form_fields

    # ------------------------------------------------------------------ the revision

    def run(self) -> list[Change]:
        xrefs = self.xrefs
        self._trailer()
        used_streams = set()
        for revision in range(self.signed + 1):
            used_streams |= {(r.idnum, r.generation) for r in xrefs.object_streams_used_in(revision)}
        for ref in sorted(xrefs.refs_freed_in_revision(self.revision), key=lambda r: (r.idnum, r.generation)):
            key = (ref.idnum, ref.generation)
            if key in self.roles.roles:
                self.illegal(key, "other", "an object of the signed revision freed")
        for ref in sorted(xrefs.explicit_refs_in_revision(self.revision), key=lambda r: (r.idnum, r.generation)):
            key = (ref.idnum, ref.generation)
            if key in used_streams:
                self.illegal(key, "other", "an object stream the signed revision read objects from, written again")
            elif not self.existed(key):
                self._new_object(key)
            else:
                self._existing_object(key)
        return self.changes

    def _trailer(self) -> None:
        old, new = self.old.trailer_view, self.new.trailer_view
        for name in ("/Root", "/Encrypt"):
            if not _equal(_raw(old, name), _raw(new, name)):
                self.illegal(None, "catalog", f"the trailer's {name} changed")
        if not _equal(_raw(old, "/Info"), _raw(new, "/Info")):
            self.allow(None, "metadata", LTA, "the document information dictionary replaced")
        private = {k for k in _changed_keys(old, new) if k not in _TRAILER_STANDARD}
        if private:
            self.allow(None, "private", LTA, f"the trailer's private keys ({', '.join(sorted(private))})")

    def _new_object(self, key: Key) -> None:
        """An object the signed revision did not define: judged where it is hooked in, and here
        only if the signed revision already pointed at its number."""
        pointed = self.roles.dangling.get(key)
        if not pointed:
            return
        if pointed <= {"private"}:
            self.allow(key, "private", LTA, "an object the signed revision's trailer pointed at (a private key), "
                                            "defined later")
        else:
            where = ", ".join(sorted(pointed))
            self.illegal(key, "other", f"the signed revision pointed at this object number ({where}) before it "
                                       "existed; a later revision defines it")

    def _existing_object(self, key: Key) -> None:
        old, new = self.old_object(key), self.new_object(key)
        if _equal(old, new):
            return  # written again unchanged
        roles = self.roles.roles.get(key)
        if not roles:
            return  # the signed revision did not use it: whatever uses it now is judged there
        for role, owner in sorted(roles, key=lambda item: (item[0], item[1] or (-1, -1))):
            judge = getattr(self, f"_judge_{role}", None)
            if judge is None:
                self.illegal(key, role, f"an object of the signed revision changed ({_ROLE_NAMES.get(role, role)})")
            else:
                judge(key, owner, old, new)

    # ------------------------------------------------------------------ judgements by role

    def _judge_catalog(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        if not isinstance(new, generic.DictionaryObject) or not isinstance(old, generic.DictionaryObject):
            self.illegal(key, "catalog", "the catalog is no longer a dictionary")
            return
        for name in sorted(_changed_keys(old, new)):
            kind = _CATALOG.get(name)
            if name == "/AcroForm":
                self._acroform_entry(key, _raw(old, name), _raw(new, name))
            elif name == "/Names":
                self._names(key, _deref(_raw(old, name)), _deref(_raw(new, name)))
            elif kind in ("dss", "extensions"):
                self.allow(key, kind, LTA, f"the catalog's {name}")
            elif kind == "metadata":
                self.allow(key, kind, LTA, "the catalog's /Metadata")
            elif kind == "structure":
                self.allow(key, kind, FILL, f"the catalog's {name} (tagging)")
            elif kind == "navigation":
                self.note(key, kind, "suspicious", f"the catalog's {name} (how the file opens or is navigated)")
            else:
                self.illegal(key, "catalog", f"the catalog's {name} changed")

    def _names(self, key: Key, old: Any, new: Any) -> None:
        old = old if isinstance(old, generic.DictionaryObject) else generic.DictionaryObject()
        if not isinstance(new, generic.DictionaryObject):
            self.illegal(key, "catalog", "the catalog's /Names removed")
            return
        for name in sorted(_changed_keys(old, new)):
            if name == "/AP":
                self.allow(key, "annotation", ANNOT, "annotation appearances in /Names /AP")
            else:
                self.illegal(key, "catalog", f"the name tree {name} changed")

    def _judge_names(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self._names(key, old, new)

    def _judge_names_ap(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.allow(key, "annotation", ANNOT, "annotation appearances in /Names /AP")

    def _judge_dss(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.allow(key, "dss", LTA, "DSS / VRI")

    def _judge_metadata(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.allow(key, "metadata", LTA, "metadata")

    def _judge_extensions(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.allow(key, "extensions", LTA, "developer extensions")

    def _judge_private(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.allow(key, "private", LTA, "an object only the trailer's private keys reach")

    def _judge_structure(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.allow(key, "structure", FILL, "the structure tree (tagging)")

    def _judge_navigation(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.note(key, "navigation", "suspicious", "outlines, page labels or viewer preferences")

    # the form

    def _acroform_entry(self, key: Key, old_value: Any, new_value: Any) -> None:
        """The catalog's /AcroForm entry changed: a direct dictionary, or another object."""
        if new_value is None:
            self.illegal(key, "form", "the form removed")
            return
        old_form = _deref(old_value) if old_value is not None else generic.DictionaryObject()
        new_key = _key(new_value)
        if new_key is not None and old_value is not None and _key(old_value) == new_key:
            return  # the same object: judged as its own change
        if new_key is not None and self.existed(new_key) and new_key not in self.roles.roles:
            self.illegal(key, "form", "the form is now an object of the signed revision that was not its form")
            return
        self._judge_acroform(key, None, old_form, _deref(new_value))

    def _judge_acroform(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        if not isinstance(new, generic.DictionaryObject) or not isinstance(old, generic.DictionaryObject):
            self.illegal(key, "form", "the form is no longer a dictionary")
            return
        for name in sorted(_changed_keys(old, new)):
            if name == "/Fields":
                self._fields(key, _items(_raw(old, name)), _items(_raw(new, name)))
            elif name == "/DR":
                self._default_resources(key, _deref(_raw(old, name)), _deref(_raw(new, name)))
            elif name in ("/DA", "/Q"):
                if name in old:
                    self.illegal(key, "form", f"the form's {name} changed (fields without an appearance of their "
                                              "own are drawn with it)")
                else:
                    self.allow(key, "form", FILL, f"the form's {name} added")
            elif name == "/SigFlags":
                self.allow(key, "form", LTA, "the form's /SigFlags")
            elif name == "/NeedAppearances":
                self.note(key, "form", "suspicious", "the form's /NeedAppearances switched (viewers redraw fields)")
            else:
                self.illegal(key, "form", f"the form's {name} changed")

    def _judge_fields(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self._fields(key, _items(old), _items(new))

    def _fields(self, key: Key, old: list[Any], new: list[Any]) -> None:
        old_keys, new_keys = [_key(i) for i in old], [_key(i) for i in new]
        if None in new_keys or None in old_keys:
            self.illegal(key, "form", "a form field written directly in /Fields")
            return
        if not _subsequence(old_keys, new_keys):
            self.illegal(key, "form", "a form field removed or moved")
            return
        added = list(new_keys)
        for item in old_keys:
            added.remove(item)
        for item in added:
            self._new_field(key, item)

    def _new_field(self, key: Key, field_key: Key | None) -> None:
        if field_key is None or self.existed(field_key):
            self.illegal(key, "form", "a field added to /Fields is an object of the signed revision")
            return
        field_dict = self.new_object(field_key)
        if _field_type(field_dict) != "/Sig":
            self.illegal(field_key, "form", f"a new form field that is not a signature field "
                                            f"({_field_name(field_dict) or '?'})")
            return
        value = _raw(field_dict, "/V")
        if value is not None and not isinstance(value, generic.NullObject):
            value_key = _key(value)
            if value_key is None or self.existed(value_key):
                self.illegal(field_key, "signature", "a new signature field whose value is not a new object")
                return
        self.allow(field_key, "signature", self._signature_level(field_dict), "a new signature field")

    def _signature_level(self, field_dict: Any) -> ModificationLevel:
        """LTA updates for an invisible signature field (a document timestamp, an invisible
        signature), form filling for a visible one."""
        widgets = [field_dict] if "/Rect" in field_dict else [_deref(k) for k in _items(_raw(field_dict, "/Kids"))]
        return FILL if any(_visible(w) for w in widgets) else LTA

    def _default_resources(self, key: Key, old: Any, new: Any) -> None:
        """The form's /DR: what a viewer draws a value with when it makes the appearance itself.
        Fonts and encodings may be added (a new value's appearance needs them), not replaced —
        a field without an appearance of its own would be drawn with other glyphs; the rest
        (XObjects Acrobat keeps there) no field draws with."""
        old = old if isinstance(old, generic.DictionaryObject) else generic.DictionaryObject()
        if not isinstance(new, generic.DictionaryObject) or isinstance(new, generic.StreamObject):
            self.illegal(key, "form", "the form's /DR replaced by something else than a dictionary")
            return
        for category in ("/Font", "/Encoding"):
            before, after = _deref(_raw(old, category)), _deref(_raw(new, category))
            if not isinstance(before, generic.DictionaryObject):
                continue
            if not isinstance(after, generic.DictionaryObject):
                self.illegal(key, "form", f"the form's /DR {category} removed")
                return
            for name in before.keys():
                if name not in after or not _equal(before.raw_get(name), after.raw_get(name)):
                    self.illegal(key, "form", f"the form's /DR {category} {name} replaced or removed")
                    return
        self.allow(key, "form", FILL, "the form's default resources (/DR): entries added")

    def _judge_form_resources(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        """An object reached from the form's /DR, rewritten in place: the /DR dictionary (or its
        font map) may gain entries; a font, an encoding or a stream may not change."""
        if isinstance(new, generic.StreamObject) or isinstance(old, generic.StreamObject) or \
                _raw(old, "/Type") in ("/Font", "/FontDescriptor", "/Encoding"):
            self.illegal(key, "form", "a font or resource of the form's /DR changed in place")
        elif isinstance(old, generic.DictionaryObject) and ("/Font" in old or "/Encoding" in old or "/Font" in new):
            self._default_resources(key, old, new)
        elif isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject):
            # a font map (/DR /Font written as its own object): names may be added, not remapped
            if all(name in new and _equal(old.raw_get(name), new.raw_get(name)) for name in old.keys()):
                self.allow(key, "form", FILL, "the form's default resources (/DR): entries added")
            else:
                self.illegal(key, "form", "the form's /DR: an entry replaced or removed")
        else:
            self.illegal(key, "form", "a resource of the form's /DR changed")

    def _locked(self, field_dict: Any) -> bool:
        name = _field_name(field_dict)
        try:
            return bool(self.fieldmdp is not None and name is not None and self.fieldmdp.is_locked(name))
        except Exception:  # noqa: BLE001 — a lock that cannot be read locks
            return True

    def _judge_field(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        if not isinstance(new, generic.DictionaryObject) or not isinstance(old, generic.DictionaryObject):
            self.illegal(key, "form", "a form field is no longer a dictionary")
            return
        changed = _changed_keys(old, new)
        is_widget = _raw(new, "/Subtype") == "/Widget"
        signature = _field_type(new) == "/Sig"
        how = self.filled(key) if "/V" in changed else None
        name = _field_name(new) or "?"
        if changed - _VALUE_KEYS:
            self.illegal(key, "form", f"the form field {name}: {', '.join(sorted(changed - _VALUE_KEYS))} changed")
            return
        shared = self._shared_appearance(key, _raw(old, "/AP")) if "/AP" in changed else None
        if shared:
            self.illegal(key, "appearance", f"the appearance of the form field {name} replaced, while {shared}")
            return
        if how == "changed":
            what = "signature" if signature else "value"
            self.illegal(key, "form", f"the {what} of the form field {name} changed after signing")
            return
        if how is not None and self._locked(new):
            self.illegal(key, "form", f"the form field {name} is locked by the signature (FieldMDP)")
            return
        if how == "signed":
            value_key = _key(_raw(new, "/V"))
            if value_key is None or self.existed(value_key):
                self.illegal(key, "signature", f"the signature field {name} signed with an object of the signed revision")
                return
            self.allow(key, "signature", self._signature_level(new), f"the signature field {name} signed")
            return
        if how == "filled":
            self.allow(key, "form", FILL, f"the form field {name} filled in")
            return
        if changed <= _ALWAYS:
            self.allow(key, "form", LTA, f"the form field {name}'s flags")
            return
        # appearance keys changed, the value did not
        if is_widget or signature:
            self.illegal(key, "form", f"the appearance of the form field {name} changed, its value did not")
        else:
            self.illegal(key, "form", f"the form field {name} changed, its value did not")

    def _judge_widget(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        if isinstance(new, generic.DictionaryObject) and ("/FT" in new or "/T" in new):
            # a widget merged with its field: judged as the field (once, if the form lists it too)
            if ("field", key) not in self.roles.roles.get(key, ()):
                self._judge_field(key, key, old, new)
            return
        owner = self.field_of(key, new)
        if not isinstance(new, generic.DictionaryObject) or not isinstance(old, generic.DictionaryObject):
            self.illegal(key, "form", "a widget is no longer a dictionary")
            return
        changed = _changed_keys(old, new)
        if changed - (_VALUE_KEYS - {"/V"}):
            self.illegal(key, "form", f"a widget's {', '.join(sorted(changed - _VALUE_KEYS))} changed")
            return
        how = self.filled(owner)
        shared = self._shared_appearance(key, _raw(old, "/AP")) if "/AP" in changed else None
        if shared:
            self.illegal(key, "appearance", f"a widget's appearance replaced, while {shared}")
        elif how in ("filled", "signed"):
            self.allow(key, "form", FILL, "the appearance of a field filled in")
        elif changed <= _ALWAYS:
            self.allow(key, "form", LTA, "a widget's flags")
        else:
            self.illegal(key, "form", "a widget's appearance changed, its field's value did not")

    def _shared_appearance(self, key: Key, old_ap: Any) -> str | None:
        """Why the old appearance of widget ``key`` (its /AP dictionary and the streams it names)
        may not be replaced: it was also used elsewhere in the signed revision (pyHanko's check)."""
        found: list[Any] = [old_ap]
        ap = _deref(old_ap)
        if isinstance(ap, generic.DictionaryObject) and not isinstance(ap, generic.StreamObject):
            for name in ap.keys():
                entry = ap.raw_get(name)
                found.append(entry)
                states = _deref(entry)
                if isinstance(states, generic.DictionaryObject) and not isinstance(states, generic.StreamObject):
                    found.extend(states.raw_get(state) for state in states.keys())
        for item in found:
            item_key = _key(item)
            if item_key is None:
                continue
            others = {role for role, owner in self.roles.roles.get(item_key, ())
                      if not (role == "appearance" and owner == key)}
            if others:
                used = ", ".join(sorted(_ROLE_NAMES.get(role, role.replace("_", " ")) for role in others))
                return f"object {item_key[0]} of it is also used elsewhere ({used})"
        return None

    def _judge_appearance(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        """An appearance stream (or part of one) rewritten in place: only as the new appearance of
        a field filled in (pyHanko's in-place appearance update)."""
        annotation = self.old_object(owner) if owner is not None and self.existed(owner) else None
        field_key = None
        if isinstance(annotation, generic.DictionaryObject) and _raw(annotation, "/Subtype") == "/Widget":
            field_key = owner if ("/FT" in annotation or "/T" in annotation) else _key(_raw(annotation, "/Parent"))
        if field_key is not None and self.filled(field_key) in ("filled", "signed"):
            self.allow(key, "form", FILL, "the appearance of a field filled in, rewritten in place")
        else:
            self.illegal(key, "appearance", "the appearance of an annotation of the signed revision changed")

    def _judge_annotation(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.illegal(key, "annotation", "an annotation of the signed revision changed")

    def _judge_annots(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self._annots(key, _items(old), _items(new))

    def _annots(self, key: Key, old: list[Any], new: list[Any]) -> None:
        old_keys, new_keys = [_key(i) for i in old], [_key(i) for i in new]
        if None in new_keys:
            self.illegal(key, "annotation", "an annotation written directly in /Annots")
            return
        if not _subsequence(old_keys, new_keys) or len(set(new_keys)) != len(new_keys):
            self.illegal(key, "annotation", "an annotation removed, moved or listed twice")
            return
        added = list(new_keys)
        for item in old_keys:
            added.remove(item)
        for item in added:
            self._new_annotation(key, item)

    def _new_annotation(self, key: Key, item: Key | None) -> None:
        if item is None or self.existed(item):
            self.illegal(key, "annotation", "an object of the signed revision added to a page's /Annots")
            return
        annotation = self.new_object(item)
        if not isinstance(annotation, generic.DictionaryObject):
            self.illegal(item, "annotation", "an annotation that is not a dictionary")
            return
        subtype = _raw(annotation, "/Subtype")
        if subtype == "/Widget":
            field_key, field_dict = self.new_field_of(item, annotation)
            if _field_type(field_dict) != "/Sig":
                self.illegal(item, "form", "a new widget that is not a signature's")
            elif field_key is None or self.existed(field_key):
                self.illegal(item, "form", "a new widget of a signature field of the signed revision")
            elif field_key not in self.form_fields():
                self.illegal(item, "form", "a new signature widget whose field the form does not list")
            else:
                self.allow(item, "signature", FILL if _visible(annotation) else LTA, "a new signature's widget")
        elif subtype in MARKUP and "/A" not in annotation and "/AA" not in annotation:
            self.allow(item, "annotation", ANNOT, f"a new comment or stamp ({str(subtype).lstrip('/')})")
        else:
            self.illegal(item, "annotation", f"a new {str(subtype or '?').lstrip('/')} annotation (not a comment, "
                                             "a stamp or a signature)")

    def _judge_page(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        if not isinstance(new, generic.DictionaryObject) or not isinstance(old, generic.DictionaryObject):
            self.illegal(key, "page", "a page is no longer a dictionary")
            return
        for name in sorted(_changed_keys(old, new)):
            if name == "/Annots":
                old_value, new_value = _raw(old, name), _raw(new, name)
                if _key(new_value) is not None and _key(new_value) == _key(old_value):
                    continue  # the same array object: judged as its own change
                if _key(new_value) is not None and self.existed(_key(new_value)):
                    self.illegal(key, "annotation", "a page's /Annots is now an object of the signed revision")
                    continue
                self._annots(key, _items(old_value), _items(new_value))
            elif name in _PAGE_FREE:
                self.allow(key, "page", _PAGE_FREE[name], f"a page's {name}")
            elif name == "/Contents":
                self.illegal(key, "content", "a page's content changed")
            else:
                self.illegal(key, "page", f"a page's {name} changed")

    def _judge_page_tree(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.illegal(key, "page_tree", "the page tree changed (a page added, removed or moved, or an inherited "
                                       "attribute)")

    def _judge_content(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.illegal(key, "content", "a page's content stream changed")

    def _judge_resources(self, key: Key, owner: Key | None, old: Any, new: Any) -> None:
        self.illegal(key, "resources", "resources a page draws with changed")


def _visible(annotation: Any) -> bool:
    """pyHanko's test: a non-empty /Rect, and not hidden (flags 2) nor no-view (flags 32)."""
    try:
        x1, y1, x2, y2 = (float(v) for v in _deref(annotation)["/Rect"])
        flags = int(_deref(annotation).get("/F", 0))
    except Exception:  # noqa: BLE001 — no rectangle: drawn nowhere
        return False
    return abs(x2 - x1) > 0 and abs(y2 - y1) > 0 and not flags & (2 | 32)


# --------------------------------------------------------------------------- entry points


def classify(reader: Any, signed_revision: int, docmdp: int | None = None, fieldmdp: Any = None,
             budget: int = 200_000) -> Classification | None:
    """The later revisions after ``signed_revision``, classified (see the module docstring);
    ``docmdp``: the signature's certification level (1, 2 or 3) or its lock's /P; ``fieldmdp``:
    pyHanko's ``FieldMDPSpec`` of its lock. ``None`` when something cannot be read."""
    try:
        xrefs = reader.xrefs
        total = xrefs.total_revisions
        if signed_revision >= total - 1:
            return Classification(ModificationLevel.NONE)

        def defined(key: Key) -> bool:
            return xrefs.get_historical_ref(Reference(*key), signed_revision) is not None

        roles = _walk(reader.get_historical_resolver(signed_revision), defined, budget)
        changes: list[Change] = []
        for revision in range(signed_revision + 1, total):
            changes.extend(_Review(reader, signed_revision, revision, roles, fieldmdp).run())
    except _Unreadable:
        return None
    except Exception:  # noqa: BLE001 — a damaged file: no answer, never a crash
        return None
    level = max((c.level for c in changes if c.judgement == "allowed"), default=ModificationLevel.NONE,
                key=_LEVELS.index)
    illegal = [c for c in changes if c.judgement == "illegal"]
    suspicious = [c for c in changes if c.judgement == "suspicious"]
    if docmdp in _DOCMDP_LIMIT:
        limit = _DOCMDP_LIMIT[docmdp]
        over = [c for c in changes if c.judgement == "allowed" and _LEVELS.index(c.level) > _LEVELS.index(limit)]
        for change in over + suspicious:
            illegal.append(Change(change.revision, change.obj, change.kind, "illegal",
                                  f"{change.why}: not allowed by the certification (DocMDP P={docmdp})"))
        suspicious = []
    return Classification(level, tuple(illegal), tuple(suspicious), total - 1 - signed_revision)


def changed_field_values(reader: Any, signed_revision: int, names: Iterable[str]) -> list[str]:
    """Of the form fields ``names`` (pyHanko's changed fields), those whose value was not empty
    in the signed revision and is another now: a changed signed field value. Never raises."""
    wanted = {str(n) for n in names}
    if not wanted:
        return []
    try:
        old = _fields_by_name(reader.get_historical_resolver(signed_revision).root)
        new = _fields_by_name(reader.root)
    except Exception:  # noqa: BLE001
        return []
    found = []
    for name in sorted(wanted):
        before, after = old.get(name), new.get(name)
        if before is None or after is None or _field_type(after) == "/Sig":
            continue
        try:
            old_value, new_value = _raw(before, "/V"), _raw(after, "/V")
            if not _empty_value(old_value) and not _equal(_deref(old_value), _deref(new_value)):
                found.append(name)
        except Exception:  # noqa: BLE001
            continue
    return found


def _fields_by_name(root: Any, limit: int = 20_000, keys: bool = False) -> dict[str, Any]:
    """Fully qualified name → field dictionary (``keys``: → the reference of every field, and
    of every widget under a name, as ``name#n``)."""
    found: dict[str, Any] = {}
    form = _deref(_raw(root, "/AcroForm"))
    stack = [(item, "") for item in _items(_raw(form, "/Fields"))]
    seen: set[Key] = set()
    while stack and len(seen) < limit:
        item, prefix = stack.pop()
        key = _key(item)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        node = _deref(item)
        if not isinstance(node, generic.DictionaryObject):
            continue
        name = prefix
        if "/T" in node:
            part = str(_deref(node.raw_get("/T")))
            name = f"{prefix}.{part}" if prefix else part
            if not keys:
                found[name] = node
        if keys:
            found[f"{name}#{len(found)}"] = item
        stack.extend((kid, name) for kid in _items(_raw(node, "/Kids")))
    return found
