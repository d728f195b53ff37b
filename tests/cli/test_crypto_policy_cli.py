"""--crypto-policy on the command line: scan, check and audit; errors exit 2 with one line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.testkit.documents import DocumentSpec, render_pdf
from tests.testkit.g1 import g1
from tests.testkit.signing import sign_pdf

from ..conftest import SAMPLES
from .helpers import run_cli

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize("command", [
    ("scan", str(SAMPLES), "--no-db"),
    ("check", str(SAMPLES / "check" / "dung-the-thuc.pdf")),
    ("audit", str(SAMPLES), "--no-db"),
])
def test_a_bad_policy_exits_2_with_one_line(command, tmp_path):
    for value, words in (("lenient", "unknown crypto policy 'lenient'"), ("none.yaml", "no such file"),
                         ("", "expected a crypto policy name")):
        proc = run_cli(*command, "--crypto-policy", value, cwd=tmp_path)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and proc.stdout == "" and len(lines) == 1, proc.stderr
        assert "--crypto-policy" in lines[0] and words in lines[0] and "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def g1_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("g1cli")
    (folder / "g1-root.pem").write_bytes(g1().root_pem())
    signed = sign_pdf(render_pdf(DocumentSpec()), g1().official(), field_name="NguoiKy",
                      signing_time=dt.datetime(2018, 1, 15, 9, 0, tzinfo=VN), md_algorithm="sha1")
    (folder / "qd-2018.pdf").write_bytes(signed)
    return folder


def test_check_follows_the_policy(g1_files):
    document, root = g1_files / "qd-2018.pdf", g1_files / "g1-root.pem"
    default = run_cli("check", document, "--trust", root, "--format", "json", "--lang", "en")
    assert default.stderr == ""
    report = json.loads(default.stdout)
    assert report["crypto_policy"]["id"] == "vn"
    (doc,) = report["documents"]
    assert doc["verdict"] == "valid"
    assert ("SIG007", "warning") in {(f["rule"], f["severity"]) for f in doc["findings"]}
    strict = json.loads(run_cli("check", document, "--trust", root, "--format", "json",
                                "--crypto-policy", "strict").stdout)
    assert strict["crypto_policy"]["id"] == "strict"
    assert strict["documents"][0]["verdict"] == "indeterminate"
    assert strict["documents"][0]["signatures"][0]["reasons"] == ["CRYPTO_CONSTRAINTS_FAILURE"]


def test_scan_records_the_policy_and_the_samples_do_not_change(tmp_path):
    args = ("scan", SAMPLES, "--trust", SAMPLES / "trust" / "root.pem", "--format", "json", "--no-db")
    default = json.loads(run_cli(*args, cwd=tmp_path).stdout)
    strict = json.loads(run_cli(*args, "--crypto-policy", "strict", cwd=tmp_path).stdout)
    assert default["crypto_policy"]["id"] == "vn" and strict["crypto_policy"]["id"] == "strict"
    # every sample signature is SHA-256 with RSA-2048: both policies judge them alike
    assert default["overall"] == strict["overall"]
    assert [e["verdict"] for e in default["entries"]] == [e["verdict"] for e in strict["entries"]]
