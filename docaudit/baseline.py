"""Baselines: findings an auditor has looked at and accepted, so that a scheduled audit fails only
on what is *new*.

``docaudit-baseline.yaml``::

    version: 1
    accepted:
      - rule: SIG001
        sha256: 3f5a…                 # the document's SHA-256 (null for entries without a file)
        number: 08/BC-UBND            # register number (case and spaces do not matter)
        agency: UBND-BQ               # optional: narrows the match further
        reason: "scan of a paper original, accepted by the inspection of 2021-07-02"   # required
        expires: 2021-12-31           # optional: not accepted after this day

A finding is accepted when an entry has its rule, its document's SHA-256 and its register number
(and agency, when the entry gives one) and has not expired. A finding of the same rule on another
document (another hash) or another register entry is never hidden. ``file`` and ``message`` are
written for the reader and not used for matching.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol, Sequence

import yaml

from . import yamlio
from .errors import ConfigError

VERSION = 1
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
_KEYS = ("rule", "sha256", "number", "agency", "reason", "expires", "file", "message", "severity")
_SHA256 = re.compile(r"[0-9a-f]{64}")

HEADER = """\
# docaudit baseline: findings accepted after review. A scheduled `docaudit audit` reports them as
# accepted and does not fail on them. Each entry needs a `reason`; `expires: YYYY-MM-DD` makes the
# acceptance stop after that day. Matching uses rule + sha256 (the document's bytes) + register
# number (+ agency when given); `file` and `message` are only for the reader.
"""


def fold_number(number: str | None) -> str | None:
    return None if number is None else "".join(str(number).split()).casefold()


@dataclass(frozen=True)
class BaselineEntry:
    rule: str
    sha256: str | None
    number: str | None
    reason: str
    expires: dt.date | None = None
    agency: str | None = None
    file: str | None = None
    message: str | None = None
    severity: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.rule, self.sha256, fold_number(self.number))

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, rule: str, sha256: str | None, number: str | None, agency: str | None) -> bool:
        if self.key != (rule, sha256, fold_number(number)):
            return False
        return self.agency is None or (agency or "").casefold() == self.agency.casefold()

    def as_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "sha256": self.sha256, "number": self.number}
        if self.agency is not None:
            out["agency"] = self.agency
        if self.file is not None:
            out["file"] = self.file
        if self.severity is not None:
            out["severity"] = self.severity
        if self.message is not None:
            out["message"] = self.message
        out["reason"] = self.reason
        if self.expires is not None:
            out["expires"] = self.expires
        return out


@dataclass(frozen=True)
class Baseline:
    path: Path | None = None
    entries: tuple[BaselineEntry, ...] = ()

    def match(self, rule: str, sha256: str | None, number: str | None, agency: str | None) -> BaselineEntry | None:
        """The best matching entry: an unexpired one if there is any."""
        found = [e for e in self.entries if e.matches(rule, sha256, number, agency)]
        if not found:
            return None
        return sorted(found, key=lambda e: (e.expires is not None, e.expires or dt.date.max), reverse=True)[0]


@dataclass(frozen=True)
class BaselineStatus:
    """What the baseline says of one finding: ``accepted`` (reviewed: it does not fail the audit),
    ``expired`` (accepted until ``expires``: new again) or ``new``."""

    status: str
    reason: str | None = None
    expires: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        if self.status == "new":
            return {"status": "new"}
        return {"status": self.status, "reason": self.reason,
                "expires": self.expires.isoformat() if self.expires else None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "BaselineStatus | None":
        if not data:
            return None
        expires = data.get("expires")
        return cls(str(data.get("status")), data.get("reason"), dt.date.fromisoformat(expires) if expires else None)


@dataclass(frozen=True)
class BaselineSummary:
    """The baseline's effect on one audit: findings accepted, expired and new by severity."""

    file: str | None = None
    entries: int = 0
    accepted: int = 0
    """Findings accepted by an unexpired entry."""
    expired: int = 0
    """Findings whose only matching entries have expired (they count as new)."""
    new_errors: int = 0
    new_warnings: int = 0
    new_info: int = 0
    unused: tuple[int, ...] = ()
    """1-based positions of entries that matched no finding (fixed, or the document changed)."""

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "entries": self.entries, "accepted": self.accepted, "expired": self.expired,
                "new_errors": self.new_errors, "new_warnings": self.new_warnings, "new_info": self.new_info,
                "unused_entries": list(self.unused)}


    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "BaselineSummary | None":
        if not data:
            return None
        return cls(data.get("file"), int(data.get("entries") or 0), int(data.get("accepted") or 0),
                   int(data.get("expired") or 0), int(data.get("new_errors") or 0),
                   int(data.get("new_warnings") or 0), int(data.get("new_info") or 0),
                   tuple(data.get("unused_entries") or ()))


# --------------------------------------------------------------------------- reading and writing


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {problem}")


def _optional_text(value: Any, path: Path, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _fail(path, where, f"expected text, got {type(value).__name__}")
    return value


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file. Raises :class:`ConfigError` naming the file, entry and key."""
    path = Path(path)
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: baseline cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not a valid YAML baseline: {str(exc).splitlines()[0]}") from None
    if data is None:
        return Baseline(path)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping with 'version' and 'accepted'")
    unknown = set(data) - {"version", "accepted"}
    if unknown:
        raise _fail(path, f"key '{sorted(unknown)[0]}'", "unknown key (expected version, accepted)")
    if data.get("version", VERSION) != VERSION:
        raise _fail(path, "key 'version'", f"unsupported baseline version {data.get('version')!r} (expected {VERSION})")
    items = data.get("accepted")
    items = [] if items is None else items
    if not isinstance(items, list):
        raise _fail(path, "key 'accepted'", "expected a list of entries")
    entries = []
    unnumbered: str | None = None
    for index, item in enumerate(items, 1):
        where = f"accepted[{index}]"
        if not isinstance(item, Mapping):
            raise _fail(path, where, "expected a mapping")
        unknown = set(item) - set(_KEYS)
        if unknown:
            raise _fail(path, f"{where}.{sorted(unknown)[0]}", f"unknown key (expected one of: {', '.join(_KEYS)})")
        rule = item.get("rule")
        if not isinstance(rule, str) or not rule.strip():
            raise _fail(path, f"{where}.rule", "required: the rule code of the accepted finding")
        sha256 = item.get("sha256")
        if sha256 is not None and (not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower())):
            raise _fail(path, f"{where}.sha256", "expected 64 hexadecimal digits or null")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise _fail(path, f"{where}.reason", "required: say why this finding is accepted")
        expires = item.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires.strip())
            except ValueError:
                raise _fail(path, f"{where}.expires", f"'{expires}' is not a date YYYY-MM-DD") from None
        elif isinstance(expires, dt.datetime):
            expires = expires.date()
        elif expires is not None and not isinstance(expires, dt.date):
            raise _fail(path, f"{where}.expires", "expected a date YYYY-MM-DD")
        severity = item.get("severity")
        if severity is not None and severity not in SEVERITY_ORDER:
            raise _fail(path, f"{where}.severity", "expected error, warning or info")
        if item.get("number") is None or not str(item.get("number")).strip():
            unnumbered = unnumbered or where  # said after the entries' own checks
        entries.append(BaselineEntry(
            rule=rule.strip(), sha256=sha256.lower() if sha256 else None,
            number=_optional_text(item.get("number"), path, f"{where}.number"), reason=reason.strip(),
            expires=expires, agency=_optional_text(item.get("agency"), path, f"{where}.agency"),
            file=_optional_text(item.get("file"), path, f"{where}.file"),
            message=_optional_text(item.get("message"), path, f"{where}.message"), severity=severity,
        ))
    if unnumbered:  # the key is rule + SHA-256 + register number: without it nothing would match
        raise _fail(path, f"{unnumbered}.number", "required: the register number (số ký hiệu) of the entry")
    return Baseline(path, tuple(entries))


class _PlainDumper(yaml.SafeDumper):
    """Every value written out: entries sharing one ``expires`` date object must not come out as
    ``&id001`` anchors and ``*id001`` aliases, which a reviewer of the file cannot read."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_baseline(entries: Sequence[BaselineEntry]) -> str:
    body = yaml.dump({"version": VERSION, "accepted": [e.as_yaml() for e in entries]}, Dumper=_PlainDumper,
                     allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def write_baseline(path: str | Path, entries: Sequence[BaselineEntry]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_baseline(entries), encoding="utf-8")


# --------------------------------------------------------------------------- judging findings


class ReportedFinding(Protocol):
    """What the baseline reads of a finding: the rule and its entry's key (register number,
    document hash, agency)."""

    rule: str
    severity: Any  # a Severity (str enum) or its text


class ReportedEntry(Protocol):
    agency: str
    number: str
    sha256: str | None
    file: str | None


def _severity(finding: Any) -> str:
    severity = finding.severity
    return str(getattr(severity, "value", severity))


def judge(
    findings: Iterable[tuple[ReportedEntry, ReportedFinding]], baseline: Baseline, today: dt.date
) -> tuple[list[BaselineStatus], BaselineSummary]:
    """The baseline's status of every finding, in order, and the summary. Pure: nothing is changed."""
    statuses: list[BaselineStatus] = []
    accepted = expired = 0
    new = {"error": 0, "warning": 0, "info": 0}
    used: set[int] = set()
    positions = {id(e): i for i, e in enumerate(baseline.entries, 1)}
    for entry, finding in findings:
        match = baseline.match(str(finding.rule), entry.sha256, entry.number, entry.agency)
        if match is not None:
            used.add(positions[id(match)])
        if match is not None and not match.expired(today):
            accepted += 1
            statuses.append(BaselineStatus("accepted", match.reason, match.expires))
            continue
        if match is not None:
            expired += 1
            statuses.append(BaselineStatus("expired", match.reason, match.expires))
        else:
            statuses.append(BaselineStatus("new"))
        severity = _severity(finding)
        new[severity if severity in ("error", "warning") else "info"] += 1
    summary = BaselineSummary(
        file=str(baseline.path) if baseline.path else None, entries=len(baseline.entries), accepted=accepted,
        expired=expired, new_errors=new["error"], new_warnings=new["warning"], new_info=new["info"],
        unused=tuple(i for i in range(1, len(baseline.entries) + 1) if i not in used),
    )
    return statuses, summary


def entries_from_findings(
    findings: Iterable[tuple[ReportedEntry, Any]],
    reason: str,
    expires: dt.date | None = None,
    min_severity: str = "info",
    existing: Baseline | None = None,
) -> tuple[list[BaselineEntry], int, int]:
    """Baseline entries for ``findings`` (at least ``min_severity``); a finding needs ``rule``,
    ``severity`` and ``message``.

    Entries of ``existing`` that still match a finding are kept as they are (their reason and
    expiry were written by someone); returns (entries, kept, added)."""
    floor = SEVERITY_ORDER[min_severity]
    out: dict[tuple[Any, ...], BaselineEntry] = {}
    kept = added = 0
    for entry, finding in findings:
        severity = _severity(finding)
        if SEVERITY_ORDER.get(severity, 0) < floor:
            continue
        rule, sha256, number, agency = str(finding.rule), entry.sha256, entry.number, entry.agency
        key = (rule, sha256, fold_number(number), (agency or "").casefold())
        if key in out:
            continue
        previous = existing.match(rule, sha256, number, agency) if existing else None
        if previous is not None:
            out[key] = previous
            kept += 1
            continue
        out[key] = BaselineEntry(
            rule=rule, sha256=sha256, number=number, reason=reason, expires=expires, agency=agency,
            file=entry.file, message=finding.message, severity=severity,
        )
        added += 1
    return list(out.values()), kept, added
