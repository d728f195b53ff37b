"""``docaudit rules`` lists the rule packs; ``docaudit rules show SIG002`` explains one rule."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..errors import UsageError
from ..report.i18n import t
from ..rules import load_rules

def _severity(rule) -> str:
    levels = {rule.severity["outgoing"].value, rule.severity["incoming"].value}
    if len(levels) == 1:
        return levels.pop()
    return f"{rule.severity['outgoing'].value} (đi/out) / {rule.severity['incoming'].value} (đến/in)"


@click.group(invoke_without_command=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.pass_context
def rules(ctx, lang) -> None:
    """List the rules of the packs in rules/ (id, severity, title, legal reference)."""
    ctx.obj = {"lang": lang}
    if ctx.invoked_subcommand is not None:
        return

    table = Table(show_lines=False)
    for column in ("id", "severity", "title", "reference"):
        table.add_column(t(f"rules.{column}", lang), overflow="fold")
    for rule in load_rules().rules:
        table.add_row(rule.id, _severity(rule), rule.title[lang], rule.reference)
    console = Console() if Console().is_terminal else Console(width=150)
    console.print(table)


@rules.command()
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None)
@click.pass_context
def show(ctx, rule_id: str, lang: str | None) -> None:
    """Explain one rule: what it checks, why, how to fix it, its parameters."""

    lang = lang or (ctx.obj or {}).get("lang", "vi")
    rule = load_rules().get(rule_id.upper())
    if rule is None:
        raise UsageError(f"unknown rule '{rule_id}' (see `docaudit rules`)")
    directions = ", ".join(sorted(rule.directions))
    lines = [
        f"{rule.id} — {rule.title[lang]}",
        f"{t('rules.severity', lang)}: {_severity(rule)}",
        f"{t('rules.reference', lang)}: {rule.reference}",
        f"{t('rules.applies', lang)}: {directions}; {', '.join(sorted(rule.kinds))}; {', '.join(sorted(rule.modes))}",
        f"{t('rules.scope', lang)}: {rule.scope}",
        f"{t('rules.remediation', lang)}: {rule.remediation[lang]}",
        f"{t('rules.evaluator', lang)}: {rule.evaluator}",
        f"{t('rules.params', lang)}: {dict(rule.params) if rule.params else '—'}",
        f"{t('rules.pack', lang)}: {rule.pack} ({rule.source})",
    ]
    click.echo("\n".join(lines))
