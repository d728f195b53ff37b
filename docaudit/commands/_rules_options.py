"""The rule-selection options shared by ``scan``, ``check`` and ``audit``, and the sections of
``docaudit.toml`` those commands read without a whole audit configuration: ``[rules]`` and
``[report]`` (who issues the DOCX báo cáo)."""

from __future__ import annotations

from pathlib import Path

import click
from ..config import _Reader, _read_toml  # noqa: PLC2701 — the config module's validating reader and its TOML reading
from ..config import find_config, parse_report, parse_rules
from ..rules import RuleSelection


def rule_options(function):
    for option in reversed([
        click.option("--select", default=None, metavar="CODES", help="Only these rules or prefixes, e.g. SIG,FMT001."),
        click.option("--ignore", default=None, metavar="CODES", help="Leave out these rules or prefixes."),
        click.option("--config", "config", type=click.Path(path_type=Path), default=None,
                     help="docaudit.toml with a [rules] section (default: ./docaudit.toml if present)."),
    ]):
        function = option(function)
    return function


def selection_from_options(select: str | None, ignore: str | None, config: Path | None,
                           root: Path | None = None):
    """Command-line --select/--ignore over the [rules] section of docaudit.toml."""

    return RuleSelection.from_options(select, ignore, load_rules_config(config, root))


def _config_data(explicit: Path | None, root: Path | None = None):
    """(path, parsed TOML) of ``--config``, ./docaudit.toml or ``root``/docaudit.toml; ``None``
    without a file."""
    path = find_config(explicit, root=root)
    if path is None:
        return None
    return Path(path), _read_toml(Path(path))  # as load_config reads it (a BOM allowed, the same messages)


def load_rules_config(explicit: Path | None, root: Path | None = None):
    """The ``[rules]`` section of ``--config``, ./docaudit.toml or ``root``/docaudit.toml,
    validated; ``None`` without a file."""
    found = _config_data(explicit, root)
    if found is None:
        return None
    path, data = found
    return parse_rules(data.get("rules", {}), _Reader(path))


def load_report_config(explicit: Path | None):
    """The ``[report]`` section of ``--config`` or ./docaudit.toml, validated (a
    :class:`~docaudit.report.settings.ReportSettings`); ``None`` without a file."""
    found = _config_data(explicit)
    if found is None:
        return None
    path, data = found
    return parse_report(data.get("report", {}), _Reader(path))
