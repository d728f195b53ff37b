"""One-line CI annotations from an ``AuditReport``, and GitLab's Code Quality JSON.

* ``github``: workflow commands (``::error file=…,title=…::message``) that GitHub Actions turns
  into annotations on the run and the pull request;
* ``gitlab``: ``ERROR: path: RULE message`` lines, coloured for GitLab's job log (GitLab has no
  annotation command; for merge-request widgets write the ``codequality`` output and declare it
  under ``artifacts:reports:codequality``).

Annotations cover missed targets and *new* findings of error and warning level (baseline-accepted
ones are left out). ``auto`` picks ``github`` under GitHub Actions, ``gitlab`` under GitLab CI and
nothing elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterator

from ..model import Severity
from ..pipeline.report import AuditReport, ReportEntry
from .breakdown import RATES, accepted
from .junit import row_label, target_text

MAX_ANNOTATIONS = 50  # GitHub shows only the first few per step anyway; the rest is noise


def detect(mode: str) -> str | None:
    """``auto`` → ``github``/``gitlab`` from the CI environment, or ``None``."""
    if mode == "auto":
        if os.environ.get("GITHUB_ACTIONS", "").lower() == "true":
            return "github"
        if os.environ.get("GITLAB_CI", "").lower() == "true":
            return "gitlab"
        return None
    return None if mode == "none" else mode


def _file_path(report: AuditReport, entry: ReportEntry) -> str | None:
    """The document's path as CI sees it: relative to the working folder when possible."""
    if not entry.file:
        return None
    root = entry.root or report.root
    if not root:
        return entry.file
    path = Path(root) / entry.file
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def items(report: AuditReport, lang: str = "en") -> Iterator[dict[str, Any]]:
    """Everything worth an annotation: missed targets, then new error/warning findings."""
    for agency, figures in report.agencies.items():
        for rate in RATES:
            if getattr(figures, rate).meets_target is False:
                yield {"level": "error", "file": None, "title": f"docaudit {agency} {rate}",
                       "message": target_text(report, agency, rate, lang),
                       "rule": f"target-{rate}", "agency": agency}
    for entry, finding in report.findings():
        if finding.severity not in (Severity.ERROR, Severity.WARNING) or accepted(finding):
            continue
        yield {"level": finding.severity.value, "file": _file_path(report, entry), "rule": finding.rule,
               "title": f"{finding.rule} {entry.agency} {entry.number}",
               "message": f"{entry.agency} {entry.number} ({row_label(entry, lang)}): {finding.text(lang)}",
               "agency": entry.agency, "sha256": entry.sha256}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: AuditReport, lang: str = "en", limit: int = MAX_ANNOTATIONS) -> list[str]:
    lines = []
    all_items = list(items(report, lang))
    for item in all_items[:limit]:
        props = []
        if item["file"]:
            props.append(f"file={_escape_property(item['file'])}")
        props.append(f"title={_escape_property(item['title'])}")
        lines.append(f"::{item['level']} {','.join(props)}::{_escape_data(item['message'])}")
    if len(all_items) > limit:
        lines.append(f"::notice title=docaudit::{len(all_items) - limit} more (see the JSON or JUnit report)")
    return lines


def gitlab_lines(report: AuditReport, lang: str = "en", limit: int = MAX_ANNOTATIONS) -> list[str]:
    colour = {"error": "\x1b[31;1m", "warning": "\x1b[33;1m"}
    lines = []
    all_items = list(items(report, lang))
    for item in all_items[:limit]:
        where = f"{item['file']}: " if item["file"] else ""
        message = item["message"].replace("\n", " ")
        lines.append(f"{colour[item['level']]}{item['level'].upper()}\x1b[0m: {where}{item['rule']}: {message}")
    if len(all_items) > limit:
        lines.append(f"… {len(all_items) - limit} more (see the JSON or JUnit report)")
    return lines


def lines(report: AuditReport, style: str, lang: str = "en") -> list[str]:
    return github_lines(report, lang) if style == "github" else gitlab_lines(report, lang)


def codequality(report: AuditReport, lang: str = "en") -> str:
    """GitLab Code Quality report (a JSON list of issues)."""
    severity = {"error": "major", "warning": "minor"}
    issues = []
    for item in items(report, lang):
        seed = "\0".join(str(item.get(k)) for k in ("rule", "agency", "sha256", "message"))
        issues.append({
            "description": item["message"],
            "check_name": str(item["rule"]),
            "fingerprint": hashlib.sha256(seed.encode("utf-8")).hexdigest(),
            "severity": severity.get(item["level"], "info"),
            "location": {"path": item["file"] or report.register or "register", "lines": {"begin": 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
