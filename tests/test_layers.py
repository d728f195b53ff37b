"""The layers hold: import-linter's contract (pyproject.toml, [tool.importlinter]) is kept, so no
module imports a layer above its own (model < register/evidence/signatures/rules < metrics <
pipeline < store/report < outputs/config < scan < audit/check/history < commands)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def test_the_layer_contract_is_kept() -> None:
    script = Path(sys.executable).parent / ("lint-imports.exe" if sys.platform == "win32" else "lint-imports")
    proc = subprocess.run([str(script), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 kept, 0 broken" in proc.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract really checks: the model importing the store (a layer far above) is named."""
    import shutil

    shutil.copytree(REPO / "docaudit", tmp_path / "docaudit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "docaudit" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nfrom . import store  # noqa\n", encoding="utf-8")
    script = Path(sys.executable).parent / ("lint-imports.exe" if sys.platform == "win32" else "lint-imports")
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run([str(script), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode != 0
    assert "docaudit.model -> docaudit.store" in proc.stdout
