"""Replayed audits: when nothing an audit depends on changed since a stored audit, its results are
stored again as the new run's, instead of being computed again.

A nightly audit of an archive that did not change used to redo everything short of parsing the
documents: import the database layer, read the register, look up 2,000 cached verdicts and
8,000 findings, judge the register rules, store 15,000 rows through SQLAlchemy and encode the
report (0.8 s, against 0.03 s of real input checking). Now the audit first computes the *key* of
its inputs and, if a stored audit with the same settings has the same key, copies that run's
rows into a new run with a few ``INSERT … SELECT`` statements of the standard ``sqlite3``
module, re-stamps its report (run id, times, ``documents_reused``, ``replay_of``) and renders
the outputs from it. The new run is a complete run like any other: ``history``, ``diff``,
``report`` and SQL readers see its own rows.

The key covers everything the results depend on:

* docaudit's code, its rule and target packs (symbolic links followed, as the packs are read)
  and the installed distributions (a new version of any library changes it);
* the effective settings (the config hash: sources, trust paths, period and its resolved dates,
  targets, validation time, rules), the language, the limits and the validation-time key of the
  incremental cache (``now`` moves with the UTC day);
* the bytes *and* stat record of each register (or of each name a register may be found under),
  of each trust file (of a trust folder: its names and its top-level certificate files, as
  ``load_trust`` reads them), of the target pack the configured name resolves to, and of the
  baseline, and which baseline entries have expired today (FIFOs and devices are named, never
  opened);
* for every file the registers name: its resolved path and stat record (size, mtime, ctime,
  inode, device), or why there is none (refused by the root, missing, not a regular file).

A key is taken before the audit reads anything and taken again after it finished; it is recorded
only when the two are equal and no file's times were within :data:`~docaudit.digests.RACY_NS` of
the check (a file changed in the same clock tick as it was read would look unchanged: the rule
the file-digest cache follows). A file rewritten during the run, even back to the same bytes,
has a new ctime, so the two keys differ. ``--no-cache`` and ``--rehash`` never replay; a CSV output (rendered
from the scan's objects, not from the report) and databases other than a SQLite file run the
full audit, which reuses the cached evidence as before.

This module imports neither SQLAlchemy nor the scan: that is the point of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import sqlite3
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .register.readers import REGISTER_NAMES
from .store_layout import DONE, RUNNING, SCHEMA_VERSION, SQLITE_BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    from .config import AuditConfig

KEY_VERSION = "1"
"""Changes whenever what the key covers changes: older keys then never match."""

FileName = tuple[int, str]
"""(source index, the file's path as the register gives it)."""


# --------------------------------------------------------------------------- the key


MAX_INPUT_BYTES = 1 << 30
"""A register, trust, baseline or rule file larger than this is not hashed: the key then holds
only its stat record (which any rewrite changes)."""


class _Reading:
    """The small input files read for one key: each one's bytes *and* stat record go into the key,
    and the newest change among them is kept. A file rewritten while an audit runs — even back to
    the same bytes, as an export job rewriting a register in place does — gets a new ctime (which
    no user can set back), so the key taken after the run differs from the one taken before; and
    a file changed within the racy window of the check is not trusted at all."""

    def __init__(self) -> None:
        self.newest_ns = 0

    def file(self, path: Path | str) -> str:
        """What a file is: SHA-256 and stat record of a regular file; for anything else (missing, a
        FIFO, a device, too large) what it is, without opening anything that could block."""
        from .evidence.regular import NotRegular, TooLarge, open_regular, read_chunks

        try:
            info = os.stat(path)
        except OSError as exc:
            return f"missing:{exc.errno}"
        record = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}"
        self.newest_ns = max(self.newest_ns, info.st_mtime_ns, info.st_ctime_ns)
        if not stat.S_ISREG(info.st_mode):
            return f"special:{stat.S_IFMT(info.st_mode)}:{record}"
        if info.st_size > MAX_INPUT_BYTES:
            return f"large:{record}"
        digest = hashlib.sha256()
        try:
            with open_regular(path, MAX_INPUT_BYTES) as (fd, _info):
                for chunk in read_chunks(fd, MAX_INPUT_BYTES):
                    digest.update(chunk)
        except (OSError, NotRegular, TooLarge) as exc:
            return f"unreadable:{type(exc).__name__}:{getattr(exc, 'errno', '')}:{record}"
        return f"{digest.hexdigest()}:{record}"

    def tree(self, folder: Path) -> str:
        """The names and :meth:`file` of every file under ``folder``, symbolic links to folders
        followed as the readers follow them (each real folder once), ``__pycache__`` left out."""
        digest = hashlib.sha256()
        seen: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:  # a link back up the tree
                dirnames[:] = []
                continue
            seen.add(real)
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(dirpath, name)
                digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
                digest.update(self.file(path).encode() + b"\0")
        return digest.hexdigest()

    def trust(self, path: Path) -> str:
        """What ``load_trust`` reads: a file, or the certificate files at the top of a folder (the
        other names are listed, not read: a large unrelated file costs nothing)."""
        if not path.is_dir():
            return self.file(path)
        from .signatures.trust import CERT_SUFFIXES

        digest = hashlib.sha256()
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            digest.update(entry.name.encode("utf-8", "surrogateescape") + b"\0")
            if os.path.splitext(entry.name)[1].lower() in CERT_SUFFIXES:
                digest.update(self.file(entry.path).encode() + b"\0")
        return digest.hexdigest()

    def targets(self, name_or_path: str | None) -> str:
        """The target pack the audit will load (a name resolves to a file, wherever it is)."""
        from .targets import resolve_pack_path

        try:
            return self.file(resolve_pack_path(name_or_path))
        except Exception as exc:  # noqa: BLE001 - the audit itself reports an unknown pack
            return f"error:{exc}"

    def rules(self) -> str:
        """The rule and target packs (data, read when the audit loads them: hashed every time)."""
        from .rules_data import rules_dir

        try:
            return self.tree(rules_dir())
        except Exception as exc:  # noqa: BLE001 - the audit itself reports a missing rules folder
            return f"error:{exc}"

    def baseline(self, path: Path, today: dt.date) -> Any:
        """The baseline and which of its entries have expired today (an entry expiring overnight
        changes what is accepted without changing the file)."""
        if not path.is_file():
            return self.file(path)
        from .baseline import load_baseline

        state = self.file(path)
        try:
            entries = load_baseline(path).entries
        except Exception as exc:  # noqa: BLE001 - the full audit reports a bad baseline properly
            return {"file": state, "error": str(exc)}
        return {"file": state, "expired": [i for i, e in enumerate(entries) if e.expired(today)]}


def _installed() -> str:
    """The distributions installed where Python imports from (their ``*.dist-info`` names carry
    the versions): one directory listing per path entry, not a metadata lookup per library."""
    names = []
    for entry in sys.path:
        try:
            names += [f"{entry}/{n}" for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8", "surrogateescape")).hexdigest()


@functools.lru_cache(maxsize=1)
def _code() -> tuple[str, int]:
    """docaudit's own files and the installed distributions, and the newest change among the
    files: hashed once per process (the code that runs is the code that was imported)."""
    from . import __version__

    reading = _Reading()
    state = {"docaudit": __version__, "package": reading.tree(Path(__file__).resolve().parent),
             "installed": _installed(), "python": sys.version}
    return json.dumps(state, sort_keys=True), reading.newest_ns


@dataclass(frozen=True)
class Settings:
    """Everything the results depend on except the documents, as one digest."""

    digest: str
    newest_ns: int
    """The newest modification or status change among the files read for it (racy check)."""


def settings_digest(config: "AuditConfig", today: dt.date) -> Settings:
    """Code, settings and small input files (registers, trust, target pack, baseline, rules)."""
    from .incremental import validation_time_key

    reading = _Reading()
    code, code_newest = _code()
    sources = []
    for source in config.sources:
        if source.register is not None:
            registers = {str(source.register): reading.file(Path(source.register))}
        else:  # found in the root: a register.csv added beside a register.xlsx changes which is read
            registers = {name: reading.file(Path(source.root) / name) for name in REGISTER_NAMES
                         if (Path(source.root) / name).exists()}
        sources.append(registers)
    state = {
        "key": KEY_VERSION,
        "code": code,
        "rules": reading.rules(),
        "config": config.hash,
        "lang": config.lang,
        "limits": repr(config.limits),
        "validation_time": validation_time_key(config.validation_time),
        "registers": sources,
        "trust": {str(p): reading.trust(Path(p)) for p in config.trust},
        "targets": [config.targets, reading.targets(config.targets)],
        "baseline": reading.baseline(config.baseline_path, today),
    }
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
    return Settings(hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest(),
                    max(reading.newest_ns, code_newest))


def _state(confiner: Any, name: str, started_ns: int) -> tuple[list[Any], bool]:
    """A register file's state and whether it is too fresh to be trusted (racy)."""
    from .digests import RACY_NS, FileStat

    path = confiner.path(name)
    if path is None:
        return ["refused"], False
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        return ["missing", getattr(exc, "errno", None)], False
    if not stat.S_ISREG(info.st_mode):
        return ["special", stat.S_IFMT(info.st_mode)], False
    record = FileStat.of(info)
    racy = max(record.mtime_ns, record.ctime_ns) + RACY_NS > started_ns
    return [path, record.size, record.mtime_ns, record.ctime_ns, record.ino, record.dev], racy


@dataclass(frozen=True)
class Snapshot:
    """The key of an audit's inputs at one moment."""

    settings: str
    files: tuple[FileName, ...]
    states: str
    """SHA-256 of every file's state, in ``files`` order."""
    racy: bool
    """Some file changed too recently for its stat record to be trusted: no key is recorded."""

    @classmethod
    def take(cls, config: "AuditConfig", files: Iterable[FileName], settings: Settings) -> "Snapshot":
        from .digests import RACY_NS
        from .evidence.confine import Confiner

        files = tuple(files)
        started = time.time_ns()
        confiners = [Confiner(Path(s.root)) for s in config.sources]
        digest, racy = hashlib.sha256(), settings.newest_ns + RACY_NS > started
        for index, name in files:
            state, fresh = _state(confiners[index], name, started)
            racy = racy or fresh
            digest.update(json.dumps(state).encode("utf-8", "surrogateescape") + b"\n")
        return cls(settings.digest, files, digest.hexdigest(), racy)

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.settings}\0{self.states}".encode()).hexdigest()

    @property
    def files_json(self) -> str:
        return json.dumps([list(f) for f in self.files], ensure_ascii=False)


def record(store: Any, config: "AuditConfig", before: Snapshot, run_id: int, today: dt.date) -> bool:
    """Remember the inputs of the finished audit ``run_id`` if they were the same before it read
    anything (``before``) and now, and none was too fresh to trust; say whether they were."""
    if before.racy:
        return False
    after = Snapshot.take(config, before.files, settings_digest(config, today))
    if after != before:
        return False
    store.save_run_inputs(run_id, config.hash, before.key, before.files_json)
    return True


def register_files(registers: Sequence[Any]) -> tuple[FileName, ...]:
    """The (source index, file) of every register entry naming a file, one register per source."""
    return tuple((index, entry.file) for index, register in enumerate(registers)
                 for entry in register.entries if entry.file)


# --------------------------------------------------------------------------- the database


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (``sqlite:///path``), or ``None`` for anything else."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix):]
            if not rest or rest == ":memory:" or "?" in rest or "%" in rest:
                return None
            return Path(rest)
    return None


def database_file(config: "AuditConfig") -> tuple[Path, str] | None:
    """The SQLite file (and URL) this audit stores its run in — named as the full audit names it
    (``config.db_url_for``) — if that is a plain SQLite file that exists."""
    from .config import db_url_for

    url, _note = db_url_for(config)  # a fallback's note is in the stored report already
    path = sqlite_file(url)
    return (path, url) if path is not None and path.is_file() else None


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _stamp(moment: dt.datetime) -> str:
    """A time as SQLAlchemy stores a ``DateTime`` in SQLite (UTC, no offset)."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


# How each run-scoped table is copied: column → SQL expression ({run}: the new run id, {<table>}:
# the id shift of that table); other columns are copied as they are. ``where`` selects the old
# run's rows ({old}). tests/audit/test_replay.py checks this against every foreign key of the schema.
COPIES: tuple[tuple[str, dict[str, str], str], ...] = (
    ("docaudit_register_row", {"id": "id + {docaudit_register_row}", "run_id": "{run}"}, "run_id = {old}"),
    ("docaudit_document", {"id": "id + {docaudit_document}", "run_id": "{run}",
                           "register_row_id": "register_row_id + {docaudit_register_row}"}, "run_id = {old}"),
    ("docaudit_signature", {"id": None, "document_id": "document_id + {docaudit_document}"},
     "document_id IN (SELECT id FROM docaudit_document WHERE run_id = {old})"),
    ("docaudit_finding", {"id": None, "run_id": "{run}",
                          "register_row_id": "register_row_id + {docaudit_register_row}"}, "run_id = {old}"),
    ("docaudit_row_error", {"id": None, "run_id": "{run}"}, "run_id = {old}"),
    ("docaudit_run_agency", {"id": None, "run_id": "{run}"}, "run_id = {old}"),
    ("docaudit_run_info", {"run_id": "{run}", "documents_evaluated": "0",
                           "documents_reused": "COALESCE(documents_evaluated, 0) + COALESCE(documents_reused, 0)"},
     "run_id = {old}"),
    ("docaudit_run_inputs", {"run_id": "{run}", "replay_of": "COALESCE(replay_of, {old})"}, "run_id = {old}"),
)
SHIFTED = ("docaudit_register_row", "docaudit_document")
"""Tables whose ids are shifted (others point at them); the rest get new ids from SQLite."""
NOT_COPIED = ("docaudit_meta", "docaudit_scan_run", "docaudit_report_part", "docaudit_evidence_cache",
              "docaudit_findings_cache", "docaudit_file_digest")
"""The run row and its report are written anew; the caches are not per run."""


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _copy_rows(conn: sqlite3.Connection, old: int, new: int) -> None:
    values: dict[str, int] = {"run": new, "old": old}
    for table in SHIFTED:
        lowest = conn.execute(f"SELECT MIN(id) FROM {table} WHERE run_id = ?", (old,)).fetchone()[0]
        highest = conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0]
        # every copied id lands above every id in the table: no clash, whatever the old ids were
        values[table] = 0 if lowest is None else int(highest) + 1 - int(lowest)
    for table, changes, where in COPIES:
        targets, exprs = [], []
        for column in _columns(conn, table):
            expr = changes.get(column, column)
            if expr is None:  # a fresh id
                continue
            targets.append(column)
            exprs.append(expr.format(**values))
        conn.execute(f"INSERT INTO {table} ({', '.join(targets)}) SELECT {', '.join(exprs)} FROM {table} "
                     f"WHERE {where.format(**values)}")


def _load_report(conn: sqlite3.Connection, run_id: int) -> tuple[str, dict[str, Any]] | None:
    """The stored report of ``run_id``: its JSON text and the report."""
    first = conn.execute("SELECT report_json FROM docaudit_scan_run WHERE id = ?", (run_id,)).fetchone()
    if first is None or first[0] is None:
        return None
    rest = [row[0] for row in conn.execute(
        "SELECT text FROM docaudit_report_part WHERE run_id = ? ORDER BY seq", (run_id,))]
    text = first[0] + "".join(rest)
    report = json.loads(text)
    return (text, report) if _complete(conn, run_id, report) else None


def _complete(conn: sqlite3.Connection, run_id: int, report: Any) -> bool:
    """A stored report that can stand for its run: an audit's, with an entry per stored register
    row (a damaged or foreign report is not replayed: the full audit runs instead)."""
    if not isinstance(report, dict) or not isinstance(report.get("entries"), list):
        return False
    if not all(isinstance(report.get(key), dict) for key in ("agencies", "overall", "run", "baseline")):
        return False
    rows = conn.execute("SELECT COUNT(*) FROM docaudit_register_row WHERE run_id = ?", (run_id,)).fetchone()[0]
    return report.get("run_id") == run_id and len(report["entries"]) == rows


_ENTRIES_OPEN = '\n  "entries": [\n'
_ENTRIES_EMPTY = '\n  "entries": []'
_ENTRIES_CLOSE = "\n  ]"


def report_text(report: Mapping[str, Any], old_text: str | None = None) -> str:
    """The JSON text of ``report`` as the store and the JSON output write it (an entry per line).
    With ``old_text``, the stored text of a report with the same entries, the entries are taken
    from it rather than encoded again (most of the text: 40 ms for 2,000 entries): an entry is
    one line indented by four spaces, so the array ends at the first line that is ``  ]``."""
    from .jsonstream import dumps

    start = old_text.find(_ENTRIES_OPEN) if old_text is not None else -1
    if start < 0 or "entries" not in report:
        return dumps(report, indent=2, one_line_items=True)
    end = old_text.find(_ENTRIES_CLOSE, start + len(_ENTRIES_OPEN))
    shell = dumps({k: ([] if k == "entries" else v) for k, v in report.items()}, indent=2, one_line_items=True)
    if end < 0 or shell.count(_ENTRIES_EMPTY) != 1:
        return dumps(report, indent=2, one_line_items=True)
    return shell.replace(_ENTRIES_EMPTY, old_text[start:end + len(_ENTRIES_CLOSE)])


def _restamp(report: dict[str, Any], run_id: int, replay_of: int, started: dt.datetime,
             finished: dt.datetime, config_file: str | None) -> None:
    """The replayed report as the new run's: its id and times, every document reused (and the
    config file it was run with: the same settings may come from another path)."""
    report["run_id"] = run_id
    report["started"], report["finished"] = started.isoformat(), finished.isoformat()
    run = report.get("run")
    if not isinstance(run, dict):
        return
    run.update(id=run_id, started=report["started"], finished=report["finished"], replay_of=replay_of,
               config_file=config_file)
    for holder in [run, *(s for s in run.get("sources") or [] if isinstance(s, dict))]:
        total = int(holder.get("documents_evaluated") or 0) + int(holder.get("documents_reused") or 0)
        holder["documents_evaluated"], holder["documents_reused"] = 0, total


OVERLAY = ("run_id", "started", "finished", "run")
"""The keys of a replayed run's report that differ from the report it replays: all it stores."""


def _store_run(conn: sqlite3.Connection, old: int, report: dict[str, Any], started: dt.datetime,
               config_file: str | None = None) -> int:
    """Copy run ``old`` as a new run whose report is ``report`` re-stamped (here), in one
    transaction; the new run's id. The report itself is not stored again: the new run's
    ``report_json`` holds the :data:`OVERLAY` keys, laid over the replayed run's report when read
    (``docaudit_run_inputs.replay_of``; 6.5 MB less to write for 2,000 entries)."""
    columns = [c for c in _columns(conn, "docaudit_scan_run") if c != "id"]
    conn.execute("BEGIN IMMEDIATE")
    try:
        exprs = {"started": "?", "finished": "NULL", "status": "?", "report_json": "NULL"}
        cursor = conn.execute(
            f"INSERT INTO docaudit_scan_run ({', '.join(columns)}) "
            f"SELECT {', '.join(exprs.get(c, c) for c in columns)} FROM docaudit_scan_run WHERE id = ?",
            (_stamp(started), RUNNING, old),
        )
        new = int(cursor.lastrowid)
        _copy_rows(conn, old, new)
        finished = dt.datetime.now(dt.timezone.utc)
        _restamp(report, new, old, started, finished, config_file)
        overlay = json.dumps({key: report[key] for key in OVERLAY if key in report}, ensure_ascii=False)
        conn.execute("UPDATE docaudit_scan_run SET report_json = ?, status = ?, finished = ? WHERE id = ?",
                     (overlay, DONE, _stamp(finished), new))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return new


def _base_of(conn: sqlite3.Connection, run_id: int) -> int:
    """The full run whose report a run holds (itself, unless it is a replay)."""
    row = conn.execute("SELECT replay_of FROM docaudit_run_inputs WHERE run_id = ?", (run_id,)).fetchone()
    return int(row[0]) if row is not None and row[0] is not None else run_id


# --------------------------------------------------------------------------- the replayed run


@dataclass(frozen=True)
class ReplayedRun:
    """An audit whose results are those of the stored run ``replay_of``, stored as run ``run_id``.
    Offers what the ``audit`` command and its outputs read from an :class:`~docaudit.audit.AuditRun`."""

    config: "AuditConfig"
    report: dict[str, Any]
    run_id: int
    replay_of: int
    db_url: str
    json_pieces: tuple[str, ...] = ()
    """The report's JSON text (the JSON output's), its entries taken from the stored text."""

    @property
    def finished(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.report["finished"])

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(str(n) for n in self.report.get("notes") or ())

    @property
    def register_source(self) -> str:
        return str(self.report.get("register") or "register")

    @property
    def row_errors(self) -> tuple[tuple[int, str], ...]:
        return tuple((e.get("row"), e.get("reason")) for e in self.report.get("row_errors") or ())

    @property
    def missed_agencies(self) -> list[str]:
        return missed_agencies(self.report)

    @property
    def new_errors(self) -> int:
        return int((self.report.get("baseline") or {}).get("new_errors") or 0)

    @property
    def accepted(self) -> int:
        return int((self.report.get("baseline") or {}).get("accepted") or 0)

    @property
    def exit_ok(self) -> bool:
        return not self.missed_agencies and self.new_errors == 0

    @property
    def documents_evaluated(self) -> int:
        return 0

    @property
    def documents_reused(self) -> int:
        return int((self.report.get("run") or {}).get("documents_reused") or 0)


def missed_agencies(report: Mapping[str, Any]) -> list[str]:
    """Agencies that miss a target (either rate ``meets_target: false``), sorted."""
    return sorted(name for name, figures in (report.get("agencies") or {}).items()
                  if isinstance(figures, Mapping) and any(
                      (figures.get(rate) or {}).get("meets_target") is False for rate in ("via_software", "paperless")))


def replay(config: "AuditConfig", today: dt.date) -> ReplayedRun | None:
    """Store the results of the last audit with this config as a new run, if nothing they depend
    on changed since; ``None`` (nothing written) otherwise, or if anything about the database is
    unexpected — the full audit then runs and says what is wrong."""
    started = dt.datetime.now(dt.timezone.utc)
    found_db = database_file(config)
    if found_db is None:
        return None
    path, url = found_db
    try:
        conn = _connect(path)
    except sqlite3.Error:
        return None
    try:
        version = conn.execute("SELECT value FROM docaudit_meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0].strip() != str(SCHEMA_VERSION):
            return None
        found = conn.execute(
            "SELECT i.run_id, i.inputs_key, i.files_json FROM docaudit_run_inputs i "
            "JOIN docaudit_scan_run r ON r.id = i.run_id WHERE i.config_hash = ? AND r.status = ? "
            "ORDER BY i.run_id DESC LIMIT 1", (config.hash, DONE)).fetchone()
        if found is None:
            return None
        old, key, files_json = found
        files = [(int(i), str(name)) for i, name in json.loads(files_json)]
        if any(i >= len(config.sources) for i, _ in files):
            return None
        now = Snapshot.take(config, files, settings_digest(config, today))
        if now.racy or now.key != key:
            return None
        base = _base_of(conn, old)
        stored = _load_report(conn, base)
        if stored is None:
            return None
        base_text, report = stored
        if base != old:  # the last run is a replay: its own keys over its base's report, as Store.load_report reads it
            overlay = json.loads(conn.execute("SELECT report_json FROM docaudit_scan_run WHERE id = ?",
                                              (old,)).fetchone()[0])
            report.update({key: overlay[key] for key in OVERLAY if key in overlay})
        new = _store_run(conn, old, report, started, str(config.path) if config.path else None)
        return ReplayedRun(config, report, new, old, url, (report_text(report, base_text),))
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        if os.environ.get("DOCAUDIT_DEBUG"):  # as for internal errors: the traceback on request
            raise
        return None
    finally:
        conn.close()
