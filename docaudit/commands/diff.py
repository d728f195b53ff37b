"""``docaudit diff [RUN_A] [RUN_B]``: what changed between two stored runs (default: the last two)."""

from __future__ import annotations

import json

import click

from ..errors import UsageError
from ..history import diff_reports, render_diff
from .history import console_for_stdout, db_options, stored_runs


@click.command()
@click.argument("run_a", required=False, type=int)
@click.argument("run_b", required=False, type=int)
@db_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def diff(run_a, run_b, db_url, config_path, root, fmt, lang) -> None:
    """Targets newly missed or met, rate changes and documents whose verdict changed from RUN_A to
    RUN_B (default: the last two runs; with RUN_A only: RUN_A against the latest run)."""

    with stored_runs(db_url, config_path, root) as store:
        if run_a is None:
            runs = store.runs(limit=2)
            if len(runs) < 2:
                raise UsageError(f"diff needs two finished runs; the database holds {len(runs)}")
            run_a, run_b = runs[0].run_id, runs[1].run_id
        elif run_b is None:
            latest = store.latest_run_id()
            if latest is None:
                raise UsageError("no finished run in the database")
            run_b = latest
        report_a, report_b = store.load_report(run_a), store.load_report(run_b)
    result = diff_reports(report_a, report_b, run_a, run_b)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        render_diff(result, console_for_stdout(), lang)
