"""One typed report: a fresh scan's or audit's report, and the same report read back from its JSON
(as the store and ``docaudit report`` read it), are equal objects, write the same JSON text, and
render every format to the same bytes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from docaudit.audit import run_audit
from docaudit.config import AuditConfig, SourceConfig
from docaudit.periods import resolve_period
from docaudit.pipeline.report import AuditReport
from docaudit.report import formats

from ..conftest import SAMPLES
from .helpers import PERIOD, TRUST, samples_report
from .test_report_doc import _BASELINE, _PACK


@pytest.fixture(scope="module")
def audit_report(tmp_path_factory) -> AuditReport:
    """An audit of samples/ as two sources, with a baseline (accepted and expired entries) and a pack
    whose paperless rate counts over via-software documents: every optional part of a report."""
    tmp = tmp_path_factory.mktemp("typed")
    (tmp / "pack.yaml").write_text(_PACK, encoding="utf-8")
    (tmp / "baseline.yaml").write_text(_BASELINE, encoding="utf-8")
    config = AuditConfig(
        sources=(SourceConfig(SAMPLES, agencies=("SO-TTTT",), name="so"),
                 SourceConfig(SAMPLES, agencies=("HU-BQ", "UBND-BQ"), name="hu")),
        base=tmp, trust=(str(TRUST),), period=resolve_period(f"{PERIOD[0]}..{PERIOD[1]}"),
        targets=str(tmp / "pack.yaml"), baseline=tmp / "baseline.yaml",
    )
    return run_audit(config, store=False, today=dt.date(2022, 1, 1)).report


def _reports(audit_report):
    return [("scan", samples_report()), ("audit", audit_report)]


def test_a_report_read_back_from_its_json_is_the_same_object(audit_report) -> None:
    for name, report in _reports(audit_report):
        again = AuditReport.from_json(json.loads(report.to_json_text()))
        assert again == report, name
        assert again.to_json_text() == report.to_json_text(), name
    statuses = {f.baseline.status for _e, f in audit_report.findings()}
    assert statuses == {"new", "accepted", "expired"}
    assert {e.source for e in audit_report.entries} == {0, 1}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_format_renders_a_stored_report_as_the_fresh_one(audit_report, lang) -> None:
    for name, report in _reports(audit_report):
        stored = AuditReport.from_json(json.loads(report.to_json_text()))
        for fmt, output in formats.FORMATS.items():
            if output.binary:
                continue  # xlsx and docx carry their creation time; tests/report/test_formats.py reads them
            assert output.render(stored, lang) == output.render(report, lang), (name, fmt)
        for style, output in formats.ANNOTATIONS.items():
            assert output.text(stored, lang) == output.text(report, lang), (name, style)


def test_the_audit_report_says_what_fails_it(audit_report) -> None:
    assert audit_report.command == "audit" and samples_report().command == "scan"
    assert audit_report.missed_agencies == sorted(
        name for name, figures in audit_report.agencies.items() if figures.meets_targets is False)
    new_errors = sum(1 for _e, f in audit_report.findings()
                     if f.severity.value == "error" and f.baseline.status != "accepted")
    assert audit_report.new_errors == new_errors == audit_report.baseline.new_errors
