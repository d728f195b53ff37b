"""Target packs: the default is exactly the contract's; malformed packs name the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from docaudit.errors import RulePackError
from docaudit.targets import load_targets


def test_default_pack_is_the_contract() -> None:
    pack = load_targets()
    assert pack.as_json() == {"via_software": {"op": ">", "threshold": 0.9}, "paperless": {"op": ">", "threshold": 0.8}}


def test_named_pack() -> None:
    assert load_targets("nd307-xa").via_software.threshold == pytest.approx(0.7)


@pytest.mark.parametrize(
    "text, words",
    [
        ("targets: {via_software: {op: '>', threshold: 0.9}}", "targets.paperless is missing"),
        ("targets: {via_software: {op: '~', threshold: 0.9}, paperless: {threshold: 0.8}}", "targets.via_software.op"),
        ("targets: {via_software: {threshold: 90}, paperless: {threshold: 0.8}}", "threshold"),
        ("targets: {via_software: {threshold: 0.9}, paperless: {threshold: 0.8, colour: red}}", "unknown key 'colour'"),
        ("bogus: 1\ntargets: {}", "unknown key 'bogus'"),
        ("[1, 2", "cannot be read"),
    ],
)
def test_bad_packs(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(text)
    with pytest.raises(RulePackError, match=words) as info:
        load_targets(str(path))
    assert str(path) in str(info.value)


def test_unknown_pack_name_lists_the_known_ones() -> None:
    with pytest.raises(RulePackError, match="known: default"):
        load_targets("nope")
