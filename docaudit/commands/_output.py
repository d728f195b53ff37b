"""Writing a scan result in the format the user asked for (shared by the commands)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

if TYPE_CHECKING:
    from ..scan import ScanResult

TEXT_FORMATS = ("table", "json", "csv")


def emit(result: "ScanResult", fmt: str, output: Path | None, lang: str) -> None:
    """Write ``result`` as ``fmt`` to ``output`` or stdout. With json/csv, stdout holds only the
    report: row errors and notes go to stderr, one line each."""
    from ..report import csv_report, json_report, table

    if fmt == "table":
        if output:
            with output.open("w", encoding="utf-8") as handle:
                table.render(result, Console(file=handle, width=160, no_color=True), lang)
        else:
            console = Console()
            if not console.is_terminal:
                console = Console(width=160)  # a pipe or a log file: don't wrap at 80 columns
            table.render(result, console, lang)
        return
    for error in result.register.errors:
        click.echo(f"{result.register.source}: row {error.row}: {error.reason}", err=True)
    text = json_report.render(result) if fmt == "json" else csv_report.render(result)
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))
    for note in result.notes:
        click.echo(f"docaudit: {note}", err=True)
