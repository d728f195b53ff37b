from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(*args: str | Path, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real console entry point in a subprocess: real exit codes, real stdout/stderr."""
    import os

    full_env = {**os.environ, "DOCAUDIT_DB": "", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "docaudit.cli", *map(str, args)],
        capture_output=True, text=True, env=full_env, cwd=cwd, timeout=300,
    )
