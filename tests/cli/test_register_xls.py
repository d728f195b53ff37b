"""An old Excel ``.xls`` register is refused with how to convert it, also when it is the only
register in the audit folder."""

from __future__ import annotations

import pytest

from docaudit.errors import RegisterError
from docaudit.register import find_register, read_register

from .helpers import run_cli

HOW = ("Save As", "soffice --headless --convert-to xlsx")


def test_reading_an_xls_register_says_how_to_convert_it(tmp_path):
    path = tmp_path / "sổ văn bản.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # an OLE2 (Excel 97-2003) header
    with pytest.raises(RegisterError) as info:
        read_register(path)
    text = str(info.value)
    assert "\n" not in text and str(path) in text and all(h in text for h in HOW)
    assert '--convert-to xlsx "sổ văn bản.xls"' in text


def test_a_folder_holding_only_register_xls_says_so(tmp_path):
    (tmp_path / "register.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(RegisterError) as info:
        find_register(tmp_path)
    text = str(info.value)
    assert "no register found" not in text
    assert str(tmp_path / "register.xls") in text and all(h in text for h in HOW)
    proc = run_cli("scan", tmp_path, "--no-db")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "register.xls" in lines[0] and "soffice" in lines[0]
