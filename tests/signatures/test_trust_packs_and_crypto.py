"""Trust packs and the dated crypto policy together (both of issue 16): a pack names the hierarchy a
validated path ends in (SIG011), the crypto policy decides whether that path's algorithms were
acceptable on the signing day (SIG007, CRYPTO_CONSTRAINTS_FAILURE). A generated copy of Ban Cơ yếu
Chính phủ's G1 hierarchy (tests/testkit/g1.py: SHA-1 throughout) is given as a pack only, never with
--trust: its 2018 signature validates through the pack under ``vn`` and reports its path, and under
``strict`` the same signature has no path (none was validated) and SIG011 falls back to the name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from docaudit.check import checklist_status
from docaudit.evidence import inspect_bytes
from docaudit.model import Direction, Severity, Verdict
from docaudit.rules import RuleEngine, RuleSelection
from docaudit.signatures import ValidationSettings, load_trust
from docaudit.signatures.crypto_policy import load_crypto_policy

from ..testkit import DocumentSpec, render_pdf, sign_pdf
from ..testkit.g1 import CA_CN, ROOT_CN, g1
from ..testkit.pki import generated_hierarchy, person_subject

VN = dt.timezone(dt.timedelta(hours=7))
JANUARY_2018 = dt.datetime(2018, 1, 15, 9, 0, tzinfo=VN)
MARCH_2021 = dt.datetime(2021, 3, 1, 9, 0, tzinfo=VN)
OFFICIAL = "Nguyễn Văn Bình"


def _entries(certificates) -> list[str]:
    lines = []
    for file, cert, status in certificates:
        lines += [f"  - file: {file}", f"    sha256: {cert.fingerprint(hashes.SHA256()).hex().upper()}",
                  f"    status: {status}", "    hierarchy: vgca"]
    return lines


def _write_pack(folder: Path, name: str, certificates) -> Path:
    """A pack file listing ``certificates`` ((file name, certificate, status)), all ``vgca``."""
    folder.mkdir(parents=True, exist_ok=True)
    for file, cert, _status in certificates:
        (folder / file).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path = folder / f"{name}.yaml"
    path.write_text("\n".join([f"id: {name}", "certificates:", *_entries(certificates)]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def g1_pack(tmp_path_factory) -> Path:
    hierarchy = g1()
    return _write_pack(tmp_path_factory.mktemp("g1-pack"), "g1-test",
                       [("g1-root.pem", hierarchy.root, "anchor"), ("g1-ca.pem", hierarchy.ca, "intermediate")])


@pytest.fixture(scope="module")
def base_pdf() -> bytes:
    return render_pdf(DocumentSpec())


def _signed(base: bytes, when: dt.datetime) -> bytes:
    return sign_pdf(base, g1().official(OFFICIAL), field_name="NguoiKy", signing_time=when, md_algorithm="sha1")


def _judge(data: bytes, trust, **settings):
    return inspect_bytes("g1.pdf", data, ValidationSettings(trust, **settings))


def _findings(evidence, rule: str):
    return RuleEngine(selection=RuleSelection(select=(rule,))).findings(evidence, None, Direction.OUTGOING)


def _sig011(evidence):
    (outcome,) = RuleEngine(selection=RuleSelection(select=("SIG011",))).check(
        evidence, None, Direction.OUTGOING, "check")
    return outcome


@pytest.mark.parametrize("fast_paths", [True, False], ids=["fast", "plain"])
def test_a_2018_g1_signature_validates_through_the_pack_under_vn(g1_pack, base_pdf, fast_paths):
    evidence = _judge(_signed(base_pdf, JANUARY_2018), load_trust([], [str(g1_pack)]), fast_paths=fast_paths)
    (signature,) = evidence.verdict.signatures
    assert signature.verdict is Verdict.VALID, (signature.reasons, signature.detail)
    assert signature.path[1:] == (CA_CN, ROOT_CN) and signature.hierarchy == "vgca"
    assert signature.digest_accepted is True
    assert _sig011(evidence).status == "pass"  # công vụ, by the path
    assert [f.severity for f in _findings(evidence, "SIG007")] == [Severity.WARNING]  # SHA-1, accepted in 2018


@pytest.mark.parametrize("fast_paths", [True, False], ids=["fast", "plain"])
def test_under_strict_no_path_is_reported_and_sig011_falls_back_to_the_name(g1_pack, base_pdf, fast_paths):
    trust = load_trust([], [str(g1_pack)])
    data = _signed(base_pdf, JANUARY_2018)
    # the same trust set under vn first: the remembered path outcome (memo, keyed on the trust set
    # and what the file adds) must not answer for another policy
    assert _judge(data, trust, fast_paths=fast_paths).verdict.signatures[0].hierarchy == "vgca"
    evidence = _judge(data, trust, fast_paths=fast_paths, crypto_policy=load_crypto_policy("strict"))
    (signature,) = evidence.verdict.signatures
    assert signature.verdict is Verdict.INDETERMINATE and signature.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",)
    assert "SHA-1" in signature.detail and "strict" in signature.detail  # _explain_crypto still speaks
    assert signature.path == () and signature.hierarchy is None
    outcome = _sig011(evidence)
    assert checklist_status(outcome) == "unverified" and "issuer's name" in outcome.findings[0].message_en
    assert [f.severity for f in _findings(evidence, "SIG007")] == [Severity.ERROR]


def test_after_the_cut_off_the_pack_does_not_make_sha1_acceptable(g1_pack, base_pdf):
    trust = load_trust([], [str(g1_pack)])
    assert _judge(_signed(base_pdf, JANUARY_2018), trust).verdict.verdict is Verdict.VALID
    (signature,) = _judge(_signed(base_pdf, MARCH_2021), trust).verdict.signatures
    assert signature.reasons == ("CRYPTO_CONSTRAINTS_FAILURE",) and signature.path == ()
    assert "before 2020-04-01" in signature.detail


def _g2_like():
    def name(cn: str) -> list[cx509.NameAttribute]:
        return [cx509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ban Cơ yếu Chính phủ"),
                cx509.NameAttribute(NameOID.COMMON_NAME, cn)]
    return generated_hierarchy(name("RootCA chuyên dùng Chính phủ G2"), name("CA phục vụ các cơ quan Nhà nước G2"),
                               bits=2048, label="g2-merge")


def test_worker_processes_get_both_the_packs_and_the_crypto_policy(tmp_path: Path, base_pdf):
    """From 32 files a scan judges in a pool: under ``strict``, the 2018 SHA-1 files are refused
    (the policy reached the workers: under the default ``vn`` they are valid) and the SHA-256
    files that carry only the signer's certificate validate through the pack's intermediate (the
    packs reached them too)."""
    from docaudit.limits import DEFAULT_LIMITS
    from docaudit.pipeline.executor import MIN_POOL_FILES, judge

    hierarchy = g1()
    g2 = _g2_like()
    pack = _write_pack(tmp_path / "pack", "vgca-test", [
        ("g1-root.pem", hierarchy.root, "anchor"), ("g1-ca.pem", hierarchy.ca, "intermediate"),
        ("g2-root.pem", g2.root, "anchor"), ("g2-ca.pem", g2.intermediate, "intermediate")])
    identity = g2.issue(person_subject("Lê Văn Cường", "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang",
                                       "002085009876"))
    assert identity.chain == []  # the file carries only the signer's certificate
    sha256 = sign_pdf(base_pdf, identity, field_name="NguoiKy", signing_time=MARCH_2021)
    sha1 = _signed(base_pdf, JANUARY_2018)
    root = tmp_path / "audit"
    (root / "files").mkdir(parents=True)
    names = []
    for index in range(MIN_POOL_FILES):
        names.append(f"files/{index:02d}.pdf")
        (root / names[-1]).write_bytes(sha1 if index % 2 else sha256)
    settings = ValidationSettings(load_trust([], [str(pack)]), crypto_policy=load_crypto_policy("strict"))
    found = dict(judge(root, names, settings, (), 2, DEFAULT_LIMITS, (str(pack),)))
    refused = {found[n].verdict.signatures[0].reasons for i, n in enumerate(names) if i % 2}
    assert refused == {("CRYPTO_CONSTRAINTS_FAILURE",)}
    valid = {(found[n].verdict.verdict, found[n].verdict.signatures[0].hierarchy)
             for i, n in enumerate(names) if not i % 2}
    assert valid == {(Verdict.VALID, "vgca")}
