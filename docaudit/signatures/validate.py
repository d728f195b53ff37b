"""Validate every signature of a PDF with pyHanko and map the outcome to the contract's verdicts.

Per signature (ETSI EN 319 102-1 style indications in ``reasons``):

* ``invalid``  — HASH_FAILURE (digest of the signed bytes does not match), SIG_CRYPTO_FAILURE (bad
  signature value), FORMAT_FAILURE (malformed CMS/ByteRange, coverage gaps, unparsable structure),
  EXPIRED / NOT_YET_VALID (certificate not valid at the validation time), REVOKED,
  ILLEGAL_MODIFICATION (a later revision changed what PAdES does not allow).
* ``indeterminate`` — the signature is intact but trust cannot be established: NO_CERTIFICATE_CHAIN_FOUND,
  CHAIN_CONSTRAINTS_FAILURE, CRYPTO_CONSTRAINTS_FAILURE (an algorithm the crypto policy did not
  accept on the signing day), NO_SIGNING_CERTIFICATE_FOUND, PARSER_FAILURE, UNSUPPORTED_SUBFILTER …
* ``valid`` — intact, covers its revision, chains to a ``--trust`` root, certificate valid at the
  validation time, and later revisions only did what PAdES allows (signatures, form filling,
  annotations, DSS/timestamps).

Document verdict (the contract (docs/REPORT.md: verdicts)): ``unsigned`` without signatures; ``invalid`` if any signature is
invalid; ``valid`` if every one is valid; ``indeterminate`` otherwise.

Every filled signature field is judged, whatever its ``/SubFilter``: ``adbe.pkcs7.detached``,
``ETSI.CAdES.detached``, ``adbe.pkcs7.sha1`` (the CMS signs the SHA-1 digest of the byte ranges,
:func:`_validate_pkcs7_sha1`) and document timestamps; any other sub-filter is ``indeterminate``
(UNSUPPORTED_SUBFILTER), never skipped.

pyHanko raises on some files (a malformed ESS signing-certificate attribute, a CMS without the
signer's certificate or with two SignerInfos, a KeyError in non-strict parsing …). An exception
is not evidence: docaudit then checks the ByteRange, the digest and the signature value with its
own code (:mod:`.integrity`). A proven failure is ``invalid`` (FORMAT_FAILURE, HASH_FAILURE,
SIG_CRYPTO_FAILURE); intact signed bytes make the signature ``indeterminate`` with the reason
named (NO_SIGNING_CERTIFICATE_FOUND, PARSER_FAILURE) and pyHanko's words in ``detail``. A format
violation pyHanko itself names (AdES FORMAT_FAILURE) stays ``invalid``. Nothing crashes a scan.

Integrity first (:mod:`.review`): every signature's /ByteRange is checked against the bytes
before pyHanko is asked (a broken one is ``invalid`` FORMAT_FAILURE with its own wording), and
objects after the last %%EOF that no xref lists are an ILLEGAL_MODIFICATION. After pyHanko, for a
signature followed by later revisions: docaudit's own classification (:mod:`.revisions`) where
pyHanko's difference analysis rejected them or raised, a changed field value the signer saw, and
the visual comparison (:mod:`.visual`) — a visible difference is ILLEGAL_MODIFICATION naming the
page and the area; a comparison that cannot be made is a note.

Algorithms are judged by the dated crypto policy (``settings.crypto_policy``, :mod:`.algorithms`)
at the time the signature was made (:func:`_algorithm_time`), in the CMS and along the path.

Both entry points validate with docaudit's replacements inside pyHanko in place
(:func:`.patches.applied`); importing this module leaves pyHanko as shipped.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import hashlib
import io
import logging
import os
from dataclasses import replace
from typing import Any, Callable, Coroutine, Iterable

from asn1crypto import cms, core, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    extract_contents,
    report_seed_value_validation,
)
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko_certvalidator import ValidationContext

from ..model import DocumentVerdict, SignatureReport, Verdict
from . import memo, patches, revinfo
from .algorithms import DatedAlgorithmPolicy, signature_refusal
from .chain import with_path
from .crypto_policy import CryptoPolicy
from . import online  # online revocation (issue 16 item 4)
from .material import trust_material
from .diff_rules import DIFF_POLICY as _PYHANKO_POLICY
from .integrity import PKCS7_SHA1, check_integrity
from .increments import only_signatures_after, page_content_changed_after
from .review import NOTHING, DiffAnalysisFailed, Document, GuardedPolicy, Later, review, structure_problem
from .roles import classify
from .settings import ValidationSettings

# pyHanko logs full tracebacks for every untrusted chain or suspicious diff; we report those
# outcomes ourselves, so its logging would only bury the auditor's output.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)

ALLOWED_COVERAGE = {SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION}
ALLOWED_MODIFICATIONS = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
    ModificationLevel.ANNOTATIONS,
}
# A signer certificate with either usage may sign documents; the lack of non-repudiation is a
# finding for the rules (a warning), not a reason to doubt the signature.
KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
# docaudit's policy inside pyHanko: its own rules (diff_rules) and an analysis that never raises
# (an exception becomes a SuspiciousModification that docaudit's classification then judges)
DIFF_POLICY = GuardedPolicy(_PYHANKO_POLICY)
# Indications that make a signature invalid (TOTAL-FAILED) rather than indeterminate.
INVALIDATING = {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE", "EXPIRED", "NOT_YET_VALID"}
# The sub-filters judged (anything else: indeterminate UNSUPPORTED_SUBFILTER).
DETACHED_SUBFILTERS = {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/PBAD.PAdES"}
TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"


class PdfStructureError(Exception):
    """pyHanko cannot parse the PDF at all (the caller decides whether pypdf can)."""


def verify_pdf(data: bytes, settings: ValidationSettings,
               page_numbers: dict[int, int] | None = None) -> DocumentVerdict:
    """Validate every signature of the PDF in ``data``.

    ``page_numbers`` (page object number → 0-based index), when the caller has already walked
    the page tree, saves walking it again to place signature widgets.

    Raises :class:`PdfStructureError` if pyHanko cannot open the file; the evidence layer then
    falls back to :func:`verify_signature_bytes` on the signature dictionaries pypdf can find.
    """
    with patches.applied(memos=settings.fast_paths):
        return _verify_pdf(data, settings, page_numbers)


def _verify_pdf(data: bytes, settings: ValidationSettings, page_numbers: dict[int, int] | None) -> DocumentVerdict:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        embedded = signature_fields(reader)
    except Exception as exc:  # noqa: BLE001 — any parser failure is reported, never raised
        raise PdfStructureError(f"{type(exc).__name__}: {exc}") from None
    if not embedded:
        return DocumentVerdict(Verdict.UNSIGNED)
    pages = page_numbers if page_numbers is not None else _page_numbers(reader)
    fast_diff = _FastDiff(reader, data) if settings.fast_paths else None
    stored = revinfo.from_dss(reader)  # the document's LTV data, for every signature
    document = Document(reader, data)
    reports = tuple(
        _validate_embedded(sig, settings, pages, fast_diff, stored, data, document)
        if isinstance(sig, EmbeddedPdfSignature)
        else sig.report(settings, data)
        for sig in embedded
    )
    return document_verdict(reports)


def signature_fields(reader: PdfFileReader) -> list["EmbeddedPdfSignature | _Unreadable"]:
    """Every filled signature field of the document, in signing order, whatever its /SubFilter
    (pyHanko's ``embedded_signatures`` leaves out the sub-filters it does not validate, and fails
    as a whole on one CMS it cannot decode). A field pyHanko cannot even load is kept as
    :class:`_Unreadable`, judged from its bytes."""
    found: list[tuple[int, int, EmbeddedPdfSignature | _Unreadable]] = []
    for index, (name, value, field_ref) in enumerate(enumerate_sig_fields(reader, filled_status=True)):
        field = field_ref.get_object() if hasattr(field_ref, "get_object") else field_ref
        try:
            sig: EmbeddedPdfSignature | _Unreadable = EmbeddedPdfSignature(reader, field, name)
            revision = sig.signed_revision
        except Exception as exc:  # noqa: BLE001 — judged below from what can be read
            sig = _Unreadable(reader, field, str(name), exc)
            revision = sig.revision
        found.append((revision if revision is not None else 1 << 30, index, sig))
    return [sig for _, _, sig in sorted(found, key=lambda item: item[:2])]


class _FastDiff:
    """Per document: which signatures may skip pyHanko's difference analysis because every later
    revision only adds signatures (``increments.only_signatures_after``, verified, cached)."""

    def __init__(self, reader: PdfFileReader, data: bytes) -> None:
        self.reader, self.data = reader, data
        self._signatures_only: dict[int, bool] = {}  # signed revision → answer (both signatures ask)
        self._content_changed: dict[int, bool] = {}

    def applies(self, sig: EmbeddedPdfSignature) -> bool:
        revision = self._plain_revision(sig)
        if revision is None:
            return False
        if revision not in self._signatures_only:
            self._signatures_only[revision] = only_signatures_after(self.reader, revision, self.data)
        return self._signatures_only[revision]

    def surely_illegal(self, sig: EmbeddedPdfSignature) -> bool:
        """A later revision rewrote the content of a page the signature covers
        (``increments.page_content_changed_after``): pyHanko's analysis can only say OTHER."""
        revision = self._plain_revision(sig)
        if revision is None:
            return False
        if revision not in self._content_changed:
            self._content_changed[revision] = page_content_changed_after(self.reader, revision)
        return self._content_changed[revision]

    @staticmethod
    def _plain_revision(sig: EmbeddedPdfSignature) -> int | None:
        try:
            if "/Reference" in sig.sig_object or "/Lock" in sig.sig_field:
                return None  # certification (DocMDP) or FieldMDP locks: pyHanko judges permissions
            return sig.signed_revision
        except Exception:  # noqa: BLE001
            return None


def document_verdict(reports: Iterable[SignatureReport]) -> DocumentVerdict:
    reports = tuple(reports)
    if not reports:
        return DocumentVerdict(Verdict.UNSIGNED)
    verdicts = {r.verdict for r in reports}
    if all(r.kind == "timestamp" for r in reports) and Verdict.INVALID not in verdicts:
        # document timestamps alone prove when the file existed, not who signed it: the document
        # is unsigned (the timestamps stay in the report; a broken one still makes it invalid)
        return DocumentVerdict(Verdict.UNSIGNED, reports, ())
    if Verdict.INVALID in verdicts:
        verdict = Verdict.INVALID
    elif verdicts == {Verdict.VALID}:
        verdict = Verdict.VALID
    else:
        verdict = Verdict.INDETERMINATE
    reasons = sorted({reason for r in reports for reason in r.reasons})
    return DocumentVerdict(verdict, reports, tuple(reasons))


# --------------------------------------------------------------------------- one signature


def _validate_embedded(
    sig: EmbeddedPdfSignature, settings: ValidationSettings, pages: dict[int, int],
    fast_diff: "_FastDiff | None" = None,
    stored: revinfo.RevocationData = revinfo.NONE,
    data: bytes | None = None,
    document: Document | None = None,
) -> SignatureReport:
    base = _describe(sig, pages)
    subfilter = _subfilter(sig.sig_object)
    if subfilter == PKCS7_SHA1:
        base["digest_algorithm"] = "sha1"  # the document's digest, whatever the CMS digests it with
    if data is None:
        data = _stream_bytes(sig)
    if document is None:
        document = Document(sig.reader, data)
    try:
        is_timestamp = sig.sig_object_type == "/DocTimeStamp" or subfilter == TIMESTAMP_SUBFILTER
        if not is_timestamp and subfilter not in DETACHED_SUBFILTERS and subfilter != PKCS7_SHA1:
            return _unsupported(base, subfilter)
        # integrity first, with docaudit's own code: a ByteRange that cannot be right needs no more
        problem = structure_problem(sig, data)
        if problem:
            return _broken_structure(base, problem, sig, data, subfilter)
        moment = _validation_moment(settings, base.get("signing_time"))
        at = _algorithm_time(sig.signer_info, base.get("signing_time"), moment)
        skip_diff = bool(fast_diff and not is_timestamp and fast_diff.applies(sig))
        illegal = bool(fast_diff and not is_timestamp and not skip_diff and fast_diff.surely_illegal(sig))

        def validate(revocation: revinfo.RevocationData) -> Any:
            context = _context(settings, moment, revocation, at)
            # a separate context for timestamps only where there is a timestamp to validate
            ts_context = _context(settings, moment, revocation, at) if _has_timestamp_tokens(sig) else context
            if is_timestamp:
                return _run(lambda: _validate_timestamp(sig, context))
            if subfilter == PKCS7_SHA1:
                return _run(lambda: _validate_pkcs7_sha1(sig, context, ts_context, skip_diff or illegal,
                                                         settings.crypto_policy, at))
            return _run(
                lambda: async_validate_pdf_signature(
                    sig,
                    signer_validation_context=context,
                    ts_validation_context=ts_context,
                    diff_policy=DIFF_POLICY,
                    key_usage_settings=KEY_USAGE,
                    skip_diff=skip_diff or illegal,
                )
            )

        status = validate(revinfo.NONE)
    except Exception as exc:  # noqa: BLE001 — an exception is not evidence: see _undecided
        byte_range = getattr(sig, "byte_range", None)
        return _undecided(base, exc, data, byte_range, getattr(sig, "pkcs7_content", b""), subfilter)

    digest = base.get("digest_algorithm")
    accepted = settings.crypto_policy.digest_refusal(digest, at) is None if digest else None
    later = _review_later(sig, status, document, skip_diff, illegal)

    def describe(outcome: Any) -> SignatureReport:
        report = _from_status(sig, outcome, base, moment, signature_increments_only=skip_diff,
                              content_changed=illegal, later=later)
        # the path validated to a trust anchor, name by name (none when not validated or revoked)
        report = replace(with_path(report, outcome, settings.trust), digest_accepted=accepted)
        return _explain_crypto(report, sig, outcome, settings.crypto_policy, at, subfilter)

    report = _with_revocation(describe(status), sig, stored, validate, describe)
    if settings.online is not None:  # online revocation (issue 16 item 4): what the file does not settle is asked
        report = online.ask(report, status, lambda: stored + revinfo.from_cms(sig.signer_info), moment)
    return report


def _review_later(sig: EmbeddedPdfSignature, status: Any, document: Document, skip_diff: bool,
                  content_changed: bool) -> Later:
    """docaudit's own judgement of what came after the signature (:func:`.review.review`):
    objects after the last %%EOF, its classification where pyHanko rejected the later revisions,
    a changed field value, the visual comparison. Costs nothing for a signature that covers the
    whole file."""
    intact = bool(getattr(status, "intact", False)) and (bool(getattr(status, "valid", False))
                                                           or _plain_ecdsa_verifies(sig))
    coverage = getattr(status, "coverage", None)
    intact = intact and (coverage is None or coverage in ALLOWED_COVERAGE)
    modification, corrected = _modification_level(status)
    diff = getattr(status, "diff_result", None)
    rejected = not skip_diff and not content_changed and (
        (modification is not None and modification not in ALLOWED_MODIFICATIONS)
        or isinstance(diff, DiffAnalysisFailed)
        or (isinstance(diff, SuspiciousModification) and not corrected)
        or (not corrected and getattr(status, "docmdp_ok", True) is False))
    return review(sig, status, document, intact=intact, skip_diff=skip_diff, content_changed=content_changed,
                  rejected=rejected)


def _broken_structure(base: dict[str, Any], problem: str, sig: EmbeddedPdfSignature, data: bytes,
                      subfilter: str) -> SignatureReport:
    """A signature whose ByteRange cannot be right: ``invalid`` FORMAT_FAILURE with docaudit's
    words, and whether the bytes it names still match the digest and the signature value (a
    HASH_FAILURE or SIG_CRYPTO_FAILURE beside it: the file was edited, not only re-framed)."""
    reasons = ["FORMAT_FAILURE"]
    try:
        integrity = check_integrity(data, sig.byte_range, sig.pkcs7_content, subfilter, digest_only=True)
        if integrity.broken in ("HASH_FAILURE", "SIG_CRYPTO_FAILURE"):
            reasons.append(integrity.broken)
    except Exception:  # noqa: BLE001 — the broken ByteRange is evidence enough
        pass
    return SignatureReport(**{**base, "verdict": Verdict.INVALID, "reasons": tuple(reasons), "detail": problem[:500]})


def _subfilter(sig_object) -> str:
    try:
        return str(sig_object.get("/SubFilter", ""))
    except Exception:  # noqa: BLE001
        return ""


def _stream_bytes(sig: EmbeddedPdfSignature) -> bytes:
    try:
        stream = sig.reader.stream
        stream.seek(0)
        return stream.read()
    except Exception:  # noqa: BLE001
        return b""


def _unsupported(base: dict[str, Any], subfilter: str) -> SignatureReport:
    """A signature of a sub-filter docaudit does not verify: a signature all the same."""
    shown = subfilter.lstrip("/") or "none"
    return SignatureReport(**{**base, "verdict": Verdict.INDETERMINATE, "reasons": ("UNSUPPORTED_SUBFILTER",),
                              "detail": f"the signature's sub-filter ({shown}) is not one docaudit verifies"})


def _undecided(base: dict[str, Any], exc: BaseException, data: bytes, byte_range, contents: bytes,
               subfilter: str) -> SignatureReport:
    """The report of a signature pyHanko could not judge (it raised ``exc``).

    A format violation pyHanko names itself (AdES FORMAT_FAILURE: encapsulated content in a
    detached signature, no content-type attribute …) is ``invalid``. Otherwise the exception is
    no evidence: the ByteRange, the digest and the signature value are checked with docaudit's
    own code (:func:`.integrity.check_integrity`); a proven failure is ``invalid``, and intact
    signed bytes give ``indeterminate`` with the reason pyHanko could not go on."""
    words = f"{type(exc).__name__}: {exc}"[:300]
    ades = getattr(exc, "ades_subindication", None) if isinstance(exc, SignatureValidationError) else None
    if isinstance(ades, AdESFailure):
        return SignatureReport(**{**base, "verdict": Verdict.INVALID, "reasons": (ades.name,), "detail": words})
    integrity = check_integrity(data, byte_range, contents, subfilter)
    if integrity.signer_cert is not None and "signer" not in base:
        try:
            base = {**base, **describe_certificate(integrity.signer_cert)}
        except Exception:  # noqa: BLE001
            pass
    if integrity.broken:
        return SignatureReport(**{**base, "verdict": Verdict.INVALID, "reasons": (integrity.broken,),
                                  "detail": f"{integrity.detail}; {words}"[:500]})
    if integrity.certificate_problem or (ades is AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND):
        reason = AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND.name
        why = integrity.certificate_problem or "pyHanko cannot identify the signing certificate"
    elif isinstance(ades, AdESIndeterminate) and ades is not AdESIndeterminate.GENERIC:
        reason, why = ades.name, "pyHanko cannot complete the validation"
    else:
        reason, why = "PARSER_FAILURE", "pyHanko cannot complete the validation of this signature"
    checked = "the digest and the signature value" if integrity.value_checked else "the digest"
    detail = f"the signed bytes are intact ({checked} checked by docaudit), but {why}: {words}"
    return SignatureReport(**{**base, "verdict": Verdict.INDETERMINATE, "reasons": (reason,),
                              "detail": detail[:500]})


class _Unreadable:
    """A filled signature field pyHanko cannot load (``EmbeddedPdfSignature`` raised: a CMS with
    two SignerInfos, undecodable DER, a /V that is not a dictionary …): judged from its bytes."""

    def __init__(self, reader: PdfFileReader, field: Any, name: str, error: BaseException) -> None:
        self.reader, self.field, self.name, self.error = reader, field, name, error
        self.revision: int | None = None
        self.sig_object: Any = None
        try:
            value_ref = field.raw_get("/V")
            self.sig_object = value_ref.get_object()
            self.revision = reader.xrefs.get_last_change(value_ref.reference)
        except Exception:  # noqa: BLE001
            pass

    def report(self, settings: ValidationSettings, data: bytes) -> SignatureReport:
        base: dict[str, Any] = {"field": self.name or "?", "kind": "signature"}
        sig_object = self.sig_object
        subfilter = _subfilter(sig_object) if sig_object is not None else ""
        try:
            if sig_object.get("/Type") == "/DocTimeStamp" or subfilter == TIMESTAMP_SUBFILTER:
                base["kind"] = "timestamp"
        except Exception:  # noqa: BLE001
            pass
        if self.revision is not None:
            base["revision"] = self.revision
        if subfilter not in DETACHED_SUBFILTERS and subfilter not in (PKCS7_SHA1, TIMESTAMP_SUBFILTER):
            return _unsupported(base, subfilter)
        try:
            byte_range = list(sig_object.raw_get("/ByteRange"))
            contents = extract_contents(sig_object)
        except Exception as exc:  # noqa: BLE001 — no ByteRange or /Contents: not a usable signature
            return SignatureReport(**{**base, "verdict": Verdict.INVALID, "reasons": ("FORMAT_FAILURE",),
                                      "detail": f"the signature dictionary cannot be read: {type(exc).__name__}: {exc}"[:500]})
        try:
            signed_data = cms.ContentInfo.load(contents)["content"]
            signer_info = signed_data["signer_infos"][0]
            base["digest_algorithm"] = "sha1" if subfilter == PKCS7_SHA1 else \
                signer_info["digest_algorithm"]["algorithm"].native
            base["signature_algorithm"] = _mechanism(signer_info["signature_algorithm"])
            base["signing_time"] = generic_cms.extract_self_reported_ts(signer_info)
        except Exception:  # noqa: BLE001
            pass
        return _undecided(base, self.error, data, byte_range, contents, subfilter)


def _with_revocation(report: SignatureReport, sig: EmbeddedPdfSignature, stored: revinfo.RevocationData,
                     validate: Callable[[revinfo.RevocationData], Any],
                     describe: Callable[[Any], SignatureReport]) -> SignatureReport:
    """The signature judged again with the revocation data its file carries (revinfo): a
    certificate revoked before the validation moment makes it ``invalid``. The data may only add
    that verdict: a CRL that pyHanko cannot use at that moment (issued later, say) is not allowed
    to turn an otherwise valid signature indeterminate (soft-fail, as without the data)."""
    try:
        revocation = stored + revinfo.from_cms(sig.signer_info)
    except Exception:  # noqa: BLE001
        return report
    if not revocation or report.verdict is Verdict.INVALID:
        return report
    try:
        again = describe(validate(revocation))
    except Exception:  # noqa: BLE001 — the first judgement stands
        return report
    return again if any(reason.startswith("REVOKED") for reason in again.reasons) else report


def _has_timestamp_tokens(sig: EmbeddedPdfSignature) -> bool:
    """Whether pyHanko will validate a signature or content timestamp for this signature (only
    then does the timestamp context differ in use from the signer's)."""
    try:
        info = sig.signer_info
        unsigned = info["unsigned_attrs"]
        signed = info["signed_attrs"]
        names = {a["type"].native for a in (unsigned if unsigned else ())}
        names |= {a["type"].native for a in (signed if signed else ())}
    except Exception:  # noqa: BLE001 — when in doubt, give pyHanko its own timestamp context
        return True
    return bool(names & {"signature_time_stamp_token", "content_time_stamp"})


_runner: tuple[int, asyncio.Runner] | None = None
_driven = {"inline": 0, "loop": 0}  # how validations ran (tests check the inline way is taken)


def _run(make_coroutine: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run one of pyHanko's async validations and return its result.

    Without fetching (``allow_fetching=False``) pyHanko's validation coroutines never wait on
    anything, so the coroutine is first driven here to its end, without an event loop (an
    event loop round trip costs about as much as validating a cached certificate path). If it
    does suspend, or fails (it might have wanted a running loop), it is discarded and a fresh
    one runs on the process's event loop: validating twice gives the same result, since all
    that the first attempt may leave behind are caches.

    The loop is one per process — ``asyncio.run`` would build and tear down a loop for every
    signature — and a forked worker starts its own (event loops do not survive a fork)."""
    global _runner
    coroutine = make_coroutine()
    try:
        coroutine.send(None)
    except StopIteration as done:
        _driven["inline"] += 1
        return done.value
    except Exception:  # noqa: BLE001 — retried below on the loop, where it raises for real
        pass
    else:
        coroutine.close()  # it suspended: needs the loop
    _driven["loop"] += 1
    if _runner is None or _runner[0] != os.getpid():
        _runner = (os.getpid(), asyncio.Runner())
    # the caller's context, not the one the runner copied when it was made: memo.active lives there
    return _runner[1].run(make_coroutine(), context=contextvars.copy_context())


async def _validate_timestamp(sig: EmbeddedPdfSignature, context: ValidationContext) -> Any:
    """pyHanko's document-timestamp validation without its /Type check: some producers write
    RFC 3161 timestamps with /Type /Sig (seen in EU DSS test files)."""
    from pyhanko.sign.validation.status import DocumentTimestampStatus

    sig.compute_integrity_info(diff_policy=DIFF_POLICY)
    kwargs = await generic_cms.validate_tst_signed_data(sig.signed_data, context, sig.compute_digest)
    kwargs["coverage"] = sig.coverage
    kwargs["diff_result"] = sig.diff_result
    return DocumentTimestampStatus(**kwargs)


async def _validate_pkcs7_sha1(sig: EmbeddedPdfSignature, context: ValidationContext, ts_context: ValidationContext,
                               skip_diff: bool, policy: CryptoPolicy, at: dt.datetime) -> Any:
    """An ``adbe.pkcs7.sha1`` signature (Aspose, iTextSharp …), which pyHanko does not validate.

    The CMS is not detached: its encapsulated content is the SHA-1 digest of the signed byte
    ranges, and the signature covers that content (through the signed attributes' message digest
    when there are any, directly otherwise). This is pyHanko's own PDF validation with two
    changes: the CMS is checked over its encapsulated content, and that content must equal
    SHA-1 of the byte ranges (otherwise the signature is not intact). The certificate path,
    timestamps, coverage and later revisions are judged as for any other signature, and the
    document's SHA-1 digest answers to the crypto policy like any other algorithm."""
    sig.compute_integrity_info(diff_policy=DIFF_POLICY, skip_diff=skip_diff)
    status_kwargs = sig.summarise_integrity_info()
    status_kwargs.update(await generic_cms.collect_timing_info(
        sig.signer_info, ts_context, raw_digest=sig.compute_digest))
    if "signer_reported_dt" not in status_kwargs and sig.self_reported_timestamp is not None:
        status_kwargs["signer_reported_dt"] = sig.self_reported_timestamp
    status_kwargs = await generic_cms.cms_basic_validation(
        sig.signed_data, raw_digest=None, validation_context=context, status_kwargs=status_kwargs,
        key_usage_settings=PdfSignatureStatus.default_usage_constraints(KEY_USAGE),
    )
    content = sig.signed_data["encap_content_info"]["content"]
    encapsulated = None if isinstance(content, core.Void) else bytes(content.native or b"")
    if encapsulated != sig.compute_digest("sha1"):
        status_kwargs["intact"] = False
    if status_kwargs.get("trust_problem_indic") is None and policy.digest_refusal("sha1", at) is not None:
        status_kwargs["trust_problem_indic"] = AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE
    tst = status_kwargs.get("timestamp_validity")
    status_kwargs.update(report_seed_value_validation(
        sig, status_kwargs["validation_path"], tst is not None and tst.valid and tst.trusted))
    status_kwargs.update(await generic_cms.collect_signer_attr_status(
        sd_attr_certificates=sig.embedded_attr_certs, signer_cert=sig.signer_cert, validation_context=None,
        sd_signed_attrs=sig.signer_info["signed_attrs"]))
    return PdfSignatureStatus(**status_kwargs)


def _explain_crypto(report: SignatureReport, sig: EmbeddedPdfSignature, status: Any, policy: CryptoPolicy,
                    at: dt.datetime, subfilter: str) -> SignatureReport:
    """For a CRYPTO_CONSTRAINTS_FAILURE, say which algorithm the policy refuses and since when
    (computed from the signature and its path, so a remembered path outcome says the same)."""
    if "CRYPTO_CONSTRAINTS_FAILURE" not in report.reasons:
        return report
    refusal = None
    try:
        info = sig.signer_info
        if subfilter == PKCS7_SHA1:
            refusal = policy.digest_refusal("sha1", at)
        refusal = refusal or policy.digest_refusal(info["digest_algorithm"]["algorithm"].native, at)
        refusal = refusal or signature_refusal(policy, info["signature_algorithm"], sig.signer_cert.public_key, at)
        path = getattr(status, "validation_path", None)
        certs = list(path.iter_certs(include_root=True)) if path is not None else []
        for issuer, cert in zip(certs, certs[1:]):
            refusal = refusal or signature_refusal(policy, cert["signature_algorithm"], issuer.public_key, at)
    except Exception:  # noqa: BLE001 — the reason stands without the explanation
        return report
    if refusal is None:
        return report
    detail = "; ".join(filter(None, (report.detail, refusal.text(policy.id, at))))
    return replace(report, detail=detail)


def _validation_moment(settings: ValidationSettings, signing_time: dt.datetime | None) -> dt.datetime:
    if isinstance(settings.validation_time, dt.datetime):
        return settings.validation_time
    if settings.validation_time == "signing" and signing_time is not None:
        return _aware(signing_time)
    return dt.datetime.now(dt.timezone.utc)


def _aware(moment: dt.datetime) -> dt.datetime:
    """A signing time written without an offset (some producers' /M) is read as UTC, as pyHanko's
    validation context demands an aware moment."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def _algorithm_time(signer_info: Any, signing_time: dt.datetime | None, moment: dt.datetime) -> dt.datetime:
    """When the signature was made, for the crypto policy: the time its signature timestamp
    proves (a proof beats a claim, as EU DSS's proof of existence), else the claimed signing
    time, else the validation moment. Independent of ``--validation-time``: an algorithm is
    judged by the rules of the day the document was signed."""
    proved = _timestamp_time(signer_info)
    if proved is not None:
        return proved
    return _aware(signing_time) if signing_time is not None else moment


def _timestamp_time(signer_info: Any) -> dt.datetime | None:
    """genTime of the signature's RFC 3161 signature timestamp (unsigned attribute), if any."""
    try:
        attrs = signer_info["unsigned_attrs"]
        if isinstance(attrs, core.Void):
            return None
        for attr in attrs:
            if attr["type"].native == "signature_time_stamp_token":
                token = attr["values"][0]
                tst = token["content"]["encap_content_info"]["content"].parsed
                return _aware(tst["gen_time"].native)
    except Exception:  # noqa: BLE001 — an unreadable token proves nothing: the claim is used
        return None
    return None


def _context(settings: ValidationSettings, moment: dt.datetime,
             revocation: revinfo.RevocationData = revinfo.NONE, at: dt.datetime | None = None) -> ValidationContext:
    # The trust manager only holds the roots (pyHanko never changes it after building it) and the
    # certificate registry starts with the trust set's certificates: built once per trust set and
    # process (material.py); each context gets a copy of the registry, which the document fills
    # with its own certificates.
    material = trust_material(settings.trust) if settings.fast_paths else None
    context = ValidationContext(
        trust_roots=None if material else list(settings.trust.roots),
        trust_manager=material.trust_manager if material else None,
        other_certs=None if material else list(settings.trust.intermediates),
        certificate_registry=material.registry() if material else None,
        moment=moment,
        best_signature_time=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
        crls=list(revocation.crls),
        ocsps=list(revocation.ocsps),
        # the dated crypto policy, judged at the time the signature was made (``at``)
        algorithm_usage_policy=DatedAlgorithmPolicy(settings.crypto_policy, at or moment),
    )
    # the path memo assumes no revocation data (its outcome would depend on it): a signature
    # whose file carries some is always validated afresh
    if settings.fast_paths and not revocation:
        memo.register_context(context, settings.trust.fingerprint, tuple(settings.trust.roots))
    return context


def _from_status(
    sig: EmbeddedPdfSignature, status: Any, base: dict[str, Any], moment: dt.datetime,
    signature_increments_only: bool = False,
    content_changed: bool = False,
    later: Later = NOTHING,
) -> SignatureReport:
    reasons: list[str] = []
    details: list[str] = []
    invalid = False

    integrity_failed = not status.intact
    if not status.intact:
        invalid = True
        reasons.append("HASH_FAILURE")
        details.append("the digest of the signed bytes does not match the signature")
    elif not status.valid and not _plain_ecdsa_verifies(sig):
        invalid = True
        reasons.append("SIG_CRYPTO_FAILURE")
        integrity_failed = True
        details.append("the signature value does not verify with the signer's public key")

    coverage = getattr(status, "coverage", None)
    if coverage is not None and coverage not in ALLOWED_COVERAGE:
        invalid = True
        reasons.append("FORMAT_FAILURE")
        details.append(f"the ByteRange does not cover the signed revision ({coverage.name})")

    modification, corrected = _modification_level(status)
    if content_changed:
        # a later revision verified to rewrite page content: what pyHanko calls OTHER
        modification, corrected = ModificationLevel.OTHER, True
    if signature_increments_only and modification is None:
        # later revisions verified to add signatures only: what pyHanko calls form filling
        modification, corrected = ModificationLevel.FORM_FILLING, True
    if later.level is not None:
        # docaudit's own classification of the later revisions (review.py, revisions.py)
        modification, corrected = later.level, True
    if later.illegal:
        invalid = True
        reasons.append("ILLEGAL_MODIFICATION")
        details.append(later.illegal)
    elif later.undecided:
        # pyHanko's analysis raised and docaudit could not classify: no evidence either way
        modification = None
        reasons.append("PARSER_FAILURE")
        details.append(later.undecided)
    elif modification is not None and modification not in ALLOWED_MODIFICATIONS:
        invalid = True
        reasons.append("ILLEGAL_MODIFICATION")
        # pyHanko's own wording names "the first differing key" in set order, which differs between
        # processes; reports must be reproducible (history, diff, baselines), so we keep ours only.
        details.append("a later revision changed signed content beyond what PAdES allows")
    elif not corrected and getattr(status, "docmdp_ok", True) is False:
        invalid = True
        reasons.append("ILLEGAL_MODIFICATION")
        details.append("a later revision breaks the certification (DocMDP) permissions")

    if getattr(status, "revoked", False):
        invalid = True
        reasons.append("REVOKED")

    cert_problem = _certificate_time_problem(sig, moment)
    if cert_problem:
        invalid = True
        reasons.append(cert_problem)
        details.append(f"the signer certificate is {cert_problem.lower().replace('_', ' ')} at {moment.isoformat()}")

    trusted = bool(getattr(status, "trusted", False))
    indic = getattr(status, "trust_problem_indic", None)
    # pyHanko's "trusted" also needs integrity: a broken signature whose chain is fine (or never
    # built, when the value fails) has no trust indication, and "no chain found" would be false
    chain_judged = indic is not None or not integrity_failed
    if not trusted and chain_judged:
        name = indic.name if indic is not None else "NO_CERTIFICATE_CHAIN_FOUND"
        if name in ("OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED") and cert_problem:
            name = cert_problem  # already reported with the precise direction (expired / not yet)
        if name in INVALIDATING:
            invalid = True
        if name not in reasons:
            reasons.append(name)

    details.extend(later.notes)
    if invalid:
        verdict = Verdict.INVALID
    elif trusted and not reasons:
        verdict = Verdict.VALID
    else:
        verdict = Verdict.INDETERMINATE
    return SignatureReport(
        **{
            **base,
            "verdict": verdict,
            "reasons": tuple(dict.fromkeys(reasons)),
            "coverage": coverage.name if coverage is not None else None,
            "modification": modification.name if modification is not None else None,
            "detail": "; ".join(details) or None,
        }
    )


# BSI TR-03111 "plain" ECDSA (r || s instead of a DER SEQUENCE), used by some European and
# smart-card signers. pyHanko does not verify it; the EU DSS validator does.
_PLAIN_ECDSA_PREFIX = "0.4.0.127.0.7.1.1.4.1."
_PLAIN_ECDSA_HASHES = {"1": "SHA1", "2": "SHA224", "3": "SHA256", "4": "SHA384", "5": "SHA512"}


def _plain_ecdsa_verifies(sig: EmbeddedPdfSignature) -> bool:
    """Verify a plain-ECDSA signature value over the signed attributes ourselves."""
    try:
        oid = sig.signer_info["signature_algorithm"]["algorithm"].dotted
        if not oid.startswith(_PLAIN_ECDSA_PREFIX) or oid[len(_PLAIN_ECDSA_PREFIX):] not in _PLAIN_ECDSA_HASHES:
            return False
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        signed_attrs = sig.signer_info["signed_attrs"]
        if not signed_attrs:
            return False
        value = sig.signer_info["signature"].native
        half = len(value) // 2
        der = encode_dss_signature(int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big"))
        key = serialization.load_der_public_key(sig.signer_cert.public_key.dump())
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return False
        algorithm = getattr(hashes, _PLAIN_ECDSA_HASHES[oid[len(_PLAIN_ECDSA_PREFIX):]])()
        key.verify(der, signed_attrs.untag().dump(), ec.ECDSA(algorithm))
        return True
    except Exception:  # noqa: BLE001 — any failure means "not verified", never a crash
        return False


def _modification_level(status: Any) -> tuple[ModificationLevel | None, bool]:
    """pyHanko's modification level, with one correction.

    pyHanko's diff policy rejects a later revision that rewrites or removes an existing /VRI entry
    of the DSS. PAdES (ETSI EN 319 142-1, 5.4) lets later revisions maintain the DSS freely: it only
    carries validation material, never document content. The EU DSS validator accepts those
    updates, so we treat them as LTA updates.
    """
    level = getattr(status, "modification_level", None)
    diff = getattr(status, "diff_result", None)
    if isinstance(diff, DiffAnalysisFailed):
        return None, True  # pyHanko's analysis raised: no evidence either way (review.py judges)
    if isinstance(diff, SuspiciousModification) and str(diff).startswith("VRI key "):
        return ModificationLevel.LTA_UPDATES, True
    return level, False


def _certificate_time_problem(sig: EmbeddedPdfSignature, moment: dt.datetime) -> str | None:
    try:
        validity = sig.signer_cert["tbs_certificate"]["validity"]
        not_before = validity["not_before"].native
        not_after = validity["not_after"].native
    except Exception:  # noqa: BLE001
        return None
    if moment < not_before:
        return "NOT_YET_VALID"
    if moment > not_after:
        return "EXPIRED"
    return None


# --------------------------------------------------------------------------- description


def _describe(sig: EmbeddedPdfSignature, pages: dict[int, int]) -> dict[str, Any]:
    """Everything we can say about the signature without validating it. Never raises."""
    info: dict[str, Any] = {"field": str(sig.field_name or "?")}
    try:
        info["kind"] = "timestamp" if sig.sig_object_type == "/DocTimeStamp" or str(
            sig.sig_object.get("/SubFilter", "")
        ) == "/ETSI.RFC3161" else "signature"
    except Exception:  # noqa: BLE001
        pass
    try:
        info["revision"] = int(sig.signed_revision)
    except Exception:  # noqa: BLE001
        pass
    try:
        if info.get("kind") == "timestamp":
            # a document timestamp has no signing-time attribute: its time is the TST's genTime
            tst = sig.signed_data["encap_content_info"]["content"].parsed
            info["signing_time"] = tst["gen_time"].native
        else:
            info["signing_time"] = sig.self_reported_timestamp
    except Exception:  # noqa: BLE001
        pass
    try:
        info["digest_algorithm"] = sig.md_algorithm
        info["signature_algorithm"] = _mechanism(sig.signer_info["signature_algorithm"])
    except Exception:  # noqa: BLE001
        pass
    try:
        info.update(describe_certificate(sig.signer_cert))
    except Exception:  # noqa: BLE001
        pass
    try:
        info.update(_widget(sig, pages))
    except Exception:  # noqa: BLE001
        pass
    return info


def _mechanism(algorithm) -> str:
    """The signature mechanism: rsassa_pkcs1v15, rsassa_pss, ecdsa, ed25519 … (or the OID name)."""
    try:
        return algorithm.signature_algo
    except Exception:  # noqa: BLE001 — unknown OIDs (e.g. plain-ECDSA) keep their dotted name
        return algorithm["algorithm"].native


def describe_certificate(cert: x509.Certificate) -> dict[str, Any]:
    """Subject, issuer, key and role of a certificate (cached: an agency signs thousands of
    documents with the same few certificates)."""
    return dict(_describe_der(cert.dump()))


@functools.lru_cache(maxsize=4096)
def _describe_der(der: bytes) -> tuple[tuple[str, Any], ...]:
    cert = x509.Certificate.load(der)
    role, basis = classify(cert)
    public_key = cert.public_key
    usage = cert.key_usage_value.native if cert.key_usage_value is not None else []
    return tuple({
        "signer": cert.subject.human_friendly,
        "signer_name": cert.subject.native.get("common_name"),
        "issuer": cert.issuer.human_friendly,
        "serial": format(cert.serial_number, "x"),
        "key_algorithm": public_key.algorithm,
        "key_size": public_key.bit_size,
        "key_usage": tuple(sorted(usage)),
        "role": role,
        "role_basis": basis,
    }.items())


def _page_numbers(reader: PdfFileReader) -> dict[int, int]:
    """Object number of each page → 0-based page index (for widget positions)."""
    numbers: dict[int, int] = {}
    try:
        stack = [reader.root.raw_get("/Pages")]
        seen: set[int] = set()
        while stack and len(numbers) < 10_000:
            ref = stack.pop(0)
            node = ref.get_object()
            idnum = getattr(ref, "idnum", None)
            if idnum is not None:
                if idnum in seen:
                    continue  # cyclic page tree
                seen.add(idnum)
            if node.get("/Type") == "/Pages" or "/Kids" in node:
                stack[0:0] = list(node.raw_get("/Kids"))
            elif idnum is not None:
                numbers[idnum] = len(numbers)
    except Exception:  # noqa: BLE001
        pass
    return numbers


def _widget(sig: EmbeddedPdfSignature, pages: dict[int, int]) -> dict[str, Any]:
    field = sig.sig_field
    widget = field if "/Rect" in field else field["/Kids"][0].get_object()
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    out: dict[str, Any] = {}
    if abs(x2 - x1) > 0 and abs(y2 - y1) > 0:
        out["rect"] = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    page_ref = widget.raw_get("/P") if "/P" in widget else None
    if page_ref is not None and getattr(page_ref, "idnum", None) in pages:
        out["page"] = pages[page_ref.idnum]
    return out


# --------------------------------------------------------------------------- fallback


def verify_signature_bytes(
    data: bytes, signatures: Iterable[tuple[str, Any, bytes]], settings: ValidationSettings
) -> DocumentVerdict:
    """Check signatures of a PDF that pyHanko cannot parse but pypdf can.

    ``signatures`` yields (field name, ByteRange, CMS bytes). Without a parsable structure there
    is no modification analysis, so even an intact signature is reported ``invalid`` with
    FORMAT_FAILURE; a digest mismatch is reported as HASH_FAILURE first.
    """
    with patches.applied(memos=settings.fast_paths):
        return _verify_signature_bytes(data, signatures, settings)


def _verify_signature_bytes(
    data: bytes, signatures: Iterable[tuple[str, Any, bytes]], settings: ValidationSettings
) -> DocumentVerdict:
    reports = []
    for name, byte_range, contents in signatures:
        base: dict[str, Any] = {"field": name}
        reasons = ["FORMAT_FAILURE"]
        detail = "pyHanko cannot parse this PDF's structure; modification analysis impossible"
        subfilter = None
        try:
            signed_data = cms.ContentInfo.load(contents)["content"]
            signer_info = signed_data["signer_infos"][0]
            base["digest_algorithm"] = signer_info["digest_algorithm"]["algorithm"].native
            base["signature_algorithm"] = _mechanism(signer_info["signature_algorithm"])
            base["signing_time"] = generic_cms.extract_self_reported_ts(signer_info)
            if _encapsulates_document_sha1(signed_data):
                subfilter, base["digest_algorithm"] = PKCS7_SHA1, "sha1"  # no /SubFilter to read here
        except Exception as exc:  # noqa: BLE001
            detail = f"{detail}; {type(exc).__name__}: {exc}"[:500]
        integrity = check_integrity(data, byte_range, contents, subfilter)
        if integrity.signer_cert is not None:
            try:
                base.update(describe_certificate(integrity.signer_cert))
            except Exception:  # noqa: BLE001
                pass
        if integrity.broken in ("HASH_FAILURE", "SIG_CRYPTO_FAILURE"):
            reasons.insert(0, integrity.broken)
        elif integrity.broken:
            detail = f"{detail}; {integrity.detail}"[:500]
        reports.append(
            SignatureReport(**{**base, "verdict": Verdict.INVALID, "reasons": tuple(reasons), "detail": detail})
        )
    return document_verdict(reports)


def _encapsulates_document_sha1(signed_data) -> bool:
    """An adbe.pkcs7.sha1 CMS, recognised without its signature dictionary: its encapsulated
    content is a 20-byte digest (checked against the byte ranges by ``check_integrity``)."""
    try:
        content = signed_data["encap_content_info"]["content"]
        return not isinstance(content, core.Void) and len(bytes(content.native)) == 20
    except Exception:  # noqa: BLE001
        return False
