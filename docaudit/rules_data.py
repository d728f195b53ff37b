"""Where the rule, target and trust packs live: ``$DOCAUDIT_RULES_DIR`` if set (a province's own packs),
else ``rules/`` of a source checkout, or ``docaudit/_rules`` inside an installed wheel (pyproject
maps the one onto the other)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigError


def rules_dir() -> Path:
    override = os.environ.get("DOCAUDIT_RULES_DIR")
    if override:
        path = Path(override)
        if not path.is_dir():
            raise ConfigError(f"DOCAUDIT_RULES_DIR={override}: no such folder")
        return path
    return _shipped()


def _shipped() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if (candidate / "targets").is_dir():
            return candidate
    raise ConfigError("docaudit's rules/ folder is missing from this installation")


def trust_dir() -> Path:
    """The trust packs (``trust/NAME.yaml`` and their certificates): the ``trust/`` folder of
    ``$DOCAUDIT_RULES_DIR`` when it has one, else the packs shipped with docaudit (a province's own
    rules need not copy the national certificates)."""
    own = rules_dir() / "trust"
    return own if own.is_dir() else _shipped() / "trust"
