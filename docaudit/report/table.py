"""The terminal table: one row per agency with both rates against their targets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .breakdown import agency_namer
from .i18n import SEVERITIES, date_text, note, number, percent, reason, row_name, t, threshold, word

if TYPE_CHECKING:
    from ..pipeline.report import AuditReport


def _rate_cell(rate: Any, lang: str) -> str:
    if rate.rate is None:
        return f"[dim]{t('no_data', lang)}[/dim]"
    mark = "[green]✓[/green]" if rate.meets_target else "[red]✗[/red]"
    return f"{mark} {percent(rate.rate, lang)} ({number(rate.count, lang)}/{number(rate.denominator, lang)})"


def _signatures_cell(signatures: Mapping[str, int], lang: str) -> str:
    return "/".join(number(signatures.get(k, 0), lang) for k in ("valid", "invalid", "indeterminate", "unsigned"))


def _reasons_cell(not_counted: Mapping[str, int], lang: str, limit: int = 3) -> str:
    items = list(not_counted.items())[:limit]
    return "; ".join(f"{reason(code, lang)} ({number(n, lang)})" for code, n in items) or "—"


def _target_text(target: Any, lang: str) -> str:
    return f"{target.op} {threshold(target.threshold, lang)}"  # 92,5% stays 92,5%


@dataclass(frozen=True)
class _Sheet:
    """What the table shows of a report."""

    period_start: str | None
    period_end: str | None
    via_target: Any
    paperless_target: Any
    rows: list[tuple[str, int, Any, Any, Mapping[str, int], Mapping[str, int]]]
    """(name, total, via-software rate, paperless rate, signatures, reasons not counted), the
    overall row last; a rate has ``rate``, ``meets_target``, ``count`` and ``denominator``."""
    agencies: list[str]
    findings: Counter
    """(rule, severity, agency) → findings."""
    excluded: Mapping[str, int]
    row_errors: list[tuple[str, str]]
    """(where the row is, what is wrong with it), in the table's language."""
    notes: list[str]
    run_id: int | None
    db_url: str | None


def render(report: "AuditReport", console: Console, lang: str = "vi") -> None:
    """The table of ``report``: a fresh scan's, an audit's or a stored run's alike."""
    findings: Counter[tuple[str, str, str]] = Counter()
    named = agency_namer(report.agencies)
    for entry, finding in report.findings():
        findings[(finding.rule, finding.severity.value, named(entry.agency))] += 1
    rows = [(name, f.total, f.via_software, f.paperless, f.signatures, f.not_counted)
            for name, f in [*report.agencies.items(), (t("overall", lang), report.overall)]]
    period = report.period
    _show(_Sheet(
        period_start=period.start.isoformat() if period.start else None,
        period_end=period.end.isoformat() if period.end else None,
        via_target=report.targets.via_software, paperless_target=report.targets.paperless,
        rows=rows, agencies=list(report.agencies), findings=findings, excluded=report.overall.excluded,
        row_errors=[(row_name(e.row, e.register, lang), e.problem(lang)) for e in report.row_errors],
        notes=list(report.notes), run_id=report.run_id, db_url=report.stored_in,
    ), console, lang)
    line = accepted_line(report, lang)
    if line:
        console.print(line, highlight=False, markup=False)


def accepted_line(report: "AuditReport", lang: str) -> str | None:
    """Under an audit's table: how many findings the baseline accepts, by rule (the table's
    counts include them; they are never new)."""
    by_rule = Counter(f.rule for _entry, f in report.findings()
                      if f.baseline is not None and f.baseline.status == "accepted")
    if not by_rule:
        return None
    label = t("accepted_baseline", lang).capitalize()
    rules = ", ".join(f"{rule} {number(n, lang)}" for rule, n in sorted(by_rule.items()))
    return f"{label}: {number(sum(by_rule.values()), lang)} ({rules})"


def _show(sheet: _Sheet, console: Console, lang: str) -> None:
    start = date_text(sheet.period_start, lang) if sheet.period_start else None
    end = date_text(sheet.period_end, lang) if sheet.period_end else None
    if start and end:
        span = t("period_range", lang, start=start, end=end)  # từ ngày 01/01/2021 đến ngày 30/06/2021
    elif start:
        span = t("period_from", lang, start=start)
    elif end:
        span = t("period_until", lang, end=end)
    else:
        span = t("all_dates", lang)
    via_target, paperless_target = sheet.via_target, sheet.paperless_target
    table = Table(
        title=f"{t('title', lang)} — {t('period', lang)}: {span}",
        caption=f"{t('targets', lang)}: {t('via_software', lang)} {_target_text(via_target, lang)}, "
        f"{t('paperless', lang)} {_target_text(paperless_target, lang)}",
        show_lines=False,
    )
    table.add_column(t("agency", lang), style="bold")
    table.add_column(t("total", lang), justify="right")
    table.add_column(f"{t('via_software', lang)} ({_target_text(via_target, lang)})")
    table.add_column(f"{t('paperless', lang)} ({_target_text(paperless_target, lang)})")
    table.add_column(t("signatures", lang), justify="right")
    table.add_column(t("top_reasons", lang))
    for index, (name, total, via, paperless, signatures, not_counted) in enumerate(sheet.rows):
        table.add_row(
            name,
            number(total, lang),
            _rate_cell(via, lang),
            _rate_cell(paperless, lang),
            _signatures_cell(signatures, lang),
            _reasons_cell(not_counted, lang),
            end_section=index == len(sheet.rows) - 2,
        )
    console.print(table)
    _findings_table(sheet, console, lang)
    console.print(t("excluded", lang, **{k: number(v, lang) for k, v in sheet.excluded.items()}))
    if sheet.row_errors:
        console.print(f"[yellow]{t('row_errors', lang)}:[/yellow]")
        for where, text in sheet.row_errors:
            console.print(f"  {where}: {text}", markup=False, highlight=False)
    for text in sheet.notes:
        console.print(f"[dim]{escape(note(text, lang))}[/dim]", highlight=False)
    if sheet.run_id is not None:
        console.print(f"[dim]{t('run', lang, run_id=sheet.run_id, db=_mask(sheet.db_url))}[/dim]", highlight=False)


def _findings_table(sheet: _Sheet, console: Console, lang: str) -> None:
    """Findings per rule and agency, errors first: where the auditor should look next."""
    counts = sheet.findings
    if not counts:
        return
    order = {"error": 0, "warning": 1, "info": 2}
    rules = sorted({(rule, severity) for rule, severity, _ in counts}, key=lambda k: (order.get(k[1], 3), k[0]))
    agencies = sheet.agencies
    table = Table(title=t("findings", lang), title_justify="left")
    table.add_column(t("rule", lang))
    table.add_column(t("severity", lang))
    for agency in agencies:
        table.add_column(agency, justify="right")
    for rule, severity in rules:
        style = {"error": "red", "warning": "yellow"}.get(severity, "dim")
        level = word(SEVERITIES, severity, lang)
        table.add_row(rule, f"[{style}]{level}[/{style}]",
                      *(number(counts[(rule, severity, a)], lang) if counts[(rule, severity, a)] else "·" for a in agencies))
    console.print(table)


def _mask(url: str | None) -> str:
    if not url:
        return "?"
    if "@" not in url:  # no credentials to hide (and no SQLAlchemy to import for a replayed audit)
        return url
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url
