"""Where the rule and target packs live: ``rules/`` of a source checkout, or ``docaudit/_rules``
inside an installed wheel (pyproject maps the one onto the other)."""

from __future__ import annotations

from pathlib import Path


def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if (candidate / "targets").is_dir():
            return candidate
    raise FileNotFoundError("docaudit's rules/ folder is missing from this installation")
