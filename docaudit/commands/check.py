"""``docaudit check FILE…``: the clerk's checklist before sending a document."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import UsageError
from ..model import Direction
from ..pipeline.options import check_crypto_policy, parse_validation_time
from ..report.i18n import ROLES, SEVERITIES, VERDICTS, t, word
from ..rules import RuleEngine
from ..signatures import ValidationSettings, load_trust
from ..signatures.crypto_policy import load_crypto_policy
from ..signatures.online import OnlineRevocation
from ._rules_options import rule_options, selection_from_options
from .scan import ONLINE_OPTIONS, online_settings
from .outcome import Outcome

VN = dt.timezone(dt.timedelta(hours=7))

MARKS = {"pass": "[green]✓[/green]", "fail": "[red]✗[/red]", "na": "[dim]–[/dim]", "note": "[blue]ℹ[/blue]",
         "unverified": "[yellow]?[/yellow]"}
# a signature that cannot be verified (indeterminate) is not an invalid one: a different mark
SIGNATURE_MARKS = {"valid": "✓", "indeterminate": "?"}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--trust", "trust", multiple=True, metavar="PEM_OR_DIR", help="Trusted root certificate(s).")
@click.option("--trust-pack", "trust_packs", multiple=True, metavar="PACK",
              help="Trust pack (`docaudit trust list`): vn, vn-gov, or a pack YAML file; may repeat.")
@click.option("--direction", type=click.Choice(["outgoing", "incoming"]), default="outgoing", show_default=True,
              help="Check as a document to send (outgoing) or one received (incoming).")
@click.option("--validation-time", default="signing", show_default=True, metavar="signing|now|ISO-DATE")
@click.option("--crypto-policy", "crypto_policy", default=None, metavar="NAME|PATH",
              help="Algorithms accepted, and until when: vn (default), strict, or a YAML file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@rule_options
@ONLINE_OPTIONS[0]
@ONLINE_OPTIONS[1]
def check(files, trust, trust_packs, direction, validation_time, crypto_policy, fmt, lang, select, ignore, config,
          online, online_timeout) -> Outcome:
    """Check FILES (PDF/DOCX) against the signature and NĐ 30 format rules: a checklist per file.

    Exit status 0 when no error-level finding, 1 when there is one, 2 for usage errors."""
    from ..check import check_document, check_json, check_notes  # lazy for start-up: checking loads the PDF and DOCX readers

    online, online_timeout = online_settings(online, online_timeout)  # online revocation (issue 16 item 4)
    files = [_find(path, lang) for path in files]
    engine = RuleEngine(selection=selection_from_options(select, ignore, config))
    policy = load_crypto_policy(check_crypto_policy(crypto_policy))
    settings = ValidationSettings(load_trust(trust, trust_packs), parse_validation_time(validation_time),
                                  crypto_policy=policy, online=OnlineRevocation(online_timeout) if online else None)
    results = [check_document(path, engine, settings, Direction(direction)) for path in files]
    notes = check_notes(settings, lang)
    if fmt == "json":
        click.echo(json.dumps(check_json(results, lang, notes, policy.describe()), ensure_ascii=False, indent=2))
    else:
        console = Console() if Console().is_terminal else Console(width=150)
        for note in notes:
            console.print(f"[yellow]{escape(note)}[/yellow]", highlight=False, soft_wrap=True)  # one line
        for result in results:
            _render(result, console, lang)
    return Outcome.FAILED if any(r.has_errors for r in results) else Outcome.DONE


def _find(path: Path, lang: str) -> Path:
    """The file ``path`` names, as a scan finds a register's file: also when the name was typed in
    the other Unicode form (a name pasted from a register typed with "Unicode tổ hợp") or in
    another letter case (as Windows would open it). Not found: exit 2, one line, in ``lang``."""
    from ..evidence.confine import confine  # lazy for start-up, as the checking itself

    if not path.exists():
        anchor = Path(path.anchor) if path.is_absolute() else Path.cwd()
        found = confine(anchor, str(path.relative_to(path.anchor)) if path.is_absolute() else str(path)).path
        if found is None or not found.exists():
            raise UsageError(t("check.no-such-file", lang, path=path))
        path = found
    if path.is_dir():
        raise UsageError(t("check.not-a-file", lang, path=path))
    return path


def _render(result, console: Console, lang: str) -> None:
    from ..check import checklist_status  # lazy for start-up, as in check()

    def words(key: str) -> str:
        return t(f"check.{key}", lang)

    evidence = result.evidence
    verdict = evidence.verdict.verdict.value if evidence.verdict and evidence.present else None
    console.rule(f"[bold]{result.file}[/bold]")
    if not evidence.present:
        why = evidence.reason_text(lang)
        console.print(f"[red]✗ {words('unreadable')}: {escape(why or '')}[/red]", highlight=False)
    else:
        console.print(f"{words('verdict')}: [bold]{word(VERDICTS, verdict, lang)}[/bold]", highlight=False)
        if evidence.image_only:  # say why the format rules show "–" rather than leave it a puzzle
            console.print(f"[yellow]ℹ {words('image_only')}[/yellow]", highlight=False)
    signatures = evidence.verdict.signatures if evidence.verdict else ()
    if signatures:
        table = Table(title=words("signatures"), title_justify="left")
        for column in ("who", "role", "when", "result"):
            table.add_column(words(column))
        for sig in signatures:
            when = sig.signing_time.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S") if sig.signing_time else "—"
            mark = SIGNATURE_MARKS.get(sig.verdict.value, "✗")
            reasons = f" ({', '.join(sig.reasons)})" if sig.reasons else ""
            table.add_row(sig.signer_name or sig.signer or sig.field, word(ROLES, sig.role, lang) or "?",
                          when, f"{mark} {word(VERDICTS, sig.verdict.value, lang)}{reasons}")
        console.print(table)
        for sig in signatures:  # the path each one validated through, name by name
            if sig.path:
                console.print(f"{t('trust.path', lang)}: {escape(' → '.join(sig.path))}", highlight=False,
                              soft_wrap=True)
            who = sig.signer_name or sig.signer or sig.field
            # why a signature is not valid, in the validator's own words (the reason codes alone
            # do not say which certificate, which date or which cut-off)
            if sig.verdict.value != "valid" and sig.detail:
                console.print(f"[dim]{escape(t('check.why', lang, who=who, detail=sig.detail))}[/dim]",
                              highlight=False, soft_wrap=True)
            revoked_later = sig.revocation.revoked_at if sig.revocation is not None else None
            if sig.verdict.value == "valid" and revoked_later is not None:  # valid when signed; say it all the same
                console.print(f"[yellow]ℹ {escape(t('check.revoked-later', lang, who=who, when=revoked_later.astimezone(VN).strftime('%d/%m/%Y')))}[/yellow]",
                              highlight=False, soft_wrap=True)
    elif evidence.present:
        console.print(f"{words('signatures')}: {words('none')}", highlight=False)
    checklist = Table(show_lines=False)
    for column in ("rule", "result", "check", "severity", "detail", "reference"):
        checklist.add_column(words(column), overflow="fold")
    for problem in result.problems:  # about the file itself (unreadable, outside the root …): counted below too
        checklist.add_row(problem.rule, MARKS["fail"], t("check.unreadable", lang),
                          word(SEVERITIES, problem.severity.value, lang), problem.text(lang), problem.reference or "")
    for outcome in result.outcomes:
        messages = "\n".join(f.text(lang) for f in outcome.findings)
        severity = outcome.findings[0].severity.value if outcome.findings else outcome.rule.severity_for("outgoing").value
        # an info-level finding is a note, and a signature that cannot be verified is not an
        # invalid one: a correct document shows no ✗
        status = checklist_status(outcome)
        checklist.add_row(outcome.rule.id, MARKS[status], outcome.rule.title[lang],
                          word(SEVERITIES, severity, lang) if outcome.status == "fail" else "", messages,
                          outcome.rule.reference if outcome.status == "fail" else "")
    console.print(checklist)
    counts = {level: sum(1 for f in result.findings if f.severity.value == level) for level in ("error", "warning", "info")}
    console.print(t("check.summary", lang, errors=counts["error"], warnings=counts["warning"], infos=counts["info"]),
                  highlight=False)
