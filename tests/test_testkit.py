"""Quick checks of tests.testkit (document builders, demo PKI, signing)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pyhanko")

from pypdf import PdfReader  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.diff_analysis import ModificationLevel  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature  # noqa: E402

from tests.testkit import (  # noqa: E402
    SIGNATURE_RECTS,
    DocumentSpec,
    TestPKI,
    modify_after_signing,
    organisation_subject,
    person_subject,
    render_docx,
    render_pdf,
    render_scan_pdf,
    sign_person_and_org,
    tamper,
    truncate,
)

TZ = timezone(timedelta(hours=7))
T_PERSON = datetime(2021, 1, 5, 9, 0, tzinfo=TZ)
T_ORG = datetime(2021, 1, 5, 9, 30, tzinfo=TZ)


@pytest.fixture(scope="session")
def pki():
    return TestPKI.generate(2021)


@pytest.fixture(scope="session")
def ids(pki):
    person = pki.issue(
        "test-person",
        person_subject("Nguyễn Văn An", "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang", "001088012345"),
    )
    org = pki.issue(
        "test-org", organisation_subject("Ủy ban nhân dân huyện Bắc Quang", "1034567"), kind="organisation"
    )
    return person, org


@pytest.fixture(scope="session")
def plain_pdf():
    return render_pdf(DocumentSpec())


@pytest.fixture(scope="session")
def signed_pdf(plain_pdf, ids):
    person, org = ids
    return sign_person_and_org(plain_pdf, person, org, person_time=T_PERSON, org_time=T_ORG)


def _validate(pdf: bytes, pki: TestPKI, moment=T_ORG):
    r = PdfFileReader(io.BytesIO(pdf), strict=False)
    out = {}
    for es in r.embedded_signatures:
        out[es.field_name] = (validate_pdf_signature(es, pki.validation_context(moment=moment)), es)
    return out


def test_pdf_text_extractable(plain_pdf):
    text = PdfReader(io.BytesIO(plain_pdf)).pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: 05/QĐ-UBND" in text
    assert "Bắc Quang, ngày 05 tháng 01 năm 2021" in text


def test_party_header_and_pages():
    spec = DocumentSpec(party=True, agency_parent="ĐẢNG BỘ TỈNH HÀ GIANG", agency="HUYỆN ỦY BẮC QUANG",
                        number_line="Số 149-KH/HU", title="KẾ HOẠCH", pages=3)
    r = PdfReader(io.BytesIO(render_pdf(spec)))
    assert len(r.pages) == 3
    text = r.pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA" not in text
    assert "Số 149-KH/HU" in text


def test_elements_can_be_dropped():
    text = PdfReader(io.BytesIO(render_pdf(DocumentSpec(national_header=False, number_line="So 5 QD")))).pages[0]
    t = text.extract_text()
    assert "CỘNG HÒA" not in t and "So 5 QD" in t


def test_scan_has_no_text():
    data = render_scan_pdf(DocumentSpec())
    r = PdfReader(io.BytesIO(data))
    assert r.pages[0].extract_text().strip() == ""
    assert len(data) < 400_000


def test_docx_opens():
    import docx

    data = render_docx(DocumentSpec())
    d = docx.Document(io.BytesIO(data))
    alltext = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in alltext
    assert "Số: 05/QĐ-UBND" in alltext
    assert d.sections[0].left_margin.mm == pytest.approx(30, abs=0.1)


def test_outputs_deterministic(ids):
    spec = DocumentSpec()
    assert render_pdf(spec) == render_pdf(spec)
    assert render_scan_pdf(spec) == render_scan_pdf(spec)
    assert render_docx(spec) == render_docx(spec)
    person, org = ids
    pdf = render_pdf(spec)
    a = sign_person_and_org(pdf, person, org, person_time=T_PERSON, org_time=T_ORG)
    b = sign_person_and_org(pdf, person, org, person_time=T_PERSON, org_time=T_ORG)
    assert a == b


def test_pki_deterministic(pki):
    from cryptography.hazmat.primitives import serialization

    again = TestPKI(2021)
    again._init_cas()
    assert again.root_pem() == pki.root_pem()
    assert again.intermediate.public_bytes(serialization.Encoding.DER) == pki.intermediate.public_bytes(
        serialization.Encoding.DER
    )
    assert "Docaudit Demo Root CA" in pki.root.subject.rfc4514_string()


def test_seal_covers_left_third():
    px1, py1, px2, py2 = SIGNATURE_RECTS["person"]
    sx1, sy1, sx2, sy2 = SIGNATURE_RECTS["organisation"]
    assert sx1 < px1 < sx2 < px2
    assert abs((sx2 - px1) - (px2 - px1) / 3) <= 2


def test_signed_valid(signed_pdf, pki):
    res = _validate(signed_pdf, pki)
    assert list(res) == ["NguoiKy", "CoQuan"]
    for name, (st, es) in res.items():
        assert st.intact and st.valid and st.trusted, name
    st_p, es_p = res["NguoiKy"]
    assert st_p.signer_reported_dt == T_PERSON
    assert res["CoQuan"][0].signer_reported_dt == T_ORG
    assert str(es_p.sig_object["/M"]).startswith("D:20210105090000")
    assert st_p.modification_level in (ModificationLevel.NONE, ModificationLevel.FORM_FILLING)
    # intermediate embedded in the CMS
    assert any("Docaudit Demo CA" in c.subject.human_friendly for c in es_p.other_embedded_certs)


def test_tampered_not_intact(signed_pdf, pki):
    bad = tamper(signed_pdf)
    assert len(bad) == len(signed_pdf) and bad != signed_pdf
    res = _validate(bad, pki)
    assert res and all(not st.intact for st, _ in res.values())


def test_modified_after_signing(signed_pdf, pki):
    res = _validate(modify_after_signing(signed_pdf), pki)
    for st, _ in res.values():
        assert st.intact
        assert st.modification_level == ModificationLevel.OTHER


def test_untrusted_root(pki, plain_pdf):
    p = pki.issue("test-untrusted", person_subject("Lê Văn C", "Sở Nội vụ", "Sở Nội vụ tỉnh Hà Giang", "002"),
                  issuer="untrusted")
    data = sign_person_and_org(plain_pdf, p, None, person_time=T_PERSON, org_time=T_ORG)
    (st, _), = _validate(data, pki).values()
    assert st.intact and not st.trusted


def test_truncated_unreadable(signed_pdf):
    cut = truncate(signed_pdf)
    assert len(cut) == int(len(signed_pdf) * 0.6)
    with pytest.raises(Exception):
        PdfFileReader(io.BytesIO(cut), strict=True).embedded_signatures
