"""One CSV row per in-scope entry. Text that a spreadsheet would run as a formula (a leading
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with an apostrophe (OWASP CSV
injection advice), so register text can never become a live formula in the auditor's Excel."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .json_report import entry_json

if TYPE_CHECKING:
    from ..scan import ScanResult

COLUMNS = (
    "row", "agency", "direction", "number", "doc_type", "date", "channel", "via_system", "file",
    "file_status", "verdict", "counts_via_software", "counts_paperless", "not_counted", "signers",
    "signature_reasons", "findings", "subject",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _message(finding: dict, lang: str) -> str:
    return (finding.get("message_en") if lang == "en" else None) or finding["message"]


def inert(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(result: "ScanResult", lang: str = "vi") -> str:
    """The CSV of ``result``: codes as in the JSON report; finding messages in ``lang``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in result.results:
        e = entry_json(r)
        sigs = e["signatures"]
        writer.writerow(inert(v) for v in (
            e["row"], e["agency"], e["direction"], e["number"], e["doc_type"], e["date"], e["channel"],
            "yes" if e["via_system"] else "no", e["file"] or "", e["file_status"], e["verdict"] or "",
            "yes" if e["counts"]["via_software"] else "no", "yes" if e["counts"]["paperless"] else "no",
            ";".join(e["not_counted"]),
            ";".join(f"{s['signer_name'] or s['signer'] or '?'} ({s['role'] or '?'}: {s['verdict']})" for s in sigs),
            ";".join(",".join(s["reasons"]) for s in sigs if s["reasons"]),
            ";".join(f"{f['rule']}: {_message(f, lang)}" for f in e["findings"]),
            e["subject"],
        ))
    return out.getvalue()
