"""Incremental scans: the evidence codec, and what a second audit re-evaluates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Mapping

import pytest

from docaudit.audit import run_audit
from docaudit.config import load_config
from docaudit.incremental import decode_evidence, encode_evidence, from_jsonable, to_jsonable
from docaudit.text import message
from docaudit.model import (
    DocumentFacts,
    DocumentVerdict,
    Evidence,
    FileStatus,
    Finding,
    Severity,
    SignatureReport,
    Verdict,
)

from ..cli.helpers import run_cli
from ..conftest import SAMPLES
from .conftest import DOCUMENTS, ROWS, SIGNED, UNSIGNED, basic_config, write_register

# --------------------------------------------------------------------------- the codec


def _evidence() -> Evidence:
    signature = SignatureReport(
        field="Sig1", verdict=Verdict.INVALID, reasons=("HASH_FAILURE",), signer="CN=Nguyễn Văn An",
        signing_time=dt.datetime(2021, 3, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        key_size=2048, key_usage=("digital_signature",), rect=(1.0, 2.5, 3.0, 4.0), page=0,
    )
    return Evidence(
        path="files/a.pdf", status=FileStatus.PRESENT, kind="pdf", sha256="ab" * 32, size=12345, pages=2,
        verdict=DocumentVerdict(Verdict.INVALID, (signature,), ("HASH_FAILURE",)),
        facts=DocumentFacts(head_text="QUYẾT ĐỊNH", page_sizes=((595.0, 842.0), (595.0, 842.0))),
        findings=(Finding("SIG001", Severity.ERROR, message("problem.file-unreadable", path="files/a.pdf",
                                                          reason=message("evidence.too-large", limit=5, size=7)),
                           "NĐ 30/2020"),),
    )


def test_evidence_round_trip():
    evidence = _evidence()
    assert decode_evidence(encode_evidence(evidence)) == evidence
    plain = Evidence(None, FileStatus.MISSING, problem=message("evidence.file-not-found"))
    assert decode_evidence(encode_evidence(plain)) == plain


def test_missing_and_unknown_fields_fall_back_to_defaults():
    data = json.loads(encode_evidence(_evidence()))
    del data["evidence"]["facts"]
    del data["evidence"]["verdict"]["signatures"][0]["rect"]
    data["evidence"]["a_field_from_the_future"] = {"x": 1}
    data["evidence"]["verdict"]["signatures"][0]["another"] = 3
    back = decode_evidence(json.dumps(data))
    assert back is not None
    assert back.facts is None and back.verdict.signatures[0].rect is None
    assert back.verdict.signatures[0].reasons == ("HASH_FAILURE",)


@pytest.mark.parametrize("mutate", [
    lambda d: d["evidence"].update(status="vanished"),           # unknown enum value
    lambda d: d["evidence"].update(size="big"),                  # wrong type
    lambda d: d["evidence"].pop("status"),                       # a required field
    lambda d: d["evidence"]["verdict"]["signatures"][0].update(signing_time="noon"),
    lambda d: d["evidence"]["verdict"]["signatures"][0].update(rect=[1.0, 2.0]),  # tuple of 4
    lambda d: d.update(v=999),                                   # another codec version
])
def test_undecodable_records_are_misses(mutate):
    data = json.loads(encode_evidence(_evidence()))
    mutate(data)
    assert decode_evidence(json.dumps(data)) is None
    assert decode_evidence("not json") is None
    assert decode_evidence("[]") is None


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass(frozen=True)
class Inner:
    when: dt.date
    colour: Colour = Colour.RED


@dataclasses.dataclass(frozen=True)
class Outer:
    items: tuple[Inner, ...]
    by_name: Mapping[str, Inner]
    pair: tuple[int, str] | None = None
    at: dt.datetime | None = None
    ratio: float = 0.0
    tags: frozenset[str] = frozenset()


def test_generic_dataclasses():
    value = Outer(items=(Inner(dt.date(2024, 2, 29)),), by_name={"a": Inner(dt.date(2021, 1, 1))}, pair=(1, "x"),
                  at=dt.datetime(2021, 1, 1, 12, tzinfo=dt.timezone.utc), ratio=1, tags=frozenset({"b", "a"}))
    assert from_jsonable(Outer, json.loads(json.dumps(to_jsonable(value)))) == value


# --------------------------------------------------------------------------- audits


def _audit(config_path: Path, **kwargs):
    return run_audit(load_config(config_path), today=dt.date(2021, 12, 31), **kwargs)


def test_second_run_reuses_everything_and_changes_nothing(tmp_path, folder):
    config = basic_config(tmp_path, folder)
    first = _audit(config)
    assert (first.documents_evaluated, first.documents_reused) == (DOCUMENTS, 0)
    second = _audit(config)
    assert (second.documents_evaluated, second.documents_reused) == (0, DOCUMENTS)
    assert second.report.to_json()["run"]["documents_evaluated"] == 0
    assert second.report.to_json()["run"]["documents_reused"] == DOCUMENTS
    assert second.report.to_json()["agencies"] == first.report.to_json()["agencies"]
    assert second.report.to_json()["overall"] == first.report.to_json()["overall"]
    strip = lambda report: [{k: v for k, v in e.items()} for e in report["entries"]]  # noqa: E731
    assert strip(second.report.to_json()) == strip(first.report.to_json())

    # a new modification time alone changes nothing: the key is the content
    target = folder / ROWS[0][5]
    os.utime(target, (1_700_000_000, 1_700_000_000))
    assert _audit(config).documents_evaluated == 0

    # new content in one file: exactly that one is evaluated again
    shutil.copyfile(SAMPLES / "files/ubnd-bq/di/02-kh-ubnd.pdf", target)
    third = _audit(config)
    assert (third.documents_evaluated, third.documents_reused) == (1, DOCUMENTS - 1)
    entry = next(e for e in third.report.to_json()["entries"] if e["number"] == ROWS[0][1])
    assert entry["verdict"] == "valid" and entry["file"] == ROWS[0][5]


def test_trust_change_re_evaluates_signed_documents_only(tmp_path, folder):
    _audit(basic_config(tmp_path, folder))
    untrusted = _audit(basic_config(tmp_path, folder, trust=False))
    assert (untrusted.documents_evaluated, untrusted.documents_reused) == (SIGNED, UNSIGNED)
    assert untrusted.report.to_json()["agencies"]["HU-BQ"]["signatures"]["indeterminate"] == 2
    # back to the first trust set: both versions are cached now
    again = _audit(basic_config(tmp_path, folder))
    assert (again.documents_evaluated, again.documents_reused) == (0, DOCUMENTS)
    assert again.report.to_json()["agencies"]["HU-BQ"]["signatures"]["valid"] == 2


def test_validation_time_and_rules_settings_are_part_of_the_key(tmp_path, folder):
    _audit(basic_config(tmp_path, folder))
    now = _audit(basic_config(tmp_path, folder, extra='validation_time = "2021-06-30"'))
    assert (now.documents_evaluated, now.documents_reused) == (SIGNED, UNSIGNED)
    rules = _audit(basic_config(tmp_path, folder, extra='[rules]\nselect = ["ALL"]'))
    assert (rules.documents_evaluated, rules.documents_reused) == (DOCUMENTS, 0)


def test_the_crypto_policy_is_part_of_the_key(tmp_path, folder):
    first = _audit(basic_config(tmp_path, folder))
    assert first.report.to_json()["crypto_policy"]["id"] == "vn"
    strict = _audit(basic_config(tmp_path, folder, extra='crypto_policy = "strict"'))
    assert (strict.documents_evaluated, strict.documents_reused) == (SIGNED, UNSIGNED)
    assert strict.report.to_json()["crypto_policy"]["id"] == "strict"
    assert strict.report.to_json()["crypto_policy"]["fingerprint"] != first.report.to_json()["crypto_policy"]["fingerprint"]
    # naming the default explicitly is the same policy: everything is reused
    named = _audit(basic_config(tmp_path, folder, extra='crypto_policy = "vn"'))
    assert (named.documents_evaluated, named.documents_reused) == (0, DOCUMENTS)


def test_register_changes_are_always_read(tmp_path, folder):
    config = basic_config(tmp_path, folder)
    _audit(config)
    rows = [*ROWS, ("HU-BQ", "151-TB/HU", "2021-03-11", "electronic", "yes", ROWS[-1][5], "same file, new entry")]
    write_register(folder, rows)
    run = _audit(config)
    assert (run.documents_evaluated, run.documents_reused) == (0, DOCUMENTS)
    assert run.report.to_json()["agencies"]["HU-BQ"]["total"] == 3


def test_a_corrupt_cache_record_is_a_miss(tmp_path, folder):
    config = basic_config(tmp_path, folder)
    _audit(config)
    with sqlite3.connect(tmp_path / "state" / "db.sqlite") as db:
        db.execute("UPDATE docaudit_evidence_cache SET evidence_json = '{\"v\": 1, \"evidence\": 42}' "
                   "WHERE rowid = (SELECT min(rowid) FROM docaudit_evidence_cache)")
    run = _audit(config)
    assert (run.documents_evaluated, run.documents_reused) == (1, DOCUMENTS - 1)
    refreshed = _audit(config, refresh=True)
    assert refreshed.documents_evaluated == DOCUMENTS


def test_cli_second_run_evaluates_nothing(tmp_path, folder):
    basic_config(tmp_path, folder, extra='[output]\nformats = ["json"]\ndir = "reports"\nannotations = "none"')
    first = run_cli("audit", "--quiet", cwd=tmp_path)
    assert first.returncode == 1, first.stderr  # the folder misses targets and has error findings
    assert "Traceback" not in first.stderr
    second = run_cli("audit", cwd=tmp_path)
    assert second.returncode == 1 and "Traceback" not in second.stderr, second.stderr
    run = json.loads((tmp_path / "reports" / "docaudit-report.json").read_text(encoding="utf-8"))["run"]
    assert (run["documents_evaluated"], run["documents_reused"]) == (0, DOCUMENTS)
    assert f"đánh giá 0 văn bản, dùng lại {DOCUMENTS}" in second.stderr  # lang = vi (the default)
    for key in ("id", "started", "finished", "tool", "rule_pack", "trust_fingerprint", "config_hash"):
        assert run[key], key
    assert run["tool"]["version"] and run["rule_pack"]["fingerprint"]
    # issue 4: "tool and rule-pack versions" in the run object
    # signatures 4: SIG007's dated crypto policy (3) and SIG011 by the validated path (4)
    assert {p["pack"]: p["version"] for p in run["rule_pack"]["packs"]}["signatures"] == "4"


# --------------------------------------------------------------------------- cached rule findings


def _counting_rules(monkeypatch) -> list[str]:
    """Record the register number of every entry whose document rules are evaluated."""
    from docaudit.rules.engine import RuleEngine

    seen: list[str] = []
    original = RuleEngine.document_findings

    def counting(self, result):
        seen.append(result.entry.number)
        return original(self, result)

    monkeypatch.setattr(RuleEngine, "document_findings", counting)
    return seen


def test_document_rule_findings_are_reused_with_the_evidence(tmp_path, folder, monkeypatch):
    config = basic_config(tmp_path, folder)
    first = _audit(config)
    seen = _counting_rules(monkeypatch)
    second = _audit(config)
    no_file = [row[1] for row in ROWS if row[6] in ("missing", "paper")]  # nothing to cache: rules are cheap
    assert seen == no_file, "an unchanged entry on an unchanged file re-ran its rules"
    assert [e["findings"] for e in second.report.to_json()["entries"]] == [e["findings"] for e in first.report.to_json()["entries"]]

    # one register row changes (its number): only that entry's rules run again, and its
    # findings follow the new row
    rows = [(*ROWS[0][:1], "99/QĐ-UBND", *ROWS[0][2:]), *ROWS[1:]]
    write_register(folder, rows)
    seen.clear()
    third = _audit(config)
    assert sorted(seen) == sorted([*no_file, "99/QĐ-UBND"])
    assert (third.documents_evaluated, third.documents_reused) == (0, DOCUMENTS)
    changed = next(e for e in third.report.to_json()["entries"] if e["number"] == "99/QĐ-UBND")
    before = next(e for e in first.report.to_json()["entries"] if e["number"] == ROWS[0][1])
    assert changed["findings"] != before["findings"]  # the register number no longer matches the document


def test_rule_settings_change_re_runs_the_rules(tmp_path, folder, monkeypatch):
    _audit(basic_config(tmp_path, folder))
    seen = _counting_rules(monkeypatch)
    _audit(basic_config(tmp_path, folder, extra='[rules]\nignore = ["FMT"]'))
    assert len(seen) >= DOCUMENTS


def test_copies_in_one_run_are_each_evaluated(tmp_path, folder):
    """"Reused" means judged by an earlier run: a first run opens every distinct file, even
    when two paths hold the same bytes."""
    copy = "files/ubnd-bq/di/01-qd-ubnd-copy.pdf"
    shutil.copyfile(folder / ROWS[0][5], folder / copy)
    rows = [*ROWS, ("UBND-BQ", "05/QĐ-UBND", "2021-03-01", "electronic", "yes", copy, "copy")]
    write_register(folder, rows)
    first = _audit(basic_config(tmp_path, folder))
    assert (first.documents_evaluated, first.documents_reused) == (DOCUMENTS + 1, 0)
    second = _audit(basic_config(tmp_path, folder))
    assert (second.documents_evaluated, second.documents_reused) == (0, DOCUMENTS + 1)


def test_evidence_from_another_validator_or_pdfium_is_evaluated_again(monkeypatch) -> None:
    """The evidence context fingerprints the code that makes evidence (signatures/ among it: the
    review of later revisions and the visual comparison, issue 17) and the libraries whose answers
    are evidence — PDFium too, which renders the pages the visual comparison compares."""
    from docaudit import incremental

    assert "pypdfium2" in incremental._DEPENDENCIES  # noqa: SLF001
    assert "signatures" in incremental._CODE  # noqa: SLF001
    incremental.code_fingerprint.cache_clear()
    before = incremental.evidence_context()
    real = incremental.metadata.version
    monkeypatch.setattr(incremental.metadata, "version",
                        lambda name: "0.0-other" if name == "pypdfium2" else real(name))
    incremental.code_fingerprint.cache_clear()
    try:
        assert incremental.evidence_context() != before
    finally:
        monkeypatch.undo()
        incremental.code_fingerprint.cache_clear()
    assert incremental.evidence_context() == before
