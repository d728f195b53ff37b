"""One CSV row per in-scope entry. Text that a spreadsheet would run as a formula (a leading
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with an apostrophe (OWASP CSV
injection advice), so register text can never become a live formula in the auditor's Excel.

By default UTF-8 with ``\n`` line ends (the contract's bytes). ``excel=True`` writes the same rows
for Excel on Windows: a UTF-8 byte-order mark first — without it Excel reads a CSV in the ANSI code
page and garbles Vietnamese — and CRLF line ends, as Excel writes them itself."""

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


BOM = "\ufeff"
"""The byte-order mark, as text: UTF-8 encodes it as ``EF BB BF``."""


def render(report: "AuditReport", lang: str = "vi", excel: bool = False) -> str:
    """The CSV of ``report``: codes as in the JSON report; finding messages in ``lang``. A run of
    several registers has a ``register`` column first: each register numbers its own rows. For
    Excel on Windows (``excel``): a byte-order mark first and CRLF line ends."""
    out = io.StringIO()
    if excel:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
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
