"""Build the document a rule case describes (tests/rules/cases/*.yaml), with tests.testkit."""

from __future__ import annotations

import datetime as dt
import functools
import io
from typing import Any

from tests.testkit import pki as pki_module
from tests.testkit.documents import A4, DocumentSpec, render_docx, render_pdf, render_scan_pdf, signature_rects
from tests.testkit.pki import TestPKI, organisation_subject, person_subject
from tests.testkit.signing import modify_after_signing, sign_pdf

VN = dt.timezone(dt.timedelta(hours=7))
DAY = dt.date(2021, 1, 5)


@functools.lru_cache(maxsize=None)
def pki() -> TestPKI:
    return TestPKI.generate(2021)


def _identity(step: dict[str, Any]):
    who = step.get("who", "person")
    kind = "organisation" if who in ("organisation", "other_org") else "person"
    if who == "person":
        subject = person_subject("Nguyễn Văn An", "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang", "001088012345")
    elif who == "organisation":
        subject = organisation_subject("Ủy ban nhân dân huyện Bắc Quang", "1034567")
    else:  # the receiving office of an incoming document
        subject = organisation_subject("Sở Thông tin và Truyền thông tỉnh Hà Giang", "2034567")
    key_usage = tuple(step.get("key_usage", ("digital_signature", "non_repudiation")))
    bits = int(step.get("key_bits", 2048))
    return pki().issue(f"rules:{who}:{bits}:{','.join(key_usage)}:{step.get('issuer', 'intermediate')}", subject,
                       kind=kind, key_bits=bits, key_usage=key_usage, issuer=step.get("issuer", "intermediate"))


def _rect(step: dict[str, Any], page_size) -> tuple | None:
    rects = signature_rects(page_size)
    rect = step.get("rect", "person" if step.get("who", "person") == "person" else "seal")
    if rect is None or rect == "none":
        return None
    if rect == "person":
        return rects["person"]
    if rect == "seal":
        return rects["organisation"]
    return tuple(rect)


def _docx_layout(data: bytes, layout: dict[str, Any]) -> bytes:
    import docx
    from docx.shared import Mm

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    if "margins_mm" in layout:
        top, bottom, left, right = layout["margins_mm"]
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
    if "page_mm" in layout:
        section.page_width, section.page_height = Mm(layout["page_mm"][0]), Mm(layout["page_mm"][1])
    if "font" in layout:
        document.styles["Normal"].font.name = layout["font"]
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.font.name = layout["font"]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DEFAULT_SIGNERS = [{"who": "person", "time": "09:00"}, {"who": "organisation", "time": "09:30"}]


def build(case: dict[str, Any]) -> tuple[bytes, str]:
    """(file bytes, file name) for a case."""
    overrides = dict(case.get("document", {}))
    if "page_size" in overrides:
        overrides["page_size"] = tuple(overrides["page_size"])
    spec = DocumentSpec(**overrides)
    fmt = case.get("format", "pdf")
    if fmt == "docx":
        return _docx_layout(render_docx(spec), case.get("docx", {})), "case.docx"
    data = render_scan_pdf(spec) if fmt == "scan" else render_pdf(spec)
    for step in case.get("signers", DEFAULT_SIGNERS):
        hour, minute = (int(x) for x in step.get("time", "09:00").split(":"))
        data = sign_pdf(
            data, _identity(step), field_name=step.get("field", step.get("who", "person")),
            signing_time=dt.datetime.combine(DAY, dt.time(hour, minute), VN),
            rect=_rect(step, spec.page_size), md_algorithm=step.get("md", "sha256"),
            prefer_pss=bool(step.get("pss", False)),
        )
    if case.get("modify_after_signing"):
        data = modify_after_signing(data)
    return data, "case.pdf"


def trust_pem() -> bytes:
    return pki().root_pem()
