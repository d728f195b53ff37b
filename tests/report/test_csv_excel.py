"""The CSV for Excel on Windows (``--excel``, ``csv_excel`` in docaudit.toml): a UTF-8 byte-order
mark and CRLF line ends, the same rows; the default CSV keeps its bytes (no mark, ``\\n``)."""

from __future__ import annotations

import codecs
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docaudit.config import load_config
from docaudit.errors import UsageError
from docaudit.report import formats

from ..audit.conftest import TRUST, basic_config, build_folder
from ..conftest import REPO, SAMPLES
from .helpers import render, samples_report

BOM = codecs.BOM_UTF8
VIETNAMESE = "Ủy ban nhân dân huyện Bắc Quang"  # in the samples' signers and findings


def _rows(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The console entry point, with stdout as bytes (the mark and the line ends are the point)."""
    env = {**os.environ, "DOCAUDIT_DB": ""}
    return subprocess.run([sys.executable, "-m", "docaudit.cli", *map(str, args)], capture_output=True,
                          env=env, cwd=cwd or REPO, timeout=300)


def _one_line_usage_error(proc: subprocess.CompletedProcess) -> str:
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, stderr
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr and "Warning" not in stderr, stderr
    assert proc.stdout == b""
    return stderr


def test_excel_csv_has_the_mark_crlf_and_the_same_rows() -> None:
    report = samples_report()
    plain = render(report, "csv", "vi")
    excel = formats.render(report, "csv", "vi", excel=True)
    assert not plain.startswith(BOM) and b"\r\n" not in plain  # the default keeps its bytes
    assert excel.startswith(BOM) and not excel.startswith(BOM * 2)
    records = plain.count(b"\n") - sum(cell.count("\n") for row in _rows(plain, "utf-8") for cell in row)
    assert excel.count(b"\r\n") == records == len(report.entries) + 1  # every record ends with CRLF
    assert _rows(excel, "utf-8-sig") == _rows(plain, "utf-8")
    assert VIETNAMESE in excel.decode("utf-8-sig")


def test_excel_csv_round_trips_through_utf_8_sig(tmp_path: Path) -> None:
    """Written to a file as an auditor would, and read back as Excel and Python read it."""
    path = tmp_path / "report.csv"
    formats.write_file(samples_report(), "csv", "en", path, excel=True)
    data = path.read_bytes()
    assert data.startswith(BOM) and data.endswith(b"\r\n")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "row"  # no mark left in the first header
    assert any(VIETNAMESE in cell for row in rows for cell in row)
    assert rows == _rows(render(samples_report(), "csv", "en"), "utf-8")


def test_excel_goes_with_csv_only() -> None:
    assert formats.get("csv", excel=True) is formats.EXCEL_CSV
    for name in ("json", "html", "xlsx", "table"):
        with pytest.raises(UsageError, match=f"--excel applies to --format csv only, not --format {name}"):
            formats.get(name, excel=True)


def test_scan_and_report_with_excel(tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    out = tmp_path / "out" / "bao-cao.csv"
    proc = _run("scan", SAMPLES, "--trust", TRUST, "--period", "2021-H1", "--db", db,
                "--format", "csv", "--excel", "--output", out)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(BOM) and b"\r\n" in data
    assert VIETNAMESE in out.read_text(encoding="utf-8-sig")

    stored = _run("report", "--db", db, "--format", "csv", "--excel")  # to stdout: the same bytes
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout == data
    plain = _run("report", "--db", db, "--format", "csv")
    assert not plain.stdout.startswith(BOM) and b"\r\n" not in plain.stdout
    assert _rows(plain.stdout, "utf-8") == _rows(data, "utf-8-sig")


@pytest.mark.parametrize("command", ["scan", "report"])
@pytest.mark.parametrize("fmt", ["json", "html"])
def test_excel_with_another_format_is_a_one_line_usage_error(tmp_path: Path, command: str, fmt: str) -> None:
    args = ([SAMPLES, "--no-db"] if command == "scan" else ["--db", tmp_path / "none.sqlite"])
    english = _one_line_usage_error(_run(command, *args, "--format", fmt, "--excel", "--lang", "en"))
    assert f"--excel applies to --format csv only, not --format {fmt}" in english
    vietnamese = _one_line_usage_error(_run(command, *args, "--format", fmt, "--excel"))
    assert f"--excel chỉ dùng với --format csv, không dùng với --format {fmt}" in vietnamese


def test_audit_csv_excel_in_the_config(tmp_path: Path) -> None:
    root = build_folder(tmp_path / "audit")
    work = tmp_path / "work"
    work.mkdir()
    basic_config(work, root, extra='jobs = 1\n[output]\ndir = "reports"\nformats = ["csv"]\ncsv_excel = true')
    proc = _run("audit", "--quiet", "--exit-zero", cwd=work)
    assert proc.returncode == 0, proc.stderr
    data = (work / "reports" / "docaudit-report.csv").read_bytes()
    assert data.startswith(BOM) and data.count(b"\r\n") == data.count(b"\n")
    assert "Trích yếu valid" in data.decode("utf-8-sig")

    # --format csv on stdout follows the same setting
    shown = _run("audit", "--quiet", "--exit-zero", "--format", "csv", cwd=work)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(BOM) and _rows(shown.stdout, "utf-8-sig")[1:] == _rows(data, "utf-8-sig")[1:]


def test_audit_excel_flag_and_its_refusals(tmp_path: Path) -> None:
    root = build_folder(tmp_path / "audit")
    proc = _run("audit", root, "--no-db", "--trust", TRUST, "--format", "csv", "--excel", "--exit-zero")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(BOM) and b"\r\n" in proc.stdout

    stderr = _one_line_usage_error(_run("audit", root, "--no-db", "--excel", "--lang", "en"))
    assert "--excel applies to a CSV report, and this audit writes none" in stderr
    stderr = _one_line_usage_error(_run("audit", root, "--no-db", "--format", "json", "--excel", "--lang", "en"))
    assert "not --format json" in stderr


def test_csv_excel_setting_must_be_true_or_false(tmp_path: Path) -> None:
    root = build_folder(tmp_path / "audit")
    path = basic_config(tmp_path, root, extra='[output]\nformats = ["csv"]\ncsv_excel = "yes"')
    with pytest.raises(Exception, match=r"output\.csv_excel.*expected true or false"):
        load_config(path)
    path = basic_config(tmp_path, root, extra='[output]\nformats = ["csv"]\ncsv_excel = true')
    assert load_config(path).output.csv_excel is True
