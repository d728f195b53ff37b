"""The terminal table: one row per agency with both rates against their targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..metrics import Figures, Rate
from ..targets import Target
from .i18n import SEVERITIES, date_text, note, number, percent, reason, t, threshold

if TYPE_CHECKING:
    from ..scan import ScanResult


def _rate_cell(rate: Rate, target: Target, total: int, lang: str) -> str:
    if rate.rate is None:
        return f"[dim]{t('no_data', lang)}[/dim]"
    mark = "[green]✓[/green]" if rate.meets_target else "[red]✗[/red]"
    return f"{mark} {percent(rate.rate, lang)} ({number(rate.count, lang)}/{number(rate.denominator, lang)})"


def _signatures_cell(figures: Figures, lang: str) -> str:
    s = figures.signatures
    return "/".join(number(s[k], lang) for k in ("valid", "invalid", "indeterminate", "unsigned"))


def _reasons_cell(figures: Figures, lang: str, limit: int = 3) -> str:
    items = list(figures.not_counted.items())[:limit]
    return "; ".join(f"{reason(code, lang)} ({number(n, lang)})" for code, n in items) or "—"


def _target_text(target: Target, lang: str) -> str:
    return f"{target.op} {threshold(target.threshold, lang)}"  # 92,5% stays 92,5%


def render(result: "ScanResult", console: Console, lang: str = "vi") -> None:
    period = result.options.period
    start = date_text(period.start.isoformat(), lang) if period.start else None
    end = date_text(period.end.isoformat(), lang) if period.end else None
    if start and end:
        span = t("period_range", lang, start=start, end=end)  # từ ngày 01/01/2021 đến ngày 30/06/2021
    elif start:
        span = t("period_from", lang, start=start)
    elif end:
        span = t("period_until", lang, end=end)
    else:
        span = t("all_dates", lang)
    targets = result.targets
    table = Table(
        title=f"{t('title', lang)} — {t('period', lang)}: {span}",
        caption=f"{t('targets', lang)}: {t('via_software', lang)} {_target_text(targets.via_software, lang)}, "
        f"{t('paperless', lang)} {_target_text(targets.paperless, lang)}",
        show_lines=False,
    )
    table.add_column(t("agency", lang), style="bold")
    table.add_column(t("total", lang), justify="right")
    table.add_column(f"{t('via_software', lang)} ({_target_text(targets.via_software, lang)})")
    table.add_column(f"{t('paperless', lang)} ({_target_text(targets.paperless, lang)})")
    table.add_column(t("signatures", lang), justify="right")
    table.add_column(t("top_reasons", lang))
    rows = list(result.agencies.items()) + [(t("overall", lang), result.overall)]
    for index, (name, figures) in enumerate(rows):
        table.add_row(
            name,
            number(figures.total, lang),
            _rate_cell(figures.via_software, targets.via_software, figures.total, lang),
            _rate_cell(figures.paperless, targets.paperless, figures.total, lang),
            _signatures_cell(figures, lang),
            _reasons_cell(figures, lang),
            end_section=index == len(rows) - 2,
        )
    console.print(table)
    _findings_table(result, console, lang)
    ex = result.overall.excluded
    console.print(t("excluded", lang, **{k: number(v, lang) for k, v in ex.items()}))
    if result.register.errors:
        console.print(f"[yellow]{t('row_errors', lang)}:[/yellow]")
        for error in result.register.errors:
            console.print(f"  {t('row', lang)} {error.row}: {error.text(lang)}", markup=False, highlight=False)
    for text in result.notes:
        console.print(f"[dim]{escape(note(text, lang))}[/dim]", highlight=False)
    if result.run_id is not None:
        console.print(f"[dim]{t('run', lang, run_id=result.run_id, db=_mask(result.db_url))}[/dim]", highlight=False)


def _findings_table(result: "ScanResult", console: Console, lang: str) -> None:
    """Findings per rule and agency, errors first: where the auditor should look next."""
    from collections import Counter

    counts: Counter[tuple[str, str, str]] = Counter()
    for entry in result.results:
        for finding in entry.findings:
            counts[(finding.rule, finding.severity.value, entry.entry.agency)] += 1
    if not counts:
        return
    order = {"error": 0, "warning": 1, "info": 2}
    rules = sorted({(rule, severity) for rule, severity, _ in counts}, key=lambda k: (order[k[1]], k[0]))
    agencies = list(result.agencies)
    table = Table(title=t("findings", lang), title_justify="left")
    table.add_column(t("rule", lang))
    table.add_column(t("severity", lang))
    for agency in agencies:
        table.add_column(agency, justify="right")
    for rule, severity in rules:
        style = {"error": "red", "warning": "yellow"}.get(severity, "dim")
        table.add_row(rule, f"[{style}]{SEVERITIES[severity][lang]}[/{style}]",
                      *(number(counts[(rule, severity, a)], lang) if counts[(rule, severity, a)] else "·" for a in agencies))
    console.print(table)


def _mask(url: str | None) -> str:
    if not url:
        return "?"
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url
