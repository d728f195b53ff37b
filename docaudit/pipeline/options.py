"""What a scan is asked to do: the options (root, register, trust, period, targets, jobs,
validation time, rules, limits), checked where they are parsed."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import OptionError, RulePackError, UsageError
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Period
from ..register.profile import NO_PROFILE, RegisterProfile
from ..rules import RuleSelection
from ..signatures.online import DEFAULT_TIMEOUT


@dataclass(frozen=True)
class ScanOptions:
    root: Path
    register: Path | None = None
    trust: tuple[str, ...] = ()
    period: Period = Period()
    trust_packs: tuple[str, ...] = ()
    """Trust packs (``--trust-pack vn``): names of shipped packs or pack files."""
    targets: str | None = None
    db_url: str | None = None
    jobs: int = 1
    validation_time: str | dt.datetime = "signing"
    store: bool = True
    agencies: tuple[str, ...] = ()
    """Only these agencies (case-insensitive); empty = all (``docaudit audit`` source filter)."""
    rules: RuleSelection | None = None
    """The rules' :class:`~docaudit.rules.RuleSelection` (``docaudit.toml``, ``--select/--ignore``);
    ``None``: the packs' defaults."""
    limits: Limits = DEFAULT_LIMITS
    """Per-document size, decompression and time limits (``--max-file-size``, ``--timeout``)."""
    profile: RegisterProfile = NO_PROFILE
    """How to read the register unchanged (``[[source]]`` of ``docaudit.toml``): column mapping,
    constants, period column."""
    crypto_policy: str | None = None
    """The crypto policy's name (``rules/crypto``) or YAML file (``--crypto-policy``); ``None``: ``vn``."""
    # online revocation (--online, issue 16 item 4)
    online: bool = False
    """Fetch the CRLs and OCSP responses the certificates name (``--online``); default offline."""
    online_timeout: float = DEFAULT_TIMEOUT
    """Seconds each CRL or OCSP request may take (``--online-timeout``)."""


def parse_validation_time(text: str) -> str | dt.datetime:
    value = text.strip().lower()
    if value in ("signing", "now"):
        return value
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--validation-time: '{text}' is not 'signing', 'now' or an ISO date (e.g. 2021-06-30)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def check_crypto_policy(value: str | None, option: str = "--crypto-policy") -> str | None:
    """``value`` (a crypto policy name or YAML file) once it loads; a bad one is an
    :class:`~docaudit.errors.OptionError` naming ``option`` (exit 2, before anything is read)."""
    if value is None:
        return None
    if not value.strip():  # an empty name is a mistake, not "the default"
        raise OptionError(option, "expected a crypto policy name (vn, strict) or a YAML file, got ''")
    from ..signatures.crypto_policy import load_crypto_policy

    try:
        load_crypto_policy(value)
    except RulePackError as exc:
        raise OptionError(option, str(exc)) from None
    return value


def check_online_timeout(seconds: float) -> float:
    """``--online-timeout``: seconds above 0, at most 600 (a request that takes longer is a failed source)."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 < seconds <= 600:
        raise UsageError(f"--online-timeout: expected seconds above 0 and at most 600, got {seconds}")
    return float(seconds)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)

