"""``docaudit audit``: the scheduled audit (cron, systemd timer, CI).

With ``docaudit.toml`` (in the current folder or ``--config``) it runs what the file says; with an
``AUDIT_ROOT`` argument it takes the same options as ``scan`` (one source). Exit status: 0 when
every agency meets its targets and no new error-level finding appeared (baseline-accepted ones do
not count), 1 otherwise, 2 for usage or configuration errors; ``--exit-zero`` forces 0.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import click

from ..config import ANNOTATIONS, REPORT_FORMATS
from ..config import AuditConfig, OutputConfig, SourceConfig, db_url_from, find_config, load_config
from ..errors import UsageError
from ..outputs import render_output
from ..outputs import write_outputs
from ..periods import resolve_period, today
from ..pipeline.options import check_crypto_policy, parse_validation_time
from ..progress import progress_reporter
from ..report import annotations as ci
from ..report import formats
from ..report.i18n import note
from ..report.settings import ReportSettings
from ..rules import RuleSelection
from ..text import number, t
from ._output import check_excel, excel_option, row_error_lines
from ._rules_options import load_report_config, load_rules_config
from .outcome import Outcome, speak
from .scan import build_limits, build_options, online_settings
from .scan import scan_options


def _given(ctx: click.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")


@click.command()
@click.argument("audit_root", required=False, type=click.Path(path_type=Path))
@scan_options
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config file (default: ./docaudit.toml). With AUDIT_ROOT only its [rules] are used, as in scan.")
@click.option("--select", default=None, metavar="CODES", help="Only these rules or prefixes, e.g. SIG,FMT001.")
@click.option("--ignore", default=None, metavar="CODES", help="Leave out these rules or prefixes.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="Report written to --output or stdout [default: table].")
@excel_option
@click.option("--junit", "junit_path", type=click.Path(path_type=Path), default=None, help="Write JUnit XML here.")
@click.option("--codequality", "codequality_path", type=click.Path(path_type=Path), default=None,
              help="Write a GitLab Code Quality report here.")
@click.option("--annotations", type=click.Choice(ANNOTATIONS), default=None,
              help="One-line CI annotations [default: auto — GitHub/GitLab when run there].")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), default=None,
              help="Accepted findings (default: docaudit-baseline.yaml beside the config, if any).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when a target is missed or a new error appears.")
@click.option("--no-cache", is_flag=True, help="Evaluate every document again (the cache is refreshed).")
@click.option("--rehash", is_flag=True,
              help="Read and hash every file, even those whose size, times and inode did not change.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary line on stderr.")
@click.option("--progress", "progress_mode", type=click.Choice(["auto", "bar", "plain", "none"]), default="auto",
              show_default=True, help="Progress display on stderr.")
@click.pass_context
def audit(ctx, audit_root, register, trust, trust_packs, period, targets, output, db_url, no_db, jobs,
          validation_time, crypto_policy, lang,
          fail_under_target, timeout, max_file_size, online, online_timeout, config_path, select, ignore, fmt, excel,
          junit_path, codequality_path,
          annotations, baseline_path,
          exit_zero, no_cache, rehash, quiet, progress_mode) -> Outcome:
    """Run the configured audit (docaudit.toml) or audit AUDIT_ROOT; exit 1 on a missed target
    or a new error-level finding.

    --period also takes names: 2021, 2021-H1, 2021-Q3, 2021-06, last-month, last-quarter, ytd …
    Documents whose bytes and settings did not change since a stored run are not parsed again."""

    del fail_under_target  # implied: an audit always fails under target (unless --exit-zero)
    speak(lang if _given(ctx, "lang") else None)  # until the config file says otherwise
    day = today()
    if audit_root is not None:

        named = resolve_period(period, day) if period else resolve_period("all", day)
        options = build_options(audit_root, register, trust, named.resolved if period else None, targets,
                                db_url, no_db, jobs, validation_time, crypto_policy=crypto_policy, online=online,
                                online_timeout=online_timeout, trust_packs=trust_packs)
        config = AuditConfig(
            sources=(SourceConfig(options.root, options.register),), base=Path.cwd(), trust=options.trust,
            trust_packs=options.trust_packs,
            period=named, targets=options.targets, validation_time=options.validation_time, db=options.db_url,
            jobs=options.jobs, lang=lang, lang_given=_given(ctx, "lang"), baseline=None,
            output=OutputConfig(annotations="auto"),
            rules=load_rules_config(config_path) or RuleSelection(), limits=options.limits,
            report=load_report_config(config_path) or ReportSettings(),
            crypto_policy=options.crypto_policy, online=options.online, online_timeout=options.online_timeout,
        )
        store = options.store
    else:
        found = find_config(config_path)
        if found is None:
            raise UsageError(
                f"no docaudit.toml in {Path.cwd()}: give AUDIT_ROOT or --config PATH (`docaudit init` writes one)"
            )
        if register is not None:
            raise UsageError("--register applies to one AUDIT_ROOT; with a config file set it per [[source]]")
        config = load_config(found, day)
        changes: dict = {}
        if period:
            changes["period"] = resolve_period(period, day)
        if trust:
            changes["trust"] = tuple(trust)
        if trust_packs:
            changes["trust_packs"] = tuple(trust_packs)
        if targets:
            changes["targets"] = targets
        if _given(ctx, "validation_time"):
            changes["validation_time"] = parse_validation_time(validation_time)
        if crypto_policy is not None:
            changes["crypto_policy"] = check_crypto_policy(crypto_policy)
        if db_url:
            changes["db"] = db_url_from(db_url)
        if jobs is not None:
            changes["jobs"] = jobs
        if _given(ctx, "lang"):
            changes["lang"], changes["lang_given"] = lang, True
        if timeout is not None or max_file_size is not None:
            changes["limits"] = build_limits(timeout, max_file_size)
        if online is not None or online_timeout is not None:  # online revocation: the options win
            changes["online"], seconds = online_settings(online, online_timeout, config.online)
            if online_timeout is not None:
                changes["online_timeout"] = seconds
        if changes:
            config = replace(config, **changes)
        store = not no_db
    speak(config.lang if config.lang_given else None)
    if select or ignore:
        config = replace(config, rules=replace(config.rules, select=_codes(select) or config.rules.select,
                                               ignore=_codes(ignore) or config.rules.ignore))
    if baseline_path is not None:
        if not baseline_path.is_file():
            raise UsageError(f"--baseline {baseline_path}: no such file")
        config = replace(config, baseline=baseline_path)
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs: expected a positive number, got {jobs}")

    outputs = dict(config.output.paths)
    if junit_path is not None:
        outputs["junit"] = junit_path
    if codequality_path is not None:
        outputs["codequality"] = codequality_path
    if output is not None:
        outputs[fmt or "table"] = output
        stdout_fmt = None
    else:
        stdout_fmt = fmt or "table"
        if formats.get(stdout_fmt).binary:  # as scan: refused before anything is scanned
            raise UsageError(f"--format {stdout_fmt} is binary: give --output FILE")
    csv_excel = excel or config.output.csv_excel
    if excel:  # --excel: the CSV this audit writes, on stdout or to a file, is for Excel
        check_excel(fmt or "csv", excel, config.lang)
        if stdout_fmt != "csv" and "csv" not in outputs:
            raise UsageError(t("excel.no-csv", config.lang))
    config = replace(config, output=OutputConfig(config.output.formats, MappingProxyType(outputs),
                                                 annotations or config.output.annotations, csv_excel))

    from ..audit import run_audit  # lazy for start-up: an audit loads SQLAlchemy and the readers

    with progress_reporter(quiet=quiet, mode=progress_mode, lang=config.lang) as progress:
        run = run_audit(config, store=store, refresh=no_cache, rehash=rehash, progress=progress, today=day,
                        note=None if quiet else (lambda text: click.echo(f"docaudit: {text}", err=True)))

    # the run's report (some 400,000 objects for 2,000 entries) lives until the process ends:
    # rendering the outputs makes many short-lived objects, and their collections need not walk it
    gc.freeze()
    written = write_outputs(run, config.lang, outputs)
    machine = stdout_fmt in ("json", "csv", "md", "html", "xlsx", "docx")
    if stdout_fmt is not None:

        data = render_output(run.report, stdout_fmt, config.lang, config.report, config.output.csv_excel)
        if formats.get(stdout_fmt).binary:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            click.echo(data.decode("utf-8"), nl=False)
    if stdout_fmt in ("json", "csv"):
        row_error_lines(run.report)

    style = ci.detect(config.output.annotations)
    if style is not None:
        click.echo(formats.ANNOTATIONS[style].text(run.report, config.lang), err=machine, nl=False)

    if not quiet:
        for fmt_name, path in written:
            click.echo(f"docaudit: wrote {fmt_name} report {path}", err=True)
        if stdout_fmt != "table":

            for text in run.notes:
                click.echo(f"docaudit: {note(text, config.lang)}", err=True)
        click.echo(f"docaudit: {summary_line(run, config.lang)}", err=True)
    return Outcome.DONE if exit_zero or run.exit_ok else Outcome.FAILED


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (text or "").split(",") if c.strip())


def _count(n: int, singular: str, plural: str, lang: str) -> str:
    """``1 document`` / ``7 documents``; Vietnamese nouns have no plural: ``7`` (the noun is in
    the catalogue's sentence)."""
    if lang != "en":
        return number(n, lang)
    return f"{number(n, lang)} {singular if n == 1 else plural}"


def summary_line(run, lang: str = "en") -> str:
    """The audit's closing line on stderr, in ``lang``; the verdict keeps its English word."""
    missed = run.missed_agencies
    accepted = t("summary.accepted", lang, count=number(run.accepted, lang)) if run.accepted else ""
    parts = [
        t("summary.run", lang, id=run.run_id) if run.run_id is not None else t("summary.not-stored", lang),
        t("summary.documents", lang, evaluated=_count(run.documents_evaluated, "document", "documents", lang),
          reused=number(run.documents_reused, lang)),
        t("summary.missed", lang, count=_count(len(missed), "agency", "agencies", lang),
          names=f" ({', '.join(missed)})" if missed else ""),
        t("summary.errors", lang, count=_count(run.new_errors, "new error finding", "new error findings", lang),
          accepted=accepted),
    ]
    return "; ".join(parts) + " — " + t("summary.ok" if run.exit_ok else "summary.failed", lang)
