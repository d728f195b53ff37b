"""Dated cryptographic algorithm policies (``rules/crypto/*.yaml``), read and checked as data.

A policy says which digest and signature algorithms, and which key sizes, a signature may use,
and **until when**: as EU DSS's cryptographic constraints, every entry may carry ``until``, the
day from which the algorithm is no longer acceptable (00:00 Vietnam time). A signature is judged
at the time it was made — the time a signature timestamp proves, else its claimed signing time —
so an algorithm that was lawful then stays acceptable for it (``signatures.algorithms`` applies a
policy inside pyHanko, to the CMS signature and to every certificate of its path; the trust
anchors' own self-signatures are never judged). An algorithm the policy does not list is never
acceptable.

``vn`` (the default) follows the Vietnamese rules in force at each date; ``strict`` applies
today's rules to every date. ``--crypto-policy NAME|PATH`` and ``crypto_policy`` in
``docaudit.toml`` pick one. This module reads the packs only: it does not import pyHanko, so
settings that merely carry a policy around stay cheap to import.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .. import yamlio
from ..errors import RulePackError
from ..rules_data import rules_dir

DEFAULT_POLICY = "vn"
FOLDER = "crypto"
"""The packs' folder inside ``rules/``."""
VIETNAM = dt.timezone(dt.timedelta(hours=7))

DIGESTS = frozenset({
    "md2", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512_224", "sha512_256",
    "sha3_224", "sha3_256", "sha3_384", "sha3_512", "shake128", "shake256",
})
"""Digest names as asn1crypto spells them (a typo in a pack is an error, not a silent refusal)."""
MECHANISMS = frozenset({"rsassa_pkcs1v15", "rsassa_pss", "ecdsa", "dsa", "ed25519", "ed448"})
KEY_KINDS = frozenset({"rsa", "ec", "dsa"})
_KEY_OF_PUBLIC_KEY = {"rsa": "rsa", "rsassa_pss": "rsa", "ec": "ec", "dsa": "dsa"}

_PACK_KEYS = {"id", "version", "title", "reference", "description", "digest_algorithms",
              "signature_algorithms", "key_sizes"}
_ENTRY_KEYS = {"until", "reference"}
_KEY_RULE_KEYS = {"min_bits", "until", "reference"}


@dataclass(frozen=True)
class Allowance:
    """An acceptable algorithm, up to ``until`` (exclusive; ``None``: no end)."""

    until: dt.datetime | None = None
    reference: str | None = None

    def allows(self, at: dt.datetime) -> bool:
        return self.until is None or at < self.until


@dataclass(frozen=True)
class KeyRule:
    """Keys of at least ``min_bits`` are acceptable up to ``until`` (``None``: no end)."""

    min_bits: int
    until: dt.datetime | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why an algorithm is not acceptable at a moment: what, and since when (``None``: never was)."""

    what: str
    since: dt.datetime | None
    reference: str | None

    def text(self, policy_id: str, at: dt.datetime) -> str:
        when = at.astimezone(VIETNAM).date().isoformat()
        if self.since is None:
            why = f"{self.what} is not acceptable under crypto policy '{policy_id}'"
        else:
            why = (f"{self.what} is acceptable under crypto policy '{policy_id}' only in signatures made "
                   f"before {self.since.astimezone(VIETNAM).date().isoformat()}")
        return f"{why} ({self.reference}); this signature dates from {when}" if self.reference else \
            f"{why}; this signature dates from {when}"


@dataclass(frozen=True, eq=False)
class CryptoPolicy:
    """One policy pack. Two policies are equal when they decide alike (same :attr:`fingerprint`)."""

    id: str
    version: str
    source: str
    title: Mapping[str, str] = field(default_factory=dict)
    reference: str | None = None
    digests: Mapping[str, Allowance] = field(default_factory=dict)
    mechanisms: Mapping[str, Allowance] = field(default_factory=dict)
    keys: Mapping[str, tuple[KeyRule, ...]] = field(default_factory=dict)

    # ------------------------------------------------------------------ identity

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CryptoPolicy) and (self.id, self.fingerprint) == (other.id, other.fingerprint)

    def __hash__(self) -> int:
        return hash((self.id, self.fingerprint))

    @functools.cached_property
    def fingerprint(self) -> str:
        """SHA-256 over what the policy decides (not its wording): part of the evidence cache's
        trust key, so evidence judged under one policy is never reused under another."""
        def stamp(moment: dt.datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        content = {
            "digests": {k: stamp(v.until) for k, v in sorted(self.digests.items())},
            "mechanisms": {k: stamp(v.until) for k, v in sorted(self.mechanisms.items())},
            "keys": {k: [(r.min_bits, stamp(r.until)) for r in v] for k, v in sorted(self.keys.items())},
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def describe(self) -> dict[str, Any]:
        """What a report records of the policy (``crypto_policy`` in the JSON report)."""
        return {"id": self.id, "version": self.version, "fingerprint": self.fingerprint}

    @functools.cached_property
    def cutoffs(self) -> tuple[dt.datetime, ...]:
        """Every ``until`` of the policy, sorted: between two of them every judgement is the same."""
        dates = {a.until for a in (*self.digests.values(), *self.mechanisms.values()) if a.until}
        dates |= {r.until for rules in self.keys.values() for r in rules if r.until}
        return tuple(sorted(dates))

    def era(self, at: dt.datetime) -> tuple[bool, ...]:
        """On which side of each cut-off ``at`` lies: equal eras get equal judgements."""
        return tuple(at < cutoff for cutoff in self.cutoffs)

    # ------------------------------------------------------------------ judgements

    def digest_refusal(self, name: str, at: dt.datetime) -> Refusal | None:
        allowance = self.digests.get(name)
        if allowance is None:
            return Refusal(_show(name), None, self.reference)
        return None if allowance.allows(at) else Refusal(_show(name), allowance.until, allowance.reference)

    def mechanism_refusal(self, name: str, at: dt.datetime) -> Refusal | None:
        """``name`` as asn1crypto's ``signature_algo`` spells it; a mechanism docaudit does not know
        by name (plain-ECDSA OIDs, say) is judged by its digest and key only."""
        if name not in MECHANISMS:
            return None
        allowance = self.mechanisms.get(name)
        if allowance is None:
            return Refusal(name, None, self.reference)
        return None if allowance.allows(at) else Refusal(name, allowance.until, allowance.reference)

    def sizes_keys_of(self, public_key_algorithm: str) -> bool:
        """Whether the policy has a size rule for keys of this algorithm (asn1crypto's name)."""
        kind = _KEY_OF_PUBLIC_KEY.get(public_key_algorithm)
        return bool(kind and self.keys.get(kind))

    def key_refusal(self, public_key_algorithm: str, bits: int | None, at: dt.datetime) -> Refusal | None:
        kind = _KEY_OF_PUBLIC_KEY.get(public_key_algorithm)
        rules = self.keys.get(kind) if kind else None
        if not rules or bits is None:
            return None  # no size rule for this kind of key (EdDSA keys have one size each)
        if any(bits >= r.min_bits and (r.until is None or at < r.until) for r in rules):
            return None
        fitting = [r for r in rules if bits >= r.min_bits]
        last = max((r.until for r in fitting if r.until), default=None)
        reference = next((r.reference for r in fitting if r.until == last), None) if last else None
        return Refusal(f"a {bits}-bit {kind.upper()} key", last, reference or self.reference)


def _show(digest: str) -> str:
    """``sha1`` → ``SHA-1``, ``sha512_256`` → ``SHA-512/256``, ``sha3_256`` → ``SHA3-256``."""
    if digest.startswith("sha3_"):
        return "SHA3-" + digest[5:]
    if digest.startswith("sha"):
        return "SHA-" + digest[3:].replace("_", "/")
    return digest.upper()


# --------------------------------------------------------------------------- loading


def policy_names() -> list[str]:
    folder = rules_dir() / FOLDER
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def resolve_policy_path(name_or_path: str | None) -> Path:
    if not name_or_path:
        name_or_path = DEFAULT_POLICY
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise RulePackError(f"crypto policy {name_or_path}: no such file")
        return path
    candidate = rules_dir() / FOLDER / f"{name_or_path}.yaml"
    if not candidate.is_file():
        raise RulePackError(f"unknown crypto policy '{name_or_path}' (known: {', '.join(policy_names())}; "
                            f"or a YAML file)")
    return candidate


def load_crypto_policy(name_or_path: str | None = None) -> CryptoPolicy:
    """The policy named (``vn``, ``strict`` …) or in a YAML file; default ``vn``. A malformed pack
    raises :class:`~docaudit.errors.RulePackError` naming the file and the key."""
    path = resolve_policy_path(name_or_path)
    try:
        stat = path.stat()
        return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise RulePackError(f"crypto policy {path}: cannot be read: {exc.strerror or exc}") from None


@functools.lru_cache(maxsize=16)
def _load(path_text: str, _mtime: int, _size: int) -> CryptoPolicy:
    path = Path(path_text)
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulePackError(f"crypto policy {path}: cannot be read: {str(exc).splitlines()[0]}") from None
    where = f"crypto policy {path}"
    if not isinstance(data, dict):
        raise RulePackError(f"{where}: expected a mapping at the top level")
    _no_unknown(data, _PACK_KEYS, where, "")
    title = data.get("title") or {}
    digests = _allowances(data.get("digest_algorithms"), DIGESTS, where, "digest_algorithms")
    mechanisms = _allowances(data.get("signature_algorithms"), MECHANISMS, where, "signature_algorithms")
    keys = _key_rules(data.get("key_sizes", {}), where)
    reference = data.get("reference")
    return CryptoPolicy(
        id=str(data.get("id", path.stem)), version=str(data.get("version", "1")), source=str(path),
        title=title if isinstance(title, dict) else {"vi": str(title), "en": str(title)},
        reference=str(reference) if reference else None,
        digests=digests, mechanisms=mechanisms, keys=keys,
    )


def _no_unknown(table: Mapping, known: set[str], where: str, prefix: str) -> None:
    unknown = sorted(str(k) for k in set(table) - known)
    if unknown:
        raise RulePackError(f"{where}: unknown key '{prefix}{unknown[0]}'")


def _until(value: Any, where: str, key: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=VIETNAM)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=VIETNAM)
    raise RulePackError(f"{where}: {key}: expected a date (YYYY-MM-DD), got {value!r}")


def _allowances(table: Any, names: frozenset[str], where: str, key: str) -> dict[str, Allowance]:
    if not isinstance(table, dict) or not table:
        raise RulePackError(f"{where}: key '{key}' must map algorithm names to their limits")
    out = {}
    for name, spec in table.items():
        if name not in names:
            raise RulePackError(f"{where}: {key}.{name}: not a known algorithm ({', '.join(sorted(names))})")
        spec = {} if spec is None else spec
        if not isinstance(spec, dict):
            raise RulePackError(f"{where}: {key}.{name}: expected a mapping (until, reference) or nothing")
        _no_unknown(spec, _ENTRY_KEYS, where, f"{key}.{name}.")
        out[name] = Allowance(_until(spec.get("until"), where, f"{key}.{name}.until"), _reference(spec))
    return out


def _key_rules(table: Any, where: str) -> dict[str, tuple[KeyRule, ...]]:
    if not isinstance(table, dict):
        raise RulePackError(f"{where}: key 'key_sizes' must map rsa, ec, dsa to lists of {{min_bits, until}}")
    out = {}
    for kind, rules in table.items():
        key = f"key_sizes.{kind}"
        if kind not in KEY_KINDS:
            raise RulePackError(f"{where}: {key}: not a known key type ({', '.join(sorted(KEY_KINDS))})")
        if not isinstance(rules, list) or not rules:
            raise RulePackError(f"{where}: {key}: expected a list of {{min_bits, until}}")
        parsed = []
        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                raise RulePackError(f"{where}: {key}[{i}]: expected a mapping (min_bits, until, reference)")
            _no_unknown(rule, _KEY_RULE_KEYS, where, f"{key}[{i}].")
            bits = rule.get("min_bits")
            if isinstance(bits, bool) or not isinstance(bits, int) or bits < 1:
                raise RulePackError(f"{where}: {key}[{i}].min_bits: expected a positive number of bits, got {bits!r}")
            parsed.append(KeyRule(bits, _until(rule.get("until"), where, f"{key}[{i}].until"), _reference(rule)))
        out[kind] = tuple(parsed)
    return out


def _reference(spec: Mapping) -> str | None:
    value = spec.get("reference")
    return " ".join(str(value).split()) if value else None
