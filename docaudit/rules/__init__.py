"""Rule packs (``rules/*.yaml``): loading and validation, selection, evaluators, the engine.

The engine and the pack loader (with YAML and the evaluators) load on first use, so that code
which only reads a rule selection (``docaudit.toml``'s ``[rules]``, to find a database, say)
does not pay for them."""

from __future__ import annotations

import hashlib
from typing import Any

from ..rules_data import rules_dir
from .selection import RuleSelection

_LOADED_ON_USE = {"RuleEngine": "engine", "RuleOutcome": "engine", "Rule": "schema", "RulePack": "schema",
                  "load_rules": "schema"}


def pack_fingerprint() -> str:
    """SHA-256 over every rule and target pack file: changes whenever a pack changes, so an
    incremental scan re-evaluates documents when the rules do."""
    digest = hashlib.sha256()
    base = rules_dir()
    for path in sorted(base.rglob("*.yaml")):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def pack_summary() -> dict:
    """Which rule packs (and versions) a report was made with, and their fingerprint."""
    from .. import yamlio  # lazy for start-up: reading docaudit.toml's [rules] loads no YAML
    from .schema import pack_files  # lazy for start-up: nor the pack loader and its evaluators

    packs = []
    for path in pack_files():
        try:
            data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
            packs.append({"pack": str(data.get("pack", path.stem)), "version": str(data.get("version", "1"))})
        except Exception:  # noqa: BLE001 — a report never fails over its own header
            packs.append({"pack": path.stem, "version": "?"})
    return {"packs": packs, "fingerprint": pack_fingerprint()}


__all__ = ["Rule", "RuleEngine", "RuleOutcome", "RulePack", "RuleSelection", "load_rules", "pack_fingerprint"]


def __getattr__(name: str) -> Any:
    if name in _LOADED_ON_USE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LOADED_ON_USE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
