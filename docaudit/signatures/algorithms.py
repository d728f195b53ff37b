"""A dated crypto policy (``crypto_policy``) as pyHanko's algorithm usage policy.

pyHanko asks an ``AlgorithmUsagePolicy`` about every algorithm it meets: the CMS signature's
digest and signature mechanism (with the signer's key), each certificate signature on the path
(with the issuer's key), timestamps and revocation data. :class:`DatedAlgorithmPolicy` answers
from a :class:`~.crypto_policy.CryptoPolicy` at one moment, fixed when the validation context is
built: the time the signature was made (``validate._algorithm_time``), whatever moment pyHanko
passes — an algorithm lawful when the document was signed stays acceptable for that document.
pyHanko never checks a trust anchor's own signature, so a self-signed SHA-1 root is not judged.

A refusal carries no ``not_allowed_after`` date, so pyHanko reports ``CRYPTO_CONSTRAINTS_FAILURE``
(not ``…_NO_POE``: no proof of an earlier existence can help a claimed signing time).
"""

from __future__ import annotations

import datetime as dt

from asn1crypto import algos, keys
from pyhanko.sign.validation.utils import CMSAlgorithmUsagePolicy
from pyhanko_certvalidator.policy_decl import AlgorithmUsageConstraint

from .crypto_policy import CryptoPolicy, Refusal


class DatedAlgorithmPolicy(CMSAlgorithmUsagePolicy):
    """``policy`` judged at ``at`` (the signature's time); without ``at``, at the moment pyHanko
    asks about (now when it gives none)."""

    def __init__(self, policy: CryptoPolicy, at: dt.datetime | None = None) -> None:
        self.policy = policy
        self.at = at

    @property
    def memo_key(self) -> tuple:
        """What a judgement depends on: the policy and the era of the judging time (the path memo
        keys on it, see ``memo.validate_cert_usage``)."""
        era = self.policy.era(self.at) if self.at is not None else ("moment",)
        return (self.policy.fingerprint, era)

    def _time(self, moment: dt.datetime | None) -> dt.datetime:
        return self.at or moment or dt.datetime.now(dt.timezone.utc)

    def _answer(self, refusal: Refusal | None, at: dt.datetime) -> AlgorithmUsageConstraint:
        if refusal is None:
            return AlgorithmUsageConstraint(allowed=True)
        return AlgorithmUsageConstraint(allowed=False, failure_reason=refusal.text(self.policy.id, at))

    def digest_algorithm_allowed(self, algo: algos.DigestAlgorithm, moment: dt.datetime | None
                                 ) -> AlgorithmUsageConstraint:
        at = self._time(moment)
        return self._answer(self.policy.digest_refusal(algo["algorithm"].native, at), at)

    def signature_algorithm_allowed(self, algo: algos.SignedDigestAlgorithm, moment: dt.datetime | None,
                                    public_key: keys.PublicKeyInfo | None) -> AlgorithmUsageConstraint:
        at = self._time(moment)
        return self._answer(signature_refusal(self.policy, algo, public_key, at), at)


def signature_refusal(policy: CryptoPolicy, algo: algos.SignedDigestAlgorithm,
                      public_key: keys.PublicKeyInfo | None, at: dt.datetime) -> Refusal | None:
    """The first reason ``policy`` refuses a signature made with ``algo`` and ``public_key`` at
    ``at``: the mechanism, the key size, then the digest the mechanism uses."""
    try:
        mechanism = algo.signature_algo
    except ValueError:  # an OID asn1crypto does not name (plain-ECDSA …): judged by key and digest
        mechanism = algo["algorithm"].native
    refusal = policy.mechanism_refusal(mechanism, at)
    if refusal is None and public_key is not None and policy.sizes_keys_of(public_key.algorithm):
        try:
            bits = public_key.bit_size
        except Exception:  # noqa: BLE001 — a key asn1crypto cannot size: the signature check will say
            bits = None
        refusal = policy.key_refusal(public_key.algorithm, bits, at)
    if refusal is None:
        try:
            digest = algo.hash_algo
        except ValueError:
            digest = None
        if digest is not None:
            refusal = policy.digest_refusal(digest, at)
    return refusal
