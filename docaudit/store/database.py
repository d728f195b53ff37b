"""The :class:`Store`: one open results database. It owns the engine and the transactions and
turns every database error into a one-line :class:`~docaudit.errors.StoreError`; what each
operation reads or writes is in ``runs``, ``history`` and ``cache``."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from docaudit.errors import StoreError
from docaudit.model import EntryResult, Finding, RowError
from docaudit.pipeline.report import AuditReport

from . import cache, history, revocation_cache, runs
from .cache import CACHE_KEEP_DAYS
from .connection import create_engine, mask_url, reason
from .history import AgencyRates, RunRecord
from .migrations import prepare_schema
from .runs import NoSuchRun, RunSummary


class Store:
    """The results database of docaudit scans.

    Open with ``Store.open(url)`` (preferably as a context manager). Every method runs in its own
    short transaction, so one ``Store`` may be shared by threads. The tables stay inside this
    package: callers pass and get back ``docaudit.model`` objects, plain dicts and ints.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self.url = url
        """The database URL with the password masked (safe to print)."""

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def open(cls, url: str) -> Store:
        masked = mask_url(url)
        engine: Engine | None = None
        try:
            engine = create_engine(url)
            prepare_schema(engine, masked)
        except StoreError:
            if engine is not None:
                engine.dispose()
            raise
        except Exception as err:  # noqa: BLE001 - any driver/URL/OS error becomes one line
            if engine is not None:
                engine.dispose()
            raise StoreError(f"cannot open database {masked}: {reason(err, url)}") from err
        return cls(engine, masked)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _transaction(self, action: str) -> Iterator[Connection]:
        """One transaction: committed at the end, rolled back on any exception (also Ctrl-C)."""
        try:
            with self._engine.begin() as conn:
                yield conn
        except StoreError:
            raise
        except NoSuchRun as err:
            raise StoreError(f"no scan run {err.run_id} in database {self.url}") from None
        except SQLAlchemyError as err:
            raise StoreError(f"cannot {action} in database {self.url}: {reason(err, '')}") from err

    # ------------------------------------------------------------------ writing runs

    def start_run(self, *, root: str | Path, register_path: str | Path | None, period_start: dt.date | None,
                  period_end: dt.date | None, targets: Mapping[str, Any], trust_fingerprint: str | None,
                  validation_time: str | None, tool_version: str | None) -> int:
        """Record a new scan (status ``running``) and return its id."""
        with self._transaction("start a scan run") as conn:
            return runs.start_run(conn, root=root, register_path=register_path, period_start=period_start,
                                  period_end=period_end, targets=targets, trust_fingerprint=trust_fingerprint,
                                  validation_time=validation_time, tool_version=tool_version)

    def save_results(self, run_id: int, results: Sequence[EntryResult]) -> list[int]:
        """Write a batch of results (register rows, documents, signatures, findings) and return
        the ids of their register rows, in order (findings known only later, such as the
        register-level rules, are attached to them by ``finish_run``). All or nothing: the batch
        is one transaction, so an interrupted scan never leaves half an entry behind."""
        if not results:
            return []
        with self._transaction("save results") as conn:
            return runs.save_results(conn, run_id, results)

    def save_row_errors(self, run_id: int, errors: Sequence[RowError]) -> None:
        """Record the register rows that could not be parsed (one transaction)."""
        if errors:
            with self._transaction("save register row errors") as conn:
                runs.save_row_errors(conn, run_id, errors)

    def finish_run(self, run_id: int, report: AuditReport, findings: Sequence[tuple[int, Finding]] = ()) -> None:
        """Store the report (as its JSON, docs/REPORT.md) and its figures, and mark the run ``done``.

        ``findings`` are (register row id, finding) pairs known only once every entry had been
        written (the register-level rules); they are saved in the same transaction, so a run
        marked ``done`` always has all of its findings. The report is encoded as it is written,
        in parts of ``runs.REPORT_PART_CHARS``: a large report's text is never held whole."""
        parts = runs.report_parts(report)
        try:
            first = next(parts)
            with self._transaction("finish the scan run") as conn:
                runs.finish_run(conn, run_id, first, parts, report, findings)
        except (TypeError, ValueError) as err:  # the report does not encode: nothing was written
            raise StoreError(f"cannot store the report of scan run {run_id}: {err}") from err

    # ------------------------------------------------------------------ reading runs

    def latest_run_id(self) -> int | None:
        """The id of the most recently finished run, or ``None``."""
        with self._transaction("read scan runs") as conn:
            return runs.latest_run_id(conn)

    def load_report(self, run_id: int) -> AuditReport:
        """The report stored by ``finish_run``: the same object the run produced."""
        return AuditReport.from_json(self.load_report_json(run_id), stored_in=self.url)

    def load_report_json(self, run_id: int) -> dict[str, Any]:
        """The stored report's JSON as the database holds it."""
        with self._transaction("read the report") as conn:
            text = runs.report_text(conn, run_id)
        return json.loads(text)

    def run_summary(self, run_id: int) -> RunSummary:
        """How many entries, documents, signatures, findings and row errors a run holds."""
        with self._transaction("read the scan run") as conn:
            return runs.run_summary(conn, run_id)

    # ------------------------------------------------------------------ history

    def runs(self, limit: int | None = None, before: int | None = None) -> list[RunRecord]:
        """Finished runs, oldest first (the most recent ``limit`` of them)."""
        with self._transaction("read scan runs") as conn:
            return history.runs(conn, limit, before)

    def agency_rates(self, run_ids: Iterable[int], agency: str | None = None) -> list[AgencyRates]:
        """Per-agency figures of these runs (``agency`` filters, case-insensitive)."""
        with self._transaction("read run figures") as conn:
            return history.agency_rates(conn, run_ids, agency)

    # ------------------------------------------------------------------ the caches

    def cached_evidence(self, digests: Iterable[str], context: str, trust_context: str) -> list[tuple[str, str, str]]:
        """(sha256, trust_context, evidence_json) stored for these digests (see ``cache``)."""
        with self._transaction("read the evidence cache") as conn:
            return cache.cached_evidence(conn, digests, context, trust_context)

    def save_cached_evidence(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        if rows:
            with self._transaction("write the evidence cache") as conn:
                cache.save_cached_evidence(conn, rows)

    def cached_findings(self, keys: Iterable[tuple[str, str]], context: str,
                        trust_contexts: Iterable[str]) -> dict[tuple[str, str, str], str]:
        """(sha256, entry_key, trust_context) → findings_json (see ``cache``)."""
        with self._transaction("read the findings cache") as conn:
            return cache.cached_findings(conn, keys, context, trust_contexts)

    def save_cached_findings(self, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
        if rows:
            with self._transaction("write the findings cache") as conn:
                cache.save_cached_findings(conn, rows)

    def file_digests(self, path_keys: Iterable[str]) -> dict[str, tuple[int, int, int, int, int, str, int]]:
        """path key → (size, mtime_ns, ctime_ns, ino, dev, sha256, read_ns) (see ``cache``)."""
        with self._transaction("read the file digests") as conn:
            return cache.file_digests(conn, path_keys)

    def save_file_digests(self, rows: Sequence[tuple[str, int, int, int, int, int, str, int]]) -> None:
        if rows:
            with self._transaction("write the file digests") as conn:
                cache.save_file_digests(conn, rows)

    def prune_evidence_cache(self, keep_days: int = CACHE_KEEP_DAYS) -> int:
        """Forget cache rows not noted used for ``keep_days`` days; how many evidence rows went."""
        with self._transaction("prune the evidence cache") as conn:
            revocation_cache.prune_revocation_cache(conn, keep_days)  # online revocation: the same rule
            return cache.prune_evidence_cache(conn, keep_days)

    # ------------------------------------------------------------------ online revocation (issue 16 item 4)
    # the ``RevocationStore`` of ``docaudit.signatures.online``: CRLs and OCSP responses kept between runs

    def cached_revocation(self, key: str) -> tuple[bytes, dt.datetime | None, dt.datetime | None] | None:
        """(data, thisUpdate, nextUpdate) of the CRL or OCSP response kept under ``key``, if any."""
        with self._transaction("read the revocation cache") as conn:
            return revocation_cache.cached_revocation(conn, key)

    def save_revocation(self, key: str, kind: str, url: str, data: bytes, this_update: dt.datetime | None,
                        next_update: dt.datetime | None) -> None:
        with self._transaction("write the revocation cache") as conn:
            revocation_cache.save_revocation(conn, key, kind, url, data, this_update, next_update)

    def clear_evidence_cache(self) -> int:
        with self._transaction("clear the evidence cache") as conn:
            return cache.clear_evidence_cache(conn)
