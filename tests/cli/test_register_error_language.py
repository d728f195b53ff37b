"""A register that cannot be read stops the run with one line on stderr (exit 2) in the user's
language: ``--lang``, or ``lang`` in docaudit.toml for ``audit``; when none was chosen, Vietnamese
then English. ``str()`` of the error stays the English line (logs, the library)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docaudit.errors import RegisterError
from docaudit.register import read_register

from .helpers import run_cli

NO_CHANNEL = "agency,direction,number,date\nA,đi,1,2021-01-01\n"  # channel and via_system missing


def _line(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    assert lines[0].startswith("docaudit: error: ")
    return lines[0]


def _folder(tmp_path: Path, text: str = NO_CHANNEL, name: str = "register.csv") -> Path:
    root = tmp_path / "audit"
    root.mkdir(exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")
    return root


VI_HEADER = "thiếu cột bắt buộc: hình thức (channel), qua phần mềm (via_system)"
EN_HEADER = "missing required column(s): channel (hình thức), via_system (qua phần mềm)"


def test_a_header_error_is_said_in_the_language_of_lang(tmp_path):
    root = _folder(tmp_path)
    vi = _line(run_cli("scan", root, "--no-db", "--lang", "vi"))
    assert VI_HEADER in vi and "dòng tiêu đề có lẽ là dòng 1" in vi and "missing" not in vi
    en = _line(run_cli("scan", root, "--no-db", "--lang", "en"))
    assert EN_HEADER in en and "the header is most likely row 1" in en and "thiếu" not in en
    # nothing chosen: Vietnamese (the default language), then English
    both = _line(run_cli("scan", root, "--no-db"))
    assert both.index(VI_HEADER) < both.index(" | ") < both.index(EN_HEADER)


@pytest.mark.parametrize("name, text, vi, en", [
    ("register.csv", "", "tệp sổ đăng ký rỗng", "register file is empty"),
    ("register.csv", "\n\n", "tệp sổ đăng ký rỗng", "register file is empty"),
    ("register.csv", "agency,direction,number,date,ngày,channel,via_system\n",
     "hai cột 'date' và 'ngày' cùng là cột ngày", "columns 'date' and 'ngày' both name the date column"),
    ("register.json", "{not json", "JSON không hợp lệ", "invalid JSON"),
    ("register.json", '{"a": 1}', "sổ JSON phải là một danh sách đối tượng", "JSON register must be a list of objects"),
    ("register.json", "[1]", "phần tử 1 là một số", "item 1 is a number"),
    ("register.xlsx", "not a workbook", "không phải sổ .xlsx đọc được", "not a readable .xlsx workbook"),
])
def test_other_register_errors_are_said_in_either_language(tmp_path, name, text, vi, en):
    root = _folder(tmp_path, text, name)
    line = _line(run_cli("scan", root, "--no-db", "--lang", "vi"))
    assert vi in line and name in line
    with pytest.raises(RegisterError) as caught:
        read_register(root / name)
    assert en in str(caught.value) and caught.value.text("vi") in line


def test_a_folder_without_a_register_and_an_xls_register(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()
    line = _line(run_cli("scan", root, "--no-db", "--lang", "vi"))
    assert "không tìm thấy sổ đăng ký (cần một trong các tệp register.csv, register.xlsx, register.json)" in line
    (root / "register.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    line = _line(run_cli("scan", root, "--no-db", "--lang", "vi"))
    assert "hãy lưu lại thành .xlsx" in line and 'soffice --headless --convert-to xlsx "register.xls"' in line
    line = _line(run_cli("scan", root, "--no-db", "--lang", "en", "--register", root / "so.ods"))
    assert "so.ods: unsupported register format '.ods' (expected .csv, .xlsx or .json)" in line


def test_audit_says_it_in_the_configs_language_naming_the_key(tmp_path):
    _folder(tmp_path)
    config = tmp_path / "docaudit.toml"
    config.write_text('lang = "vi"\n\n[[source]]\nroot = "audit"\n', encoding="utf-8")
    line = _line(run_cli("audit", "--no-db", cwd=tmp_path))
    assert f"{config}: khóa 'source[1].root': " in line and VI_HEADER in line and "missing" not in line
    line = _line(run_cli("audit", "--no-db", "--lang", "en", cwd=tmp_path))  # the command line wins
    assert f"{config}: key 'source[1].root': " in line and EN_HEADER in line and "thiếu" not in line
    config.write_text('lang = "en"\n\n[[source]]\nroot = "audit"\n', encoding="utf-8")
    line = _line(run_cli("audit", "--no-db", cwd=tmp_path))
    assert EN_HEADER in line and "thiếu" not in line
    # an audit of one folder, without a config file, takes --lang as scan does
    line = _line(run_cli("audit", tmp_path / "audit", "--no-db", "--lang", "vi", cwd=tmp_path / "audit"))
    assert VI_HEADER in line and "missing" not in line
