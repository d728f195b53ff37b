"""docs/REPORT.md documents every key of the JSON report, and no key the report no longer has.

The keys are read from real reports: a scan of samples/ and an audit of it split into two sources
with a baseline (accepted and expired findings) and a target pack with a paperless denominator,
so every conditional key appears. The doc's key tables (first column ``key``) name keys relative
to the backticked path(s) in the heading above them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from docaudit.audit import run_audit
from docaudit.config import AuditConfig, SourceConfig
from docaudit.periods import resolve_period

from ..conftest import REPO, SAMPLES
from .helpers import PERIOD, TRUST, samples_report

DOC = REPO / "docs" / "REPORT.md"

# objects whose keys are data (agency codes, reason codes, rule ids), not names of the schema
DATA_MAPS = {"agencies", "agencies.*.not_counted", "agencies.*.findings_by_rule", "overall.not_counted",
             "overall.findings_by_rule"}

_PACK = """id: doc-test
targets:
  via_software: {op: ">", threshold: 0.9}
  paperless: {op: ">", threshold: 0.8, denominator: via_software}
"""
_BASELINE = """version: 1
accepted:
- rule: file-unreadable
  sha256: 3a32056f6c7266bbee327178c07e737f5b0fc5246c0724fec518ca02fac04e90
  number: 30/UBND-VP
  reason: reviewed
  expires: 2099-12-31
- rule: NUM005
  sha256: ef8df42ac20aa275657ab6ae0162fa9e4538f1dde4dfa0006ca97233589c898f
  number: 25/STTTT-VP
  agency: SO-TTTT
  reason: reviewed once
  expires: 2021-07-01
"""


def key_paths(value: Any, path: str = "") -> Iterator[str]:
    """Every key path of ``value``: ``a.b`` for nested objects, ``a[].b`` for the items of a list,
    ``agencies.*`` for a data-keyed object (whose own keys are not walked further, except for
    the agencies, whose figures are)."""
    if isinstance(value, dict):
        if path in DATA_MAPS:
            if path == "agencies":
                for item in value.values():
                    yield from key_paths(item, "agencies.*")
            return
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            yield child
            yield from key_paths(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from key_paths(item, f"{path}[]")


def documented_paths(text: str) -> set[str]:
    """The key paths of the doc's key tables: each row's backticked keys, prefixed with every
    backticked path of the heading above the table (none: the top level)."""
    paths: set[str] = set()
    prefixes, in_table = [""], False
    for line in text.splitlines():
        if line.startswith("#"):
            prefixes = re.findall(r"`([^`]+)`", line) or [""]
            in_table = False
        elif line.startswith("| key |"):
            in_table = True
        elif in_table and line.startswith("|"):
            first = line.split("|")[1]
            for key in re.findall(r"`([^`]+)`", first):
                paths.update(f"{prefix}.{key}" if prefix else key for prefix in prefixes)
        else:
            in_table = False
    return paths


@pytest.fixture(scope="module")
def audit_report(tmp_path_factory) -> dict[str, Any]:
    """An audit of samples/ as two sources (SO-TTTT and UBND-BQ, then HU-BQ: a couple of seconds)."""
    tmp = tmp_path_factory.mktemp("report-doc")
    (tmp / "pack.yaml").write_text(_PACK, encoding="utf-8")
    (tmp / "baseline.yaml").write_text(_BASELINE, encoding="utf-8")
    config = AuditConfig(
        sources=(SourceConfig(SAMPLES, agencies=("SO-TTTT", "UBND-BQ"), name="so"),  # UBND-BQ: a duplicate
                 SourceConfig(SAMPLES, agencies=("HU-BQ",), name="hu")),
        base=tmp, trust=(str(TRUST),), period=resolve_period(f"{PERIOD[0]}..{PERIOD[1]}"),
        targets=str(tmp / "pack.yaml"), baseline=tmp / "baseline.yaml",
    )
    return run_audit(config, store=False, today=dt.date(2022, 1, 1)).report.to_json()


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_key_of_a_scan_report_is_documented() -> None:
    missing = sorted(set(key_paths(samples_report().to_json())) - documented_paths(_doc()))
    assert not missing, f"keys of the scan report missing from {DOC.name}: {missing}"


def test_every_key_an_audit_adds_is_documented(audit_report) -> None:
    statuses = {f["baseline"]["status"] for e in audit_report["entries"] for f in e["findings"]}
    assert statuses == {"new", "accepted", "expired"}  # the fixture reaches every conditional key
    missing = sorted(set(key_paths(audit_report)) - documented_paths(_doc()))
    assert not missing, f"keys of the audit report missing from {DOC.name}: {missing}"


# online revocation (--online): keys only an online run writes. tests/signatures/test_online_revocation.py
# checks that an online report has every documented one of them, and no undocumented key.
ONLINE_ONLY = ("revocation", "entries[].signatures[].revocation")


def test_the_doc_lists_no_key_the_reports_lack(audit_report) -> None:
    produced = set(key_paths(samples_report().to_json())) | set(key_paths(audit_report))
    stale = sorted(p for p in documented_paths(_doc()) - produced if not p.startswith(ONLINE_ONLY))
    assert not stale, f"{DOC.name} documents keys no report has: {stale}"


def test_every_reason_code_is_documented(audit_report) -> None:
    scan = samples_report().to_json()
    codes = {c for report in (scan, audit_report) for e in report["entries"] for c in e["not_counted"]}
    codes |= set(scan["overall"]["not_counted"])
    text = _doc()
    assert not sorted(c for c in codes if f"`{c}`" not in text)


def test_the_doc_stands_on_its_own() -> None:
    """No link out of the repository: the report is explained here, not elsewhere."""
    text = _doc()
    assert "../" not in text and "shared/" not in text and "CONTRACT" not in text
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        assert (DOC.parent / target).exists() or target.startswith("http"), target


def test_the_example_is_a_real_report() -> None:
    """The trimmed example's entry lines are lines of a real scan of samples/, word for word."""
    text = samples_report().to_json_text()
    lines = [line for line in _doc().splitlines() if line.startswith('    {"row": ')]
    assert len(lines) >= 3
    for line in lines:
        # rows with more than one signature are shown with the first only
        if line.rstrip(",") not in text:
            head = line.split(', "signatures": ')[0]
            assert head in text, head[:80]
