"""``docaudit history``: each agency's two rates per stored run."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from ..config import db_url_from, find_config, load_config
from ..history import history as load_history
from ..history import render_history


def db_options(function):
    """Where the stored runs are: --db, --config, --root (shared by history, diff, baseline)."""
    for option in reversed([
        click.option("--db", "db_url", default=None, metavar="URL", help="Results database (SQLAlchemy URL)."),
        click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
                     help="Take the database from this config (default: ./docaudit.toml)."),
        click.option("--root", "root", type=click.Path(path_type=Path), default=None, metavar="AUDIT_ROOT",
                     help="The database of this audit folder (AUDIT_ROOT/.docaudit/)."),
    ]):
        function = option(function)
    return function


def stored_runs(db_url: str | None, config_path: Path | None, root: Path | None):
    """The store of the runs a reading command reads (``history``, ``diff``, ``baseline``): where
    ``docaudit.store.locate`` says, from --db, the config (read only without --db), $DOCAUDIT_DB
    or --root; a database that does not exist is refused, never created."""
    from ..store import Store, locate  # lazy for start-up: the results database loads SQLAlchemy (~0.5 s)

    config = None
    if not db_url:
        found = find_config(config_path)
        config = load_config(found) if found is not None else None
    return Store.open(locate(db_url_from(db_url) if db_url else None, root, config, create=False).url)


def console_for_stdout() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=160)


@click.command()
@db_options
@click.option("--agency", default=None, metavar="CODE", help="Only this agency.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="The last N runs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def history(db_url, config_path, root, agency, limit, fmt, lang) -> None:
    """Each agency's two rates in the stored runs (oldest first)."""

    with stored_runs(db_url, config_path, root) as store:
        data = load_history(store, agency, limit)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        render_history(data, console_for_stdout(), lang)
