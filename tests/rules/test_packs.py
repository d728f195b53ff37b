"""Rule packs are data, validated on load; selection works like ruff's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docaudit.errors import RulePackError, UsageError
from docaudit.rules import RuleEngine, RuleSelection, load_rules
from docaudit.rules.schema import pack_files
from docaudit.rules_data import rules_dir

from ..cli.helpers import run_cli

GOOD_RULE = """
pack: test
rules:
  SIG901:
    title: {vi: "Thử", en: "Test"}
    severity: warning
    reference: "NĐ 30/2020/NĐ-CP"
    evaluator: person_signature
"""


def test_every_shipped_rule_is_complete() -> None:
    pack = load_rules()
    assert len(pack.rules) >= 25
    for rule in pack.rules:
        assert rule.title["vi"] and rule.title["en"] and rule.remediation["vi"] and rule.reference
        assert rule.id[:3] in ("SIG", "FMT", "NUM", "SEC")
    required = {"SIG001", "SIG002", "SIG003", "SIG004", "SIG005", "SIG006", "SIG007", "SIG008", "SIG009",
                "SIG010", "SIG011", "FMT001", "FMT002", "FMT003", "FMT004", "FMT005", "FMT006", "FMT007",
                "FMT008", "FMT009", "FMT010", "NUM001", "NUM002", "NUM003", "NUM004", "NUM005", "NUM006"}
    assert required <= {r.id for r in pack.rules}
    assert pack.get("SIG002").severity["outgoing"].value == "error"
    assert pack.get("SIG002").severity["incoming"].value == "warning"


@pytest.mark.parametrize(
    "mutation, words",
    [
        (("severity: warning", "severity: fatal"), "rules.SIG901.severity: 'fatal'"),
        (("evaluator: person_signature", "evaluator: no_such_thing"), "rules.SIG901.evaluator: unknown evaluator"),
        (("    reference:", "    colour: red\n    reference:"), "rules.SIG901: unknown key 'colour'"),
        (("SIG901", "XYZ901"), "rule id 'XYZ901'"),
        (("pack: test", "pack: test\nbogus: 1"), "unknown key 'bogus'"),
        (("title: {vi: \"Thử\", en: \"Test\"}", "title: Thử"), "rules.SIG901.title"),
    ],
)
def test_bad_packs_name_the_file_and_key(tmp_path: Path, mutation, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD_RULE.replace(*mutation), encoding="utf-8")
    with pytest.raises(RulePackError, match=words.replace("(", r"\(").replace(")", r"\)")) as info:
        load_rules([path])
    assert str(path) in str(info.value)


def test_duplicate_rule_ids_across_packs(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(GOOD_RULE, encoding="utf-8")
    with pytest.raises(RulePackError, match="also defined"):
        load_rules(sorted(tmp_path.glob("*.yaml")))


def test_bad_pack_through_the_cli_exits_2(tmp_path: Path) -> None:
    custom = tmp_path / "rules"
    shutil.copytree(rules_dir(), custom)
    (custom / "extra.yaml").write_text(GOOD_RULE.replace("severity: warning", "severity: fatal"), encoding="utf-8")
    sample = Path(__file__).resolve().parents[2] / "samples" / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"
    proc = run_cli("check", sample, env={"DOCAUDIT_RULES_DIR": str(custom)})
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "extra.yaml" in proc.stderr and "severity" in proc.stderr


def _ids(selection: RuleSelection) -> set[str]:
    return {r.id for r in RuleEngine(selection=selection).rules}


def test_selection_most_specific_wins() -> None:
    everything = _ids(RuleSelection())
    assert _ids(RuleSelection(select=("SIG",))) == {i for i in everything if i.startswith("SIG")}
    assert _ids(RuleSelection(select=("SIG", "FMT001"))) == {i for i in everything if i.startswith("SIG")} | {"FMT001"}
    assert "FMT002" not in _ids(RuleSelection(ignore=("FMT002",)))
    # a specific select beats a broader ignore
    assert _ids(RuleSelection(select=("SIG001",), ignore=("SIG",))) == {"SIG001"}
    assert _ids(RuleSelection(select=("FMT",), ignore=("FMT00",))) == {i for i in everything if i.startswith("FMT01")}


def test_unknown_selector_and_override_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="XYZ"):
        RuleEngine(selection=RuleSelection(select=("XYZ",)))
    with pytest.raises(UsageError, match="SIG001"):
        RuleEngine(selection=RuleSelection(severity={"SIG001": "fatal"}))


def test_severity_override_and_params() -> None:
    engine = RuleEngine(selection=RuleSelection(severity={"SIG009": "warning"}, params={"SIG004": {"tolerance": 0.3}}))
    rules = {r.id: r for r in engine.rules}
    assert rules["SIG009"].severity["outgoing"].value == "warning"
    assert rules["SIG004"].params["tolerance"] == 0.3


def test_pack_files_skip_target_packs() -> None:
    assert all("targets" not in p.parts for p in pack_files())
