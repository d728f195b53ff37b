"""The terminal table's words: the period in the reader's date style, thresholds as written."""

from __future__ import annotations

from pathlib import Path

from ..cli.helpers import run_cli
from ..conftest import SAMPLES


def test_a_decimal_threshold_and_the_period_read_as_in_the_other_reports(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("id: t\ntargets:\n  via_software: {op: '>=', threshold: 0.925}\n"
                    "  paperless: {op: '>', threshold: 0.8}\n", encoding="utf-8")
    common = ["scan", SAMPLES, "--trust", SAMPLES / "trust" / "root.pem", "--no-db", "--targets", pack,
              "--period", "2021-01-01..2021-06-30"]
    vi = run_cli(*common).stdout
    assert "Kỳ báo cáo: từ ngày 01/01/2021 đến ngày 30/06/2021" in vi
    assert ">= 92,5%" in vi and ">= 92%" not in vi
    en = run_cli(*common, "--lang", "en").stdout
    assert "Period: 2021-01-01 to 2021-06-30" in en and ">= 92.5%" in en


def _scan(root: Path, **changes):
    import datetime as dt

    from docaudit.model import Period
    from docaudit.scan import ScanOptions, scan

    options = ScanOptions(root=root, trust=(str(SAMPLES / "trust" / "root.pem"),),
                          period=Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31)), store=False, **changes)
    return scan(options)


def test_the_table_of_a_stored_report_is_the_table_of_its_scan(tmp_path: Path) -> None:
    """A stored run prints its table from the stored JSON report: it must be, character for
    character, the table of the scan (rates, denominators, reasons, findings per level, row
    errors, notes), in both languages and with a pack whose paperless denominator is not total."""
    import io
    import shutil

    from rich.console import Console

    from docaudit.report import table
    import json

    from docaudit.pipeline.build import build_report
    from docaudit.pipeline.report import AuditReport

    root = tmp_path / "audit"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns(".docaudit"))
    with (root / "register.csv").open("a", encoding="utf-8") as handle:
        handle.write("UBND-BQ,outgoing,,QĐ,not-a-date,Bad row,X,electronic,yes,files/none.pdf\n")
    pack = tmp_path / "pack.yaml"
    pack.write_text("id: t\ntargets:\n  via_software: {op: '>=', threshold: 0.925}\n"
                    "  paperless: {op: '>', threshold: 0.8, denominator: via_software}\n", encoding="utf-8")
    for targets in (None, str(pack)):
        result = _scan(root, targets=targets)
        assert result.register.errors  # the row errors are part of what is compared
        report = build_report(result)
        stored = AuditReport.from_json(json.loads(report.to_json_text()), stored_in=report.stored_in)
        for lang in ("vi", "en"):
            texts = []
            for draw in (lambda c: table.render(report, c, lang),
                         lambda c: table.render(stored, c, lang)):
                buffer = io.StringIO()
                draw(Console(file=buffer, width=160, no_color=True))
                texts.append(buffer.getvalue())
            assert texts[0] == texts[1]
            assert "SIG" in texts[0]
