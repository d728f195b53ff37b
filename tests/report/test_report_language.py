"""Rendered reports speak the reader's language: register row errors, notes and CSV findings."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

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


def test_english_csv_has_english_finding_messages(tmp_path: Path) -> None:
    proc = run_cli("scan", _samples(tmp_path), "--trust", SAMPLES / "trust" / "root.pem", "--no-db",
                   "--format", "csv", "--lang", "en")
    findings = " ".join(row["findings"] for row in csv.DictReader(io.StringIO(proc.stdout)))
    assert "SIG009: " in findings and "khuyến nghị" not in findings
