"""`docaudit check` on documents typed in TCVN3 (.VnTime) and VNI fonts: the text rules read them as
Unicode, and FMT010 reports the legacy encoding itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..testkit.documents import LEGACY_TCVN3_DECISION, LEGACY_VNI_DECISION, render_legacy_docx, render_legacy_pdf
from .helpers import run_cli


@pytest.mark.parametrize("name, data, encoding", [
    ("qd-tcvn3.pdf", lambda: render_legacy_pdf(LEGACY_TCVN3_DECISION), "TCVN3 (ABC)"),
    ("qd-vni.docx", lambda: render_legacy_docx(LEGACY_VNI_DECISION), "VNI"),
], ids=["tcvn3-pdf", "vni-docx"])
def test_check_reports_the_legacy_encoding_and_passes_the_national_title(tmp_path: Path, name, data, encoding) -> None:
    path = tmp_path / name
    path.write_bytes(data())
    proc = run_cli("check", path, "--format", "json", "--lang", "en")
    document = json.loads(proc.stdout)["documents"][0]
    checklist = {item["rule"]: item["status"] for item in document["checklist"]}
    assert checklist["FMT001"] == "pass" and checklist["FMT002"] == "pass" and checklist["FMT010"] == "fail"
    legacy = [f for f in document["findings"] if f["rule"] == "FMT010"]
    assert len(legacy) == 1 and legacy[0]["severity"] == "error" and encoding in legacy[0]["message"]
    assert legacy[0]["reference"].startswith("NĐ 30/2020/NĐ-CP")
    assert not [f for f in document["findings"] if f["rule"] == "FMT001"]
    # the clerk's checklist, in Vietnamese
    text = run_cli("check", path).stdout
    assert "│ FMT010  │ ✗ " in text and "Văn bản dùng bộ mã Unicode (TCVN" in text and "Văn bản gõ bằng bộ mã" in text
    assert "│ FMT001  │ ✓ " in text
