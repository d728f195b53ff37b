"""Vietnamese typed in the pre-Unicode font encodings (TCVN3/ABC: .VnTime, .VnTimeH; VNI: VNI-Times).

Such text reaches us as Latin-1 characters ("Céng hoµ x· héi chñ nghÜa ViÖt Nam"): the font, not
the character, carries the Vietnamese letter. We decode it only where the font says so, and only
when the text in those fonts holds nothing but 8-bit characters: text already converted to
Unicode (and left in a .VnTime font) or in any other font is never touched. The tables are data
(``legacy_fonts.json``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

TABLES = Path(__file__).with_name("legacy_fonts.json")
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
# Characters an 8-bit text layer may hold besides Latin-1: what cp1252 puts at 0x80–0x9F.
_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


@dataclass(frozen=True)
class Encoding:
    name: str
    label: str
    """As a message names it: "TCVN3 (ABC)", "VNI"."""
    fonts: tuple[re.Pattern, ...]
    upper_fonts: tuple[re.Pattern, ...]
    table: dict[int, str]


@lru_cache(maxsize=1)
def encodings() -> tuple[Encoding, ...]:
    data = json.loads(TABLES.read_text(encoding="utf-8"))["encodings"]
    return tuple(
        Encoding(name, spec["label"], tuple(re.compile(p) for p in spec["fonts"]),
                 tuple(re.compile(p) for p in spec["upper_fonts"]), {ord(k): v for k, v in spec["map"].items()})
        for name, spec in data.items()
    )


def base_font_name(name: str) -> str:
    """A PDF /BaseFont or DOCX font name without the slash and the subset prefix (ABCDEF+)."""
    return _SUBSET_PREFIX.sub("", str(name or "").lstrip("/")).strip()


@lru_cache(maxsize=256)
def font_encoding(name: str | None) -> Encoding | None:
    """The legacy encoding a font draws its text in, or ``None`` for a Unicode (or unknown) font."""
    base = base_font_name(name or "")
    for encoding in encodings():
        if any(p.search(base) for p in encoding.fonts):
            return encoding
    return None


def draws_capitals(name: str | None) -> bool:
    """.VnTimeH and its kind show lower-case codes as capitals: decoded text is upper-cased."""
    encoding, base = font_encoding(name), base_font_name(name or "")
    return bool(encoding and any(p.search(base) for p in encoding.upper_fonts))


def is_eight_bit(text: str) -> bool:
    """Only characters an 8-bit legacy text can hold (Latin-1, cp1252's extra punctuation)."""
    return all(ord(ch) < 0x100 or ch in _CP1252_EXTRA for ch in text)


def decode(text: str, font: str | None) -> str:
    """``text`` drawn in ``font``, in Unicode (NFC). Unchanged for a font of no legacy encoding."""
    encoding = font_encoding(font)
    if encoding is None:
        return text
    decoded = unicodedata.normalize("NFC", text.translate(encoding.table))
    return decoded.upper() if draws_capitals(font) else decoded


def changes(text: str, font: str | None) -> bool:
    """Would decoding change this text (does it hold any character of the legacy table)?"""
    encoding = font_encoding(font)
    return encoding is not None and any(ord(ch) in encoding.table for ch in text)


def decodable(pieces: Iterable[tuple[str, str | None]]) -> bool:
    """May the text in legacy fonts be decoded? Only if none of it is already Unicode Vietnamese
    (a document converted to Unicode but left in .VnTime): one such character anywhere means the
    8-bit-looking rest ("và", "có") is Unicode too."""
    return all(is_eight_bit(text) for text, font in pieces if font_encoding(font) is not None)
