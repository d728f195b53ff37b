"""``Confiner`` (many names under one root, folders resolved once) answers exactly as ``confine``,
and both answer as the system resolves a path: symbolic links first, then ``..``."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from docaudit.evidence.confine import Confiner, confine, realpath

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the tree needs POSIX symbolic links")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A root with folders, files, and symbolic links of every kind: inside, outside, to a
    folder, to a parent, dangling, and a loop."""
    base = tmp_path_factory.mktemp("confiner")
    root = base / "audit"
    (root / "files" / "sub").mkdir(parents=True)
    (root / "files" / "a.pdf").write_bytes(b"a")
    (root / "files" / "sub" / "b.pdf").write_bytes(b"b")
    (base / "outside").mkdir()
    (base / "outside" / "a.pdf").write_bytes(b"secret")
    os.symlink(root / "files" / "a.pdf", root / "files" / "link.pdf")
    os.symlink(base / "outside" / "a.pdf", root / "files" / "out.pdf")
    os.symlink(root / "files" / "sub", root / "files" / "subdir")
    os.symlink(base / "outside", root / "files" / "outdir")
    os.symlink("sub/../a.pdf", root / "files" / "relative.pdf")
    os.symlink(root / "files" / "nothing.pdf", root / "files" / "dangling.pdf")
    os.symlink("loop2", root / "files" / "loop1")
    os.symlink("loop1", root / "files" / "loop2")
    os.symlink("..", root / "files" / "sub" / "up")  # files/sub/up → files
    os.symlink("../..", root / "files" / "top")  # files/top → the folder that holds the root
    return root


def _confine(root: Path, name: str) -> str | None:
    path = confine(root, name).path
    return None if path is None else str(path)


NAMES = [
    "files/a.pdf", "files/sub/b.pdf", "files/link.pdf", "files/out.pdf", "files/subdir/b.pdf",
    "files/outdir/a.pdf", "files/subdir/../a.pdf", "files/outdir/../audit/files/a.pdf", "files/relative.pdf",
    "files/dangling.pdf", "files/loop1", "files/loop1/a.pdf", "files/nothing.pdf", "files/sub/../../files/a.pdf",
    "../outside/a.pdf", "files/../../outside/a.pdf", "files\\sub\\b.pdf", "files\\..\\..\\outside\\a.pdf",
    "/etc/passwd", "C:\\x.pdf", "\\\\server\\share\\a.pdf", "files/a.pdf\x00", "", ".", "..", "files/",
    "files/.", "files/..", "files//a.pdf", "./files/a.pdf", "  files/a.pdf  ", "files/subdir",
    "files/loop1/../subdir", "files/loop1/../outdir/a.pdf", "files/loop1/x/../../outdir/a.pdf",
    "files/loop1/..", "files/loop2/../loop1/../subdir/b.pdf", "files/sub/up/a.pdf", "files/sub/up/../files/a.pdf",
    "files/sub/up/../..", "files/top/audit/files/a.pdf", "files/top/outside/a.pdf", "files/subdir/../../files/a.pdf",
    "files/subdir/..", "files/outdir/..", "files/nothing/../a.pdf", "files/nothing/../outdir/a.pdf",
    "files\\loop1\\..\\outdir\\a.pdf", "\\etc\\passwd", "C:x.pdf",
]


def test_same_answers_as_confine(tree: Path) -> None:
    confiner = Confiner(tree)  # one for every name: the folder memo is exercised
    for name in NAMES * 2:
        assert confiner.path(name) == _confine(tree, name), name


@pytest.mark.parametrize("name, expected", [
    # a link, then "..": the parent of where the link points, as the system goes
    ("files/subdir/../a.pdf", "files/a.pdf"),
    ("files/subdir/..", "files"),
    ("files/sub/up/../files/a.pdf", "files/a.pdf"),  # up → files, so up/.. is the root
    ("files/sub/up/../..", None),
    ("files/top/audit/files/a.pdf", "files/a.pdf"),  # out through a link and back in: inside
    ("files/top/outside/a.pdf", None),
    ("files/outdir/..", None),
    # "..", then a link
    ("files/../files/subdir/b.pdf", "files/sub/b.pdf"),
    ("files/sub/../outdir/a.pdf", None),
    ("files/nothing/../outdir/a.pdf", None),
    # a loop cannot be followed: it stays a name, and what comes after it is still resolved
    ("files/loop1", "files/loop1"),
    ("files/loop1/a.pdf", "files/loop1/a.pdf"),
    ("files/loop1/../subdir", "files/sub"),
    ("files/loop1/../outdir/a.pdf", None),  # was answered as <root>/files/outdir/a.pdf: the secret
    ("files/loop1/x/../../outdir/a.pdf", None),
    ("files/loop2/../loop1/../subdir/b.pdf", "files/sub/b.pdf"),
    ("files\\loop1\\..\\outdir\\a.pdf", None),
    ("files\\loop1\\..\\subdir\\b.pdf", "files/sub/b.pdf"),
    # absolute in any form is refused before anything is resolved
    ("/etc/passwd", None), ("\\etc\\passwd", None), ("C:x.pdf", None), ("c:\\x.pdf", None),
    ("C:/x.pdf", None), ("\\\\server\\share\\a.pdf", None), ("//server/share/a.pdf", None),
])
def test_resolves_links_before_dotdot(tree: Path, name: str, expected: str | None) -> None:
    want = None if expected is None else os.path.join(realpath(tree), expected)
    assert _confine(tree, name) == want
    assert Confiner(tree).path(name) == want


def _ids_inside(root: Path) -> set[tuple[int, int]]:
    """The (device, inode) of every file and folder really under ``root``, links not followed."""
    ids = set()
    for folder, folders, files in os.walk(root, followlinks=False):
        for name in [".", *folders, *files]:
            info = os.lstat(os.path.join(folder, name))
            if not stat.S_ISLNK(info.st_mode):
                ids.add((info.st_dev, info.st_ino))
    return ids


def _id(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _as_the_system_resolves(root: Path, name: str, inside: set[tuple[int, int]]) -> None:
    """Whatever the answer names is inside the root; and where the system itself opens the path,
    the answer is the same file, or a refusal exactly when that file is outside the root."""
    answer = _confine(root, name)
    if answer is not None and _id(answer) is not None:
        assert _id(answer) in inside, name
    plain = name.strip().replace("\\", "/")
    if plain.startswith("/"):
        return  # refused as absolute, before resolving
    opened = _id(os.path.join(root, plain))  # the kernel resolves it
    if opened is not None:
        if opened in inside:
            assert answer is not None and _id(answer) == opened, name
        else:
            assert answer is None, name


def test_answers_as_the_system_resolves(tree: Path) -> None:
    inside = _ids_inside(tree)
    for name in NAMES:
        if "\x00" not in name:
            _as_the_system_resolves(tree, name, inside)


COMPONENTS = ["files", "sub", "subdir", "outdir", "..", ".", "a.pdf", "b.pdf", "link.pdf", "out.pdf",
              "relative.pdf", "dangling.pdf", "loop1", "audit", "outside", "up", "top", ""]
PATHS = st.lists(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=6), min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(PATHS, st.sampled_from(["/", "\\"]))
@example([["files", "loop1", "..", "subdir"]], "/")  # found by hypothesis: confine said files/subdir
@example([["files", "loop1", "..", "outdir", "a.pdf"]], "\\")
@example([["files", "sub", "up", "..", "..", "outside", "a.pdf"]], "/")
def test_same_answers_as_confine_for_any_path(tree: Path, paths: list[list[str]], separator: str) -> None:
    confiner = Confiner(tree)
    inside = _ids_inside(tree)
    for parts in paths:
        name = separator.join(parts)
        assert confiner.path(name) == _confine(tree, name), name
        _as_the_system_resolves(tree, name, inside)


@pytest.mark.skipif(sys.version_info < (3, 13), reason="os.path.realpath follows the system from Python 3.13")
@settings(max_examples=200, deadline=None)
@given(PATHS)
def test_realpath_is_the_standard_librarys_from_python_3_13(tree: Path, paths: list[list[str]]) -> None:
    for parts in paths:
        path = os.path.join(tree, "/".join(parts).lstrip("/"))
        assert realpath(path) == os.path.realpath(path), path
