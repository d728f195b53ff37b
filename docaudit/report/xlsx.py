"""The Excel workbook (openpyxl): Summary, Entries, Findings, Breakdown, By rule and About sheets.

Register and document text is never a formula: every string goes in as a string cell (data type
``s``), and text that Excel would evaluate if typed (a leading ``=``, ``+``, ``-``, ``@``, tab or CR)
also gets the quote prefix, so editing the cell does not turn it into a formula either.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..pipeline.report import AuditReport
from ..text import render as render_text
from . import breakdown as bd
from . import narrative as nv
from .i18n import (
    CHANNELS, DIRECTIONS, FILE_STATUSES, ROLES, SEVERITIES, VALIDATION_TIMES, VERDICTS, datetime_text, month_text,
    reason, row_name, t, word,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32767
PERCENT = "0.00%"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_STATUS_FILL = {
    "not_met": PatternFill("solid", fgColor="FDECEA"),
    "met": PatternFill("solid", fgColor="E6F4EA"),
    "exceeded": PatternFill("solid", fgColor="C6F6D5"),
}


def put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None):
    """Write one cell; strings are always string cells, never formulas."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def _table(ws: Worksheet, headers: list[str], rows: Iterable[list[Any]], formats: Mapping[int, str] | None = None,
           start_row: int = 1, filter_: bool = True, widths: Mapping[int, float] | None = None) -> int:
    """Header + rows from ``start_row``; returns the last row written."""
    formats = formats or {}
    for col, header in enumerate(headers, 1):
        cell = put(ws, start_row, col, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = start_row
    lengths = [len(h) for h in headers]
    for last, values in enumerate(rows, start_row + 1):
        for col, value in enumerate(values, 1):
            cell = put(ws, last, col, value, formats.get(col))
            if isinstance(value, (dt.date, float)):
                shown = 10
            else:
                shown = max((len(line) for line in str(value if value is not None else "").splitlines()), default=0)
            lengths[col - 1] = max(lengths[col - 1], shown)
            if isinstance(value, str) and len(value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, length in enumerate(lengths, 1):
        width = (widths or {}).get(col) or min(max(length + 2, 8), 60)
        ws.column_dimensions[get_column_letter(col)].width = width
    if filter_ and last > start_row:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{last}"
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    return last


def _yes(value: Any, lang: str) -> str:
    return t("yes", lang) if value else t("no", lang)


# --------------------------------------------------------------------------- sheets


def _summary(ws: Worksheet, report: AuditReport, lang: str) -> None:
    rate_cols = []
    for name in bd.RATES:
        label = t(name, lang)
        rate_cols += [f"{label}: {t('counted', lang).lower()}", f"{label}: {t('claimed', lang).lower()}",
                      f"{label}: {t('denominator', lang).lower()}", f"{label}: {t('rate', lang).lower()}",
                      f"{label}: {t('target', lang).lower()}", f"{label}: {t('result', lang).lower()}"]
    headers = [t("agency", lang), t("total", lang), *rate_cols,
               t("sig_valid", lang), t("sig_invalid", lang), t("sig_indeterminate", lang), t("sig_unsigned", lang),
               t("f_present", lang), t("f_missing", lang), t("f_unreadable", lang), t("f_outside_root", lang),
               t("x_duplicate", lang), t("x_out_of_period", lang), t("x_unparsable", lang)]
    scopes = [*bd.agencies(report), bd.overall(report)]
    rows = []
    for scope in scopes:
        fig = scope.figures
        values: list[Any] = [nv.scope_label(scope, lang), scope.total]
        for name in bd.RATES:
            view = scope.rate(name)
            values += [view.count, view.claimed, view.denominator, view.rate,
                       nv.target_text(view.target, lang), nv.status_word(view.status, lang)]
        for group, keys in (("signatures", ("valid", "invalid", "indeterminate", "unsigned")),
                            ("files", ("present", "missing", "unreadable", "outside_root")),
                            ("excluded", ("duplicate", "out_of_period", "unparsable"))):
            data = getattr(fig, group)
            values += [int(data.get(k) or 0) for k in keys]
        rows.append(values)
    formats = {6: PERCENT, 12: PERCENT}
    last = _table(ws, headers, rows, formats, filter_=False, widths={c: 14 for c in range(2, len(headers) + 1)})
    ws.row_dimensions[1].height = 45
    for index, scope in enumerate(scopes, 2):
        for col, name in ((8, "via_software"), (14, "paperless")):
            fill = _STATUS_FILL.get(scope.rate(name).status)
            if fill:
                ws.cell(row=index, column=col).fill = fill
        if scope.overall:
            for col in range(1, len(headers) + 1):
                ws.cell(row=index, column=col).font = _HEADER_FONT
    put(ws, last + 2, 1, f"{t('period', lang)}: {nv.period_text(report, lang)}")
    pack = bd.targets(report)
    put(ws, last + 3, 1, f"{t('targets', lang)}: " + "; ".join(
        f"{t(n, lang)} {nv.target_text(pack[n], lang)}" for n in bd.RATES))


def _several_registers(report: AuditReport) -> bool:
    """A run of several registers: each numbers its own rows, so the sheets name the register."""
    return any(e.register for e in report.entries)


def _entries(ws: Worksheet, report: AuditReport, lang: str) -> None:
    several = _several_registers(report)
    headers = [*([t("register.heading", lang)] if several else []), t("row_no", lang), t("agency", lang),
               t("direction", lang), t("number", lang), t("doc_type", lang),
               t("date", lang), t("subject", lang), t("channel", lang), t("via_system", lang), t("file", lang),
               t("file_status", lang), t("verdict", lang), t("counts_via", lang), t("counts_paperless", lang),
               t("reasons", lang), t("reason_codes", lang), t("signers", lang), t("signature_reasons", lang),
               t("findings_column", lang)]
    rows = []
    for e in report.entries:
        verdict = e.verdict.value if e.verdict is not None else None
        rows.append([
            *([e.register or ""] if several else []),
            e.row, e.agency, word(DIRECTIONS, e.direction.value, lang), e.number, e.doc_type, e.date, e.subject,
            word(CHANNELS, e.channel.value, lang), _yes(e.via_system, lang), e.file or "",
            word(FILE_STATUSES, e.file_status.value, lang), word(VERDICTS, verdict, lang),
            _yes(e.counts_via_software, lang), _yes(e.counts_paperless, lang),
            "; ".join(reason(c, lang) for c in e.not_counted), " ".join(e.not_counted),
            "; ".join(f"{s.signer_name or s.signer or '?'} ({word(ROLES, s.role, lang) or '?'}: "
                      f"{word(VERDICTS, s.verdict.value, lang)})" for s in e.signatures),
            "; ".join(", ".join(s.reasons) for s in e.signatures if s.reasons),
            "; ".join(f"{f.rule}: {bd.finding_text(f, lang)}" for f in e.findings),
        ])
    date_format = "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"
    shift = 1 if several else 0  # the columns after the register's
    _table(ws, headers, rows, {6 + shift: date_format},
           widths={6 + shift: 12, 7 + shift: 60, 10 + shift: 40, 17 + shift: 50, 19 + shift: 50})


def _findings(ws: Worksheet, report: AuditReport, lang: str) -> None:
    several = _several_registers(report)
    headers = [t("agency", lang), *([t("register.heading", lang)] if several else []), t("row_no", lang),
               t("number", lang), t("rule", lang), t("severity", lang),
               t("message", lang), t("reference", lang), t("file", lang)]
    rows = [[e.agency, *([e.register or ""] if several else []), e.row, e.number, f.rule,
             word(SEVERITIES, f.severity.value, lang), bd.finding_text(f, lang),
             f.reference or "", e.file or ""] for e, f in report.findings()]
    shift = 1 if several else 0
    _table(ws, headers, rows, widths={6 + shift: 70, 7 + shift: 30, 8 + shift: 40})


def _breakdown(ws: Worksheet, report: AuditReport, lang: str) -> None:
    headers = [t("scope", lang), t("dimension", lang), t("group", lang), t("total", lang)]
    for name in bd.RATES:
        label = t(name, lang)
        headers += [f"{label}: {t('counted', lang).lower()}", f"{label}: {t('denominator', lang).lower()}",
                    f"{label}: {t('rate', lang).lower()}", f"{label}: {t('result', lang).lower()}"]
    rows = []
    for scope in [bd.overall(report), *bd.agencies(report)]:
        parts = bd.breakdowns(report, None if scope.overall else scope.name)
        for dim in bd.DIMENSIONS:
            for g in parts[dim]:
                label = (word(DIRECTIONS, g.key, lang) if dim == "direction"
                         else month_text(g.key, lang) if dim == "month" else g.key)
                values: list[Any] = [nv.scope_label(scope, lang), t(f"by_{dim}", lang), label, g.total]
                for name in bd.RATES:
                    view = g.via_software if name == "via_software" else g.paperless
                    values += [view.count, view.denominator, view.rate, nv.status_word(view.status, lang)]
                rows.append(values)
    _table(ws, headers, rows, {7: PERCENT, 11: PERCENT}, widths={2: 22})


def _rules(ws: Worksheet, report: AuditReport, lang: str) -> None:
    names = [s.name for s in bd.agencies(report)]
    rules = bd.findings_by_rule(report)
    headers = [t("rule", lang), t("severity", lang), t("reference", lang), *names, t("overall", lang)]
    rows = [[r.rule, word(SEVERITIES, r.severity, lang) if r.severity else "", r.reference or "",
             *[r.by_agency.get(n, 0) for n in names], r.total] for r in rules]
    if any(r.accepted for r in rules):  # an audit with a baseline: how many of each it accepts
        headers.append(t("accepted_column", lang))
        for row, rule in zip(rows, rules):
            row.append(rule.accepted)
    _table(ws, headers, rows)


def _about(ws: Worksheet, report: AuditReport, lang: str) -> None:
    pack = report.targets
    targets = bd.targets(report)
    items: list[tuple[str, Any]] = [
        (t("report_title", lang), ""),
        (t("period", lang), nv.period_text(report, lang)),
        (t("audit_root", lang), report.root or ""),
        (t("register", lang), report.register or ""),
        (t("targets", lang), "; ".join(f"{t(n, lang)} {nv.target_text(targets[n], lang)}" for n in bd.RATES)),
        (t("target_pack", lang), f"{pack.pack_id or ''} {pack.pack_version or ''}".strip()),
        (t("tool", lang), f"docaudit {report.tool_version}".strip()),
        (t("run_id", lang), report.run_id),
        (t("scanned_at", lang), datetime_text(report.finished.isoformat() if report.finished else None, lang)),
        (t("validation_time", lang), word(VALIDATION_TIMES, report.validation_time, lang)),
        (t("crypto_policy", lang), nv.crypto_policy_text(report, lang)),
        (t("fingerprint", lang), report.trust_fingerprint or ""),
    ]
    if nv.rule_packs_text(report, lang):
        items.append((t("rule_pack", lang), nv.rule_packs_text(report, lang)))
    for cert in report.trust_certificates:
        if isinstance(cert, Mapping):
            items.append((t("trust_roots", lang), f"{cert.get('subject')} (SHA-256 {cert.get('sha256')})"))
    for paragraph in nv.paragraphs(report, lang):
        items.append((t("narrative_short", lang), paragraph))
    for item in bd.shortfalls(report):
        items.append((t("shortfalls", lang), nv.shortfall_text(item, lang)))
    for error in report.row_errors:
        items.append((t("row_errors", lang), f"{row_name(error.row, error.register, lang)}: {error.problem(lang)}"))
    for note in report.notes:
        items.append((t("notes", lang), render_text(note, lang)))
    for row, (key, value) in enumerate(items, 1):
        put(ws, row, 1, key).font = _HEADER_FONT
        cell = put(ws, row, 2, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 120


def render(report: AuditReport, lang: str = "vi") -> bytes:
    wb = Workbook()
    wb.properties.creator = "docaudit"
    wb.properties.title = t("report_title", lang)
    sheets = [("sheet_summary", _summary), ("sheet_entries", _entries), ("sheet_findings", _findings),
              ("sheet_breakdown", _breakdown), ("sheet_rules", _rules), ("sheet_about", _about)]
    for index, (key, build) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = t(key, lang)
        build(ws, report, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
