"""Every output format behind one interface over an :class:`~docaudit.pipeline.report.AuditReport`.

    from docaudit.report.formats import get
    data: bytes = get("html").render(report, "vi")
    for piece in get("json").pieces(report, "en"): ...      # text formats, written as they come
    data = get("docx").render(report, "vi", ReportSettings(agency="UBND huyện Bắc Quang", ...))

A fresh scan, an audit and a stored run (``Store.load_report``) are the same object, so each
renders the same way. Every format takes the same arguments: the report, the language and the
office's ``[report]`` settings (:class:`~.settings.ReportSettings`: who issues the báo cáo, which
only the DOCX prints today; ``None`` means none given). ``FORMATS`` lists them; the commands and the audit's configured outputs
take their names from it. A renderer module is imported when its format is first used: a scan
printing a table never loads openpyxl, python-docx or Jinja2 (start-up time).
"""

from __future__ import annotations

import importlib.util
import io
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterator

from ..errors import UsageError
from ..jsonstream import write_text
from ..pipeline.report import AuditReport
from ..text import t
from .i18n import LANGS
from .settings import ReportSettings


class OutputFormat(ABC):
    """One output format. Text formats implement :meth:`pieces`; binary ones :meth:`render`."""

    name: str
    binary: bool = False
    extension: str
    libraries: tuple[str, ...] = ()
    """Modules the renderer needs beyond docaudit's core (checked before an audit starts)."""

    def missing_libraries(self) -> list[str]:
        return [name for name in self.libraries if importlib.util.find_spec(name) is None]

    def render(self, report: AuditReport, lang: str = "vi", settings: ReportSettings | None = None) -> bytes:
        """The whole output (UTF-8 for text formats)."""
        return "".join(self.pieces(report, lang, settings)).encode("utf-8")

    def pieces(self, report: AuditReport, lang: str = "vi", settings: ReportSettings | None = None) -> Iterator[str]:
        """The text in pieces (a large report is written without holding its whole text)."""
        if self.binary:
            raise TypeError(f"{self.name} is a binary format")
        return iter([self.text(report, lang, settings)])

    @abstractmethod
    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        """The whole text (text formats); binary formats raise ``TypeError``."""


class TableFormat(OutputFormat):
    """The terminal table (per agency, both rates against their targets), as plain text."""

    name, extension = "table", ".txt"

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from rich.console import Console

        from . import table  # lazy for start-up: a renderer loads when its format is used

        buffer = io.StringIO()
        table.render(report, Console(file=buffer, width=160, no_color=True), lang)
        return buffer.getvalue()


class JsonFormat(OutputFormat):
    """The JSON report (schema ``docaudit.report/1``), one entry per line."""

    name, extension = "json", ".json"

    def pieces(self, report: AuditReport, lang: str = "vi", settings: ReportSettings | None = None) -> Iterator[str]:
        return report.iter_json_text()

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        return report.to_json_text()


class CsvFormat(OutputFormat):
    """One row per in-scope entry. ``excel``: the same rows for Excel on Windows — a UTF-8
    byte-order mark and CRLF line ends (``--excel``, ``csv_excel`` in docaudit.toml)."""

    name, extension = "csv", ".csv"

    def __init__(self, excel: bool = False) -> None:
        self.excel = excel

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from . import csv_report  # lazy for start-up: a renderer loads when its format is used

        return csv_report.render(report, lang, excel=self.excel)


class HtmlFormat(OutputFormat):
    name, extension, libraries = "html", ".html", ("jinja2",)

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from . import html  # Jinja2 only when an HTML report is asked for

        return html.render(report, lang)


class MarkdownFormat(OutputFormat):
    name, extension = "md", ".md"

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from . import markdown  # lazy for start-up: a renderer loads when its format is used

        return markdown.render(report, lang)


class JunitFormat(OutputFormat):
    """JUnit XML for CI: a test case per agency and rate, and per entry with findings."""

    name, extension = "junit", ".xml"

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from . import junit  # lazy for start-up: a renderer loads when its format is used

        return junit.render(report, lang)


class CodeQualityFormat(OutputFormat):
    """GitLab Code Quality JSON (merge-request widgets)."""

    name, extension = "codequality", ".json"

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from .annotations import codequality  # lazy for start-up: a renderer loads when its format is used

        return codequality(report, lang)


class AnnotationsFormat(OutputFormat):
    """One-line CI annotations (GitHub workflow commands or GitLab log lines): missed targets and
    new error/warning findings. Not a ``--format`` choice: ``audit --annotations`` prints them."""

    extension = ".txt"

    def __init__(self, style: str) -> None:
        self.name, self.style = f"annotations-{style}", style

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        from .annotations import lines  # lazy for start-up: a renderer loads when its format is used

        return "".join(line + "\n" for line in lines(report, self.style, lang))


class _BinaryFormat(OutputFormat):
    binary = True

    def text(self, report: AuditReport, lang: str, settings: ReportSettings | None = None) -> str:
        raise TypeError(f"{self.name} is a binary format")


class XlsxFormat(_BinaryFormat):
    name, extension, libraries = "xlsx", ".xlsx", ("openpyxl",)

    def render(self, report: AuditReport, lang: str = "vi", settings: ReportSettings | None = None) -> bytes:
        from . import xlsx  # openpyxl only when a workbook is asked for

        return xlsx.render(report, lang)


class DocxFormat(_BinaryFormat):
    name, extension, libraries = "docx", ".docx", ("docx",)

    def render(self, report: AuditReport, lang: str = "vi", settings: ReportSettings | None = None) -> bytes:
        from . import docx  # python-docx only when a Word report is asked for

        return docx.render(report, lang, settings)


FORMATS: dict[str, OutputFormat] = {
    f.name: f for f in (TableFormat(), JsonFormat(), CsvFormat(), HtmlFormat(), XlsxFormat(), DocxFormat(),
                        MarkdownFormat(), JunitFormat(), CodeQualityFormat())
}
BINARY = tuple(name for name, f in FORMATS.items() if f.binary)
ANNOTATIONS: dict[str, OutputFormat] = {style: AnnotationsFormat(style) for style in ("github", "gitlab")}
"""CI annotation styles (``audit --annotations``), behind the same interface."""
EXCEL_CSV = CsvFormat(excel=True)
"""The CSV for Excel on Windows (byte-order mark, CRLF): ``get("csv", excel=True)``."""


def get(name: str, excel: bool = False) -> OutputFormat:
    """The format called ``name``; with ``excel``, the CSV for Excel (``name`` must be ``csv``)."""
    try:
        chosen = FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown report format '{name}' (expected one of {', '.join(FORMATS)})") from None
    if excel:
        if name != "csv":
            raise UsageError(t("excel.not-csv", "en", format=name))
        return EXCEL_CSV
    return chosen


def write_file(report: AuditReport, fmt: str, lang: str, path: Path, settings: ReportSettings | None = None,
               excel: bool = False) -> None:
    """Write ``report`` as ``fmt`` to ``path``: a binary format's bytes, or a text format piece by
    piece (UTF-8, ``\n`` line ends on every system — CRLF for the CSV for Excel, as it asks), so
    a large report's text is never held whole."""
    chosen = get(fmt, excel)
    if chosen.binary:
        path.write_bytes(chosen.render(report, lang, settings))
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_text(chosen.pieces(report, lang, settings), handle.write)


def render(report: AuditReport, fmt: str, lang: str = "vi", settings: ReportSettings | None = None,
           excel: bool = False) -> bytes:
    """``report`` as ``fmt`` in ``lang`` (vi | en), with the office's ``[report]`` ``settings``;
    ``excel``: the CSV for Excel on Windows."""
    if lang not in LANGS:
        raise UsageError(f"unknown language '{lang}' (expected one of {', '.join(LANGS)})")
    return get(fmt, excel).render(report, lang, settings)
