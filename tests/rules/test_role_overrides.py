"""Role overrides (docaudit/rules/roles.py): a rule pack or docaudit.toml says whose certificate a
signature is, by subject, issuer or serial; the report, the database and every rule see it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from docaudit.audit import run_audit
from docaudit.check import check_document
from docaudit.config import load_config
from docaudit.errors import ConfigError, RulePackError
from docaudit.rules import RuleEngine, load_rules
from docaudit.rules.schema import pack_files
from docaudit.signatures import ValidationSettings, load_trust

from ..audit.conftest import basic_config, build_folder
from ..cli.helpers import run_cli
from ..conftest import SAMPLES

PERSON_ONLY = SAMPLES / "files" / "ubnd-bq" / "di" / "15-ubnd-vp.pdf"  # one signature: CCCD, "<name> - <unit>"
SERIAL = "6f1c6abb36ab95a7842807a0a08825b7b57357"  # its certificate's serial number
TRUST = SAMPLES / "trust" / "root.pem"
SETTINGS = ValidationSettings(trust=load_trust([TRUST]))


def _engine_with(tmp_path: Path, roles_yaml: str) -> RuleEngine:
    extra = tmp_path / "roles.yaml"
    extra.write_text(f"pack: roles\nroles:\n{roles_yaml}", encoding="utf-8")
    return RuleEngine(load_rules([*pack_files(), extra]))


def _outcome(result, rule_id: str) -> str:
    return next(o.status for o in result.outcomes if o.rule.id == rule_id)


def test_without_overrides_the_certificate_signals_decide() -> None:
    result = check_document(PERSON_ONLY, RuleEngine(), SETTINGS)
    (signature,) = result.evidence.verdict.signatures
    assert signature.role == "person" and "CCCD" in signature.role_basis
    assert (_outcome(result, "SIG001"), _outcome(result, "SIG002")) == ("pass", "fail")


@pytest.mark.parametrize("condition", [
    f'serial: "{SERIAL.upper()}"',                           # hex, any case
    'subject: "nguyễn văn an - ubnd"',                      # searched, any case
    'issuer: "Demo CA phục vụ"\n    subject: "Bắc Quang"',  # every condition must hold
])
def test_a_pack_override_decides_the_role_and_the_rules_follow(tmp_path: Path, condition: str) -> None:
    engine = _engine_with(tmp_path, f'  - role: organisation\n    {condition}\n    note: "seal certificate"\n')
    result = check_document(PERSON_ONLY, engine, SETTINGS)
    (signature,) = result.evidence.verdict.signatures
    assert (signature.role, signature.role_basis) == ("organisation", "override: seal certificate")
    assert (_outcome(result, "SIG001"), _outcome(result, "SIG002")) == ("fail", "pass")


def test_an_override_that_does_not_match_changes_nothing(tmp_path: Path) -> None:
    engine = _engine_with(tmp_path, '  - role: organisation\n    issuer: "Viettel-CA"\n')
    (signature,) = check_document(PERSON_ONLY, engine, SETTINGS).evidence.verdict.signatures
    assert signature.role == "person"
    assert engine.fingerprint != RuleEngine().fingerprint  # the findings cache sees the change


@pytest.mark.parametrize(("roles_yaml", "words"), [
    ('  - role: seal\n    subject: "x"\n', "roles[1].role"),
    ('  - role: person\n    note: "everyone"\n', "at least one of subject, issuer, serial"),
    ('  - role: person\n    subject: "(unclosed"\n', "roles[1].subject: not a valid regular expression"),
    ('  - role: person\n    serial: "xyz"\n', "roles[1].serial"),
    ('  - role: person\n    subjekt: "x"\n', "unknown key 'subjekt'"),
    ('  role: person\n', "expected a list"),
])
def test_a_bad_override_in_a_pack_names_the_file_and_the_key(tmp_path: Path, roles_yaml: str, words: str) -> None:
    with pytest.raises(RulePackError) as refused:
        _engine_with(tmp_path, roles_yaml)
    assert "roles.yaml" in str(refused.value) and words in str(refused.value)


def test_a_bad_override_in_docaudit_toml_exits_2_with_one_line(tmp_path: Path) -> None:
    root = build_folder(tmp_path / "audit")
    config = basic_config(tmp_path, root, extra='\n[[rules.roles]]\nrole = "organisation"\n')
    with pytest.raises(ConfigError, match=r"docaudit.toml: key rules.roles\[1\]: give at least one"):
        load_config(config)
    proc = run_cli("audit", "--config", config)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_config_override_takes_effect_in_the_next_audit(tmp_path: Path) -> None:
    """An override added to docaudit.toml changes the rules' settings, so the next audit judges
    the documents again (issue 4: the rules are part of the cache key), and its roles, findings
    and report follow."""
    root = build_folder(tmp_path / "audit")
    plain = basic_config(tmp_path, root)
    first = run_audit(load_config(plain), today=dt.date(2021, 12, 31))
    assert first.documents_evaluated > 0
    overridden = basic_config(tmp_path, root, extra=(
        '\n[[rules.roles]]\nrole = "person"\nissuer = "Docaudit Demo CA"\nnote = "all demo certificates"\n'))
    second = run_audit(load_config(overridden), today=dt.date(2021, 12, 31))
    assert second.documents_reused == 0
    entry = next(e for e in second.report.to_json()["entries"] if e["number"] == "01/QĐ-UBND")
    assert {s["role"] for s in entry["signatures"]} == {"person"}
    assert {s["role_basis"] for s in entry["signatures"]} == {"override: all demo certificates"}
    assert "SIG002" in {f["rule"] for f in entry["findings"]}
    before = next(e for e in first.report.to_json()["entries"] if e["number"] == "01/QĐ-UBND")
    assert "SIG002" not in {f["rule"] for f in before["findings"]}
    assert json.loads(second.report.to_json_text())  # still plain JSON
