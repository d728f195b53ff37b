"""Writing a scan result in the format the user asked for (shared by the commands)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click
from rich.console import Console

if TYPE_CHECKING:
    from ..scan import ScanResult

TEXT_FORMATS = ("table", "json", "csv")


def emit(result: "ScanResult", fmt: str, output: Path | None, lang: str) -> None:
    """Write ``result`` as ``fmt`` to ``output`` or stdout. With json/csv, stdout holds only the
    report: row errors and notes go to stderr, one line each."""
    from ..report import csv_report, json_report, table
    from ..report.i18n import note

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
    # the JSON report goes out an entry at a time: a large scan's text is never held whole
    pieces = json_report.iter_render(result) if fmt == "json" else iter([csv_report.render(result, lang)])
    _write_pieces(pieces, output)
    for text in result.notes:
        click.echo(f"docaudit: {note(text, lang)}", err=True)


def _write_pieces(pieces: Iterator[str], output: Path | None) -> None:
    """Write the text made of ``pieces`` to ``output`` (UTF-8) or stdout, ending with one newline."""
    from ..jsonstream import write_text

    if output:
        with output.open("w", encoding="utf-8") as handle:
            write_text(pieces, handle.write)
    else:
        write_text(pieces, lambda text: click.echo(text, nl=False))
