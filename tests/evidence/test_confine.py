"""Paths in the register are confined to the audit root, and refused paths are never opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docaudit.evidence import confine, gather
from docaudit.model import FileStatus
from docaudit.signatures import ValidationSettings


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    audit = tmp_path / "audit"
    (audit / "files" / "sub").mkdir(parents=True)
    (audit / "files" / "a.pdf").write_bytes(b"junk")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 outside")
    return audit


@pytest.mark.parametrize(
    "path",
    [
        "../secret.pdf",
        "files/../../secret.pdf",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "c:/docs/a.pdf",
        "\\\\server\\share\\a.pdf",
        "files\\..\\..\\secret.pdf",
    ],
)
def test_paths_leaving_the_root_are_refused(root: Path, path: str) -> None:
    assert confine(root, path).path is None
    evidence = gather(root, path, ValidationSettings())
    assert evidence.status is FileStatus.OUTSIDE_ROOT
    assert evidence.sha256 is None  # never read


def test_dotdot_that_stays_inside_is_allowed(root: Path) -> None:
    assert confine(root, "files/sub/../a.pdf").path == (root / "files" / "a.pdf").resolve()


def test_windows_separators_inside_the_root(root: Path) -> None:
    assert confine(root, "files\\a.pdf").path == (root / "files" / "a.pdf").resolve()


def test_symlink_out_of_the_root_is_refused_without_opening(root: Path, tmp_path: Path, monkeypatch) -> None:
    os.symlink(tmp_path / "secret.pdf", root / "files" / "link.pdf")
    os.symlink(tmp_path, root / "files" / "outdir")
    opened: list[str] = []
    real_read = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    for path in ("files/link.pdf", "files/outdir/secret.pdf"):
        evidence = gather(root, path, ValidationSettings())
        assert evidence.status is FileStatus.OUTSIDE_ROOT, path
    assert opened == []


def test_symlink_inside_the_root_is_followed(root: Path) -> None:
    os.symlink(root / "files" / "a.pdf", root / "files" / "alias.pdf")
    assert confine(root, "files/alias.pdf").path == (root / "files" / "a.pdf").resolve()


def test_symlinked_audit_root_itself_is_fine(root: Path, tmp_path: Path) -> None:
    os.symlink(root, tmp_path / "rootlink")
    assert confine(tmp_path / "rootlink", "files/a.pdf").path is not None


def test_missing_file_and_folder(root: Path) -> None:
    assert gather(root, "files/nope.pdf", ValidationSettings()).status is FileStatus.MISSING
    assert gather(root, "files/sub", ValidationSettings()).status is FileStatus.MISSING


def test_empty_path_means_no_file(root: Path) -> None:
    assert gather(root, "  ", ValidationSettings()).status is FileStatus.NONE


def test_dotdot_after_a_symlink_loop_cannot_reach_outside(root: Path, tmp_path: Path, monkeypatch) -> None:
    # Python < 3.13's realpath stopped at the loop and collapsed "loop/.." as text, leaving the
    # link "outdir" unresolved: the secret outside the root was read as if inside.
    os.symlink("loop2", root / "files" / "loop1")
    os.symlink("loop1", root / "files" / "loop2")
    os.symlink(tmp_path, root / "files" / "outdir")
    opened: list[str] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(str(self)) or real_read(self))
    for path in ("files/loop1/../outdir/secret.pdf", "files\\loop2\\x\\..\\..\\outdir\\secret.pdf"):
        evidence = gather(root, path, ValidationSettings())
        assert evidence.status is FileStatus.OUTSIDE_ROOT, path
        assert evidence.sha256 is None, path
    assert opened == []
    assert confine(root, "files/loop1/../a.pdf").path == (root / "files" / "a.pdf").resolve()


def test_a_rooted_windows_path_is_refused_as_absolute(root: Path) -> None:
    refusal = confine(root, "\\Windows\\win.ini").refusal
    assert refusal is not None and refusal.code == "evidence.absolute-path"
