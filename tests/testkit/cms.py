"""Hand-made CMS signatures spliced into signed PDFs: what other producers write, and their bugs.

pyHanko signs only ``adbe.pkcs7.detached`` / ``ETSI.CAdES.detached`` and always writes a correct
CMS. To test what docaudit does with the rest, a PDF is first signed by pyHanko (which lays out
the signature dictionary, the ``/ByteRange`` and the ``/Contents`` placeholder), then:

* :func:`resign` replaces the CMS in ``/Contents`` with one built here with asn1crypto and
  cryptography over the same byte ranges — with or without signed attributes, a broken ESS
  signing-certificate attribute, no certificates, two SignerInfos …;
* :func:`to_pkcs7_sha1` also rewrites ``/SubFilter`` to ``/adbe.pkcs7.sha1`` (same length, padded
  with spaces, before the digest is taken) and signs as Aspose and iTextSharp do: the CMS
  encapsulates the SHA-1 digest of the byte ranges and signs that.

FOR TESTS ONLY.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Sequence

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from .pki import Identity

__all__ = ["resign", "to_pkcs7_sha1", "set_subfilter", "signed_bytes", "add_dangling_reference", "cms_of", "splice_cms"]

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _last_byte_range(pdf: bytes) -> list[int]:
    found = list(_BYTE_RANGE.finditer(pdf))
    if not found:
        raise ValueError("no /ByteRange in this PDF")
    return [int(g) for g in found[-1].groups()]


def signed_bytes(pdf: bytes) -> bytes:
    """The bytes the last signature covers."""
    a, b, c, d = _last_byte_range(pdf)
    return pdf[a:a + b] + pdf[c:c + d]


def _splice(pdf: bytes, der: bytes) -> bytes:
    _, start, end, _ = _last_byte_range(pdf)
    room = end - start - 2
    hexed = der.hex().encode()
    if len(hexed) > room:
        raise ValueError(f"the CMS ({len(der)} bytes) does not fit the /Contents placeholder")
    return pdf[:start + 1] + hexed + b"0" * (room - len(hexed)) + pdf[end - 1:]


def set_subfilter(pdf: bytes, subfilter: str) -> bytes:
    """``/SubFilter /adbe.pkcs7.detached`` of the last signature → ``subfilter`` (at most as long;
    padded with spaces so no offset moves)."""
    old = b"/adbe.pkcs7.detached"
    new = subfilter.encode()
    if len(new) > len(old):
        raise ValueError("the new sub-filter must not be longer")
    at = pdf.rfind(old)
    if at < 0:
        raise ValueError("no /adbe.pkcs7.detached sub-filter to replace")
    return pdf[:at] + new + b" " * (len(old) - len(new)) + pdf[at + len(old):]


def _asn1_cert(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _sign(identity: Identity, data: bytes, digest: str) -> bytes:
    return identity.key.sign(data, padding.PKCS1v15(), _HASHES[digest]())


def _attribute(kind: str, value) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": kind, "values": [value]})


def _ess_v2(cert: asn1_x509.Certificate, *, wrong: bool = False) -> cms.CMSAttribute:
    digest = hashlib.sha256(cert.dump() + (b"another certificate" if wrong else b"")).digest()
    value = tsp.SigningCertificateV2({"certs": [tsp.ESSCertIDv2({
        "hash_algorithm": {"algorithm": "sha256"}, "cert_hash": digest})]})
    return _attribute("signing_certificate_v2", value)


def _ess_garbage() -> cms.CMSAttribute:
    # SEQUENCE { OID id-aa-signingCertificateV2, SET { OCTET STRING "not an ESSCertIDv2" } }
    oid = core.ObjectIdentifier("1.2.840.113549.1.9.16.2.47").dump()
    junk = core.OctetString(b"not an ESSCertIDv2").dump()
    values = b"\x31" + bytes([len(junk)]) + junk
    body = oid + values
    return cms.CMSAttribute.load(b"\x30" + bytes([len(body)]) + body)


def _signer_info(identity: Identity, content: bytes, *, digest: str, signed_attrs: bool, signing_time: dt.datetime,
                 ess: str | None) -> cms.SignerInfo:
    cert = _asn1_cert(identity.cert)
    message_digest = hashlib.new(digest, content).digest()
    attrs = None
    if signed_attrs:
        items = [
            _attribute("content_type", "data"),
            _attribute("signing_time", cms.Time({"utc_time": signing_time.astimezone(dt.timezone.utc)})),
            _attribute("message_digest", message_digest),
        ]
        if ess == "v2":
            items.append(_ess_v2(cert))
        elif ess == "wrong":
            items.append(_ess_v2(cert, wrong=True))
        elif ess == "garbage":
            items.append(_ess_garbage())
        attrs = cms.CMSAttributes(items)
        signature = _sign(identity, attrs.dump(), digest)
    else:
        signature = _sign(identity, content, digest)
    info = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
        "digest_algorithm": {"algorithm": digest},
        "signature_algorithm": {"algorithm": "rsassa_pkcs1v15"},
        "signature": signature,
    }
    if attrs is not None:
        info["signed_attrs"] = attrs
    return cms.SignerInfo(info)


def _cms(identities: Sequence[Identity], content: bytes, *, encapsulate: bool, digest: str, signed_attrs: bool,
         signing_time: dt.datetime, ess: str | None, certificates: bool) -> bytes:
    infos = [_signer_info(i, content, digest=digest, signed_attrs=signed_attrs, signing_time=signing_time, ess=ess)
             for i in identities]
    certs = []
    if certificates:
        seen = set()
        for identity in identities:
            for cert in (identity.cert, *identity.chain):
                der = cert.public_bytes(serialization.Encoding.DER)
                if der not in seen:
                    seen.add(der)
                    certs.append(asn1_x509.Certificate.load(der))
    eci = {"content_type": "data"}
    if encapsulate:
        eci["content"] = content
    signed = {
        "version": "v1",
        "digest_algorithms": [{"algorithm": digest}],
        "encap_content_info": eci,
        "signer_infos": infos,
    }
    if certs:
        signed["certificates"] = certs
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed)}).dump()


def resign(pdf: bytes, identity: Identity, *, signing_time: dt.datetime, digest: str = "sha256",
           signed_attrs: bool = True, ess: str | None = "v2", certificates: bool = True,
           also: Sequence[Identity] = ()) -> bytes:
    """The last signature of ``pdf`` replaced by a hand-made detached CMS over the same bytes.
    ``ess``: ``v2`` (correct), ``wrong`` (hash of another certificate: a producer's bug),
    ``garbage`` (an attribute that does not parse) or ``None``; ``certificates=False``: no
    certificate at all; ``also``: more SignerInfos (two signers in one CMS)."""
    der = _cms([identity, *also], signed_bytes(pdf), encapsulate=False, digest=digest, signed_attrs=signed_attrs,
               signing_time=signing_time, ess=ess, certificates=certificates)
    return _splice(pdf, der)


def to_pkcs7_sha1(pdf: bytes, identity: Identity, *, signing_time: dt.datetime, signed_attrs: bool = False,
                  digest: str = "sha1", certificates: bool = True) -> bytes:
    """The last signature of ``pdf`` (made by pyHanko) turned into an ``adbe.pkcs7.sha1`` one, as
    Aspose and iTextSharp write it: the CMS encapsulates SHA-1 of the byte ranges and signs it
    (directly, or through signed attributes with ``signed_attrs``)."""
    pdf = set_subfilter(pdf, "/adbe.pkcs7.sha1")
    document_digest = hashlib.sha1(signed_bytes(pdf)).digest()
    der = _cms([identity], document_digest, encapsulate=True, digest=digest, signed_attrs=signed_attrs,
               signing_time=signing_time, ess=None, certificates=certificates)
    return _splice(pdf, der)


def add_dangling_reference(pdf: bytes) -> bytes:
    """An incremental update (one new, unreferenced object) whose trailer points at an object no
    revision defines, as LibreOffice's ``/AdditionalStreams`` does: pyHanko's difference analysis
    raises ``KeyError`` on it while it looks for orphaned objects. Needs a classic xref table."""
    prev_xref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    size = int(re.findall(rb"/Size\s+(\d+)", pdf)[-1])
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", pdf)[-1].decode()
    ids = re.findall(rb"/ID\s*(\[[^\]]*\])", pdf)
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offset = len(body)
    obj = f"{size} 0 obj\n<< /Docaudit (a later revision) >>\nendobj\n".encode()
    xref = f"xref\n0 1\n0000000000 65535 f \n{size} 1\n{offset:010d} 00000 n \n".encode()
    trailer = (f"trailer\n<< /Size {size + 1} /Root {root} /Prev {prev_xref} "
               + (f"/ID {ids[-1].decode()} " if ids else "")
               + f"/AdditionalStreams [ 9999 0 R ] >>\nstartxref\n{offset + len(obj)}\n%%EOF\n").encode()
    return body + obj + xref + trailer


def cms_of(pdf: bytes) -> bytes:
    """The DER of the last signature's CMS (the /Contents hex string without its zero padding)."""
    _, start, end, _ = _last_byte_range(pdf)
    return cms.ContentInfo.load(bytes.fromhex(pdf[start + 1:end - 1].decode("ascii"))).dump()


def splice_cms(pdf: bytes, der: bytes) -> bytes:
    """``der`` written into the last signature's /Contents placeholder."""
    return _splice(pdf, der)


def dummy_timestamper(when: dt.datetime):
    """pyHanko's in-process RFC 3161 timestamper with a generated TSA certificate (untrusted),
    answering with ``when`` as the time."""
    from asn1crypto import keys as asn1_keys
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign import timestamps

    from .pki import TestPKI

    pki = TestPKI(4242)
    key = pki._key("tsa")
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Docaudit Test TSA")])
    cert = pki._build(label="tsa", subject=name, key=key, issuer_name=name, issuer_key=key,
                      not_before=dt.datetime(2015, 1, 1), not_after=dt.datetime(2035, 1, 1), ca=False,
                      key_usage=("digital_signature",), extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING])
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return timestamps.DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der), fixed_dt=when)


def document_timestamp(pdf: bytes, when: dt.datetime) -> bytes:
    """``pdf`` with a document timestamp (/DocTimeStamp, ETSI.RFC3161) made at ``when``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.PdfTimeStamper(dummy_timestamper(when)).timestamp_pdf(writer, "sha256", output=io.BytesIO())
    return out.getvalue()
