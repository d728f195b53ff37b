"""The HTML report: one self-contained file that works offline.

Everything is inline (CSS, a small script, an SVG bar chart); the file names no external URL, and a
Content-Security-Policy forbids loading anything and allows only our own script (by its SHA-256),
so even a value that slipped through escaping could not run. Values from registers and documents
are escaped by Jinja2's autoescaping; the one JSON block in the page goes through ``tojson``, which
writes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` … so it cannot close its ``<script>``.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..pipeline.report import AuditReport, ReportEntry
from ..text import render as render_text
from . import breakdown as bd
from . import narrative as nv
from .i18n import (
    CHANNELS, DIRECTIONS, FILE_STATUSES, REASONS, ROLES, SEVERITIES, VALIDATION_TIMES, VERDICTS, date_text,
    datetime_text, month_text, number, percent, reason, row_name, t, threshold, word,
)

TEMPLATES = Path(__file__).with_name("templates")

# chart geometry (px)
_LABEL_W, _PLOT_W, _VALUE_W = 150, 480, 110
_BAR_H, _BAR_GAP, _GROUP_GAP, _TOP, _BOTTOM = 16, 4, 18, 34, 46


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    return env


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    """report.js / report.css: our own static text, inserted verbatim (not data)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def _chart(scopes: list[bd.Scope], pack: Mapping[str, bd.Target], lang: str) -> dict[str, Any]:
    """Geometry of a grouped horizontal bar chart: per scope one bar per rate, target lines."""
    group_h = 2 * _BAR_H + _BAR_GAP
    height = _TOP + len(scopes) * (group_h + _GROUP_GAP) + _BOTTOM
    x0 = _LABEL_W
    groups = []
    for index, scope in enumerate(scopes):
        y = _TOP + index * (group_h + _GROUP_GAP)
        bars = []
        for j, name in enumerate(bd.RATES):
            view = scope.rate(name)
            value = view.rate if view.rate is not None else 0.0
            bars.append({
                "rate": name, "status": view.status,
                "x": x0, "y": y + j * (_BAR_H + _BAR_GAP), "h": _BAR_H,
                "w": round(max(0.0, min(1.0, value)) * _PLOT_W, 2),
                "label": (f"{percent(view.rate, lang)} "
                          f"{'✓' if view.meets_target else '✗'}") if view.rate is not None else t("no_data", lang),
                "title": f"{nv.scope_label(scope, lang)} — {t(name, lang)}: {nv.rate_text(view, lang)}; "
                         f"{nv.verdict_text(view, lang)}",
            })
        groups.append({"label": nv.scope_label(scope, lang), "y": y + group_h / 2, "bars": bars,
                       "overall": scope.overall})
    plot_bottom = height - _BOTTOM + 6
    targets = []
    for j, name in enumerate(bd.RATES):
        target = pack[name]
        x = x0 + max(0.0, min(1.0, target.threshold)) * _PLOT_W
        targets.append({"rate": name, "x": round(x, 2), "y1": _TOP - 8, "y2": plot_bottom,
                        "label": f"{target.op} {threshold(target.threshold, lang)}",
                        "label_y": _TOP - 12 - j * 12})
    ticks = [{"x": round(x0 + f * _PLOT_W, 2), "label": percent(f, lang, digits=0)} for f in (0, 0.25, 0.5, 0.75, 1)]
    return {
        "width": _LABEL_W + _PLOT_W + _VALUE_W, "height": height, "x0": x0, "plot_w": _PLOT_W,
        "plot_top": _TOP - 8, "plot_bottom": plot_bottom, "groups": groups, "targets": targets,
        "ticks": ticks, "legend_y": height - 14,
    }


def _signatures(entry: ReportEntry, lang: str) -> list[dict[str, str]]:
    return [{
        "who": sig.signer_name or sig.signer or sig.field or "?",
        "role": word(ROLES, sig.role, lang),
        "verdict": sig.verdict.value,
        "verdict_text": word(VERDICTS, sig.verdict.value, lang),
        "reasons": ", ".join(sig.reasons),
    } for sig in entry.signatures]


def _entry_row(entry: ReportEntry, lang: str, agency: str) -> dict[str, Any]:
    date = entry.date.isoformat()
    verdict = entry.verdict.value if entry.verdict is not None else ""
    return {
        "agency": agency,
        "register": entry.register or "",
        "row": entry.row,
        "number": entry.number,
        "date": date,
        "date_text": date_text(date, lang),
        "direction": word(DIRECTIONS, entry.direction.value, lang),
        "doc_type": entry.doc_type,
        "subject": entry.subject,
        "channel": word(CHANNELS, entry.channel.value, lang),
        "file": entry.file or "",
        "file_status": word(FILE_STATUSES, entry.file_status.value, lang),
        "verdict": verdict,
        "verdict_text": word(VERDICTS, verdict, lang) if verdict else "—",
        "codes": list(entry.not_counted),
        "reasons": [reason(c, lang) for c in entry.not_counted],
        "via_counted": entry.counts_via_software,
        "signatures": _signatures(entry, lang),
        "findings": [{"rule": f.rule, "severity": f.severity.value,
                      "severity_text": word(SEVERITIES, f.severity.value, lang),
                      "message": bd.finding_text(f, lang), "reference": f.reference or ""}
                     for f in entry.findings],
    }


def _group_rows(groups: list[bd.Group], dimension: str, lang: str) -> list[dict[str, Any]]:
    rows = []
    for g in groups:
        if dimension == "direction":
            label = word(DIRECTIONS, g.key, lang)
        elif dimension == "month":
            label = month_text(g.key, lang)
        else:
            label = g.key
        rows.append({"label": label, "total": number(g.total, lang),
                     "via": nv.rate_text(g.via_software, lang), "via_status": g.via_software.status,
                     "paperless": nv.rate_text(g.paperless, lang), "paperless_status": g.paperless.status})
    return rows


def _scope_view(scope: bd.Scope, index: int, report: AuditReport, lang: str) -> dict[str, Any]:
    fig = scope.figures

    def counts(data: Mapping[str, int], keys: tuple[str, ...]) -> str:
        return "/".join(number(int(data.get(k) or 0), lang) for k in keys)

    rates = []
    for name in bd.RATES:
        view = scope.rate(name)
        rates.append({"name": name, "label": t(name, lang), "rate": percent(view.rate, lang),
                      "fraction": (f"{number(view.count, lang)}/{number(view.denominator, lang)}"
                                   if view.rate is not None else ""),
                      "status": view.status, "status_text": nv.status_word(view.status, lang),
                      "target": nv.target_text(view.target, lang), "verdict": nv.verdict_text(view, lang),
                      "claimed": number(view.claimed, lang)})
    reasons = sorted(fig.not_counted.items(), key=lambda i: -i[1])
    parts = bd.breakdowns(report, None if scope.overall else scope.name)
    return {
        "id": "overall" if scope.overall else f"agency-{index + 1}",
        "label": nv.scope_label(scope, lang), "overall": scope.overall,
        "total": number(scope.total, lang), "rates": rates,
        "sentence": nv.scope_sentence(scope, lang),
        "signatures": counts(fig.signatures, ("valid", "invalid", "indeterminate", "unsigned")),
        "files": counts(fig.files, ("present", "missing", "unreadable", "outside_root")),
        "excluded": counts(fig.excluded, ("duplicate", "out_of_period", "unparsable")),
        "reasons": [{"code": c, "text": reason(c, lang), "n": number(n, lang)} for c, n in reasons],
        "breakdowns": [{"title": t(f"by_{dim}", lang), "dimension": dim,
                        "rows": _group_rows(parts[dim], dim, lang)} for dim in bd.DIMENSIONS],
    }


def context(report: AuditReport, lang: str = "vi") -> dict[str, Any]:
    """What the template shows, in ``lang``: words, numbers and dates already written out."""
    pack = bd.targets(report)
    agencies = bd.agencies(report)
    overall = bd.overall(report)
    scopes = [*agencies, overall]
    targets = report.targets
    named = bd.agency_names(report)
    entries = [_entry_row(e, lang, named(e.agency)) for e in bd.not_counted_entries(report)]
    reason_codes = sorted({c for e in entries for c in e["codes"]}, key=lambda c: list(REASONS).index(c) if c in REASONS else 99)
    rules = bd.findings_by_rule(report)
    agency_names = [s.name for s in agencies]
    scanned = report.finished or report.started
    script = _asset("report.js")
    return {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "title": t("report_title", lang),
        "period": nv.period_text(report, lang),
        "root": report.root or "",
        "register": report.register or "",
        "tool": f"docaudit {report.tool_version}".strip(),
        "target_pack": (f"{targets.pack_id} ({t('version', lang)} {targets.pack_version})"
                        if targets.pack_id else ""),
        "targets_text": "; ".join(f"{t(n, lang)} {nv.target_text(pack[n], lang)}" for n in bd.RATES),
        "rule_pack": nv.rule_packs_text(report, lang),
        "run_id": report.run_id,
        "scanned": datetime_text(scanned.isoformat() if scanned else None, lang),
        "validation_time": word(VALIDATION_TIMES, report.validation_time, lang),
        "crypto_policy": nv.crypto_policy_text(report, lang),
        "trust_fingerprint": report.trust_fingerprint or "",
        "trust_certificates": [{"subject": str(c.get("subject") or ""), "sha256": str(c.get("sha256") or ""),
                                "role": str(c.get("role") or "")}
                               for c in report.trust_certificates if isinstance(c, Mapping)],
        "paragraphs": nv.paragraphs(report, lang),
        "scopes": [_scope_view(s, i, report, lang) for i, s in enumerate(scopes)],
        "chart": _chart(scopes, pack, lang),
        "chart_legend": [{"rate": n, "label": f"{t(n, lang)} ({t('target', lang).lower()} "
                                              f"{nv.target_text(pack[n], lang)})"} for n in bd.RATES],
        "shortfalls": [nv.shortfall_text(s, lang) for s in bd.shortfalls(report)],
        "no_shortfall_key": bd.no_shortfall_key(report),
        "none_not_counted_key": "no_entries" if bd.nothing_to_rate(report) else "none_not_counted",
        "entries": entries,
        "entries_total": len(report.entries),
        # a run of several registers: each numbers its own rows, so the table names the register
        "several_registers": any(e["register"] for e in entries),
        "agency_names": agency_names,
        "reason_options": [{"code": c, "text": reason(c, lang)} for c in reason_codes],
        "rules": [{"rule": r.rule, "severity": word(SEVERITIES, r.severity, lang) if r.severity else "",
                   "severity_code": r.severity or "", "reference": r.reference or "",
                   "message": r.message or "", "total": bd.total_with_accepted(r, lang),
                   "by_agency": [number(r.by_agency.get(a, 0), lang) for a in agency_names]} for r in rules],
        "row_errors": [{"row": row_name(e.row, e.register, lang), "agency": e.agency or "", "reason": e.problem(lang)}
                       for e in report.row_errors],
        "duplicates": [t("register.duplicate-of", lang, register=d.register, row=d.row, of=d.duplicate_of_row)
                       if d.register else t("duplicate_of", lang, row=d.row, of=d.duplicate_of_row)
                       for d in report.duplicates],
        "notes": [render_text(n, lang) for n in report.notes],
        "data": {
            "lang": lang,
            "agencies": agency_names,
            "labels": {"rows_shown": t("rows_shown", lang, shown="{shown}", total="{total}")},
        },
        "script": script,
        "css": _asset("report.css"),
        "csp": _csp(script),
    }


def render(report: AuditReport, lang: str = "vi") -> str:
    return _env().get_template("report.html.j2").render(**context(report, lang))
