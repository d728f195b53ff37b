"""``docaudit report`` and ``scan --format html|xlsx|docx|md`` through the real console entry point
(subprocess): a stored run renders without rescanning; usage errors exit 2 with one line."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from ..cli.helpers import run_cli
from ..conftest import SAMPLES
from .helpers import PERIOD, TRUST, make_hostile_root


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The samples scanned once through the CLI into a fresh SQLite database, as html."""
    folder = tmp_path_factory.mktemp("cli")
    db = f"sqlite:///{folder / 'runs.sqlite'}"
    html = folder / "scan.html"
    proc = run_cli("scan", SAMPLES, "--trust", TRUST, "--period", f"{PERIOD[0]}..{PERIOD[1]}", "--db", db,
                   "--format", "html", "--output", html)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    return {"db": db, "folder": folder, "html": html}


def _one_line_error(proc, *fragments: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("docaudit: error: ")
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_scan_writes_the_html_report(stored) -> None:
    text = stored["html"].read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "76,92% (20/26)" in text and "lần quét #1" in text.lower()


def test_report_renders_the_latest_stored_run(stored) -> None:
    proc = run_cli("report", "--db", stored["db"], "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("# Báo cáo kết quả kiểm tra văn bản điện tử")
    assert ("Tổng số văn bản đi/đến: 26; tỷ lệ văn bản được thực hiện qua phần mềm đạt 76,92% "
            "(chưa đạt chỉ tiêu trên 90%)") in proc.stdout
    assert "lần quét #1" in proc.stdout

    proc = run_cli("report", "1", "--db", stored["db"], "--format", "md", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "handled through the document-management software: 76.92% (target above 90%: not met)" in proc.stdout


def test_report_json_is_the_stored_report(stored) -> None:
    proc = run_cli("report", "--db", stored["db"], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "docaudit.report/1" and data["run_id"] == 1
    assert data["overall"]["via_software"]["count"] == 20


def test_report_binary_formats_to_a_file(stored, capsys) -> None:
    out = stored["folder"] / "report.xlsx"
    proc = run_cli("report", "--db", stored["db"], "--format", "xlsx", "--lang", "en", "--output", out)
    assert proc.returncode == 0, proc.stderr
    summary = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Summary"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["UBND-BQ"][2:6] == (10, 12, 13, pytest.approx(10 / 13))
    out = stored["folder"] / "report.docx"
    proc = _main(capsys, "report", "--db", stored["db"], "--format", "docx", "--output", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:2] == b"PK"


def test_report_from_an_audit_folder(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DOCAUDIT_DB", "")
    root = make_hostile_root(tmp_path / "audit")
    proc = _main(capsys, "scan", root, "--format", "json")        # stores in root/.docaudit/
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("report", "--root", root, "--format", "html")
    assert proc.returncode == 0, proc.stderr
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in proc.stdout
    assert "<script>alert(1)</script>" not in proc.stdout


def test_usage_errors_exit_2_with_one_line(stored, tmp_path) -> None:
    """Through the real entry point in a subprocess: no runs, unknown run id, binary without --output."""
    missing = tmp_path / "none.sqlite"
    _one_line_error(run_cli("report", "--db", f"sqlite:///{missing}"), "no runs stored yet", "run docaudit scan or docaudit audit first")
    assert not missing.exists(), "reading must not create a database"
    _one_line_error(run_cli("report", "99", "--db", stored["db"]), "no scan run 99")
    _one_line_error(run_cli("report", "--db", stored["db"], "--format", "xlsx"), "--format xlsx", "--output")


class _Proc:
    def __init__(self, code, out, err):
        self.returncode, self.stdout, self.stderr = code, out, err


def _main(capsys, *args) -> _Proc:
    """``docaudit.cli.main`` in-process (same code path as the console script, without the ~1 s
    interpreter start-up a subprocess costs)."""
    from docaudit.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return _Proc(exit_.value.code, out, err)


def test_more_usage_errors(stored, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DOCAUDIT_DB", "")
    from docaudit.store import Store

    empty = tmp_path / "empty.sqlite"
    Store.open(f"sqlite:///{empty}").close()
    _one_line_error(_main(capsys, "report", "--db", f"sqlite:///{empty}"), "no finished scan runs")
    empty_root = tmp_path / "root"
    empty_root.mkdir()
    _one_line_error(_main(capsys, "report", "--root", empty_root), "no runs stored yet for")
    _one_line_error(_main(capsys, "report", "--db", stored["db"], "--format", "docx"), "--format docx", "--output")
    _one_line_error(_main(capsys, "scan", SAMPLES, "--no-db", "--format", "docx"), "--format docx", "--output")
    _one_line_error(_main(capsys, "report"), "--root", "--db")
    _one_line_error(_main(capsys, "report", "--root", empty_root, "--db", stored["db"]), "not both")
    _one_line_error(_main(capsys, "report", "--root", tmp_path / "nowhere"), "no such folder")
    _one_line_error(_main(capsys, "report", "--db", stored["db"], "--format", "pdf"), "pdf")
    _one_line_error(_main(capsys, "report", "abc", "--db", stored["db"]), "abc")
    ok = _main(capsys, "report", "--db", stored["db"], "--format", "html", "--lang", "en")
    assert ok.returncode == 0 and "Electronic document audit report" in ok.stdout
