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
