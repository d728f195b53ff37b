"""Cross-check with poppler's pdfsig: wherever pdfsig reports a digest mismatch, docaudit must
say `invalid`. `make test` installs poppler-utils where it can; in CI a missing pdfsig fails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from docaudit.evidence import inspect_bytes
from docaudit.signatures import ValidationSettings, load_trust

from ..conftest import CONFORMANCE, IN_CI, SAMPLES


def _pdfsig() -> str:
    path = shutil.which("pdfsig")
    if path is None:
        message = "pdfsig (Debian package poppler-utils) is not installed; run `make tools`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _digest_mismatch(pdfsig: str, path: Path) -> bool:
    proc = subprocess.run([pdfsig, "-nocert", str(path)], capture_output=True, text=True, timeout=60)
    return "Digest Mismatch" in proc.stdout


def _pdfs() -> list[Path]:
    files = sorted(SAMPLES.glob("files/**/*.pdf"))
    if CONFORMANCE.is_dir():
        files += sorted(CONFORMANCE.glob("pdf/**/*.pdf"))
    return files


def test_pdfsig_digest_mismatch_means_invalid() -> None:
    pdfsig = _pdfsig()
    settings = ValidationSettings(load_trust([SAMPLES / "trust" / "root.pem"]))
    mismatches = []
    for path in _pdfs():
        if _digest_mismatch(pdfsig, path):
            evidence = inspect_bytes(path.name, path.read_bytes(), settings)
            verdict = evidence.verdict.verdict.value if evidence.verdict else None
            mismatches.append((path.name, verdict))
    # the tampered sample must be among them: the cross-check really compares something
    assert any(name == "03-qd-ubnd.pdf" for name, _ in mismatches), mismatches
    assert all(verdict == "invalid" for _, verdict in mismatches), mismatches
