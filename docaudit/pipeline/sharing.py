"""Keeping a large scan small in memory: entries slimmed to what the report needs, equal values
shared."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model import EntryResult, Evidence, SignatureReport


def slim(evidence: Evidence) -> Evidence:
    """``evidence`` as the report, the figures and the store need it once the document rules have
    run: without the document's text facts (first and last page text, fonts, page sizes …) and
    without its own findings, which :meth:`RuleEngine.apply_document` has copied into the entry's.
    What a 20,000-document scan keeps in memory then no longer depends on the documents' size.
    (The evidence cache got the whole evidence when it arrived.)"""
    if evidence.facts is None and not evidence.findings:
        return evidence
    return replace(evidence, facts=None, findings=())


# Signature details shared between equal signatures: who signed, which CA, which algorithms. The
# serial number and signing time differ from one signature to the next: not worth a look-up.
_SHARED_SIGNATURE_FIELDS = (
    "field", "kind", "reasons", "signer", "signer_name", "issuer", "digest_algorithm", "signature_algorithm",
    "key_algorithm", "key_usage", "coverage", "modification", "role", "role_basis", "detail", "path", "hierarchy",
)


class Sharing:
    """One object for each value a scan meets again and again: the same finding (rule and message)
    on many entries, the same signer, CA and algorithms on many documents. Evidence arrives from
    the workers as fresh copies, so without this every entry would hold its own. Values are
    immutable: sharing them changes nothing but memory."""

    def __init__(self) -> None:
        self._known: dict[Any, Any] = {}

    def one(self, value: Any) -> Any:
        """The first value met equal to ``value`` (``value`` itself if none, or if it cannot be
        hashed: sharing is only ever an optimisation)."""
        if value is None:
            return None
        try:
            return self._known.setdefault((type(value), value), value)
        except TypeError:
            return value

    def seen(self, value: Any) -> Any:
        """The value met before equal to ``value`` (already shared, parts and all), or ``None``."""
        try:
            return self._known.get((type(value), value))
        except TypeError:
            return None

    def result(self, result: EntryResult) -> EntryResult:
        """``result`` with its evidence slimmed (:func:`slim`) and its verdict and findings shared:
        one copy of the entry made."""
        evidence = slim(result.evidence)
        verdict = evidence.verdict
        if verdict is not None and verdict.signatures:
            # an equal verdict met before (another copy of the file, or evidence reused from the
            # cache by several entries) is taken whole: looking it up is cheaper than rebuilding it
            shared = self.seen(verdict)
            if shared is None:
                shared = self.one(replace(verdict, signatures=tuple(self._signature(s) for s in verdict.signatures),
                                          reasons=self.one(verdict.reasons)))
            if shared is not verdict:
                evidence = replace(evidence, verdict=shared)
        return replace(result, evidence=evidence, findings=tuple(self.one(f) for f in result.findings))

    def _signature(self, signature: SignatureReport) -> SignatureReport:
        shared = self.seen(signature)
        if shared is not None:
            return shared
        fields = {name: self.one(getattr(signature, name)) for name in _SHARED_SIGNATURE_FIELDS}
        return self.one(replace(signature, **fields))

