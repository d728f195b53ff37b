"""Rule packs as data: ``rules/*.yaml`` (except ``rules/targets/``, ``rules/crypto/`` and ``rules/trust/``),
validated when loaded.

A pack::

    pack: signatures
    version: 1
    rules:
      SIG001:
        title: {vi: "…", en: "…"}
        remediation: {vi: "…", en: "…"}
        messages:                      # one per outcome the evaluator reports
          missing: {vi: "…", en: "…"}  # str.format templates over the evaluator's values
        severity: error                # or {outgoing: error, incoming: warning}
        reference: "NĐ 30/2020/NĐ-CP, Điều 5"
        applies_to: {direction: any, kinds: [pdf]}
        scope: document                # document (one file) | register (all entries; scan only)
        evaluator: person_signature
        params: {}
    roles: []                          # optional: whose certificate is whose (rules/roles.py)

Unknown keys, unknown evaluators, bad severities … raise :class:`RulePackError` naming the file
and the key (exit 2 at the CLI).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .. import yamlio
from ..errors import RulePackError
from ..model import Direction, Severity
from ..rules_data import rules_dir
from ..text import Message, add_templates, message
from . import evaluators as _evaluators  # noqa: F401 — registers the evaluators that packs name
from .registry import EVALUATORS, REGISTER_EVALUATORS
from .roles import RoleOverride, parse_overrides

RULE_ID = re.compile(r"^(SIG|FMT|NUM|SEC)\d{3}$")
PACK_KEYS = {"pack", "version", "description", "rules", "roles"}
RULE_KEYS = {"title", "remediation", "messages", "severity", "reference", "applies_to", "scope",
             "evaluator", "params", "modes"}
DIRECTIONS = {"any", "outgoing", "incoming"}
KINDS = {"pdf", "docx"}
SCOPES = {"document", "register"}
MODES = {"scan", "check"}
SEVERITIES = {s.value for s in Severity}


@dataclass(frozen=True)
class Rule:
    id: str
    title: Mapping[str, str]
    remediation: Mapping[str, str]
    messages: Mapping[str, Mapping[str, str]]
    severity: Mapping[str, Severity]
    """Severity per direction (``outgoing``, ``incoming``)."""
    reference: str
    directions: frozenset[str]
    kinds: frozenset[str]
    scope: str
    evaluator: str
    params: Mapping[str, Any]
    modes: frozenset[str]
    pack: str
    source: str

    def severity_for(self, direction: Direction | str | None) -> Severity:
        key = Direction(direction).value if direction else "outgoing"
        return self.severity[key]

    def applies(self, direction: Direction | str | None, kind: str | None, mode: str) -> bool:
        if mode not in self.modes:
            return False
        if direction is not None and "any" not in self.directions and Direction(direction).value not in self.directions:
            return False
        if self.scope == "document" and kind is not None and kind not in self.kinds:
            return False
        return True

    def __post_init__(self) -> None:
        # The pack's messages are catalogue entries: known, in every process that loads the
        # pack, before any finding that uses them is shown (findings may come from a worker).
        for key in self.messages:
            self._code(key)
        self._code(None)

    def _code(self, key: str | None) -> str:
        texts = self.messages[key] if key is not None else self.title
        return add_templates(f"rule.{self.id}.{key or 'title'}", texts)

    def wording(self, outcome: str, values: Mapping[str, Any]) -> Message:
        """The finding's text for ``outcome``: its message (else ``default``, else the title)
        filled with ``values``."""
        key = outcome if outcome in self.messages else ("default" if "default" in self.messages else None)
        return message(self._code(key), **values)


@dataclass(frozen=True)
class RulePack:
    rules: tuple[Rule, ...]
    fingerprint: str
    sources: tuple[str, ...] = field(default_factory=tuple)
    roles: tuple[RoleOverride, ...] = ()
    """Role overrides (``roles:``), in pack order: see :mod:`docaudit.rules.roles`."""

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _bilingual(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != {"vi", "en"} or not all(isinstance(v, str) for v in value.values()):
        raise RulePackError(f"{where}: expected {{vi: …, en: …}} text")
    return dict(value)


def _severity(value: Any, where: str) -> dict[str, Severity]:
    if isinstance(value, str):
        if value not in SEVERITIES:
            raise RulePackError(f"{where}: '{value}' is not one of error, warning, info")
        return {"outgoing": Severity(value), "incoming": Severity(value)}
    if isinstance(value, dict) and set(value) <= {"outgoing", "incoming"} and value:
        out = {}
        for direction in ("outgoing", "incoming"):
            level = value.get(direction, next(iter(value.values())))
            if level not in SEVERITIES:
                raise RulePackError(f"{where}.{direction}: '{level}' is not one of error, warning, info")
            out[direction] = Severity(level)
        return out
    raise RulePackError(f"{where}: expected a severity or {{outgoing: …, incoming: …}}")


def _parse_rule(rule_id: str, spec: Any, pack: str, source: str) -> Rule:
    where = f"{source}: rules.{rule_id}"
    if not RULE_ID.match(str(rule_id)):
        raise RulePackError(f"{source}: rule id '{rule_id}' must be SIG/FMT/NUM/SEC + 3 digits")
    if not isinstance(spec, dict):
        raise RulePackError(f"{where}: expected a mapping")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise RulePackError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    for key in ("title", "severity", "reference", "evaluator"):
        if key not in spec:
            raise RulePackError(f"{where}: missing key '{key}'")
    scope = spec.get("scope", "document")
    if scope not in SCOPES:
        raise RulePackError(f"{where}.scope: '{scope}' is not document or register")
    evaluator = spec["evaluator"]
    registry = REGISTER_EVALUATORS if scope == "register" else EVALUATORS
    if evaluator not in registry:
        raise RulePackError(f"{where}.evaluator: unknown evaluator '{evaluator}'")
    applies = spec.get("applies_to", {}) or {}
    if not isinstance(applies, dict) or set(applies) - {"direction", "kinds"}:
        raise RulePackError(f"{where}.applies_to: expected {{direction: …, kinds: […]}}")
    direction = applies.get("direction", "any")
    directions = {direction} if isinstance(direction, str) else set(direction)
    if not directions <= DIRECTIONS:
        raise RulePackError(f"{where}.applies_to.direction: '{direction}' is not any, outgoing or incoming")
    kinds = set(applies.get("kinds", sorted(KINDS)))
    if not kinds <= KINDS:
        raise RulePackError(f"{where}.applies_to.kinds: {sorted(kinds - KINDS)} not in pdf, docx")
    modes = set(spec.get("modes", sorted(MODES)))
    if not modes <= MODES:
        raise RulePackError(f"{where}.modes: {sorted(modes - MODES)} not in scan, check")
    if scope == "register":
        modes = {"scan"}
    messages = spec.get("messages", {}) or {}
    if not isinstance(messages, dict):
        raise RulePackError(f"{where}.messages: expected a mapping of outcome → {{vi, en}}")
    params = spec.get("params", {}) or {}
    if not isinstance(params, dict):
        raise RulePackError(f"{where}.params: expected a mapping")
    return Rule(
        id=rule_id,
        title=_bilingual(spec["title"], f"{where}.title"),
        remediation=_bilingual(spec.get("remediation", spec["title"]), f"{where}.remediation"),
        messages={k: _bilingual(v, f"{where}.messages.{k}") for k, v in messages.items()},
        severity=_severity(spec["severity"], f"{where}.severity"),
        reference=str(spec["reference"]),
        directions=frozenset(directions),
        kinds=frozenset(kinds),
        scope=scope,
        evaluator=evaluator,
        params=params,
        modes=frozenset(modes),
        pack=pack,
        source=source,
    )


_NOT_RULE_PACKS = ("targets", "crypto", "trust")
"""Folders of ``rules/`` that hold other packs, data of their own (targets; crypto policies,
``signatures.crypto_policy``; trust packs, ``signatures.packs``)."""


def pack_files(base: Path | None = None) -> list[Path]:
    base = base or rules_dir()
    return sorted(p for p in base.rglob("*.yaml") if not set(_NOT_RULE_PACKS) & set(p.relative_to(base).parts))


def load_rules(paths: list[Path] | None = None) -> RulePack:
    """Load and validate every rule pack (default: all of ``rules/`` but the target packs)."""
    files = paths if paths is not None else pack_files()
    rules: dict[str, Rule] = {}
    roles: list[RoleOverride] = []
    digest = hashlib.sha256()
    for path in files:
        try:
            raw = path.read_bytes()
            data = yamlio.safe_load(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RulePackError(f"rule pack {path}: cannot be read: {str(exc).splitlines()[0]}") from None
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        if not isinstance(data, dict):
            raise RulePackError(f"rule pack {path}: expected a mapping at the top level")
        unknown = set(data) - PACK_KEYS
        if unknown:
            raise RulePackError(f"rule pack {path}: unknown key '{sorted(unknown)[0]}'")
        if not isinstance(data.get("rules", {} if "roles" in data else None), dict):
            raise RulePackError(f"rule pack {path}: key 'rules' must map rule ids to rules")
        roles.extend(parse_overrides(data.get("roles"), f"rule pack {path}: roles", RulePackError))
        pack = str(data.get("pack", path.stem))
        for rule_id, spec in data.get("rules", {}).items():
            if rule_id in rules:
                raise RulePackError(f"rule pack {path}: rule {rule_id} is also defined in {rules[rule_id].source}")
            rules[rule_id] = _parse_rule(str(rule_id), spec, pack, str(path))
    ordered = tuple(sorted(rules.values(), key=lambda r: r.id))
    return RulePack(ordered, digest.hexdigest(), tuple(str(p) for p in files), tuple(roles))
