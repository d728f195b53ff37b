"""The DOCX báo cáo is an NĐ 30/2020 administrative document that passes docaudit's own ``check``:
Quốc hiệu and Tiêu ngữ, tên cơ quan, ``Số:``, place and date, ``BÁO CÁO`` and its trích yếu, the
content, ``Nơi nhận:`` and the signature block — from the office's ``[report]`` settings, or the
decree's placeholders when there are none."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import docx
import pytest

from docaudit.report.docx import date_line
from docaudit.report.settings import ReportSettings
from docaudit.rules import nd30

from .helpers import render, samples_report

SETTINGS = ReportSettings(
    parent_agency="UBND tỉnh Hà Giang", agency="Ủy ban nhân dân huyện Bắc Quang", number="15/BC-UBND",
    place="Bắc Quang", recipients=("UBND tỉnh Hà Giang", "Sở Nội vụ"), archive="VT, VP",
    authority=("TM. Ủy ban nhân dân", "KT. Chủ tịch"), position="Phó Chủ tịch", signer="Nguyễn Văn An",
)
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def _docx(lang: str, settings: ReportSettings | None = None, report=None) -> bytes:
    from docaudit.report import formats

    return formats.render(report or samples_report(), "docx", lang, settings)


def _check(capsys, path: Path) -> tuple[int, list[dict]]:
    """``docaudit check FILE --format json`` (the console entry point, in-process): exit code and
    findings."""
    from docaudit.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["check", str(path), "--format", "json", "--lang", "en"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Warning" not in err, err
    (document,) = json.loads(out)["documents"]
    return exit_.value.code, document["findings"]


def _cells(table) -> list[list[str]]:
    """Each cell's lines."""
    return [[c.text.split("\n") for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_report_passes_docaudit_check(capsys, tmp_path, lang) -> None:
    path = tmp_path / f"bao-cao-{lang}.docx"
    path.write_bytes(_docx(lang, SETTINGS))
    code, findings = _check(capsys, path)
    assert code == 0
    assert findings == []  # no error, and no warning either: FMT001–FMT010, SEC001 all pass


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_without_settings_only_the_number_and_the_place_are_left_to_fill_in(capsys, tmp_path, lang) -> None:
    """The placeholders pass every rule they can: an office that has not set [report] gets a check
    that names just the number ("Số: …/BC-…" has none, an error) and the place ("……", a warning)."""
    path = tmp_path / f"mau-{lang}.docx"
    path.write_bytes(_docx(lang))
    code, findings = _check(capsys, path)
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in findings] == [("FMT002", "error"), ("FMT005", "warning")]
    document = docx.Document(io.BytesIO(path.read_bytes()))
    header, footer = _cells(document.tables[0]), _cells(document.tables[-1])
    assert header[0][0][0] == "TÊN CƠ QUAN, TỔ CHỨC" and header[1][0] == ["Số: …/BC-…"]
    assert header[1][1][0].startswith("……, ngày ")
    assert footer[0][0] == ["Nơi nhận:", "- ……;", "- Lưu: VT."]
    assert footer[0][1][0] == "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ" and footer[0][1][-1] == "Họ và tên"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_settings_fill_the_nd30_layout(lang) -> None:
    report = samples_report()
    document = docx.Document(io.BytesIO(_docx(lang, SETTINGS, report)))
    # upper left the agencies and the number, upper right the Quốc hiệu, Tiêu ngữ and the date line
    header = _cells(document.tables[0])
    assert header[0][0][:2] == ["UBND TỈNH HÀ GIANG", "ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"]
    assert header[0][1] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    day = report.finished.astimezone(VIETNAM).date()
    assert header[1] == [["Số: 15/BC-UBND"], [date_line("Bắc Quang", day)]]
    assert header[1][1][0].startswith(f"Bắc Quang, ngày {day:%d} tháng ")
    # the type title and the trích yếu stay Vietnamese; an English report adds what it says
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:2] == ["BÁO CÁO", "Kết quả kiểm tra tỷ lệ văn bản đi/đến được thực hiện qua phần mềm và "
                                         "chuyển hoàn toàn trên môi trường mạng"]
    if lang == "en":
        assert paragraphs[2] == "(Audit of the share of documents handled through the software and moved fully online)"
        assert "I. SUMMARY" in paragraphs and "II. FIGURES" in paragraphs
    else:
        assert "I. KẾT QUẢ CHUNG" in paragraphs
    # bottom left the recipients, bottom right the signer
    footer = _cells(document.tables[-1])
    assert footer[0][0] == ["Nơi nhận:", "- UBND tỉnh Hà Giang;", "- Sở Nội vụ;", "- Lưu: VT, VP."]
    signature = [line for line in footer[0][1] if line]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    assert footer[0][1][3:7] == ["", "", "", ""]  # room for the signature and the seal


def test_the_layout_follows_nd30_sizes_and_has_no_borders() -> None:
    document = docx.Document(io.BytesIO(_docx("vi", SETTINGS)))
    header, footer = document.tables[0], document.tables[-1]

    def run(table, row: int, col: int, line: int):
        return table.rows[row].cells[col].paragraphs[line].runs[0]

    national, motto = run(header, 0, 1, 0), run(header, 0, 1, 1)
    assert national.bold and national.font.size.pt == 12                       # 12–13 pt, bold capitals
    assert motto.bold and motto.underline and motto.font.size.pt == 13          # 13–14 pt, bold, underlined
    assert run(header, 0, 0, 1).bold and run(header, 0, 0, 1).font.size.pt == 13   # the agency, bold
    assert not run(header, 0, 0, 0).bold                                        # the parent agency, not bold
    assert run(header, 1, 1, 0).italic                                          # the date line
    recipients = run(footer, 0, 0, 0)
    assert recipients.text == "Nơi nhận:" and recipients.bold and recipients.italic and recipients.font.size.pt == 12
    assert run(footer, 0, 0, 1).font.size.pt == 11
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO").runs[0]
    assert title.bold and title.font.size.pt == 14
    for table in (header, footer):  # layout tables, not grids
        assert table.style is None or table.style.name != "Table Grid"
        assert table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders")) is None
    assert document.tables[1].style.name == "Table Grid"  # the figures keep their grid


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2026, 12, 6), "Bắc Quang, ngày 06 tháng 12 năm 2026"),
    (dt.date(2021, 2, 5), "Bắc Quang, ngày 05 tháng 02 năm 2021"),
    (dt.date(2021, 3, 15), "Bắc Quang, ngày 15 tháng 3 năm 2021"),
])
def test_the_date_line_is_written_as_nd30_asks(day, text) -> None:
    """Days below 10 and months 1–2 with a leading zero, later months without; FMT005 reads it back."""
    assert date_line("Bắc Quang", day) == text
    found = nd30.find_date_line(text)
    assert found is not None and found.place == "Bắc Quang" and found.date == day and found.problems == ()


def test_the_date_is_the_day_the_run_finished_in_vietnam() -> None:
    late = dataclasses.replace(samples_report(), finished=dt.datetime(2021, 6, 30, 20, 0, tzinfo=dt.timezone.utc))
    document = docx.Document(io.BytesIO(_docx("vi", SETTINGS, late)))
    assert document.tables[0].rows[1].cells[1].text == "Bắc Quang, ngày 01 tháng 7 năm 2021"


def test_a_report_without_a_finish_time_leaves_the_date_to_fill_in() -> None:
    minimal = {"schema": "docaudit.report/1"}
    document = docx.Document(io.BytesIO(render(minimal, "docx", "vi")))
    assert document.tables[0].rows[1].cells[1].text == "……, ngày … tháng … năm …"


def test_a_custom_subject_and_a_two_line_agency_name() -> None:
    settings = dataclasses.replace(SETTINGS, subject="Kết quả chuyển văn bản điện tử 6 tháng đầu năm 2021",
                                   agency="Sở Thông tin\nvà Truyền thông", parent_agency=None)
    document = docx.Document(io.BytesIO(_docx("en", settings)))
    assert _cells(document.tables[0])[0][0][:2] == ["SỞ THÔNG TIN", "VÀ TRUYỀN THÔNG"]
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[1] == "Kết quả chuyển văn bản điện tử 6 tháng đầu năm 2021"
    assert not paragraphs[2].startswith("(Audit of")  # no gloss for the office's own words
