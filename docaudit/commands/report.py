"""``docaudit report``: render a stored scan run (html | xlsx | docx | md | json) without rescanning.

    docaudit report [RUN_ID] (--root AUDIT_ROOT | --db URL) [--format html|xlsx|docx|md|json]
                    [--lang vi|en] [--output PATH]

Also home of :func:`write_report`, which ``scan`` (and ``audit``) use for the rendered formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import click

from ..errors import UsageError
from ..report.render import BINARY_FORMATS, FORMATS

RENDERED_FORMATS = ("html", "xlsx", "docx", "md")
"""The formats ``scan``/``audit`` hand to :func:`write_report` (``table|json|csv`` stay with ``emit``)."""


def check_output(fmt: str, output: Path | None) -> None:
    """Binary formats cannot go to a terminal: they need ``--output`` (checked before any work)."""
    if fmt in BINARY_FORMATS and output is None:
        raise UsageError(f"--format {fmt} writes a binary file: give --output PATH")


def write_report(report: Mapping[str, Any], fmt: str, lang: str, output: Path | None, messages: bool = True) -> None:
    """Render ``report`` (the JSON report dict) as ``fmt`` to ``output``, or to stdout for text formats.
    With ``messages`` (a fresh scan), row errors and notes also go to stderr, one line each, as for
    ``--format json|csv``; stdout holds only the report."""
    from ..report.render import render

    check_output(fmt, output)
    data = render(report, fmt, lang)
    if messages:
        source = report.get("register") or "register"
        for error in report.get("row_errors") or []:
            click.echo(f"{source}: row {error.get('row')}: {error.get('reason')}", err=True)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)  # as scan --output does
        output.write_bytes(data)
    else:
        text = data.decode("utf-8")
        click.echo(text, nl=not text.endswith("\n"))
    from ..report.i18n import note as translated

    for text in (report.get("notes") or []) if messages else ():
        click.echo(f"docaudit: {translated(str(text), lang)}", err=True)


def _database(root: Path | None, db_url: str | None) -> str:
    """The database ``docaudit.store.locate`` names from --db, $DOCAUDIT_DB or --root (``report``
    reads no config file); a database that does not exist is refused, never created."""
    from sqlalchemy.engine import make_url

    from ..config import db_url_from
    from ..store import NoDatabase, locate

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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--output", "output", type=click.Path(path_type=Path), default=None,
              help="Write the report here (required for xlsx and docx).")
def report(run_id, root, db_url, fmt, lang, output) -> None:
    """Render stored scan run RUN_ID (default: the latest) without rescanning."""
    from ..store import Store, mask_url

    check_output(fmt, output)
    url = _database(root, db_url)
    with Store.open(url) as store:
        if run_id is None:
            run_id = store.latest_run_id()
            if run_id is None:
                raise UsageError(f"no finished scan runs in database {mask_url(url)}: run docaudit scan first")
        data = store.load_report(run_id)
    write_report(data, fmt, lang, output, messages=False)
