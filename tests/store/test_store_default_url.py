"""Where the results database is: without --db (the contract (README: A scan)), and the one precedence every
command follows (docaudit.store.locate)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from docaudit.errors import UsageError
from docaudit.store import NoDatabase, Store, default_db_url, locate
from docaudit.store import location as _location


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("DOCAUDIT_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _fallback(root: Path, cache: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache / "docaudit" / f"{digest}.sqlite"


def test_env_var_wins(monkeypatch, tmp_path, store_url):
    monkeypatch.setenv("DOCAUDIT_DB", store_url)
    url, note = default_db_url(tmp_path, writable=lambda p: False)
    assert (url, note) == (store_url, None)
    assert not (tmp_path / ".docaudit").exists()
    with Store.open(url) as store:
        assert store.latest_run_id() is None


def test_empty_env_var_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCAUDIT_DB", "")
    url, note = default_db_url(tmp_path)
    assert url == f"sqlite:///{tmp_path.resolve()}/.docaudit/docaudit.sqlite" and note is None


def test_default_is_under_the_audit_root(tmp_path):
    root = tmp_path / "Hồ sơ kiểm tra"
    root.mkdir()
    url, note = default_db_url(root)
    assert note is None
    assert url == f"sqlite:///{root.resolve()}/.docaudit/docaudit.sqlite"
    assert (root / ".docaudit").is_dir()
    with Store.open(url) as store:
        assert store.latest_run_id() is None
    assert (root / ".docaudit" / "docaudit.sqlite").is_file()


def test_read_only_root_falls_back_to_user_cache(tmp_path):
    root = tmp_path / "evidence-copy"
    root.mkdir()
    seen: list[Path] = []

    def read_only(path: Path) -> bool:
        seen.append(path)
        return False

    url, note = default_db_url(root, writable=read_only)
    expected = _fallback(root, tmp_path / "cache")
    assert url == f"sqlite:///{expected}"
    assert seen == [root.resolve()]
    assert note is not None
    text = note.text("en")  # a catalogue message, rendered when shown
    assert "\n" not in text
    assert str(root.resolve()) in text and str(expected) in text and "not writable" in text
    assert not (root / ".docaudit").exists()
    with Store.open(url) as store:
        assert store.latest_run_id() is None
    assert expected.is_file()


def test_fallback_name_depends_on_the_resolved_root(tmp_path):
    root = tmp_path / "real"
    root.mkdir()
    link = tmp_path / "link"
    link.symlink_to(root)
    other = tmp_path / "other"
    other.mkdir()
    never = lambda p: False  # noqa: E731
    assert default_db_url(link, writable=never)[0] == default_db_url(root, writable=never)[0]
    assert default_db_url(other, writable=never)[0] != default_db_url(root, writable=never)[0]


def test_unwritable_existing_docaudit_folder_falls_back(tmp_path):
    (tmp_path / ".docaudit").mkdir()
    url, note = default_db_url(tmp_path, writable=lambda p: p.name != ".docaudit")
    assert note is not None and url == f"sqlite:///{_fallback(tmp_path, tmp_path / 'cache')}"


def test_chmod_read_only_root(tmp_path):
    """The real check: a 0o555 folder. As root chmod does not stop writes, and os.access says so;
    then the database honestly stays in the root. Otherwise it must go to the cache."""
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o555)
    try:
        url, note = default_db_url(root)
        if os.access(root, os.W_OK):  # running as root
            assert note is None and url == f"sqlite:///{root.resolve()}/.docaudit/docaudit.sqlite"
        else:
            assert note is not None and url == f"sqlite:///{_fallback(root, tmp_path / 'cache')}"
            assert not (root / ".docaudit").exists()
    finally:
        root.chmod(0o755)


def test_cache_defaults_to_home_dot_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _location.user_cache_dir() == tmp_path / "home" / ".cache"
    url, _ = default_db_url(tmp_path, writable=lambda p: False)
    assert url.startswith(f"sqlite:///{tmp_path / 'home' / '.cache' / 'docaudit'}/")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert _location.user_cache_dir() == tmp_path / "home" / ".cache"


# --------------------------------------------------------------------------- one precedence


class _Source:
    def __init__(self, root: Path) -> None:
        self.root = root


class _Config:
    def __init__(self, db: str | None, root: Path) -> None:
        self.db, self.sources = db, (_Source(root),)


def test_one_precedence_db_then_config_then_env_then_root(monkeypatch, tmp_path):
    root, other = tmp_path / "root", tmp_path / "other"
    root.mkdir()
    other.mkdir()
    under = lambda folder: f"sqlite:///{folder.resolve()}/.docaudit/docaudit.sqlite"  # noqa: E731
    monkeypatch.setenv("DOCAUDIT_DB", "sqlite:///env.sqlite")
    assert locate("sqlite:///x.sqlite", root, _Config("sqlite:///c.sqlite", other), create=True).url == "sqlite:///x.sqlite"
    assert locate(None, root, _Config("sqlite:///c.sqlite", other), create=True).url == "sqlite:///c.sqlite"
    assert locate(None, root, _Config(None, other), create=True).url == "sqlite:///env.sqlite"
    monkeypatch.setenv("DOCAUDIT_DB", "  ")
    assert locate(None, root, _Config(None, other), create=True) == (under(root), None)  # --root before the config's
    assert locate(None, None, _Config(None, other), create=True) == (under(other), None)
    with pytest.raises(NoDatabase, match="--db"):
        locate(create=False)


def test_reading_refuses_what_it_would_have_to_create(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match=f"no runs stored yet for {empty}: database .* does not exist"):
        locate(root=empty, create=False)
    assert not (empty / ".docaudit").exists()
    with pytest.raises(UsageError, match="no such folder"):
        locate(root=tmp_path / "nowhere", create=False)
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_bytes(b"")
    with pytest.raises(UsageError, match="not a docaudit database"):
        locate(f"sqlite:///{foreign}", create=False)
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    Store.open(url).close()
    assert locate(url, create=False).url == url
    assert locate("postgresql://u:p@h/db", create=False).url == "postgresql://u:p@h/db"  # Store.open says the rest
