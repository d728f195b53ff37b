"""No dependency warning reaches a user's stderr, and the silencing is precise: only the known
warning from the known module is hidden."""

from __future__ import annotations

import subprocess
import sys

from ..conftest import SAMPLES


def test_check_prints_nothing_on_stderr_even_with_all_warnings_shown() -> None:
    # -W default shows every warning once: the DSA deprecation pyHanko triggers would appear
    proc = subprocess.run(
        [sys.executable, "-W", "default", "-m", "docaudit.cli", "check", "--lang", "en",
         str(SAMPLES / "check" / "sha1-khoa-1024.pdf"), "--trust", str(SAMPLES / "trust" / "root.pem")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""


def test_an_unknown_warning_of_the_same_category_still_shows() -> None:
    code = (
        "import warnings\n"
        "from cryptography.utils import CryptographyDeprecationWarning as W\n"
        "from docaudit.quiet import silence_known_dependency_warnings as s\n"
        "s()\n"
        "warnings.warn('DSA is deprecated', W)\n"  # raised from __main__, not pyHanko: not ours to hide
        "warnings.warn('something else', W)\n"
    )
    proc = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, timeout=60)
    assert "DSA is deprecated" in proc.stderr
    assert "something else" in proc.stderr
