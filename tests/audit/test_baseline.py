"""Baselines: reading (errors name file and entry), acceptance, expiry, creation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from types import SimpleNamespace

from docaudit.baseline import (
    Baseline,
    BaselineEntry,
    dump_baseline,
    entries_from_findings,
    judge,
    load_baseline,
)
from docaudit.errors import ConfigError

SHA_A, SHA_B = "a" * 64, "b" * 64


def _report() -> dict:
    def entry(number, sha, agency="UBND-BQ", *findings):
        return {"agency": agency, "number": number, "sha256": sha, "file": f"files/{number}.pdf",
                "findings": [{"rule": r, "severity": s, "message": f"{r} on {number}"} for r, s in findings]}

    return {"entries": [
        entry("01/QĐ-UBND", SHA_A, "UBND-BQ", ("SIG001", "error"), ("NUM004", "warning")),
        entry("02/QĐ-UBND", SHA_B, "UBND-BQ", ("SIG001", "error")),  # same rule, another document
        entry("07/KH-UBND", None, "UBND-BQ", ("file-missing", "error")),
        entry("07/KH-UBND", None, "SO-TTTT", ("file-missing", "error")),  # same number, other agency
    ]}


def _findings(report: dict):
    """(entry, finding) pairs as the report's typed objects carry them."""
    for e in report["entries"]:
        entry = SimpleNamespace(agency=e["agency"], number=e["number"], sha256=e["sha256"], file=e.get("file"))
        for f in e["findings"]:
            yield entry, SimpleNamespace(rule=f["rule"], severity=f["severity"], message=f["message"])


def apply_baseline(report: dict, baseline: Baseline, today: dt.date):
    """``judge`` (pure), its statuses written onto the JSON findings as the audit's report shows them."""
    statuses, summary = judge(_findings(report), baseline, today)
    marks = iter(statuses)
    for e in report["entries"]:
        for f in e["findings"]:
            f["baseline"] = next(marks).to_json()
    report["baseline"] = summary.to_json()
    return summary


def entries_from_report(report: dict, *args):
    return entries_from_findings(_findings(report), *args)


def test_judging_changes_nothing():
    report = _report()
    before = repr(report)
    statuses, _summary = judge(_findings(report), Baseline(None, (BaselineEntry("SIG001", SHA_A, "01/QĐ-UBND", "r"),)),
                               dt.date(2021, 7, 1))
    assert repr(report) == before and [s.status for s in statuses][:2] == ["accepted", "new"]


def _statuses(report: dict) -> list[tuple[str, str, str]]:
    return [(e["number"], f["rule"], f["baseline"]["status"]) for e in report["entries"] for f in e["findings"]]


def test_acceptance_never_hides_other_documents():
    baseline = Baseline(Path("b.yaml"), (
        BaselineEntry("SIG001", SHA_A, "01/qđ-ubnd ", "reviewed"),                   # number folded
        BaselineEntry("file-missing", None, "07/KH-UBND", "paper original", agency="UBND-BQ"),
    ))
    report = _report()
    summary = apply_baseline(report, baseline, dt.date(2021, 7, 1))
    assert _statuses(report) == [
        ("01/QĐ-UBND", "SIG001", "accepted"),
        ("01/QĐ-UBND", "NUM004", "new"),
        ("02/QĐ-UBND", "SIG001", "new"),
        ("07/KH-UBND", "file-missing", "accepted"),
        ("07/KH-UBND", "file-missing", "new"),
    ]
    assert (summary.accepted, summary.new_errors, summary.new_warnings, summary.expired) == (2, 2, 1, 0)
    assert report["baseline"]["new_errors"] == 2 and report["baseline"]["unused_entries"] == []
    assert report["entries"][0]["findings"][0]["baseline"]["reason"] == "reviewed"


def test_same_number_other_document_is_new():
    baseline = Baseline(None, (BaselineEntry("SIG001", SHA_B, "01/QĐ-UBND", "wrong hash"),))
    report = _report()
    summary = apply_baseline(report, baseline, dt.date(2021, 7, 1))
    assert summary.accepted == 0 and summary.new_errors == 4 and summary.unused == (1,)


def test_expiry():
    baseline = Baseline(None, (BaselineEntry("SIG001", SHA_A, "01/QĐ-UBND", "until the end of June",
                                             expires=dt.date(2021, 6, 30)),))
    on_the_day = _report()
    assert apply_baseline(on_the_day, baseline, dt.date(2021, 6, 30)).accepted == 1
    after = _report()
    summary = apply_baseline(after, baseline, dt.date(2021, 7, 1))
    assert (summary.accepted, summary.expired, summary.new_errors) == (0, 1, 4)
    assert after["entries"][0]["findings"][0]["baseline"] == {
        "status": "expired", "reason": "until the end of June", "expires": "2021-06-30"}


def test_create_write_and_read_back(tmp_path):
    entries, kept, added = entries_from_report(_report(), "accepted at go-live", dt.date(2022, 1, 1), "error")
    assert (kept, added) == (0, 4) and {e.rule for e in entries} == {"SIG001", "file-missing"}
    path = tmp_path / "docaudit-baseline.yaml"
    path.write_text(dump_baseline(entries), encoding="utf-8")
    # the shared expiry date is written out on every entry, not as a YAML anchor and aliases
    assert path.read_text(encoding="utf-8").count("expires: 2022-01-01") == 4 and "&id" not in path.read_text(encoding="utf-8")
    loaded = load_baseline(path)
    assert loaded.entries == tuple(entries)
    # a rerun keeps what a person wrote
    edited = path.read_text(encoding="utf-8").replace("accepted at go-live", "checked by the inspector", 1)
    path.write_text(edited, encoding="utf-8")
    again, kept, added = entries_from_report(_report(), "another reason", None, "info", load_baseline(path))
    assert (kept, added) == (4, 1)  # NUM004 (a warning) is new
    assert again[0].reason == "checked by the inspector" and again[0].expires == dt.date(2022, 1, 1)
    report = _report()
    assert apply_baseline(report, load_baseline(path), dt.date(2021, 7, 1)).new_errors == 0


@pytest.mark.parametrize("text, where", [
    ("accepted:\n  - rule: SIG001\n    sha256: null\n    number: '1'\n", "accepted[1].reason"),
    ("accepted:\n  - rule: SIG001\n    reason: ''\n", "accepted[1].reason"),
    ("accepted:\n  - rule: SIG001\n    reason: ok\n    sha256: xyz\n", "accepted[1].sha256"),
    ("accepted:\n  - rule: SIG001\n    reason: ok\n    expires: soon\n", "accepted[1].expires"),
    ("accepted:\n  - reason: ok\n", "accepted[1].rule"),
    ("accepted:\n  - rule: SIG001\n    reason: ok\n    expire: 2021-01-01\n", "accepted[1].expire"),
    ("accepted:\n  - rule: A\n    reason: ok\n  - 3\n", "accepted[2]"),
    ("version: 2\naccepted: []\n", "key 'version'"),
    ("accepted: {}\n", "key 'accepted'"),
    ("entries: []\n", "key 'entries'"),
])
def test_bad_baselines_name_file_and_entry(tmp_path, text, where):
    path = tmp_path / "docaudit-baseline.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {where}") and "\n" not in message, message


def test_unreadable_yaml(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("accepted: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid YAML baseline"):
        load_baseline(path)


def test_an_entry_without_a_register_number_is_refused(tmp_path):
    """Without its number an entry would match no finding at all, silently."""
    path = tmp_path / "docaudit-baseline.yaml"
    path.write_text("accepted:\n  - rule: SIG001\n    sha256: null\n    reason: ok\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"accepted\[1\]\.number: required"):
        load_baseline(path)
