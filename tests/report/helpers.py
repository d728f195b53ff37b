"""Shared by tests/report and tests/browser: the JSON report of a real scan of the bundled samples
(computed once per test session), and a tiny audit folder whose register carries hostile text."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from ..conftest import SAMPLES

TRUST = SAMPLES / "trust" / "root.pem"
PERIOD = ("2021-01-01", "2021-06-30")

XSS_SUBJECT = "<script>alert(1)</script>"
FORMULA_SUBJECT = '=HYPERLINK("http://x","y")'
XSS_AGENCY = "</script><img src=x onerror=alert(2)>"

_HEADER = "agency,direction,number,doc_type,date,subject,counterparty,channel,via_system,file\n"


def _csv(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@functools.lru_cache(maxsize=1)
def samples_report():
    """``build_report`` of ``scan(samples, trust=samples/trust/root.pem, period=2021-H1)``."""
    from docaudit.model import Period
    from docaudit.pipeline.build import build_report
    from docaudit.scan import ScanOptions, scan

    options = ScanOptions(
        root=SAMPLES, trust=(str(TRUST),),
        period=Period(dt.date.fromisoformat(PERIOD[0]), dt.date.fromisoformat(PERIOD[1])), store=False,
    )
    return build_report(scan(options))


def make_hostile_root(folder: Path) -> Path:
    """An audit folder whose register rows carry script tags and spreadsheet formulas."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        ["UBND-XSS", "đến", "01/CV-XSS", "CV", "2021-02-01", XSS_SUBJECT, "@SUM(A1:A2)", "giấy", "không", ""],
        ["UBND-XSS", "đi", "=1+1", "QĐ", "2021-02-02", FORMULA_SUBJECT, "+cmd|' /C calc'!A0", "điện tử", "có",
         "files/<b>missing</b>.pdf"],
        [XSS_AGENCY, "đi", "-2+3", "BC", "2021-03-03", "Báo cáo & \"trích\" 'yếu' </script> | cột giả | ", "x", "giấy", "không", ""],
    ]
    text = _HEADER + "".join(",".join(_csv(v) for v in row) + "\n" for row in rows)
    (folder / "register.csv").write_text(text, encoding="utf-8")
    return folder


def hostile_report(folder: Path):
    from docaudit.pipeline.build import build_report
    from docaudit.scan import ScanOptions, scan

    return build_report(scan(ScanOptions(root=make_hostile_root(folder), store=False)))


def render(report, fmt: str, lang: str = "vi") -> bytes:
    """``report`` (an AuditReport, or a JSON report as a stored run or a file holds it) rendered
    through the one format interface: a JSON report is read back with ``AuditReport.from_json``,
    as ``docaudit report`` reads a stored run."""
    from docaudit.pipeline.report import AuditReport
    from docaudit.report import formats

    if not isinstance(report, AuditReport):
        report = AuditReport.from_json(report)
    return formats.render(report, fmt, lang)


def samples_report_json() -> dict[str, Any]:
    return samples_report().to_json()
