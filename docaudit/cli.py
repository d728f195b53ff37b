"""The ``docaudit`` command: a thin click layer over the library.

Exit codes live here and only here (CONTRACT §5):
0 scan done · 1 some agency misses a target, only with ``--fail-under-target`` ·
2 usage or configuration error, with one line on stderr and no traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from . import __version__
from .errors import DocauditError

EXIT_OK, EXIT_TARGET_MISSED, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> NoReturn:
    click.echo(f"docaudit: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docaudit")
def cli() -> None:
    """Audit Vietnamese official documents: register, files, signatures and compliance rates."""


@cli.command()
@click.argument("audit_root", type=click.Path(path_type=Path))
@click.option("--register", "register", type=click.Path(path_type=Path),
              help="Register file (default: register.csv|.xlsx|.json in AUDIT_ROOT).")
@click.option("--trust", "trust", multiple=True, metavar="PEM_OR_DIR",
              help="Trusted root certificate (PEM/DER) or folder of them; may repeat.")
@click.option("--period", default=None, metavar="START..END",
              help="Only entries dated in this inclusive range, e.g. 2021-01-01..2021-06-30.")
@click.option("--targets", default=None, metavar="PACK", help="Target pack name (rules/targets) or YAML path.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--output", "output", type=click.Path(path_type=Path), help="Write the report here instead of stdout.")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="SQLAlchemy URL of the results database (default: AUDIT_ROOT/.docaudit/ or $DOCAUDIT_DB).")
@click.option("--no-db", is_flag=True, help="Do not store the run.")
@click.option("--jobs", type=int, default=None, metavar="N", help="Worker processes (default: number of cores).")
@click.option("--validation-time", default="signing", show_default=True, metavar="signing|now|ISO-DATE",
              help="When certificates must have been valid.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--fail-under-target", is_flag=True, help="Exit 1 when some agency misses a target.")
def scan(audit_root, register, trust, period, targets, fmt, output, db_url, no_db, jobs,
         validation_time, lang, fail_under_target) -> None:
    """Scan AUDIT_ROOT and report, per agency, the two rates against their targets."""
    from .model import Period
    from .register import parse_period
    from .report import csv_report, json_report, table
    from .scan import ScanOptions, default_jobs, parse_validation_time
    from .scan import scan as run_scan

    import os

    options = ScanOptions(
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
    result = run_scan(options)

    if fmt == "table":
        if output:
            with output.open("w", encoding="utf-8") as handle:
                table.render(result, Console(file=handle, width=160, no_color=True), lang)
        else:
            console = Console()
            if not console.is_terminal:
                console = Console(width=160)  # a pipe or a log file: don't wrap at 80 columns
            table.render(result, console, lang)
    else:
        # stdout holds only the report; the row errors and notes go to stderr, one line each
        for error in result.register.errors:
            click.echo(f"{result.register.source}: row {error.row}: {error.reason}", err=True)
        text = json_report.render(result) if fmt == "json" else csv_report.render(result)
        if output:
            output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        else:
            click.echo(text, nl=not text.endswith("\n"))
        for note in result.notes:
            click.echo(f"docaudit: {note}", err=True)
    if fail_under_target and not result.meets_targets:
        sys.exit(EXIT_TARGET_MISSED)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every error to its exit code in one place."""
    try:
        cli.main(args=argv, prog_name="docaudit", standalone_mode=False)
    except DocauditError as exc:
        _fail(str(exc))
    except click.exceptions.Abort:
        click.echo("docaudit: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:  # bad option, missing argument …: one line, exit 2
        _fail(exc.format_message().replace("\n", " "))
    except OSError as exc:  # e.g. --output into a folder that does not exist
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    sys.exit(EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
