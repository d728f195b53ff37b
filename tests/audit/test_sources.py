"""Several sources make one run; the agency filter of a source."""

from __future__ import annotations

import datetime as dt

from docaudit.audit import run_audit
from docaudit.config import load_config

from .conftest import ROWS, TRUST, build_folder


def test_two_sources_one_run(tmp_path):
    first = build_folder(tmp_path / "one", [r for r in ROWS if r[0] != "SO-TTTT"])
    second = build_folder(tmp_path / "two", [r for r in ROWS if r[0] in ("SO-TTTT", "HU-BQ")])
    (second / "register.csv").write_text(
        (second / "register.csv").read_text(encoding="utf-8") + "HU-BQ,outgoing,9/X,QĐ,2021-13-01,x,y,electronic,yes,\n",
        encoding="utf-8")
    (tmp_path / "docaudit.toml").write_text(
        f'period = "2021"\ntrust = ["{TRUST}"]\ndb = "db.sqlite"\n\n'
        f'[[source]]\nname = "one"\nroot = "one"\nagencies = ["ubnd-bq"]\n\n'
        f'[[source]]\nroot = "two"\n', encoding="utf-8")
    run = run_audit(load_config(tmp_path / "docaudit.toml"), today=dt.date(2022, 1, 1))
    report = run.report.to_json()
    assert set(report["agencies"]) == {"UBND-BQ", "SO-TTTT", "HU-BQ"}
    assert report["agencies"]["UBND-BQ"]["total"] == 6  # source one, filtered to UBND-BQ
    assert report["agencies"]["HU-BQ"]["total"] == 2  # only source two's HU-BQ rows
    assert report["agencies"]["HU-BQ"]["excluded"]["unparsable"] == 1
    assert report["overall"]["total"] == 9
    assert {e["source"] for e in report["entries"]} == {0, 1}
    assert {e["root"] for e in report["entries"] if e["agency"] == "SO-TTTT"} == {str(second)}
    assert [s["root"] for s in report["sources"]] == [str(first), str(second)]
    assert [s["name"] for s in report["run"]["sources"]] == ["one", None]
    assert report["row_errors"][0]["reason"].startswith("register.csv: ")
    assert run.documents_evaluated == 7 and run.run_id == 1
    # the HU-BQ files of both folders have the same bytes: the second run reuses every one
    again = run_audit(load_config(tmp_path / "docaudit.toml"), today=dt.date(2022, 1, 1))
    assert (again.documents_evaluated, again.documents_reused) == (0, 7)


def test_a_copy_in_another_source_is_judged_again_in_the_same_run(tmp_path):
    """'Reused' means judged by an earlier run, also across the sources of one run."""
    build_folder(tmp_path / "one", [r for r in ROWS if r[0] == "HU-BQ"])
    build_folder(tmp_path / "two", [r for r in ROWS if r[0] == "HU-BQ"])  # the same bytes
    (tmp_path / "docaudit.toml").write_text(
        f'period = "2021"\ntrust = ["{TRUST}"]\ndb = "db.sqlite"\n\n'
        f'[[source]]\nroot = "one"\n\n[[source]]\nroot = "two"\n', encoding="utf-8")
    run = run_audit(load_config(tmp_path / "docaudit.toml"), today=dt.date(2022, 1, 1))
    assert (run.documents_evaluated, run.documents_reused) == (4, 0)
    again = run_audit(load_config(tmp_path / "docaudit.toml"), today=dt.date(2022, 1, 1))
    assert (again.documents_evaluated, again.documents_reused) == (0, 4)
