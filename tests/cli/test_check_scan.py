"""`docaudit check` on a scan with no text layer says so, instead of a bare "–" on every format rule."""

from __future__ import annotations

from ..conftest import SAMPLES
from .helpers import run_cli

SCAN = SAMPLES / "files" / "ubnd-bq" / "den" / "12-sxd-qlxd-scan.pdf"
TEXT = SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"


def test_an_image_only_scan_is_named_as_such():
    proc = run_cli("check", SCAN, "--direction", "incoming", "--lang", "en")
    assert "scan with no text layer" in proc.stdout, proc.stdout + proc.stderr
    vi = run_cli("check", SCAN, "--direction", "incoming")
    assert "Bản quét" in vi.stdout and "không có lớp văn bản" in vi.stdout


def test_a_document_with_text_is_not_called_a_scan():
    proc = run_cli("check", TEXT, "--lang", "en")
    assert proc.returncode in (0, 1) and "no text layer" not in proc.stdout
