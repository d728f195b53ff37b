"""Confine register paths to the audit root.

A path that is absolute (POSIX, Windows drive or UNC), or that resolves — symlinks included —
outside the audit root is refused *without opening it*: ``os.path.realpath`` only reads links.
Backslashes are read as separators, because registers are often exported on Windows.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_WINDOWS_ABSOLUTE = re.compile(r"^([a-zA-Z]:|[\\/]{2})")


@dataclass(frozen=True)
class Confined:
    path: Path | None
    """The resolved path inside the root; ``None`` when refused."""
    refusal: str | None = None


def confine(root: Path, relative: str) -> Confined:
    text = relative.strip()
    if "\x00" in text:
        return Confined(None, "path contains a NUL byte")
    if text.startswith("/") or _WINDOWS_ABSOLUTE.match(text):
        return Confined(None, f"absolute path '{relative}' is not allowed; paths are relative to the audit root")
    text = text.replace("\\", "/")
    real_root = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(real_root, text))
    if candidate != real_root and not candidate.startswith(real_root.rstrip(os.sep) + os.sep):
        return Confined(None, f"'{relative}' resolves outside the audit root")
    return Confined(Path(candidate))
