"""Writing a report in the format the user asked for: one path for every command and format."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from ..errors import UsageError
from ..jsonstream import write_text
from ..report import formats, table
from ..report.i18n import note
from ..text import t

if TYPE_CHECKING:
    from ..pipeline.report import AuditReport
    from ..report.settings import ReportSettings

FORMAT_NAMES = tuple(formats.FORMATS)
"""Every format a command can write (``--format``)."""


EXCEL_HELP = ("With --format csv: the CSV for Excel on Windows — a UTF-8 byte-order mark and CRLF line ends, "
              "so Vietnamese text opens intact (for a workbook, use --format xlsx).")


def excel_option(function):
    """``--excel``: the CSV for Excel on Windows (``scan``, ``report``, ``audit``)."""
    return click.option("--excel", "excel", is_flag=True, help=EXCEL_HELP)(function)


def check_excel(fmt: str, excel: bool, lang: str) -> None:
    """``--excel`` goes with ``--format csv`` only: one line in ``lang``, exit 2."""
    if excel and fmt != "csv":
        raise UsageError(t("excel.not-csv", lang, format=fmt))


def check_output(fmt: str, output: Path | None, excel: bool = False, lang: str = "en") -> None:
    """Binary formats cannot go to a terminal: they need ``--output``; ``--excel`` needs
    ``--format csv`` (checked before any work)."""
    check_excel(fmt, excel, lang)
    if formats.get(fmt).binary and output is None:
        raise UsageError(f"--format {fmt} writes a binary file: give --output PATH")


def emit(report: "AuditReport", fmt: str, output: Path | None, lang: str, messages: bool = True,
         settings: "ReportSettings | None" = None, excel: bool = False) -> None:
    """Write ``report`` as ``fmt`` to ``output`` or stdout (the DOCX báo cáo with the office's
    ``[report]`` ``settings``). Except for the table (which shows them itself), stdout holds only
    the report: with ``messages`` (a fresh scan) the register's row errors and the notes go to
    stderr, one line each. ``excel``: the CSV for Excel."""
    check_output(fmt, output, excel, lang)
    if fmt == "table":
        _table(report, output, lang)
        return
    if messages:
        row_error_lines(report)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        formats.write_file(report, fmt, lang, output, settings, excel)
    else:  # the text goes out a piece at a time: a large report's text is never held whole
        write_text(formats.get(fmt, excel).pieces(report, lang, settings), lambda text: click.echo(text, nl=False))
    if messages:
        for text in report.notes:
            click.echo(f"docaudit: {note(text, lang)}", err=True)


def row_error_lines(report: "AuditReport") -> None:
    """The register's bad rows on stderr, one line each (``register.csv: row 6: …``), for a report
    whose stdout is machine-readable; each names its own register in a run of several."""
    for error in report.row_errors:
        if error.register:
            click.echo(f"{error.register}: row {error.row}: {error.problem('en')}", err=True)
        else:
            click.echo(f"{report.register}: row {error.row}: {error.reason}", err=True)


def _table(report: "AuditReport", output: Path | None, lang: str) -> None:
    if output:
        with output.open("w", encoding="utf-8") as handle:
            table.render(report, Console(file=handle, width=160, no_color=True), lang)
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # a pipe or a log file: don't wrap at 80 columns
    table.render(report, console, lang)
