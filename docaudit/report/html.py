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

from . import breakdown as bd
from . import narrative as nv
from .i18n import (
    CHANNELS, DIRECTIONS, FILE_STATUSES, REASONS, ROLES, SEVERITIES, VALIDATION_TIMES, VERDICTS, date_text,
    datetime_text, month_text, note, number, percent, reason, row_error_text, t, threshold, word,
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


def _signatures(entry: Mapping[str, Any], lang: str) -> list[dict[str, str]]:
    out = []
    for sig in entry.get("signatures") or []:
        if not isinstance(sig, Mapping):
            continue
        out.append({
            "who": str(sig.get("signer_name") or sig.get("signer") or sig.get("field") or "?"),
            "role": word(ROLES, sig.get("role"), lang),
            "verdict": str(sig.get("verdict") or ""),
            "verdict_text": word(VERDICTS, sig.get("verdict"), lang),
            "reasons": ", ".join(str(r) for r in sig.get("reasons") or []),
        })
    return out


def _entry_row(entry: Mapping[str, Any], lang: str) -> dict[str, Any]:
    codes = [str(c) for c in entry.get("not_counted") or []]
    findings = [f for f in entry.get("findings") or [] if isinstance(f, Mapping)]
    return {
        "agency": str(entry.get("agency") or ""),
        "row": entry.get("row") if isinstance(entry.get("row"), int) else "",
        "number": str(entry.get("number") or ""),
        "date": str(entry.get("date") or ""),
        "date_text": date_text(entry.get("date"), lang),
        "direction": word(DIRECTIONS, entry.get("direction"), lang),
        "doc_type": str(entry.get("doc_type") or ""),
        "subject": str(entry.get("subject") or ""),
        "channel": word(CHANNELS, entry.get("channel"), lang),
        "file": str(entry.get("file") or ""),
        "file_status": word(FILE_STATUSES, entry.get("file_status"), lang),
        "verdict": str(entry.get("verdict") or ""),
        "verdict_text": word(VERDICTS, entry.get("verdict"), lang) if entry.get("verdict") else "—",
        "codes": codes,
        "reasons": [reason(c, lang) for c in codes],
        "via_counted": bool((entry.get("counts") or {}).get("via_software")),
        "signatures": _signatures(entry, lang),
        "findings": [{"rule": str(f.get("rule") or ""), "severity": str(f.get("severity") or ""),
                      "severity_text": word(SEVERITIES, f.get("severity"), lang),
                      "message": bd.message(f, lang), "reference": str(f.get("reference") or "")}
                     for f in findings],
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


def _scope_view(scope: bd.Scope, index: int, report: Mapping[str, Any], lang: str) -> dict[str, Any]:
    fig = scope.figures
    sig = fig.get("signatures") or {}
    files = fig.get("files") or {}
    excl = fig.get("excluded") or {}

    def counts(data: Mapping[str, Any], keys: tuple[str, ...]) -> str:
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
    reasons = sorted(((str(c), int(n)) for c, n in (fig.get("not_counted") or {}).items()), key=lambda i: -i[1])
    parts = bd.breakdowns(report, None if scope.overall else scope.name)
    return {
        "id": "overall" if scope.overall else f"agency-{index + 1}",
        "label": nv.scope_label(scope, lang), "overall": scope.overall,
        "total": number(scope.total, lang), "rates": rates,
        "sentence": nv.scope_sentence(scope, lang),
        "signatures": counts(sig, ("valid", "invalid", "indeterminate", "unsigned")),
        "files": counts(files, ("present", "missing", "unreadable", "outside_root")),
        "excluded": counts(excl, ("duplicate", "out_of_period", "unparsable")),
        "reasons": [{"code": c, "text": reason(c, lang), "n": number(n, lang)} for c, n in reasons],
        "breakdowns": [{"title": t(f"by_{dim}", lang), "dimension": dim,
                        "rows": _group_rows(parts[dim], dim, lang)} for dim in bd.DIMENSIONS],
    }


def context(report: Mapping[str, Any], lang: str = "vi") -> dict[str, Any]:
    pack = bd.targets(report)
    agencies = bd.agencies(report)
    overall = bd.overall(report)
    scopes = [*agencies, overall]
    trust = report.get("trust") or {}
    tool = report.get("tool") or {}
    target_pack = report.get("target_pack") or {}
    entries = [_entry_row(e, lang) for e in bd.not_counted_entries(report)]
    reason_codes = sorted({c for e in entries for c in e["codes"]}, key=lambda c: list(REASONS).index(c) if c in REASONS else 99)
    rules = bd.findings_by_rule(report)
    agency_names = [s.name for s in agencies]
    script = _asset("report.js")
    return {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "title": t("report_title", lang),
        "period": nv.period_text(report, lang),
        "root": str(report.get("root") or ""),
        "register": str(report.get("register") or ""),
        "tool": f"{tool.get('name') or 'docaudit'} {tool.get('version') or ''}".strip(),
        "target_pack": (f"{target_pack.get('id')} ({t('version', lang)} {target_pack.get('version')})"
                        if target_pack.get("id") else ""),
        "targets_text": "; ".join(f"{t(n, lang)} {nv.target_text(pack[n], lang)}" for n in bd.RATES),
        "rule_pack": nv.rule_packs_text(report, lang),
        "run_id": report.get("run_id"),
        "scanned": datetime_text(report.get("finished") or report.get("started"), lang),
        "validation_time": word(VALIDATION_TIMES, report.get("validation_time"), lang),
        "trust_fingerprint": str(trust.get("fingerprint") or ""),
        "trust_certificates": [{"subject": str(c.get("subject") or ""), "sha256": str(c.get("sha256") or ""),
                                "role": str(c.get("role") or "")}
                               for c in trust.get("certificates") or [] if isinstance(c, Mapping)],
        "paragraphs": nv.paragraphs(report, lang),
        "scopes": [_scope_view(s, i, report, lang) for i, s in enumerate(scopes)],
        "chart": _chart(scopes, pack, lang),
        "chart_legend": [{"rate": n, "label": f"{t(n, lang)} ({t('target', lang).lower()} "
                                              f"{nv.target_text(pack[n], lang)})"} for n in bd.RATES],
        "shortfalls": [nv.shortfall_text(s, lang) for s in bd.shortfalls(report)],
        "no_shortfall_key": bd.no_shortfall_key(report),
        "none_not_counted_key": "no_entries" if bd.nothing_to_rate(report) else "none_not_counted",
        "entries": entries,
        "entries_total": len(report.get("entries") or []),
        "agency_names": agency_names,
        "reason_options": [{"code": c, "text": reason(c, lang)} for c in reason_codes],
        "rules": [{"rule": r.rule, "severity": word(SEVERITIES, r.severity, lang) if r.severity else "",
                   "severity_code": r.severity or "", "reference": r.reference or "",
                   "message": r.message or "", "total": bd.total_with_accepted(r, lang),
                   "by_agency": [number(r.by_agency.get(a, 0), lang) for a in agency_names]} for r in rules],
        "row_errors": [{"row": e.get("row"), "agency": str(e.get("agency") or ""), "reason": row_error_text(e, lang)}
                       for e in report.get("row_errors") or [] if isinstance(e, Mapping)],
        "duplicates": [t("duplicate_of", lang, row=d.get("row"), of=d.get("duplicate_of_row"))
                       for d in report.get("duplicates") or [] if isinstance(d, Mapping)],
        "notes": [note(str(n), lang) for n in report.get("notes") or []],
        "data": {
            "lang": lang,
            "agencies": agency_names,
            "labels": {"rows_shown": t("rows_shown", lang, shown="{shown}", total="{total}")},
        },
        "script": script,
        "css": _asset("report.css"),
        "csp": _csp(script),
    }


def render(report: Mapping[str, Any], lang: str = "vi") -> str:
    return _env().get_template("report.html.j2").render(**context(report, lang))
