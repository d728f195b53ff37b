"""The document type a number and symbol (số, ký hiệu) name, for registers without a type column.

NĐ 30/2020 (Phụ lục III) writes the symbol of a document as ``số/TYPE-AGENCY`` (``01/QĐ-UBND``),
with the type's abbreviation first; a công văn carries no type: ``số/AGENCY-UNIT``
(``123/UBND-VP``). So a first symbol part that is a known type abbreviation is the type, and any
other symbol is a công văn ("CV").
"""

from __future__ import annotations

import re

from .columns import fold_value, nfc

TYPE_ABBREVIATIONS: tuple[str, ...] = (
    "NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr", "HĐ", "CĐ",
    "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "TB", "TT", "TTg", "CV", "GXN", "HDTĐ",
)
"""Abbreviations of the document types (NĐ 30/2020 Phụ lục III), spelled as the decree does."""

COMMON_LETTER = "CV"
"""What a symbol with no type abbreviation is: a công văn."""

_EXACT = {nfc(a).casefold(): a for a in TYPE_ABBREVIATIONS}


def _unambiguous_folds() -> dict[str, str]:
    """``QD`` → ``QĐ`` for a symbol typed without the Đ, unless two types fold alike (ĐA / DA)."""
    folds: dict[str, list[str]] = {}
    for abbreviation in TYPE_ABBREVIATIONS:
        folds.setdefault(fold_value(abbreviation), []).append(abbreviation)
    return {key: names[0] for key, names in folds.items() if len(names) == 1}


_FOLDED = _unambiguous_folds()
_SYMBOL = re.compile(r"/\s*([^\s/\-–]+)")
# A Party document (Hướng dẫn 36-HD/VPTW) writes the type after the number: ``04-NQ/TU``, ``149-KH/HU``.
_PARTY_SYMBOL = re.compile(r"^\s*\d+\s*[-–]\s*([^\W\d_][^\s/\-–]*)\s*/")


def doc_type_from_number(number: str) -> str:
    """``01/QĐ-UBND`` → ``QĐ``; ``04-NQ/TU`` → ``NQ``; ``123/UBND-VP`` → ``CV``; ``""`` when the
    number has no symbol."""
    text = nfc(number)
    match = _PARTY_SYMBOL.match(text) or _SYMBOL.search(text)
    if match is None:
        return ""
    part = match[1].strip(".,;")
    exact = _EXACT.get(part.casefold())
    if exact is not None:
        return exact
    return _FOLDED.get(fold_value(part), COMMON_LETTER)
