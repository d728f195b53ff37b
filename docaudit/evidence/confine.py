"""Confine register paths to the audit root.

A path that is absolute (POSIX, Windows drive, UNC or rooted ``\\x``), or that resolves — symlinks
included — outside the audit root is refused *without opening it*: resolving only reads links.
Backslashes are read as separators, because registers are often exported on Windows.

A name that is not on disk as written is looked for in its other Unicode form (:mod:`.names`):
one folder at a time, each folder resolved and checked to be inside the root before its names
are read, and the path found is then resolved and confined exactly as a name written that way.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..text import Message, message
from .names import Listing, lookalike, other_form

_WINDOWS_ABSOLUTE = re.compile(r"^([a-zA-Z]:|[\\/]{2})")


@dataclass(frozen=True)
class Confined:
    path: Path | None
    """The resolved path inside the root; ``None`` when refused."""
    refusal: Message | None = None
    missing: Message | None = None
    """Why nothing is at ``path``, when a name there only looks like the register's."""


def _refusal(text: str, relative: str) -> Message | None:
    """Why the stripped register path ``text`` is refused before anything is resolved, if it is."""
    if "\x00" in text:
        return message("evidence.nul-byte")
    if text.startswith(("/", "\\")) or _WINDOWS_ABSOLUTE.match(text):
        return message("evidence.absolute-path", path=relative)
    return None


def confine(root: Path, relative: str) -> Confined:
    text = relative.strip()
    refusal = _refusal(text, relative)
    if refusal is not None:
        return Confined(None, refusal)
    text = text.replace("\\", "/")
    real_root = realpath(root)
    candidate = realpath(os.path.join(real_root, text))
    if not _inside(candidate, real_root):
        return Confined(None, message("evidence.outside-root", path=relative))
    if os.path.lexists(candidate):
        return Confined(Path(candidate))
    found = _in_another_form(real_root, text)
    if isinstance(found, str):
        if not _inside(found, real_root):
            return Confined(None, message("evidence.outside-root", path=relative))
        return Confined(Path(found))
    return Confined(Path(candidate), missing=found)


def _in_another_form(real_root: str, text: str, listing: Listing | None = None) -> str | Message | None:
    """The resolved path ``text`` names in another Unicode form (not yet known to be inside the
    root); else why it is missing when a name only looks like one of its names, else ``None``.

    Walks ``text`` one name at a time from the root, resolving as :func:`realpath` does. A name is
    looked for in another form only in a folder that is resolved and inside the root: no folder
    outside the root is listed."""
    folder, changed = real_root, False
    for name in text.split("/"):
        if name in ("", "."):
            continue
        if name != ".." and _inside(folder, real_root) and not os.path.lexists(os.path.join(folder, name)):
            match = other_form(folder, name, listing)
            if match is None:
                near = lookalike(folder, name) if listing is None else None  # a message, not a scan's look-up
                if near is None:
                    return None
                return message("evidence.lookalike-name", existing=near[0], differences=near[1])
            name, changed = match, True
        folder = realpath(os.path.join(folder, name))
    return folder if changed else None


def _posix_realpath(path: str) -> str:
    """``path`` resolved as the system resolves it: left to right, each symbolic link replaced by
    its target before the next component, so ``..`` goes up from where a link really points.

    This is ``os.path.realpath(path)`` of Python 3.13. Before 3.13, a symbolic-link loop made
    ``realpath`` stop and hand back the rest of the path unresolved, and ``abspath`` then
    collapsed it as text: ``loop/../outlink/secret`` came out as ``<root>/outlink/secret``, an
    "inside" answer for a file outside the root. Here a link that loops, like a component that
    does not exist or cannot be read, is kept as a plain name (the system cannot open a path
    through it) and resolving goes on: every existing link in the answer is resolved."""
    rest: list[str | None] = list(reversed(path.split("/")))  # still to resolve, the next one last
    unresolved = len(rest)  # components in ``rest``, not counting its markers (None)
    resolving: list[str] = []  # the links whose targets are being resolved, innermost last
    resolved = "/" if path.startswith("/") else os.getcwd()
    links: dict[str, str | None] = {}  # link → its resolved target; None while being resolved
    while unresolved:
        name = rest.pop()
        if name is None:  # a marker: the innermost link's target is resolved
            links[resolving.pop()] = resolved
            continue
        unresolved -= 1
        if name in ("", "."):
            continue
        if name == "..":
            resolved = resolved[:resolved.rindex("/")] or "/"
            continue
        candidate = resolved + name if resolved == "/" else resolved + "/" + name
        try:
            if not stat.S_ISLNK(os.lstat(candidate).st_mode):
                resolved = candidate
                continue
            if candidate in links:  # resolved before, or a loop (None)
                resolved = links[candidate] or candidate
                continue
            target = os.readlink(candidate)
        except (OSError, ValueError):  # missing, unreadable, a loop below, an unencodable name
            resolved = candidate
            continue
        if target.startswith("/"):
            resolved = "/"
        links[candidate] = None
        resolving.append(candidate)
        rest.append(None)
        parts = target.split("/")
        rest.extend(reversed(parts))
        unresolved += len(parts)
    return resolved


def realpath(path: str | os.PathLike[str]) -> str:
    """``path`` with every symbolic link resolved, as the system resolves it.

    Windows itself removes ``..`` as text before it follows links, and ``ntpath.realpath``
    does the same, so there it is the answer."""
    if os.name == "nt":
        return os.path.realpath(path)
    return _posix_realpath(os.fspath(path))


def _inside(candidate: str, real_root: str) -> bool:
    return candidate == real_root or candidate.startswith(real_root.rstrip(os.sep) + os.sep)


class Confiner:
    """``confine(root, name).path`` as a string, for many names under one root: the root and each
    folder are resolved once, not once per file. ``os.path.realpath`` reads every component of a
    path (an ``lstat`` each, in Python); an incremental audit that reads no file spent most of its
    look-up time there. Resolving a path's folder and then its last component is what
    ``realpath`` itself does, left to right, so the answer is the same (tests/evidence)."""

    def __init__(self, root: Path) -> None:
        self.real_root = realpath(root)
        self._folders: dict[str, str] = {}
        self._listing: Listing = {}

    def path(self, relative: str) -> str | None:
        """The resolved path inside the root, or ``None`` when ``confine`` refuses it."""
        text = relative.strip()
        if _refusal(text, relative) is not None:
            return None
        text = text.replace("\\", "/")
        folder, leaf = os.path.split(text)
        if leaf in ("", ".", ".."):
            candidate = realpath(os.path.join(self.real_root, text))
        else:
            real_folder = self._folders.get(folder)
            if real_folder is None:
                real_folder = self._folders[folder] = realpath(os.path.join(self.real_root, folder))
            candidate = os.path.join(real_folder, leaf)
            if os.path.islink(candidate):
                candidate = realpath(candidate)
        if _inside(candidate, self.real_root) and not os.path.lexists(candidate):
            found = _in_another_form(self.real_root, text, self._listing)
            if isinstance(found, str):
                candidate = found
        return candidate if _inside(candidate, self.real_root) else None
