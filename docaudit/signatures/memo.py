"""Remember what does not change between the documents of an archive: certificates and their paths.

An agency signs thousands of documents with the same few certificates, yet a plain pyHanko loop
treats every signature as if it met those certificates for the first time: it re-parses them from
the CMS, re-classifies them and re-builds and re-validates the certificate path. The memos are
keyed on exactly the inputs the library reads, so a hit returns what the library would compute:

1. **Certificate extraction** (``generic_cms.extract_certs_for_validation``: finding the signer
   certificate among the others, then pyHanko's ESS signing-certificate check), keyed on the DER
   of the CMS ``certificates`` set, the signer identifier and the signing-certificate
   attributes (all the check reads of the signed attributes). Hits return the same (already
   parsed) asn1crypto objects, so every later use of the certificate — names, extensions, the
   public key — is parsed once per archive, not once per signature. The same ESS check, run
   again with the integrity check (``_check_signing_certificate``), remembers its passes.

2. **Certificate-path outcome** (``generic_cms.validate_cert_usage``: path building, PKIX path
   validation and the key-usage check). Its result depends on the signer certificate, the
   certificates on offer (the CMS set and the trust store's intermediates), the trust roots, the
   key-usage constraints and the validation moment. The moment enters only through validity
   comparisons (``moment ± tolerance`` against each certificate's notBefore/notAfter): revocation
   is soft-fail without fetching (a signature whose file carries revocation data is validated
   without the memo: ``validate._context``). So the key holds the moment's *time class* — on
   which side of every such bound it falls — instead of the moment: two signing times on the
   same side of every bound get the same answer. The dated crypto policy judges at the
   signature's own time: the key holds the policy's fingerprint and that time's *era* (on which
   side of each of the policy's cut-off dates it falls, ``algorithms.DatedAlgorithmPolicy.memo_key``).
   Only contexts built by docaudit (``register_context``) with such a policy are memoised; any
   other context, or PKIX parameters, go straight to the library. A context whose registry
   starts as a copy of its trust set's (``material.py``) is keyed on the trust set and the
   certificates the document added, and the moment is classed against the trust set's bounds by
   one binary search (with a pack of 70-odd certificates, classing each of them per signature
   would cost more than the memo saves).

The memos are in place while docaudit validates (``patches.applied``) and answer only where
:data:`active` says so (``ValidationSettings.fast_paths``); elsewhere every call goes to the
library. ``tests/signatures/test_fast_paths.py`` checks that verdicts and reasons with the memos
equal those without, on every sample and conformance file and at validation moments around
certificate validity bounds. :func:`forget` empties them (the benchmark starts every run cold).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import weakref
from typing import Any

from asn1crypto import x509
from pyhanko.sign import general
from pyhanko.sign.validation import generic_cms
from pyhanko_certvalidator import ValidationContext

_original_extract_checked = generic_cms.extract_certs_for_validation
_original_check_signing_cert = generic_cms._check_signing_certificate
_original_usage = generic_cms.validate_cert_usage

active: contextvars.ContextVar[bool] = contextvars.ContextVar("docaudit_memos_active", default=False)
"""Whether the memos answer in the current validation (set by ``patches.applied``)."""

_MAX = 4096  # entries per memo; cleared when full (an archive has few distinct certificate sets)
_checked: dict[tuple, Any] = {}
_SIGNING_CERT_ATTRS = ("signing_certificate", "signing_certificate_v2")
_outcomes: dict[tuple, Any] = {}
_contexts: "weakref.WeakKeyDictionary[ValidationContext, tuple[str, tuple[x509.Certificate, ...]]]" = (
    weakref.WeakKeyDictionary()
)
_bounds: dict[bytes, tuple[dt.datetime, dt.datetime]] = {}


class _Unclassifiable(Exception):
    """A certificate's validity cannot be read: no memo for this path."""


def register_context(context: ValidationContext, trust_key: str, roots: tuple[x509.Certificate, ...]) -> None:
    """Mark ``context`` as built by docaudit from the trust set ``trust_key`` (its fingerprint):
    path outcomes under it may be remembered."""
    _contexts[context] = (trust_key, roots)


def extract_certs_for_validation(signed_data):
    """The certificate extraction plus pyHanko's ESS signing-certificate check, which reads only
    the signing-certificate attributes: remembered per (certificates, signer id, those
    attributes). A failing check raises every time (failures are not remembered)."""
    if not active.get():
        return _original_extract_checked(signed_data)
    try:
        signer_info = general.extract_signer_info(signed_data)
        certificates = signed_data["certificates"]
        key = (certificates.dump() if certificates is not None else b"", signer_info["sid"].dump(),
               _ess_attributes(signer_info["signed_attrs"]))
    except Exception:  # noqa: BLE001 — malformed: the library raises its own error
        return _original_extract_checked(signed_data)
    found = _checked.get(key)
    if found is None:
        found = _original_extract_checked(signed_data)
        _remember(_checked, key, found)
    return found


_ess_passed: dict[tuple[bytes, tuple[bytes, ...]], bool] = {}


def _ess_attributes(signed_attrs) -> tuple[bytes, ...]:
    """The DER of the signing-certificate(-v2) attributes: all the ESS check reads of them."""
    return tuple(a.dump() for a in (signed_attrs if signed_attrs else ()) if a["type"].native in _SIGNING_CERT_ATTRS)


def _check_signing_certificate(cert, signed_attrs):
    """pyHanko's ESS signing-certificate check (run twice per signature: when the signer is
    selected and again with the integrity check) reads only the certificate and the
    signing-certificate attributes: a pass is remembered for that pair; a failure raises every time."""
    if not active.get():
        return _original_check_signing_cert(cert, signed_attrs)
    try:
        key = (cert.dump(), _ess_attributes(signed_attrs))
    except Exception:  # noqa: BLE001
        return _original_check_signing_cert(cert, signed_attrs)
    if key in _ess_passed:
        return None
    _original_check_signing_cert(cert, signed_attrs)
    _remember(_ess_passed, key, True)
    return None


async def validate_cert_usage(cert, validation_context, key_usage_settings, paths, pkix_validation_params=None):
    known = _contexts.get(validation_context) if active.get() else None
    if known is None or pkix_validation_params is not None:
        return await _original_usage(cert, validation_context, key_usage_settings, paths, pkix_validation_params)
    trust_key, roots = known
    policy_key = getattr(validation_context.algorithm_policy, "memo_key", None)
    if policy_key is None:  # an algorithm policy we cannot key on: the library decides, every time
        return await _original_usage(cert, validation_context, key_usage_settings, paths, pkix_validation_params)
    registry = validation_context.certificate_registry
    material = getattr(registry, "material", None)
    try:
        if material is not None and material.key == trust_key:
            # the trust set's own certificates come with the key; only what the document added
            # is named, and the moment is classed against the trust set's bounds at once
            offered = list(registry.added)
            moment_class = (_time_class((cert, *offered), validation_context.moment, validation_context.time_tolerance),
                            material.moment_class(validation_context.moment, validation_context.time_tolerance))
        else:
            offered = list(registry)
            moment_class = (_time_class((cert, *offered, *roots), validation_context.moment,
                                        validation_context.time_tolerance), None)
    except (_Unclassifiable, ValueError, KeyError, TypeError):
        return await _original_usage(cert, validation_context, key_usage_settings, paths, pkix_validation_params)
    key = (trust_key, cert.dump(), tuple(sorted(c.dump() for c in offered)), repr(key_usage_settings), moment_class,
           policy_key)
    found = _outcomes.get(key)
    if found is None:
        found = await _original_usage(cert, validation_context, key_usage_settings, paths, pkix_validation_params)
        _remember(_outcomes, key, found)
    else:
        cancel = getattr(paths, "cancel", None)
        if cancel is not None:
            await cancel()
    return found


def _time_class(certs, moment: dt.datetime, tolerance: dt.timedelta) -> tuple:
    """On which side of each certificate's validity bounds (exact and ± tolerance) ``moment`` lies."""
    sides = []
    for cert in certs:
        not_before, not_after = _validity(cert)
        sides.append((moment + tolerance < not_before, moment < not_before, moment - tolerance < not_before,
                      moment - tolerance > not_after, moment > not_after, moment + tolerance > not_after))
    return tuple(sides)


def _validity(cert: x509.Certificate) -> tuple[dt.datetime, dt.datetime]:
    der = cert.dump()
    if der in _bounds:
        return _bounds[der]
    try:
        validity = cert["tbs_certificate"]["validity"]
        bounds = (validity["not_before"].native, validity["not_after"].native)
    except Exception:  # noqa: BLE001 — unreadable validity: the library decides, every time
        raise _Unclassifiable() from None
    _remember(_bounds, der, bounds)
    return bounds


def _remember(memo: dict, key, value) -> None:
    if len(memo) >= _MAX:
        memo.clear()
    memo[key] = value


# (owner, attribute, replacement): put in place by ``patches.applied``, never at import
REPLACEMENTS = (
    (generic_cms, "extract_certs_for_validation", extract_certs_for_validation),
    (generic_cms, "_check_signing_certificate", _check_signing_certificate),
    (generic_cms, "validate_cert_usage", validate_cert_usage),
)


def forget() -> None:
    """Empty the memos."""
    _checked.clear()
    _ess_passed.clear()
    _outcomes.clear()
