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
