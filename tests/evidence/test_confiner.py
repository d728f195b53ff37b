"""``Confiner`` (many names under one root, folders resolved once) answers exactly as ``confine``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docaudit.evidence.confine import Confiner, confine


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A root with folders, files, and symbolic links of every kind: inside, outside, to a
    folder, dangling, and a loop."""
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
]


def test_same_answers_as_confine(tree: Path) -> None:
    confiner = Confiner(tree)  # one for every name: the folder memo is exercised
    for name in NAMES * 2:
        assert confiner.path(name) == _confine(tree, name), name


COMPONENTS = ["files", "sub", "subdir", "outdir", "..", ".", "a.pdf", "b.pdf", "link.pdf", "out.pdf",
              "relative.pdf", "dangling.pdf", "loop1", "audit", "outside", ""]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=6), min_size=1, max_size=8),
       st.sampled_from(["/", "\\"]))
def test_same_answers_as_confine_for_any_path(tree: Path, paths: list[list[str]], separator: str) -> None:
    confiner = Confiner(tree)
    for parts in paths:
        name = separator.join(parts)
        assert confiner.path(name) == _confine(tree, name), name
