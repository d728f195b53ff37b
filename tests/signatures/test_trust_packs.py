"""The shipped trust packs (rules/trust/*.yaml): every fingerprint matches its file, every file is
listed, the statuses become the right roles, every anchor is self-signed and every intermediate
verifies under its root (signature checked, validity ignored). And how packs enter a trust set:
its fingerprint, the roles of certificates given beside them, bad packs (exit 2)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from cryptography import x509 as cx509
from cryptography.hazmat.primitives.asymmetric import padding

from docaudit.errors import TrustError
from docaudit.rules_data import trust_dir
from docaudit.signatures import load_trust
from docaudit.signatures.packs import ANCHOR_STATUSES, load_pack, pack_names, shipped_hierarchies

from ..conftest import SAMPLES

TRUST_DIR = trust_dir()
CERTS = TRUST_DIR / "certs"
DEMO_ROOT = SAMPLES / "trust" / "root.pem"


def _entries(name: str) -> list[dict]:
    return yaml.safe_load((TRUST_DIR / f"{name}.yaml").read_text(encoding="utf-8"))["certificates"]


def _der(path: Path) -> bytes:
    from asn1crypto import pem

    data = path.read_bytes()
    return pem.unarmor(data)[2] if pem.detect(data) else data


def test_the_shipped_packs() -> None:
    assert pack_names() == ["vn", "vn-gov"]


@pytest.mark.parametrize("name", ["vn", "vn-gov"])
def test_every_fingerprint_matches_its_file(name: str) -> None:
    for entry in _entries(name):
        der = _der(TRUST_DIR / entry["file"])
        assert hashlib.sha256(der).hexdigest().upper() == entry["sha256"], entry["file"]
        assert cx509.load_der_x509_certificate(der).subject.rfc4514_string()  # a certificate
    load_pack(name)  # the loader checks the same


def test_every_file_is_listed_and_vn_lists_them_all() -> None:
    files = {p.name for p in CERTS.iterdir()}
    listed = {Path(e["file"]).name for name in pack_names() for e in _entries(name)}
    assert files == listed
    assert {Path(e["file"]).name for e in _entries("vn")} == files
    assert len(files) == 75


def test_a_certificate_is_described_alike_in_every_pack() -> None:
    described: dict[str, dict] = {}
    for name in pack_names():
        for entry in _entries(name):
            assert described.setdefault(entry["file"], entry) == entry, (name, entry["file"])


def test_every_entry_says_where_it_comes_from() -> None:
    for entry in _entries("vn"):
        assert entry["status"] in ("anchor", "anchor-confirm", "intermediate", "not-trusted")
        assert entry["hierarchy"] in ("vgca", "neac")
        assert entry["reference"] and entry["valid"]["from"] < entry["valid"]["until"]
        assert entry["provenance"]["sources"] >= 1 and entry["provenance"]["found"], entry["file"]


def test_statuses_become_roles() -> None:
    pack = load_pack("vn")
    store = load_trust([], ["vn"])
    by_status = {status: {c.sha256 for c in pack.certificates if c.status == status}
                 for status in ("anchor", "anchor-confirm", "intermediate", "not-trusted")}
    roots = {c.sha256.hex() for c in store.roots}
    intermediates = {c.sha256.hex() for c in store.intermediates}
    assert roots == by_status["anchor"] | by_status["anchor-confirm"]  # "confirm before release" included
    assert intermediates == by_status["intermediate"]  # for path building only, never anchors
    assert not (roots | intermediates) & by_status["not-trusted"]  # listed, not used
    assert len(by_status["anchor-confirm"]) == 4 and len(by_status["not-trusted"]) == 3
    assert {c["pack"] for c in store.describe()} == {"vn"}


def test_vn_gov_holds_the_ban_co_yeu_hierarchies_only() -> None:
    store = load_trust([], ["vn-gov"])
    names = sorted(c.subject.native["common_name"] for c in store.roots)
    assert names == ["Co quan chung thuc so chuyen dung Chinh phu (RootCA)", "RootCA chuyên dùng Chính phủ G2"]
    assert len(store.intermediates) == 7
    assert set(store.hierarchies.values()) == {"vgca"}


def _signed_by(cert: cx509.Certificate, issuer: cx509.Certificate) -> bool:
    """The certificate's signature verifies with the issuer's key (SHA-1 included: the G1 and MIC
    hierarchies are SHA-1; validity periods are not looked at)."""
    try:
        issuer.public_key().verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                                   cert.signature_hash_algorithm)
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.parametrize("name", ["vn", "vn-gov"])
def test_every_anchor_is_self_signed(name: str) -> None:
    for entry in _entries(name):
        if entry["status"] in ANCHOR_STATUSES:
            cert = cx509.load_der_x509_certificate(_der(TRUST_DIR / entry["file"]))
            assert cert.subject == cert.issuer and _signed_by(cert, cert), entry["file"]


@pytest.mark.parametrize("name", ["vn", "vn-gov"])
def test_every_intermediate_verifies_up_to_an_anchor_of_its_pack(name: str) -> None:
    entries = _entries(name)
    certs = {e["file"]: cx509.load_der_x509_certificate(_der(TRUST_DIR / e["file"])) for e in entries}
    status = {e["file"]: e["status"] for e in entries}
    hierarchy = {e["file"]: e["hierarchy"] for e in entries}
    for entry in entries:
        if entry["status"] != "intermediate":
            continue
        current, seen = entry["file"], set()
        while status[current] not in ANCHOR_STATUSES:
            seen.add(current)
            issuers = [f for f, c in certs.items() if c.subject == certs[current].issuer
                       and _signed_by(certs[current], c)]
            assert issuers, f"{current}: no issuer in the pack verifies its signature"
            assert hierarchy[issuers[0]] == hierarchy[entry["file"]], current
            current = issuers[0]
            assert current not in seen
        assert status[current] in ANCHOR_STATUSES, entry["file"]


def test_shipped_certificates_are_known_by_fingerprint_when_given_with_trust() -> None:
    """A root given with --trust that is the Ban Cơ yếu's (the same bytes) is known for what it is."""
    g2 = CERTS / "vgca-rootca-g2-2018.pem"
    store = load_trust([g2])
    assert store.hierarchy_of(store.roots[0]) == "vgca"
    national = load_trust([CERTS / "neac-vietnam-national-root-ca-sha256-2014.pem"])
    assert national.hierarchy_of(national.roots[0]) == "neac"
    assert load_trust([DEMO_ROOT]).hierarchy_of(load_trust([DEMO_ROOT]).roots[0]) is None
    assert len(shipped_hierarchies()) == 72  # every certificate but the three not trusted by default


# --------------------------------------------------------------------------- the trust set


def test_the_fingerprint_covers_the_packs_and_is_unchanged_without_them(tmp_path: Path) -> None:
    demo = load_trust([DEMO_ROOT])
    # the value every report of the samples has carried since before packs (docs/REPORT.md)
    assert demo.fingerprint == "946c16ba106b83f46b11f5ec769ca2c045fe8f6e8baceaf749fee2cdeae8d02a"
    vn = load_trust([DEMO_ROOT], ["vn"])
    assert vn.fingerprint != demo.fingerprint and vn.packs[0].id == "vn"
    # the same certificates with one status changed: another trust set, another fingerprint
    text = (TRUST_DIR / "vn-gov.yaml").read_text(encoding="utf-8")
    text = text.replace("certs/", f"{CERTS}/")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    g1_root = "vgca-rootca-g1-2010.pem\n"
    changed = text.replace(g1_root + text.split(g1_root, 1)[1].split("status: anchor", 1)[0] + "status: anchor",
                           g1_root + text.split(g1_root, 1)[1].split("status: anchor", 1)[0] + "status: intermediate", 1)
    assert changed != text
    (tmp_path / "b.yaml").write_text(changed, encoding="utf-8")
    a, b = load_trust([], [str(tmp_path / "a.yaml")]), load_trust([], [str(tmp_path / "b.yaml")])
    assert {c.sha256 for c in (*a.roots, *a.intermediates)} == {c.sha256 for c in (*b.roots, *b.intermediates)}
    assert len(a.roots) == 2 and len(b.roots) == 1
    assert a.fingerprint != b.fingerprint


def test_an_issuing_ca_given_beside_a_pack_that_has_its_root_only_helps_path_building() -> None:
    g2_ca = CERTS / "vgca-g2-ca-co-quan-nha-nuoc.pem"
    alone = load_trust([g2_ca])
    assert len(alone.roots) == 1 and alone.describe()[0]["role"] == "anchor"  # trusted as asked
    with_pack = load_trust([g2_ca], ["vn-gov"])
    assert "CA phục vụ các cơ quan Nhà nước G2" not in {c.subject.native["common_name"] for c in with_pack.roots}
    assert next(c for c in with_pack.describe() if "Nhà nước G2" in c["subject"])["role"] == "intermediate"


def test_a_worker_process_builds_the_same_trust_set() -> None:
    from docaudit.pipeline import executor

    store = load_trust([DEMO_ROOT], ["vn-gov"])
    paths, packs = store.spec
    executor._init_worker(paths, "signing", executor.DEFAULT_LIMITS, packs)
    assert executor._worker_settings.trust.fingerprint == store.fingerprint


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace("status: anchor\n", "status: trusted\n", 1), "status: 'trusted' is not one of"),
    (lambda t: t.replace("sha256: F7BC", "sha256: 07BC", 1), "has SHA-256 F7BC"),
    (lambda t: t.replace("    key: ", "    kee: ", 1), "unknown key 'kee'"),
    (lambda t: t.replace("certs/vgca-rootca-g1-2010.pem", "certs/missing.pem", 1), "cannot be read"),
    (lambda t: t.replace("hierarchy: vgca", "hierarchy: gov", 1), "hierarchy: 'gov'"),
    (lambda t: "id: x\n", "'certificates' must list"),
])
def test_a_bad_pack_is_refused_naming_the_key(tmp_path: Path, edit, words) -> None:
    text = (TRUST_DIR / "vn-gov.yaml").read_text(encoding="utf-8").replace("certs/", f"{CERTS}/")
    path = tmp_path / "pack.yaml"
    path.write_text(edit(text), encoding="utf-8")
    with pytest.raises(TrustError, match=words) as caught:
        load_trust([], [str(path)])
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_an_unknown_pack_name_lists_the_known_ones() -> None:
    with pytest.raises(TrustError, match=r"unknown trust pack 'vn-all' \(known: vn, vn-gov\)"):
        load_trust([], ["vn-all"])


def test_a_changed_certificate_file_is_refused(tmp_path: Path) -> None:
    text = (TRUST_DIR / "vn-gov.yaml").read_text(encoding="utf-8")
    (tmp_path / "certs").mkdir()
    for path in CERTS.glob("vgca-*.pem"):
        (tmp_path / "certs" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "certs" / "vgca-rootca-g2-2018.pem").write_bytes((CERTS / "vgca-rootca-g1-2010.pem").read_bytes())
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(TrustError, match="vgca-rootca-g2-2018.pem has SHA-256 F7BC"):
        load_trust([], [str(tmp_path / "pack.yaml")])
