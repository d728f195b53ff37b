"""Rendered reports speak the reader's language: register row errors, notes and CSV findings."""

from __future__ import annotations

import csv
import json
import io
import shutil
from pathlib import Path

from docaudit.report.i18n import datetime_text

from ..cli.helpers import run_cli
from ..conftest import SAMPLES


def _samples(tmp_path: Path) -> Path:
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".docaudit"))
    return root


def test_vietnamese_markdown_has_vietnamese_row_errors_and_notes(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    proc = run_cli("scan", _samples(tmp_path), "--no-db", "--format", "md", "--output", out)  # no --trust
    text = out.read_text(encoding="utf-8")
    assert "dòng 18 (UBND-BQ): ngày '31/02/2021' không phải ngày hợp lệ" in text
    assert "is not a valid date" not in text
    assert "không chứng thư gốc nào được tin cậy" in text and "nothing is trusted" not in text
    assert "không chứng thư gốc nào được tin cậy" in proc.stderr
    assert "**Chứng thư gốc tin cậy:** không có" in text  # not the SHA-256 of an empty set


def test_english_csv_has_english_finding_messages(tmp_path: Path) -> None:
    proc = run_cli("scan", _samples(tmp_path), "--trust", SAMPLES / "trust" / "root.pem", "--no-db",
                   "--format", "csv", "--lang", "en")
    findings = " ".join(row["findings"] for row in csv.DictReader(io.StringIO(proc.stdout)))
    assert "SIG009: " in findings and "khuyến nghị" not in findings


def test_file_problems_are_worded_in_each_language_without_repeating_themselves(tmp_path: Path) -> None:
    root = tmp_path / "a"
    (root / "files").mkdir(parents=True)
    (root / "files" / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n")  # no %%EOF
    (root / "register.csv").write_text(
        "agency,direction,number,date,channel,via_system,file\n"
        "A,đi,1/QĐ,2021-03-05,điện tử,có,files/none.pdf\n"
        "A,đi,2/QĐ,2021-03-06,điện tử,có,files/cut.pdf\n"
        "A,đi,3/QĐ,2021-03-07,điện tử,có,../outside.pdf\n", encoding="utf-8")
    report = json.loads(run_cli("scan", root, "--no-db", "--format", "json").stdout)
    messages = {e["number"]: next(f for f in e["findings"] if f["rule"].startswith(("file-", "path-")))
                for e in report["entries"]}
    assert messages["1/QĐ"]["message"] == "Không tìm thấy tệp files/none.pdf"
    assert messages["1/QĐ"]["message_en"] == "File files/none.pdf not found"
    assert messages["2/QĐ"]["message"] == ("Không đọc được tệp files/cut.pdf: PDF bị cắt cụt: cuối tệp không có "
                                           "dấu %%EOF")
    assert "trỏ ra ngoài thư mục kiểm tra" in messages["3/QĐ"]["message"]
    assert "resolves outside the audit root" in messages["3/QĐ"]["message_en"]


def test_the_scan_time_is_in_vietnam_time_in_vietnamese_reports() -> None:
    assert datetime_text("2021-03-05T20:00:20.7+00:00", "vi") == "06/03/2021 03:00:20 (giờ Việt Nam)"
    assert datetime_text("2021-03-05T20:00:20.7+00:00", "en") == "2021-03-05 20:00:20 UTC"
