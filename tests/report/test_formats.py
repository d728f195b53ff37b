"""Every rendered format from a real scan of the bundled samples: agencies, rates (counted by hand
from samples/MANIFEST.md), verdict words in both languages, and the format's own rules
(self-contained HTML, xlsx Summary = JSON figures, docx A4 + Times New Roman)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile

import docx
import openpyxl
import pytest

from docaudit.errors import UsageError

from .helpers import render, samples_report

# agency: (total, via count/denominator, via rate text (vi), paperless count/denominator, paperless rate (vi), words)
EXPECTED = {
    "UBND-BQ": (13, (10, 13), "76,92%", (3, 13), "23,08%", ("chưa đạt", "chưa đạt")),
    "SO-TTTT": (8, (5, 8), "62,50%", (4, 8), "50,00%", ("chưa đạt", "chưa đạt")),
    "HU-BQ": (5, (5, 5), "100,00%", (5, 5), "100,00%", ("vượt", "vượt")),
}
OVERALL = (26, (20, 26), "76,92%", (12, 26), "46,15%", ("chưa đạt", "chưa đạt"))
EN_WORDS = {"chưa đạt": "not met", "vượt": "exceeded", "đạt": "met"}


def _en(rate: str) -> str:
    return rate.replace(",", ".")


@pytest.fixture(scope="module")
def report() -> dict:
    return samples_report().to_json()


@pytest.fixture(scope="module")
def rendered(report) -> dict:
    return {(fmt, lang): render(report, fmt, lang) for fmt in ("html", "md", "xlsx", "docx") for lang in ("vi", "en")}


def _sentence_vi(name: str | None, data) -> str:
    total, _, via, _, paper, (w1, w2) = data
    head = f"{name}: tổng số" if name else "Tổng số"
    return (f"{head} văn bản đi/đến: {total}; tỷ lệ văn bản được thực hiện qua phần mềm đạt {via} "
            f"({w1} chỉ tiêu trên 90%), trong đó chuyển hoàn toàn trên môi trường mạng, không kèm văn bản "
            f"giấy đạt {paper} ({w2} chỉ tiêu trên 80%).")


def _sentence_en(name: str | None, data) -> str:
    total, _, via, _, paper, (w1, w2) = data
    head = f"{name}: documents" if name else "Documents"
    return (f"{head} sent and received: {total}; handled through the document-management software: {_en(via)} "
            f"(target above 90%: {EN_WORDS[w1]}), of which moved fully online with no paper copy: {_en(paper)} "
            f"(target above 80%: {EN_WORDS[w2]}).")


def test_the_scan_matches_the_hand_count(report) -> None:
    for name, (total, via, _, paper, _, _) in EXPECTED.items():
        figures = report["agencies"][name]
        assert figures["total"] == total
        assert (figures["via_software"]["count"], figures["paperless"]["count"]) == (via[0], paper[0])
    assert report["overall"]["total"] == OVERALL[0]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_text_formats_carry_every_agency_rate_and_sentence(rendered, fmt) -> None:
    vi = rendered[(fmt, "vi")].decode("utf-8")
    en = rendered[(fmt, "en")].decode("utf-8")
    assert _sentence_vi(None, OVERALL) in vi
    assert _sentence_en(None, OVERALL) in en
    for name, data in EXPECTED.items():
        assert _sentence_vi(name, data) in vi, name
        assert _sentence_en(name, data) in en, name
        _, via, via_rate, paper, paper_rate, _ = data
        assert f"{via_rate} ({via[0]}/{via[1]})" in vi
        assert f"{paper_rate} ({paper[0]}/{paper[1]})" in vi
        assert f"{_en(via_rate)} ({via[0]}/{via[1]})" in en
    # shortfalls: UBND-BQ needs 2 more documents via the software (12/13 > 90%)
    assert "UBND-BQ — qua phần mềm: 76,92% (10/13), chưa đạt chỉ tiêu trên 90%" in vi
    assert "cần thêm ít nhất 2 văn bản đạt yêu cầu" in vi
    assert "at least 2 more qualifying documents needed" in en


def test_markdown_says_what_the_rates_leave_out(rendered) -> None:
    """The samples' register has a duplicate, two rows outside the period and two unparsable rows
    (samples/MANIFEST.md): the Markdown report says so under its summary, as the table does."""
    assert "Loại trừ: trùng 1, ngoài kỳ 2, lỗi 2" in rendered[("md", "vi")].decode("utf-8")
    assert "Excluded: duplicate 1, out of period 2, unparsable 2" in rendered[("md", "en")].decode("utf-8")


def test_html_is_self_contained_and_complete(rendered, report) -> None:
    html = rendered[("html", "vi")].decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(?:src|href)=["'](?!#|data:)""", html), "only in-page or data: references"
    assert "<link rel=\"stylesheet\"" not in html and "@import" not in html and "url(" not in html
    # header: period, sources, trust-root fingerprints, tool and rule-pack versions
    assert "từ ngày 01/01/2021 đến ngày 30/06/2021" in html
    assert "samples/register.csv" in html
    assert report["trust"]["fingerprint"] in html
    for cert in report["trust"]["certificates"]:
        assert cert["sha256"] in html
    assert "docaudit 0.1.0" in html or f"docaudit {report['tool']['version']}" in html
    assert "default (phiên bản 1)" in html
    # chart with target lines, badges, breakdowns, table of entries not counted, findings by rule
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg.count('class="target ') == 2 and "&gt; 90%" in svg and "&gt; 80%" in svg
    assert svg.count("<rect class=\"bar ") == 2 * 4 + 2     # 3 agencies + overall, 2 bars; 2 legend swatches
    assert 'class="badge exceeded">vượt<' in html and 'class="badge not_met">chưa đạt<' in html
    for heading in ("Theo chiều văn bản", "Theo loại văn bản", "Theo tháng", "Phát hiện theo quy tắc"):
        assert heading in html
    not_counted = [e for e in report["entries"] if e["not_counted"]]
    table = re.search(r'<table id="entries".*?</table>', html, re.S).group(0)
    assert table.count("<tr data-agency=") == len(not_counted) == 14
    assert "chữ ký số không hợp lệ" in table and "HASH_FAILURE" in table
    assert "file-missing" in table and "path-outside-root" in table
    # the script is allowed by its hash in the CSP, and nothing else is
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src &#39;sha256-{digest}&#39;" in html
    assert "default-src &#39;none&#39;" in html


def test_html_breakdown_by_direction() -> None:
    from docaudit.report import breakdown as bd

    typed = samples_report()
    groups = {g.key: g for g in bd.breakdown(typed, "direction")}
    assert (groups["outgoing"].total, groups["outgoing"].via_software.count, groups["outgoing"].paperless.count) == (18, 15, 10)
    assert (groups["incoming"].total, groups["incoming"].via_software.count, groups["incoming"].paperless.count) == (8, 5, 2)
    months = bd.breakdown(typed, "month")
    assert [g.key for g in months] == sorted(g.key for g in months)
    assert sum(g.total for g in months) == 26
    assert sum(g.total for g in bd.breakdown(typed, "doc_type", "UBND-BQ")) == 13


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_xlsx_summary_matches_the_json(rendered, report, lang) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(rendered[("xlsx", lang)]))
    names = {"vi": ["Tổng hợp", "Văn bản", "Phát hiện"], "en": ["Summary", "Entries", "Findings"]}[lang]
    assert wb.sheetnames[:3] == names
    summary = wb[names[0]]
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, max_row=5, values_only=True)}
    overall_label = {"vi": "Tổng cộng", "en": "Overall"}[lang]
    words = {"vi": {True: ("đạt", "vượt"), False: ("chưa đạt",)}, "en": {True: ("met", "exceeded"), False: ("not met",)}}
    for name, figures in [*report["agencies"].items(), (overall_label, report["overall"])]:
        row = rows[name]
        assert row[1] == figures["total"]
        for offset, rate in ((2, "via_software"), (8, "paperless")):
            data = figures[rate]
            assert row[offset] == data["count"] and row[offset + 1] == data["claimed"]
            assert row[offset + 2] == figures["total"]            # default pack: denominator = total
            assert row[offset + 3] == pytest.approx(data["rate"])
            assert row[offset + 5] in words[lang][data["meets_target"]]
        assert summary.cell(row=list(rows).index(name) + 2, column=6).number_format == "0.00%"
    assert rows["HU-BQ"][7] == ("vượt" if lang == "vi" else "exceeded")
    entries = wb[names[1]]
    assert entries.max_row == 1 + len(report["entries"])
    assert entries.auto_filter.ref and entries.auto_filter.ref.startswith("A1:")
    assert entries.freeze_panes == "A2"
    assert entries.column_dimensions["G"].width >= 30            # subject column is readable
    findings = wb[names[2]]
    assert findings.max_row == 1 + sum(len(e["findings"]) for e in report["entries"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_docx_is_an_nd30_report(rendered, lang) -> None:
    document = docx.Document(io.BytesIO(rendered[("docx", lang)]))
    section = document.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.5)
    assert section.page_height.mm == pytest.approx(297, abs=0.5)
    assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(docx.oxml.ns.qn(attr)) == "Times New Roman", attr
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables[1:-1] for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r.font.name == "Times New Roman" and 13 <= r.font.size.pt <= 14 for r in runs)
    # the header and the signature block (first and last table): NĐ 30 sets 11–14 pt per element
    layout = [r for t in (document.tables[0], document.tables[-1]) for row in t.rows for c in row.cells
              for p in c.paragraphs for r in p.runs]
    assert layout and all(r.font.name == "Times New Roman" and 11 <= r.font.size.pt <= 14 for r in layout)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.startswith("BÁO CÁO\nKết quả kiểm tra tỷ lệ văn bản")  # NĐ 30's type title, in Vietnamese
    if lang == "vi":
        assert "từ ngày 01/01/2021 đến ngày 30/06/2021" in text
        assert _sentence_vi(None, OVERALL) in text
        assert _sentence_vi("UBND-BQ", EXPECTED["UBND-BQ"]) in text
        assert "III. CÁC CHỈ TIÊU CHƯA ĐẠT" in text
    else:
        assert _sentence_en(None, OVERALL) in text
    table = [[c.text for c in row.cells] for row in document.tables[1].rows]  # [0]: the NĐ 30 header
    by_name = {row[0]: row for row in table}
    suffix = (lambda s: s) if lang == "vi" else _en
    for name, (total, via, via_rate, paper, paper_rate, (w1, w2)) in EXPECTED.items():
        assert by_name[name][1] == str(total)
        assert by_name[name][2] == f"{suffix(via_rate)} ({via[0]}/{via[1]})"
        assert by_name[name][4] == f"{suffix(paper_rate)} ({paper[0]}/{paper[1]})"
        assert by_name[name][3] == (w1 if lang == "vi" else EN_WORDS[w1])


def test_json_format_round_trips(report) -> None:
    assert json.loads(render(report, "json", "vi")) == json.loads(json.dumps(report))


def test_unknown_format_or_language_is_a_usage_error(report) -> None:
    with pytest.raises(UsageError, match="unknown report format"):
        render(report, "pdf", "vi")
    with pytest.raises(UsageError, match="unknown language"):
        render(report, "html", "fr")


def test_keys_that_come_later_are_shown_and_missing_keys_are_fine(report) -> None:
    """A minimal contract report renders in every format; ``findings_by_rule`` and findings with
    references appear when present."""
    minimal = {key: report[key] for key in ("schema", "period", "targets", "agencies", "overall")}
    minimal["agencies"] = {name: {k: v for k, v in fig.items() if k in ("total", "via_software", "paperless")}
                           for name, fig in report["agencies"].items()}
    for fmt in ("html", "md", "xlsx", "docx", "json"):
        assert render(minimal, fmt, "vi")
    assert render({"schema": "docaudit.report/1"}, "html", "en")

    richer = json.loads(json.dumps(report))
    richer["agencies"]["UBND-BQ"]["findings_by_rule"] = {"ND30-SO-KY-HIEU": 4}
    entry = next(e for e in richer["entries"] if e["agency"] == "UBND-BQ" and e["not_counted"])
    entry["findings"] = [{"rule": "ND30-SO-KY-HIEU", "severity": "warning", "message": "số ký hiệu sai",
                          "message_en": "bad number", "reference": "NĐ 30/2020/NĐ-CP, Phụ lục I, khoản 3"}]
    html = render(richer, "html", "vi").decode()
    assert "ND30-SO-KY-HIEU" in html and "NĐ 30/2020/NĐ-CP, Phụ lục I, khoản 3" in html and "số ký hiệu sai" in html
    assert "bad number" in render(richer, "html", "en").decode()
    wb = openpyxl.load_workbook(io.BytesIO(render(richer, "xlsx", "en")))
    rules = {row[0]: row for row in wb["By rule"].iter_rows(min_row=2, values_only=True)}
    assert rules["ND30-SO-KY-HIEU"][-1] == 4
    assert "ND30-SO-KY-HIEU" in render(richer, "md", "vi").decode()


def test_xlsx_and_docx_are_zip_packages(rendered) -> None:
    for fmt in ("xlsx", "docx"):
        assert zipfile.is_zipfile(io.BytesIO(rendered[(fmt, "vi")]))
