"""The counting rules of the contract (README: How the rates are counted), on hand-built entries (no files involved)."""

from __future__ import annotations

import datetime as dt

import pytest

from docaudit.metrics import figures, per_agency, why_not_counted
from docaudit.model import (
    Channel, Direction, DocumentVerdict, EntryResult, Evidence, FileStatus, RegisterEntry, Verdict,
)
from docaudit.register import ExclusionCounts
from docaudit.targets import load_targets

TARGETS = load_targets()


def result(agency="A", *, via=True, channel=Channel.ELECTRONIC, status=FileStatus.PRESENT,
           verdict=Verdict.VALID, row=2) -> EntryResult:
    entry = RegisterEntry(row, agency, Direction.OUTGOING, f"{row}/QĐ-UBND", "QĐ", dt.date(2021, 3, 1),
                          "", "", channel, via, None if status is FileStatus.NONE else "f.pdf")
    evidence = Evidence("f.pdf", status, verdict=DocumentVerdict(verdict) if status is FileStatus.PRESENT else None)
    return EntryResult(entry, evidence)


def test_rates_follow_the_contract() -> None:
    results = [
        result(row=2),                                       # counts for both
        result(row=3, channel=Channel.BOTH),                 # via only (paper copy)
        result(row=4, verdict=Verdict.INDETERMINATE),        # via only
        result(row=5, status=FileStatus.MISSING),            # claimed, not counted
        result(row=6, via=False),                            # neither, not claimed
        result(row=7, via=False, channel=Channel.PAPER, status=FileStatus.NONE),
    ]
    f = figures(results, None, TARGETS)
    assert f.total == 6
    assert (f.via_software.count, f.via_software.claimed) == (3, 4)
    assert f.via_software.rate == pytest.approx(3 / 6)
    assert (f.paperless.count, f.paperless.claimed) == (1, 3)
    assert f.paperless.rate == pytest.approx(1 / 6)
    assert f.via_software.meets_target is False and f.paperless.meets_target is False
    assert f.signatures == {"valid": 3, "invalid": 0, "indeterminate": 1, "unsigned": 0}
    assert f.files == {"present": 4, "missing": 1, "unreadable": 0, "outside_root": 0}


def test_targets_are_strictly_greater_by_default() -> None:
    ten = [result(row=i) for i in range(9)] + [result(row=99, via=False)]
    f = figures(ten, None, TARGETS)
    assert f.via_software.rate == pytest.approx(0.9)
    assert f.via_software.meets_target is False  # 90% is not "above 90%"
    f = figures(ten[:9], None, TARGETS)
    assert f.via_software.meets_target is True


def test_empty_agency_has_null_rates() -> None:
    agencies, overall = per_agency([], {"B": ExclusionCounts(out_of_period=2)}, TARGETS)
    assert agencies["B"].total == 0
    assert agencies["B"].via_software.rate is None
    assert agencies["B"].paperless.meets_target is None
    assert agencies["B"].excluded["out_of_period"] == 2
    assert overall.via_software.rate is None


def test_overall_sums_agencies_and_exclusions() -> None:
    results = [result("A", row=2), result("B", row=3, verdict=Verdict.INVALID)]
    excluded = {"A": ExclusionCounts(duplicate=1), "": ExclusionCounts(unparsable=2)}
    agencies, overall = per_agency(results, excluded, TARGETS)
    assert sorted(agencies) == ["A", "B"]
    assert overall.total == 2
    assert overall.excluded == {"duplicate": 1, "out_of_period": 0, "unparsable": 2}
    assert overall.signatures["invalid"] == 1


def test_reasons_explain_every_entry_that_does_not_count() -> None:
    assert why_not_counted(result()) == ()
    assert why_not_counted(result(channel=Channel.BOTH)) == ("channel-both",)
    assert why_not_counted(result(status=FileStatus.OUTSIDE_ROOT)) == ("path-outside-root",)
    assert why_not_counted(result(verdict=Verdict.UNSIGNED)) == ("unsigned",)
    assert why_not_counted(result(via=False, channel=Channel.PAPER, status=FileStatus.NONE)) == (
        "not-via-system", "no-file", "channel-paper")


def test_paperless_denominator_can_change(tmp_path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text("id: p\ntargets:\n  via_software: {op: '>=', threshold: 0.5}\n"
                    "  paperless: {op: '>=', threshold: 0.5, denominator: via_software}\n")
    targets = load_targets(str(pack))
    f = figures([result(row=2), result(row=3, verdict=Verdict.INVALID), result(row=4, via=False)], None, targets)
    assert f.paperless.rate == pytest.approx(1 / 2)  # 1 of the 2 counted via the software
    assert f.paperless.meets_target is True
    assert f.via_software.rate == pytest.approx(2 / 3)
