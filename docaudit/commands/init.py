"""``docaudit init``: write a commented example ``docaudit.toml``."""

from __future__ import annotations

from pathlib import Path

import click
from ..config import example_config
from ..errors import UsageError
from ..periods import resolve_period


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path), default=Path("docaudit.toml"))
@click.option("--root", "root", default=None, metavar="AUDIT_ROOT",
              help="Audit folder of the first [[source]] (default: samples, or the only register folder here).")
@click.option("--trust", "trust", multiple=True, metavar="PEM_OR_DIR", help="Trusted roots to list; may repeat.")
@click.option("--period", default="last-quarter", show_default=True, help="Period name or START..END.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path, root, trust, period, force) -> None:
    """Write a commented example config file (default: ./docaudit.toml)."""

    if path.is_dir():
        path = path / "docaudit.toml"
    if path.exists() and not force:
        raise UsageError(f"{path} exists: use --force to overwrite it")
    resolve_period(period)  # a bad name fails here, not at the first audit
    text = example_config(root or "samples", tuple(trust), period)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"docaudit: wrote {path}; edit it, then run `docaudit audit`", err=True)
