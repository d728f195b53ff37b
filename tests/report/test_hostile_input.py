"""Register text is data, never markup or formulas: a subject ``<script>alert(1)</script>`` and a
``=HYPERLINK(…)`` come out inert in html, xlsx and md."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import openpyxl
import pytest


from .helpers import FORMULA_SUBJECT, XSS_AGENCY, XSS_SUBJECT, hostile_report, render


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    data = hostile_report(tmp_path_factory.mktemp("hostile") / "audit").to_json()
    assert {e["subject"] for e in data["entries"]} >= {XSS_SUBJECT, FORMULA_SUBJECT}
    assert XSS_AGENCY in data["agencies"]
    return data


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_escapes_register_text(report, lang) -> None:
    html = render(report, "html", lang).decode("utf-8")
    assert XSS_SUBJECT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<b>missing" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    parsed = _Elements()
    parsed.feed(html)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "report-data"}, {}], "only our two script elements"
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs), "no event handler attributes"
    # the JSON block cannot close its <script>: <, > and & are \u-escaped, and it still parses
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c/script\\u003e" in block
    assert XSS_AGENCY in json.loads(block)["agencies"]


def test_markdown_escapes_register_text(report) -> None:
    md = render(report, "md", "vi").decode("utf-8")
    assert XSS_SUBJECT not in md and "\\<script\\>alert(1)\\</script\\>" in md
    assert not re.search(r"(?<!\\)[<>]", md), "every < and > is backslash-escaped"
    assert "\\<img src=x onerror=alert(2)\\>" in md
    width = None                                          # no cell injected by a '|' in the text
    for line in md.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        width = width or pipes
        assert pipes == width, line


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_xlsx_has_no_formula_anywhere(report, lang) -> None:
    data = render(report, "xlsx", lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    seen = {}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    seen[cell.value] = cell
    for text in (FORMULA_SUBJECT, "=1+1", "-2+3"):       # subject and register numbers
        cell = seen[text]
        assert cell.data_type == "s" and cell.quotePrefix, text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", package.read(name)), name
    assert XSS_AGENCY in {ws.cell(row=r, column=1).value for ws in [wb.worksheets[0]] for r in range(2, 5)}


def test_docx_keeps_the_text_as_text(report) -> None:
    import docx

    document = docx.Document(io.BytesIO(render(report, "docx", "vi")))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert XSS_AGENCY in cells
