"""File digests remembered by stat record (docaudit.digests): an unchanged file is not read again,
a changed one always is — even rewritten with the same size and its old modification time."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from docaudit import digests
from docaudit.audit import run_audit
from docaudit.config import load_config
from docaudit.digests import Digests, FileStat, KnownDigest
from docaudit.store import Store

from ..cli.helpers import run_cli
from .conftest import DOCUMENTS, ROWS, basic_config

SECOND = 1_000_000_000
FILES = [row[5] for row in ROWS if row[5] and row[6] != "missing"]


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every path read and hashed (``digests.read_digest`` calls)."""
    seen: list[str] = []
    real = digests.read_digest

    def counting(path: str, max_bytes: int):
        seen.append(path)
        return real(path, max_bytes)

    monkeypatch.setattr(digests, "read_digest", counting)
    return seen


@pytest.fixture
def aged(monkeypatch) -> None:
    """Files written by the test count as old enough to be trusted at once (the racy-read window
    is closed): what is then tested is the comparison of stat records alone."""
    monkeypatch.setattr(digests, "RACY_NS", 0)


def _audit(config: Path, **kwargs):
    return run_audit(load_config(config), today=dt.date(2021, 12, 31), **kwargs)


def _rewrite_keeping_size_and_mtime(path: Path) -> None:
    """New bytes, same size, and the old access and modification times put back (``touch -r``)."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_unchanged_files_are_not_read_again(tmp_path, folder, reads, aged):
    config = basic_config(tmp_path, folder)
    first = _audit(config)
    assert first.documents_evaluated == DOCUMENTS
    assert len(reads) == len(FILES)
    reads.clear()
    second = _audit(config)
    assert reads == []
    assert (second.documents_evaluated, second.documents_reused) == (0, DOCUMENTS)
    assert second.report.to_json()["entries"] == first.report.to_json()["entries"]


def test_same_size_rewrite_with_old_mtime_is_read_and_judged_again(tmp_path, folder, reads, aged):
    config = basic_config(tmp_path, folder)
    first = _audit(config)
    valid = ROWS[0]  # a valid signed PDF: one changed byte in the middle breaks its signature
    _rewrite_keeping_size_and_mtime(folder / valid[5])
    reads.clear()
    second = _audit(config)
    assert [Path(p).name for p in reads] == [Path(valid[5]).name]  # the ctime changed
    assert (second.documents_evaluated, second.documents_reused) == (1, DOCUMENTS - 1)
    before = next(e for e in first.report.to_json()["entries"] if e["number"] == valid[1])
    after = next(e for e in second.report.to_json()["entries"] if e["number"] == valid[1])
    assert before["verdict"] == "valid" and after["verdict"] == "invalid"
    assert after["sha256"] != before["sha256"]


def test_replaced_file_is_read_again(tmp_path, folder, reads, aged):
    config = basic_config(tmp_path, folder)
    _audit(config)
    target = folder / ROWS[0][5]
    shutil.copy2(folder / ROWS[1][5], target.with_name("swap.tmp"))  # copy2 keeps the mtime
    os.replace(target.with_name("swap.tmp"), target)  # another inode under the same name
    reads.clear()
    run = _audit(config)
    assert [Path(p).name for p in reads] == [target.name]
    entry = next(e for e in run.report.to_json()["entries"] if e["number"] == ROWS[0][1])
    assert entry["verdict"] == "invalid"  # the bytes of the invalid sample, now under this name


def test_rehash_reads_every_file(tmp_path, folder, reads, aged):
    config = basic_config(tmp_path, folder)
    _audit(config)
    reads.clear()
    run = _audit(config, rehash=True)
    assert len(reads) == len(FILES)
    assert (run.documents_evaluated, run.documents_reused) == (0, DOCUMENTS)  # the evidence is still reused
    reads.clear()
    _audit(config, refresh=True)  # --no-cache trusts nothing either
    assert len(reads) == len(FILES)
    reads.clear()
    _audit(config)  # and what they read was remembered
    assert reads == []


def test_rehash_config_key(tmp_path, folder, reads, aged):
    _audit(basic_config(tmp_path, folder))
    reads.clear()
    run = _audit(basic_config(tmp_path, folder, extra="rehash = true"))
    assert run.config.rehash and len(reads) == len(FILES)


def test_rehash_config_key_must_be_a_boolean(tmp_path, folder):
    from docaudit.errors import ConfigError

    with pytest.raises(ConfigError, match="key 'rehash': expected true or false"):
        load_config(basic_config(tmp_path, folder, extra='rehash = "yes"'))


def test_cli_rehash_option(tmp_path, folder, reads):
    basic_config(tmp_path, folder, extra='[output]\nformats = ["json"]\ndir = "reports"\nannotations = "none"')
    assert run_cli("audit", "--quiet", "--exit-zero", cwd=tmp_path).returncode == 0
    again = run_cli("audit", "--rehash", "--exit-zero", cwd=tmp_path)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert f"đánh giá 0 văn bản, dùng lại {DOCUMENTS}" in again.stderr  # lang = vi (the default)


# --------------------------------------------------------------------------- the rules themselves


def _record(stat: FileStat, read_ns: int) -> KnownDigest:
    return KnownDigest("/a/b.pdf", stat, "ab" * 32, read_ns)


def test_racy_records_are_not_trusted():
    """A file changed less than RACY_NS before it was read may change again within the same
    timestamp: its record is not trusted (the file is read again, and remembered then)."""
    changed = 1_700_000_000 * SECOND
    stat = FileStat(size=10, mtime_ns=changed, ctime_ns=changed, ino=5, dev=1)
    assert not _record(stat, changed + SECOND).trusted_for(stat)
    assert _record(stat, changed + digests.RACY_NS).trusted_for(stat)
    late_ctime = FileStat(size=10, mtime_ns=changed - 60 * SECOND, ctime_ns=changed, ino=5, dev=1)
    assert not _record(late_ctime, changed + SECOND).trusted_for(late_ctime)  # e.g. `touch -d` just before


@pytest.mark.parametrize("field", ["size", "mtime_ns", "ctime_ns", "ino", "dev"])
def test_any_stat_change_distrusts_the_record(field):
    stat = FileStat(size=10, mtime_ns=SECOND, ctime_ns=SECOND, ino=5, dev=1)
    record = _record(stat, 100 * SECOND)
    assert record.trusted_for(stat)
    changed = FileStat(**{**stat.__dict__, field: getattr(stat, field) + 1})
    assert not record.trusted_for(changed)


def test_freshly_written_files_are_read_until_they_age(tmp_path, reads):
    """With the real window: files written just now are read on every run; a digest read when the
    file was old enough is trusted."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.pdf").write_bytes(b"%PDF-1.7 a")
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        first = Digests(store).of(root, ["a.pdf"], 1000)
        assert Digests(store).of(root, ["a.pdf"], 1000) == first
        assert len(reads) == 2  # racy: written less than two seconds before it was read
        key, row = next(iter(store.file_digests([digests._path_key(str((root / "a.pdf").resolve()))]).items()))
        store.save_file_digests([(key, *row[:-1], row[-1] + 10 * SECOND)])  # as if read ten seconds later
        reads.clear()
        assert Digests(store).of(root, ["a.pdf"], 1000) == first
        assert reads == []


def test_odd_files_never_break_the_scan(tmp_path, reads, aged):
    """Files the database cannot describe (dated in the year 2400: too many nanoseconds for a
    64-bit integer), names that are not UTF-8, and names that are not regular files: hashed,
    or left to ``gather``, every run, never an error."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "future.pdf").write_bytes(b"%PDF-1.7 future")
    year_2400 = int(dt.datetime(2400, 1, 1, tzinfo=dt.timezone.utc).timestamp()) * SECOND
    try:
        os.utime(root / "future.pdf", ns=(year_2400, year_2400))
    except (OSError, OverflowError):
        pytest.skip("this file system cannot date a file in 2400")
    if (root / "future.pdf").stat().st_mtime_ns < 1 << 63:
        pytest.skip("this file system clamps dates before 2262")
    odd = os.fsdecode(b"t\xe9p.pdf")
    (root / odd).write_bytes(b"%PDF-1.7 odd")
    (root / "folder.pdf").mkdir()
    names = ["future.pdf", odd, "folder.pdf", "missing.pdf", "../outside.pdf"]
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        first = Digests(store).of(root, names, 1000)
        assert sorted(first) == sorted(["future.pdf", odd])
        reads.clear()
        assert Digests(store).of(root, names, 1000) == first
        assert [Path(p).name for p in reads] == ["future.pdf"]  # the odd name was remembered
