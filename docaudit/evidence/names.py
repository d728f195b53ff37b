"""File names that are the same text in another Unicode form, and names that only look the same.

A register typed with Unikey's "Unicode tổ hợp", saved as Windows-1258 or copied from a Mac holds
its accents as combining marks (NFD); the files usually hold theirs composed (NFC), or the other
way round. Linux keeps a name as the bytes it was given, Windows (NTFS) too, macOS matches either
form: so a name the register writes in one form is looked for in the other, and then among the
folder's names compared in NFC — which finds it wherever it is. A name that differs from a file's
only in letter case is that file, as on Windows, where most registers are typed (unless two files
differ only in case).

A name that is still not found may look exactly like one that is there (``Ð`` U+00D0 for ``Đ``
U+0110, a Cyrillic ``а``, a zero-width space, a no-break space): the message then names that file
and the characters that differ, instead of a name that looks identical to the file's.
"""

from __future__ import annotations

import difflib
import os
import unicodedata

Listing = dict[str, dict[str, str]]
"""Folder → (NFC name → the name on disk), folders listed once for many look-ups (and, under
``"\\0case\\0" + folder``, case-folded name → the name on disk)."""

_LOOKALIKE = str.maketrans({
    "\u00d0": "\u0110", "\u0189": "\u0110",  # Ð (Icelandic eth), Ɖ (African D) → Đ
    "\u00f0": "\u0111",  # ð → đ
    # Cyrillic and Greek letters drawn as Latin ones
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
    "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h",
    "\u03bf": "o", "\u03b1": "a", "\u03b9": "i", "\u03bd": "v", "\u03c1": "p",
})
_INVISIBLE = frozenset({"\u00ad", "\u034f", "\u180e"})  # soft hyphen, grapheme joiner, Mongolian vowel separator


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def other_form(folder: str, name: str, listing: Listing | None = None) -> str | None:
    """The name in ``folder`` that is ``name`` in another Unicode form (NFC or NFD), or ``None``.
    ``folder`` must be a resolved folder inside the audit root (only its names are read)."""
    for form in ("NFC", "NFD"):
        candidate = unicodedata.normalize(form, name)
        if candidate != name and os.path.lexists(os.path.join(folder, candidate)):
            return candidate
    names = _names(folder, listing)  # mixed forms, or another system's decomposition (HFS+)
    found = names.get(nfc(name))
    if found is None:
        # a register typed on Windows, where case does not matter: "Quyet dinh 15.PDF" opens
        # "quyet dinh 15.pdf" there, so it must here too (the figures may not depend on the
        # system the audit runs on); two names that differ only in case are not guessed between
        found = _by_case(folder, names, listing).get(nfc(name).casefold())
    return found


def _by_case(folder: str, names: dict[str, str], listing: Listing | None) -> dict[str, str]:
    """Case-folded NFC name → the name on disk, for names no other name folds to."""
    key = "\0case\0" + folder
    if listing is not None and key in listing:
        return listing[key]
    folded: dict[str, str] = {}
    clashes: set[str] = set()
    for composed, on_disk in names.items():
        k = composed.casefold()
        if k in folded:
            clashes.add(k)
        folded[k] = on_disk
    for k in clashes:
        del folded[k]
    if listing is not None:
        listing[key] = folded
    return folded


def _names(folder: str, listing: Listing | None) -> dict[str, str]:
    if listing is not None and folder in listing:
        return listing[folder]
    try:
        on_disk = sorted(os.listdir(folder))  # sorted: the same answer whatever order the system lists
    except (OSError, ValueError):
        on_disk = []
    names: dict[str, str] = {}
    for found in on_disk:
        names.setdefault(nfc(found), found)
    if listing is not None:
        listing[folder] = names
    return names


def _lookalike_key(name: str) -> str:
    """What a reader sees: compatibility forms (NFKC), letter case, invisible characters and
    letters of other scripts drawn alike folded away; white space runs as one space."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKE)
    text = "".join(ch for ch in text if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")
    return nfc(" ".join(text.split()))


def lookalike(folder: str, name: str) -> tuple[str, str] | None:
    """A name in ``folder`` that looks like ``name`` but is another text, with the characters that
    differ (``U+00D0 LATIN CAPITAL LETTER ETH ≠ U+0110 LATIN CAPITAL LETTER D WITH STROKE``: on
    disk ≠ in the register); ``None`` if there is none."""
    key = _lookalike_key(name)
    for found in _names(folder, None).values():
        if found != name and _lookalike_key(found) == key:
            return found, _differences(nfc(found), nfc(name))
    return None


def _differences(on_disk: str, written: str, limit: int = 3) -> str:
    parts: list[str] = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, on_disk, written, autojunk=False).get_opcodes():
        if tag != "equal":
            parts.append(f"{_describe(on_disk[a1:a2])} ≠ {_describe(written[b1:b2])}")
    shown = "; ".join(parts[:limit])
    return shown + (" …" if len(parts) > limit else "")


def _describe(chars: str) -> str:
    if not chars:
        return "–"
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}" for ch in chars)
