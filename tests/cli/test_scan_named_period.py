"""`scan --period` takes the named periods `audit` takes (2021-Q1, 2021-03, 2021, last-month …)."""

from __future__ import annotations

import json

from ..conftest import SAMPLES
from .helpers import run_cli


def _scan(period: str, **env: str) -> dict:
    proc = run_cli("scan", SAMPLES, "--period", period, "--format", "json", "--no-db", env=env or None)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return {"period": report["period"], "agencies": report["agencies"]}


def test_named_periods_are_their_date_ranges():
    assert _scan("2021-Q1") == _scan("2021-01-01..2021-03-31")
    assert _scan("2021-H1")["period"] == _scan("2021-01-01..2021-06-30")["period"]
    assert _scan("2021-03")["period"] == _scan("2021-03-01..2021-03-31")["period"]
    assert _scan("last-month", DOCAUDIT_TODAY="2021-04-15")["period"] == _scan("2021-03")["period"]


def test_an_unknown_period_name_exits_2_in_one_line():
    proc = run_cli("scan", SAMPLES, "--period", "2021-Q5", "--no-db")
    assert proc.returncode == 2 and "2021-Q5" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
