"""The dated crypto policy (rules/crypto): the packs as data, and what they decide at each date.

Documents signed under a generated copy of Ban Cơ yếu's G1 hierarchy (tests/testkit/g1.py: the
same names, RSA-2048 and SHA-1 throughout): valid in January 2018 under the default policy, with
SIG007 warning about SHA-1; indeterminate (CRYPTO_CONSTRAINTS_FAILURE) under ``strict``, and when
the same signature is dated after the cut-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from asn1crypto import algos, keys
from cryptography.hazmat.primitives import serialization

from docaudit.errors import RulePackError
from docaudit.evidence import inspect_bytes
from docaudit.incremental import trust_context
from docaudit.model import Direction, Severity, Verdict
from docaudit.rules import RuleEngine, RuleSelection
from docaudit.signatures import ValidationSettings, load_trust
from docaudit.signatures.algorithms import DatedAlgorithmPolicy
from docaudit.signatures.crypto_policy import load_crypto_policy, policy_names
from tests.testkit.documents import DocumentSpec, render_pdf
from tests.testkit.g1 import CA_CN, ROOT_CN, g1
from tests.testkit.signing import sign_pdf

VN = dt.timezone(dt.timedelta(hours=7))
JANUARY_2018 = dt.datetime(2018, 1, 15, 9, 0, tzinfo=VN)
MARCH_2021 = dt.datetime(2021, 3, 1, 9, 0, tzinfo=VN)


def _at(year: int, month: int = 1, day: int = 1) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=VN)


# --------------------------------------------------------------------------- the packs


def test_shipped_packs_load_and_carry_their_legal_basis():
    assert {"vn", "strict"} <= set(policy_names())
    vn, strict = load_crypto_policy(), load_crypto_policy("strict")
    assert vn.id == "vn" and strict.id == "strict" and vn.fingerprint != strict.fingerprint
    sha1 = vn.digests["sha1"]
    assert sha1.until == dt.datetime(2020, 4, 1, tzinfo=VN)
    assert "TT 16/2019/TT-BTTTT" in sha1.reference and "G1" in sha1.reference
    assert "TT 15/2025/TT-BKHCN" in (strict.reference or "")
    assert all(a.until is None for a in (*strict.digests.values(), *strict.mechanisms.values()))


def test_sha1_is_acceptable_before_the_cut_off_only():
    vn = load_crypto_policy()
    assert vn.digest_refusal("sha1", _at(2018, 1, 15)) is None
    assert vn.digest_refusal("sha1", dt.datetime(2020, 3, 31, 23, 59, tzinfo=VN)) is None
    refusal = vn.digest_refusal("sha1", _at(2020, 4, 1))
    assert refusal is not None and refusal.since == _at(2020, 4, 1)
    assert "before 2020-04-01" in refusal.text("vn", _at(2021)) and "2021-01-01" in refusal.text("vn", _at(2021))
    assert vn.digest_refusal("md5", _at(2005)) is not None  # not listed: never acceptable
    assert vn.digest_refusal("sha256", _at(2050)) is None
    strict = load_crypto_policy("strict")
    assert strict.digest_refusal("sha1", _at(2011)) is not None


def test_key_sizes_and_eras():
    vn = load_crypto_policy()
    assert vn.key_refusal("rsa", 2048, _at(2018)) is None
    assert vn.key_refusal("rsa", 1024, _at(2012)) is not None
    assert vn.key_refusal("ec", 256, _at(2025)) is None and vn.key_refusal("ec", 224, _at(2025)) is not None
    assert vn.key_refusal("ed25519", None, _at(2025)) is None  # no size rule for EdDSA keys
    assert vn.era(_at(2018)) != vn.era(_at(2021)) and vn.era(_at(2018)) == vn.era(_at(2019, 6))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, named", [
    ("id: x\ndigest_algorithms: {sha256: {}}\nsignature_algorithms: {ecdsa: {}}\nkey_sizes: {}\nextra: 1\n", "'extra'"),
    ("id: x\ndigest_algorithms: {sha265: {}}\nsignature_algorithms: {ecdsa: {}}\n", "digest_algorithms.sha265"),
    ("id: x\ndigest_algorithms: {sha1: {until: soon}}\nsignature_algorithms: {ecdsa: {}}\n", "digest_algorithms.sha1.until"),
    ("id: x\ndigest_algorithms: {sha1: {untill: 2020-01-01}}\nsignature_algorithms: {ecdsa: {}}\n", "sha1.untill"),
    ("id: x\ndigest_algorithms: {sha256: {}}\nsignature_algorithms: {ecdsa: {}}\nkey_sizes: {rsa: [{min_bits: 0}]}\n",
     "key_sizes.rsa[0].min_bits"),
    ("id: x\ndigest_algorithms: {sha256: {}}\nsignature_algorithms: {ecdsa: {}}\nkey_sizes: {dh: [{min_bits: 9}]}\n",
     "key_sizes.dh"),
    ("id: x\nsignature_algorithms: {ecdsa: {}}\n", "'digest_algorithms'"),
])
def test_a_malformed_pack_names_the_file_and_the_key(tmp_path, text, named):
    path = _write(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_crypto_policy(str(path))
    assert str(path) in str(caught.value) and named in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_policy_names_the_known_ones():
    with pytest.raises(RulePackError, match="known: strict, vn"):
        load_crypto_policy("lenient")


# --------------------------------------------------------------------------- pyHanko's view


def _mechanism(name: str) -> algos.SignedDigestAlgorithm:
    return algos.SignedDigestAlgorithm({"algorithm": name})


def _rsa_key() -> keys.PublicKeyInfo:
    cert = g1().official()
    return keys.PublicKeyInfo.load(cert.cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def test_the_algorithm_usage_policy_judges_at_the_signature_time_whatever_pyhanko_asks():
    policy = DatedAlgorithmPolicy(load_crypto_policy(), JANUARY_2018)
    sha1 = algos.DigestAlgorithm({"algorithm": "sha1"})
    # pyHanko passes its own moment (or None): the signature's time decides
    assert policy.digest_algorithm_allowed(sha1, dt.datetime(2026, 1, 1, tzinfo=VN))
    assert policy.digest_algorithm_allowed(sha1, None)
    assert policy.signature_algorithm_allowed(_mechanism("sha1_rsa"), None, _rsa_key())
    later = DatedAlgorithmPolicy(load_crypto_policy(), MARCH_2021)
    refused = later.signature_algorithm_allowed(_mechanism("sha1_rsa"), None, _rsa_key())
    assert not refused and "SHA-1" in refused.failure_reason and refused.not_allowed_after is None
    assert policy.memo_key != later.memo_key
    assert later.signature_algorithm_allowed(_mechanism("sha256_rsa"), None, _rsa_key())


# --------------------------------------------------------------------------- G1 documents


def _trust(tmp_path_factory):
    root = tmp_path_factory.mktemp("g1") / "g1-root.pem"
    root.write_bytes(g1().root_pem())
    return load_trust([root])


@pytest.fixture(scope="module")
def g1_trust(tmp_path_factory):
    return _trust(tmp_path_factory)


@pytest.fixture(scope="module")
def base_pdf() -> bytes:
    return render_pdf(DocumentSpec())


def _signed(base: bytes, when: dt.datetime, md: str = "sha1", **official) -> bytes:
    return sign_pdf(base, g1().official(**official), field_name="NguoiKy", signing_time=when, md_algorithm=md)


def _judge(data: bytes, trust, **settings):
    return inspect_bytes("g1.pdf", data, ValidationSettings(trust, **settings))


def test_the_generated_g1_hierarchy_is_sha1_throughout():
    hierarchy = g1()
    official = hierarchy.official()
    assert hierarchy.root.subject.rfc4514_string().startswith(f"CN={ROOT_CN}")
    assert official.chain[0].subject == hierarchy.ca.subject and CA_CN in official.chain[0].subject.rfc4514_string()
    for cert in (hierarchy.root, hierarchy.ca, official.cert):
        assert cert.signature_hash_algorithm.name == "sha1" and cert.public_key().key_size == 2048


@pytest.mark.parametrize("fast_paths", [True, False], ids=["fast", "plain"])
def test_a_2018_g1_signature_is_valid_and_sig007_warns(g1_trust, base_pdf, fast_paths):
    evidence = _judge(_signed(base_pdf, JANUARY_2018), g1_trust, fast_paths=fast_paths)
    assert evidence.verdict.verdict is Verdict.VALID, evidence.verdict.signatures
    (signature,) = evidence.verdict.signatures
    assert signature.digest_algorithm == "sha1" and signature.digest_accepted is True
    findings = RuleEngine(selection=RuleSelection(select=("SIG007",))).findings(evidence, None, Direction.OUTGOING)
    assert [(f.rule, f.severity) for f in findings] == [("SIG007", Severity.WARNING)]
    assert "sha1" in findings[0].message_en and "accepted" in findings[0].message_en


def test_the_same_document_is_indeterminate_under_strict(g1_trust, base_pdf):
    evidence = _judge(_signed(base_pdf, JANUARY_2018), g1_trust, crypto_policy=load_crypto_policy("strict"))
    assert evidence.verdict.verdict is Verdict.INDETERMINATE
    assert evidence.verdict.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",)
    assert "SHA-1" in evidence.verdict.signatures[0].detail and "strict" in evidence.verdict.signatures[0].detail
    findings = RuleEngine(selection=RuleSelection(select=("SIG007",))).findings(evidence, None, Direction.OUTGOING)
    assert [f.severity for f in findings] == [Severity.ERROR]


@pytest.mark.parametrize("fast_paths", [True, False], ids=["fast", "plain"])
def test_a_sha1_signature_after_the_cut_off_is_indeterminate(g1_trust, base_pdf, fast_paths):
    # the 2018 document first: the remembered path outcome (memo) must not carry over to 2021,
    # although both signing times fall inside the same certificate validity bounds
    assert _judge(_signed(base_pdf, JANUARY_2018), g1_trust, fast_paths=fast_paths).verdict.verdict is Verdict.VALID
    evidence = _judge(_signed(base_pdf, MARCH_2021), g1_trust, fast_paths=fast_paths)
    assert evidence.verdict.verdict is Verdict.INDETERMINATE
    assert evidence.verdict.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",)
    detail = evidence.verdict.signatures[0].detail
    assert "before 2020-04-01" in detail and "2021-03-01" in detail and "TT 16/2019/TT-BTTTT" in detail


def test_a_sha256_signature_after_the_cut_off_is_judged_along_its_sha1_path(g1_trust, base_pdf):
    # the signature's own digest is fine; the G1 certificates are SHA-1, judged at the same date
    evidence = _judge(_signed(base_pdf, MARCH_2021, md="sha256"), g1_trust)
    assert evidence.verdict.verdict is Verdict.INDETERMINATE
    assert evidence.verdict.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",)
    assert "SHA-1" in evidence.verdict.signatures[0].detail


def test_the_trust_anchor_s_own_sha1_signature_is_not_judged(g1_trust, base_pdf):
    # SHA-256 below the self-signed SHA-1 root: valid even under strict
    data = _signed(base_pdf, MARCH_2021, md="sha256", hash_algo="sha256", ca_hash="sha256", label="sha256-path")
    evidence = _judge(data, g1_trust, crypto_policy=load_crypto_policy("strict"))
    assert evidence.verdict.verdict is Verdict.VALID, evidence.verdict.signatures


def test_validation_time_does_not_move_the_algorithm_judgement(g1_trust, base_pdf):
    # certificates checked at another moment (still inside their validity): SHA-1 is judged at
    # the signing time all the same
    moment = dt.datetime(2019, 12, 1, tzinfo=VN)
    late = _judge(_signed(base_pdf, MARCH_2021), g1_trust, validation_time=moment)
    assert late.verdict.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",)
    early = _judge(_signed(base_pdf, JANUARY_2018), g1_trust, validation_time=dt.datetime(2021, 6, 1, tzinfo=VN))
    assert early.verdict.verdict is Verdict.VALID


def test_a_signature_timestamp_proves_the_time(g1_trust, base_pdf):
    """A SHA-1 signature claiming 2018 but timestamped in 2021: the proof, not the claim, is the
    signature's time (as EU DSS's proof of existence)."""
    import io

    from pyhanko.sign import signers

    from tests.testkit.cms import dummy_timestamper
    from tests.testkit.signing import FixedTimePdfSigner, _writer

    signer = FixedTimePdfSigner(signers.PdfSignatureMetadata(field_name="NguoiKy", md_algorithm="sha1"),
                                signer=g1().official().signer(), timestamper=dummy_timestamper(MARCH_2021),
                                signing_time=JANUARY_2018)
    data = signer.sign_pdf(_writer(base_pdf, "tst", JANUARY_2018), output=io.BytesIO()).getvalue()
    evidence = _judge(data, g1_trust)
    assert evidence.verdict.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",), evidence.verdict.signatures
    assert "2021-03-01" in evidence.verdict.signatures[0].detail
    # the same signature timestamped in 2018 is judged at 2018
    signer = FixedTimePdfSigner(signers.PdfSignatureMetadata(field_name="NguoiKy", md_algorithm="sha1"),
                                signer=g1().official().signer(), timestamper=dummy_timestamper(JANUARY_2018),
                                signing_time=JANUARY_2018)
    data = signer.sign_pdf(_writer(base_pdf, "tst", JANUARY_2018), output=io.BytesIO()).getvalue()
    assert _judge(data, g1_trust).verdict.verdict is Verdict.VALID


def test_evidence_judged_under_one_policy_is_not_reused_under_another():
    vn = ValidationSettings()
    strict = ValidationSettings(crypto_policy=load_crypto_policy("strict"))
    assert trust_context(vn) != trust_context(strict)
    assert trust_context(vn) == trust_context(ValidationSettings(crypto_policy=load_crypto_policy("vn")))
