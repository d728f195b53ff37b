"""Integrity checked with docaudit's own code: is there *evidence* that a signature is broken?

pyHanko raises on some signatures it cannot process (a malformed ESS signing-certificate
attribute, a CMS without the signer's certificate or with two SignerInfos, a ``KeyError`` on an
object reference in its parser). Such an exception says that pyHanko could not finish, not that
the document was changed: an ``invalid`` verdict needs evidence (ETSI EN 319 102-1: TOTAL-FAILED
is a proven failure). :func:`check_integrity` looks for that evidence itself, from the file's
bytes, the ``/ByteRange`` and the CMS:

* a ``/ByteRange`` that does not start at byte 0, overlaps itself, lies outside the file, or
  whose gap is not exactly the ``/Contents`` hex string of the signature dictionary
  (``FORMAT_FAILURE``, :func:`byte_range_problem`; the validator asks it first, for every
  signature, before pyHanko);
* a CMS that cannot be decoded, or encapsulated content in a detached signature
  (``FORMAT_FAILURE``);
* a digest that does not match: the message-digest attribute against the signed bytes, or for
  ``adbe.pkcs7.sha1`` the encapsulated SHA-1 of the byte ranges (``HASH_FAILURE``);
* a signature value that does not verify with the public key of the certificate the SignerInfo
  names (``SIG_CRYPTO_FAILURE``).

Without any of these the signature is *intact as far as anyone can tell*, and the caller reports
it ``indeterminate`` with the reason pyHanko could not go on (``validate._undecided``).
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from asn1crypto import cms, core, tsp, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from pyhanko.sign.general import check_ess_certid
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator, SignatureValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

PKCS7_SHA1 = "/adbe.pkcs7.sha1"
_SPACE = b" \t\r\n\f\x00"
_HEX_DIGITS_AND_SPACE = b"0123456789ABCDEFabcdef" + _SPACE


@dataclass(frozen=True)
class Integrity:
    broken: str | None = None
    """``FORMAT_FAILURE``, ``HASH_FAILURE`` or ``SIG_CRYPTO_FAILURE`` when there is evidence."""
    detail: str | None = None
    signer_cert: x509.Certificate | None = None
    """The certificate the (only) SignerInfo names, found without pyHanko's ESS check."""
    signers: int = 0
    """How many SignerInfos the CMS holds."""
    value_checked: bool = False
    """Whether the signature value was verified (it needs the signer's certificate)."""
    certificate_problem: str | None = None
    """Why the signing certificate cannot be identified, if it cannot (EN 319 102-1 5.2.3.4)."""


def byte_range_problem(data: bytes, byte_range, contents: bytes | None = None) -> str | None:
    """Why ``byte_range`` cannot be the range of a signature in ``data``, or ``None``.

    A signature's /ByteRange is ``[0 a b c]``: the first range runs from the start of the file
    to the ``<`` of the /Contents hex string, the second from right after its ``>`` on. Checked
    here, in this order: four numbers; the first range starts at byte 0; no empty or negative
    range; the second range does not start inside the first (an overlap signs some bytes twice
    and leaves what follows /Contents unsigned, while the lengths may still add up to the file
    size); both ranges lie inside the file; the gap between them is exactly one hex string,
    starting where the first range ends — the second range starting anywhere else leaves bytes
    signed by nobody, or signs part of the signature value itself. With ``contents`` (the
    signature dictionary's /Contents, as read), that string must be that very value: a second
    /Contents elsewhere is signature wrapping."""
    try:
        values = [int(v) for v in byte_range]
    except (TypeError, ValueError):
        values = []
    if len(values) != 4:
        return f"the ByteRange {list(byte_range) if byte_range is not None else None} is not four numbers"
    start1, length1, start2, length2 = values
    shown = f"[{start1} {length1} {start2} {length2}]"
    if start1 != 0:
        return f"the ByteRange {shown} does not start at the beginning of the file (its first range starts at byte {start1})"
    if length1 <= 0 or start2 < 0 or length2 < 0:
        return f"the ByteRange {shown} has an empty or negative range"
    if start2 < length1:
        return (f"the ByteRange {shown} overlaps itself: its second range starts at byte {start2}, inside the first "
                f"(bytes 0-{length1 - 1}), so what follows the /Contents string is signed by nobody")
    if length1 > len(data) or start2 + length2 > len(data):
        return f"the ByteRange {shown} lies outside the file ({len(data)} bytes)"
    close = data.find(b">", length1 + 1) if data[length1:length1 + 1] == b"<" else -1
    digits = data[length1 + 1:close] if close >= 0 else b""
    if close < 0 or digits.translate(None, _HEX_DIGITS_AND_SPACE):
        return f"the ByteRange {shown} does not leave out a /Contents hex string: byte {length1}, where its first range ends, starts none"
    end = close + 1
    if start2 > end:
        return (f"the ByteRange {shown} leaves a gap: its second range starts at byte {start2}, {start2 - end} bytes "
                f"after the /Contents string ends (byte {end}); those bytes are signed by nobody")
    if start2 < end:
        return (f"the ByteRange {shown} signs part of the /Contents string: its second range starts at byte {start2}, "
                f"before the string ends (byte {end})")
    if contents is not None:
        try:
            value = binascii.unhexlify(digits)  # the common case: no spaces, an even count
        except (binascii.Error, ValueError):
            digits = digits.translate(None, _SPACE)
            value = binascii.unhexlify(digits + b"0" if len(digits) % 2 else digits)  # 7.3.4.3: odd → 0
        if value != bytes(contents):
            return (f"the /Contents string the ByteRange {shown} leaves out is not the signature dictionary's /Contents "
                    "(a second /Contents: signature wrapping)")
    return None


def check_integrity(data: bytes, byte_range, contents: bytes, subfilter: str | None = None, *,
                    digest_only: bool = False) -> Integrity:
    """Evidence, from docaudit's own code, that the signature over ``byte_range`` of ``data`` is
    broken (see the module's docstring); never raises. ``digest_only``: the ByteRange is known to
    be wrong already; the digest and the signature value over the bytes it names are checked
    anyway, where both ranges lie inside the file."""
    if digest_only:
        try:
            start1, length1, start2, length2 = (int(v) for v in byte_range)
        except (TypeError, ValueError):
            return Integrity()
        if min(start1, length1, start2, length2) < 0 or max(start1 + length1, start2 + length2) > len(data):
            return Integrity()
    else:
        problem = byte_range_problem(data, byte_range)
        if problem:
            return Integrity("FORMAT_FAILURE", problem)
    start1, length1, start2, length2 = (int(v) for v in byte_range)
    signed_bytes = data[start1:start1 + length1] + data[start2:start2 + length2]
    try:
        info = cms.ContentInfo.load(contents)
        if info["content_type"].native != "signed_data":
            return Integrity("FORMAT_FAILURE", "the /Contents is not a CMS SignedData")
        signed_data = info["content"]
        signer_infos = list(signed_data["signer_infos"])
        content_type = signed_data["encap_content_info"]["content_type"].native
        content = signed_data["encap_content_info"]["content"]
        encapsulated = None if isinstance(content, core.Void) or content.contents is None else bytes(content)
        certificates = [c.chosen for c in (signed_data["certificates"] or ()) if c.name == "certificate"]
    except Exception as exc:  # noqa: BLE001 — undecodable DER is the evidence
        return Integrity("FORMAT_FAILURE", f"the CMS cannot be decoded ({type(exc).__name__}: {exc})"[:300])
    if not signer_infos:
        return Integrity("FORMAT_FAILURE", "the CMS holds no SignerInfo")

    if content_type == "tst_info":
        # a document timestamp: the token's message imprint is the digest of the byte ranges
        try:
            imprint = content.parsed["message_imprint"]
            expected = _digest(imprint["hash_algorithm"]["algorithm"].native, signed_bytes)
            matches = imprint["hashed_message"].native == expected
        except Exception as exc:  # noqa: BLE001
            return Integrity("FORMAT_FAILURE", f"the timestamp token cannot be decoded ({type(exc).__name__})")
        if not matches:
            return Integrity("HASH_FAILURE", "the timestamp's message imprint does not match the signed bytes",
                             signers=len(signer_infos))
        message = encapsulated or b""
    elif subfilter == PKCS7_SHA1:
        # the CMS signs the SHA-1 digest of the byte ranges, carried as its encapsulated content
        if encapsulated is None:
            return Integrity("FORMAT_FAILURE", "an adbe.pkcs7.sha1 signature without encapsulated content")
        if encapsulated != _digest("sha1", signed_bytes):
            return Integrity("HASH_FAILURE", "the encapsulated SHA-1 digest does not match the signed bytes",
                             signers=len(signer_infos))
        message = encapsulated
    else:
        if encapsulated is not None:
            return Integrity("FORMAT_FAILURE", "a detached signature with encapsulated content")
        message = signed_bytes

    found: list[x509.Certificate | None] = []
    checked = []
    for signer_info in signer_infos:
        outcome, cert, value_checked = _check_signer(signer_info, message, certificates)
        if outcome is not None:
            return Integrity(outcome[0], outcome[1], cert, len(signer_infos), value_checked)
        found.append(cert)
        checked.append(value_checked)
    signer_cert = found[0] if len(found) == 1 else None
    problem = None
    if len(signer_infos) != 1:
        problem = f"the CMS holds {len(signer_infos)} SignerInfos: which one signs is not defined"
    elif signer_cert is None:
        problem = "the signer's certificate is not in the CMS"
    else:
        problem = _ess_problem(signer_cert, signer_infos[0]["signed_attrs"])
    return Integrity(None, None, signer_cert, len(signer_infos), all(checked), problem)


def _digest(algorithm: str, data: bytes) -> bytes:
    md = hashes.Hash(get_pyca_cryptography_hash(algorithm))
    md.update(data)
    return md.finalize()


def _check_signer(signer_info, message: bytes, certificates) -> tuple[tuple[str, str] | None, x509.Certificate | None, bool]:
    """((reason, detail) when broken, the certificate the SignerInfo names, value verified)."""
    try:
        md = signer_info["digest_algorithm"]["algorithm"].native
        digest = _digest(md, message)
        signed_attrs = signer_info["signed_attrs"]
        has_attrs = not isinstance(signed_attrs, core.Void) and len(signed_attrs) > 0
    except Exception:  # noqa: BLE001 — an unknown digest algorithm: nothing to compare
        return None, _signer_cert(signer_info, certificates), False
    if has_attrs:
        embedded = [a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest"]
        if len(embedded) != 1:
            return ("FORMAT_FAILURE", "the signed attributes hold no single message digest"), None, False
        if embedded[0] != digest:
            return ("HASH_FAILURE", "the digest of the signed bytes does not match the signature"), None, False
        to_verify, prehashed = signed_attrs.untag().dump(), False
    else:
        to_verify, prehashed = digest, True
    cert = _signer_cert(signer_info, certificates)
    if cert is None:
        return None, None, False
    try:
        DefaultSignatureValidator().validate_signature(
            signer_info["signature"].native, to_verify, cert.public_key, signer_info["signature_algorithm"],
            context=SignatureValidationContext(contextual_md_algorithm=md, prehashed=prehashed),
        )
    except InvalidSignature:
        return ("SIG_CRYPTO_FAILURE", "the signature value does not verify with the signer's public key"), cert, True
    except Exception:  # noqa: BLE001 — a mechanism we cannot run (plain-ECDSA …): no evidence either way
        return None, cert, False
    return None, cert, True


def _signer_cert(signer_info, certificates) -> x509.Certificate | None:
    """The certificate the SignerInfo's ``sid`` names (issuer and serial, or key identifier)."""
    try:
        sid = signer_info["sid"]
        if sid.name == "issuer_and_serial_number":
            issuer, serial = sid.chosen["issuer"], sid.chosen["serial_number"].native
            return next((c for c in certificates if c.serial_number == serial and c.issuer == issuer), None)
        key_id = sid.chosen.native
        return next((c for c in certificates if c.key_identifier == key_id), None)
    except Exception:  # noqa: BLE001
        return None


def _ess_problem(cert: x509.Certificate, signed_attrs) -> str | None:
    """Why the ESS signing-certificate(-v2) attribute does not identify ``cert``, or ``None``."""
    try:
        if isinstance(signed_attrs, core.Void):
            return None
        for attr in signed_attrs:
            name = attr["type"].native
            if name not in ("signing_certificate", "signing_certificate_v2"):
                continue
            cls = tsp.SigningCertificateV2 if name == "signing_certificate_v2" else tsp.SigningCertificate
            value = cls.load(attr["values"][0].dump())
            if not check_ess_certid(cert, value["certs"][0]):
                return f"the {name.replace('_', '-')} attribute does not match the signer's certificate"
    except Exception as exc:  # noqa: BLE001 — an attribute that cannot be read identifies nothing
        return f"the signing-certificate attribute cannot be read ({type(exc).__name__})"
    return None
