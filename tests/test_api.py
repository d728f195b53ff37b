"""The library's entry points are reachable from the package root, and importing docaudit alone
loads none of the heavy libraries (a tool that imports it to read __version__ stays fast)."""

from __future__ import annotations

import subprocess
import sys


def test_the_entry_points_are_at_the_root() -> None:
    import docaudit
    from docaudit.audit import run_audit
    from docaudit.pipeline.report import AuditReport

    assert docaudit.run_audit is run_audit and docaudit.AuditReport is AuditReport
    assert callable(docaudit.check_document) and callable(docaudit.load_config)


def test_import_docaudit_loads_no_heavy_library() -> None:
    code = ("import sys, docaudit; print(sorted(m for m in ('sqlalchemy', 'pyhanko', 'pypdf', 'pypdfium2', 'docx')"
            " if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
