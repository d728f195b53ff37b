"""``AuditReport``: the one typed result every output reads (schema ``docaudit.report/1``).

A fresh scan, a fresh audit, a stored run and a re-rendered run all give the same object:

    report = build_report(scan_result)            # docaudit.pipeline.build
    text = report.to_json_text()                  # the JSON report, byte for byte as documented
    again = AuditReport.from_json(json.loads(text))
    assert again.to_json() == report.to_json()

Every output format (``docaudit.report.formats``) takes an ``AuditReport``; the store keeps its
JSON and gives back ``AuditReport.from_json``. Texts that a reader sees in either language
(finding messages, register row errors) are carried in both, as the JSON report carries them;
everything else is a code (verdicts, statuses, reasons not counted) translated only when rendered.

The JSON keys and their order are fixed here and nowhere else (docs/REPORT.md describes them):
none may be renamed or removed without a new schema version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from ..baseline import BaselineStatus, BaselineSummary
from ..jsonstream import REPORT_TEXT, LazyList, dumps, iter_dumps
from ..metrics import Figures, Rate
from ..text import Message, recognise
from ..text import render as render_text
from ..model import Channel, Direction, FileStatus, RevocationCheck, Severity, SignatureReport, Verdict

SCHEMA = "docaudit.report/1"
VIETNAM = dt.timezone(dt.timedelta(hours=7))
"""Signing times are shown in Vietnam time (NĐ 30/2020: ISO 8601, the Vietnam time zone)."""

JSONObject = Mapping[str, Any]

DEFAULT_TARGETS = {"via_software": {"op": ">", "threshold": 0.9}, "paperless": {"op": ">", "threshold": 0.8}}
"""The default pack's targets: what a report that names none is read with."""


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


# --------------------------------------------------------------------------- header parts


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date | None = None
    end: dt.date | None = None
    label: str | None = None
    """The period as the audit named it (``2021-H1``); ``None`` for a scan (no ``label`` key)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": _iso(self.start), "end": _iso(self.end)}
        if self.label is not None:
            out["label"] = self.label
        return out

    @classmethod
    def from_json(cls, data: JSONObject | None) -> ReportPeriod:
        data = data or {}
        return cls(_day(data.get("start")), _day(data.get("end")), data.get("label"))


@dataclass(frozen=True)
class TargetSpec:
    """One rate's target: ``rate OP threshold``, over ``denominator`` (total | via_software | claimed)."""

    op: str
    threshold: float
    denominator: str = "total"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "threshold": self.threshold}
        if self.denominator != "total":
            out["denominator"] = self.denominator
        return out

    @classmethod
    def from_json(cls, data: JSONObject) -> TargetSpec:
        return cls(str(data["op"]), float(data["threshold"]), str(data.get("denominator") or "total"))


@dataclass(frozen=True)
class Targets:
    pack_id: str | None
    pack_version: Any
    via_software: TargetSpec
    paperless: TargetSpec


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class ReportFinding:
    rule: str
    severity: Severity
    message: str
    """Vietnamese text."""
    message_en: str
    reference: str | None = None
    """The legal reference of the rule."""
    baseline: BaselineStatus | None = None
    """Set by an audit with a baseline (``docaudit audit``); ``None`` for a scan."""

    def text(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message

    def to_json(self) -> dict[str, Any]:
        out = {"rule": self.rule, "severity": self.severity.value, "message": self.message,
               "message_en": self.message_en, "reference": self.reference}
        if self.baseline is not None:
            out["baseline"] = self.baseline.to_json()
        return out

    @classmethod
    def from_json(cls, data: JSONObject) -> ReportFinding:
        return cls(str(data["rule"]), Severity(data.get("severity") or "info"), data.get("message") or "",
                   data.get("message_en") or data.get("message") or "", data.get("reference"),
                   BaselineStatus.from_json(data.get("baseline")))


def signature_to_json(sig: SignatureReport) -> dict[str, Any]:
    return {
        "field": sig.field,
        "kind": sig.kind,
        "signer": sig.signer,
        "signer_name": sig.signer_name,
        "role": sig.role,
        "role_basis": sig.role_basis,
        "issuer": sig.issuer,
        "serial": sig.serial,
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
        "path": list(sig.path) or None,
        "hierarchy": sig.hierarchy,
        # online revocation (--online only): what the CAs answered
        **({"revocation": revocation_to_json(sig.revocation)} if sig.revocation is not None else {}),
    }


# online revocation (--online, issue 16 item 4) -----------------------------------------------
def revocation_to_json(check: RevocationCheck) -> dict[str, Any]:
    def shown(moment: dt.datetime | None) -> str | None:  # in Vietnam time, as the signing time
        return moment.astimezone(VIETNAM).isoformat() if moment else None

    return {"status": check.status, "moment": shown(check.moment), "revoked_at": shown(check.revoked_at),
            "sources": list(check.sources), "problems": list(check.problems)}


def revocation_from_json(data: Any) -> RevocationCheck | None:
    if not isinstance(data, Mapping):
        return None
    return RevocationCheck(moment=_moment(data.get("moment")), status=data.get("status"),
                           revoked_at=_moment(data.get("revoked_at")), sources=tuple(data.get("sources") or ()),
                           problems=tuple(data.get("problems") or ()))


def signature_from_json(data: JSONObject) -> SignatureReport:
    rect = data.get("rect")
    return SignatureReport(
        field=str(data.get("field")), verdict=Verdict(data.get("verdict")), reasons=tuple(data.get("reasons") or ()),
        kind=data.get("kind") or "signature", signer=data.get("signer"), signer_name=data.get("signer_name"),
        issuer=data.get("issuer"), serial=data.get("serial"), signing_time=_moment(data.get("signing_time")),
        digest_algorithm=data.get("digest_algorithm"), signature_algorithm=data.get("signature_algorithm"),
        key_algorithm=data.get("key_algorithm"), key_size=data.get("key_size"), coverage=data.get("coverage"),
        modification=data.get("modification"), role=data.get("role"), role_basis=data.get("role_basis"),
        page=data.get("page"), rect=tuple(rect) if rect else None, detail=data.get("detail"),
        path=tuple(data.get("path") or ()), hierarchy=data.get("hierarchy"),
        revocation=revocation_from_json(data.get("revocation")),
    )


@dataclass(frozen=True)
class ReportEntry:
    """One in-scope register entry and everything concluded about it."""

    row: int
    agency: str
    direction: Direction
    number: str
    doc_type: str
    date: dt.date
    subject: str
    channel: Channel
    via_system: bool
    file: str | None
    file_status: FileStatus
    file_reason: str | None
    kind: str | None
    sha256: str | None
    image_only: bool
    verdict: Verdict | None
    """The document's signature verdict; ``None`` unless the file is present."""
    counts_via_software: bool
    counts_paperless: bool
    not_counted: tuple[str, ...]
    """Reason codes the entry does not count as paperless (empty when it counts)."""
    signatures: tuple[SignatureReport, ...] = ()
    findings: tuple[ReportFinding, ...] = ()
    source: int | None = None
    """Index of the audit's source the entry comes from (audits of several sources only)."""
    root: str | None = None
    """That source's audit folder (audits of several sources only)."""
    register: str | None = None
    """The name of that source's register, as the report names its rows (audits of several
    sources only; see :func:`docaudit.pipeline.merge.register_labels`)."""

    @property
    def present(self) -> bool:
        return self.file_status is FileStatus.PRESENT

    def to_json(self) -> dict[str, Any]:
        out = {
            "row": self.row,
            "agency": self.agency,
            "direction": self.direction.value,
            "number": self.number,
            "doc_type": self.doc_type,
            "date": self.date.isoformat(),
            "subject": self.subject,
            "channel": self.channel.value,
            "via_system": self.via_system,
            "file": self.file,
            "file_status": self.file_status.value,
            "file_reason": self.file_reason,
            "kind": self.kind,
            "sha256": self.sha256,
            "image_only": self.image_only,
            "present": self.present,
            "verdict": self.verdict.value if self.verdict is not None else None,
            "counts": {"via_software": self.counts_via_software, "paperless": self.counts_paperless},
            "not_counted": list(self.not_counted),
            "signatures": [signature_to_json(s) for s in self.signatures],
            "findings": [f.to_json() for f in self.findings],
        }
        if self.source is not None:
            out["source"] = self.source
            out["root"] = self.root
        if self.register is not None:
            out["register"] = self.register
        return out

    @classmethod
    def from_json(cls, data: JSONObject) -> ReportEntry:
        counts = data.get("counts") or {}
        verdict = data.get("verdict")
        return cls(
            row=int(data.get("row") or 0), agency=str(data.get("agency") or ""),
            direction=Direction(data.get("direction")), number=str(data.get("number") or ""),
            doc_type=str(data.get("doc_type") or ""), date=dt.date.fromisoformat(data["date"]),
            subject=str(data.get("subject") or ""), channel=Channel(data.get("channel")),
            via_system=bool(data.get("via_system")), file=data.get("file"),
            file_status=FileStatus(data.get("file_status") or ("present" if data.get("present") else "none")),
            file_reason=data.get("file_reason"), kind=data.get("kind"), sha256=data.get("sha256"),
            image_only=bool(data.get("image_only")), verdict=Verdict(verdict) if verdict else None,
            counts_via_software=bool(counts.get("via_software")), counts_paperless=bool(counts.get("paperless")),
            not_counted=tuple(data.get("not_counted") or ()),
            signatures=tuple(signature_from_json(s) for s in data.get("signatures") or ()),
            findings=tuple(ReportFinding.from_json(f) for f in data.get("findings") or ()),
            source=data.get("source"), root=data.get("root"), register=data.get("register"),
        )


@dataclass(frozen=True)
class ReportRowError:
    """A register row that could not be read (left out of every count), in both languages."""

    row: int
    agency: str | None
    reason: str
    """English text (in an audit of several registers, after the register's name and ``": "``)."""
    reason_vi: str
    register: str | None = None
    """The name of the row's register (audits of several registers only), as in :attr:`ReportEntry.register`."""

    def text(self, lang: str) -> str:
        """The reason as the JSON report holds it (with the register's name in front, if any)."""
        return self.reason_vi if lang == "vi" else self.reason

    def problem(self, lang: str) -> str:
        """What is wrong with the row, without the register's name (for a renderer that names
        the register with the row)."""
        text = self.text(lang)
        prefix = f"{self.register}: "
        return text[len(prefix):] if self.register and text.startswith(prefix) else text

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "agency": self.agency, "reason": self.reason,
                               "reason_vi": self.reason_vi}
        if self.register is not None:
            out["register"] = self.register
        return out

    @classmethod
    def from_json(cls, data: JSONObject) -> ReportRowError:
        reason = str(data.get("reason") or "")
        return cls(int(data.get("row") or 0), data.get("agency"), reason, str(data.get("reason_vi") or reason),
                   data.get("register"))


@dataclass(frozen=True)
class ReportDuplicate:
    """A register row left out as a duplicate of an earlier one (counted in ``excluded.duplicate``)."""

    row: int
    duplicate_of_row: int
    """The row kept in its place (always in the same register)."""
    register: str | None = None
    """The name of their register (audits of several registers only), as in :attr:`ReportEntry.register`."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "duplicate_of_row": self.duplicate_of_row}
        if self.register is not None:
            out["register"] = self.register
        return out

    @classmethod
    def from_json(cls, data: JSONObject) -> ReportDuplicate:
        return cls(int(data["row"]), int(data["duplicate_of_row"]), data.get("register"))


# --------------------------------------------------------------------------- an audit's additions


@dataclass(frozen=True)
class SourceRun:
    """One source of an audit, as its run object lists it."""

    name: str | None
    root: str
    register: str
    agencies: tuple[str, ...]
    documents_evaluated: int
    documents_reused: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "root": self.root, "register": self.register, "agencies": list(self.agencies),
                "documents_evaluated": self.documents_evaluated, "documents_reused": self.documents_reused}

    @classmethod
    def from_json(cls, data: JSONObject) -> SourceRun:
        return cls(data.get("name"), str(data.get("root")), str(data.get("register")),
                   tuple(data.get("agencies") or ()), int(data.get("documents_evaluated") or 0),
                   int(data.get("documents_reused") or 0))


@dataclass(frozen=True)
class RunInfo:
    """What an audit records about itself (``docaudit audit``; a scan has none)."""

    id: int | None
    command: str
    started: dt.datetime | None
    finished: dt.datetime | None
    tool_version: str
    rule_pack: JSONObject
    """Fingerprints of the rule packs and the rules configuration, and each pack's version."""
    trust_fingerprint: str
    validation_time: str
    config_hash: str
    config_file: str | None
    period_label: str | None
    documents_evaluated: int
    documents_reused: int
    sources: tuple[SourceRun, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "command": self.command, "started": _stamp(self.started),
            "finished": _stamp(self.finished), "tool": {"name": "docaudit", "version": self.tool_version},
            "rule_pack": dict(self.rule_pack), "trust_fingerprint": self.trust_fingerprint,
            "validation_time": self.validation_time, "config_hash": self.config_hash,
            "config_file": self.config_file, "period_label": self.period_label,
            "documents_evaluated": self.documents_evaluated, "documents_reused": self.documents_reused,
            "sources": [s.to_json() for s in self.sources],
        }

    @classmethod
    def from_json(cls, data: JSONObject | None) -> RunInfo | None:
        if not data:
            return None
        return cls(
            id=data.get("id"), command=str(data.get("command") or "audit"), started=_moment(data.get("started")),
            finished=_moment(data.get("finished")), tool_version=str((data.get("tool") or {}).get("version")),
            rule_pack=data.get("rule_pack") or {}, trust_fingerprint=str(data.get("trust_fingerprint")),
            validation_time=str(data.get("validation_time")), config_hash=str(data.get("config_hash")),
            config_file=data.get("config_file"), period_label=data.get("period_label"),
            documents_evaluated=int(data.get("documents_evaluated") or 0),
            documents_reused=int(data.get("documents_reused") or 0),
            sources=tuple(SourceRun.from_json(s) for s in data.get("sources") or ()),
        )


# --------------------------------------------------------------------------- figures


def figures_from_json(data: JSONObject, targets: Targets) -> Figures:
    total = int(data.get("total") or 0)

    def rate(name: str, spec: TargetSpec) -> Rate:
        raw = data.get(name) or {}
        count, claimed = int(raw.get("count") or 0), int(raw.get("claimed") or 0)
        via = int((data.get("via_software") or {}).get("count") or 0)
        denominator = {"total": total, "via_software": via, "claimed": claimed}.get(spec.denominator, total)
        return Rate(count, claimed, denominator, raw.get("rate"), raw.get("meets_target"))

    return Figures(
        total=total, via_software=rate("via_software", targets.via_software),
        paperless=rate("paperless", targets.paperless), signatures=dict(data.get("signatures") or {}),
        files=dict(data.get("files") or {}), excluded=dict(data.get("excluded") or {}),
        not_counted=dict(data.get("not_counted") or {}), findings_by_rule=dict(data.get("findings_by_rule") or {}),
    )


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class AuditReport:
    """One scan's or audit's results: header, figures per agency and overall, every in-scope entry.

    ``entries`` may be a lazy sequence (made as it is read) for a large fresh scan."""

    tool_version: str
    run_id: int | None
    started: dt.datetime | None
    finished: dt.datetime | None
    root: str | None
    register: str | None
    """The register file (several, joined by ``; ``, for an audit of several sources)."""
    period: ReportPeriod
    targets: Targets
    rule_pack: JSONObject
    """The rule packs' names, versions and fingerprint."""
    trust_fingerprint: str | None
    trust_certificates: tuple[JSONObject, ...]
    """Each trusted certificate: subject, SHA-256, role (root or intermediate)."""
    validation_time: str
    agencies: Mapping[str, Figures]
    overall: Figures
    entries: Sequence[ReportEntry]
    row_errors: tuple[ReportRowError, ...] = ()
    duplicates: tuple[ReportDuplicate, ...] = ()
    notes: tuple[Message | str, ...] = ()
    """What the reader should know about the run (no trust roots given, a database moved …);
    the JSON keeps them in English and they are shown in the reader's language."""
    sources: tuple[tuple[str, str], ...] = ()
    """(root, register) of each source, for an audit of several sources."""
    run: RunInfo | None = None
    baseline: BaselineSummary | None = None
    trust_packs: tuple[JSONObject, ...] = ()
    """The trust packs used (``--trust-pack``): name, version and SHA-256 of the pack file."""
    stored_in: str | None = field(default=None, compare=False)
    """Where the run is stored (a database URL, password masked when shown); not part of the JSON."""
    crypto_policy: JSONObject | None = None
    """The crypto policy the signatures' algorithms were judged by: id, version, fingerprint."""
    revocation: JSONObject | None = None
    """Online revocation (``--online``): the run was online, and what each CRL or OCSP address
    gave (requests, store hits, failures); ``None`` (and no JSON key) offline."""

    # ------------------------------------------------------------------ reading

    @property
    def command(self) -> str:
        """``audit`` for a report with a run object (``docaudit audit``), else ``scan``."""
        return self.run.command if self.run is not None else "scan"

    @property
    def missed_agencies(self) -> list[str]:
        """Agencies with entries that miss a target, sorted."""
        return sorted(name for name, f in self.agencies.items() if f.meets_targets is False)

    @property
    def meets_targets(self) -> bool:
        """True unless some agency misses a target."""
        return not self.missed_agencies

    @property
    def new_errors(self) -> int:
        """Error-level findings the baseline does not accept (every one, without a baseline)."""
        if self.baseline is not None:
            return self.baseline.new_errors
        return sum(1 for e in self.entries for f in e.findings if f.severity is Severity.ERROR)

    def findings(self) -> Iterator[tuple[ReportEntry, ReportFinding]]:
        for entry in self.entries:
            for finding in entry.findings:
                yield entry, finding

    # ------------------------------------------------------------------ JSON

    def to_json(self, *, lazy: bool = False) -> dict[str, Any]:
        """The JSON report as a dict. ``lazy``: ``entries`` is made one at a time as
        :func:`docaudit.jsonstream.iter_dumps` writes it (for text only)."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "tool": {"name": "docaudit", "version": self.tool_version},
            "run_id": self.run_id,
            "started": _stamp(self.started),
            "finished": _stamp(self.finished),
            "root": self.root,
            "register": self.register,
            "period": self.period.to_json(),
            "targets": {"via_software": self.targets.via_software.to_json(),
                        "paperless": self.targets.paperless.to_json()},
            "target_pack": {"id": self.targets.pack_id, "version": self.targets.pack_version},
            "rule_pack": dict(self.rule_pack),
            "trust": {"fingerprint": self.trust_fingerprint, "certificates": [dict(c) for c in self.trust_certificates],
                      "packs": [dict(p) for p in self.trust_packs]},
            "validation_time": self.validation_time,
            "crypto_policy": dict(self.crypto_policy) if self.crypto_policy is not None else None,
            "agencies": {name: f.as_json() for name, f in self.agencies.items()},
            "overall": self.overall.as_json(),
            "entries": LazyList(ReportEntry.to_json, self.entries) if lazy else [e.to_json() for e in self.entries],
            "row_errors": [e.to_json() for e in self.row_errors],
            "duplicates": [d.to_json() for d in self.duplicates],
            "notes": [render_text(n, "en") for n in self.notes],
        }
        if self.sources:
            out["sources"] = [{"root": root, "register": register} for root, register in self.sources]
        if self.run is not None:
            out["run"] = self.run.to_json()
        if self.baseline is not None:
            out["baseline"] = self.baseline.to_json()
        if self.revocation is not None:  # online revocation: additive, only for an online run
            out["revocation"] = dict(self.revocation)
        return out

    def iter_json_text(self) -> Iterator[str]:
        """The JSON text in pieces, about one per entry: indented top level, one line per list item.
        The text the store has just encoded for this very report is reused when it was short enough
        to keep (:data:`docaudit.jsonstream.REPORT_TEXT`): every JSON writer encodes a report once."""
        stored = REPORT_TEXT.get(self)
        if stored is not None:
            return iter(stored)
        return iter_dumps(self.to_json(lazy=True), indent=2, one_line_items=True)

    def to_json_text(self) -> str:
        """The whole JSON text, ending in one newline."""
        return dumps(self.to_json(lazy=True), indent=2, one_line_items=True) + "\n"

    @classmethod
    def from_json(cls, data: JSONObject, stored_in: str | None = None) -> AuditReport:
        """The report a JSON report describes (a stored run, a file written by ``--format json``)."""
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} report (schema: {data.get('schema')!r})")
        raw_targets = data.get("targets") or {}
        pack = data.get("target_pack") or {}
        targets = Targets(pack.get("id"), pack.get("version"),
                          TargetSpec.from_json(raw_targets.get("via_software") or DEFAULT_TARGETS["via_software"]),
                          TargetSpec.from_json(raw_targets.get("paperless") or DEFAULT_TARGETS["paperless"]))
        trust = data.get("trust") or {}
        return cls(
            tool_version=str((data.get("tool") or {}).get("version")), run_id=data.get("run_id"),
            started=_moment(data.get("started")), finished=_moment(data.get("finished")),
            root=data.get("root"), register=data.get("register"),
            period=ReportPeriod.from_json(data.get("period")), targets=targets,
            rule_pack=data.get("rule_pack") or {}, trust_fingerprint=trust.get("fingerprint"),
            trust_certificates=tuple(trust.get("certificates") or ()), trust_packs=tuple(trust.get("packs") or ()),
            validation_time=str(data.get("validation_time")),
            agencies={name: figures_from_json(f, targets) for name, f in (data.get("agencies") or {}).items()},
            overall=figures_from_json(data.get("overall") or {}, targets),
            entries=tuple(ReportEntry.from_json(e) for e in data.get("entries") or ()),
            row_errors=tuple(ReportRowError.from_json(e) for e in data.get("row_errors") or ()),
            duplicates=tuple(ReportDuplicate.from_json(d) for d in data.get("duplicates") or ()),
            notes=tuple(recognise(str(n), "note") or str(n) for n in data.get("notes") or ()),
            sources=tuple((str(s.get("root")), str(s.get("register"))) for s in data.get("sources") or ()),
            run=RunInfo.from_json(data.get("run")), baseline=BaselineSummary.from_json(data.get("baseline")),
            stored_in=stored_in, crypto_policy=data.get("crypto_policy"), revocation=data.get("revocation"),
        )
