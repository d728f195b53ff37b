"""Incremental scans: reuse the ``Evidence`` an earlier run found in the very same bytes.

A document is re-evaluated only when something its evidence depends on changed:

* the file's **SHA-256** (parsing and validation are skipped; the file is not even read when its
  stat record did not change since it was hashed: :mod:`docaudit.digests`);
* the **context**: docaudit version, a fingerprint of the evaluating code and of the parser and
  crypto libraries, of the shape of ``Evidence`` itself, the rule packs
  (:func:`docaudit.rules.pack_fingerprint`) and the ``[rules]`` settings
  (:class:`~docaudit.rules.RuleSelection`);
* for **signed** files only, the **trust context**: the trust-set fingerprint, the
  validation-time setting (``now`` counts as the current UTC day) and the crypto policy's
  fingerprint (evidence judged under one policy is never reused under another). An unsigned file (DOCX, a
  scan, an unsigned or unreadable PDF without signatures) is reused when only the trust set
  changes.

The register is always re-read. The document rules' findings of an entry are cached with its
file's evidence, keyed on the file's bytes, the same context and trust key, the rules as applied
and a fingerprint of every register field of the entry (the rules compare some of them with the
document): an unchanged entry on an unchanged file reuses them; any change to the row re-runs
the rules for that entry. Register-level rules (numbering gaps, duplicates) run every time.

Evidence is stored as JSON by a generic dataclass codec driven by the type hints of
:mod:`docaudit.model` — nested frozen dataclasses, enums, tuples, optionals, dates, mappings — so
new fields need no code here: a field missing from a stored record takes its default, an unknown
one is ignored, and anything that does not decode is simply a cache miss, never a crash.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import enum
import hashlib
import json
import types
import typing
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import __version__
from .digests import Digests
from .model import EntryResult, Evidence, Finding, Severity, Verdict
from .rules import pack_fingerprint
from .text import Message

if TYPE_CHECKING:
    from .rules import RuleSelection
    from .signatures import ValidationSettings

CODEC_VERSION = 2  # 2: findings and reasons are catalogue codes with parameters, not prose
FLUSH_EVERY = 200  # cache rows written per transaction
# pypdfium2 carries PDFium, whose text extraction and rendering (the visual comparison of a signed
# revision with the final file, issue 17) are evidence too: another PDFium, other evidence
_DEPENDENCIES = ("pyhanko", "pyhanko-certvalidator", "pypdf", "pypdfium2", "python-docx", "cryptography",
                 "asn1crypto")
_CODE = ("evidence", "signatures", "rules", "model.py")
"""Parts of docaudit whose code decides what Evidence holds."""


class DecodeError(ValueError):
    """A stored value does not fit the type it should decode to (→ cache miss)."""


# --------------------------------------------------------------------------- codec


def to_jsonable(value: Any) -> Any:
    """A dataclass tree → JSON-compatible data (dicts, lists, strings, numbers, None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {_key(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def _key(key: Any) -> str:
    plain = to_jsonable(key)
    return plain if isinstance(plain, str) else json.dumps(plain)


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(tp: Any, data: Any) -> Any:
    """JSON-compatible ``data`` → a value of type ``tp``. Raises :class:`DecodeError`."""
    if tp is Any or tp is object:
        return data
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            if type(None) in args:
                return None
            raise DecodeError("null for a required value")
        for arg in args:
            if arg is type(None):
                continue
            try:
                return from_jsonable(arg, data)
            except DecodeError:
                continue
        raise DecodeError(f"{data!r:.40} fits none of {tp}")
    if tp is type(None):
        if data is None:
            return None
        raise DecodeError("expected null")
    if origin is typing.Literal:
        if data in args:
            return data
        raise DecodeError(f"{data!r:.40} is not one of {args}")
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass(tp, data)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except (ValueError, TypeError):
            raise DecodeError(f"{data!r:.40} is not a {tp.__name__}") from None
    if tp is dt.datetime or tp is dt.date or tp is dt.time:
        if not isinstance(data, str):
            raise DecodeError(f"expected an ISO {tp.__name__}")
        try:
            return tp.fromisoformat(data)
        except ValueError:
            raise DecodeError(f"{data!r:.40} is not an ISO {tp.__name__}") from None
    if tp is bool:
        if isinstance(data, bool):
            return data
        raise DecodeError("expected a boolean")
    if tp is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise DecodeError("expected an integer")
    if tp is float:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return float(data)
        raise DecodeError("expected a number")
    if tp is str:
        if isinstance(data, str):
            return data
        raise DecodeError("expected a string")
    if tp is Path:
        if isinstance(data, str):
            return Path(data)
        raise DecodeError("expected a path")
    container = origin or tp
    if container is tuple:
        if not isinstance(data, list):
            raise DecodeError("expected a list")
        if not args:
            return tuple(data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], item) for item in data)
        if len(args) != len(data):
            raise DecodeError(f"expected {len(args)} items, got {len(data)}")
        return tuple(from_jsonable(a, item) for a, item in zip(args, data))
    if container in (list, set, frozenset, collections.abc.Sequence, collections.abc.Set,
                     collections.abc.MutableSequence, collections.abc.Iterable):
        if not isinstance(data, list):
            raise DecodeError("expected a list")
        item_type = args[0] if args else Any
        items = [from_jsonable(item_type, item) for item in data]
        if container in (set, collections.abc.Set):
            return set(items)
        if container is frozenset:
            return frozenset(items)
        return tuple(items) if container is collections.abc.Sequence else items
    if container in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
        if not isinstance(data, dict):
            raise DecodeError("expected an object")
        key_type, value_type = args if len(args) == 2 else (Any, Any)
        return {_decode_key(key_type, k): from_jsonable(value_type, v) for k, v in data.items()}
    return data  # an annotation we do not know: keep the JSON value as it is


def _decode_key(tp: Any, key: str) -> Any:
    if tp in (Any, str):
        return key
    try:
        return from_jsonable(tp, key)
    except DecodeError:
        return from_jsonable(tp, json.loads(key))


def _dataclass(cls: type, data: Any) -> Any:
    if not isinstance(data, dict):
        raise DecodeError(f"expected an object for {cls.__name__}")
    try:
        hints = _hints(cls)
    except Exception as exc:  # noqa: BLE001 - an unresolvable annotation: never guess
        raise DecodeError(f"type hints of {cls.__name__}: {exc}") from None
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name in data:
            kwargs[f.name] = from_jsonable(hints.get(f.name, Any), data[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise DecodeError(f"{cls.__name__}.{f.name} is missing")
    try:
        return cls(**kwargs)
    except Exception as exc:  # noqa: BLE001 - __post_init__ checks and the like
        raise DecodeError(f"{cls.__name__}: {exc}") from None


def encode_evidence(evidence: Evidence) -> str:
    return json.dumps({"v": CODEC_VERSION, "evidence": to_jsonable(evidence)}, ensure_ascii=False,
                      separators=(",", ":"))


def decode_evidence(text: str) -> Evidence | None:
    """The stored evidence, or ``None`` if it cannot be decoded (a cache miss)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != CODEC_VERSION:
            return None
        return from_jsonable(Evidence, data["evidence"])
    except (DecodeError, ValueError, KeyError, TypeError, RecursionError):
        return None


@lru_cache(maxsize=64)
def _decode_stored(text: str) -> Evidence | None:
    """``decode_evidence``, remembered for the last few records: the cache is read a chunk of
    files at a time, and copies of one document (the same bytes under several names or
    agencies) bring back the same record in every chunk. Evidence is immutable: sharing it is
    safe."""
    return decode_evidence(text)


# --------------------------------------------------------------------------- fingerprints


def _describe(tp: Any, seen: set[type]) -> Any:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if tp in seen:
            return tp.__qualname__
        seen.add(tp)
        hints = _hints(tp)
        return {tp.__qualname__: [(f.name, _describe(hints.get(f.name, Any), seen)) for f in dataclasses.fields(tp)]}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {tp.__qualname__: [m.value for m in tp]}
    args = typing.get_args(tp)
    if args:
        return [repr(typing.get_origin(tp)), [_describe(a, seen) for a in args]]
    return repr(tp)


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """Changes whenever the shape of ``Evidence`` (fields, types, enum values) changes."""
    try:
        text = json.dumps(_describe(Evidence, set()), sort_keys=True, default=str)
    except Exception as exc:  # noqa: BLE001 - unresolvable hints: decoding fails too (cache misses)
        text = f"unresolvable: {exc}"
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """docaudit's version, the source of the modules that produce Evidence, and the versions of
    the parser and crypto libraries: a new release or a local code change re-evaluates."""
    digest = hashlib.sha256(f"docaudit {__version__}\0".encode())
    for name in _DEPENDENCIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    package = Path(__file__).resolve().parent
    for part in _CODE:
        target = package / part
        # the code and the data it reads (the legacy font tables are JSON beside it)
        files = sorted(f for f in target.rglob("*") if f.suffix in (".py", ".json")) if target.is_dir() else [target]
        for file in files:
            try:
                digest.update(str(file.relative_to(package)).encode() + b"\0" + file.read_bytes() + b"\0")
            except OSError:
                continue
    return digest.hexdigest()


def rules_fingerprint(rules: "RuleSelection | None") -> str:
    settings = rules.fingerprint if rules is not None else "-"
    return hashlib.sha256(f"{pack_fingerprint()}\0{settings}".encode()).hexdigest()


def evidence_context(rules: "RuleSelection | None" = None) -> str:
    """What every cached evidence depends on, whatever the file."""
    text = f"codec {CODEC_VERSION}\0{code_fingerprint()}\0{model_fingerprint()}\0{rules_fingerprint(rules)}"
    return hashlib.sha256(text.encode()).hexdigest()


def validation_time_key(value: str | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if value == "now":  # "now" moves: a result is reused for the rest of the (UTC) day only
        return f"now@{dt.datetime.now(dt.timezone.utc).date().isoformat()}"
    return str(value)


def trust_context(settings: "ValidationSettings") -> str:
    """What the evidence of a *signed* file depends on besides its bytes."""
    text = (f"{settings.trust.fingerprint}\0{validation_time_key(settings.validation_time)}"
            f"\0{settings.crypto_policy.fingerprint}")
    if settings.online is not None:
        # online revocation (issue 16 item 4): an online run's evidence carries each signature's
        # questions for the CAs (answered afresh every run), an offline run's does not
        text += "\0online"
    return hashlib.sha256(text.encode()).hexdigest()


def _answers_change(evidence: Evidence, settings: "ValidationSettings") -> bool:
    """Online, a signed file's verdict depends on what the CAs answer this run: the document
    rules' findings are not reused (they are cheap beside fetching)."""
    return settings.online is not None and depends_on_trust(evidence)


def depends_on_trust(evidence: Evidence) -> bool:
    """True for files with signatures (their verdicts depend on the trust set and the time)."""
    verdict = evidence.verdict
    return verdict is not None and (bool(verdict.signatures) or verdict.verdict is not Verdict.UNSIGNED)


# --------------------------------------------------------------------------- the cache


class EvidenceCache:
    """The evidence cache in a :class:`~docaudit.store.Store` (``scan(options, cache=...)``).

    ``refresh=True`` never reuses (every file is read and evaluated again) but still stores what
    it finds. ``rehash=True`` reads and hashes every file instead of trusting the digests
    remembered with unchanged stat records (:mod:`docaudit.digests`); evidence is still reused.
    """

    def __init__(self, store: Any, rules: "RuleSelection | None" = None, *, refresh: bool = False,
                 rehash: bool = False) -> None:
        self.store = store
        self.context = evidence_context(rules)
        self.refresh = refresh
        self.digests = Digests(store, rehash=rehash or refresh)
        self._pending: list[tuple[str, str, str, str]] = []
        self._pending_findings: list[tuple[str, str, str, str, str]] = []
        self.judged: set[str] = set()
        """Digests judged in this run, over all its sources: a copy met later in the run is
        judged again, not counted as reused ("reused" means judged by an earlier run)."""

    def fetch(self, digests: Iterable[str], settings: "ValidationSettings") -> dict[str, Evidence]:
        """SHA-256 → stored evidence for the digests that have a usable record."""
        digests = list(digests)
        if self.refresh or not digests:
            return {}
        wanted = trust_context(settings)
        found: dict[str, Evidence] = {}
        for sha256, stored_trust, text in self.store.cached_evidence(digests, self.context, wanted):
            evidence = _decode_stored(text)
            if evidence is None or evidence.sha256 != sha256:
                continue
            if stored_trust == "" and depends_on_trust(evidence):
                continue  # written under other rules: never trust it
            if stored_trust == wanted or sha256 not in found:
                found[sha256] = evidence
        return found

    def put(self, evidence: Evidence, settings: "ValidationSettings") -> None:
        if evidence.sha256 is None:
            return
        key = trust_context(settings) if depends_on_trust(evidence) else ""
        try:
            text = encode_evidence(evidence)
        except (TypeError, ValueError):
            return  # something the codec cannot store: evaluate it again next time
        self._pending.append((evidence.sha256, self.context, key, text))
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self.store.save_cached_evidence(pending)
        findings, self._pending_findings = self._pending_findings, []
        if findings:
            self.store.save_cached_findings(findings)

    # ------------------------------------------------------------------ document-rule findings

    def fetch_findings(
        self, results: Iterable[EntryResult], settings: "ValidationSettings", rules_key: str
    ) -> dict[int, tuple[Finding, ...]]:
        """Index in ``results`` → the document-rule findings stored for that entry on that file
        (``rules_key``: the engine's fingerprint, the rules as applied)."""
        results = list(results)
        if self.refresh:
            return {}
        trust = trust_context(settings)
        keys = {i: (r.evidence.sha256, entry_key(r, rules_key)) for i, r in enumerate(results)
                if r.evidence.sha256 is not None}
        if not keys:
            return {}
        stored = self.store.cached_findings(keys.values(), self.context, ("", trust))
        found: dict[int, tuple[Finding, ...]] = {}
        for index, (sha256, key) in keys.items():
            if _answers_change(results[index].evidence, settings):
                continue
            wanted = trust if depends_on_trust(results[index].evidence) else ""
            text = stored.get((sha256, key, wanted))
            if text is not None:
                decoded = decode_findings(text)
                if decoded is not None:
                    found[index] = decoded
        return found

    def put_findings(self, result: EntryResult, findings: tuple[Finding, ...], settings: "ValidationSettings",
                     rules_key: str) -> None:
        evidence = result.evidence
        if evidence.sha256 is None or _answers_change(evidence, settings):
            return
        trust = trust_context(settings) if depends_on_trust(evidence) else ""
        try:
            text = json.dumps([to_jsonable(f) for f in findings], ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return
        self._pending_findings.append((evidence.sha256, self.context, trust, entry_key(result, rules_key), text))
        if len(self._pending_findings) >= FLUSH_EVERY:
            self.flush()


def entry_key(result: EntryResult, rules_key: str) -> str:
    """Every register field of the entry, and the rules as applied."""
    entry = result.entry
    # every field, by name (a field added to RegisterEntry is keyed too); enums, dates and the
    # extra-columns mapping go through str()/dict — cheaper than the generic codec, same meaning.
    # (Plain values are told apart first: an isinstance check against the Mapping ABC costs
    # several times more, on every field of every entry.)
    fields = [(name, value if isinstance(value, _PLAIN) or not isinstance(value, Mapping) else dict(value))
              for name, value in ((name, getattr(entry, name)) for name in _field_names(type(entry)))]
    text = json.dumps([rules_key, fields], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


_PLAIN = (str, int, float, type(None), dt.date, enum.Enum)


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@lru_cache(maxsize=4096)
def decode_findings(text: str) -> tuple[Finding, ...] | None:
    """Findings are flat (strings and a severity), so they are rebuilt directly — the generic
    codec took a third of a second per 2,000 entries. Identical texts (most entries of an
    archive share their findings) decode once; the results are immutable, so sharing is safe."""
    try:
        data = json.loads(text)
        if not isinstance(data, list):
            return None
        return tuple(_finding(item) for item in data)
    except (DecodeError, ValueError, TypeError, KeyError, RecursionError):
        return None


_FINDING_FIELDS = {f.name for f in dataclasses.fields(Finding)}
_WORDING_FIELDS = {"code", "params"}
_TEXT_OR_NONE = (str, type(None))
_PLAIN_PARAM = (str, int, float)


def _finding(item: Any) -> Finding:
    """A finding whose fields are texts and whose wording has plain parameters (the usual case)
    is built directly; anything else goes through the checking codec. (Exact types: JSON gives
    no subclasses, and a bool is not a plain parameter.)"""
    if type(item) is dict and item.keys() == _FINDING_FIELDS:
        wording, rule, severity, reference = item["wording"], item["rule"], item["severity"], item["reference"]
        if (type(wording) is dict and wording.keys() == _WORDING_FIELDS and type(wording["code"]) is str
                and type(wording["params"]) is list and type(rule) in _TEXT_OR_NONE
                and type(severity) in _TEXT_OR_NONE and type(reference) in _TEXT_OR_NONE):
            params = wording["params"]
            pairs = tuple([(p[0], p[1]) for p in params
                           if type(p) is list and len(p) == 2 and type(p[0]) is str and type(p[1]) in _PLAIN_PARAM])
            if len(pairs) == len(params):
                return _plain_finding(rule, severity, reference, wording["code"], pairs)
    return from_jsonable(Finding, item)


@lru_cache(maxsize=16384)
def _plain_finding(rule: str, severity: str, reference: str | None, code: str,
                   params: tuple[tuple[str, str | int | float], ...]) -> Finding:
    """One finding from its parts. Equal findings recur across entries (the same signature
    problem, the same rule message) and are immutable: each is built once."""
    return Finding(rule, Severity(severity), Message(code, params), reference)
