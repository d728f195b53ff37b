"""The JSON report, schema ``docaudit.report/1`` (CONTRACT §6). Extra keys may be added; none of
the contract's keys may be renamed or removed without a new schema version."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Iterator

from .. import __version__
from ..rules import pack_summary
from ..metrics import counts_paperless, counts_via_software, why_not_counted
from ..model import EntryResult, SignatureReport
from ..jsonstream import LazyList, iter_dumps

if TYPE_CHECKING:
    from ..scan import ScanResult

SCHEMA = "docaudit.report/1"
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def signature_json(sig: SignatureReport) -> dict[str, Any]:
    return {
        "field": sig.field,
        "kind": sig.kind,
        "signer": sig.signer,
        "signer_name": sig.signer_name,
        "role": sig.role,
        "role_basis": sig.role_basis,
        "issuer": sig.issuer,
        "serial": sig.serial,
        # Vietnam time (ND 30: signing time shown in the Vietnam time zone, ISO 8601)
        "signing_time": sig.signing_time.astimezone(VIETNAM).isoformat() if sig.signing_time else None,
        "digest_algorithm": sig.digest_algorithm,
        "signature_algorithm": sig.signature_algorithm,
        "key_algorithm": sig.key_algorithm,
        "key_size": sig.key_size,
        "coverage": sig.coverage,
        "modification": sig.modification,
        "page": sig.page,
        "rect": list(sig.rect) if sig.rect else None,
        "verdict": sig.verdict.value,
        "reasons": list(sig.reasons),
        "detail": sig.detail,
    }


def entry_json(result: EntryResult) -> dict[str, Any]:
    entry, evidence = result.entry, result.evidence
    return {
        "row": entry.row,
        "agency": entry.agency,
        "direction": entry.direction.value,
        "number": entry.number,
        "doc_type": entry.doc_type,
        "date": entry.date.isoformat(),
        "subject": entry.subject,
        "channel": entry.channel.value,
        "via_system": entry.via_system,
        "file": evidence.path,
        "file_status": evidence.status.value,
        "file_reason": evidence.reason,
        "kind": evidence.kind,
        "sha256": evidence.sha256,
        "image_only": evidence.image_only,
        "present": evidence.present,
        "verdict": result.verdict.value if result.verdict and evidence.present else None,
        "counts": {"via_software": counts_via_software(result), "paperless": counts_paperless(result)},
        "not_counted": list(why_not_counted(result)),
        "signatures": [signature_json(s) for s in (evidence.verdict.signatures if evidence.verdict else ())],
        "findings": [
            {"rule": f.rule, "severity": f.severity.value, "message": f.message,
             "message_en": f.message_en or f.message, "reference": f.reference}
            for f in result.findings
        ],
    }


def build_report(result: "ScanResult", *, lazy: bool = False) -> dict[str, Any]:
    """The report as a dict. ``lazy``: ``entries`` is a :class:`~docaudit.jsonstream.LazyList` whose dicts
    are made one at a time as :func:`~docaudit.jsonstream.iter_dumps` writes them (a large scan's entry
    dicts then never exist all at once); for JSON text only."""
    period = result.options.period
    return {
        "schema": SCHEMA,
        "tool": {"name": "docaudit", "version": __version__},
        "run_id": result.run_id,
        "started": result.started.isoformat(),
        "finished": result.finished.isoformat(),
        "root": str(result.options.root),
        "register": result.register.source,
        "period": {
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
        },
        "targets": result.targets.as_json(),
        "target_pack": {"id": result.targets.id, "version": result.targets.version},
        "rule_pack": pack_summary(),
        "trust": {"fingerprint": result.trust.fingerprint, "certificates": result.trust.describe()},
        "validation_time": str(result.options.validation_time),
        "agencies": {name: figures.as_json() for name, figures in result.agencies.items()},
        "overall": result.overall.as_json(),
        "entries": LazyList(entry_json, result.results) if lazy else [entry_json(r) for r in result.results],
        "row_errors": [
            {"row": e.row, "agency": e.agency, "reason": e.reason, "reason_vi": e.reason_vi or e.reason}
            for e in result.register.errors
        ],
        "duplicates": [
            {"row": dropped.row, "duplicate_of_row": kept.row} for dropped, kept in result.selection.duplicates
        ],
        "notes": list(result.notes),
    }


def render(result: "ScanResult") -> str:
    return "".join(iter_render(result))


def iter_render(result: "ScanResult") -> Iterator[str]:
    """The text of :func:`render` in pieces, about one per entry (to write without holding it)."""
    return iter_dumps(build_report(result, lazy=True), indent=2, one_line_items=True)
