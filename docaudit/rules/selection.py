"""Which rules run, at which severity, with which parameters: ``docaudit.toml``'s ``[rules]``
table, with ``--select/--ignore`` over it (ruff-style: see :mod:`docaudit.rules.engine`).

One type for both: the config file reads into it, the command-line options narrow it, the rule
engine applies it and the incremental cache keys on its :attr:`~RuleSelection.fingerprint`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

if TYPE_CHECKING:
    from .roles import RoleOverride
    from .schema import RulePack


@dataclass(frozen=True)
class RuleSelection:
    """``select``/``ignore`` hold rule codes or prefixes (``SIG``, ``FMT001``); empty ``select``
    means every rule. ``severity`` maps a rule code to ``error|warning|info``; ``params`` maps a
    rule code to its parameters (any TOML values, read-only). Codes keep the spelling they were
    given in (the fingerprint depends on it); the engine compares them upper-cased
    (:meth:`normalised`)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    roles: tuple[RoleOverride, ...] = ()
    """Role overrides (``[[rules.roles]]``); they come before the packs' own."""

    @classmethod
    def from_options(cls, select: str | Sequence[str] | None, ignore: str | Sequence[str] | None,
                     base: RuleSelection | None = None) -> RuleSelection:
        """``--select``/``--ignore`` (comma-separated, repeatable) over ``base``: each given option
        replaces the base's list."""
        def split(value) -> tuple[str, ...]:
            if not value:
                return ()
            items = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
            return tuple(i.strip().upper() for i in items if i.strip())

        base = base or cls()
        return replace(base, select=split(select) or base.select, ignore=split(ignore) or base.ignore)

    def normalised(self) -> RuleSelection:
        """Rule codes upper-cased, as rule ids are written."""
        return RuleSelection(
            select=tuple(s.upper() for s in self.select),
            ignore=tuple(s.upper() for s in self.ignore),
            severity={k.upper(): str(v) for k, v in self.severity.items()},
            params={k.upper(): dict(v) for k, v in self.params.items()},
            roles=tuple(self.roles),
        )

    def unknown_names(self, pack: RulePack) -> Iterator[tuple[str, str]]:
        """``(key, problem)`` for each code or parameter that no rule of ``pack`` has, keys as in
        the ``[rules]`` table (``params.NUM004.seriess``): a typo must not be ignored silently.
        The packs declare every parameter a rule reads (its ``params:`` with their defaults)."""
        rules = {rule.id: rule for rule in pack.rules}
        for name, selectors in (("select", self.select), ("ignore", self.ignore)):
            for i, selector in enumerate(selectors):
                if selector.upper() != "ALL" and not any(r.startswith(selector.upper()) for r in rules):
                    yield f"{name}[{i}]", f"'{selector}' matches no rule (see `docaudit rules`)"
        for code in self.severity:
            if code.upper() not in rules:
                yield f"severity.{code}", f"unknown rule '{code}' (see `docaudit rules`)"
        for code, values in self.params.items():
            rule = rules.get(code.upper())
            if rule is None:
                yield f"params.{code}", f"unknown rule '{code}' (see `docaudit rules`)"
                continue
            for param in values:
                if param not in rule.params:
                    known = ", ".join(rule.params) if rule.params else "none"
                    yield f"params.{code}.{param}", f"{rule.id} has no parameter '{param}' (its parameters: {known})"

    def as_json(self) -> dict[str, Any]:
        out = {
            "select": list(self.select),
            "ignore": list(self.ignore),
            "severity": _plain(self.severity),
            "params": _plain(self.params),
        }
        if self.roles:  # only when given: older runs' config hashes stay what they were
            from .roles import fingerprint_items  # lazy: start-up speed (roles loads docaudit.model)

            out["roles"] = fingerprint_items(self.roles)
        return out

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON form: part of the incremental-scan key."""
        text = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value
