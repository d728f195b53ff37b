"""``scan()``: the library entry point behind ``docaudit scan`` — plan, run the pipeline, store.

    from docaudit.scan import ScanOptions, scan
    result = scan(ScanOptions(root=Path("audit"), trust=("roots/",)))
    result.report            # the AuditReport every output renders (once the run is stored)

The pipeline (:mod:`docaudit.pipeline`) judges the documents and computes the figures; this module
adds what a stored run needs around it. The CLI only wires options to it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from .pipeline.build import build_report
from .pipeline.options import ScanOptions
from .pipeline.plan import prepare_scan
from .pipeline.report import AuditReport
from .pipeline.run import ScanResult, run_plan
from .store import RunWriter, Store, locate

if TYPE_CHECKING:
    from .incremental import EvidenceCache

__all__ = ["ScanOptions", "ScanResult", "finish_scan", "scan"]


def scan(
    options: ScanOptions,
    progress: Callable[[int, int], None] | None = None,
    cache: "EvidenceCache | None" = None,
) -> ScanResult:
    """Run a whole scan. Raises a :class:`DocauditError` subclass for usage/config problems
    (before any file is read); bad rows and bad files are reported in the result instead.

    With ``options.store`` the run is recorded as it goes: the run row first (status
    ``running``), then each batch of entries, then the register-level findings, the figures and
    the report (status ``done``). ``cache`` (a :class:`docaudit.incremental.EvidenceCache`)
    makes the scan incremental."""
    plan = prepare_scan(options)
    if not options.store:
        return run_plan(plan, progress, cache)
    url, note = locate(options.db_url, options.root, create=True)
    if note:
        plan = replace(plan, notes=(*plan.notes, note))
    with Store.open(url) as store:
        if plan.settings.online is not None:  # online revocation: fetched CRLs and OCSP responses kept here
            plan.settings.online.cache = store
        writer = RunWriter.start(store, **plan.run_fields())
        writer.save_row_errors(plan.register.errors)
        return finish_scan(run_plan(plan, progress, cache, writer), writer, url)[0]


def finish_scan(
    result: ScanResult,
    writer: RunWriter,
    url: str,
    report: Callable[[ScanResult], AuditReport] | None = None,
) -> tuple[ScanResult, AuditReport]:
    """Finish the run ``result`` was written into: store its report (``report`` builds it; default:
    the scan's report) and return ``result`` with its ``run_id`` and report, and the report."""
    result = replace(result, run_id=writer.run_id, db_url=url)
    built = report(result) if report else build_report(result)
    writer.finish(built)
    return replace(result, report=built), built
