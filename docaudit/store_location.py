"""Where the results database goes when ``--db`` is not given (CONTRACT §5).

Outside ``docaudit.store`` so that naming the database imports no SQLAlchemy: a replayed audit
(``docaudit.replay``) opens the same file the full audit would, through this same function."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from .errors import StoreError
from .text import Message, message

ENV_VAR = "DOCAUDIT_DB"
DB_DIRNAME = ".docaudit"
DB_FILENAME = "docaudit.sqlite"


def _is_writable(folder: Path) -> bool:
    """Can we create files in ``folder``? (``os.access`` also reports read-only mounts.)"""
    return os.access(folder, os.W_OK | os.X_OK)


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME`` if set to an absolute path, else ``~/.cache``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg)
    return Path.home() / ".cache"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def default_db_url(
    root: Path, *, writable: Callable[[Path], bool] | None = None, create: bool = True
) -> tuple[str, Message | None]:
    """The database URL for a scan of ``root`` and a one-line note if it is not the usual place.

    1. ``$DOCAUDIT_DB`` if set (non-empty);
    2. else ``sqlite:///<root>/.docaudit/docaudit.sqlite`` (the folder is created);
    3. if the audit root is not writable (a read-only evidence copy), a SQLite file in the user
       cache: ``<cache>/docaudit/<sha256(resolved root)[:16]>.sqlite``, with a note saying so.

    ``writable`` decides whether a folder may be written; by default ``os.access``. Tests inject
    their own because ``chmod`` does not stop root. ``create=False`` (the reading commands)
    names the database without creating any folder for it.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env, None

    check = writable or _is_writable
    resolved = Path(root).expanduser().resolve()
    folder = resolved / DB_DIRNAME
    probe = folder if folder.is_dir() else resolved
    if not create and (folder / DB_FILENAME).is_file():
        return sqlite_url(folder / DB_FILENAME), None
    if resolved.is_dir() and check(probe):
        if not create:
            return sqlite_url(folder / DB_FILENAME), None
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            pass  # e.g. a read-only mount os.access did not see: fall back below
        else:
            return sqlite_url(folder / DB_FILENAME), None

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
    note = message("note.db-fallback", folder=resolved, db=db)
    return sqlite_url(db), note
