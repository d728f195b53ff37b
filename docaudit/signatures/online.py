"""Revocation online (``--online``, issue 16 item 4): the CRLs and OCSP responses the certificates
name, fetched once per address and run, cached in the results database, judged at the signature's
validation moment.

Offline (the default) nothing here runs: the file's own revocation data (``revinfo``) is judged by
the validator, as it always was. Online, the work is split in two:

1. **Where the signature is validated** (the main process, or a pool worker): :func:`ask` takes
   the certificate path pyHanko validated, settles what the file's own data (its DSS, the CMS's
   ``adbe-revocationInfoArchival``) can settle, and lists the other (certificate, issuer) pairs in
   the signature's :class:`~docaudit.model.RevocationCheck`. Nothing is fetched there: a worker
   never opens a connection, and the evidence it returns (and the evidence cache keeps) does not
   depend on the network.
2. **In the main process**, as each document's evidence arrives (fresh or from the evidence
   cache), :meth:`OnlineRevocation.settle` asks the CAs about the pending pairs — the CRL
   distribution points first (one CRL answers for every certificate of its CA), then the OCSP
   responders — and rewrites the signature's verdict. Every address is fetched at most once per
   run (a memo; failures too, so a dead responder costs one timeout per run, not one per
   signature), and a CRL or OCSP response is kept in the store until its ``nextUpdate``.

The verdicts (the contract, docs/REPORT.md: verdicts):

* a certificate of the path revoked at or before the validation moment → ``invalid``, ``REVOKED``;
* revoked only after it → no objection (as for expiry, docaudit judges at the claimed signing time);
* a status that cannot be established — no HTTP address, responder down, an HTTP error, an
  unparsable or unsigned answer, data that no longer covers an expired certificate, a certificate
  on hold — leaves the signature ``indeterminate`` (``TRY_LATER``): online, a signature whose
  revocation status is unknown is never called valid. Each failed source is also a run note.

What counts as an answer: a CRL whose issuer is the certificate's issuer and whose signature the
issuer's key verifies (delta CRLs and CRLs of a partial scope are not used); an OCSP response
signed by the issuer or by a responder certificate the issuer issued for OCSP signing, that names
the certificate. A certificate not listed is "good" when the data was issued after the moment (or
was current at it), and the certificate had not yet expired when the data was issued (a CA may
drop expired certificates from its CRL: ``ExpiredCertsOnCRL`` / ``archiveCutoff`` say it keeps them).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

from ..model import RevocationCheck, SignatureReport, Verdict
from ..text import Message, message, render

if TYPE_CHECKING:
    from ..model import Evidence

DEFAULT_TIMEOUT = 10.0
"""Seconds a CRL or OCSP request may take, connection and transfer together (``--online-timeout``)."""
MAX_BYTES = 64 * 1024 * 1024
"""The largest CRL read (national CAs publish CRLs of a few megabytes)."""
UNDECIDED_REASON = "TRY_LATER"
"""The ETSI sub-indication of a signature whose revocation status could not be established."""


def clock() -> dt.datetime:
    """Now (UTC): when a cached CRL or OCSP response is fresh. Tests replace it."""
    return dt.datetime.now(dt.timezone.utc)


class RevocationStore(Protocol):
    """Where fetched CRLs and OCSP responses are kept between runs (the results database:
    ``docaudit.store.Store``), keyed by :func:`cache_key`."""

    def cached_revocation(self, key: str) -> tuple[bytes, dt.datetime | None, dt.datetime | None] | None: ...

    def save_revocation(self, key: str, kind: str, url: str, data: bytes,
                        this_update: dt.datetime | None, next_update: dt.datetime | None) -> None: ...


def cache_key(kind: str, url: str, request: bytes = b"") -> str:
    """A CRL by its address; an OCSP response by the responder's address and the request (the
    certificate asked about)."""
    return hashlib.sha256(kind.encode() + b"\0" + url.encode() + b"\0" + request).hexdigest()


# --------------------------------------------------------------------------- certificates


class _Cert:
    """A certificate in the forms the checks need (parsed once per run and DER)."""

    def __init__(self, der: bytes) -> None:
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509

        self.der = der
        self.sha = hashlib.sha256(der).hexdigest()
        self.crypto = x509.load_der_x509_certificate(der)
        self.asn1 = asn1_x509.Certificate.load(der)
        self.serial = self.crypto.serial_number
        self.not_after = self.crypto.not_valid_after_utc
        names = self.asn1.subject.native
        self.name = names.get("common_name") or self.asn1.subject.human_friendly
        if isinstance(self.name, list):
            self.name = ", ".join(self.name)

    def urls(self) -> tuple[list[str], list[str]]:
        """(CRL distribution points, OCSP responders) over HTTP(S), in the certificate's order."""
        from cryptography import x509
        from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

        crls: list[str] = []
        ocsps: list[str] = []
        try:
            points = self.crypto.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
            for point in points:
                for name in point.full_name or ():
                    if isinstance(name, x509.UniformResourceIdentifier):
                        crls.append(name.value)
        except (x509.ExtensionNotFound, ValueError):
            pass
        try:
            access = self.crypto.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS).value
            for item in access:
                if item.access_method == AuthorityInformationAccessOID.OCSP and isinstance(
                        item.access_location, x509.UniformResourceIdentifier):
                    ocsps.append(item.access_location.value)
        except (x509.ExtensionNotFound, ValueError):
            pass
        return ([u for u in dict.fromkeys(crls) if _http(u)], [u for u in dict.fromkeys(ocsps) if _http(u)])

    @property
    def is_ca(self) -> bool:
        from cryptography import x509

        try:
            return bool(self.crypto.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
        except x509.ExtensionNotFound:
            return False


def _http(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme.lower() in ("http", "https")


def _b64(der: bytes) -> str:
    return base64.b64encode(der).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


# --------------------------------------------------------------------------- judging one answer


@dataclass(frozen=True)
class _Answer:
    """What one source says of one certificate at the moment."""

    status: str
    """``good``, ``revoked`` (at or before the moment) or ``undecided``."""
    source: str = ""
    revoked_at: dt.datetime | None = None
    problems: tuple[Message, ...] = ()


class _Unusable(Exception):
    """This source says nothing about this certificate (the message says why)."""

    def __init__(self, wording: Message) -> None:
        super().__init__(render(wording, "en"))
        self.wording = wording


def _timely(this_update: dt.datetime | None, next_update: dt.datetime | None, moment: dt.datetime) -> bool:
    """Data issued after the moment, or current at it, can tell the status at the moment."""
    if this_update is None:
        return False
    return this_update >= moment or (next_update is not None and this_update <= moment <= next_update)


def _covers(cert: _Cert, this_update: dt.datetime, kept_since: dt.datetime | None) -> bool:
    """Whether data issued at ``this_update`` still speaks for ``cert``: it had not expired yet,
    or the data says it keeps certificates expired since ``kept_since``."""
    return cert.not_after >= this_update or (kept_since is not None and kept_since <= cert.not_after)


def _conclude(cert: _Cert, source: str, listed: dt.datetime | None, hold: bool, this_update: dt.datetime | None,
              next_update: dt.datetime | None, kept_since: dt.datetime | None, moment: dt.datetime) -> _Answer:
    """The answer of data that lists ``cert`` as revoked at ``listed`` (``None``: not listed)."""
    if listed is not None and hold:
        if listed <= moment:
            raise _Unusable(message("revocation.on-hold", url=source, since=listed.date().isoformat()))
        listed = None  # suspended only after the moment: not listed at it
    if listed is not None:
        return _Answer("revoked" if listed <= moment else "good", source, listed)
    if not _timely(this_update, next_update, moment):
        raise _Unusable(message("revocation.outdated", url=source))
    assert this_update is not None
    if not _covers(cert, this_update, kept_since):
        raise _Unusable(message("revocation.expired", url=source))
    return _Answer("good", source)


class _Crl:
    """A parsed CRL and the issuers whose key was found to sign it."""

    def __init__(self, data: bytes) -> None:
        from cryptography import x509

        try:
            self.crl = x509.load_der_x509_crl(data)
        except ValueError as exc:
            if not data.lstrip().startswith(b"-----BEGIN"):
                raise ValueError(_first_line(exc)) from None
            try:
                self.crl = x509.load_pem_x509_crl(data)
            except ValueError as again:
                raise ValueError(_first_line(again)) from None
        self.this_update = self.crl.last_update_utc
        self.next_update = self.crl.next_update_utc
        self._signed_by: dict[str, bool] = {}

    def signed_by(self, issuer: _Cert) -> bool:
        if issuer.sha not in self._signed_by:
            try:
                ok = self.crl.issuer == issuer.crypto.subject and self.crl.is_signature_valid(
                    issuer.crypto.public_key())
            except Exception:  # noqa: BLE001 — an unsupported key or algorithm: not verified
                ok = False
            self._signed_by[issuer.sha] = ok
        return self._signed_by[issuer.sha]

    def judge(self, cert: _Cert, issuer: _Cert, source: str, moment: dt.datetime) -> _Answer:
        from cryptography import x509
        from cryptography.x509.oid import ExtensionOID

        if not self.signed_by(issuer):
            raise _Unusable(message("note.revocation-unverified", url=source))
        extensions = self.crl.extensions
        kept_since = None
        for extension in extensions:
            oid = extension.oid.dotted_string
            if extension.oid == ExtensionOID.DELTA_CRL_INDICATOR:
                raise _Unusable(message("note.revocation-scope", url=source))
            if extension.oid == ExtensionOID.ISSUING_DISTRIBUTION_POINT:
                scope = extension.value
                if (scope.indirect_crl or scope.only_some_reasons or scope.only_contains_attribute_certs
                        or (scope.only_contains_ca_certs and not cert.is_ca)
                        or (scope.only_contains_user_certs and cert.is_ca)):
                    raise _Unusable(message("note.revocation-scope", url=source))
            if oid == "2.5.29.60":  # ExpiredCertsOnCRL (X.509 2016): expired certificates are kept since
                kept_since = _generalized_time(getattr(extension.value, "value", b""))
        entry = self.crl.get_revoked_certificate_by_serial_number(cert.serial)
        listed, hold = None, False
        if entry is not None:
            reason = None
            try:
                reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
            except (x509.ExtensionNotFound, ValueError):
                pass
            if reason != x509.ReasonFlags.remove_from_crl:
                listed, hold = entry.revocation_date_utc, reason == x509.ReasonFlags.certificate_hold
        return _conclude(cert, source, listed, hold, self.this_update, self.next_update, kept_since, moment)


def _generalized_time(der: bytes) -> dt.datetime | None:
    try:
        from asn1crypto import core

        value = core.GeneralizedTime.load(der).native
        return value if isinstance(value, dt.datetime) else None
    except Exception:  # noqa: BLE001
        return None


class _Ocsp:
    """A parsed OCSP response."""

    def __init__(self, data: bytes) -> None:
        from asn1crypto import ocsp

        try:
            self.response = ocsp.OCSPResponse.load(data)
            self.status = self.response["response_status"].native
            self.basic = self.response["response_bytes"]["response"].parsed if self.status == "successful" else None
            if self.basic is not None:
                self.basic.native  # noqa: B018 — asn1crypto parses lazily: junk fails here
        except Exception as exc:  # noqa: BLE001
            raise ValueError(_first_line(exc)) from None

    def times(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """(thisUpdate, nextUpdate) of its first answer: how long it may be cached."""
        try:
            single = self.basic["tbs_response_data"]["responses"][0]
            return single["this_update"].native, single["next_update"].native
        except Exception:  # noqa: BLE001
            return None, None

    def judge(self, cert: _Cert, issuer: _Cert, source: str, moment: dt.datetime) -> _Answer:
        if self.basic is None:
            raise _Unusable(message("note.revocation-refused", url=source, status=str(self.status)))
        tbs = self.basic["tbs_response_data"]
        single = self._single(tbs, cert, issuer)
        if single is None:
            raise _Unusable(message("revocation.unnamed", url=source))
        if not self._signed_by(issuer, tbs):
            raise _Unusable(message("note.revocation-unverified", url=source))
        status = single["cert_status"]
        if status.name == "unknown":
            raise _Unusable(message("revocation.unknown", url=source))
        listed, hold = None, False
        if status.name == "revoked":
            info = status.chosen
            listed = info["revocation_time"].native
            reason = info["revocation_reason"].native if info["revocation_reason"].native is not None else None
            hold = reason == "certificate_hold"
        try:
            kept_since = single.archive_cutoff_value.native if single.archive_cutoff_value is not None else None
        except Exception:  # noqa: BLE001
            kept_since = None
        return _conclude(cert, source, listed, hold, single["this_update"].native, single["next_update"].native,
                         kept_since, moment)

    @staticmethod
    def _single(tbs: Any, cert: _Cert, issuer: _Cert) -> Any:
        for single in tbs["responses"]:
            cert_id = single["cert_id"]
            algorithm = cert_id["hash_algorithm"]["algorithm"].native
            if algorithm not in ("sha1", "sha256") or cert_id["serial_number"].native != cert.serial:
                continue
            key_hash = getattr(issuer.asn1.public_key, algorithm)
            name_hash = getattr(issuer.asn1.subject, algorithm)
            if cert_id["issuer_key_hash"].native == key_hash and cert_id["issuer_name_hash"].native == name_hash:
                return single
        return None

    def _signed_by(self, issuer: _Cert, tbs: Any) -> bool:
        """Signed by the issuer itself, or by a responder certificate the issuer issued for OCSP
        signing (RFC 6960 §4.2.2.2), valid when the response was produced."""
        responder = tbs["responder_id"]
        candidates = [issuer.asn1, *(c for c in (self.basic["certs"] or ()))]
        produced = tbs["produced_at"].native
        for candidate in candidates:
            if responder.name == "by_key":
                if candidate.public_key.sha1 != responder.chosen.native:
                    continue
            elif candidate.subject != responder.chosen:
                continue
            if candidate.dump() != issuer.der and not _delegated(candidate, issuer, produced):
                continue
            if _verifies(self.basic["signature"].native, tbs.dump(), candidate.public_key,
                         self.basic["signature_algorithm"]):
                return True
        return False


def _delegated(candidate: Any, issuer: _Cert, produced: dt.datetime) -> bool:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    try:
        cert = x509.load_der_x509_certificate(candidate.dump())
        cert.verify_directly_issued_by(issuer.crypto)
        usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        return ExtendedKeyUsageOID.OCSP_SIGNING in usage and \
            cert.not_valid_before_utc <= produced <= cert.not_valid_after_utc
    except Exception:  # noqa: BLE001 — not issued by the issuer, no EKU, unsupported: not a responder
        return False


def _verifies(signature: bytes, data: bytes, key: Any, algorithm: Any) -> bool:
    from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator

    try:
        DefaultSignatureValidator().validate_signature(signature, data, key, algorithm)
        return True
    except Exception:  # noqa: BLE001 — a bad signature, an unsupported algorithm: not verified
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _judge_all(cert: _Cert, issuer: _Cert, items: Iterable[tuple[str, Any]], moment: dt.datetime,
               problems: list[Message]) -> _Answer | None:
    """The first decisive answer among ``items`` ((source, _Crl or _Ocsp)); the others' problems
    are added to ``problems``."""
    for source, item in items:
        try:
            return item.judge(cert, issuer, source, moment)
        except _Unusable as unusable:
            problems.append(unusable.wording)
        except Exception as exc:  # noqa: BLE001 — malformed inside: this source says nothing
            problems.append(message("note.revocation-bad-data", url=source, detail=_first_line(exc)))
    return None


# --------------------------------------------------------------------------- a signature's check


def _pairs(status: Any) -> list[tuple[bytes, bytes]] | None:
    """(certificate, issuer) DER for every certificate of the validated path below its anchor."""
    path = getattr(status, "validation_path", None)
    if path is None:
        return None
    certs = [c.dump() for c in path.iter_certs(include_root=True)]
    return [(certs[i], certs[i - 1]) for i in range(len(certs) - 1, 0, -1)]


def ask(report: SignatureReport, status: Any, file_data: Callable[[], Any], moment: dt.datetime) -> SignatureReport:
    """``report`` with its online revocation check prepared (where the signature is validated):
    the pairs of its certificate path that the file's own data (``file_data()``: its CRLs and
    OCSP responses, asn1crypto objects) does not settle are left for
    :meth:`OnlineRevocation.settle`. An invalid signature, or one without a path to a trust
    anchor, asks nothing."""
    if report.verdict is Verdict.INVALID:
        return report
    try:
        pairs = _pairs(status)
        if pairs is None:
            return report
        crls, ocsps = [], []
        found = file_data()
        for item in found.crls:
            try:
                crls.append(("file", _Crl(item.dump())))
            except Exception:  # noqa: BLE001 — unreadable data in the file is no evidence
                continue
        for item in found.ocsps:
            try:
                ocsps.append(("file", _Ocsp(item.dump())))
            except Exception:  # noqa: BLE001
                continue
        answers, pending = [], []
        for cert_der, issuer_der in pairs:
            cert, issuer = _Cert(cert_der), _Cert(issuer_der)
            answer = _judge_all(cert, issuer, [*crls, *ocsps], moment, []) if crls or ocsps else None
            if answer is None:
                pending.append((_b64(cert_der), _b64(issuer_der)))
            else:
                answers.append((cert, answer))
    except Exception as exc:  # noqa: BLE001 — never a crash: the status is then not established
        check = RevocationCheck(moment=moment, status="undecided",
                                problems=(f"revocation check failed: {_first_line(exc)}",))
        return _apply(report, check, [])
    check = RevocationCheck(moment=moment)
    if pending and not any(a.status == "revoked" for _, a in answers):
        # the CAs are asked in the main process; what the file settled goes with the question
        return replace(report, revocation=replace(
            check, pending=tuple(pending), sources=tuple(dict.fromkeys(a.source for _, a in answers)),
            revoked_at=_earliest(a.revoked_at for _, a in answers)))
    return _apply(report, check, answers)


def _earliest(moments: Iterable[dt.datetime | None]) -> dt.datetime | None:
    found = [m for m in moments if m is not None]
    return min(found) if found else None


def _apply(report: SignatureReport, check: RevocationCheck, answers: list[tuple[_Cert, _Answer]]) -> SignatureReport:
    """The signature's verdict with its answers: a certificate revoked at the moment makes it
    invalid; one whose status is not established, indeterminate (never valid)."""
    sources = tuple(dict.fromkeys([*check.sources, *(a.source for _, a in answers if a.source)]))
    revoked = [(c, a) for c, a in answers if a.status == "revoked"]
    undecided = [(c, a) for c, a in answers if a.status == "undecided"]
    problems = [*check.problems, *(f"{c.name}: " + ", ".join(render(p, 'en') for p in a.problems) for c, a in undecided)]
    revoked_at = _earliest([check.revoked_at, *(a.revoked_at for _, a in answers)])
    reasons, details = list(report.reasons), [report.detail] if report.detail else []
    verdict = report.verdict
    moment = check.moment.isoformat() if check.moment else "?"
    if revoked:
        status = "revoked"
        verdict = Verdict.INVALID
        reasons.append("REVOKED")
        revoked_at = _earliest(a.revoked_at for _, a in revoked)
        details += [f"the certificate {c.name} was revoked on {a.revoked_at.isoformat() if a.revoked_at else '?'} "
                    f"({a.source}), before {moment}" for c, a in revoked]
    elif undecided or check.status == "undecided":
        status = "undecided"
        if verdict is Verdict.VALID:
            verdict = Verdict.INDETERMINATE
        reasons.append(UNDECIDED_REASON)
        details.append("the revocation status could not be established online: " + "; ".join(problems))
    else:
        status = "good"
    done = replace(check, pending=(), status=status, sources=sources, revoked_at=revoked_at, problems=tuple(problems))
    return replace(report, verdict=verdict, reasons=tuple(dict.fromkeys(reasons)),
                   detail="; ".join(details)[:2000] or None, revocation=done)


# --------------------------------------------------------------------------- fetching


class _Failed(Exception):
    def __init__(self, wording: Message) -> None:
        super().__init__(render(wording, "en"))
        self.wording = wording


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def download(url: str, timeout: float, body: bytes | None = None) -> bytes:
    """The body of a GET (or, with ``body``, an OCSP POST) of ``url``, within ``timeout`` seconds
    in all. Raises :class:`_Failed` with the reason (timeout, HTTP status, unreachable, too large)."""
    import http.client  # lazy, as the rest: an offline run never loads the HTTP client
    import socket
    import urllib.error
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    headers = {"User-Agent": "docaudit"}
    if body is not None:
        headers.update({"Content-Type": "application/ocsp-request", "Accept": "application/ocsp-response"})
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
    # a loopback address never goes through a proxy (tests serve their CA there)
    opener = urllib.request.build_opener(*([urllib.request.ProxyHandler({})] if _loopback(parts.hostname) else []))
    deadline = time.monotonic() + timeout
    seconds = f"{timeout:g}"
    try:
        with opener.open(request, timeout=timeout) as response:
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError()
                chunk = response.read(1 << 16)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise _Failed(message("note.revocation-too-large", url=url, limit=MAX_BYTES // (1024 * 1024)))
                chunks.append(chunk)
    except _Failed:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _Failed(message("note.revocation-http", url=url, status=exc.code)) from None
    except (TimeoutError, socket.timeout):
        raise _Failed(message("note.revocation-timeout", url=url, seconds=seconds)) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise _Failed(message("note.revocation-timeout", url=url, seconds=seconds)) from None
        raise _Failed(message("note.revocation-unreachable", url=url, detail=_first_line(exc.reason))) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _Failed(message("note.revocation-unreachable", url=url, detail=_first_line(exc))) from None


@dataclass
class _Source:
    """What one address gave this run (for the report's ``revocation`` summary)."""

    kind: str
    requests: int = 0
    cached: int = 0
    failed: int = 0


@dataclass(eq=False)  # one run's state: equal (and hashed) as itself only
class OnlineRevocation:
    """``--online``: fetching, caching and judging revocation data for one run.

    In the process that validates, its presence in :class:`~.settings.ValidationSettings`
    (``online``) makes the validator prepare each signature's check (:func:`ask`); in the main
    process :meth:`settle` answers them. ``cache`` (the results database) keeps what was fetched
    between runs; without it (``--no-db``, ``check``) only this run's memo does."""

    timeout: float = DEFAULT_TIMEOUT
    cache: RevocationStore | None = field(default=None, repr=False)
    _fetched: dict[str, Any] = field(default_factory=dict, repr=False)
    _certs: dict[bytes, _Cert] = field(default_factory=dict, repr=False)
    _answers: dict[tuple[str, str, dt.datetime], _Answer] = field(default_factory=dict, repr=False)
    _notes: dict[Message, None] = field(default_factory=dict, repr=False)
    _counted: dict[tuple[str, str], set[str]] = field(default_factory=dict, repr=False)
    _sources: dict[str, _Source] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ the run's results

    def notes(self) -> tuple[Message, ...]:
        """One note per source that failed, in order; then, per address (per issuer for
        certificates that name none), how many certificates it could not answer for."""
        counted = [message(code, **({"issuer": key} if code == "note.revocation-no-source" else {"url": key}),
                           count=len(certs))
                   for (code, key), certs in self._counted.items()]
        return (*self._notes, *counted)

    def summary(self) -> dict[str, Any]:
        """The report's ``revocation`` object: the run was online, and what each address gave."""
        return {
            "mode": "online",
            "timeout_s": self.timeout,
            "sources": [{"url": url, "kind": s.kind, "requests": s.requests, "cached": s.cached, "failed": s.failed}
                        for url, s in sorted(self._sources.items())],
        }

    # ------------------------------------------------------------------ settling evidence

    def settle(self, evidence: "Evidence") -> "Evidence":
        """``evidence`` with the pending revocation checks of its signatures answered."""
        verdict = evidence.verdict
        if verdict is None or not any(s.revocation is not None and s.revocation.status is None
                                      for s in verdict.signatures):
            return evidence
        signatures = tuple(self._settle(s) for s in verdict.signatures)
        changed = any((a.verdict, a.reasons) != (b.verdict, b.reasons) for a, b in zip(signatures, verdict.signatures))
        if changed:
            from .validate import document_verdict  # lazy: a pool's main process may not have loaded pyHanko

            settled = document_verdict(signatures)
        else:
            settled = replace(verdict, signatures=signatures)
        return replace(evidence, verdict=settled)

    def _settle(self, signature: SignatureReport) -> SignatureReport:
        check = signature.revocation
        if check is None or check.status is not None:
            return signature
        moment = check.moment or clock()
        answers = []
        for cert_text, issuer_text in check.pending:
            cert, issuer = self._cert(_unb64(cert_text)), self._cert(_unb64(issuer_text))
            answers.append((cert, self._answer(cert, issuer, moment)))
        return _apply(signature, check, answers)

    def _cert(self, der: bytes) -> _Cert:
        if der not in self._certs:
            self._certs[der] = _Cert(der)
        return self._certs[der]

    def _answer(self, cert: _Cert, issuer: _Cert, moment: dt.datetime) -> _Answer:
        key = (cert.sha, issuer.sha, moment)
        if key not in self._answers:
            self._answers[key] = self._ask_cas(cert, issuer, moment)
        return self._answers[key]

    def _ask_cas(self, cert: _Cert, issuer: _Cert, moment: dt.datetime) -> _Answer:
        """The first decisive answer of the certificate's CRLs, then of its OCSP responders;
        every source that failed or could not answer is noted."""
        crl_urls, ocsp_urls = cert.urls()
        if not crl_urls and not ocsp_urls:
            wording = message("revocation.no-source")
            self._counted.setdefault(("note.revocation-no-source", issuer.name), set()).add(cert.sha)
            return _Answer("undecided", problems=(wording,))
        problems: list[Message] = []
        answer = None
        for url in crl_urls:
            crl = self._get(url, "crl", b"", problems)
            answer = _judge_all(cert, issuer, [(url, crl)], moment, problems) if crl is not None else None
            if answer is not None:
                break
        for url in ocsp_urls if answer is None else ():
            request = self._ocsp_request(cert, issuer)
            response = self._get(url, "ocsp", request, problems) if request is not None else None
            answer = _judge_all(cert, issuer, [(url, response)], moment, problems) if response is not None else None
            if answer is not None:
                break
        for wording in problems:
            if wording.code.startswith("revocation."):  # about this certificate: counted per address
                note = "note.revocation-" + wording.code.split(".", 1)[1]
                self._counted.setdefault((note, str(dict(wording.params).get("url"))), set()).add(cert.sha)
            else:
                self._notes.setdefault(wording)
        if answer is not None:
            return answer
        return _Answer("undecided", problems=tuple(dict.fromkeys(problems)))

    @staticmethod
    def _ocsp_request(cert: _Cert, issuer: _Cert) -> bytes | None:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509 import ocsp

        try:
            built = ocsp.OCSPRequestBuilder().add_certificate(cert.crypto, issuer.crypto, hashes.SHA1()).build()
            return built.public_bytes(serialization.Encoding.DER)
        except Exception:  # noqa: BLE001
            return None

    def _get(self, url: str, kind: str, request: bytes, problems: list[Message]) -> Any:
        """The parsed CRL (``kind`` crl) or OCSP response for ``request`` at ``url``: from this
        run's memo, the store while fresh (before its nextUpdate), or the network; after a failed
        fetch, a stale stored copy (it still speaks for moments before it was issued). ``None``
        if there is nothing (the failure is in ``problems``)."""
        key = cache_key(kind, url, request)
        if key in self._fetched:
            found = self._fetched[key]
            if isinstance(found, Message):
                problems.append(found)
                return None
            return found
        source = self._sources.setdefault(url, _Source(kind))
        stale = None
        stored = self._stored(key)
        if stored is not None:
            data, _this_update, next_update = stored
            parsed = _parse(kind, data)
            if parsed is not None and next_update is not None and clock() < next_update:
                source.cached += 1
                self._fetched[key] = parsed
                return parsed
            stale = parsed
        source.requests += 1
        try:
            data = download(url, self.timeout, request if kind == "ocsp" else None)
            parsed = _parse(kind, data, strict=True)
        except _Failed as failed:
            source.failed += 1
            problems.append(failed.wording)
            self._fetched[key] = stale if stale is not None else failed.wording
            return stale
        except ValueError as exc:
            source.failed += 1
            wording = message(f"note.revocation-bad-{kind}", url=url, detail=_first_line(exc))
            problems.append(wording)
            self._fetched[key] = stale if stale is not None else wording
            return stale
        self._fetched[key] = parsed
        self._store(key, kind, url, data, parsed)
        return parsed

    def _stored(self, key: str) -> tuple[bytes, dt.datetime | None, dt.datetime | None] | None:
        if self.cache is None:
            return None
        try:
            return self.cache.cached_revocation(key)
        except Exception:  # noqa: BLE001 — the cache only ever saves requests
            return None

    def _store(self, key: str, kind: str, url: str, data: bytes, parsed: Any) -> None:
        if self.cache is None:
            return
        this_update, next_update = parsed.times() if kind == "ocsp" else (parsed.this_update, parsed.next_update)
        try:
            self.cache.save_revocation(key, kind, url, data, this_update, next_update)
        except Exception:  # noqa: BLE001 — the cache only ever saves requests
            pass


def _parse(kind: str, data: bytes, strict: bool = False) -> Any:
    """A :class:`_Crl` or :class:`_Ocsp` of ``data``; ``None`` (or, ``strict``, ValueError) if it is not one."""
    try:
        return _Crl(data) if kind == "crl" else _Ocsp(data)
    except ValueError:
        if strict:
            raise
        return None
