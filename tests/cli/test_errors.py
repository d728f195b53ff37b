"""Usage and configuration errors: exit 2, one line on stderr, no traceback (the contract (README: A scan)).
Bad rows and bad files never stop a scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import run_cli

HEADER = "agency,direction,number,date,channel,via_system,file\n"


@pytest.fixture()
def audit(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    (root / "files").mkdir(parents=True)
    (root / "files" / "junk.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    (root / "register.csv").write_text(
        HEADER
        + "A,đi,01/QĐ-UBND,05/03/2021,điện tử,có,files/junk.pdf\n"
        + "A,đi,02/QĐ-UBND,31/02/2021,điện tử,có,\n"
        + "A,sideways,03/QĐ-UBND,05/03/2021,điện tử,có,\n"
        + "A,đến,04/QĐ-UBND,2021-03-06,fax,có,\n"
        + "A,đi,05/QĐ-UBND,2021-03-07,giấy,không,\n",
        encoding="utf-8",
    )
    return root


def _one_line_error(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--period", "2021-02-30..2021-03-01"], "period"),
        (["--period", "2021-06-30..2021-01-01"], "period"),
        (["--validation-time", "yesterday"], "--validation-time"),
        (["--targets", "no-such-pack"], "unknown target pack"),
        (["--format", "pdf"], "pdf"),
        (["--jobs", "0"], "--jobs"),
        (["--bogus"], "bogus"),
        (["--db", "nosuchdialect://x"], "database"),
    ],
)
def test_bad_options_exit_2_with_one_line(audit: Path, args: list[str], words: str) -> None:
    line = _one_line_error(run_cli("scan", audit, "--no-db" if "--db" not in args else "--lang=vi", *args))
    assert words in line


def test_bad_trust_file_exits_2(audit: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("this is not a certificate")
    line = _one_line_error(run_cli("scan", audit, "--no-db", "--trust", bad))
    assert "bad.pem" in line


def test_missing_and_unreadable_register_exit_2(audit: Path, tmp_path: Path) -> None:
    (audit / "register.csv").unlink()
    assert "register" in _one_line_error(run_cli("scan", audit, "--no-db"))
    bad = tmp_path / "register.json"
    bad.write_text("{not json")
    assert "register.json" in _one_line_error(run_cli("scan", audit, "--no-db", "--register", bad))
    assert "no such folder" in _one_line_error(run_cli("scan", tmp_path / "nowhere", "--no-db"))


def test_a_register_that_is_not_text_exits_2_with_one_line_naming_the_cause(audit: Path) -> None:
    """Random bytes, or a workbook saved under the .csv name: one line on stderr (no separate
    encoding warning before it), which says why."""
    (audit / "register.csv").write_bytes(bytes(range(256)) * 8)
    line = _one_line_error(run_cli("scan", audit, "--no-db"))
    assert "register.csv" in line and "not UTF-8 text" in line
    (audit / "register.csv").write_bytes(b"PK\x03\x04" + bytes(200))
    line = _one_line_error(run_cli("scan", audit, "--no-db"))
    assert "register.csv" in line and ".xlsx" in line


def test_bad_rows_are_reported_and_the_scan_goes_on(audit: Path) -> None:
    proc = run_cli("scan", audit, "--no-db", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)  # stdout holds only the JSON
    assert report["overall"]["total"] == 2
    assert report["overall"]["excluded"]["unparsable"] == 3
    assert report["overall"]["files"]["unreadable"] == 1
    errors = {e["row"]: e["reason"] for e in report["row_errors"]}
    assert set(errors) == {3, 4, 5}
    assert "31/02/2021" in errors[3] and "sideways" in errors[4] and "fax" in errors[5]
    for row in (3, 4, 5):
        assert f"row {row}:" in proc.stderr
    unreadable = report["entries"][0]
    assert unreadable["present"] is False and unreadable["file_status"] == "unreadable"
    assert unreadable["file_reason"]


def test_fail_under_target(audit: Path) -> None:
    assert run_cli("scan", audit, "--no-db", "--format", "json").returncode == 0
    proc = run_cli("scan", audit, "--no-db", "--format", "json", "--fail-under-target")
    assert proc.returncode == 1
    json.loads(proc.stdout)


def test_output_file_and_csv(audit: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    proc = run_cli("scan", audit, "--no-db", "--format", "csv", "--output", out)
    assert proc.returncode == 0 and proc.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("row,agency,direction,number")
    assert len(lines) == 3


def test_csv_never_emits_formulas(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    root.mkdir()
    (root / "register.csv").write_text(
        "agency,direction,number,date,channel,via_system,file,subject\n"
        "A,đi,01/QĐ-UBND,2021-03-05,giấy,không,,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n",
        encoding="utf-8",
    )
    proc = run_cli("scan", root, "--no-db", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert "'=HYPERLINK" in proc.stdout
    assert ",=HYPERLINK" not in proc.stdout


def test_internal_errors_exit_3_with_one_line(audit: Path, tmp_path: Path) -> None:
    """A bug must not look like a missed target (1) or a usage error (2) to a scheduled job."""
    hook = tmp_path / "sitecustomize.py"
    hook.write_text("import docaudit.metrics as m\n"
                    "def boom(*a, **k):\n    raise RuntimeError('simulated bug')\n"
                    "m.per_agency = boom\n", encoding="utf-8")
    import os

    proc = run_cli("scan", audit, "--no-db", env={"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.strip().startswith("docaudit: internal error: RuntimeError: simulated bug")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_fail_under_target_when_one_rate_misses_and_the_other_has_no_rate(tmp_path: Path) -> None:
    """Paper-only entries: via software 0% misses its target; paperless over the entries handled
    via the software has no rate (0 of 0). The agency misses a target: exit 1 (the contract (README: A scan))."""
    root = tmp_path / "paper"
    root.mkdir()
    (root / "register.csv").write_text(HEADER + "A,đi,01/QĐ-UBND,2021-03-05,giấy,không,\n", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text("id: probe\ntargets:\n  via_software: {op: '>=', threshold: 0.9}\n"
                    "  paperless: {op: '>=', threshold: 0.8, denominator: via_software}\n", encoding="utf-8")
    proc = run_cli("scan", root, "--no-db", "--format", "json", "--targets", pack, "--fail-under-target")
    agency = json.loads(proc.stdout)["agencies"]["A"]
    assert agency["via_software"]["meets_target"] is False and agency["paperless"]["meets_target"] is None
    assert proc.returncode == 1, proc.stderr
