"""Contract tests: the real CLI on the bundled samples, every figure of the JSON report checked
against tests/fixtures/samples_expected.json, which was counted by hand from samples/MANIFEST.md."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest

from ..conftest import REPO, SAMPLES
from .helpers import run_cli

EXPECTED = json.loads((REPO / "tests" / "fixtures" / "samples_expected.json").read_text(encoding="utf-8"))
TRUST = SAMPLES / "trust" / "root.pem"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("db") / "samples.sqlite"
    proc = run_cli("scan", SAMPLES, "--trust", TRUST, "--period", "2021-01-01..2021-06-30",
                   "--format", "json", "--db", f"sqlite:///{db}")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _check_figures(actual: dict, expected: dict, where: str) -> None:
    assert actual["total"] == expected["total"], where
    for rate in ("via_software", "paperless"):
        exp, act = expected[rate], actual[rate]
        assert (act["count"], act["claimed"], act["meets_target"]) == (
            exp["count"], exp["claimed"], exp["meets_target"]), f"{where}.{rate}"
        num, den = exp["rate"]
        assert act["rate"] == pytest.approx(float(Fraction(num, den)), abs=1e-12), f"{where}.{rate}.rate"
    for group in ("signatures", "files", "excluded"):
        assert {k: actual[group][k] for k in expected[group]} == expected[group], f"{where}.{group}"


def test_schema_period_and_targets(report: dict) -> None:
    assert report["schema"] == "docaudit.report/1"
    assert report["period"] == EXPECTED["period"]
    assert report["targets"] == EXPECTED["targets"]


def test_agency_figures(report: dict) -> None:
    assert sorted(report["agencies"]) == sorted(EXPECTED["agencies"])
    for agency, expected in EXPECTED["agencies"].items():
        _check_figures(report["agencies"][agency], expected, agency)


def test_overall_figures(report: dict) -> None:
    _check_figures(report["overall"], EXPECTED["overall"], "overall")


def test_entries(report: dict) -> None:
    by_key = {f"{e['agency']}|{e['number']}": e for e in report["entries"]}
    assert len(report["entries"]) == EXPECTED["overall"]["total"]
    for key, expected in EXPECTED["entries"].items():
        entry = by_key[key]
        assert entry["verdict"] == expected["verdict"], key
        assert entry["present"] is expected["present"], key
        if "file_status" in expected:
            assert entry["file_status"] == expected["file_status"], key
        if "reason" in expected:
            reasons = {r for s in entry["signatures"] for r in s["reasons"]}
            assert expected["reason"] in reasons, (key, reasons)
        if "roles" in expected:
            assert [s["role"] for s in entry["signatures"]] == expected["roles"], key
        if "finding" in expected:
            assert expected["finding"] in [f["rule"] for f in entry["findings"]], key
        if "image_only" in expected:
            assert entry["image_only"] is expected["image_only"], key
        if "kind" in expected:
            assert entry["kind"] == expected["kind"], key
    valid = by_key["UBND-BQ|01/QĐ-UBND"]["signatures"][0]
    for key in ("field", "signer", "issuer", "serial", "signing_time", "digest_algorithm", "signature_algorithm", "coverage"):
        assert valid[key], key
    # CMS signingTime is UTCTime: the instant is 09:00 in Vietnam (UTC+7)
    assert dt.datetime.fromisoformat(valid["signing_time"]) == dt.datetime(
        2021, 1, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_row_errors_name_their_rows(report: dict) -> None:
    reasons = {e["row"]: e["reason"] for e in report["row_errors"]}
    assert "31/02/2021" in reasons[18]
    assert "fax" in reasons[27]
    vietnamese = {e["row"]: e["reason_vi"] for e in report["row_errors"]}
    assert vietnamese[27].startswith("hình thức 'fax' không nhận ra được")


def test_without_trust_nothing_is_valid(tmp_path: Path) -> None:
    proc = run_cli("scan", SAMPLES, "--period", "2021-01-01..2021-06-30", "--format", "json", "--no-db")
    assert proc.returncode == 0
    overall = json.loads(proc.stdout)["overall"]
    assert overall["signatures"]["valid"] == 0
    assert overall["signatures"]["invalid"] == 3  # tampered, modified, expired: broken whatever the trust
    assert overall["paperless"]["count"] == 0
    # the note on stderr in the chosen language (Vietnamese by default); the report keeps it in English
    assert "không chứng thư gốc nào được tin cậy" in proc.stderr
    assert any("nothing is trusted" in n for n in json.loads(proc.stdout)["notes"])
    en = run_cli("scan", SAMPLES, "--period", "2021-01-01..2021-06-30", "--format", "json", "--no-db", "--lang", "en")
    assert "nothing is trusted" in en.stderr


def test_table_in_both_languages() -> None:
    vi = run_cli("scan", SAMPLES, "--trust", TRUST, "--period", "2021-01-01..2021-06-30", "--no-db")
    en = run_cli("scan", SAMPLES, "--trust", TRUST, "--period", "2021-01-01..2021-06-30", "--no-db", "--lang", "en")
    assert vi.returncode == en.returncode == 0
    assert "Qua phần mềm" in vi.stdout and "76,92%" in vi.stdout and "✓ 100,00%" in vi.stdout
    assert "Via software" in en.stdout and "76.92%" in en.stdout
    # register row errors in the reader's language
    assert "dòng 18: ngày '31/02/2021' không phải ngày hợp lệ" in vi.stdout
    assert "row 18: date '31/02/2021' is not a valid date" in en.stdout
    for agency in EXPECTED["agencies"]:
        assert agency in vi.stdout and agency in en.stdout


def test_fail_under_target_exits_1() -> None:
    proc = run_cli("scan", SAMPLES, "--trust", TRUST, "--no-db", "--format", "json", "--fail-under-target")
    assert proc.returncode == 1
