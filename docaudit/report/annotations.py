"""One-line CI annotations from a JSON report, and GitLab's Code Quality JSON.

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
from typing import Any, Iterator, Mapping

from .junit import RATES, row_label, target_text

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


def _is_new(finding: Mapping[str, Any]) -> bool:
    return (finding.get("baseline") or {}).get("status") != "accepted"


def _file_path(report: Mapping[str, Any], entry: Mapping[str, Any]) -> str | None:
    """The document's path as CI sees it: relative to the working folder when possible."""
    file = entry.get("file")
    if not file:
        return None
    root = entry.get("root") or report.get("root")
    if not root:
        return str(file)
    path = Path(str(root)) / str(file)
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def items(report: Mapping[str, Any], lang: str = "en") -> Iterator[dict[str, Any]]:
    """Everything worth an annotation: missed targets, then new error/warning findings."""
    targets = report.get("targets") or {}
    for agency, figures in (report.get("agencies") or {}).items():
        for rate in RATES:
            if (figures.get(rate) or {}).get("meets_target") is False:
                yield {"level": "error", "file": None, "title": f"docaudit {agency} {rate}",
                       "message": target_text(str(agency), figures, rate, targets.get(rate) or {}, lang, report),
                       "rule": f"target-{rate}", "agency": agency}
    for entry in report.get("entries") or ():
        for finding in entry.get("findings") or ():
            level = finding.get("severity")
            if level not in ("error", "warning") or not _is_new(finding):
                continue
            text = finding.get("message_en") if lang == "en" and finding.get("message_en") else finding.get("message")
            yield {"level": level, "file": _file_path(report, entry), "rule": finding.get("rule"),
                   "title": f"{finding.get('rule')} {entry.get('agency')} {entry.get('number')}",
                   "message": f"{entry.get('agency')} {entry.get('number')} ({row_label(entry, lang)}): {text}",
                   "agency": entry.get("agency"), "sha256": entry.get("sha256")}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: Mapping[str, Any], lang: str = "en", limit: int = MAX_ANNOTATIONS) -> list[str]:
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


def gitlab_lines(report: Mapping[str, Any], lang: str = "en", limit: int = MAX_ANNOTATIONS) -> list[str]:
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


def lines(report: Mapping[str, Any], style: str, lang: str = "en") -> list[str]:
    return github_lines(report, lang) if style == "github" else gitlab_lines(report, lang)


def codequality(report: Mapping[str, Any], lang: str = "en") -> str:
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
            "location": {"path": item["file"] or str(report.get("register") or "register"), "lines": {"begin": 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
