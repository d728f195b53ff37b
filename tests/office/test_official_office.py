"""An office folder kept as a huyện's văn thư keeps it: the NĐ 30/2020 Phụ lục IV registers in Excel,
unchanged (title block, their own headers, the column-number row, a "Tệp đính kèm" column added), a
register profile in docaudit.toml, file names typed in decomposed Unicode, one agency spelled two
ways. Every figure below was counted by hand from the rows."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from ..cli.helpers import run_cli
from ..conftest import SAMPLES

TRUST = SAMPLES / "trust" / "root.pem"
VALID = SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"
VALID_2 = SAMPLES / "files" / "ubnd-bq" / "di" / "15-ubnd-vp.pdf"
VALID_3 = SAMPLES / "files" / "ubnd-bq" / "di" / "05-tb-ubnd.pdf"
INVALID = SAMPLES / "files" / "ubnd-bq" / "di" / "03-qd-ubnd.pdf"

OUTGOING_HEADER = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
                   "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
                   "Ghi chú", "Tệp đính kèm"]
INCOMING_HEADER = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung",
                   "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú", "Tệp đính kèm"]

PROFILES = """
[[source]]
name = "Sổ đi"
root = "."
register = "Sổ đi 2021.xlsx"
[source.constants]
channel = "điện tử"
via_system = true

[[source]]
name = "Sổ đến"
root = "."
register = "Sổ đến 2021.xlsx"
period_column = "Ngày đến"
[source.constants]
channel = "điện tử"
via_system = true
"""


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def workbook(path: Path, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for cells in rows:
        sheet.append(cells)
    book.save(path)


def build_office(root: Path) -> Path:
    (root / "Văn bản đi").mkdir(parents=True)
    (root / "Văn bản đến").mkdir()
    shutil.copy(VALID, root / "Văn bản đi" / "Quyết định 01.pdf")
    shutil.copy(VALID_2, root / "Văn bản đi" / "Công văn 123.pdf")
    shutil.copy(INVALID, root / "Văn bản đi" / "Kế hoạch 07.pdf")
    shutil.copy(VALID_3, root / "Văn bản đến" / "Thông báo 45.pdf")
    numbers = [f"({n})" for n in range(1, len(OUTGOING_HEADER) + 1)]
    workbook(root / "Sổ đi 2021.xlsx", [
        ["ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"], ["VĂN PHÒNG HĐND VÀ UBND"], [],
        ["SỔ ĐĂNG KÝ VĂN BẢN ĐI"], ["Năm 2021"], [],
        OUTGOING_HEADER, numbers,
        # typed with Unikey's "Unicode tổ hợp": the path is decomposed, the file on disk is not
        ["01/QĐ-UBND", "05/03/2021", "Quyết định ban hành Quy chế làm việc", "Nguyễn Văn A", "Các phòng",
         "VP", "2", "", "", "", nfd("Văn bản đi/Quyết định 01.pdf")],
        ["123/UBND-VP", "08/03/2021", "V/v báo cáo chuyển đổi số", "Nguyễn Văn A", "Sở Nội vụ", "VP", "1", "", "",
         "", "Văn bản đi\\Công văn 123.pdf"],
        ["07/KH-UBND", "10/03/2021", "Kế hoạch chuyển đổi số", "Nguyễn Văn A", "UBND các xã", "VP", "1", "", "",
         "", "Văn bản đi/Kế hoạch 07.pdf"],
        ["09/TB-UBND", "15/03/2021", "Thông báo lịch tiếp dân", "Nguyễn Văn A", "Niêm yết", "VP", "1", "", "",
         "", ""],
        ["02/QĐ-UBND", "20/02/2021", "Quyết định tháng trước", "Nguyễn Văn A", "Các phòng", "VP", "1", "", "",
         "", ""],
    ])
    workbook(root / "Sổ đến 2021.xlsx", [
        ["Ủy ban nhân dân huyện Bắc Quang"],  # the same agency, spelt another way
        ["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"], ["Năm 2021"],
        INCOMING_HEADER, [str(n) for n in range(1, len(INCOMING_HEADER) + 1)],
        # dated in February, arrived in March: in a March audit filtered on "Ngày đến"
        ["02/03/2021", "15", "UBND tỉnh Hà Giang", "45/TB-UBND", "26/02/2021", "Thông báo kết luận", "VP", "",
         "", "", nfd("Văn bản đến/Thông báo 45.pdf")],
        # dated in March, arrived in April: out of the period
        ["01/04/2021", "16", "Sở Tài chính", "88/STC-NS", "30/03/2021", "Công văn về dự toán", "VP", "", "", "", ""],
    ])
    (root / "docaudit.toml").write_text(
        f'period = "2021-03"\ntrust = ["{TRUST.as_posix()}"]\nlang = "vi"\n'
        f'[output]\nformats = ["json"]\ndir = "reports"\n{PROFILES}', encoding="utf-8")
    return root


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return build_office(tmp_path / "Văn thư UBND huyện")


def test_the_audit_of_unchanged_official_registers_gives_the_hand_counted_rates(office: Path) -> None:
    proc = run_cli("audit", "--no-db", cwd=office)
    assert proc.returncode == 1, proc.stderr  # 80% and 60%: below the targets, as counted
    assert "1 cơ quan chưa đạt chỉ tiêu (ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG)" in proc.stderr  # lang = "vi"
    report = json.loads((office / "reports" / "docaudit-report.json").read_text(encoding="utf-8"))
    # one agency, under its first spelling (the outgoing register's title block)
    assert list(report["agencies"]) == ["ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"]
    agency = report["agencies"]["ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG"]
    assert agency["total"] == 5  # 4 outgoing + 1 incoming that arrived in March
    assert agency["excluded"] == {"duplicate": 0, "out_of_period": 2, "unparsable": 0}
    assert (agency["via_software"]["count"], agency["via_software"]["claimed"]) == (4, 5)
    assert agency["via_software"]["rate"] == pytest.approx(4 / 5)
    assert (agency["paperless"]["count"], agency["paperless"]["claimed"]) == (3, 5)
    assert agency["signatures"] == {"valid": 3, "invalid": 1, "indeterminate": 0, "unsigned": 0}
    assert agency["files"] == {"present": 4, "missing": 0, "unreadable": 0, "outside_root": 0}
    by_number = {e["number"]: e for e in report["entries"]}
    assert by_number["01/QĐ-UBND"]["present"] and by_number["01/QĐ-UBND"]["verdict"] == "valid"
    assert by_number["45/TB-UBND"]["direction"] == "incoming" and by_number["45/TB-UBND"]["verdict"] == "valid"
    assert {e["doc_type"] for e in report["entries"] if "doc_type" in e} <= {"QĐ", "CV", "KH", "TB"}
    assert report["row_errors"] == []


def test_scan_reads_the_profile_of_the_register_it_is_given(office: Path, tmp_path: Path) -> None:
    # run from elsewhere: the audit folder's own docaudit.toml gives the profile
    proc = run_cli("scan", office, "--register", office / "Sổ đến 2021.xlsx", "--trust", TRUST,
                   "--period", "2021-03", "--format", "json", "--no-db", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["overall"]["total"] == 1 and report["overall"]["excluded"]["out_of_period"] == 1
    assert [e["number"] for e in report["entries"]] == ["45/TB-UBND"]


def test_without_the_profile_the_error_names_the_header_row_and_what_is_missing(office: Path, tmp_path: Path) -> None:
    (office / "docaudit.toml").unlink()
    proc = run_cli("scan", office, "--register", office / "Sổ đi 2021.xlsx", "--no-db", cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    line = proc.stderr
    assert "dòng 7" in line and "hình thức (channel), qua phần mềm (via_system)" in line
    assert "[source.constants]" in line and "Traceback" not in line
    for present in ("agency", "direction", "number", "date"):
        assert f"({present})" not in line
