"""The report paragraph: figures in Vietnamese number style, words that agree with the verdict,
the operator and null rates. Pure: built on hand-made JSON reports read back as a stored run is
(``AuditReport.from_json``), no scan."""

from __future__ import annotations

import pytest

from docaudit.pipeline.report import AuditReport
from docaudit.report import breakdown as bd
from docaudit.report import narrative as nv
from docaudit.report.i18n import decimal, target_phrase, threshold


def _figures(total: int, via: tuple[int, float | None, bool | None], paper: tuple[int, float | None, bool | None]):
    return {
        "total": total,
        "via_software": {"count": via[0], "claimed": via[0], "rate": via[1], "meets_target": via[2]},
        "paperless": {"count": paper[0], "claimed": paper[0], "rate": paper[1], "meets_target": paper[2]},
    }


def _report(overall, targets=None, agencies=None) -> AuditReport:
    return AuditReport.from_json({
        "schema": "docaudit.report/1",
        "targets": targets or {"via_software": {"op": ">", "threshold": 0.9}, "paperless": {"op": ">", "threshold": 0.8}},
        "agencies": agencies or {},
        "overall": overall,
        "entries": [],
    })


def test_the_issue_example_word_for_word() -> None:
    report = _report(_figures(1234, (1140, 0.9241, True), (965, 0.7820, False)))
    assert nv.paragraphs(report, "vi")[0] == (
        "Tổng số văn bản đi/đến: 1.234; tỷ lệ văn bản được thực hiện qua phần mềm đạt 92,41% "
        "(đạt chỉ tiêu trên 90%), trong đó chuyển hoàn toàn trên môi trường mạng, không kèm văn bản "
        "giấy đạt 78,20% (chưa đạt chỉ tiêu trên 80%)."
    )
    assert nv.paragraphs(report, "en")[0] == (
        "Documents sent and received: 1,234; handled through the document-management software: 92.41% "
        "(target above 90%: met), of which moved fully online with no paper copy: 78.20% "
        "(target above 80%: not met)."
    )


@pytest.mark.parametrize(("rate", "meets", "vi", "en"), [
    (0.95, True, "vượt chỉ tiêu trên 90%", "target above 90%: exceeded"),   # exactly 5 points: vượt
    (0.9499, True, "đạt chỉ tiêu trên 90%", "target above 90%: met"),
    (0.9001, True, "đạt chỉ tiêu trên 90%", "target above 90%: met"),
    (0.90, False, "chưa đạt chỉ tiêu trên 90%", "target above 90%: not met"),
    (1.0, True, "vượt chỉ tiêu trên 90%", "target above 90%: exceeded"),
])
def test_verdict_words(rate, meets, vi, en) -> None:
    view = bd.RateView("via_software", 1, 1, 1, rate, meets, bd.Target(">", 0.9))
    assert nv.verdict_text(view, "vi") == vi
    assert nv.verdict_text(view, "en") == en


def test_operator_words() -> None:
    report = _report(_figures(10, (9, 0.9, True), (8, 0.8, True)),
                     targets={"via_software": {"op": ">=", "threshold": 0.9},
                              "paperless": {"op": ">=", "threshold": 0.8}})
    vi = nv.paragraphs(report, "vi")[0]
    assert "đạt 90,00% (đạt chỉ tiêu từ 90% trở lên)" in vi
    assert "đạt 80,00% (đạt chỉ tiêu từ 80% trở lên)" in vi
    assert "(target 90% or more: met)" in nv.paragraphs(report, "en")[0]
    assert target_phrase(">", 0.7, "vi") == "trên 70%"
    assert target_phrase(">=", 0.925, "vi") == "từ 92,5% trở lên"
    assert target_phrase("<=", 0.1, "en") == "10% or less"
    assert threshold(0.9, "vi") == "90%" and threshold(0.955, "en") == "95.5%"
    assert decimal(1234.5, "vi") == "1.234,50"


def test_a_met_target_never_says_exceeded_below_a_max_operator() -> None:
    view = bd.RateView("paperless", 0, 0, 10, 0.0, True, bd.Target("<", 0.5))
    assert nv.verdict_text(view, "vi") == "đạt chỉ tiêu dưới 50%"


def test_no_entries_in_the_period() -> None:
    report = _report(_figures(0, (0, None, None), (0, None, None)),
                     agencies={"UBND-X": _figures(0, (0, None, None), (0, None, None))})
    vi = nv.paragraphs(report, "vi")
    assert vi[0] == "Tổng số văn bản đi/đến: 0; không có văn bản trong kỳ nên chưa tính được tỷ lệ so với chỉ tiêu."
    assert vi[1].startswith("UBND-X: tổng số văn bản đi/đến: 0; không có văn bản trong kỳ")
    assert "no documents in the period" in nv.paragraphs(report, "en")[0]
    assert "%" not in " ".join(vi)


def test_null_paperless_rate_with_a_via_software_denominator() -> None:
    report = _report(_figures(4, (0, 0.0, False), (0, None, None)),
                     targets={"via_software": {"op": ">", "threshold": 0.9},
                              "paperless": {"op": ">", "threshold": 0.8, "denominator": "via_software"}})
    vi = nv.paragraphs(report, "vi")[0]
    assert "đạt 0,00% (chưa đạt chỉ tiêu trên 90%)" in vi
    assert "không kèm văn bản giấy: chưa tính được tỷ lệ (không có văn bản qua phần mềm trong kỳ)." in vi


def test_need_more_documents() -> None:
    view = bd.RateView("via_software", 10, 12, 13, 10 / 13, False, bd.Target(">", 0.9))
    assert bd.need_more(view) == 2            # 12/13 = 92.3% > 90%; 11/13 = 84.6% is not
    view = bd.RateView("via_software", 8, 9, 10, 0.8, False, bd.Target(">=", 0.9))
    assert bd.need_more(view) == 1            # 9/10 = 90% >= 90%
    view = bd.RateView("via_software", 8, 9, 10, 0.8, False, bd.Target(">", 1.0))
    assert bd.need_more(view) is None         # cannot be met


@pytest.mark.parametrize(("rule_pack", "expected"), [
    ({"id": "nd30", "version": "2"}, "nd30 (phiên bản 2)"),
    ([{"pack": "nd30", "version": 1}, {"pack": "signatures", "version": 3}],
     "nd30 (phiên bản 1); signatures (phiên bản 3)"),
    ({"packs": [{"pack": "safety", "version": "1"}], "fingerprint": "ab" * 32},
     "safety (phiên bản 1); dấu vân tay " + "ab" * 8),
    ({"nd30": "1", "safety": "2"}, "nd30 (phiên bản 1); safety (phiên bản 2)"),
    (None, ""),
])
def test_rule_pack_versions_in_any_shape(rule_pack, expected) -> None:
    """A stored report of any version names its rule packs in one of these shapes."""
    data = {"schema": "docaudit.report/1"} if rule_pack is None else {"schema": "docaudit.report/1", "rule_pack": rule_pack}
    assert nv.rule_packs_text(AuditReport.from_json(data), "vi") == expected


def test_catalogue_has_no_duplicate_codes() -> None:
    """A code written twice in the catalogue's source would silently replace the other text."""
    import ast
    import collections

    import docaudit.text.catalogue as catalogue

    tree = ast.parse(open(catalogue.__file__, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert not [k for k, n in collections.Counter(keys).items() if n > 1], f"line {node.lineno}"
