"""NUM004 (gaps in the outgoing numbering) counts a number as registered when its row is out of
the period or could not be read: only numbers the register does not hold are missing."""

from __future__ import annotations

import json
from pathlib import Path

from ..cli.helpers import run_cli

HEADER = "Cơ quan,Hướng,Số ký hiệu,Ngày,Hình thức,Qua phần mềm\n"


def gaps(tmp_path: Path, rows: str) -> list[str]:
    (tmp_path / "register.csv").write_text(HEADER + rows, encoding="utf-8")
    proc = run_cli("scan", tmp_path, "--period", "2021-03", "--format", "json", "--no-db", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return [f["message"] for e in report["entries"] for f in e["findings"] if f["rule"] == "NUM004"]


def test_numbers_out_of_the_period_or_on_unreadable_rows_are_not_missing(tmp_path: Path) -> None:
    found = gaps(tmp_path, "UBND,đi,10/UBND-VP,02/03/2021,giấy,không\n"
                           "UBND,đi,12/QĐ-UBND,02/04/2021,giấy,không\n"   # registered in April
                           "UBND,đi,13/TB-UBND,30/02/2021,giấy,không\n"   # a date that does not exist
                           "UBND,đi,14/UBND-VP,15/03/2021,giấy,không\n")
    assert len(found) == 1 and "11" in found[0] and "12" not in found[0] and "13" not in found[0]


def test_a_gap_the_whole_register_has_is_still_reported(tmp_path: Path) -> None:
    found = gaps(tmp_path, "UBND,đi,10/UBND-VP,02/03/2021,giấy,không\n"
                           "UBND,đi,13/UBND-VP,15/03/2021,giấy,không\n")
    assert len(found) == 1 and "11, 12" in found[0]
