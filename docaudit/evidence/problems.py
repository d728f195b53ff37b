"""Findings for evidence files that could not be used (missing, outside the root, unreadable) —
the same for ``scan`` entries and the ``check`` checklist."""

from __future__ import annotations

from ..model import PROBLEM_CODES, Evidence, FileStatus, Finding, Severity
from ..text import message

_MESSAGES = {
    FileStatus.MISSING: "problem.file-missing",
    FileStatus.OUTSIDE_ROOT: "problem.path-outside-root",
    FileStatus.UNREADABLE: "problem.file-unreadable",
}


def evidence_findings(evidence: Evidence) -> tuple[Finding, ...]:
    rule = PROBLEM_CODES.get(evidence.status)
    if rule is None:
        return ()
    if evidence.status is FileStatus.MISSING and evidence.problem is not None \
            and evidence.problem.code == "evidence.file-not-found":
        return (Finding(rule, Severity.ERROR, message("problem.file-not-found", path=evidence.path)),)  # the reason would only repeat it
    wording = message(_MESSAGES[evidence.status], path=evidence.path, reason=evidence.problem or "")
    return (Finding(rule, Severity.ERROR, wording),)
