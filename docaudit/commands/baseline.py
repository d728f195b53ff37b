"""``docaudit baseline create``: accept the current findings (each with a reason) so that scheduled
audits fail only on new ones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..baseline import entries_from_findings, load_baseline, write_baseline
from ..config import BASELINE_NAME, find_config, load_config
from ..errors import UsageError
from ..pipeline.report import AuditReport
from .history import db_options, stored_runs


@click.group()
def baseline() -> None:
    """Accepted findings (docaudit-baseline.yaml)."""


@baseline.command("create")
@db_options
@click.option("--reason", required=True, help="Why these findings are accepted (written on every new entry).")
@click.option("--expires", default=None, metavar="YYYY-MM-DD", help="Stop accepting them after this day.")
@click.option("--run", "run_id", type=int, default=None, help="Take the findings of this run (default: the latest).")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Take the findings of this JSON report instead of the database.")
@click.option("--severity", "min_severity", type=click.Choice(["error", "warning", "info"]), default="info",
              show_default=True, help="Only findings at least this severe.")
@click.option("--output", "output", type=click.Path(path_type=Path), default=None,
              help="Baseline file (default: the config's baseline, or ./docaudit-baseline.yaml).")
def create(db_url, config_path, root, reason, expires, run_id, report_path, min_severity, output) -> None:
    """Write the findings of the latest run (or --run / --report) as accepted. Entries already in
    the file keep their reason and expiry; entries that no longer match any finding are dropped."""

    if not reason.strip():
        raise UsageError("--reason: say why these findings are accepted")
    until = None
    if expires:
        try:
            until = dt.date.fromisoformat(expires)
        except ValueError:
            raise UsageError(f"--expires: '{expires}' is not a date YYYY-MM-DD") from None

    found = find_config(config_path) if report_path is None or config_path is not None else None
    config = load_config(found) if found is not None else None
    path = output or (config.baseline_path if config else Path(BASELINE_NAME))

    if report_path is not None:
        try:
            report = AuditReport.from_json(json.loads(report_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"--report {report_path}: cannot be read as a JSON report: {exc}") from None
    else:
        with stored_runs(db_url, config_path, root) as store:
            run_id = run_id or store.latest_run_id()
            if run_id is None:
                raise UsageError("no finished run in the database: run `docaudit audit` first")
            report = store.load_report(run_id)
    existing = load_baseline(path) if path.is_file() else None
    entries, kept, added = entries_from_findings(report.findings(), reason.strip(), until, min_severity, existing)
    dropped = len(set(existing.entries) - set(entries)) if existing else 0
    write_baseline(path, entries)
    source = f"run #{run_id}" if report_path is None else str(report_path)
    click.echo(f"docaudit: wrote {path}: {len(entries)} accepted findings from {source} "
               f"({added} new, {kept} kept, {dropped} dropped)", err=True)
