"""`docaudit trust list|show`, `--trust-pack` on scan/check/audit and `trust_packs` in docaudit.toml:
what a user sees, in Vietnamese and English, and the one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docaudit.config import load_config

from ..conftest import SAMPLES
from .helpers import run_cli

TRUST = SAMPLES / "trust" / "root.pem"
PERIOD = "2021-01-01..2021-06-30"


def test_trust_list_in_both_languages() -> None:
    vi = run_cli("trust", "list")
    assert vi.returncode == 0 and vi.stderr == ""
    assert "vn-gov" in vi.stdout and "Gốc tin cậy" in vi.stdout and "Ban Cơ yếu Chính phủ" in vi.stdout
    en = run_cli("trust", "list", "--lang", "en", "--format", "json")
    packs = {p["pack"]: p for p in json.loads(en.stdout)["packs"]}
    assert (packs["vn"]["anchors"], packs["vn"]["intermediates"], packs["vn"]["listed"]) == (9, 63, 3)
    assert (packs["vn-gov"]["anchors"], packs["vn-gov"]["intermediates"]) == (2, 7)


@pytest.mark.parametrize("lang, confirm, anchor", [("vi", "cần xác nhận trước khi phát hành", "gốc tin cậy"),
                                                    ("en", "confirm before release", "anchor")])
def test_trust_show_prints_name_fingerprint_validity_status(lang, confirm, anchor) -> None:
    proc = run_cli("trust", "show", "vn", "--lang", lang)
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    assert "RootCA chuyên dùng Chính phủ G2" in out
    assert "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8" in out  # whole, on one line
    assert "2018-08-22 → 2048-08-14" in out
    assert sum(1 for line in out.splitlines() if confirm in line and "⚠" in line) >= 4  # the 2025 roots, marked
    assert anchor in out and "rootca.gov.vn" in out and "openssl x509" in out and "certutil" in out


def test_trust_show_json_lists_every_certificate_with_its_provenance() -> None:
    data = json.loads(run_cli("trust", "show", "vn", "--format", "json").stdout)
    assert len(data["certificates"]) == 75
    g1 = next(c for c in data["certificates"] if c["file"] == "vgca-rootca-g1-2010.pem")
    assert g1["status"] == "anchor" and g1["hierarchy"] == "vgca" and g1["key"] == "RSA 2048 / sha1"
    assert g1["sha256"] == "f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90"
    assert g1["sources"] == 4 and g1["found"] and "NĐ 68/2024" in g1["reference"]


@pytest.mark.parametrize("args", [("trust", "show", "vn-all"), ("check", str(TRUST.parent.parent / "check"),
                                                                 "--trust-pack", "vn-all")])
def test_an_unknown_pack_is_one_line_exit_2(args) -> None:
    if args[0] == "check":
        args = ("check", str(SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf"), "--trust-pack", "vn-all")
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "docaudit: error: unknown trust pack 'vn-all' (known: vn, vn-gov)"


def test_scan_with_a_bad_pack_file_exits_2_before_scanning(tmp_path: Path) -> None:
    bad = tmp_path / "pack.yaml"
    bad.write_text("id: mine\ncertificates: []\n", encoding="utf-8")
    proc = run_cli("scan", SAMPLES, "--no-db", "--trust-pack", bad)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "key 'certificates' must list" in proc.stderr


def test_without_roots_scan_and_check_name_the_vietnamese_pack() -> None:
    check = run_cli("check", SAMPLES / "files" / "ubnd-bq" / "di" / "01-qd-ubnd.pdf", "--lang", "en")
    (line,) = [line for line in check.stdout.splitlines() if "No --trust roots given" in line]
    assert "--trust-pack vn" in line
    scan = run_cli("scan", SAMPLES, "--no-db", "--format", "json", "--period", PERIOD)
    (note,) = json.loads(scan.stdout)["notes"]
    assert "--trust-pack vn" in note


def test_scan_with_the_vn_pack_beside_the_demo_root_changes_no_verdict() -> None:
    """The pack adds roots and intermediates; the demo documents still validate through the demo root
    alone, and the report names the pack."""
    plain = json.loads(run_cli("scan", SAMPLES, "--no-db", "--format", "json", "--period", PERIOD,
                               "--trust", TRUST, "--jobs", "1").stdout)
    proc = run_cli("scan", SAMPLES, "--no-db", "--format", "json", "--period", PERIOD, "--trust", TRUST,
                   "--trust-pack", "vn", "--jobs", "1")
    with_pack = json.loads(proc.stdout)
    assert [p["pack"] for p in with_pack["trust"]["packs"]] == ["vn"] and plain["trust"]["packs"] == []
    assert with_pack["trust"]["fingerprint"] != plain["trust"]["fingerprint"]
    assert len(with_pack["trust"]["certificates"]) == 73 and with_pack["notes"] == []
    assert [(e["verdict"], [s["verdict"] for s in e["signatures"]]) for e in with_pack["entries"]] == \
           [(e["verdict"], [s["verdict"] for s in e["signatures"]]) for e in plain["entries"]]
    assert with_pack["overall"] == plain["overall"]


def test_trust_packs_in_the_config(tmp_path: Path) -> None:
    (tmp_path / "docaudit.toml").write_text(
        f'trust_packs = ["vn-gov"]\n[[source]]\nroot = "{SAMPLES}"\n', encoding="utf-8")
    config = load_config(tmp_path / "docaudit.toml")
    assert config.trust_packs == ("vn-gov",) and config.as_json()["trust_packs"] == ["vn-gov"]
    # a config without packs hashes as it did before packs existed
    (tmp_path / "plain.toml").write_text(f'[[source]]\nroot = "{SAMPLES}"\n', encoding="utf-8")
    assert "trust_packs" not in load_config(tmp_path / "plain.toml").as_json()


def test_a_pack_file_in_the_config_is_relative_to_it(tmp_path: Path) -> None:
    from docaudit.rules_data import trust_dir

    text = (trust_dir() / "vn-gov.yaml").read_text(encoding="utf-8").replace("certs/", f"{trust_dir() / 'certs'}/")
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "mine.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "docaudit.toml").write_text(
        f'trust_packs = ["packs/mine.yaml"]\n[[source]]\nroot = "{SAMPLES}"\n', encoding="utf-8")
    assert load_config(tmp_path / "docaudit.toml").trust_packs == (str(tmp_path / "packs" / "mine.yaml"),)


@pytest.mark.parametrize("value, words", [('["vn-all"]', "unknown trust pack 'vn-all'"),
                                          ("[1]", "expected"), ('["missing.yaml"]', "no such file")])
def test_a_bad_trust_packs_setting_names_the_key(tmp_path: Path, value: str, words: str) -> None:
    (tmp_path / "docaudit.toml").write_text(f'trust_packs = {value}\n[[source]]\nroot = "{SAMPLES}"\n',
                                            encoding="utf-8")
    proc = run_cli("audit", "--config", tmp_path / "docaudit.toml", "--no-db")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "trust_packs[0]" in proc.stderr and words in proc.stderr and "Traceback" not in proc.stderr
