"""A register and a file system that hold a Vietnamese file name in different Unicode forms (NFC,
NFD) still find the file, in every combination, without loosening the confinement; a name that
only looks like a file's says which characters differ."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from docaudit.digests import Digests
from docaudit.evidence import confine, gather
from docaudit.evidence.confine import Confiner
from docaudit.model import FileStatus
from docaudit.signatures import ValidationSettings
from docaudit.text import render

NAME = "Quyết định số 01 về Đề án.pdf"
FOLDER = "văn bản đi"
FORMS = ("NFC", "NFD")


def form(text: str, which: str) -> str:
    return unicodedata.normalize(which, text)


def distinct_names(tmp_path: Path) -> None:
    """Linux keeps a name as the bytes it was given: NFC and NFD are two names there. On a system
    that normalises (macOS) a file written in one form is found in the other anyway."""
    probe = tmp_path / form("é", "NFC")
    probe.write_bytes(b"")
    same = os.path.exists(tmp_path / form("é", "NFD"))
    probe.unlink()
    if same:
        pytest.skip("this file system matches names in either Unicode form by itself")


@pytest.mark.parametrize("disk", FORMS)
@pytest.mark.parametrize("written", FORMS)
def test_file_found_whichever_form_register_and_disk_hold(tmp_path: Path, written: str, disk: str) -> None:
    distinct_names(tmp_path)
    root = tmp_path / "audit"
    folder = root / form(FOLDER, disk)
    folder.mkdir(parents=True)
    (folder / form(NAME, disk)).write_bytes(b"%PDF-1.4 junk")
    relative = form(f"{FOLDER}/{NAME}", written)

    confined = confine(root, relative)
    assert confined.path is not None and confined.path.is_file()
    assert Confiner(root).path(relative) == str(confined.path)
    evidence = gather(root, relative, ValidationSettings())
    assert evidence.status is not FileStatus.MISSING  # read (junk: unreadable), not "file-missing"
    assert evidence.sha256 is not None
    assert Digests().of(root, [relative], 1 << 20) == {relative: evidence.sha256}


def test_mixed_forms_in_one_name_are_found(tmp_path: Path) -> None:
    # a name half typed in one form, half pasted in the other: found by comparing the folder's names in NFC
    distinct_names(tmp_path)
    root = tmp_path / "audit"
    root.mkdir()
    mixed = form("Quyết định", "NFD") + form(" về Đề án.pdf", "NFC")
    (root / mixed).write_bytes(b"x")
    assert confine(root, form(NAME.replace(" số 01", ""), "NFC")).path == root / mixed
    assert Confiner(root).path(form(NAME.replace(" số 01", ""), "NFD")) == str(root / mixed)


def test_an_other_form_that_leads_outside_the_root_is_refused(tmp_path: Path) -> None:
    distinct_names(tmp_path)
    root = tmp_path / "audit"
    root.mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "a.pdf").write_bytes(b"secret")
    (tmp_path / "bí mật.pdf").write_bytes(b"secret")
    os.symlink(tmp_path / "secret", root / form("thư mục", "NFD"))  # the decomposed name points outside
    os.symlink(tmp_path / "bí mật.pdf", root / form("tệp.pdf", "NFD"))
    for relative in (form("thư mục/a.pdf", "NFC"), form("tệp.pdf", "NFC")):
        assert confine(root, relative).path is None
        assert Confiner(root).path(relative) is None
        evidence = gather(root, relative, ValidationSettings())
        assert evidence.status is FileStatus.OUTSIDE_ROOT and evidence.sha256 is None


def test_no_folder_outside_the_root_is_listed(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "audit"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / form("tệp.pdf", "NFD")).write_bytes(b"secret")
    os.symlink(tmp_path / "outside", root / "out")
    listed: list[str] = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listed.append(os.fspath(path)) or real_listdir(path))
    for relative in ("out/tệp.pdf", "../outside/tệp.pdf", "out/../../outside/tệp.pdf"):
        assert confine(root, form(relative, "NFC")).path is None
        assert Confiner(root).path(form(relative, "NFC")) is None
    assert not [p for p in listed if not os.path.realpath(p).startswith(os.path.realpath(root))]


def test_a_name_that_only_looks_like_the_file_says_why(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    root.mkdir()
    (root / "\u00d0ề án.pdf").write_bytes(b"x")  # Ð: Icelandic eth, drawn as the Vietnamese Đ
    evidence = gather(root, "\u0110ề án.pdf", ValidationSettings())
    assert evidence.status is FileStatus.MISSING
    for lang in ("en", "vi"):
        text = render(evidence.problem, lang)
        assert "\u00d0ề án.pdf" in text
        assert "U+00D0 LATIN CAPITAL LETTER ETH ≠ U+0110 LATIN CAPITAL LETTER D WITH STROKE" in text


@pytest.mark.parametrize(("on_disk", "written", "shown"), [
    ("Bao\u200bcao.pdf", "Baocao.pdf", "U+200B ZERO WIDTH SPACE ≠ –"),
    ("Báo\u00a0cáo.pdf", "Báo cáo.pdf", "U+00A0 NO-BREAK SPACE ≠ U+0020 SPACE"),
    ("b\u0430o-cao.pdf", "bao-cao.pdf", "U+0430 CYRILLIC SMALL LETTER A ≠ U+0061 LATIN SMALL LETTER A"),
])
def test_invisible_and_foreign_lookalikes_are_named(tmp_path: Path, on_disk: str, written: str, shown: str) -> None:
    root = tmp_path / "audit"
    root.mkdir()
    (root / on_disk).write_bytes(b"x")
    evidence = gather(root, written, ValidationSettings())
    assert evidence.status is FileStatus.MISSING
    assert shown in render(evidence.problem, "en")


def test_a_file_really_missing_keeps_the_plain_message(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    root.mkdir()
    (root / "khác.pdf").write_bytes(b"x")
    evidence = gather(root, form("Đề án.pdf", "NFD"), ValidationSettings())
    assert evidence.status is FileStatus.MISSING
    assert evidence.problem.code == "evidence.file-not-found"


def test_a_scan_counts_files_in_every_combination_of_forms(tmp_path: Path) -> None:
    """The issue's office folder in small: four signed documents, each register name and file name
    in NFC or NFD. Every one is found, so via software is 4/4 (it was 2/4), and no file-missing."""
    import csv
    import json
    import shutil

    from ..cli.helpers import run_cli
    from ..conftest import SAMPLES

    distinct_names(tmp_path)
    root = tmp_path / "audit"
    root.mkdir()
    rows = [["agency", "direction", "number", "date", "channel", "via_system", "file"]]
    for n, (written, disk) in enumerate([(w, d) for w in FORMS for d in FORMS], start=1):
        name = f"Quyết định {n}.pdf"
        shutil.copyfile(SAMPLES / "files/ubnd-bq/di/01-qd-ubnd.pdf", root / form(name, disk))
        rows.append(["UBND-BQ", "đi", f"0{n}/QĐ-UBND", "2021-01-05", "điện tử", "có", form(name, written)])
    with (root / "register.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    done = run_cli("scan", root, "--trust", SAMPLES / "trust" / "root.pem", "--no-db", "--format", "json",
                   "--period", "2021-01-01..2021-06-30")
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    figures = report["agencies"]["UBND-BQ"]
    assert figures["files"]["present"] == 4 and figures["files"]["missing"] == 0
    assert (figures["via_software"]["count"], figures["via_software"]["claimed"]) == (4, 4)
    assert [e["file"] for e in report["entries"]] == [form(f"Quyết định {n}.pdf", "NFC") for n in range(1, 5)]


def case_sensitive(tmp_path: Path) -> None:
    probe = tmp_path / "Case.probe"
    probe.write_bytes(b"")
    same = os.path.exists(tmp_path / "case.PROBE")
    probe.unlink()
    if same:
        pytest.skip("this file system matches names whatever their case by itself (Windows, macOS)")


@pytest.mark.parametrize("written", ["Van ban di/Quyet dinh 15.PDF", "van ban di\\QUYẾT ĐỊNH 16.pdf"])
def test_a_name_that_differs_only_in_case_is_the_file_as_on_windows(tmp_path: Path, written: str) -> None:
    # the register was typed on Windows, where case does not matter: the figures must not change
    # with the system the audit runs on
    case_sensitive(tmp_path)
    root = tmp_path / "audit"
    (root / "Van ban di").mkdir(parents=True)
    (root / "Van ban di" / "quyet dinh 15.pdf").write_bytes(b"x")
    (root / "Van ban di" / "Quyết định 16.pdf").write_bytes(b"x")
    confined = confine(root, written)
    assert confined.path is not None and confined.path.is_file()
    assert Confiner(root).path(written) == str(confined.path)
    assert gather(root, written, ValidationSettings()).status is not FileStatus.MISSING


def test_two_files_that_differ_only_in_case_are_not_guessed_between(tmp_path: Path) -> None:
    case_sensitive(tmp_path)
    root = tmp_path / "audit"
    root.mkdir()
    (root / "a.pdf").write_bytes(b"x")
    (root / "A.pdf").write_bytes(b"y")
    assert gather(root, "a.PDF", ValidationSettings()).status is FileStatus.MISSING
