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

from ..text import Message, message

_WINDOWS_ABSOLUTE = re.compile(r"^([a-zA-Z]:|[\\/]{2})")


@dataclass(frozen=True)
class Confined:
    path: Path | None
    """The resolved path inside the root; ``None`` when refused."""
    refusal: Message | None = None


def _refusal(text: str, relative: str) -> Message | None:
    """Why the stripped register path ``text`` is refused before anything is resolved, if it is."""
    if "\x00" in text:
        return message("evidence.nul-byte")
    if text.startswith("/") or _WINDOWS_ABSOLUTE.match(text):
        return message("evidence.absolute-path", path=relative)
    return None


def confine(root: Path, relative: str) -> Confined:
    text = relative.strip()
    refusal = _refusal(text, relative)
    if refusal is not None:
        return Confined(None, refusal)
    text = text.replace("\\", "/")
    real_root = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(real_root, text))
    if not _inside(candidate, real_root):
        return Confined(None, message("evidence.outside-root", path=relative))
    return Confined(Path(candidate))


def _inside(candidate: str, real_root: str) -> bool:
    return candidate == real_root or candidate.startswith(real_root.rstrip(os.sep) + os.sep)


class Confiner:
    """``confine(root, name).path`` as a string, for many names under one root: the root and each
    folder are resolved once, not once per file. ``os.path.realpath`` reads every component of a
    path (an ``lstat`` each, in Python); an incremental audit that reads no file spent most of its
    look-up time there. Resolving a path's folder and then its last component is what
    ``realpath`` itself does, left to right, so the answer is the same (tests/evidence)."""

    def __init__(self, root: Path) -> None:
        self.real_root = os.path.realpath(root)
        self._folders: dict[str, str] = {}

    def path(self, relative: str) -> str | None:
        """The resolved path inside the root, or ``None`` when ``confine`` refuses it."""
        text = relative.strip()
        if _refusal(text, relative) is not None:
            return None
        text = text.replace("\\", "/")
        folder, leaf = os.path.split(text)
        if leaf in ("", ".", ".."):
            candidate = os.path.realpath(os.path.join(self.real_root, text))
        else:
            real_folder = self._folders.get(folder)
            if real_folder is None:
                real_folder = self._folders[folder] = os.path.realpath(os.path.join(self.real_root, folder))
            candidate = os.path.join(real_folder, leaf)
            if os.path.islink(candidate):
                candidate = os.path.realpath(candidate)
        return candidate if _inside(candidate, self.real_root) else None
