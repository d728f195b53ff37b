"""docaudit's model objects as rows of the results database: plain column dicts, written with bulk
inserts (building ORM objects cost more than the database did), and the JSON of their list and
mapping fields. Module-level functions, so a test can make one of them fail half-way through a batch."""

from __future__ import annotations

import datetime as dt
import enum
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from docaudit.model import Evidence, FileStatus, Finding, RegisterEntry, SignatureReport


def jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=jsonable)


def dumps_texts(items: Sequence[Any]) -> str:
    """``dumps(list(items))``, remembered for lists of strings: the same reasons and key usages
    recur on thousands of rows. (Strings only: ``1`` and ``1.0`` are equal keys of a cache.)"""
    items = tuple(items)
    if all(type(item) is str for item in items):
        return dumps_strings(items)
    return dumps(list(items))


@lru_cache(maxsize=4096)
def dumps_strings(items: tuple[str, ...]) -> str:
    return dumps(list(items))


def dumps_extra(extra: Mapping[str, Any]) -> str:
    return "{}" if not extra else dumps(dict(extra))


def val(value: Any) -> Any:
    """Enum → its value; anything else unchanged."""
    return value.value if isinstance(value, enum.Enum) else value


def register_row(run_id: int, e: RegisterEntry) -> dict[str, Any]:
    return dict(
        run_id=run_id,
        row=e.row,
        agency=e.agency,
        direction=val(e.direction),
        number=e.number,
        doc_type=e.doc_type,
        date=e.date,
        subject=e.subject,
        counterparty=e.counterparty,
        channel=val(e.channel),
        via_system=bool(e.via_system),
        file=e.file,
        extra_json=dumps_extra(e.extra),
    )


def document(run_id: int, register_row_id: int, ev: Evidence) -> dict[str, Any]:
    dv = ev.verdict
    return dict(
        run_id=run_id,
        register_row_id=register_row_id,
        path=ev.path,
        sha256=ev.sha256,
        size=ev.size,
        kind=ev.kind,
        status=val(ev.status),
        reason=ev.reason,
        pages=ev.pages,
        encrypted=bool(ev.encrypted),
        image_only=bool(ev.image_only),
        verdict=val(dv.verdict) if dv else None,
        verdict_reasons=dumps_texts(dv.reasons if dv else ()),
    )


def signature(document_id: int, s: SignatureReport) -> dict[str, Any]:
    return dict(
        document_id=document_id,
        field=s.field,
        kind=s.kind,
        verdict=val(s.verdict),
        reasons=dumps_texts(s.reasons),
        signer=s.signer,
        signer_name=s.signer_name,
        issuer=s.issuer,
        serial=s.serial,
        signing_time=s.signing_time.isoformat() if s.signing_time else None,
        digest_algorithm=s.digest_algorithm,
        signature_algorithm=s.signature_algorithm,
        key_algorithm=s.key_algorithm,
        key_size=s.key_size,
        key_usage=dumps_texts(s.key_usage),
        coverage=s.coverage,
        modification=s.modification,
        role=s.role,
        role_basis=s.role_basis,
        revision=s.revision,
        page=s.page,
        rect_json=dumps(list(s.rect)) if s.rect is not None else None,
        detail=s.detail,
    )


def finding(run_id: int, register_row_id: int, f: Finding) -> dict[str, Any]:
    rule, severity, message, reference = _finding_columns(f)
    return dict(run_id=run_id, register_row_id=register_row_id, rule=rule, severity=severity, message=message,
                reference=reference)


@lru_cache(maxsize=4096)
def _finding_columns(f: Finding) -> tuple[str, str, str, str | None]:
    """A finding's own columns, its message rendered once: equal findings recur on thousands of
    entries (the same rule, the same problem), and findings are immutable."""
    return f.rule, val(f.severity), f.message, f.reference


def has_document(ev: Evidence) -> bool:
    """A register entry that names no file (paper-only) has no document row."""
    return not (val(ev.status) == FileStatus.NONE.value and ev.path is None)
