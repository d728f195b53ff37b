"""One run written while the scan goes on (issue 6: an interrupted scan loses at most one batch).

    writer = RunWriter.start(store, root=..., register_path=..., ...)   # the run row: "running"
    writer.save_row_errors(register.errors)
    writer.write(batch)                       # one transaction per batch of entry results
    writer.attach(index, findings)            # late findings of the entry written index-th
    writer.finish(report)                     # late findings + report + figures, status "done"

Until ``finish`` the run keeps the status ``running``: history, diff, report, baseline and the
latest-run lookups only ever see ``done`` runs, so a killed scan leaves its completed batches in
the database without ever passing for a finished run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from docaudit.model import EntryResult, Finding, RowError
from docaudit.pipeline.report import AuditReport

if TYPE_CHECKING:
    from .database import Store


class RunWriter:
    """Appends one run's entry results to the store, batch by batch, and finishes the run.

    Keeps only the register row id of each entry written (an int per entry), so findings known
    only at the end of the scan (register-level rules) can be attached to rows already stored."""

    def __init__(self, store: "Store", run_id: int) -> None:
        self.store = store
        self.run_id = run_id
        self._row_ids: list[int] = []
        self._late: list[tuple[int, Finding]] = []

    @classmethod
    def start(cls, store: "Store", **run: Any) -> "RunWriter":
        """A new run (``Store.start_run`` keywords) to write into."""
        return cls(store, store.start_run(**run))

    @property
    def written(self) -> int:
        """Entries written so far (the index the next entry will get)."""
        return len(self._row_ids)

    def save_row_errors(self, errors: Sequence[RowError]) -> None:
        self.store.save_row_errors(self.run_id, errors)

    def write(self, batch: Sequence[EntryResult]) -> None:
        """Store one batch of entry results (one transaction)."""
        if batch:
            self._row_ids.extend(self.store.save_results(self.run_id, batch))

    def attach(self, index: int, findings: Sequence[Finding]) -> None:
        """Findings for the ``index``-th entry written, saved by :meth:`finish`."""
        row_id = self._row_ids[index]
        self._late.extend((row_id, finding) for finding in findings)

    def finish(self, report: AuditReport) -> None:
        """Attach the late findings, store the report and the figures, mark the run ``done``."""
        self.store.finish_run(self.run_id, report, findings=self._late)
        self._late = []
