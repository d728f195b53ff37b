"""`docaudit audit` end to end: exit codes, baseline, JUnit XML, annotations, progress."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import yaml

from docaudit.pipeline.report import AuditReport
from docaudit.progress import PlainProgress
from docaudit.report.annotations import codequality, github_lines, gitlab_lines

from ..cli import helpers
from .conftest import ROWS, TRUST, write_register


def run_cli(*args, **kwargs):
    """The CLI in a subprocess; a crash (a traceback exits 1 too) fails the test at once."""
    proc = helpers.run_cli(*args, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _report(path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()  # the next run must write its own
    return report


def _statuses(report: dict) -> dict[tuple[str, str], str]:
    return {(e["number"], f["rule"]): f["baseline"]["status"] for e in report["entries"] for f in e["findings"]}


def test_exit_codes_baseline_and_outputs(tmp_path, folder, lenient_pack):
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    base = ["audit", folder, "--trust", TRUST, "--db", db, "--period", "2021"]
    report_path = tmp_path / "report.json"

    # default targets: several agencies miss them -> 1, and --exit-zero -> 0
    first = run_cli(*base, "--lang", "en", "--junit", tmp_path / "junit.xml", cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    assert "UBND-BQ" in first.stdout  # the table on stdout
    assert "documents (100%)" in first.stderr  # plain progress lines: stderr is not a terminal
    assert "7 documents evaluated, 0 reused" in first.stderr and "FAILED" in first.stderr
    assert run_cli(*base, "--exit-zero", "--quiet", cwd=tmp_path).returncode == 0

    # JUnit: one suite per agency, a case per target, one per document with error findings
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"HU-BQ", "SO-TTTT", "UBND-BQ"}
    ubnd = suites["UBND-BQ"]
    targets = [c for c in ubnd.findall("testcase") if c.get("classname").endswith(".targets")]
    assert [c.get("name") for c in targets] == ["Via software > 90%", "Fully online > 80%"]
    missed = targets[1].find("failure")
    assert missed is not None and "Fully online" in missed.get("message")
    assert "invalid signature" in missed.get("message") and "not counted" in missed.get("message")
    documents = {c.get("name").split(" ")[0]: c for c in ubnd.findall("testcase") if c.get("classname").endswith(".documents")}
    assert "07/KH-UBND" in documents and "file-missing" in documents["07/KH-UBND"].find("failure").get("message")
    assert "03/QĐ-UBND" in documents
    hu = suites["HU-BQ"]
    assert [c.find("failure") for c in hu.findall("testcase") if c.get("classname").endswith(".targets")] == [None, None]
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites.values())

    # lenient targets: still 1, because of error-level findings (file-missing among them)
    lenient = [*base, "--targets", lenient_pack, "--format", "json", "--output", report_path, "--quiet"]
    assert run_cli(*lenient, cwd=tmp_path).returncode == 1
    assert _report(report_path)["baseline"]["new_errors"] > 0

    # accept them all: exit 0
    created = run_cli("baseline", "create", "--db", db, "--reason", "reviewed at go-live", "--expires", "2021-12-31",
                      cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    baseline = yaml.safe_load((tmp_path / "docaudit-baseline.yaml").read_text(encoding="utf-8"))
    assert baseline["version"] == 1 and baseline["accepted"]
    assert all(e["reason"] == "reviewed at go-live" and "sha256" in e and "number" in e for e in baseline["accepted"])
    today = {"DOCAUDIT_TODAY": "2021-12-31"}
    accepted = run_cli(*lenient, env=today, cwd=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    report = _report(report_path)
    assert report["baseline"]["new_errors"] == 0 and report["baseline"]["accepted"] > 0
    assert _statuses(report)[("07/KH-UBND", "file-missing")] == "accepted"
    # ... and shown as accepted in the human outputs: under the table, in Markdown's findings
    shown = run_cli(*base, "--targets", lenient_pack, "--quiet", env=today, cwd=tmp_path)
    assert "Đã chấp nhận trong baseline:" in shown.stdout and "file-missing" in shown.stdout
    markdown = tmp_path / "report.md"
    run_cli(*base, "--targets", lenient_pack, "--format", "md", "--output", markdown, "--quiet", "--lang", "en",
            env=today, cwd=tmp_path)
    text = markdown.read_text(encoding="utf-8")
    assert "(accepted in the baseline: reviewed at go-live)" in text and "accepted)" in text

    # the same rule on another register entry is new: exit 1
    write_register(folder, [*ROWS, ("UBND-BQ", "09/KH-UBND", "2021-05-12", "electronic", "yes",
                                    "files/ubnd-bq/09-kh-ubnd.pdf", "missing too")])
    new = run_cli(*lenient, env=today, cwd=tmp_path)
    assert new.returncode == 1
    statuses = _statuses(_report(report_path))
    assert statuses[("07/KH-UBND", "file-missing")] == "accepted"
    assert statuses[("09/KH-UBND", "file-missing")] == "new"
    write_register(folder, ROWS)

    # after the expiry date nothing is accepted any more
    expired = run_cli(*lenient, env={"DOCAUDIT_TODAY": "2022-01-01"}, cwd=tmp_path)
    assert expired.returncode == 1
    report = _report(report_path)
    assert report["baseline"]["accepted"] == 0 and report["baseline"]["expired"] > 0
    assert _statuses(report)[("07/KH-UBND", "file-missing")] == "expired"

    # GitHub annotations on stdout under GitHub Actions; --quiet leaves stderr empty
    github = run_cli(*base, "--quiet", "--output", tmp_path / "t.txt", env={"GITHUB_ACTIONS": "true"}, cwd=tmp_path)
    assert github.returncode == 1 and github.stderr == ""
    lines = github.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("file=" in line and "07-kh-ubnd.pdf" not in line for line in lines)
    assert any(line.startswith("::error title=docaudit UBND-BQ paperless::") for line in lines)


def test_config_outputs_and_gitlab(tmp_path, folder):
    (tmp_path / "docaudit.toml").write_text(
        f'period = "2021-H1"\ntrust = ["{TRUST}"]\ndb = "state/db.sqlite"\n\n[[source]]\nroot = "{folder}"\n'
        f'agencies = ["hu-bq"]\n\n[output]\ndir = "out"\nformats = ["json", "junit", "codequality", "csv"]\n'
        f'json = "out/{{period}}/report-{{run_id}}.json"\nannotations = "gitlab"\n', encoding="utf-8")
    proc = run_cli("audit", "--progress", "bar", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr  # HU-BQ alone: both targets met, no error findings
    report = _report(tmp_path / "out" / "2021-H1" / "report-1.json")
    assert list(report["agencies"]) == ["HU-BQ"]
    assert report["run"]["config_file"].endswith("docaudit.toml") and report["run"]["period_label"] == "2021-H1"
    assert report["period"] == {"start": "2021-01-01", "end": "2021-06-30", "label": "2021-H1"}
    # only SIG011's "cannot tell": the demo CA is a private one, not the Ban Cơ yếu Chính phủ's
    issues = json.loads((tmp_path / "out" / "docaudit-codequality.json").read_text(encoding="utf-8"))
    assert {i["check_name"] for i in issues} <= {"SIG011"} and {i["severity"] for i in issues} <= {"minor"}
    assert ET.parse(tmp_path / "out" / "docaudit-junit.xml").getroot().get("failures") == "0"
    assert (tmp_path / "out" / "docaudit-report.csv").is_file()
    assert "wrote junit report" in proc.stderr


def test_annotation_formats():
    report = AuditReport.from_json({
        "schema": "docaudit.report/1", "root": "/audit", "targets": {"via_software": {"op": ">", "threshold": 0.9},
                                      "paperless": {"op": ">", "threshold": 0.8}},
        "agencies": {"A": {"total": 2, "not_counted": {"unsigned": 1},
                           "via_software": {"count": 2, "rate": 1.0, "meets_target": True},
                           "paperless": {"count": 1, "rate": 0.5, "meets_target": False}}},
        "entries": [{"agency": "A", "number": "1/QĐ", "row": 2, "file": "files/a,b.pdf", "sha256": "x",
                     "direction": "outgoing", "date": "2021-02-01", "channel": "electronic",
                     "findings": [
                         {"rule": "SIG001", "severity": "error", "message": "bad: 100%\nreally"},
                         {"rule": "SIG009", "severity": "info", "message": "ignored"},
                         {"rule": "SIG002", "severity": "error", "message": "old", "baseline": {"status": "accepted"}},
                     ]}],
    })
    lines = github_lines(report, "en")
    assert len(lines) == 2
    assert lines[0].startswith("::error title=docaudit A paperless::A: Fully online 50.00%25 (1/2)")
    assert lines[1].startswith("::error file=")
    assert "a%2Cb.pdf" in lines[1] and "title=SIG001 A 1/QĐ::" in lines[1] and "100%25%0Areally" in lines[1]
    gitlab = gitlab_lines(report, "en")
    assert len(gitlab) == 2 and "ERROR" in gitlab[1] and "SIG001" in gitlab[1] and "\n" not in gitlab[1]
    issues = json.loads(codequality(report, "en"))
    assert [i["check_name"] for i in issues] == ["target-paperless", "SIG001"]
    assert issues[1]["severity"] == "major" and issues[1]["location"]["path"].endswith("a,b.pdf")
    assert len({i["fingerprint"] for i in issues}) == 2


def test_plain_progress_lines():
    clock = iter([0.0, 0.0, 1.0, 2.0, 30.0, 31.0, 32.0, 40.0]).__next__  # init, stage, then one per call
    out = io.StringIO()
    progress = PlainProgress(out, every=10.0, clock=clock)
    progress.stage("UBND-BQ")
    for done in (1, 2, 3, 4, 5):  # of 1000: no 10% step; only the 10 s interval prints
        progress(done, 1000)
    progress(1000, 1000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("docaudit: UBND-BQ: 3/1000 documents (0%), 0.1/s, ETA") and "ETA" in lines[0]
    assert lines[-1] == "docaudit: UBND-BQ: 1000/1000 documents (100%), done in 0:00:40"
    assert len(lines) == 2


def test_progress_and_the_closing_line_speak_the_configured_language():
    from docaudit.commands.audit import summary_line
    from docaudit.progress import PlainProgress
    import io
    from types import SimpleNamespace

    run = SimpleNamespace(run_id=3, documents_evaluated=1200, documents_reused=5, missed_agencies=("UBND-BQ",),
                          new_errors=2, accepted=1, exit_ok=False)
    assert summary_line(run, "vi") == ("lần chạy #3; đánh giá 1.200 văn bản, dùng lại 5; 1 cơ quan chưa đạt chỉ tiêu "
                                       "(UBND-BQ); 2 lỗi mới, 1 lỗi đã chấp nhận — KHÔNG ĐẠT (FAILED)")
    assert summary_line(run, "en") == ("run #3; 1,200 documents evaluated, 5 reused; 1 agency below target (UBND-BQ); "
                                       "2 new error findings, 1 accepted — FAILED")
    stream, clock = io.StringIO(), iter([0.0, 40.0])
    progress = PlainProgress(stream, clock=lambda: next(clock), lang="vi")
    progress(10, 10)
    assert stream.getvalue() == "docaudit: 10/10 văn bản (100%), xong sau 0:00:40\n"
