"""Rule packs (``rules/*.yaml``): loading, selection, evaluators. Built out by issue 3."""

from __future__ import annotations

import hashlib

from ..rules_data import rules_dir


def pack_fingerprint() -> str:
    """SHA-256 over every rule and target pack file: changes whenever a pack changes, so an
    incremental scan re-evaluates documents when the rules do."""
    digest = hashlib.sha256()
    base = rules_dir()
    for path in sorted(base.rglob("*.yaml")):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
