"""Deterministic PDF signing with pyHanko, and ways to break signed PDFs.

Determinism notes (pyHanko 0.38):
- the signing time is pinned by overriding ``PdfSigner.init_signing_session``
  and setting ``PdfSigningSession.system_time`` (there is no public option;
  it otherwise defaults to ``datetime.now()``). That value feeds the CMS
  ``signingTime`` attribute, the ``/M`` entry and the stamp text;
- ``IncrementalPdfFileWriter`` puts ``os.urandom(16)`` into the second part of
  the trailer ``/ID`` (and the first part when the input has none); we
  overwrite ``writer._document_id`` with a value derived from the input bytes;
- the writer also sets ``/ModDate`` in ``/Info`` to *now* (local timezone) on
  every write (``BasePdfFileWriter._update_meta``); we override it with the
  signing time. ``/Producer`` gets "; pyHanko <version>" appended, so bytes
  change when pyHanko is upgraded;
- RSA PKCS#1 v1.5 signatures are deterministic (PSS is not: use
  ``prefer_pss=False``, the default).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Sequence

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import TextStampStyle

from .pki import Identity

__all__ = [
    "sign_pdf",
    "sign_person_and_org",
    "modify_after_signing",
    "tamper",
    "truncate",
    "ascii_fold",
    "FixedTimePdfSigner",
]


def ascii_fold(text: str) -> str:
    """Strip Vietnamese diacritics (đ -> d) so the text fits a standard font."""
    text = text.replace("đ", "d").replace("Đ", "D")
    nfd = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    return out.encode("ascii", "replace").decode("ascii")


class FixedTimePdfSigner(signers.PdfSigner):
    """``PdfSigner`` whose signing session uses a fixed ``system_time``."""

    def __init__(self, *args, signing_time: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._fixed_signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._fixed_signing_time
        return session


def _pin_id(writer: IncrementalPdfFileWriter, data: bytes, label: str) -> None:
    h = hashlib.sha256(data + b"\x00" + label.encode("utf-8")).digest()
    try:
        id1, _ = writer.prev.trailer["/ID"]
        if isinstance(id1, generic.TextStringObject):
            id1 = generic.ByteStringObject(id1.original_bytes)
    except KeyError:
        id1 = generic.ByteStringObject(h[16:32])
    writer._document_id = generic.ArrayObject([id1, generic.ByteStringObject(h[:16])])


class _FixedTimeWriter(IncrementalPdfFileWriter):
    """pyHanko's writer forces ``/ModDate`` in ``/Info`` to *now* on every
    write; put a fixed time there instead."""

    fixed_mod_time: datetime | None = None

    def _update_meta(self):
        super()._update_meta()
        if self.fixed_mod_time is not None and self._info is not None:
            info = self._info.get_object()
            if "/ModDate" in info:
                info["/ModDate"] = generic.pdf_date(self.fixed_mod_time)


def _writer(pdf: bytes, label: str, mod_time: datetime) -> IncrementalPdfFileWriter:
    w = _FixedTimeWriter(io.BytesIO(pdf), strict=False)
    w.fixed_mod_time = mod_time
    _pin_id(w, pdf, label)
    return w


_SUBFILTERS = {
    "adbe": SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    "adbe.pkcs7.detached": SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    "pades": SigSeedSubFilter.PADES,
    "ETSI.CAdES.detached": SigSeedSubFilter.PADES,
}


def sign_pdf(
    pdf: bytes,
    identity: Identity,
    *,
    field_name: str,
    signing_time: datetime,
    rect: Sequence[float] | None = None,
    page: int = -1,
    md_algorithm: str = "sha256",
    reason: str | None = None,
    location: str | None = None,
    stamp_text: str | None = None,
    subfilter: str = "adbe.pkcs7.detached",
    prefer_pss: bool = False,
) -> bytes:
    """Sign ``pdf`` (incremental update) and return the signed bytes.

    ``rect`` (x1, y1, x2, y2, PDF points) creates a visible widget on ``page``
    (default: the last page); without it the field is invisible. The CMS
    ``signingTime`` attribute and ``/M`` both equal ``signing_time`` (give it a
    timezone). ``subfilter``: ``adbe.pkcs7.detached`` (default, carries
    signingTime in the CMS, like most Vietnamese signing software) or
    ``pades`` (ETSI.CAdES.detached: PAdES forbids the signingTime attribute,
    so only ``/M`` holds the time). The identity's chain is embedded.
    """
    if signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    w = _writer(pdf, f"sign:{field_name}:{signing_time.isoformat()}:{identity.name_key}", signing_time)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=md_algorithm,
        reason=reason,
        location=location,
        subfilter=_SUBFILTERS[subfilter],
    )
    new_field = None
    if rect is not None:
        box = tuple(int(round(v)) for v in rect)
        new_field = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)
    if stamp_text is None:
        who = ascii_fold(identity.subject_cn)
        label = "Co quan" if identity.kind == "organisation" else "Ky boi"
        stamp_text = f"{label}: {who}\nThoi gian: %(ts)s"
    style = TextStampStyle(stamp_text=stamp_text, timestamp_format="%Y-%m-%dT%H:%M:%S%z", border_width=1)
    signer = FixedTimePdfSigner(
        meta,
        signer=identity.signer(prefer_pss=prefer_pss),
        stamp_style=style,
        new_field_spec=new_field,
        signing_time=signing_time,
    )
    out = signer.sign_pdf(w, output=io.BytesIO())
    return out.getvalue()


def sign_person_and_org(
    pdf: bytes,
    person: Identity | None,
    organisation: Identity | None,
    *,
    person_time: datetime,
    org_time: datetime,
    page_size=None,
    **kwargs,
) -> bytes:
    """NĐ 30 flow: the person signs (field ``NguoiKy``), then the agency
    (field ``CoQuan``, seal widget over the left third of the person's)."""
    from .documents import A4, signature_rects

    rects = signature_rects(page_size or A4)
    if person is not None:
        pdf = sign_pdf(pdf, person, field_name="NguoiKy", signing_time=person_time, rect=rects["person"], **kwargs)
    if organisation is not None:
        pdf = sign_pdf(
            pdf, organisation, field_name="CoQuan", signing_time=org_time, rect=rects["organisation"], **kwargs
        )
    return pdf


_MOD_TIME = datetime(2021, 12, 31, 16, 0, tzinfo=timezone(timedelta(hours=7)))


def modify_after_signing(pdf: bytes, text: str = "DA SUA - So 99", *, when: datetime = _MOD_TIME) -> bytes:
    """Incremental update appending a content stream to page 1 (draws a white
    box over the header and a new text): pyHanko's diff analysis sees a page
    content change (ModificationLevel.OTHER)."""
    w = _writer(pdf, "modify", when)
    safe = ascii_fold(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = (
        "q 1 1 1 rg 80 740 200 30 re f Q\n"
        "q 0.8 0 0 rg BT /FDocauditMod 14 Tf 90 750 Td (%s) Tj ET Q\n" % safe
    ).encode("ascii")
    stream = generic.StreamObject(stream_data=content)
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica-Bold"),
            generic.pdf_name("/Encoding"): generic.pdf_name("/WinAnsiEncoding"),
        }
    )
    resources = generic.DictionaryObject(
        {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/FDocauditMod"): w.add_object(font)})}
    )
    w.add_stream_to_page(0, w.add_object(stream), resources=resources)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


_NUM_IN_TEXT = re.compile(rb"BT\s[^\n]*?(\d)", re.S)


def tamper(pdf: bytes) -> bytes:
    """Flip one digit inside the first page content stream (inside the signed
    byte range, same length): the file still parses, the digest no longer
    matches. Requires an uncompressed content stream (testkit PDFs are)."""
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", pdf)]
    for s in starts:
        end = pdf.find(b"endstream", s)
        chunk = pdf[s:end]
        m = re.search(rb"BT\b", chunk)
        if not m:
            continue
        # a digit of a text-positioning number after the first BT
        dm = re.search(rb"\d", chunk[m.end():])
        if not dm:
            continue
        pos = s + m.end() + dm.start()
        # must not be inside a signature's /Contents hex (before first /ByteRange gap)
        old = pdf[pos]
        new = ord("1") if old != ord("1") else ord("2")
        return pdf[:pos] + bytes([new]) + pdf[pos + 1:]
    raise ValueError("no uncompressed text content stream found to tamper with")


def truncate(pdf: bytes, fraction: float = 0.6) -> bytes:
    """Cut the file (drops the xref/trailer): an unreadable PDF."""
    if not 0 < fraction < 1:
        raise ValueError("fraction must be in (0, 1)")
    return pdf[: int(len(pdf) * fraction)]
