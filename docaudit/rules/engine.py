"""Running the rules: selection (ruff-style), evaluation per document/entry and over the register.

Selection: ``--select SIG,FMT001 --ignore FMT021`` — each rule takes the most specific selector
that matches its id (the longest prefix); on a tie ``ignore`` wins; no ``--select`` means every
rule. Severity overrides and parameters come from ``docaudit.toml`` ``[rules]``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Sequence

from ..errors import OptionError, UsageError
from ..model import Direction, EntryResult, Evidence, Finding, Register, RegisterEntry, Severity
from ..text import message
from .context import RuleContext
from .registry import EVALUATORS, REGISTER_EVALUATORS, Hit
from .roles import RoleOverride, assign_roles, fingerprint_items
from .schema import Rule, RulePack, load_rules
from .selection import RuleSelection


def _specificity(rule_id: str, selectors: Iterable[str]) -> int:
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif rule_id.startswith(selector):
            best = max(best, len(selector))
    return best


@dataclass(frozen=True)
class RuleOutcome:
    rule: Rule
    status: str
    """``pass``, ``fail`` or ``na`` (does not apply to this document)."""
    findings: tuple[Finding, ...] = ()


class RuleEngine:
    """The selected rules with their effective severities and parameters."""

    def __init__(self, pack: RulePack | None = None, selection: RuleSelection | None = None) -> None:
        self.pack = pack or load_rules()
        self.selection = (selection or RuleSelection()).normalised()
        known = {r.id for r in self.pack.rules}
        for selector in (*self.selection.select, *self.selection.ignore):
            if selector != "ALL" and not any(rule_id.startswith(selector) for rule_id in known):
                raise OptionError("--select/--ignore", f"'{selector}' matches no rule (see `docaudit rules`)")
        for rule_id, level in self.selection.severity.items():
            if rule_id not in known:
                raise UsageError(f"severity override for unknown rule '{rule_id}'")
            if level not in {s.value for s in Severity}:
                raise UsageError(f"severity override for {rule_id}: '{level}' is not error, warning or info")
        select = self.selection.select or ("ALL",)
        self.roles: tuple[RoleOverride, ...] = (*self.selection.roles, *self.pack.roles)
        self.rules: tuple[Rule, ...] = tuple(
            self._effective(rule) for rule in self.pack.rules
            if _specificity(rule.id, select) > _specificity(rule.id, self.selection.ignore)
        )

    def _effective(self, rule: Rule) -> Rule:
        changes: dict[str, Any] = {}
        level = self.selection.severity.get(rule.id)
        if level:
            changes["severity"] = {"outgoing": Severity(level), "incoming": Severity(level)}
        params = self.selection.params.get(rule.id)
        if params:
            changes["params"] = {**rule.params, **params}
        return replace(rule, **changes) if changes else rule

    @property
    def fingerprint(self) -> str:
        """Identifies the rules *as applied*: pack contents plus selection, severities, params."""
        import hashlib
        import json

        selection = json.dumps(
            [sorted(r.id for r in self.rules), dict(self.selection.severity),
             {k: dict(v) for k, v in self.selection.params.items()}, fingerprint_items(self.roles)],
            sort_keys=True, default=str)
        return hashlib.sha256((self.pack.fingerprint + selection).encode()).hexdigest()

    # ---------------------------------------------------------------- one document

    def assign_roles(self, evidence: Evidence) -> Evidence:
        """``evidence`` with the role overrides applied (before any rule looks at it)."""
        return assign_roles(evidence, self.roles)

    def _finding(self, rule: Rule, hit: Hit, direction: Direction | None) -> Finding:
        own = hit.severity is not None and rule.id not in self.selection.severity
        return Finding(
            rule=rule.id,
            severity=Severity(hit.severity) if own else rule.severity_for(direction),
            wording=rule.wording(hit.outcome, hit.values),
            reference=rule.reference,
        )

    def check(self, evidence: Evidence, entry: RegisterEntry | None = None,
              direction: Direction | None = None, mode: str = "check") -> tuple[RuleOutcome, ...]:
        """Every selected document rule's outcome on one file (the ``check`` checklist)."""
        direction = direction or (entry.direction if entry else None)
        context = RuleContext(evidence, entry, direction, mode)
        outcomes = []
        for rule in self.rules:
            if rule.scope != "document" or mode not in rule.modes:
                continue
            # rules about the file need a file that could be read; the file-missing/unreadable
            # findings already say what is wrong with the others
            needs_file = rule.evaluator not in _ENTRY_ONLY
            if not rule.applies(direction, evidence.kind, mode) or (needs_file and not evidence.present):
                outcomes.append(RuleOutcome(rule, "na"))
                continue
            try:
                hits = EVALUATORS[rule.evaluator](context, rule.params)
            except Exception as exc:  # noqa: BLE001 — a rule bug must not stop a scan: say so instead
                outcomes.append(RuleOutcome(rule, "fail", (Finding(
                    rule.id, Severity.WARNING, message("rule.evaluation-failed", error=f"{type(exc).__name__}: {exc}"),
                    rule.reference),)))
                continue
            if hits is None:
                outcomes.append(RuleOutcome(rule, "na"))
            elif not hits:
                outcomes.append(RuleOutcome(rule, "pass"))
            else:
                outcomes.append(RuleOutcome(rule, "fail", tuple(self._finding(rule, h, direction) for h in hits)))
        return tuple(outcomes)

    def findings(self, evidence: Evidence, entry: RegisterEntry | None = None,
                 direction: Direction | None = None, mode: str = "scan") -> tuple[Finding, ...]:
        return tuple(f for outcome in self.check(evidence, entry, direction, mode) for f in outcome.findings)

    # ---------------------------------------------------------------- a whole scan

    def apply(self, results: Sequence[EntryResult]) -> tuple[EntryResult, ...]:
        """Add every selected rule's findings to the scan's entry results: document rules per
        entry (compared with its register row), then the register-level rules."""
        return self.with_register_findings([self.apply_document(r) for r in results])

    def apply_document(self, result: EntryResult) -> EntryResult:
        """One entry with the findings about its file and the document rules' findings (which
        compare the file with its register row). A streaming scan calls this as each entry comes,
        while the document's facts are still at hand."""
        return self.with_document_findings(result, self.document_findings(result))

    def document_findings(self, result: EntryResult) -> tuple[Finding, ...]:
        """The document rules' findings on one entry (what an incremental audit caches)."""
        return self.findings(result.evidence, result.entry, result.entry.direction, "scan")

    @staticmethod
    def with_document_findings(result: EntryResult, findings: tuple[Finding, ...]) -> EntryResult:
        return replace(result, findings=(*result.findings, *result.evidence.findings, *findings))

    def with_register_findings(
        self, results: Sequence[EntryResult], attach: Callable[[int, list[Finding]], None] | None = None,
        register: Register | None = None,
    ) -> tuple[EntryResult, ...]:
        """``results`` with the register-level rules' findings appended to the entries they name;
        ``attach(index, findings)`` is told of each addition (a scan writing to the store adds
        them to the entry it has already written)."""
        out = list(results)
        for index, extra in self.register_findings(out, register).items():
            out[index] = replace(out[index], findings=(*out[index].findings, *extra))
            if attach is not None:
                attach(index, extra)
        return tuple(out)

    # ---------------------------------------------------------------- the register

    def register_findings(self, results: Sequence[EntryResult],
                          register: Register | None = None) -> dict[int, list[Finding]]:
        """Findings of the register-level rules, by index into ``results``; ``register`` is every
        row the results were selected from (what is registered, though not counted)."""
        out: dict[int, list[Finding]] = {}
        for rule in self.rules:
            if rule.scope != "register":
                continue
            for index, hit in REGISTER_EVALUATORS[rule.evaluator](results, rule.params, register):
                out.setdefault(index, []).append(self._finding(rule, hit, results[index].entry.direction))
        return out


# Evaluators that judge the register entry itself and so apply even when there is no file.
_ENTRY_ONLY = {"via_system_has_file"}
