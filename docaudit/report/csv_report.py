"""One CSV row per in-scope entry. Text that a spreadsheet would run as a formula (a leading
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with an apostrophe (OWASP CSV
injection advice), so register text can never become a live formula in the auditor's Excel."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline.report import AuditReport

COLUMNS = (
    "row", "agency", "direction", "number", "doc_type", "date", "channel", "via_system", "file",
    "file_status", "verdict", "counts_via_software", "counts_paperless", "not_counted", "signers",
    "signature_reasons", "findings", "subject",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(report: "AuditReport", lang: str = "vi") -> str:
    """The CSV of ``report``: codes as in the JSON report; finding messages in ``lang``. A run of
    several registers has a ``register`` column first: each register numbers its own rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    several = any(e.register for e in report.entries)
    writer.writerow(("register", *COLUMNS) if several else COLUMNS)
    for e in report.entries:
        sigs = e.signatures
        writer.writerow(inert(v) for v in (
            *((e.register,) if several else ()),
            e.row, e.agency, e.direction.value, e.number, e.doc_type, e.date.isoformat(), e.channel.value,
            "yes" if e.via_system else "no", e.file or "", e.file_status.value, e.verdict.value if e.verdict else "",
            "yes" if e.counts_via_software else "no", "yes" if e.counts_paperless else "no",
            ";".join(e.not_counted),
            ";".join(f"{s.signer_name or s.signer or '?'} ({s.role or '?'}: {s.verdict.value})" for s in sigs),
            ";".join(",".join(s.reasons) for s in sigs if s.reasons),
            ";".join(f"{f.rule}: {f.text(lang)}" for f in e.findings),
            e.subject,
        ))
    return out.getvalue()
