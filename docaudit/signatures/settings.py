"""How signatures are judged: trust set, validation moment, fast paths.

Kept apart from ``validate`` so that code which only passes settings around (a scan that reuses
stored evidence, the incremental cache keys) does not import pyHanko (~0.7 s)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .trust import TrustStore


@dataclass(frozen=True)
class ValidationSettings:
    trust: TrustStore = field(default_factory=TrustStore)
    validation_time: str | dt.datetime = "signing"
    """``signing`` (the claimed signing time, default), ``now``, or a fixed datetime."""
    fast_paths: bool = True
    """Skip pyHanko's difference analysis where later revisions are verified to add signatures
    only (``increments``), and remember certificate extraction and path outcomes (``memo``).
    Off: every signature gets pyHanko's full analysis (tests compare the two)."""
