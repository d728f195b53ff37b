"""A shortfall's main reasons come from the entries of its rate's denominator."""

from __future__ import annotations

import json
from pathlib import Path

from docaudit.pipeline.report import AuditReport
from docaudit.report import junit

from ..cli.helpers import run_cli
from ..conftest import SAMPLES


def test_paperless_over_via_software_lists_no_reason_of_entries_outside_it(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("id: t\ntargets:\n  via_software: {op: '>=', threshold: 0.9}\n"
                    "  paperless: {op: '>=', threshold: 0.8, denominator: via_software}\n", encoding="utf-8")
    proc = run_cli("scan", SAMPLES, "--trust", SAMPLES / "trust" / "root.pem", "--no-db", "--targets", pack,
                   "--period", "2021-01-01..2021-06-30", "--format", "md", "--lang", "en")
    overall = next(line for line in proc.stdout.splitlines() if line.startswith("- Overall — Fully online"))
    assert "(12/20)" in overall and "invalid signature (3)" in overall and "signature cannot be verified (1)" in overall
    assert "not via the software" not in overall and "no file" not in overall  # outside the 20
    via = next(line for line in proc.stdout.splitlines() if line.startswith("- Overall — Via software"))
    assert "not via the software (3)" in via


def test_no_entries_in_scope_is_not_reported_as_every_target_met(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    (root / "register.csv").write_text("agency,direction,number,date,channel,via_system,file\n", encoding="utf-8")
    for fmt in ("md", "html"):
        out = tmp_path / f"report.{fmt}"
        assert run_cli("scan", root, "--no-db", "--format", fmt, "--output", out, "--lang", "en").returncode == 0
        text = out.read_text(encoding="utf-8")
        assert "No entries in scope: no rate could be computed." in text, fmt
        assert "Every agency meets its targets" not in text and "Every entry counted" not in text, fmt


def test_a_rule_with_two_levels_has_a_row_per_level_in_findings_by_rule(tmp_path: Path) -> None:
    """SIG002 is an error on outgoing documents and a warning on incoming ones: the Markdown
    findings-by-rule table shows both rows, as the terminal table does."""
    proc = run_cli("scan", SAMPLES, "--trust", SAMPLES / "trust" / "root.pem", "--no-db", "--format", "md",
                   "--lang", "en")
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| `SIG002` |")]
    assert [row.split("|")[2].strip() for row in rows] == ["error", "warning"]


def test_junit_paperless_reasons_follow_the_denominator_too() -> None:
    report = json.loads(run_cli("scan", SAMPLES, "--trust", SAMPLES / "trust" / "root.pem", "--no-db",
                                "--format", "json", "--period", "2021-01-01..2021-06-30").stdout)
    report["targets"]["paperless"]["denominator"] = "via_software"  # as a pack with that denominator
    text = junit.target_text(AuditReport.from_json(report), "UBND-BQ", "paperless", "en")
    assert "not via the software" not in text and "invalid signature" in text
