"""The outputs of ``docaudit audit``: checked before the run (a path that cannot be written fails
before anything is stored), then rendered from the run's report through the one format interface
(:mod:`docaudit.report.formats`) and written atomically to the configured paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from .errors import ConfigError, OutputError
from .report import formats

if TYPE_CHECKING:
    from .audit import AuditRun
    from .config import AuditConfig
    from .pipeline.report import AuditReport
    from .report.settings import ReportSettings

PLACEHOLDERS = ("period", "run_id", "date")


def check_outputs(config: AuditConfig) -> None:
    """Fail before any file is read (and before a run is stored) when a configured output cannot
    be produced: an unknown placeholder, a folder that cannot be created or written, a path that
    is a folder, or a format this installation cannot render."""
    for fmt, path in config.output.paths.items():
        _check_output_path(fmt, Path(path))
    for fmt in config.output.formats:
        missing = formats.get(fmt).missing_libraries()
        if missing:
            raise ConfigError(f"output format '{fmt}' is not available in this installation "
                              f"(missing: {', '.join(missing)})")


def _check_output_path(fmt: str, path: Path) -> None:
    import string

    where = f"output path for {fmt} ({path})"
    try:
        fields = list(string.Formatter().parse(str(path)))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc} (write a literal brace as {{{{ or }}}})") from None
    for _text, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise ConfigError(f"{where}: unknown placeholder {{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}} (use {{period}}, {{run_id}}, {{date}})")
    if "{" not in str(path) and path.is_dir():
        raise ConfigError(f"{where}: is a folder, not a file")
    fixed = []  # the folders before the first placeholder: they must exist or be creatable
    for part in path.parts[:-1]:
        if "{" in part:
            break
        fixed.append(part)
    folder = Path(*fixed) if fixed else Path(".")
    try:  # created now, so that a path that cannot be written fails before the run is stored
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{where}: cannot create the folder {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"{where}: cannot write in {folder}")


# --------------------------------------------------------------------------- outputs


def fill_path(path: Path, run: AuditRun) -> Path:
    """``{period}``, ``{run_id}`` and ``{date}`` in a configured output path."""
    text = str(path)
    if "{" not in text:
        return path
    values = {"period": run.config.period.label.replace("..", "_").replace("/", "-") or "all",
              "run_id": str(run.run_id) if run.run_id is not None else "norun",
              "date": run.finished.date().isoformat()}
    try:
        return Path(text.format(**values))
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"output path {text}: unknown placeholder {exc} (use {{period}}, {{run_id}}, {{date}})") from None


def render_output(report: AuditReport, fmt: str, lang: str, settings: ReportSettings | None = None,
                  csv_excel: bool = False) -> bytes:
    """The bytes of one output format (text formats end with one newline); ``csv_excel``: a CSV
    is the one for Excel on Windows."""
    chosen = formats.get(fmt, csv_excel and fmt == "csv")
    data = chosen.render(report, lang, settings)
    return data if chosen.binary or data.endswith(b"\n") else data + b"\n"


def write_outputs(run: AuditRun, lang: str, outputs: Mapping[str, Path]) -> list[tuple[str, Path]]:
    """Write each configured output of ``run`` atomically (a dashboard never reads half a file), the
    DOCX báo cáo with the config's ``[report]`` settings, a CSV for Excel if the configuration says
    ``csv_excel``."""
    written = []
    csv_excel = run.config.output.csv_excel
    for fmt, path in outputs.items():
        target = fill_path(path, run)
        tmp = target.with_name(target.name + ".tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            formats.write_file(run.report, fmt, lang, tmp, run.config.report, csv_excel and fmt == "csv")
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"cannot write the {fmt} report to {target}: {exc.strerror or exc}"
                              f" (run #{run.run_id} is stored: `docaudit report` renders it again)"
                              if run.run_id is not None else
                              f"cannot write the {fmt} report to {target}: {exc.strerror or exc}") from None
        written.append((fmt, target))
    return written
