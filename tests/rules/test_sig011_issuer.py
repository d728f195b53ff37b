"""SIG011 is decided from the issuer: the Ban Cơ yếu Chính phủ CAs pass, a licensed public CA is a
warning, any other CA (a private one anyone can make) is "cannot tell" (issue 15, item 13)."""

from __future__ import annotations

import pytest

from docaudit.model import DocumentVerdict, Evidence, FileStatus, SignatureReport, Verdict
from docaudit.rules import RuleEngine
from docaudit.rules.selection import RuleSelection


def _sig011(issuer: str):
    signature = SignatureReport(field="NguoiKy", verdict=Verdict.VALID, signer_name="Nguyễn Văn An", issuer=issuer)
    evidence = Evidence("a.pdf", FileStatus.PRESENT, kind="pdf",
                        verdict=DocumentVerdict(Verdict.VALID, (signature,), ()))
    engine = RuleEngine(selection=RuleSelection(select=("SIG011",)))
    (outcome,) = engine.check(evidence, None, None, "check")
    return outcome


@pytest.mark.parametrize("issuer", [
    "Common Name: Co quan chung thuc so Chinh phu, Organization: Ban Co yeu Chinh phu, Country: VN",
    "Common Name: Cơ quan chứng thực số chuyên dùng Chính phủ, Organization: Ban Cơ yếu Chính phủ, Country: VN",
    "Common Name: VGCA Class 2, Country: VN",
])
def test_the_government_ca_passes(issuer) -> None:
    assert _sig011(issuer).status == "pass"


def test_a_public_ca_is_a_warning() -> None:
    outcome = _sig011("Common Name: VNPT Certification Authority, Organization: VNPT Group, Country: VN")
    assert outcome.status == "fail" and "public CA" in outcome.findings[0].message_en


@pytest.mark.parametrize("issuer", ["Common Name: Docaudit Demo CA phục vụ các cơ quan Nhà nước, Country: VN",
                                    "Common Name: My Own Root CA", ""])
def test_a_private_ca_does_not_pass_and_says_it_cannot_tell(issuer) -> None:
    outcome = _sig011(issuer)
    assert outcome.status == "fail"
    assert "Cannot tell" in outcome.findings[0].message_en
    assert "Không xác định được" in outcome.findings[0].message


def test_check_marks_cannot_tell_with_a_question_mark_not_a_cross() -> None:
    from docaudit.check import checklist_status

    assert checklist_status(_sig011("Common Name: My Own Root CA")) == "unverified"
    assert checklist_status(_sig011("Common Name: VNPT Certification Authority")) == "fail"
