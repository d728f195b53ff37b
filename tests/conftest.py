"""Shared fixtures: where the conformance corpus and the samples are, and the CI rule that a
missing external corpus is a failure, never a silent skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = Path(os.environ.get("DOCAUDIT_SHARED", REPO.parent / "shared"))
CONFORMANCE = SHARED / "conformance"
IN_CI = os.environ.get("CI", "").lower() == "true"

CONFORMANCE_RESULTS: dict[str, bool] = {}


def require_conformance() -> Path:
    if not (CONFORMANCE / "expected.csv").is_file():
        message = f"conformance corpus not found at {CONFORMANCE} (set DOCAUDIT_SHARED)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return CONFORMANCE


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if CONFORMANCE_RESULTS:
        agree = sum(CONFORMANCE_RESULTS.values())
        terminalreporter.write_line(
            f"conformance: {agree}/{len(CONFORMANCE_RESULTS)} files agree with the expected verdicts"
        )
