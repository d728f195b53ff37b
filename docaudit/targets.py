"""Target packs (``rules/targets/*.yaml``): thresholds for the two rates."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from . import yamlio
from .errors import RulePackError
from .rules_data import rules_dir

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq,
}
RATES = ("via_software", "paperless")
DENOMINATORS = ("total", "via_software", "claimed")
_PACK_KEYS = {"id", "version", "title", "reference", "targets", "description"}
_TARGET_KEYS = {"op", "threshold", "denominator"}


@dataclass(frozen=True)
class Target:
    op: str
    threshold: float
    denominator: str = "total"
    """For paperless: ``total`` (contract default), ``via_software`` (entries counted via the
    software) or ``claimed`` (entries claimed electronic via the software)."""

    def met(self, rate: float | None) -> bool | None:
        return None if rate is None else OPERATORS[self.op](rate, self.threshold)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "threshold": self.threshold}
        if self.denominator != "total":
            out["denominator"] = self.denominator
        return out


@dataclass(frozen=True)
class TargetPack:
    id: str
    via_software: Target
    paperless: Target
    source: str
    title: dict[str, str]
    version: str = "1"

    def as_json(self) -> dict[str, Any]:
        return {"via_software": self.via_software.as_json(), "paperless": self.paperless.as_json()}


def resolve_pack_path(name_or_path: str | None) -> Path:
    if not name_or_path:
        return rules_dir() / "targets" / "default.yaml"
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise RulePackError(f"target pack {name_or_path}: no such file")
        return path
    candidate = rules_dir() / "targets" / f"{name_or_path}.yaml"
    if not candidate.is_file():
        known = ", ".join(sorted(p.stem for p in (rules_dir() / "targets").glob("*.yaml")))
        raise RulePackError(f"unknown target pack '{name_or_path}' (known: {known})")
    return candidate


def load_targets(name_or_path: str | None = None) -> TargetPack:
    path = resolve_pack_path(name_or_path)
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulePackError(f"target pack {path}: cannot be read: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise RulePackError(f"target pack {path}: expected a mapping at the top level")
    unknown = set(data) - _PACK_KEYS
    if unknown:
        raise RulePackError(f"target pack {path}: unknown key '{sorted(unknown)[0]}'")
    targets = data.get("targets")
    if not isinstance(targets, dict):
        raise RulePackError(f"target pack {path}: key 'targets' must map via_software and paperless")
    parsed = {}
    for rate in RATES:
        spec = targets.get(rate)
        where = f"target pack {path}: targets.{rate}"
        if not isinstance(spec, dict):
            raise RulePackError(f"{where} is missing")
        unknown = set(spec) - _TARGET_KEYS
        if unknown:
            raise RulePackError(f"{where}: unknown key '{sorted(unknown)[0]}'")
        op = spec.get("op", ">")
        if op not in OPERATORS:
            raise RulePackError(f"{where}.op: '{op}' is not one of {' '.join(OPERATORS)}")
        threshold = spec.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise RulePackError(f"{where}.threshold: expected a fraction between 0 and 1, got {threshold!r}")
        denominator = spec.get("denominator", "total")
        if denominator not in DENOMINATORS or (rate == "via_software" and denominator != "total"):
            raise RulePackError(f"{where}.denominator: '{denominator}' is not allowed here")
        parsed[rate] = Target(op, float(threshold), denominator)
    extra = set(targets) - set(RATES)
    if extra:
        raise RulePackError(f"target pack {path}: targets.{sorted(extra)[0]} is not a known rate")
    title = data.get("title") or {}
    return TargetPack(
        id=str(data.get("id", path.stem)), source=str(path), version=str(data.get("version", "1")),
        title=title if isinstance(title, dict) else {"vi": str(title), "en": str(title)}, **parsed,
    )
