"""How signatures are judged: trust set, validation moment, crypto policy, fast paths.

Kept apart from ``validate`` so that code which only passes settings around (a scan that reuses
stored evidence, the incremental cache keys) does not import pyHanko (~0.7 s)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .crypto_policy import CryptoPolicy, load_crypto_policy
from .trust import TrustStore

if TYPE_CHECKING:
    from .online import OnlineRevocation


@dataclass(frozen=True)
class ValidationSettings:
    trust: TrustStore = field(default_factory=TrustStore)
    validation_time: str | dt.datetime = "signing"
    """``signing`` (the claimed signing time, default), ``now``, or a fixed datetime."""
    fast_paths: bool = True
    """Skip pyHanko's difference analysis where later revisions are verified to add signatures
    only (``increments``), and remember certificate extraction and path outcomes (``memo``).
    Off: every signature gets pyHanko's full analysis (tests compare the two)."""
    crypto_policy: CryptoPolicy = field(default_factory=load_crypto_policy)
    """Which algorithms and key sizes are acceptable, and until when (``--crypto-policy``; default
    ``vn``): judged at the time each signature was made, whatever ``validation_time`` says."""
    # online revocation (--online, issue 16 item 4) -----------------------------------------
    online: "OnlineRevocation | None" = None
    """``--online``: the CRLs and OCSP responses the certificates name are asked for
    (``signatures/online.py``: prepared where the signature is validated, fetched and judged in
    the main process). ``None`` (the default): offline, the file's own revocation data only."""
