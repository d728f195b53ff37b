"""An audit of several registers names the register wherever it names a row: each register numbers
its own rows, so "dòng 3" alone would point at two rows. A single register reads as before."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from docaudit.audit import run_audit
from docaudit.config import load_config
from docaudit.report import annotations
from docaudit.report.formats import render

from ..cli.helpers import run_cli
from .conftest import ROWS, TRUST, build_folder

BAD_ROW = "UBND-BQ,outgoing,09/QĐ-UBND,QĐ,2021-02-30,bad,x,electronic,yes,\n"
DUPLICATE = "UBND-BQ,outgoing,01/qđ-ubnd,QĐ,2021-01-05,again,x,electronic,yes,files/ubnd-bq/di/01-qd-ubnd.pdf\n"


def _folder(root):
    """Rows 2-4: valid, invalid, missing file; row 5 cannot be read; row 6 repeats row 2."""
    folder = build_folder(root, [r for r in ROWS if r[6] in ("valid", "invalid", "missing") and r[0] == "UBND-BQ"])
    register = folder / "register.csv"
    register.write_text(register.read_text(encoding="utf-8") + BAD_ROW + DUPLICATE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    """Two folders, each with its own register.csv holding the same rows."""
    tmp = tmp_path_factory.mktemp("names")
    _folder(tmp / "bac-quang")
    _folder(tmp / "vi-xuyen")
    (tmp / "docaudit.toml").write_text(
        f'period = "2021"\ntrust = ["{TRUST}"]\ndb = "db.sqlite"\n\n'
        f'[[source]]\nroot = "bac-quang"\n\n[[source]]\nroot = "vi-xuyen"\n', encoding="utf-8")
    return tmp, run_audit(load_config(tmp / "docaudit.toml"), today=dt.date(2022, 1, 1)).report


ONE, TWO = "bac-quang/register.csv", "vi-xuyen/register.csv"


def test_the_json_report_names_each_rows_register(audit):
    _, report = audit
    data = json.loads(render(report, "json", "vi"))
    assert [(e["register"], e["row"]) for e in data["entries"]] == [(ONE, 2), (ONE, 3), (ONE, 4),
                                                                    (TWO, 2), (TWO, 3), (TWO, 4)]
    assert [(e["register"], e["row"]) for e in data["row_errors"]] == [(ONE, 5), (TWO, 5)]
    assert data["row_errors"][1]["reason"].startswith(f"{TWO}: date '2021-02-30'")
    assert data["row_errors"][1]["reason_vi"].startswith(f"{TWO}: ngày '2021-02-30'")
    assert data["duplicates"] == [{"row": 6, "duplicate_of_row": 2, "register": ONE},
                                  {"row": 6, "duplicate_of_row": 2, "register": TWO}]


@pytest.mark.parametrize("lang, row", [("vi", "dòng"), ("en", "row")])
def test_the_table_names_the_register_of_each_bad_row(audit, lang, row):
    _, report = audit
    text = render(report, "table", lang).decode("utf-8")
    assert f"  {ONE}, {row} 5: " in text and f"  {TWO}, {row} 5: " in text
    assert f"{row} 5: {ONE}" not in text  # not "dòng 5: bac-quang/register.csv: …"
    assert ("ngày '2021-02-30' không phải ngày hợp lệ" if lang == "vi" else "date '2021-02-30' is not") in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_markdown_and_csv_name_the_register_beside_the_row(audit, lang):
    _, report = audit
    row = "dòng" if lang == "vi" else "row"
    heading = "Sổ đăng ký" if lang == "vi" else "Register"
    html = render(report, "html", lang).decode("utf-8")
    assert f'<button type="button">{heading}</button>' in html
    assert f'<td class="nowrap">{TWO}</td>' in html
    assert f"<li>{TWO}, {row} 5 (UBND-BQ): " in html
    duplicate = f"{TWO}, dòng 6 trùng với dòng 2" if lang == "vi" else f"{TWO}, row 6 duplicates row 2"
    assert f"<li>{duplicate}</li>" in html
    md = render(report, "md", lang).decode("utf-8")
    assert f"| UBND-BQ | {TWO} | 3 | 03/QĐ-UBND |" in md
    assert f"- {TWO}, {row} 5 (UBND-BQ): " in md
    lines = render(report, "csv", lang).decode("utf-8").splitlines()
    assert lines[0].startswith("register,row,agency,")
    assert [line.split(",")[:2] for line in lines[1:]] == [[ONE, "2"], [ONE, "3"], [ONE, "4"],
                                                           [TWO, "2"], [TWO, "3"], [TWO, "4"]]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_workbook_names_the_register_beside_the_row(audit, lang):
    _, report = audit
    book = load_workbook(io.BytesIO(render(report, "xlsx", lang)))
    heading = "Sổ đăng ký" if lang == "vi" else "Register"
    entries, findings, about = book.worksheets[1], book.worksheets[2], book.worksheets[5]
    assert [c.value for c in entries[1][:2]] == [heading, "Dòng" if lang == "vi" else "Row"]
    assert [(r[0].value, r[1].value) for r in entries.iter_rows(min_row=2)] == [
        (ONE, 2), (ONE, 3), (ONE, 4), (TWO, 2), (TWO, 3), (TWO, 4)]
    assert entries["G2"].number_format == ("DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD")  # the date column
    assert findings[1][1].value == heading
    assert {r[1].value for r in findings.iter_rows(min_row=2)} == {ONE, TWO}
    row = "dòng" if lang == "vi" else "row"
    texts = [r[1].value for r in about.iter_rows() if r[1].value]
    assert any(str(v).startswith(f"{TWO}, {row} 5: ") for v in texts)


def test_junit_codequality_and_annotations_name_the_register(audit):
    _, report = audit
    junit = render(report, "junit", "vi").decode("utf-8")
    assert f"03/QĐ-UBND (files/ubnd-bq/di/03-qd-ubnd.pdf, {TWO}, dòng 3)" in junit
    assert f"03/QĐ-UBND (files/ubnd-bq/di/03-qd-ubnd.pdf, {ONE}, dòng 3)" in junit
    issues = json.loads(render(report, "codequality", "en"))
    assert any(f"UBND-BQ 07/KH-UBND ({TWO}, row 4): " in i["description"] for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # the same finding in two registers: two issues
    lines = annotations.lines(report, "github", "en")
    assert any(f"({ONE}, row 4)" in line for line in lines) and any(f"({TWO}, row 4)" in line for line in lines)


def test_docx_still_renders(audit):
    """The Word report names no row (figures, narrative, shortfalls): nothing to add there."""
    _, report = audit
    assert zipfile.is_zipfile(io.BytesIO(render(report, "docx", "vi")))


def test_the_cli_names_each_register_on_stderr_and_in_its_table(audit):
    tmp, _ = audit
    proc = run_cli("audit", "--no-db", "--quiet", "--exit-zero", "--format", "json", cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"{ONE}: row 5: date '2021-02-30' is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY)",
        f"{TWO}: row 5: date '2021-02-30' is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY)"]
    table = run_cli("audit", "--no-db", "--quiet", "--exit-zero", cwd=tmp)
    assert f"{TWO}, dòng 5: ngày '2021-02-30'" in table.stdout


def test_a_source_name_names_its_register(tmp_path):
    _folder(tmp_path / "a")
    _folder(tmp_path / "b")
    (tmp_path / "docaudit.toml").write_text(
        f'period = "2021"\ntrust = ["{TRUST}"]\n\n[[source]]\nname = "huyen-bac-quang"\nroot = "a"\n\n'
        f'[[source]]\nroot = "b"\n', encoding="utf-8")
    report = run_audit(load_config(tmp_path / "docaudit.toml"), store=False, today=dt.date(2022, 1, 1)).report
    assert [e.register for e in report.row_errors] == ["huyen-bac-quang", "register.csv"]
    assert report.row_errors[0].text("vi").startswith("huyen-bac-quang: ngày")
    assert report.row_errors[0].problem("en").startswith("date '2021-02-30'")
    assert {e.register for e in report.entries} == {"huyen-bac-quang", "register.csv"}


def test_register_labels():
    from docaudit.pipeline.merge import register_labels

    assert register_labels(["/x/one/so.csv", "/x/two/so.xlsx"]) == ("so.csv", "so.xlsx")
    assert register_labels(["/x/one/register.csv", "/x/two/register.csv"]) == ("one/register.csv", "two/register.csv")
    assert register_labels(["/a/q1/register.csv", "/b/q1/register.csv", "/c/so.csv"]) == (
        "a/q1/register.csv", "b/q1/register.csv", "so.csv")
    # a configured name, unless two sources share it
    assert register_labels(["/x/one/register.csv", "/x/two/so.csv"], ["bq", None]) == ("bq", "so.csv")
    assert register_labels(["/x/one/register.csv", "/x/two/register.csv"], ["bq", "bq"]) == (
        "one/register.csv", "two/register.csv")
    assert register_labels(["/x/one/register.csv", "/x/two/register.csv"], ["register.csv", None]) == (
        "register.csv", "two/register.csv")
    # the same file twice: told apart by position
    assert register_labels(["/x/register.csv", "/x/register.csv"]) == ("/x/register.csv (1)", "/x/register.csv (2)")


def test_one_register_reads_as_before(tmp_path):
    """No register key, no register column: a single register's rows need no name."""
    _folder(tmp_path / "a")
    (tmp_path / "docaudit.toml").write_text(
        f'period = "2021"\ntrust = ["{TRUST}"]\n\n[[source]]\nroot = "a"\n', encoding="utf-8")
    report = run_audit(load_config(tmp_path / "docaudit.toml"), store=False, today=dt.date(2022, 1, 1)).report
    data = json.loads(render(report, "json", "vi"))
    assert not any("register" in e for e in [*data["entries"], *data["row_errors"], *data["duplicates"]])
    assert data["row_errors"][0]["reason"].startswith("date '2021-02-30'")
    assert "  dòng 5: ngày '2021-02-30'" in render(report, "table", "vi").decode("utf-8")
    assert render(report, "csv", "vi").decode("utf-8").startswith("row,agency,")
    assert "Sổ đăng ký</button>" not in render(report, "html", "vi").decode("utf-8")
