"""A generated corpus of attacks on signed PDFs, and the lawful later changes they must not be
confused with (issue 17, item 5).

Every case starts from a decision rendered and signed by the test kit (``documents``, ``pki``,
``signing``) and is described as data (:data:`CASES`): its name, the function that builds the
file, the verdict an auditor must get (``valid``, ``invalid`` or ``indeterminate``, with the
demo root trusted), the reason code(s) that verdict must carry, and why.

The attack classes follow the literature on PDF signatures:

* Mladenov, Mainka, Meyer zu Selhausen, Grothe, Schwenk, "1 Trillion Dollar Refund — How To
  Spoof PDF Signatures" (CCS 2019): incremental saving attack (ISA), signature wrapping (SWA);
* Mainka, Mladenov, Rohlmann, "Shadow Attacks: Hiding and Replacing Content in Signed PDFs"
  (NDSS 2021): hide, replace, hide-and-replace;
* Rohlmann, Mladenov, Mainka, Schwenk, "Breaking the Specification: PDF Certification"
  (IEEE S&P 2021): what a certification (DocMDP) level allows after signing.

Builds are deterministic (pinned times, /ID and /ModDate, PKCS#1 v1.5) and cached per process:
``build("shadow_replace")`` returns the same bytes on every call.

FOR TESTS ONLY.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Sequence

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from . import cms as hand
from .documents import A4, DocumentSpec, render_pdf, signature_rects
from .pki import Identity, TestPKI, organisation_subject, person_subject
from .signing import _writer, ascii_fold, sign_pdf, tamper

__all__ = [
    "AttackCase",
    "CASES",
    "build",
    "text_box",
    "signed_base",
    "ALLOWED_RECTS",
    "trust_anchors",
    "add_annotation",
    "white_box",
    "text_ops",
]

TZ = timezone(timedelta(hours=7))
T_PERSON = datetime(2021, 3, 10, 9, 0, tzinfo=TZ)
T_ORG = datetime(2021, 3, 10, 9, 30, tzinfo=TZ)
T_AFTER = datetime(2021, 3, 12, 14, 0, tzinfo=TZ)  # the receiving office, the attacker …
T_LATER = datetime(2021, 3, 12, 15, 0, tzinfo=TZ)
N = generic.NameObject

AMOUNT = "50.000.000"
FORGED_AMOUNT = "950.000.000"
BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Xét đề nghị của Trưởng phòng Tài chính - Kế hoạch huyện.",
    "QUYẾT ĐỊNH:",
    f"Điều 1. Phê duyệt kinh phí hỗ trợ {AMOUNT} đồng cho Trường Tiểu học xã Việt Vinh.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Giao Phòng Tài chính - Kế hoạch cấp phát kinh phí theo quy định.",
    "Điều 4. Chánh Văn phòng, Trưởng phòng Tài chính - Kế hoạch chịu trách nhiệm thi hành Quyết định này./.",
]
SPEC = DocumentSpec(number_line="Số: 15/QĐ-UBND", place_date_line="Bắc Quang, ngày 10 tháng 3 năm 2021",
                    subject="Về việc phê duyệt kinh phí hỗ trợ trường học", body=BODY)
RECTS = signature_rects(A4)
# where the receiving office puts its receipt stamp and its own signature: the bottom margin (blank)
STAMP_RECT = (40, 14, 200, 50)
RECEIVER_RECT = (380, 14, 560, 50)


@dataclass(frozen=True)
class AttackCase:
    """One file of the corpus: how to build it, and what an auditor must conclude."""

    name: str
    build: Callable[[], bytes]
    expected: str
    """``valid``, ``invalid`` or ``indeterminate`` (the document verdict, demo root trusted)."""
    reasons: tuple[str, ...]
    """Reason codes the verdict must carry (ETSI-style, as the JSON report writes them)."""
    what: str
    """What the file is, and why that verdict."""
    kind: str = "attack"
    """``attack`` (must not come out valid) or ``lawful`` (a later change PAdES allows)."""


# --------------------------------------------------------------------------- identities, bases


@functools.cache
def _pki() -> TestPKI:
    return TestPKI.generate(2021)


def person() -> Identity:
    return _pki().issue("attacks:person", person_subject(
        "Nguyễn Văn An", "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang", "001088012345"))


def agency() -> Identity:
    return _pki().issue("attacks:agency", organisation_subject("Ủy ban nhân dân huyện Bắc Quang", "1034567"),
                        kind="organisation")


def receiver() -> Identity:
    return _pki().issue("attacks:receiver", organisation_subject("Sở Tài chính tỉnh Hà Giang", "1076543"),
                        kind="organisation")


def attacker() -> Identity:
    """A certificate of the same demo CA (an insider, or anyone the CA served)."""
    return _pki().issue("attacks:attacker", person_subject(
        "Trần Văn Bình", "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang", "001088099999"))


@functools.cache
def _document(pages: int = 1) -> bytes:
    return render_pdf(SPEC.with_(pages=pages))


@functools.cache
def text_box(needle: str, page: int = 0, *, revision: bytes | None = None) -> tuple[float, float, float, float]:
    """The box (x1, y1, x2, y2, PDF points) of the first occurrence of ``needle`` on ``page`` of
    the unsigned document (or of ``revision``), found with PDFium."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(revision if revision is not None else _document())
    try:
        textpage = document[page].get_textpage()
        searcher = textpage.search(needle, match_case=True)
        hit = searcher.get_next()
        if hit is None:
            raise ValueError(f"{needle!r} not found on page {page}")
        start, count = hit
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    finally:
        document.close()


def _grow(box: Sequence[float], by: float = 2.0) -> tuple[float, float, float, float]:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _article_box(needle: str, next_needle: str) -> tuple[float, float, float, float]:
    """The body text from the line holding ``needle`` down to the line before ``next_needle``
    (an article and its wrapped lines), from the left margin to the right one."""
    top = text_box(needle)[3] + 4
    bottom = text_box(next_needle)[3] + 2
    return (80.0, bottom, 560.0, top)


@functools.cache
def signed_base(pages: int = 1) -> bytes:
    """The decision signed by the person (visible widget on the last page): the starting point of
    most cases (``pages``: the same decision laid out over more pages)."""
    return sign_pdf(_document(pages), person(), field_name="NguoiKy", signing_time=T_PERSON, rect=RECTS["person"])


@functools.cache
def _signed_twice() -> bytes:
    """Person, then agency (the NĐ 30 flow)."""
    return sign_pdf(signed_base(), agency(), field_name="CoQuan", signing_time=T_ORG, rect=RECTS["organisation"])


# --------------------------------------------------------------------------- writing revisions


def _revise(pdf: bytes, label: str, edit: Callable[[IncrementalPdfFileWriter], None], *,
            when: datetime = T_AFTER, xref_stream: bool | None = None) -> bytes:
    """``pdf`` with one more incremental revision in which ``edit(writer)`` runs."""
    w = _writer(pdf, label, when)
    if xref_stream is not None:
        w.stream_xrefs = xref_stream
    edit(w)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _numbers(*values: float) -> generic.ArrayObject:
    return generic.ArrayObject([generic.FloatObject(round(v, 2)) for v in values])


def _helvetica(w: IncrementalPdfFileWriter) -> generic.IndirectObject:
    return w.add_object(generic.DictionaryObject({
        N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Helvetica"),
        N("/Encoding"): N("/WinAnsiEncoding")}))


def _appearance(w: IncrementalPdfFileWriter, rect: Sequence[float], content: bytes,
                font: generic.IndirectObject | None = None) -> generic.IndirectObject:
    """A form XObject the size of ``rect`` drawing ``content``."""
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    stream = generic.StreamObject({
        N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"), N("/BBox"): _numbers(0, 0, width, height),
        N("/Resources"): generic.DictionaryObject(
            {N("/Font"): generic.DictionaryObject({N("/Helv"): font})} if font is not None else {}),
    }, stream_data=content)
    return w.add_object(stream)


def _text_ops(text: str, size: float, x: float, y: float, gray: float = 0.0) -> bytes:
    safe = ascii_fold(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /Helv {size:g} Tf {gray:g} g {x:g} {y:g} Td ({safe}) Tj ET\n".encode("latin-1")


def _white_box(rect: Sequence[float]) -> bytes:
    return f"1 g 0 0 {rect[2] - rect[0]:g} {rect[3] - rect[1]:g} re f\n".encode()


def _page_ref(w: IncrementalPdfFileWriter, index: int = 0) -> generic.IndirectObject:
    return w.root["/Pages"]["/Kids"].raw_get(index)


def _annotate(w: IncrementalPdfFileWriter, annotation: generic.DictionaryObject, page: int = 0) -> generic.IndirectObject:
    """Add ``annotation`` to ``page``'s /Annots (the page is rewritten in this revision)."""
    page_ref = _page_ref(w, page)
    annotation[N("/P")] = page_ref
    ref = w.add_object(annotation)
    page_obj = page_ref.get_object()
    annots = page_obj.get("/Annots")
    if annots is None:
        page_obj[N("/Annots")] = generic.ArrayObject([ref])
    elif isinstance(page_obj.raw_get("/Annots"), generic.IndirectObject):
        annots.append(ref)
        w.mark_update(page_obj.raw_get("/Annots"))
    else:
        annots.append(ref)
    w.mark_update(page_ref)
    return ref


def _text_field(w: IncrementalPdfFileWriter, name: str, rect: Sequence[float], value: str,
                appearance: generic.IndirectObject) -> generic.IndirectObject:
    """A text field merged with its widget on page 1, hooked into the AcroForm."""
    field = generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Widget"), N("/FT"): N("/Tx"),
        N("/T"): generic.TextStringObject(name), N("/V"): generic.TextStringObject(value),
        N("/DA"): generic.TextStringObject("/Helv 11 Tf 0 g"), N("/F"): generic.NumberObject(4),
        N("/Rect"): _numbers(*rect), N("/AP"): generic.DictionaryObject({N("/N"): appearance}),
    })
    ref = _annotate(w, field)
    root = w.root
    form = root.get("/AcroForm")
    if form is None:
        form = generic.DictionaryObject({N("/Fields"): generic.ArrayObject()})
        root[N("/AcroForm")] = w.add_object(form)
        w.update_root()
    form = root["/AcroForm"]
    form["/Fields"].append(ref)
    if isinstance(root.raw_get("/AcroForm"), generic.IndirectObject):
        w.mark_update(root.raw_get("/AcroForm"))
    else:
        w.update_root()
    return ref


def _fill(pdf: bytes, field_name: str, value: str, content: Callable[[Sequence[float]], bytes], label: str) -> bytes:
    """A later revision filling the existing text field ``field_name``: a new /V and a new
    appearance, as a form-filling tool writes it."""
    def edit(w: IncrementalPdfFileWriter) -> None:
        for ref in w.root["/AcroForm"]["/Fields"]:
            field = ref.get_object()
            if str(field.get("/T")) == field_name:
                rect = [float(v) for v in field["/Rect"]]
                field[N("/V")] = generic.TextStringObject(value)
                field[N("/AP")] = generic.DictionaryObject(
                    {N("/N"): _appearance(w, rect, content(rect), _helvetica(w))})
                w.mark_update(ref)
                return
        raise ValueError(f"no field {field_name!r}")
    return _revise(pdf, label, edit)


def add_annotation(pdf: bytes, subtype: str, rect: Sequence[float], *, page: int = 0, content: bytes = b"",
                   text: str | None = None, label: str = "annotation") -> bytes:
    """``pdf`` with one more revision adding an annotation of ``subtype`` on ``page`` whose
    appearance draws ``content`` (PDF operators; ``/Helv`` is Helvetica) in ``rect``."""
    def edit(w: IncrementalPdfFileWriter) -> None:
        entries = {N("/Type"): N("/Annot"), N("/Subtype"): N(subtype), N("/Rect"): _numbers(*rect),
                   N("/F"): generic.NumberObject(4),
                   N("/AP"): generic.DictionaryObject({N("/N"): _appearance(w, rect, content, _helvetica(w))})}
        if text is not None:
            entries[N("/Contents")] = generic.TextStringObject(text)
        _annotate(w, generic.DictionaryObject(entries), page)
    return _revise(pdf, f"{label}:{page}:{subtype}", edit)


def white_box(rect: Sequence[float]) -> bytes:
    """Appearance operators: an opaque white box filling ``rect``."""
    return _white_box(rect)


def text_ops(text: str, size: float, x: float, y: float) -> bytes:
    """Appearance operators: ``text`` (folded to ASCII) in Helvetica at (x, y) of the appearance."""
    return _text_ops(text, size, x, y)


# --------------------------------------------------------------------------- byte-level edits

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _last_byte_range(pdf: bytes) -> tuple[re.Match, list[int]]:
    match = list(_BYTE_RANGE.finditer(pdf))[-1]
    return match, [int(g) for g in match.groups()]


def _set_byte_range(pdf: bytes, values: Sequence[int]) -> bytes:
    """The last /ByteRange rewritten in place (padded with spaces: no offset moves)."""
    match, _ = _last_byte_range(pdf)
    end = match.end()
    while pdf[end:end + 1] == b" ":
        end += 1
    new = ("/ByteRange [%s]" % " ".join(str(v) for v in values)).encode()
    room = end - match.start()
    if len(new) > room:
        raise ValueError("the new /ByteRange does not fit")
    return pdf[:match.start()] + new + b" " * (room - len(new)) + pdf[end:]


def _resigned(pdf: bytes, identity: Identity, when: datetime, contents: tuple[int, int]) -> bytes:
    """A CMS made again over what the last (rewritten) /ByteRange now covers, written into the
    /Contents string at ``contents`` (its offsets ``<`` … ``>``): the digest and the signature
    value hold, only the structure can give the file away."""
    _, (zero, a, b, d) = _last_byte_range(pdf)
    covered = pdf[zero:zero + a] + pdf[b:b + d]
    der = hand._cms([identity], covered, encapsulate=False, digest="sha256", signed_attrs=True,  # noqa: SLF001
                    signing_time=when, ess="v2", certificates=True)
    start, end = contents
    room = end - start - 1
    hexed = der.hex().encode()
    if len(hexed) > room:
        raise ValueError("the CMS does not fit the /Contents string")
    return pdf[:start + 1] + hexed + b"0" * (room - len(hexed)) + pdf[end:]


def _xref_offset(pdf: bytes) -> int:
    return int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])


def _trailer_value(pdf: bytes, key: bytes) -> bytes:
    return re.findall(rb"/" + key + rb"\s+(\d+\s+\d+\s+R|\d+)", pdf)[-1]


def _append_classic_update(pdf: bytes, objects: dict[int, bytes], *, xref: bool = True) -> bytes:
    """Append an incremental update by hand: ``objects`` (number → body between ``obj`` and
    ``endobj``) with a classic xref section and trailer (``xref=False``: the objects only, no
    xref nor trailer, as the ISA variant that relies on a viewer's repair)."""
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offsets: dict[int, int] = {}
    for number, text in sorted(objects.items()):
        offsets[number] = len(body)
        body += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    if not xref:
        return body
    size = max(int(_trailer_value(pdf, b"Size")), max(objects) + 1)
    ids = re.findall(rb"/ID\s*(\[[^\]]*\])", pdf)
    section = b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        section += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    trailer = (b"trailer\n<< /Size %d /Root %s /Info %s /Prev %d " % (
        size, _trailer_value(pdf, b"Root"), _trailer_value(pdf, b"Info"), _xref_offset(pdf))
        + (b"/ID " + ids[-1] + b" " if ids else b"") + b">>\n")
    start = len(body)
    return body + section + trailer + b"startxref\n%d\n%%%%EOF\n" % start


def _object_body(pdf: bytes, number: int) -> bytes:
    """The last definition of plain object ``number`` (between ``obj`` and ``endobj``)."""
    found = list(re.finditer(rb"(?<![0-9])%d 0 obj\s*(.*?)\s*endobj" % number, pdf, re.S))
    if not found:
        raise ValueError(f"object {number} not found as a plain object")
    return found[-1].group(1)


def _first_page_content_number(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    page = reader.root["/Pages"]["/Kids"][0]
    contents = page.raw_get("/Contents")
    if isinstance(contents, generic.ArrayObject):
        contents = contents[0]
    return contents.idnum


# --------------------------------------------------------------------------- the cases: integrity


def control_signed() -> bytes:
    return signed_base()


def control_two_signatures() -> bytes:
    return _signed_twice()


def _forge_page_content(w: IncrementalPdfFileWriter) -> None:
    """Redefine the first page's content stream (same object number): the signed drawing, then
    a white box over Điều 1 and the forged amount in Helvetica (added to the page's fonts)."""
    page_ref = _page_ref(w)
    page = page_ref.get_object()
    contents = page.raw_get("/Contents")
    if isinstance(contents, generic.ArrayObject):
        contents = contents[0]
    x1, y1, x2, y2 = _article_box(AMOUNT, "2. Quy")
    forged = (contents.get_object().data
              + b"\nq 1 1 1 rg %g %g %g %g re f Q\n" % (x1, y1, x2 - x1, y2 - y1)
              + _text_ops("Dieu 1. Phe duyet kinh phi ho tro %s dong." % FORGED_AMOUNT, 13, x1 + 5, y2 - 16)
              .replace(b"/Helv", b"/FIsa"))
    w.objects[(contents.generation, contents.idnum)] = generic.StreamObject(stream_data=forged)
    resources = page["/Resources"]
    fonts = resources["/Font"]
    fonts[N("/FIsa")] = _helvetica(w)
    for holder in (resources.raw_get("/Font"), page.raw_get("/Resources")):
        if isinstance(holder, generic.IndirectObject):
            w.mark_update(holder)
    w.mark_update(page_ref)


def incremental_saving_attack() -> bytes:
    """ISA: a later revision, written as any PDF writer writes one, redefines the page's content
    stream (same object number) with a forged amount painted over Điều 1."""
    return _revise(signed_base(), "isa", _forge_page_content)


def signed_bytes_changed() -> bytes:
    """One digit of the page content flipped inside the signed bytes (same length)."""
    return tamper(signed_base())


def trailing_whitespace() -> bytes:
    """End-of-line bytes after the last %%EOF (some tools add them on copy): not a change."""
    return signed_base() + b"\r\n\r\n"


def trailing_objects_after_eof() -> bytes:
    """ISA without xref or trailer: objects redefining the page content appended after the last
    %%EOF. A conforming reader ignores them; a viewer that repairs the file shows them."""
    pdf = signed_base()
    number = _first_page_content_number(pdf)
    forged = (b"q 1 1 1 rg 0 0 595 842 re f Q BT /F1 24 Tf 100 700 Td (" + FORGED_AMOUNT.encode() + b") Tj ET")
    return _append_classic_update(pdf, {number: b"<< /Length %d >>\nstream\n" % len(forged) + forged + b"\nendstream"},
                                  xref=False)


def byte_range_gap() -> bytes:
    """The second range starts 60 bytes after the /Contents string: those bytes (the signature
    dictionary's /ByteRange itself) are signed by nobody. The CMS is made over the new ranges."""
    pdf = signed_base()
    _, (zero, a, b, d) = _last_byte_range(pdf)
    return _resigned(_set_byte_range(pdf, [zero, a, b + 60, d - 60]), person(), T_PERSON, (a, b - 1))


def byte_range_overlap() -> bytes:
    """The second range lies inside the first (it repeats the file's first bytes), so nothing
    after /Contents is signed — the ByteRange, the xref, the trailer — while the lengths still add
    up to the file size."""
    pdf = signed_base()
    _, (zero, a, b, d) = _last_byte_range(pdf)
    return _resigned(_set_byte_range(pdf, [zero, a, 100, d]), person(), T_PERSON, (a, b - 1))


def wrapping_moved_byte_range() -> bytes:
    """SWA: the attacker finishes the signature dictionary with a /ByteRange of their own whose
    second range points at the original signed tail, moved further down the file (inside a
    stream nobody reads); in between, in bytes nobody signed, an object that rewrites the page,
    hooked in by a last xref section. The digest still matches: every signed byte is there, at
    other offsets."""
    pdf = signed_base()
    _, (_, a, b, d) = _last_byte_range(pdf)
    head = pdf[:b]  # up to and including the /Contents string
    tail = pdf[b:]  # "\n/ByteRange [...] /Type /Sig … >>\nendobj\nxref … %%EOF": the signed tail
    dict_rest = tail[:tail.index(b"endobj") + len(b"endobj")]
    number = _first_page_content_number(pdf)
    hidden = int(_trailer_value(pdf, b"Size"))
    forged = b"q 1 1 1 rg 80 290 460 40 re f Q BT /F1 13 Tf 85 310 Td (" + FORGED_AMOUNT.encode() + b") Tj ET"
    injected = b"\n%d 0 obj\n<< /Length %d >>\nstream\n" % (number, len(forged)) + forged + b"\nendstream\nendobj\n"
    opener = b"%d 0 obj\n<< /Length %d >>\nstream\n" % (hidden, len(tail))
    moved_to = len(head) + len(dict_rest) + len(injected) + len(opener)
    own_rest = re.sub(rb"/ByteRange\s*\[[^\]]*\]\s*", lambda m: (b"/ByteRange [0 %d %d %d]" % (a, moved_to, d))
                      .ljust(len(m.group(0))), dict_rest, count=1)
    if len(own_rest) != len(dict_rest):
        raise AssertionError("the attacker's /ByteRange must keep the dictionary's length")
    body = head + own_rest + injected + opener + tail + b"\nendstream\nendobj\n"
    ids = re.findall(rb"/ID\s*(\[[^\]]*\])", pdf)
    xref = (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n%d 1\n%010d 00000 n \n"
            % (number, len(head) + len(own_rest) + 1, hidden, len(head) + len(own_rest) + len(injected)))
    trailer = (b"trailer\n<< /Size %d /Root %s /Info %s /Prev %d /ID %s >>\n" % (
        hidden + 1, _trailer_value(pdf, b"Root"), _trailer_value(pdf, b"Info"),
        _xref_offset(pdf) + moved_to - b, ids[-1]))
    return body + xref + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


def wrapping_second_contents() -> bytes:
    """SWA with a second /Contents: inside the unsigned gap, a dummy /Contents string, then the
    real CMS under a second /Contents key. Readers disagree on which key counts (pyHanko reads the
    dummy); either way the gap is no longer one /Contents string."""
    pdf = signed_base()
    _, (_, a, b, _) = _last_byte_range(pdf)
    real = hand.cms_of(pdf).hex().encode()
    gap = b"<00> /Contents <" + real + b">"
    pad = (b - a) - len(gap)
    if pad < 0:
        raise AssertionError("the CMS does not leave room for a second /Contents")
    gap = b"<" + b"00" * (pad // 2) + b"00> /Contents <" + real + b">"
    gap = gap[: b - a] if len(gap) > b - a else gap + b" " * (b - a - len(gap))
    return pdf[:a] + gap + pdf[b:]


def signature_dictionary_redefined() -> bytes:
    """A later revision redefines the signature object itself (same number), copying its
    /Contents and /ByteRange, and rewrites the page: the old bytes still match the CMS."""
    pdf = incremental_saving_attack()
    match, _ = _last_byte_range(signed_base())
    head = signed_base()[:match.start()]
    number = int(re.findall(rb"(\d+) 0 obj\s*<<\s*/Contents", head)[-1])
    sig_body = _object_body(signed_base(), number)
    return _append_classic_update(pdf, {number: sig_body})


# --------------------------------------------------------------------------- shadow attacks


def _hidden_line() -> tuple[float, float, float, float]:
    return _article_box("3. Giao Ph", "4. Ch")


def _amount_box() -> tuple[float, float, float, float]:
    return _grow(text_box(AMOUNT), 2.5)


def shadow_hide_overlay() -> bytes:
    """Hide: after signing, a square annotation (a comment, opaque white, no border) is put over
    Điều 3 of the signed decision: the article disappears from view."""
    rect = _hidden_line()

    def edit(w: IncrementalPdfFileWriter) -> None:
        _annotate(w, generic.DictionaryObject({
            N("/Type"): N("/Annot"), N("/Subtype"): N("/Square"), N("/Rect"): _numbers(*rect),
            N("/F"): generic.NumberObject(4), N("/C"): _numbers(1, 1, 1), N("/IC"): _numbers(1, 1, 1),
            N("/BS"): generic.DictionaryObject({N("/W"): generic.NumberObject(0)}),
            N("/AP"): generic.DictionaryObject({N("/N"): _appearance(w, rect, _white_box(rect))}),
        }))
    return _revise(signed_base(), "shadow-hide-overlay", edit)


@functools.cache
def _shadow_document(kind: str) -> bytes:
    """The attacker's shadow document, before the victim signs it: a text field over a line of
    the decision. ``cover``: its appearance is an opaque white box (the line is hidden from the
    signer); ``clear``: an empty, transparent appearance over the amount (nothing to see)."""
    base = _document()
    rect = _hidden_line() if kind == "cover" else _amount_box()

    def edit(w: IncrementalPdfFileWriter) -> None:
        content = _white_box(rect) if kind == "cover" else b""
        _text_field(w, "GhiChu", rect, "", _appearance(w, rect, content))
    prepared = _revise(base, f"shadow-{kind}", edit, when=T_PERSON - timedelta(hours=1))
    return sign_pdf(prepared, person(), field_name="NguoiKy", signing_time=T_PERSON, rect=RECTS["person"])


def shadow_hide_reveal() -> bytes:
    """Hide (the paper's variant): the signer saw Điều 3 covered by an opaque form field; after
    signing the attacker clears the field, and the article the signer never saw appears."""
    return _fill(_shadow_document("cover"), "GhiChu", "", lambda rect: b"", "shadow-hide-reveal")


def shadow_replace() -> bytes:
    """Replace (as ../shared/conformance replace.pdf): an empty, invisible text field lay over the
    amount when the decision was signed; the attacker fills it with an opaque appearance showing
    another amount. pyHanko sees form filling."""
    def content(rect: Sequence[float]) -> bytes:
        return _white_box(rect) + _text_ops(FORGED_AMOUNT, 12, 2, 4)
    return _fill(_shadow_document("clear"), "GhiChu", FORGED_AMOUNT, content, "shadow-replace")


def shadow_hide_and_replace() -> bytes:
    """Hide-and-replace: after signing, a free-text comment with an opaque white background and
    the attacker's wording covers Điều 1 (the amount) — the signed line is hidden and replaced."""
    rect = _article_box(AMOUNT, "2. Quy")

    def edit(w: IncrementalPdfFileWriter) -> None:
        text = "Dieu 1. Phe duyet kinh phi ho tro %s dong cho Truong Tieu hoc xa Viet Vinh." % FORGED_AMOUNT
        _annotate(w, generic.DictionaryObject({
            N("/Type"): N("/Annot"), N("/Subtype"): N("/FreeText"), N("/Rect"): _numbers(*rect),
            N("/F"): generic.NumberObject(4), N("/Contents"): generic.TextStringObject(text),
            N("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
            N("/AP"): generic.DictionaryObject({N("/N"): _appearance(
                w, rect, _white_box(rect) + _text_ops(text, 12, 5, rect[3] - rect[1] - 16), _helvetica(w))}),
        }))
    return _revise(signed_base(), "shadow-hide-and-replace", edit)


# --------------------------------------------------------------------------- certification (DocMDP)


def _certify(pdf: bytes, level: int, identity: Identity, when: datetime, rect: Sequence[float]) -> bytes:
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.stamp import TextStampStyle

    from .signing import FixedTimePdfSigner

    w = _writer(pdf, f"certify:{level}", when)
    meta = signers.PdfSignatureMetadata(field_name="ChungThuc", md_algorithm="sha256", certify=True,
                                        docmdp_permissions=MDPPerm(level))
    signer = FixedTimePdfSigner(
        meta, signer=identity.signer(), signing_time=when,
        stamp_style=TextStampStyle(stamp_text="Chung thuc: %(ts)s", timestamp_format="%Y-%m-%d", border_width=1),
        new_field_spec=fields.SigFieldSpec(sig_field_name="ChungThuc", on_page=-1,
                                           box=tuple(int(v) for v in rect)))
    return signer.sign_pdf(w, output=io.BytesIO()).getvalue()


def _comment(rect: Sequence[float], text: str) -> Callable[[IncrementalPdfFileWriter], None]:
    def edit(w: IncrementalPdfFileWriter) -> None:
        _annotate(w, generic.DictionaryObject({
            N("/Type"): N("/Annot"), N("/Subtype"): N("/Text"), N("/Rect"): _numbers(*rect),
            N("/F"): generic.NumberObject(4), N("/Contents"): generic.TextStringObject(text),
            N("/AP"): generic.DictionaryObject({N("/N"): _appearance(
                w, rect, b"1 0.9 0.3 rg 0 0 %g %g re f\n" % (rect[2] - rect[0], rect[3] - rect[1]))}),
        }))
    return edit


def certified_no_changes_then_comment() -> bytes:
    """Certified with DocMDP level 1 (no change allowed), then a sticky note is added."""
    pdf = _certify(_document(), 1, agency(), T_ORG, RECTS["organisation"])
    return _revise(pdf, "p1-comment", _comment((40, 760, 64, 784), "Đã xem"))


def certified_form_filling_then_new_field() -> bytes:
    """Certified with DocMDP level 2 (form filling and signing allowed), then a new text field
    (not a signature field) is added: level 2 does not allow adding fields."""
    pdf = _certify(_document(), 2, agency(), T_ORG, RECTS["organisation"])
    rect = (40, 14, 200, 40)

    def edit(w: IncrementalPdfFileWriter) -> None:
        font = _helvetica(w)
        _text_field(w, "GhiChuMoi", rect, "Da nhan", _appearance(w, rect, _text_ops("Da nhan", 11, 2, 8), font))
    return _revise(pdf, "p2-new-field", edit)


def certified_form_filling_then_signature() -> bytes:
    """Certified with DocMDP level 2, then an approval signature in a new signature field:
    exactly what level 2 allows."""
    pdf = _certify(_document(), 2, agency(), T_ORG, RECTS["organisation"])
    return sign_pdf(pdf, receiver(), field_name="NoiNhan", signing_time=T_AFTER, rect=RECEIVER_RECT)


# --------------------------------------------------------------------------- lawful later changes


def dss_update() -> bytes:
    """LTV material added after signing (PAdES-LT): a /DSS with the chain and a CRL of the demo
    CA, and a /VRI entry for the signature — what a validation service appends."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    pki = _pki()
    pdf = _signed_twice()
    crl = (x509.CertificateRevocationListBuilder().issuer_name(pki.intermediate.subject)
           .last_update(datetime(2021, 3, 1, tzinfo=timezone.utc)).next_update(datetime(2021, 4, 1, tzinfo=timezone.utc))
           .sign(pki.intermediate_key, hashes.SHA256()))
    der = lambda c: c.public_bytes(serialization.Encoding.DER)  # noqa: E731
    certs = [asn1_x509.Certificate.load(der(c)) for c in (pki.intermediate, pki.root, person().cert, agency().cert)]
    crls = [asn1_crl.CertificateList.load(der(crl))]
    return _revise(pdf, "dss", lambda w: DocumentSecurityStore.supply_dss_in_writer(
        w, hand.cms_of(pdf), certs=certs, crls=crls), when=T_LATER)


def archive_timestamp() -> bytes:
    """PAdES-LTA: after the LTV material, a document timestamp (/DocTimeStamp, ETSI.RFC3161) by
    the test TSA (trusted with the demo root, :func:`trust_anchors`)."""
    from unittest import mock

    from pyhanko.sign import signers

    w = _writer(dss_update(), "archive-timestamp", T_LATER)
    stamper = signers.PdfTimeStamper(hand.dummy_timestamper(T_LATER), field_name="DauThoiGian")
    fixed = lambda: 0x5EED_2021  # noqa: E731 — the token's serial number and nonce, pinned
    with mock.patch("pyhanko.sign.timestamps.dummy_client.get_nonce", fixed), \
            mock.patch("pyhanko.sign.timestamps.api.get_nonce", fixed):
        return stamper.timestamp_pdf(w, "sha256", output=io.BytesIO()).getvalue()


def trust_anchors() -> list[bytes]:
    """DER of the certificates an auditor of this corpus trusts: the demo root and the test TSA."""
    from cryptography.hazmat.primitives import serialization

    tsa = hand.dummy_timestamper(T_LATER).tsa_cert.dump()
    return [_pki().root.public_bytes(serialization.Encoding.DER), tsa]


def _receipt_stamp(w: IncrementalPdfFileWriter) -> None:
    rect = STAMP_RECT
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    content = (b"0.8 0 0 RG 1.5 w 1 1 %g %g re S\n" % (width - 2, height - 2)
               + _text_ops("SO TAI CHINH HA GIANG - DEN", 7, 6, 24, 0)
               + _text_ops("So: 125   Ngay: 12/3/2021", 8, 6, 10, 0))
    _annotate(w, generic.DictionaryObject({
        N("/Type"): N("/Annot"), N("/Subtype"): N("/Stamp"), N("/Name"): N("/Received"),
        N("/Rect"): _numbers(*rect), N("/F"): generic.NumberObject(4),
        N("/Contents"): generic.TextStringObject("ĐẾN Số: 125 Ngày: 12/3/2021"),
        N("/AP"): generic.DictionaryObject({N("/N"): _appearance(w, rect, content, _helvetica(w))}),
    }))


def receipt_stamp() -> bytes:
    """The receiving office stamps "ĐẾN" (received, number, date) in the bottom margin."""
    return _revise(_signed_twice(), "receipt-stamp", _receipt_stamp)


def receipt_stamp_then_signature() -> bytes:
    """The receiving office stamps "ĐẾN", then signs the stamped file with its own certificate."""
    return sign_pdf(receipt_stamp(), receiver(), field_name="NoiNhan", signing_time=T_LATER, rect=RECEIVER_RECT)


# --------------------------------------------------------------------------- structure


def page_added() -> bytes:
    """A page appended after signing (the page tree's /Kids and /Count grow)."""
    def edit(w: IncrementalPdfFileWriter) -> None:
        font = _helvetica(w)
        content = w.add_object(generic.StreamObject(stream_data=_text_ops("Phu luc bo sung (sau khi ky)", 14, 80, 760)))
        pages_ref = w.root.raw_get("/Pages")
        pages = pages_ref.get_object()
        page = generic.DictionaryObject({
            N("/Type"): N("/Page"), N("/Parent"): pages_ref, N("/MediaBox"): _numbers(0, 0, *A4),
            N("/Contents"): content,
            N("/Resources"): generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/Helv"): font})}),
        })
        pages["/Kids"].append(w.add_object(page))
        pages[N("/Count")] = generic.NumberObject(int(pages["/Count"]) + 1)
        w.mark_update(pages_ref)
    return _revise(_signed_twice(), "page-added", edit)


@functools.cache
def _numbered_in_object_stream() -> bytes:
    """Before signing, the document system stamps the number as a free-text annotation whose
    dictionary lives in an object stream (cross-reference streams from here on); then the person
    signs."""
    rect = (300, 640, 560, 660)

    def edit(w: IncrementalPdfFileWriter) -> None:
        font = _helvetica(w)
        appearance = _appearance(w, rect, _text_ops("Da cap so: 15/QD-UBND", 11, 2, 6), font)
        annotation = generic.DictionaryObject({
            N("/Type"): N("/Annot"), N("/Subtype"): N("/FreeText"), N("/Rect"): _numbers(*rect),
            N("/F"): generic.NumberObject(4), N("/Contents"): generic.TextStringObject("Đã cấp số: 15/QĐ-UBND"),
            N("/DA"): generic.TextStringObject("/Helv 11 Tf 0 g"),
            N("/AP"): generic.DictionaryObject({N("/N"): appearance}),
        })
        page_ref = _page_ref(w)
        annotation[N("/P")] = page_ref
        objstm = w.prepare_object_stream(compress=False)
        ref = w.add_object(annotation, obj_stream=objstm)
        page = page_ref.get_object()
        page[N("/Annots")] = generic.ArrayObject([ref])
        w.mark_update(page_ref)
    prepared = _revise(_document(), "numbered", edit, when=T_PERSON - timedelta(hours=1), xref_stream=True)
    return sign_pdf(prepared, person(), field_name="NguoiKy", signing_time=T_PERSON, rect=RECTS["person"])


def object_stream_rewritten() -> bytes:
    """A later revision writes the object stream holding the number annotation again, under the
    same object number, with another appearance for it; its cross-reference stream lists only
    the object stream and the new appearance, never the annotation itself."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = _numbered_in_object_stream()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    page = reader.root["/Pages"]["/Kids"][0]
    annotation_ref = next(ref for ref in page["/Annots"]
                          if ref.get_object().get("/Subtype") == "/FreeText")
    objstm_number = next(iter(reader.xrefs.object_streams_used_in(1))).idnum

    def edit(w: IncrementalPdfFileWriter) -> None:
        annotation = generic.IndirectObject(annotation_ref.idnum, annotation_ref.generation, w).get_object()
        rect = [float(v) for v in annotation["/Rect"]]
        forged = _appearance(w, rect, _white_box(rect) + _text_ops("Da cap so: 99/QD-UBND", 11, 2, 6), _helvetica(w))
        copy = generic.DictionaryObject({k: v for k, v in annotation.items()})
        copy[N("/AP")] = generic.DictionaryObject({N("/N"): forged})
        copy[N("/P")] = annotation.raw_get("/P")
        body = io.BytesIO()
        copy.write_to_stream(body, None)
        header = b"%d 0 " % annotation_ref.idnum
        w.objects[(0, objstm_number)] = generic.StreamObject({
            N("/Type"): N("/ObjStm"), N("/N"): generic.NumberObject(1), N("/First"): generic.NumberObject(len(header)),
        }, stream_data=header + body.getvalue())
    return _revise(pdf, "objstm-rewritten", edit, when=T_AFTER)


def usage_rights_ur3() -> bytes:
    """Reader-extended form: the catalog's /Perms carries a /UR3 usage-rights signature (as
    Adobe's server writes it, over the document it extended) before the person signs. UR3 grants
    viewer features; it is not a signer's signature and changes nothing in the verdict."""
    def edit(w: IncrementalPdfFileWriter) -> None:
        transform = generic.DictionaryObject({
            N("/Type"): N("/SigRef"), N("/TransformMethod"): N("/UR3"),
            N("/TransformParams"): generic.DictionaryObject({
                N("/Type"): N("/TransformParams"), N("/V"): N("/2.2"),
                N("/Document"): generic.ArrayObject([N("/FullSave")]),
                N("/Form"): generic.ArrayObject([N("/FillIn"), N("/Add")]),
                N("/Signature"): generic.ArrayObject([N("/Modify")]),
            }),
        })
        ur3 = generic.DictionaryObject({
            N("/Type"): N("/Sig"), N("/Filter"): N("/Adobe.PPKLite"), N("/SubFilter"): N("/adbe.pkcs7.detached"),
            N("/Name"): generic.TextStringObject("ARE Acrobat Product v8.0 P23 0002337"),
            N("/Reference"): generic.ArrayObject([transform]),
            N("/ByteRange"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 0, 0)]),
            N("/Contents"): generic.ByteStringObject(hashlib.sha256(b"usage rights").digest()),
        })
        w.root[N("/Perms")] = generic.DictionaryObject({N("/UR3"): w.add_object(ur3)})
        w.update_root()
    prepared = _revise(_document(), "ur3", edit, when=T_PERSON - timedelta(hours=1))
    return sign_pdf(prepared, person(), field_name="NguoiKy", signing_time=T_PERSON, rect=RECTS["person"])


# --------------------------------------------------------------------------- the table

_I, _V = "invalid", "valid"
_ILLEGAL, _FORMAT = ("ILLEGAL_MODIFICATION",), ("FORMAT_FAILURE",)

CASES: dict[str, AttackCase] = {case.name: case for case in [
    AttackCase("control_signed", control_signed, _V, (), "the decision signed by the person: nothing after it",
               "lawful"),
    AttackCase("control_two_signatures", control_two_signatures, _V, (),
               "person, then agency: a later signature is what PAdES allows", "lawful"),
    AttackCase("incremental_saving_attack", incremental_saving_attack, _I, _ILLEGAL,
               "ISA: a later revision redefines the page's content stream (a forged amount painted over "
               "Điều 1): page content changed after signing"),
    AttackCase("signed_bytes_changed", signed_bytes_changed, _I, ("HASH_FAILURE",),
               "one digit of the page content changed inside the signed bytes: the digest no longer matches"),
    AttackCase("trailing_whitespace", trailing_whitespace, _V, (),
               "CR LF after the last %%EOF: no object, no revision — tolerated as every reader does", "lawful"),
    AttackCase("trailing_objects_after_eof", trailing_objects_after_eof, _I, _ILLEGAL,
               "ISA variant without xref/trailer: objects redefining the page content after the last %%EOF; "
               "a repairing viewer shows them, and no signature covers them"),
    AttackCase("byte_range_gap", byte_range_gap, _I, _FORMAT,
               "the ByteRange leaves 60 bytes after /Contents unsigned (a gap wider than the signature value), "
               "CMS made over the gapped ranges"),
    AttackCase("byte_range_overlap", byte_range_overlap, _I, _FORMAT,
               "the second range lies inside the first: nothing after /Contents is signed (the ByteRange, xref, "
               "trailer), although the lengths add up to the file size"),
    AttackCase("wrapping_moved_byte_range", wrapping_moved_byte_range, _I, _FORMAT,
               "SWA: an attacker's /ByteRange points at the original signed tail moved down the file; the unsigned "
               "gap holds objects that rewrite the page; the digest matches"),
    AttackCase("wrapping_second_contents", wrapping_second_contents, _I, _FORMAT,
               "SWA: the unsigned gap holds two /Contents strings (a dummy, then the real CMS): the gap is not "
               "one /Contents value"),
    AttackCase("signature_dictionary_redefined", signature_dictionary_redefined, _I, _FORMAT,
               "a later revision redefines the signature dictionary (same object number, same /Contents and "
               "/ByteRange) after rewriting the page: the signature no longer covers the revision it belongs to"),
    AttackCase("shadow_hide_overlay", shadow_hide_overlay, _I, _ILLEGAL,
               "shadow hide: after signing, an opaque white square annotation covers Điều 3 (visual difference "
               "outside any new signature or stamp)"),
    AttackCase("shadow_hide_reveal", shadow_hide_reveal, _I, _ILLEGAL,
               "shadow hide (the paper's variant): an opaque form field covered Điều 3 when the person signed; "
               "clearing it later reveals an article the signer never saw"),
    AttackCase("shadow_replace", shadow_replace, _I, _ILLEGAL,
               "shadow replace (as conformance replace.pdf): an invisible empty text field over the amount is "
               "filled after signing with an opaque appearance showing another amount"),
    AttackCase("shadow_hide_and_replace", shadow_hide_and_replace, _I, _ILLEGAL,
               "shadow hide-and-replace: a free-text comment with an opaque background and the attacker's "
               "wording covers Điều 1 after signing"),
    AttackCase("certified_no_changes_then_comment", certified_no_changes_then_comment, _I, _ILLEGAL,
               "certification with DocMDP P=1 (no changes), then a sticky note: level 1 forbids annotations"),
    AttackCase("certified_form_filling_then_new_field", certified_form_filling_then_new_field, _I, _ILLEGAL,
               "certification with DocMDP P=2, then a new text field: level 2 allows filling and signing, "
               "not adding fields"),
    AttackCase("certified_form_filling_then_signature", certified_form_filling_then_signature, _V, (),
               "certification with DocMDP P=2, then an approval signature in a new signature field", "lawful"),
    AttackCase("dss_update", dss_update, _V, (),
               "LTV material after signing: a /DSS with certificates, a CRL and a /VRI entry", "lawful"),
    AttackCase("archive_timestamp", archive_timestamp, _V, (),
               "PAdES-LTA: the LTV material, then a document timestamp", "lawful"),
    AttackCase("receipt_stamp", receipt_stamp, _V, (),
               "the receiving office's ĐẾN stamp annotation in the bottom margin", "lawful"),
    AttackCase("receipt_stamp_then_signature", receipt_stamp_then_signature, _V, (),
               "the receiving office stamps ĐẾN, then signs the stamped file", "lawful"),
    AttackCase("page_added", page_added, _I, _ILLEGAL,
               "a page appended after signing: the page tree changed"),
    AttackCase("object_stream_rewritten", object_stream_rewritten, _I, _ILLEGAL,
               "a later revision rewrites, under the same number, the object stream that holds the number "
               "annotation, with another appearance (99 instead of 15); its xref lists only the object stream"),
    AttackCase("usage_rights_ur3", usage_rights_ur3, _V, (),
               "a Reader-extended form (/Perms /UR3) signed by the person: usage rights are not a signature "
               "and do not change the verdict", "lawful"),
]}


@functools.cache
def build(name: str) -> bytes:
    """The bytes of case ``name`` (deterministic, cached per process)."""
    return CASES[name].build()


# objects whose own rectangle a later revision may draw in: the lawful additions of the corpus
ALLOWED_RECTS = {"receipt_stamp": [STAMP_RECT], "receipt_stamp_then_signature": [STAMP_RECT, RECEIVER_RECT]}
