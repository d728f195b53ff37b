"""SIG011 is decided by the validated certificate path (issue 16): a path ending at a Ban Cơ yếu
Chính phủ root of a trust pack passes, one ending at NEAC warns (a public CA), any other anchor
cannot tell. Without a validated path the issuer's name is only a hint, and the message says so:
it never passes on a name (a private CA may call itself anything)."""

from __future__ import annotations

import pytest

from docaudit.model import DocumentVerdict, Evidence, FileStatus, SignatureReport, Verdict
from docaudit.rules import RuleEngine
from docaudit.rules.selection import RuleSelection


def _sig011(issuer: str, path: tuple[str, ...] = (), hierarchy: str | None = None):
    signature = SignatureReport(field="NguoiKy", verdict=Verdict.VALID, signer_name="Nguyễn Văn An", issuer=issuer,
                                path=path, hierarchy=hierarchy)
    evidence = Evidence("a.pdf", FileStatus.PRESENT, kind="pdf",
                        verdict=DocumentVerdict(Verdict.VALID, (signature,), ()))
    engine = RuleEngine(selection=RuleSelection(select=("SIG011",)))
    (outcome,) = engine.check(evidence, None, None, "check")
    return outcome


G2_PATH = ("Nguyễn Văn An", "CA phục vụ các cơ quan Nhà nước G2", "RootCA chuyên dùng Chính phủ G2")


def test_a_path_to_a_ban_co_yeu_root_passes() -> None:
    assert _sig011("Common Name: CA phục vụ các cơ quan Nhà nước G2", G2_PATH, "vgca").status == "pass"


def test_a_path_to_a_neac_root_is_a_public_ca() -> None:
    outcome = _sig011("Common Name: VNPT-CA SHA2", ("Nguyễn Văn An", "VNPT-CA SHA2", "Vietnam National Root CA"),
                      "neac")
    assert outcome.status == "fail" and {f.severity.value for f in outcome.findings} == {"warning"}
    assert "public CA" in outcome.findings[0].message_en and "Vietnam National Root CA" in outcome.findings[0].message_en


def test_a_path_to_any_other_root_cannot_tell_whatever_the_issuer_is_called() -> None:
    """A private CA named like the Ban Cơ yếu's, trusted by hand: the name does not make it công vụ."""
    outcome = _sig011("Common Name: Cơ quan chứng thực số chuyên dùng Chính phủ, Organization: Ban Cơ yếu Chính phủ",
                      ("Nguyễn Văn An", "Cơ quan chứng thực số chuyên dùng Chính phủ", "My Own Root CA"))
    assert outcome.status == "fail"
    assert "Cannot tell" in outcome.findings[0].message_en and "My Own Root CA" in outcome.findings[0].message_en
    assert "Không xác định được" in outcome.findings[0].message


@pytest.mark.parametrize("issuer", [
    "Common Name: Co quan chung thuc so Chinh phu, Organization: Ban Co yeu Chinh phu, Country: VN",
    "Common Name: Cơ quan chứng thực số chuyên dùng Chính phủ, Organization: Ban Cơ yếu Chính phủ, Country: VN",
    "Common Name: VGCA Class 2, Country: VN",
])
def test_without_a_path_the_government_name_is_a_hint_not_a_pass(issuer) -> None:
    outcome = _sig011(issuer)
    assert outcome.status == "fail"
    text = outcome.findings[0].message_en
    assert "Cannot tell" in text and "issuer's name" in text and "--trust-pack vn" in text


def test_without_a_path_a_public_ca_name_warns_and_says_it_is_by_name() -> None:
    outcome = _sig011("Common Name: VNPT Certification Authority, Organization: VNPT Group, Country: VN")
    assert outcome.status == "fail" and "public CA" in outcome.findings[0].message_en
    assert "issuer's name only" in outcome.findings[0].message_en


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
    assert checklist_status(_sig011("Common Name: Ban Co yeu Chinh phu")) == "unverified"
    assert checklist_status(_sig011("x", ("An", "Root"))) == "unverified"
    assert checklist_status(_sig011("Common Name: VNPT Certification Authority")) == "fail"
    assert checklist_status(_sig011("x", ("An", "Vietnam National Root CA"), "neac")) == "fail"
