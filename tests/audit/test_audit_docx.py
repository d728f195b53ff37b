"""The DOCX báo cáo from the command line with docaudit.toml's ``[report]``: ``audit`` writes it as a
configured output, ``scan`` and ``report`` read the section of ./docaudit.toml (or ``--config``), and
what they write passes ``docaudit check``."""

from __future__ import annotations

import io
import json

import docx

from ..cli.helpers import run_cli
from .conftest import TRUST

CONFIG = """\
period = "2021"
trust = ["{trust}"]
lang = "{lang}"

[[source]]
root = "audit"

[output]
dir = "reports"
formats = ["docx"]

[report]
parent_agency = "UBND tỉnh Hà Giang"
agency = "Ủy ban nhân dân huyện Bắc Quang"
number = "15/BC-UBND"
place = "Bắc Quang"
recipients = ["UBND tỉnh Hà Giang", "Sở Nội vụ"]
authority = ["TM. Ủy ban nhân dân", "KT. Chủ tịch"]
position = "Phó Chủ tịch"
signer = "Nguyễn Văn An"
"""


def _text(path) -> str:
    """Every line of the document, its tables' cells included, in reading order."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    body = document.element.body
    lines = []
    for child in body.iterchildren():
        if child.tag.endswith("}tbl"):
            table = next(t for t in document.tables if t._tbl is child)
            lines += [c.text for row in table.rows for c in row.cells]
        elif child.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
    return "\n".join(lines)


def test_audit_scan_and_report_write_a_docx_that_passes_check(tmp_path, folder):
    (tmp_path / "docaudit.toml").write_text(CONFIG.format(trust=TRUST, lang="en"), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    audited = run_cli("audit", "--db", db, "--quiet", "--exit-zero", cwd=tmp_path)
    assert audited.returncode == 0 and audited.stderr == "", audited.stderr
    scanned = run_cli("scan", "audit", "--no-db", "--period", "2021", "--format", "docx", "--output", "scan.docx",
                      cwd=tmp_path)
    assert scanned.returncode == 0 and "Traceback" not in scanned.stderr, scanned.stderr
    (tmp_path / "elsewhere").mkdir()
    rendered = run_cli("report", "--db", db, "--format", "docx", "--output", "report.docx",
                       "--config", tmp_path / "docaudit.toml", cwd=tmp_path / "elsewhere")
    assert rendered.returncode == 0 and rendered.stderr == "", rendered.stderr
    files = [tmp_path / "reports" / "docaudit-report.docx", tmp_path / "scan.docx",
             tmp_path / "elsewhere" / "report.docx"]

    for path in files:
        text = _text(path)
        assert "UBND TỈNH HÀ GIANG\nỦY BAN NHÂN DÂN HUYỆN BẮC QUANG" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in text
        assert "Số: 15/BC-UBND\nBắc Quang, ngày " in text
        assert "\nBÁO CÁO\n" in text
        assert "Nơi nhận:\n- UBND tỉnh Hà Giang;\n- Sở Nội vụ;\n- Lưu: VT." in text
        assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n" in text and text.rstrip().endswith("Nguyễn Văn An")
    assert "I. SUMMARY" in _text(files[0])          # lang = "en" in the config: the content is English
    assert "I. KẾT QUẢ CHUNG" in _text(files[1])    # scan's --lang (default vi)

    checked = run_cli("check", *files, "--format", "json", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    documents = json.loads(checked.stdout)["documents"]
    assert [d["findings"] for d in documents] == [[], [], []]


def test_without_a_config_scan_writes_the_placeholders(tmp_path, folder):
    proc = run_cli("scan", folder, "--no-db", "--format", "docx", "--output", tmp_path / "mau.docx", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    text = _text(tmp_path / "mau.docx")
    assert "TÊN CƠ QUAN, TỔ CHỨC" in text and "Số: …/BC-…\n……, ngày " in text
    assert "Nơi nhận:\n- ……;\n- Lưu: VT." in text and "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ" in text
