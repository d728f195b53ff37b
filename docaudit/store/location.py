"""Where the results database is: the one decision every command takes through :func:`locate`.

Precedence, first match wins:

1. an explicit database URL (``--db``; the option turns a plain path into a SQLite URL);
2. the config file's ``db`` (read by the caller: ``docaudit.toml`` or ``--config``);
3. ``$DOCAUDIT_DB`` (when set and not blank);
4. the audit root's ``.docaudit/docaudit.sqlite`` — ``--root`` / ``AUDIT_ROOT``, else the config's
   first source;
5. when that root cannot be written (a read-only evidence copy), a SQLite file in the user cache
   (``<cache>/docaudit/<sha256(resolved root)[:16]>.sqlite``), with a note saying so.

Writing commands (``scan``, ``audit``) pass ``create=True``: the ``.docaudit`` or cache folder is
made. Reading commands (``report``, ``history``, ``diff``, ``baseline``) pass ``create=False``:
nothing is made, and a SQLite database that does not exist, or holds no docaudit tables, is
refused in one line (a reading command must not create an empty database just to say it is empty).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Callable, NamedTuple, Protocol, Sequence

from sqlalchemy.engine import make_url

from ..errors import StoreError, UsageError
from ..text import Message, message
from .connection import mask_url

ENV_VAR = "DOCAUDIT_DB"
DB_DIRNAME = ".docaudit"
DB_FILENAME = "docaudit.sqlite"
NO_DATABASE = "no results database: give --db URL, --root AUDIT_ROOT, or run where docaudit.toml is"


class NoDatabase(UsageError):
    """Nothing names a database: no URL, no config, no ``$DOCAUDIT_DB``, no root."""


class _Source(Protocol):
    root: Path


class Configured(Protocol):
    """What :func:`locate` reads of a loaded config (``docaudit.config.AuditConfig``)."""

    db: str | None
    sources: Sequence[_Source]


class Location(NamedTuple):
    """A database URL, and one line for the user when it is not where they would look (the cache
    fallback for a read-only root)."""

    url: str
    note: Message | None = None


def locate(
    db: str | None = None,
    root: Path | None = None,
    config: Configured | None = None,
    *,
    create: bool,
    writable: Callable[[Path], bool] | None = None,
) -> Location:
    """The results database (see the module's precedence). ``writable`` decides whether a folder
    may be written (default ``os.access``; tests inject their own because ``chmod`` does not stop
    root). Raises :class:`NoDatabase` when nothing names one, ``UsageError`` when a reading
    command names one that does not exist, ``StoreError`` when no folder can hold a new one."""
    if db:
        return _checked(Location(db), None, create)
    if config is not None and config.db:
        return _checked(Location(config.db), None, create)
    if root is not None and not create and not Path(root).is_dir():
        raise UsageError(f"audit root {root}: no such folder")
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return _checked(Location(env), None, create)
    if root is None and config is not None and config.sources:
        root = config.sources[0].root
    if root is None:
        raise NoDatabase(NO_DATABASE)
    return _checked(_under_root(Path(root), writable or _is_writable, create), root, create)


def default_db_url(
    root: Path, *, writable: Callable[[Path], bool] | None = None, create: bool = True
) -> tuple[str, str | None]:
    """``$DOCAUDIT_DB``, else the database of ``root`` (``locate(root=root)`` without the reading
    checks), and the note if it is in the cache."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env, None
    found = _under_root(Path(root), writable or _is_writable, create)
    return found.url, found.note


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME`` if set to an absolute path, else ``~/.cache``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg)
    return Path.home() / ".cache"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _is_writable(folder: Path) -> bool:
    """Can we create files in ``folder``? (``os.access`` also reports read-only mounts.)"""
    return os.access(folder, os.W_OK | os.X_OK)


def _under_root(root: Path, writable: Callable[[Path], bool], create: bool) -> Location:
    """``<root>/.docaudit/docaudit.sqlite`` (the folder made when ``create``), or the user-cache
    fallback for a root that cannot be written."""
    resolved = root.expanduser().resolve()
    folder = resolved / DB_DIRNAME
    probe = folder if folder.is_dir() else resolved
    if not create and (folder / DB_FILENAME).is_file():
        return Location(sqlite_url(folder / DB_FILENAME))
    if resolved.is_dir() and writable(probe):
        if not create:
            return Location(sqlite_url(folder / DB_FILENAME))
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            pass  # e.g. a read-only mount os.access did not see: fall back below
        else:
            return Location(sqlite_url(folder / DB_FILENAME))

    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:16]
    cache = user_cache_dir() / "docaudit"
    try:
        if create:
            cache.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(
            f"audit folder {resolved} is not writable and the cache folder {cache} cannot be "
            f"created ({err.strerror or err}); give a database with --db or ${ENV_VAR}"
        ) from err
    db = cache / f"{digest}.sqlite"
    return Location(sqlite_url(db), message("note.db-fallback", folder=resolved, db=db))


def _checked(location: Location, root: Path | None, create: bool) -> Location:
    """For a reading command: refuse, in one line, a SQLite database it would have to create (a
    missing file) or write docaudit's tables into (a file without them). Other URLs are left to
    ``Store.open``, which says in one line what is wrong with them."""
    if create:
        return location
    try:
        parsed = make_url(location.url)
    except Exception:  # noqa: BLE001 - Store.open gives the one-line error
        return location
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:") or database.startswith("file:"):
        return location
    path = Path(database).expanduser()
    if not path.is_file():
        where = f" for {root}" if root is not None else ""
        raise UsageError(f"no runs stored yet{where}: database {mask_url(location.url)} does not exist "
                         "(run docaudit scan or docaudit audit first)")
    if not _has_docaudit_tables(path):
        raise UsageError(f"no docaudit runs in {mask_url(location.url)}: it is not a docaudit database")
    return location


def _has_docaudit_tables(path: Path) -> bool:
    """Whether the SQLite file ``path`` holds docaudit's tables (opened read only: nothing is created)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:  # closed: Windows locks open files
            row = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'docaudit_scan_run'").fetchone()
    except sqlite3.Error:
        return True  # not SQLite, or locked: Store.open gives its own one-line error
    return row is not None
