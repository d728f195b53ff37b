"""Page text for the format rules.

PDFium (pypdfium2) extracts a page's text about seven times faster than pypdf on these documents
(2.9 ms against 21 ms for a one-page decision) with the same words in the same order; pypdf stays
as the fallback for anything PDFium refuses. ``tests/evidence/test_text.py`` checks that both give
the same rule findings on every sample document.
"""

from __future__ import annotations

import unicodedata
import zlib

from ..limits import DEFAULT_LIMITS
from . import legacy_fonts

MAX_TEXT = 20_000  # characters kept per page: enough for the header and the signature block
_FORM_DEPTH = 4  # nested form XObjects followed when measuring a page's streams


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "").replace("\x02", "-")
    return unicodedata.normalize("NFC", text)[:MAX_TEXT]


def pdfium_texts(data: bytes, indices: list[int]) -> list[str] | None:
    """Text of the given pages, or ``None`` if PDFium cannot open the file."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 — PDFium refuses: the caller falls back to pypdf
        return None
    try:
        texts = []
        for index in indices:
            page = document[index]
            textpage = page.get_textpage()
            texts.append(_clean(textpage.get_text_range()))
            textpage.close()
            page.close()
        return texts
    except Exception:  # noqa: BLE001
        return None
    finally:
        document.close()


def pypdf_texts(reader, indices: list[int]) -> list[str]:
    texts = []
    for index in indices:
        try:
            texts.append(_clean(reader.pages[index].extract_text() or ""))
        except Exception:  # noqa: BLE001
            texts.append("")
    return texts


def _inflates_beyond(stream, limit: int) -> bool:
    """Would decoding this stream produce more than ``limit`` bytes? Flate is inflated in bounded
    steps (never more than ``limit`` bytes at once); other filters are decoded by pypdf, whose own
    caps raise on a bomb."""
    filters = stream.get("/Filter")
    if filters is None:
        return False
    first = filters[0] if isinstance(filters, list) and filters else filters
    if first in ("/FlateDecode", "/Fl"):
        inflater, produced = zlib.decompressobj(), 0
        raw = stream._data  # noqa: SLF001 — the encoded bytes; pypdf has no public accessor
        step = 1 << 20
        for start in range(0, len(raw), step):
            chunk = raw[start : start + step]
            while chunk:
                try:
                    out = inflater.decompress(chunk, step)
                except zlib.error:
                    return False  # broken data: PDFium copes with it like any other damage
                produced += len(out)
                if produced > limit:
                    return True
                chunk = inflater.unconsumed_tail
        return False
    try:
        return len(stream.get_data()) > limit
    except Exception:  # noqa: BLE001 — pypdf refuses (its limits, or damage)
        return True


def _page_streams(page) -> list:
    """The content streams of a page and of the form XObjects it uses (a few levels deep)."""
    found, seen = [], set()

    def visit(holder, depth: int) -> None:
        contents = holder.get("/Contents") if depth == 0 else None
        if contents is not None:
            contents = contents.get_object()
            for item in (contents if isinstance(contents, list) else [contents]):
                item = item.get_object()
                if id(item) not in seen and hasattr(item, "_data"):
                    seen.add(id(item))
                    found.append(item)
        if depth >= _FORM_DEPTH:
            return
        resources = holder.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            if id(xobject) in seen or not hasattr(xobject, "_data") or xobject.get("/Subtype") != "/Form":
                continue
            seen.add(id(xobject))
            found.append(xobject)
            visit(xobject, depth + 1)

    visit(page, 0)
    return found


def too_big_for_pdfium(reader, indices: list[int], limit: int) -> bool:
    """PDFium inflates a page's content streams in memory, whatever their size (a 1 MB deflate
    bomb took 3 GB): such pages are read with pypdf, whose decoders are capped."""
    try:
        for index in indices:
            for stream in _page_streams(reader.pages[index]):
                if _inflates_beyond(stream, limit):
                    return True
    except Exception:  # noqa: BLE001 — a page pypdf cannot walk: PDFium may still read it
        return False
    return False


def page_texts(data: bytes, reader, indices: list[int], max_inflate: int = DEFAULT_LIMITS.max_inflate_bytes) -> list[str]:
    if too_big_for_pdfium(reader, indices, max_inflate):
        return pypdf_texts(reader, indices)
    texts = pdfium_texts(data, indices)
    return texts if texts is not None else pypdf_texts(reader, indices)


# --------------------------------------------------------------------------- legacy font encodings


def page_fonts(reader, index: int) -> list[str]:
    """The /BaseFont names of a page's fonts and of the form XObjects it uses (a few levels deep)."""
    names: list[str] = []
    seen: set[int] = set()

    def visit(holder, depth: int) -> None:
        resources = holder.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if resources is None:
            return
        fonts = resources.get("/Font")
        for ref in (fonts.get_object().values() if fonts is not None else ()):
            base = ref.get_object().get("/BaseFont")
            if base is not None:
                names.append(legacy_fonts.base_font_name(str(base)))
        xobjects = resources.get("/XObject")
        if xobjects is None or depth >= _FORM_DEPTH:
            return
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            if id(xobject) not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(id(xobject))
                visit(xobject, depth + 1)

    try:
        visit(reader.pages[index], 0)
    except Exception:  # noqa: BLE001 — a page pypdf cannot walk has no fonts we can name
        return []
    return list(dict.fromkeys(names))


def _pdfium_pieces(data: bytes, index: int) -> list[tuple[str, str | None]] | None:
    """The page's text as (characters, font name) runs, in PDFium's reading order: only legacy
    pages pay for the per-character font lookup."""
    import ctypes

    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001
        return None
    try:
        page = document[index]
        textpage = page.get_textpage()
        buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
        pieces: list[tuple[str, str | None]] = []
        for char in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage.raw, char)
            length = raw.FPDFText_GetFontInfo(textpage.raw, char, buffer, len(buffer), ctypes.byref(flags))
            font = buffer.value.decode("utf-8", "replace") if 0 < length <= len(buffer) else None
            text = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
            if pieces and pieces[-1][1] == font:
                pieces[-1] = (pieces[-1][0] + text, font)
            else:
                pieces.append((text, font))
        textpage.close()
        page.close()
        return pieces
    except Exception:  # noqa: BLE001
        return None
    finally:
        document.close()


def decode_legacy_pages(data: bytes, reader, indices: list[int], texts: list[str],
                        max_inflate: int = DEFAULT_LIMITS.max_inflate_bytes) -> tuple[list[str], tuple[str, ...]]:
    """``texts`` (one per page of ``indices``) with the text in TCVN3/VNI fonts decoded to
    Unicode, and the legacy fonts decoded. A page without such a font is left as it is."""
    decoded, used = list(texts), []
    for position, index in enumerate(indices):
        fonts = page_fonts(reader, index)
        legacy = [f for f in fonts if legacy_fonts.font_encoding(f) is not None]
        if not legacy:
            continue
        pieces = None if too_big_for_pdfium(reader, [index], max_inflate) else _pdfium_pieces(data, index)
        if pieces is None and len(legacy) == len(fonts) and len({legacy_fonts.font_encoding(f) for f in legacy}) == 1:
            pieces = [(texts[position], legacy[0])]  # every font of the page is legacy, of one encoding
        if not pieces or not legacy_fonts.decodable(pieces):
            continue
        changed = [font for text, font in pieces if legacy_fonts.changes(text, font)]
        if changed:
            decoded[position] = _clean("".join(legacy_fonts.decode(text, font) for text, font in pieces))
            used.extend(legacy_fonts.base_font_name(font) for font in changed)
    return decoded, tuple(dict.fromkeys(used))
