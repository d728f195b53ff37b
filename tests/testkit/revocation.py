"""A certification authority that publishes revocation on 127.0.0.1, for the online revocation
tests (``docaudit/signatures/online.py``): never the internet.

:class:`RevocationServer` serves, in a thread, whatever its routes say (a CRL, an OCSP responder,
an HTTP 500, junk, a slow answer) and records every request. :class:`OnlinePKI` is a root, an
issuing CA whose certificate names the root's CRL on that server, and end-entity identities whose
certificates name the CA's CRL and OCSP responder there (or any other address). Keys are EC P-256
(fast to make); the CRLs and OCSP responses are made with ``cryptography``'s builders when asked.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from .pki import Identity

Route = Callable[[bytes], tuple[int, bytes]]
UTC = dt.timezone.utc


class RevocationServer:
    """An HTTP server on 127.0.0.1 (a free port), in a daemon thread; ``routes`` maps a path to a
    function of the request body giving (status, body). ``requests`` lists (method, path)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append((method, self.path))
                route = server.routes.get(self.path)
                status, data = route(body) if route is not None else (404, b"not found")
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def do_GET(self) -> None:  # noqa: N802
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._answer("POST")

            def log_message(self, *args) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def seen(self, path: str | None = None) -> list[tuple[str, str]]:
        with self._lock:
            return [r for r in self.requests if path is None or r[1] == path]

    def forget(self) -> None:
        with self._lock:
            self.requests.clear()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def closed_port_url(path: str = "/down.crl") -> str:
    """An address on 127.0.0.1 where nothing listens (the responder is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Docaudit Online Demo"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


@dataclass
class OnlinePKI:
    """root → CA → end entities, publishing on ``server``. ``revoked`` (serial → (date, reason))
    is what the CA's CRL and OCSP responder say; ``this_update``/``next_update`` date them."""

    server: RevocationServer
    prefix: str = ""
    """Where on the server this PKI publishes (two PKIs on one server need two prefixes)."""
    this_update: dt.datetime = dt.datetime(2026, 6, 1, tzinfo=UTC)
    next_update: dt.datetime = dt.datetime(2026, 6, 8, tzinfo=UTC)
    revoked: dict[int, tuple[dt.datetime, x509.ReasonFlags | None]] = field(default_factory=dict)
    issued: dict[int, x509.Certificate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = self._cert(_name("Docaudit Online Root CA"), self.root_key.public_key(), None, ca=True)
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca = self._cert(_name("Docaudit Online CA"), self.ca_key.public_key(), (self.root, self.root_key),
                             ca=True, crl=self.server.url(f"{self.prefix}/root.crl"))
        self.server.routes.update({f"{self.prefix}/root.crl": lambda _: (200, self.root_crl()),
                                   f"{self.prefix}/ca.crl": lambda _: (200, self.ca_crl()),
                                   f"{self.prefix}/ocsp": self.answer_ocsp})

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def _cert(self, subject: x509.Name, public_key, issuer: tuple | None, *, ca: bool = False,
              crl: str | None = None, ocsp_url: str | None = None,
              not_after: dt.datetime = dt.datetime(2036, 1, 1, tzinfo=UTC),
              eku: list | None = None) -> x509.Certificate:
        issuer_cert, issuer_key = issuer if issuer is not None else (None, self.root_key)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=UTC))
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                         crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        if issuer_cert is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        if crl:
            builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(crl)], None, None, None)]), critical=False)
        if ocsp_url:
            builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def issue(self, name: str, *, crl: str | None = "/ca.crl", ocsp_path: str | None = "/ocsp",
              not_after: dt.datetime = dt.datetime(2036, 1, 1, tzinfo=UTC)) -> Identity:
        """An end entity of the CA whose certificate names ``crl`` and ``ocsp_path`` (paths on the
        server, or whole addresses; ``None``: no such extension)."""
        key = ec.generate_private_key(ec.SECP256R1())

        def where(value: str | None) -> str | None:
            return value if value is None or "://" in value else self.server.url(value)

        cert = self._cert(_name(name), key.public_key(), (self.ca, self.ca_key), crl=where(crl),
                          ocsp_url=where(ocsp_path), not_after=not_after)
        self.issued[cert.serial_number] = cert
        return Identity(name, cert, key, chain=[self.ca], root=self.root)  # type: ignore[arg-type]

    def revoke(self, identity: Identity, when: dt.datetime,
               reason: x509.ReasonFlags | None = x509.ReasonFlags.key_compromise) -> None:
        self.revoked[identity.cert.serial_number] = (when, reason)

    # ------------------------------------------------------------------ publishing

    def _crl(self, issuer: x509.Certificate, key, entries: dict) -> bytes:
        builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
                   .last_update(self.this_update).next_update(self.next_update)
                   .add_extension(x509.CRLNumber(1), critical=False))
        for serial, (when, reason) in entries.items():
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            if reason is not None:
                entry = entry.add_extension(x509.CRLReason(reason), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def root_crl(self) -> bytes:
        return self._crl(self.root, self.root_key, {})

    def ca_crl(self) -> bytes:
        return self._crl(self.ca, self.ca_key, self.revoked)

    def answer_ocsp(self, body: bytes, *, signer: tuple | None = None) -> tuple[int, bytes]:
        """The CA's OCSP responder (signed by the CA itself, or by ``signer`` (cert, key))."""
        try:
            request = ocsp.load_der_ocsp_request(body)
        except ValueError:
            return 200, ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(serialization.Encoding.DER)
        cert = self.issued.get(request.serial_number)
        if cert is None:
            return 200, ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(serialization.Encoding.DER)
        revoked = self.revoked.get(request.serial_number)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=cert, issuer=self.ca, algorithm=hashes.SHA1(),
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=self.this_update, next_update=self.next_update,
            revocation_time=revoked[0] if revoked else None, revocation_reason=revoked[1] if revoked else None)
        signer_cert, signer_key = signer or (self.ca, self.ca_key)
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer_cert)
        if signer is not None:
            builder = builder.certificates([signer_cert])
        return 200, builder.sign(signer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def delegated_responder(self) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        """A responder certificate the CA issued for OCSP signing."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._cert(_name("Docaudit Online OCSP"), key.public_key(), (self.ca, self.ca_key),
                          eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
        return cert, key


def slow(seconds: float, answer: tuple[int, bytes] = (200, b"late")) -> Route:
    """A route that answers only after ``seconds``."""
    def route(_body: bytes) -> tuple[int, bytes]:
        time.sleep(seconds)
        return answer
    return route
