"""Findings for evidence files that could not be used (missing, outside the root, unreadable),
in Vietnamese and English — the same for ``scan`` entries and the ``check`` checklist."""

from __future__ import annotations

from ..model import PROBLEM_CODES, Evidence, FileStatus, Finding, Severity

_MESSAGES = {
    FileStatus.MISSING: ("Không tìm thấy tệp {path}: {reason}", "File {path} not found: {reason}"),
    FileStatus.OUTSIDE_ROOT: ("Không mở tệp {path} vì nằm ngoài thư mục kiểm tra: {reason}",
                              "File {path} not opened, it lies outside the audit root: {reason}"),
    FileStatus.UNREADABLE: ("Không đọc được tệp {path}: {reason}", "File {path} cannot be read: {reason}"),
}


def evidence_findings(evidence: Evidence) -> tuple[Finding, ...]:
    rule = PROBLEM_CODES.get(evidence.status)
    if rule is None:
        return ()
    vi, en = _MESSAGES[evidence.status]
    values = {"path": evidence.path, "reason": evidence.reason}
    return (Finding(rule, Severity.ERROR, vi.format(**values), None, en.format(**values)),)
