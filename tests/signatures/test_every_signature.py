"""Every signature a file carries is judged, and an exception is not evidence.

* ``adbe.pkcs7.sha1`` (Aspose, iTextSharp): the CMS signs the SHA-1 digest of the byte ranges,
  carried as its encapsulated content. Generated here by hand (tests/testkit/cms.py) under the
  G1 copy (SHA-1 before the cut-off): valid, tampered (invalid HASH_FAILURE), untrusted
  (indeterminate), after the cut-off (indeterminate CRYPTO_CONSTRAINTS_FAILURE).
* any other sub-filter: indeterminate UNSUPPORTED_SUBFILTER, never "unsigned".
* a producer's malformed CMS with the signed bytes intact — an ESS signing-certificate attribute
  that does not match or does not parse, no certificate, two SignerInfos, a KeyError inside
  pyHanko — is indeterminate with the reason named (ETSI EN 319 102-1: NO_SIGNING_CERTIFICATE_FOUND),
  never invalid FORMAT_FAILURE; the same files with a changed byte are invalid HASH_FAILURE.
"""

from __future__ import annotations

import datetime as dt

import pytest

from docaudit.evidence import inspect_bytes
from docaudit.model import FileStatus, Verdict
from docaudit.signatures import TrustStore, ValidationSettings, load_trust
from tests.testkit import cms as hand
from tests.testkit.documents import DocumentSpec, render_pdf
from tests.testkit.g1 import g1
from tests.testkit.signing import sign_pdf, tamper

VN = dt.timezone(dt.timedelta(hours=7))
MAY_2019 = dt.datetime(2019, 5, 10, 9, 0, tzinfo=VN)
MARCH_2021 = dt.datetime(2021, 3, 1, 9, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def trust(tmp_path_factory) -> TrustStore:
    root = tmp_path_factory.mktemp("g1") / "g1-root.pem"
    root.write_bytes(g1().root_pem())
    return load_trust([root])


@pytest.fixture(scope="module")
def base_pdf() -> bytes:
    return render_pdf(DocumentSpec())


def _signed(base: bytes, when: dt.datetime, md: str = "sha256") -> bytes:
    return sign_pdf(base, g1().official(), field_name="NguoiKy", signing_time=when, md_algorithm=md)


def _judge(data: bytes, trust: TrustStore, **settings):
    evidence = inspect_bytes("doc.pdf", data, ValidationSettings(trust, **settings))
    assert evidence.status is FileStatus.PRESENT, evidence.reason
    return evidence.verdict


# --------------------------------------------------------------------------- adbe.pkcs7.sha1


def _pkcs7_sha1(base: bytes, when: dt.datetime, **kwargs) -> bytes:
    return hand.to_pkcs7_sha1(_signed(base, when, md="sha1"), g1().official(), signing_time=when, **kwargs)


@pytest.mark.parametrize("signed_attrs", [False, True], ids=["bare", "signed-attributes"])
def test_an_adbe_pkcs7_sha1_signature_is_verified(trust, base_pdf, signed_attrs):
    data = _pkcs7_sha1(base_pdf, MAY_2019, signed_attrs=signed_attrs)
    assert b"/adbe.pkcs7.sha1" in data
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.VALID, verdict.signatures
    (signature,) = verdict.signatures
    assert signature.field == "NguoiKy" and signature.digest_algorithm == "sha1"
    assert signature.signer_name.startswith("Nguyễn Văn Bình") and signature.coverage == "ENTIRE_FILE"
    assert signature.signing_time == MAY_2019


def test_a_tampered_adbe_pkcs7_sha1_signature_is_invalid(trust, base_pdf):
    verdict = _judge(tamper(_pkcs7_sha1(base_pdf, MAY_2019)), trust)
    assert verdict.verdict is Verdict.INVALID and verdict.reasons == ("HASH_FAILURE",)


def test_an_adbe_pkcs7_sha1_signature_whose_digest_is_of_other_bytes_is_invalid(trust, base_pdf):
    # the CMS is intact and trusted, but what it encapsulates is not SHA-1 of these byte ranges
    data = _pkcs7_sha1(base_pdf, MAY_2019)
    other = hand.to_pkcs7_sha1(_signed(render_pdf(DocumentSpec(number_line="Số: 99/QĐ-UBND")), MAY_2019, md="sha1"),
                               g1().official(), signing_time=MAY_2019)
    foreign = hand.splice_cms(data, hand.cms_of(other))
    verdict = _judge(foreign, trust)
    assert verdict.verdict is Verdict.INVALID and "HASH_FAILURE" in verdict.reasons


def test_an_untrusted_adbe_pkcs7_sha1_signature_is_indeterminate(base_pdf):
    verdict = _judge(_pkcs7_sha1(base_pdf, MAY_2019), TrustStore())
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("NO_CERTIFICATE_CHAIN_FOUND",)


def test_an_adbe_pkcs7_sha1_signature_after_the_cut_off_is_indeterminate(trust, base_pdf):
    # the document digest is SHA-1 by definition of the sub-filter, whatever the CMS digests with
    verdict = _judge(_pkcs7_sha1(base_pdf, MARCH_2021, digest="sha256", signed_attrs=True), trust)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",)
    assert "SHA-1" in verdict.signatures[0].detail


def test_an_unknown_sub_filter_is_a_signature_all_the_same(trust, base_pdf):
    data = hand.set_subfilter(_signed(base_pdf, MAY_2019), "/adbe.x509.rsa_sha1")
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("UNSUPPORTED_SUBFILTER",)
    assert "adbe.x509.rsa_sha1" in verdict.signatures[0].detail


def test_a_signature_without_sub_filter_is_not_skipped(trust, base_pdf):
    data = _signed(base_pdf, MAY_2019).replace(b"/SubFilter /adbe.pkcs7.detached", b"/Docaudit  /adbe.pkcs7.detached")
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("UNSUPPORTED_SUBFILTER",)


# --------------------------------------------------------------------------- malformed CMS


@pytest.mark.parametrize("ess", ["wrong", "garbage"])
def test_a_malformed_signing_certificate_attribute_is_indeterminate(trust, base_pdf, ess):
    data = hand.resign(_signed(base_pdf, MAY_2019), g1().official(), signing_time=MAY_2019, ess=ess)
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("NO_SIGNING_CERTIFICATE_FOUND",)
    signature = verdict.signatures[0]
    assert "intact" in signature.detail and "signing-certificate" in signature.detail
    assert signature.signer_name.startswith("Nguyễn Văn Bình")  # found by the SignerInfo's sid
    broken = _judge(tamper(data), trust)
    assert broken.verdict is Verdict.INVALID and broken.reasons == ("HASH_FAILURE",)


def test_a_correct_hand_made_cms_is_valid(trust, base_pdf):
    # the control: the same builder with a correct ESS attribute
    data = hand.resign(_signed(base_pdf, MAY_2019), g1().official(), signing_time=MAY_2019, ess="v2")
    assert _judge(data, trust).verdict is Verdict.VALID


def test_a_cms_without_any_certificate_is_indeterminate(trust, base_pdf):
    data = hand.resign(_signed(base_pdf, MAY_2019), g1().official(), signing_time=MAY_2019, certificates=False)
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("NO_SIGNING_CERTIFICATE_FOUND",)
    assert "not in the CMS" in verdict.signatures[0].detail
    assert _judge(tamper(data), trust).reasons == ("HASH_FAILURE",)


def test_a_cms_with_two_signer_infos_is_indeterminate(trust, base_pdf):
    other = g1().official("Trần Thị Lan", label="second")
    data = hand.resign(_signed(base_pdf, MAY_2019), g1().official(), signing_time=MAY_2019, ess=None, also=[other])
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("NO_SIGNING_CERTIFICATE_FOUND",)
    assert "2 SignerInfos" in verdict.signatures[0].detail and verdict.signatures[0].field == "NguoiKy"
    assert _judge(tamper(data), trust).reasons == ("HASH_FAILURE",)


def test_a_keyerror_in_pyhankos_difference_analysis_is_no_evidence(trust, base_pdf, monkeypatch):
    # a later revision whose trailer names an object nobody defines: pyHanko's difference analysis
    # raises KeyError; docaudit classifies the revision itself (an object nothing uses, a private
    # trailer key: allowed), as its increment check does on the fast path
    from docaudit.signatures import review

    data = hand.add_dangling_reference(_signed(base_pdf, MAY_2019))
    assert _judge(data, trust, fast_paths=False).verdict is Verdict.VALID
    assert _judge(data, trust).verdict is Verdict.VALID
    # where docaudit could not classify it either, the exception proves nothing: indeterminate
    monkeypatch.setattr(review, "classify", lambda *args, **kwargs: None)
    verdict = _judge(data, trust, fast_paths=False)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("PARSER_FAILURE",)
    assert "KeyError" in verdict.signatures[0].detail and "could not classify" in verdict.signatures[0].detail
    broken = _judge(tamper(data), trust, fast_paths=False)
    assert broken.verdict is Verdict.INVALID and broken.reasons == ("HASH_FAILURE",)
    # nor valid when docaudit's own review fails, or classifies but cannot compare the pages
    from docaudit.signatures.visual import VisualComparison

    def crash(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(review, "classify", crash)
    assert _judge(data, trust, fast_paths=False).reasons == ("PARSER_FAILURE",)
    monkeypatch.undo()
    monkeypatch.setattr(review, "visual_check", lambda *a, **k: VisualComparison("cannot_compare", reason="limits"))
    verdict = _judge(data, trust, fast_paths=False)
    assert verdict.verdict is Verdict.INDETERMINATE and verdict.reasons == ("PARSER_FAILURE",)
    assert "could not be compared" in verdict.signatures[0].detail


def test_a_byte_range_that_leaves_out_more_than_the_contents_is_invalid(trust, base_pdf):
    # with the CMS unusable too, docaudit's own check finds the broken ByteRange: evidence
    data = hand.resign(_signed(base_pdf, MAY_2019), g1().official(), signing_time=MAY_2019, certificates=False)
    start = data.rfind(b"/ByteRange")
    end = data.index(b"]", start)
    numbers = [int(n) for n in data[start + len(b"/ByteRange"):end].strip(b" [").split()]
    numbers[1] -= 2  # the first range now stops two bytes before the /Contents string
    text = b"/ByteRange [" + b" ".join(str(n).encode() for n in numbers) + b"]"
    data = data[:start] + text.ljust(end + 1 - start) + data[end + 1:]
    verdict = _judge(data, trust)
    assert verdict.verdict is Verdict.INVALID


def test_the_byte_wise_fallback_knows_adbe_pkcs7_sha1(trust, base_pdf):
    # for a file pyHanko cannot parse, signatures are checked byte-wise (always invalid: no
    # modification analysis); an intact adbe.pkcs7.sha1 CMS must not read as a digest mismatch
    from docaudit.signatures import verify_signature_bytes

    data = _pkcs7_sha1(base_pdf, MAY_2019, signed_attrs=True)
    byte_range = hand._last_byte_range(data)
    found = [("NguoiKy", byte_range, hand.cms_of(data))]
    verdict = verify_signature_bytes(data, found, ValidationSettings(trust))
    assert verdict.reasons == ("FORMAT_FAILURE",) and verdict.signatures[0].digest_algorithm == "sha1"
    assert verdict.signatures[0].signer_name.startswith("Nguyễn Văn Bình")
    broken = verify_signature_bytes(tamper(data), found, ValidationSettings(trust))
    assert broken.signatures[0].reasons == ("HASH_FAILURE", "FORMAT_FAILURE")


def test_docaudit_s_own_check_reads_document_timestamps(trust, base_pdf):
    from docaudit.signatures.integrity import check_integrity

    data = hand.document_timestamp(_signed(base_pdf, MAY_2019), MAY_2019)
    byte_range, token = hand._last_byte_range(data), hand.cms_of(data)
    intact = check_integrity(data, byte_range, token, "/ETSI.RFC3161")
    assert intact.broken is None and intact.value_checked and intact.signers == 1
    assert check_integrity(tamper(data), byte_range, token, "/ETSI.RFC3161").broken == "HASH_FAILURE"
    signature, stamp = _judge(data, trust).signatures
    assert signature.verdict is Verdict.VALID and stamp.kind == "timestamp" and stamp.verdict is not Verdict.INVALID
