"""``docaudit scan``: the contract's command (CONTRACT §5)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ._output import TEXT_FORMATS, emit
from ._rules_options import rule_options, selection_from_options
from .report import RENDERED_FORMATS, check_output, write_report

EXIT_TARGET_MISSED = 1


def scan_options(function):
    """The options `scan` shares with the commands built on it."""
    options = [
        click.option("--register", "register", type=click.Path(path_type=Path),
                     help="Register file (default: register.csv|.xlsx|.json in AUDIT_ROOT)."),
        click.option("--trust", "trust", multiple=True, metavar="PEM_OR_DIR",
                     help="Trusted root certificate (PEM/DER) or folder of them; may repeat."),
        click.option("--period", default=None, metavar="START..END",
                     help="Only entries dated in this inclusive range, e.g. 2021-01-01..2021-06-30."),
        click.option("--targets", default=None, metavar="PACK", help="Target pack name (rules/targets) or YAML path."),
        click.option("--output", "output", type=click.Path(path_type=Path), help="Write the report here instead of stdout."),
        click.option("--db", "db_url", default=None, metavar="URL",
                     help="SQLAlchemy URL of the results database (default: AUDIT_ROOT/.docaudit/ or $DOCAUDIT_DB)."),
        click.option("--no-db", is_flag=True, help="Do not store the run."),
        click.option("--jobs", type=int, default=None, metavar="N", help="Worker processes (default: number of cores)."),
        click.option("--validation-time", default="signing", show_default=True, metavar="signing|now|ISO-DATE",
                     help="When certificates must have been valid."),
        click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True),
        click.option("--fail-under-target", is_flag=True, help="Exit 1 when some agency misses a target."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def build_options(audit_root: Path, register, trust, period, targets, db_url, no_db, jobs, validation_time):
    from ..model import Period
    from ..register import parse_period
    from ..scan import ScanOptions, default_jobs, parse_validation_time

    return ScanOptions(
        root=audit_root,
        register=register,
        trust=tuple(trust),
        period=parse_period(period) if period else Period(),
        targets=targets,
        db_url=db_url or os.environ.get("DOCAUDIT_DB") or None,
        jobs=default_jobs() if jobs is None else jobs,
        validation_time=parse_validation_time(validation_time),
        store=not no_db,
    )


@click.command()
@click.argument("audit_root", type=click.Path(path_type=Path))
@scan_options
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS + RENDERED_FORMATS), default="table",
              show_default=True)
@rule_options
def scan(audit_root, register, trust, period, targets, fmt, output, db_url, no_db, jobs,
         validation_time, lang, fail_under_target, select, ignore, config) -> None:
    """Scan AUDIT_ROOT and report, per agency, the two rates against their targets."""
    from ..scan import scan as run_scan

    check_output(fmt, output)  # xlsx/docx need --output: say so before scanning
    from dataclasses import replace

    options = build_options(audit_root, register, trust, period, targets, db_url, no_db, jobs, validation_time)
    options = replace(options, rules=selection_from_options(select, ignore, config))
    result = run_scan(options)
    if fmt in RENDERED_FORMATS:
        from ..report.json_report import build_report

        write_report(build_report(result), fmt, lang, output)
    else:
        emit(result, fmt, output, lang)
    if fail_under_target and not result.meets_targets:
        sys.exit(EXIT_TARGET_MISSED)
