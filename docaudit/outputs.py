"""The outputs of ``docaudit audit``: checked before the run, then rendered from the run's JSON
report (:class:`~docaudit.audit.AuditRun`) and written atomically to the configured paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .errors import ConfigError, OutputError

if TYPE_CHECKING:
    from .config import AuditConfig

RENDERED = ("html", "xlsx", "docx", "md")


PLACEHOLDERS = ("period", "run_id", "date")


def check_outputs(config: AuditConfig) -> None:
    """Fail before any file is read (and before a run is stored) when a configured output cannot
    be produced: an unknown placeholder, a folder that cannot be created or written, a path that
    is a folder, or a format this installation cannot render."""
    for fmt, path in config.output.paths.items():
        _check_output_path(fmt, Path(path))
    wanted = [f for f in config.output.formats if f in RENDERED]
    if not wanted:
        return
    try:
        from .report import render as _render  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            f"output format '{wanted[0]}' is not available in this installation ({exc})"
        ) from None


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


def fill_path(path: Path, run: Any) -> Path:
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


def render_output(run: Any, fmt: str, lang: str) -> bytes:
    """The bytes of one output format."""
    from .report import junit
    from .report.annotations import codequality
    from .jsonstream import dumps

    if fmt == "json":  # entry by entry, one per line (the same report as scan --format json)
        return (dumps(run.report, indent=2, one_line_items=True) + "\n").encode("utf-8")
    if fmt == "csv":
        from .report import csv_report

        text = csv_report.render(run.result, lang)
        return (text if text.endswith("\n") else text + "\n").encode("utf-8")
    if fmt == "table":
        import io

        from rich.console import Console

        from .report import table

        buffer = io.StringIO()
        console = Console(file=buffer, width=160, no_color=True)
        table.render_report(run.report, console, lang, run.db_url)
        line = accepted_line(run.report, lang)
        if line:
            console.print(line, highlight=False, markup=False)
        return buffer.getvalue().encode("utf-8")
    if fmt == "junit":
        return junit.render(run.report, lang).encode("utf-8")
    if fmt == "codequality":
        return codequality(run.report, lang).encode("utf-8")
    if fmt in RENDERED:
        try:
            from .report.render import render
        except ImportError as exc:
            raise ConfigError(f"output format '{fmt}' is not available in this installation ({exc})") from None
        return render(run.report, fmt, lang)
    raise ConfigError(f"unknown output format '{fmt}'")


def accepted_line(report: Mapping[str, Any], lang: str) -> str | None:
    """Under the table: how many findings the baseline accepts, by rule (the table's counts
    include them; they are never new)."""
    from collections import Counter

    from .report import breakdown as bd
    from .report.i18n import number, t

    by_rule = Counter(str(f.get("rule")) for _entry, f in bd.findings(report) if bd.accepted(f))
    if not by_rule:
        return None
    label = t("accepted_baseline", lang).capitalize()
    rules = ", ".join(f"{rule} {number(n, lang)}" for rule, n in sorted(by_rule.items()))
    return f"{label}: {number(sum(by_rule.values()), lang)} ({rules})"


def write_outputs(run: Any, lang: str, outputs: Mapping[str, Path]) -> list[tuple[str, Path]]:
    written = []
    for fmt, path in outputs.items():
        target = fill_path(path, run)
        tmp = target.with_name(target.name + ".tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "json":
                _write_json(tmp, run)
            else:
                tmp.write_bytes(render_output(run, fmt, lang))
            os.replace(tmp, target)  # a dashboard never reads half a file
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"cannot write the {fmt} report to {target}: {exc.strerror or exc}"
                              f" (run #{run.run_id} is stored: `docaudit report` renders it again)"
                              if run.run_id is not None else
                              f"cannot write the {fmt} report to {target}: {exc.strerror or exc}") from None
        written.append((fmt, target))
    return written


def _write_json(path: Path, run: Any) -> None:
    """``render_output(run, "json", …)``, written an entry at a time: the same bytes without the
    whole text (and its UTF-8 copy) in memory at once — 80 MB each for 20,000 entries."""
    from .jsonstream import iter_dumps, write_text

    with path.open("w", encoding="utf-8", newline="") as handle:
        write_text(iter_dumps(run.report, indent=2, one_line_items=True), handle.write)
