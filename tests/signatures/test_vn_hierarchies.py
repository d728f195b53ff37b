"""Documents signed under generated copies of the Vietnamese hierarchies (same names and algorithms,
keys made for the test): Ban Cơ yếu Chính phủ's G2 (RSA-4096/SHA-256 root → "CA phục vụ các cơ quan
Nhà nước G2" → signer) and a public CA under NEAC's "Vietnam National Root CA" (2014). The files
carry only the signer's certificate, as real files often do: the issuing CA comes from a trust pack
(a pack file written by the test, pointing at the generated certificates). The path found is
reported name by name, and SIG011 is decided by where it ends."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from cryptography import x509 as cx509

from docaudit.check import checklist_status
from docaudit.evidence import inspect_bytes
from docaudit.model import Direction, Verdict
from docaudit.rules import RuleEngine, RuleSelection
from docaudit.signatures import ValidationSettings, load_trust

from ..cli.helpers import run_cli
from ..conftest import SAMPLES
from ..testkit import DocumentSpec, render_pdf, sign_pdf
from ..testkit.pki import TestPKI, generated_hierarchy, person_subject

VN_TIME = dt.timezone(dt.timedelta(hours=7))
SIGNED_AT = dt.datetime(2021, 3, 5, 9, 0, tzinfo=VN_TIME)
G2_ROOT = "RootCA chuyên dùng Chính phủ G2"
G2_CA = "CA phục vụ các cơ quan Nhà nước G2"


def _name(cn: str, org: str, unit: str | None = None) -> list[cx509.NameAttribute]:
    attrs = [cx509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), cx509.NameAttribute(NameOID.ORGANIZATION_NAME, org)]
    if unit:
        attrs.append(cx509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    return [*attrs, cx509.NameAttribute(NameOID.COMMON_NAME, cn)]


@pytest.fixture(scope="module")
def g2():
    return generated_hierarchy(_name(G2_ROOT, "Ban Cơ yếu Chính phủ"), _name(G2_CA, "Ban Cơ yếu Chính phủ"))


@pytest.fixture(scope="module")
def neac():
    mic = "Ministry of Information and Communications"
    unit = "National Centre of Digital Signature Authentication"
    return generated_hierarchy(_name("Vietnam National Root CA", mic, unit),
                               _name("VNPT-CA SHA2", "VIETNAM POSTS AND TELECOMMUNICATIONS GROUP"),
                               root_validity=(dt.datetime(2014, 4, 15), dt.datetime(2039, 4, 15)),
                               intermediate_validity=(dt.datetime(2019, 1, 1), dt.datetime(2029, 8, 30)))


def _pack(folder: Path, name: str, hierarchy, tag: str, with_intermediate: bool = True) -> Path:
    """A trust pack file listing the generated root (anchor) and issuing CA (intermediate)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"id: {name}", "certificates:"]
    for which, status in (("root", "anchor"), ("intermediate", "intermediate")):
        if which == "intermediate" and not with_intermediate:
            continue
        (folder / f"{which}.pem").write_bytes(hierarchy.pem(which))
        fingerprint = getattr(hierarchy, which).fingerprint(hashes.SHA256()).hex().upper()
        lines += [f"  - file: {which}.pem", f"    sha256: {fingerprint}", f"    status: {status}",
                  f"    hierarchy: {tag}"]
    path = folder / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _signed(hierarchy, who: str = "Nguyễn Văn An") -> tuple[bytes, str]:
    identity = hierarchy.issue(person_subject(who, "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang",
                                              "002085001234"))
    assert identity.chain == []  # the file will carry only the signer's certificate
    pdf = render_pdf(DocumentSpec())
    return sign_pdf(pdf, identity, field_name="NguoiKy", signing_time=SIGNED_AT, rect=(330, 159, 495, 227)), \
        identity.subject_cn


def _embedded_certificates(data: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader
    import io

    (sig,) = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    return len(sig.signed_data["certificates"])


def _judge(data: bytes, trust, fast_paths: bool = True):
    return inspect_bytes("doc.pdf", data, ValidationSettings(trust, fast_paths=fast_paths))


def _sig011(evidence):
    engine = RuleEngine(selection=RuleSelection(select=("SIG011",)))
    (outcome,) = engine.check(evidence, None, Direction.OUTGOING, "check")
    return outcome


@pytest.mark.parametrize("fast_paths", [True, False], ids=["fast", "plain"])
def test_a_g2_document_carrying_only_the_signer_validates_through_the_packs_intermediate(
        tmp_path: Path, g2, fast_paths: bool) -> None:
    data, signer = _signed(g2)
    assert _embedded_certificates(data) == 1
    pack = _pack(tmp_path / "g2", "g2-test", g2, "vgca")
    evidence = _judge(data, load_trust([], [str(pack)]), fast_paths)
    (signature,) = evidence.verdict.signatures
    assert signature.verdict is Verdict.VALID, signature.reasons
    assert signature.path == (signer, G2_CA, G2_ROOT)
    assert signature.hierarchy == "vgca"
    assert _sig011(evidence).status == "pass"  # công vụ: the path ends at a Ban Cơ yếu root of a pack


def test_without_the_packs_intermediate_no_path_is_found(tmp_path: Path, g2) -> None:
    data, _ = _signed(g2)
    pack = _pack(tmp_path / "root-only", "g2-root", g2, "vgca", with_intermediate=False)
    evidence = _judge(data, load_trust([], [str(pack)]))
    (signature,) = evidence.verdict.signatures
    assert signature.verdict is Verdict.INDETERMINATE and "NO_CERTIFICATE_CHAIN_FOUND" in signature.reasons
    assert signature.path == () and signature.hierarchy is None
    outcome = _sig011(evidence)  # no path: the issuer's name is a hint, never a pass
    assert outcome.status == "fail" and checklist_status(outcome) == "unverified"
    assert "issuer's name" in outcome.findings[0].message_en


def test_a_public_ca_under_the_national_root_is_a_warning(tmp_path: Path, neac) -> None:
    data, signer = _signed(neac, "Trần Thị Bình")
    pack = _pack(tmp_path / "neac", "neac-test", neac, "neac")
    evidence = _judge(data, load_trust([], [str(pack)]))
    (signature,) = evidence.verdict.signatures
    assert signature.verdict is Verdict.VALID, signature.reasons
    assert signature.path == (signer, "VNPT-CA SHA2", "Vietnam National Root CA")
    assert signature.hierarchy == "neac"
    outcome = _sig011(evidence)
    assert outcome.status == "fail" and checklist_status(outcome) == "fail"
    assert {f.severity.value for f in outcome.findings} == {"warning"}
    assert "public CA" in outcome.findings[0].message_en


def test_a_private_ca_cannot_tell_even_named_like_the_government_ca(tmp_path: Path) -> None:
    """The same names under a root given with --trust, which no pack knows: valid, yet SIG011
    cannot tell who the CA is."""
    look_alike = generated_hierarchy(_name(G2_ROOT, "Ban Cơ yếu Chính phủ"), _name(G2_CA, "Ban Cơ yếu Chính phủ"),
                                     label="look-alike")
    data, _ = _signed(look_alike)
    (tmp_path / "root.pem").write_bytes(look_alike.pem("root"))
    (tmp_path / "ca.pem").write_bytes(look_alike.pem("intermediate"))
    evidence = _judge(data, load_trust([tmp_path / "root.pem", tmp_path / "ca.pem"]))
    (signature,) = evidence.verdict.signatures
    assert signature.verdict is Verdict.VALID and signature.path[-1] == G2_ROOT and signature.hierarchy is None
    outcome = _sig011(evidence)
    assert checklist_status(outcome) == "unverified" and "Cannot tell" in outcome.findings[0].message_en


def test_the_demo_ca_cannot_tell() -> None:
    data = (SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf").read_bytes()
    evidence = _judge(data, load_trust([SAMPLES / "trust" / "root.pem"]))
    assert checklist_status(_sig011(evidence)) == "unverified"


def test_two_packs_two_hierarchies_one_trust_set(tmp_path: Path, g2, neac) -> None:
    """A scan meets both hierarchies: each signature reports its own path and hierarchy."""
    trust = load_trust([], [str(_pack(tmp_path / "g2", "g2-test", g2, "vgca")),
                            str(_pack(tmp_path / "neac", "neac-test", neac, "neac"))])
    for hierarchy, expected in ((g2, "vgca"), (neac, "neac"), (g2, "vgca")):
        (signature,) = _judge(_signed(hierarchy)[0], trust).verdict.signatures
        assert signature.verdict is Verdict.VALID and signature.hierarchy == expected


def test_check_prints_the_path_and_its_json_carries_it(tmp_path: Path, g2) -> None:
    data, signer = _signed(g2)
    (tmp_path / "doc.pdf").write_bytes(data)
    pack = _pack(tmp_path / "g2", "g2-test", g2, "vgca")
    proc = run_cli("check", tmp_path / "doc.pdf", "--trust-pack", pack, "--format", "json")
    assert proc.stderr == ""
    (document,) = json.loads(proc.stdout)["documents"]
    (signature,) = document["signatures"]
    assert signature["path"] == [signer, G2_CA, G2_ROOT] and signature["hierarchy"] == "vgca"
    assert next(c for c in document["checklist"] if c["rule"] == "SIG011")["status"] == "pass"
    assert json.loads(proc.stdout)["notes"] == []  # roots were given: no "no trust" note
    table = run_cli("check", tmp_path / "doc.pdf", "--trust-pack", pack, "--lang", "en")
    assert f"Certificate path: {signer} → {G2_CA} → {G2_ROOT}" in table.stdout
    vi = run_cli("check", tmp_path / "doc.pdf", "--trust-pack", pack)
    assert f"Đường dẫn chứng thực: {signer} → {G2_CA} → {G2_ROOT}" in vi.stdout


def test_the_shipped_pack_does_not_vouch_for_a_generated_look_alike(g2) -> None:
    """Same names as the real G2 hierarchy, other keys: the real pack finds no path."""
    data, _ = _signed(g2)
    (signature,) = _judge(data, load_trust([], ["vn"])).verdict.signatures
    assert signature.verdict is Verdict.INDETERMINATE and signature.path == ()


def test_the_demo_pki_is_unchanged_by_the_generated_hierarchies() -> None:
    """tests/testkit builds both with one certificate builder: the demo root is byte for byte the
    one samples/ carries."""
    pem = TestPKI.generate().root.public_bytes(serialization.Encoding.PEM)
    assert pem == (SAMPLES / "trust" / "root.pem").read_bytes()


def test_a_validation_adds_to_its_own_registry_never_to_the_trust_sets(tmp_path: Path, g2) -> None:
    """Each context's registry is layered over the trust set's, built once: what a file carries
    (here the issuing CA, embedded) is seen by that validation only."""
    from docaudit.signatures.material import trust_material

    trust = load_trust([], [str(_pack(tmp_path / "root-only", "g2-root", g2, "vgca", with_intermediate=False))])
    material = trust_material(trust)
    shared = len(list(material.registry()))
    identity = g2.issue(person_subject("Lê Văn Cường", "UBND huyện Bắc Quang", "Ủy ban nhân dân huyện Bắc Quang",
                                       "002085009876"), embed_chain=True)
    embedded = sign_pdf(render_pdf(DocumentSpec()), identity, field_name="NguoiKy", signing_time=SIGNED_AT)
    (signature,) = _judge(embedded, trust).verdict.signatures
    assert signature.verdict is Verdict.VALID and signature.path[1] == G2_CA  # through the embedded CA
    assert len(list(material.registry())) == shared == 1  # the trust set still holds its root only
    bare, _ = _signed(g2)
    (signature,) = _judge(bare, trust).verdict.signatures  # the next file does not see the last one's CA
    assert signature.verdict is Verdict.INDETERMINATE and signature.path == ()
    registry = material.registry()
    registry.register(load_trust([tmp_path / "root-only" / "root.pem"]).roots[0])  # already the trust set's
    assert registry.added == []


def test_worker_processes_load_the_packs_too(tmp_path: Path, g2) -> None:
    """From 32 files a scan judges in a pool: each worker builds the trust set again, packs included."""
    from docaudit.limits import DEFAULT_LIMITS
    from docaudit.pipeline.executor import MIN_POOL_FILES, judge

    pack = _pack(tmp_path / "g2", "g2-test", g2, "vgca")
    root = tmp_path / "audit"
    (root / "files").mkdir(parents=True)
    data, signer = _signed(g2)
    names = []
    for index in range(MIN_POOL_FILES):
        names.append(f"files/{index:02d}.pdf")
        (root / names[-1]).write_bytes(data)
    settings = ValidationSettings(load_trust([], [str(pack)]))
    found = dict(judge(root, names, settings, (), 2, DEFAULT_LIMITS, (str(pack),)))
    assert {found[n].verdict.verdict for n in names} == {Verdict.VALID}
    assert {found[n].verdict.signatures[0].path for n in names} == {(signer, G2_CA, G2_ROOT)}
