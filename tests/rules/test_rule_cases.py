"""Rule tests as data (sqlfluff style): tests/rules/cases/<RULE>.yaml lists named pass and fail
cases; each builds a document with tests.testkit and checks the rule's outcome on it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docaudit.evidence import inspect_bytes
from docaudit.model import Direction
from docaudit.rules import RuleEngine, RuleSelection
from docaudit.signatures import ValidationSettings, load_trust

from .builders import build, trust_pem

CASES = Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['name']}")


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> ValidationSettings:
    root = tmp_path_factory.mktemp("trust") / "root.pem"
    root.write_bytes(trust_pem())
    return ValidationSettings(load_trust([root]))


@pytest.mark.parametrize("rule_id, case", list(_cases()))
def test_rule_case(rule_id: str, case: dict, settings: ValidationSettings) -> None:
    data, name = build(case)
    evidence = inspect_bytes(name, data, settings)
    engine = RuleEngine(selection=RuleSelection(select=(rule_id,)))
    outcomes = {o.rule.id: o for o in engine.check(evidence, None, Direction(case.get("direction", "outgoing")))}
    outcome = outcomes[rule_id]
    expect = case["expect"]
    if expect in ("pass", "na"):
        assert outcome.status == expect, [f.message_en for f in outcome.findings]
    else:
        assert outcome.status == "fail", f"{rule_id} did not fire ({outcome.status})"
        assert {f.severity.value for f in outcome.findings} == {expect}
        for words in case.get("message_contains", []):
            assert any(words in f.message_en for f in outcome.findings), [f.message_en for f in outcome.findings]
