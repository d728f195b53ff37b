"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI): decoded for the text rules, in PDF and DOCX,
and never applied to Unicode text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from docaudit.evidence import legacy_fonts
from docaudit.evidence.facts import docx_facts, pdf_facts
from docaudit.model import Direction, Evidence, FileStatus
from docaudit.rules import RuleEngine, RuleSelection

from ..testkit.documents import (
    LEGACY_TCVN3_DECISION,
    LEGACY_VNI_DECISION,
    render_legacy_docx,
    render_legacy_pdf,
)

DECODED = [
    "UBND HUYỆN BẮC QUANG", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số: 05/QĐ-UBND", "Bắc Quang, ngày 05 tháng 01 năm 2021", "QUYẾT ĐỊNH", "Về việc giao chỉ tiêu năm 2021",
    "Nơi nhận:", "- Lưu: VT.",
]


@pytest.mark.parametrize("legacy, font, unicode", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", ".VnTime", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", ".VnTime", "Độc lập - Tự do - Hạnh phúc"),
    ("¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ \u00ad ®", ".VnTime", "Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ"),
    ("µ¶·¸¹ »¼½¾Æ ÇÈÉÊË ÌÎÏÐÑ ÒÓÔÕÖ", ".VnTime", "àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ"),
    ("×ØÜÝÞ ßáâãä åæçèé êëìíî ïñòóô õö÷øù úûüýþ", ".VnTime", "ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ ùủũúụ ừửữứự ỳỷỹýỵ"),
    ("quyÕt ®Þnh", "ABCDEF+.VnTimeH", "QUYẾT ĐỊNH"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "VNI-Times", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "VNI-Times", "Độc lập - Tự do - Hạnh phúc"),
    ("aù aø aû aõ aï aâ aá aà aå aã aä aê aé aè aú aü aë", "VNI-Times", "á à ả ã ạ â ấ ầ ẩ ẫ ậ ă ắ ằ ẳ ẵ ặ"),
    ("ô ôù ö öï ñ í ì æ ó ò yù î", "VNI-Times", "ơ ớ ư ự đ í ì ỉ ĩ ị ý ỵ"),
    ("COÄNG HOØA ÑOÄC LAÄP TÖÏ DO QUYEÁT ÑÒNH", "VNI-Times,Bold", "CỘNG HÒA ĐỘC LẬP TỰ DO QUYẾT ĐỊNH"),
])
def test_known_strings_decode(legacy: str, font: str, unicode: str) -> None:
    assert legacy_fonts.decode(legacy, font) == unicode


@pytest.mark.parametrize("font, encoding", [
    (".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), ("/ABCDEF+.VnArial", "tcvn3"), ("VnTime", "tcvn3"),
    ("VNI-Times", "vni"), ("vni-helve", "vni"),
    ("Times New Roman", None), ("TimesNewRomanPSMT", None), ("DejaVuSerif", None), ("Verdana", None), (None, None),
])
def test_fonts_name_their_encoding(font, encoding) -> None:
    found = legacy_fonts.font_encoding(font)
    assert (found.name if found else None) == encoding


def test_unicode_text_is_never_decoded() -> None:
    # Unicode Vietnamese whose letters all happen to be Latin-1 ("và có Hà") in a Unicode font
    assert legacy_fonts.decode("Hà Nội và có", "Times New Roman") == "Hà Nội và có"
    # text converted to Unicode but left in a .VnTime font: one Unicode letter anywhere vetoes it
    assert not legacy_fonts.decodable([("và có", ".VnTime"), ("Cộng hòa", ".VnTime")])
    assert legacy_fonts.decodable([("Céng hoµ", ".VnTime"), ("Cộng hòa", "Times New Roman")])


def _pdf(lines):
    data = render_legacy_pdf(lines)
    return pdf_facts(PdfReader(io.BytesIO(data)), data)


@pytest.mark.parametrize("lines, fonts, encoding", [
    (LEGACY_TCVN3_DECISION, (".VnTimeH", ".VnTime"), "TCVN3 (ABC)"),
    (LEGACY_VNI_DECISION, ("VNI-Times",), "VNI"),
], ids=["tcvn3", "vni"])
@pytest.mark.parametrize("read", ["pdf", "docx"])
def test_documents_in_legacy_fonts_are_read_as_unicode(lines, fonts, encoding, read) -> None:
    facts = _pdf(lines) if read == "pdf" else docx_facts(render_legacy_docx(lines))
    expected = [line.replace("HOÀ", "HÒA") if encoding == "VNI" else line for line in DECODED]
    assert facts.head_text.split("\n") == expected
    assert set(facts.legacy_fonts) == set(fonts) and facts.legacy_encodings == (encoding,)


@pytest.mark.parametrize("read", ["pdf", "docx"])
def test_only_the_legacy_font_is_decoded_in_a_mixed_document(read) -> None:
    lines = [("Hà Nội và có", "DejaVuSerif"), ("Céng hoµ", ".VnTime")]
    if read == "pdf":
        facts = _pdf(lines)
    else:
        facts = docx_facts(render_legacy_docx([(text, "Times New Roman" if font == "DejaVuSerif" else font)
                                               for text, font in lines]))
    assert facts.head_text.split("\n") == ["Hà Nội và có", "Cộng hoà"]


@pytest.mark.parametrize("read", ["pdf", "docx"])
def test_unicode_documents_are_left_alone(read) -> None:
    # Unicode text typed in Times New Roman, and Unicode text left in a .VnTime font after conversion
    lines = [("Hà Nội, ngày 05 tháng 01 năm 2021 và có", "Times New Roman"), ("Cộng hòa và có", ".VnTime")]
    facts = _pdf(lines) if read == "pdf" else docx_facts(render_legacy_docx(lines))
    assert facts.head_text.split("\n") == [text for text, _ in lines]
    assert facts.legacy_fonts == () and facts.legacy_encodings == ()


@pytest.mark.parametrize("lines", [LEGACY_TCVN3_DECISION, LEGACY_VNI_DECISION], ids=["tcvn3", "vni"])
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_text_rules_read_the_decoded_text_and_fmt010_names_the_encoding(lines, kind) -> None:
    facts = _pdf(lines) if kind == "pdf" else docx_facts(render_legacy_docx(lines))
    evidence = Evidence(path=f"x.{kind}", status=FileStatus.PRESENT, kind=kind, facts=facts)
    engine = RuleEngine(selection=RuleSelection(select=("FMT001", "FMT002", "FMT005", "FMT006", "FMT010")))
    outcomes = {o.rule.id: o for o in engine.check(evidence, None, Direction.OUTGOING)}
    assert {rule: outcomes[rule].status for rule in ("FMT001", "FMT002", "FMT005", "FMT006")} == dict.fromkeys(
        ("FMT001", "FMT002", "FMT005", "FMT006"), "pass")
    legacy = outcomes["FMT010"]
    assert legacy.status == "fail" and [f.severity.value for f in legacy.findings] == ["error"]
    assert legacy.findings[0].message_en.startswith("The text is typed in the ")
    assert "không phải bộ mã Unicode TCVN 6909:2001" in legacy.findings[0].message
    incoming = {o.rule.id: o for o in engine.check(evidence, None, Direction.INCOMING)}["FMT010"]
    assert [f.severity.value for f in incoming.findings] == ["warning"]
