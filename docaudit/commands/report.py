"""``docaudit report``: render a stored run in any output format without rescanning.

    docaudit report [RUN_ID] (--root AUDIT_ROOT | --db URL) [--format html|xlsx|docx|md|json|…]
                    [--excel] [--lang vi|en] [--output PATH] [--config docaudit.toml]

The database is found from the options alone (never from a config file); ``--config`` (default
./docaudit.toml if present) only gives the ``[report]`` section: who issues the DOCX báo cáo.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..config import db_url_from
from ..errors import UsageError
from ._output import FORMAT_NAMES, check_output, emit, excel_option
from ._rules_options import load_report_config


def _database(root: Path | None, db_url: str | None) -> str:
    """The database ``docaudit.store.locate`` names from --db, $DOCAUDIT_DB or --root (``report``
    reads no config file); a database that does not exist is refused, never created."""
    from sqlalchemy.engine import make_url

    from ..store import NoDatabase, locate  # lazy for start-up: the results database loads SQLAlchemy (~0.5 s)

    if root is not None and db_url:
        raise UsageError("give either --root AUDIT_ROOT or --db URL, not both")
    if db_url:
        try:
            make_url(db_url_from(db_url))  # a plain path is a SQLite file, as for scan
        except Exception:  # noqa: BLE001 - sqlalchemy raises ArgumentError and others
            raise UsageError(f"--db: '{db_url}' is not a database URL") from None
    try:
        return locate(db_url_from(db_url) if db_url else None, root, create=False).url
    except NoDatabase:
        raise UsageError("give --root AUDIT_ROOT (its default database) or --db URL") from None


@click.command()
@click.argument("run_id", type=int, required=False)
@click.option("--root", "root", type=click.Path(path_type=Path), default=None,
              help="Audit folder whose default database holds the run.")
@click.option("--db", "db_url", default=None, metavar="URL", help="SQLAlchemy URL of the results database.")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="html", show_default=True)
@excel_option
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--output", "output", type=click.Path(path_type=Path), default=None,
              help="Write the report here (required for xlsx and docx).")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="docaudit.toml whose [report] section says who issues the DOCX báo cáo "
                   "(default: ./docaudit.toml if present).")
def report(run_id, root, db_url, fmt, excel, lang, output, config) -> None:
    """Render stored scan run RUN_ID (default: the latest) without rescanning."""
    from ..store import Store, mask_url  # lazy for start-up: the results database loads SQLAlchemy (~0.5 s)

    check_output(fmt, output, excel, lang)
    settings = load_report_config(config)
    url = _database(root, db_url)
    with Store.open(url) as store:
        if run_id is None:
            run_id = store.latest_run_id()
            if run_id is None:
                raise UsageError(f"no finished scan runs in database {mask_url(url)}: run docaudit scan first")
        report = store.load_report(run_id)
    emit(report, fmt, lang=lang, output=output, messages=False, settings=settings, excel=excel)
