"""The external conformance corpus (EU DSS and pyHanko test files, verdicts from their test code).

`invalid` files must come out `invalid`, `not-invalid` files must not be `invalid` (without trust
they are `indeterminate`, or `valid` where the pyHanko test CA is given), `unsigned` stays
`unsigned`. Files where pyHanko's machinery disagrees are strict xfails with the precise reason,
so that fixing one turns the suite red until the mark is removed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from docaudit.evidence import inspect_bytes
from docaudit.signatures import TrustStore, ValidationSettings, load_trust

from ..conftest import CONFORMANCE, CONFORMANCE_RESULTS, require_conformance

# files where docaudit disagrees with the expected verdict, as strict xfails with the precise
# reason: none (DSS-3577.pdf and pades-tst-with-sig-type.pdf are classified by docaudit where
# pyHanko's diff policy rejects them, replace.pdf is caught by the visual comparison: issue 17)
KNOWN_DISAGREEMENTS: dict[str, str] = {}


def _rows() -> list[dict[str, str]]:
    path = CONFORMANCE / "expected.csv"
    if not path.is_file():
        return [{"file": "<missing corpus>", "expected": "", "trust": ""}]
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _params():
    for row in _rows():
        name = Path(row["file"]).name
        marks = []
        if name in KNOWN_DISAGREEMENTS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DISAGREEMENTS[name]))
        yield pytest.param(row, id=name, marks=marks)


@pytest.mark.conformance
@pytest.mark.parametrize("row", list(_params()))
def test_conformance_verdict(row: dict[str, str]) -> None:
    root = require_conformance()
    trust = load_trust([root / row["trust"]]) if row["trust"] else TrustStore()
    evidence = inspect_bytes(row["file"], (root / row["file"]).read_bytes(), ValidationSettings(trust=trust))
    verdict = evidence.verdict.verdict.value if evidence.verdict else None
    expected = row["expected"]
    if expected == "invalid":
        agrees = verdict == "invalid"
    elif expected == "unsigned":
        agrees = verdict == "unsigned"
    else:
        agrees = verdict in ("valid", "indeterminate")
    CONFORMANCE_RESULTS[row["file"]] = agrees
    assert agrees, f"{row['file']}: expected {expected}, got {verdict} ({evidence.status.value}: {evidence.reason})"
    if row["trust"] and expected == "not-invalid":
        # with the pyHanko test CA given, these signatures are fully valid at their signing time
        assert verdict == "valid", [s.reasons for s in evidence.verdict.signatures]
