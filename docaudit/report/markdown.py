"""The Markdown report: the narrative paragraph first (ready to paste into a báo cáo), then the
summary table, shortfalls, breakdowns, the entries that did not count and the findings by rule.

Text from registers and documents is escaped (backslash before Markdown and HTML punctuation, line
breaks folded), so a subject cannot inject links, HTML or table cells into a rendered page.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..pipeline.report import AuditReport
from ..text import render as render_text
from . import breakdown as bd
from . import narrative as nv
from .i18n import DIRECTIONS, SEVERITIES, date_text, month_text, number, reason, row_name, t, word

_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|#!~&])")


def esc(value: Any) -> str:
    """Inline Markdown text: punctuation escaped, line breaks folded to spaces."""
    text = " ".join(str(value if value is not None else "").split())
    text = _SPECIAL.sub(r"\\\1", text)
    if text[:1] in ("-", "+", "=") or re.match(r"\d+[.)]\s", text):
        text = "\\" + text
    return text


def _table(headers: list[str], rows: Iterable[list[str]], right: Iterable[int] = ()) -> list[str]:
    right = set(right)
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _rate_cell(view: bd.RateView, lang: str) -> str:
    if view.rate is None:
        return nv.no_documents(view, lang)
    return f"{nv.rate_text(view, lang)} — {nv.status_word(view.status, lang)}"


def render(report: AuditReport, lang: str = "vi") -> str:
    pack = bd.targets(report)
    targets = report.targets
    out = [f"# {t('report_title', lang)}", ""]
    meta = [
        (t("period", lang), esc(nv.period_text(report, lang))),
        (t("audit_root", lang), esc(report.root or "")),
        (t("register", lang), esc(report.register or "")),
        (t("targets", lang), "; ".join(f"{t(n, lang)} {nv.target_text(pack[n], lang)}" for n in bd.RATES)
         + (f" — {t('target_pack', lang)}: {esc(targets.pack_id)} ({t('version', lang)} "
            f"{esc(targets.pack_version)})" if targets.pack_id else "")),
        (t("tool", lang), esc(f"docaudit {report.tool_version}".strip())
         + (f", {t('run_id', lang).lower()} #{esc(report.run_id)}" if report.run_id is not None else "")),
        # the fingerprint of no certificate at all (SHA-256 of nothing) would look like a trust set
        (t("trust_roots", lang), esc(report.trust_fingerprint) if report.trust_certificates else t("trust_none", lang)),
    ]
    if nv.rule_packs_text(report, lang):
        meta.append((t("rule_pack", lang), esc(nv.rule_packs_text(report, lang))))
    out += [f"- **{key}:** {value}" for key, value in meta] + [""]

    out += [f"## {t('narrative', lang)}", ""]
    for paragraph in nv.paragraphs(report, lang):
        out += [esc(paragraph), ""]

    out += [f"## {t('summary', lang)}", ""]
    headers = [t("agency", lang), t("total", lang),
               f"{t('via_software', lang)} ({nv.target_text(pack['via_software'], lang)})",
               f"{t('paperless', lang)} ({nv.target_text(pack['paperless'], lang)})"]
    rows = []
    for scope in [*bd.agencies(report), bd.overall(report)]:
        label = esc(nv.scope_label(scope, lang))
        rows.append([f"**{label}**" if scope.overall else label, number(scope.total, lang),
                     _rate_cell(scope.via_software, lang), _rate_cell(scope.paperless, lang)])
    out += _table(headers, rows, right=[1])
    # what the rates leave out, as under the terminal table (duplicates, outside the period, unparsable rows)
    excluded = report.overall.excluded
    out += [esc(t("excluded", lang, **{k: number(int(excluded.get(k) or 0), lang)
                                        for k in ("duplicate", "out_of_period", "unparsable")})), ""]

    out += [f"## {t('shortfalls', lang)}", ""]
    items = bd.shortfalls(report)
    out += [f"- {esc(nv.shortfall_text(item, lang))}" for item in items] or [t(bd.no_shortfall_key(report), lang)]
    out += [""]

    out += [f"## {t('breakdown', lang)} ({t('overall', lang).lower()})", ""]
    parts = bd.breakdowns(report)
    for dim in bd.DIMENSIONS:
        out += [f"### {t(f'by_{dim}', lang)}", ""]
        rows = []
        for g in parts[dim]:
            label = (word(DIRECTIONS, g.key, lang) if dim == "direction"
                     else month_text(g.key, lang) if dim == "month" else g.key)
            rows.append([esc(label), number(g.total, lang), _rate_cell(g.via_software, lang),
                         _rate_cell(g.paperless, lang)])
        out += _table([t("group", lang), t("total", lang), t("via_software", lang), t("paperless", lang)], rows, [1])

    out += [f"## {t('not_counted_title', lang)}", ""]
    entries = bd.not_counted_entries(report)
    if entries:
        # a run of several registers: each numbers its own rows, so a column names the register
        several = any(e.register for e in entries)
        rows = []
        for e in entries:
            rows.append([
                esc(e.agency), *([esc(e.register or "")] if several else []), esc(e.row), esc(e.number),
                esc(date_text(e.date.isoformat(), lang)),
                esc(e.subject), esc("; ".join(reason(c, lang) for c in e.not_counted)),
                esc("; ".join(f"{f.rule}: {bd.finding_text(f, lang)}"
                              + (f" [{f.reference}]" if f.reference else "") for f in e.findings)),
            ])
        out += _table([t("agency", lang), *([t("register.heading", lang)] if several else []), t("row_no", lang),
                       t("number", lang), t("date", lang), t("subject", lang), t("reasons", lang),
                       t("findings_column", lang)], rows, [2 if several else 1])
    else:
        out += [t("no_entries" if bd.nothing_to_rate(report) else "none_not_counted", lang), ""]

    out += [f"## {t('by_rule', lang)}", ""]
    rules = bd.findings_by_rule(report)
    if rules:
        names = [s.name for s in bd.agencies(report)]
        rows = [[f"`{r.rule.replace('`', '')}`", esc(word(SEVERITIES, r.severity, lang)), esc(r.reference or ""),
                 *[number(r.by_agency.get(n, 0), lang) for n in names], bd.total_with_accepted(r, lang)] for r in rules]
        out += _table([t("rule", lang), t("severity", lang), t("reference", lang), *[esc(n) for n in names],
                       t("overall", lang)], rows, range(3, 4 + len(names)))
    else:
        out += [t("no_findings", lang), ""]

    if report.row_errors:
        out += [f"## {t('row_errors', lang)}", ""]
        out += [f"- {esc(row_name(e.row, e.register, lang))}" + (f" ({esc(e.agency)})" if e.agency else "")
                + f": {esc(e.problem(lang))}" for e in report.row_errors] + [""]
    if report.notes:
        out += [f"## {t('notes', lang)}", ""] + [f"- {esc(render_text(n, lang))}" for n in report.notes] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
