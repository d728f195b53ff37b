"""``check``: one clerk's document against the signature and format rules, before sending.

The library side of ``docaudit check``: no register, no database — a checklist per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .evidence import inspect_bytes
from .evidence.problems import evidence_findings
from .model import Direction, Evidence, FileStatus, Finding, Severity, Verdict
from .pipeline.report import signature_to_json
from .rules import RuleEngine, RuleOutcome
from .signatures import ValidationSettings
from .text import message, render, t

SCHEMA = "docaudit.check/1"


@dataclass(frozen=True)
class CheckResult:
    file: str
    evidence: Evidence
    outcomes: tuple[RuleOutcome, ...]
    problems: tuple[Finding, ...] = ()
    """Problems with the file itself (unreadable, not PDF/DOCX)."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (*self.problems, *(f for o in self.outcomes for f in o.findings))

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def check_document(path: Path, engine: RuleEngine, settings: ValidationSettings,
                   direction: Direction = Direction.OUTGOING) -> CheckResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        evidence = Evidence(str(path), FileStatus.UNREADABLE, problem=message("evidence.cannot-read", detail=exc.strerror or exc))
    else:
        evidence = inspect_bytes(str(path), data, settings)
        if settings.online is not None:  # online revocation (issue 16 item 4): the CAs are asked here
            evidence = settings.online.settle(evidence)
        evidence = engine.assign_roles(evidence)
    return CheckResult(str(path), evidence, engine.check(evidence, None, direction, "check"),
                       evidence_findings(evidence))


def checklist_status(outcome: RuleOutcome) -> str:
    """``pass``, ``fail``, ``na``, ``note`` (only info-level findings: not a failure) or
    ``unverified``: the rule fails only because something cannot be verified — a signature that
    is indeterminate (no trust root, say), or a rule's ``unknown`` message (it cannot tell) —
    which a clerk must not read as "invalid"."""
    if outcome.status != "fail":
        return outcome.status
    if all(f.severity is Severity.INFO for f in outcome.findings):
        return "note"
    if outcome.findings and all(_cannot_tell(f) for f in outcome.findings):
        return "unverified"
    return "fail"


def _cannot_tell(finding: Finding) -> bool:
    return (dict(finding.wording.params).get("verdict") == Verdict.INDETERMINATE.value
            # a rule's "cannot tell" messages are named unknown…; the code ends "@digest"
            or finding.wording.code.partition("@")[0].rpartition(".")[2].startswith("unknown"))


def check_notes(settings: ValidationSettings, lang: str) -> list[str]:
    """What the clerk must know to read the checklist: without trust roots no signature can be valid;
    online, each revocation source that failed."""
    notes = [t("check.no-trust", lang)] if settings.trust.empty else []
    if settings.online is not None:  # online revocation (issue 16 item 4)
        notes += [render(note, lang) for note in settings.online.notes()]
    return notes


def _finding_json(finding: Finding, lang: str) -> dict[str, Any]:
    return {"rule": finding.rule, "severity": finding.severity.value, "message": finding.text(lang),
            "reference": finding.reference}


def check_json(results: list[CheckResult], lang: str, notes: list[str] | None = None,
               crypto_policy: Mapping[str, Any] | None = None) -> dict[str, Any]:
    documents = []
    for result in results:
        verdict = result.evidence.verdict
        documents.append({
            "file": result.file,
            "kind": result.evidence.kind,
            "present": result.evidence.present,
            "reason": result.evidence.reason,
            "verdict": verdict.verdict.value if verdict and result.evidence.present else None,
            "signatures": [signature_to_json(s) for s in (verdict.signatures if verdict else ())],
            "findings": [_finding_json(f, lang) for f in result.findings],
            "checklist": [
                {"rule": o.rule.id, "status": o.status, "unverified": checklist_status(o) == "unverified",
                 "severity": o.rule.severity_for(Direction.OUTGOING).value,
                 "title": o.rule.title[lang], "reference": o.rule.reference}
                for o in result.outcomes
            ],
        })
    out: dict[str, Any] = {"schema": SCHEMA, "notes": list(notes or ()), "documents": documents}
    if crypto_policy is not None:
        out["crypto_policy"] = dict(crypto_policy)  # which algorithm policy judged the signatures
    return out
