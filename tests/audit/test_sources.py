"""Several sources make one run; the agency filter of a source."""

from __future__ import annotations

import datetime as dt
import unicodedata

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


# --------------------------------------------------------------------------- one agency, two registers

FIRST = "UBND huyện Bắc Quang"
OTHER = unicodedata.normalize("NFD", "UBND  Huyện  Bắc Quang")  # decomposed, capital H, two spaces


def _two_spellings(tmp_path, order=("one", "two")):
    """The UBND-BQ rows split over two registers, each spelling the agency its own way; source two
    also has a duplicate, an out-of-period row and a row that cannot be read."""
    ubnd = [r for r in ROWS if r[0] == "UBND-BQ"]
    build_folder(tmp_path / "one", [(FIRST, *r[1:]) for r in ubnd[:3]])
    two = build_folder(tmp_path / "two", [(OTHER, *r[1:]) for r in ubnd[3:]])
    register = two / "register.csv"
    register.write_text(register.read_text(encoding="utf-8")
                        + f"{OTHER},outgoing,06/GM-UBND,QĐ,2021-03-22,dup,x,electronic,yes,\n"
                        + f"{OTHER},outgoing,99/QĐ-UBND,QĐ,2020-12-31,old,x,paper,no,\n"
                        + f"{OTHER},outgoing,98/QĐ-UBND,QĐ,2021-02-30,bad,x,paper,no,\n", encoding="utf-8")
    sources = "".join(f'[[source]]\nroot = "{name}"\n\n' for name in order)
    (tmp_path / "docaudit.toml").write_text(
        f'period = "2021"\ntrust = ["{TRUST}"]\ndb = "db.sqlite"\n\n{sources}', encoding="utf-8")
    return load_config(tmp_path / "docaudit.toml")


def test_an_agency_spelled_two_ways_in_two_registers_is_one_agency_under_its_first_spelling(tmp_path):
    from docaudit.report import breakdown as bd
    from docaudit.report import junit

    report = run_audit(_two_spellings(tmp_path), today=dt.date(2022, 1, 1)).report
    data = report.to_json()
    assert list(data["agencies"]) == [FIRST]
    figures = data["agencies"][FIRST]
    assert figures["total"] == 6 and figures["excluded"] == {"duplicate": 1, "out_of_period": 1, "unparsable": 1}
    assert {e["agency"] for e in data["entries"]} == {FIRST}
    assert {e["agency"] for e in data["row_errors"]} == {FIRST}
    # every breakdown of the agency holds both registers' entries
    for dimension in bd.DIMENSIONS:
        assert sum(g.total for g in bd.breakdown(report, dimension, FIRST)) == 6, dimension
    assert [(g.key, g.total) for g in bd.breakdown(report, "doc_type", FIRST)] == [("QĐ", 6)]
    # findings by rule: one column for the agency, each finding counted once
    for row in bd.findings_by_rule(report):
        assert list(row.by_agency) == [FIRST] and row.by_agency[FIRST] == row.total
    missing = next(r for r in bd.findings_by_rule(report) if r.rule == "file-missing")
    assert missing.total == 1
    # JUnit: the documents of the second register are test cases of the agency too
    cases = [c.get("name") for c in junit.build(report, "en").iter("testcase")
             if c.get("classname", "").endswith(".documents")]
    assert any("07/KH-UBND" in name for name in cases) and any("03/QĐ-UBND" in name for name in cases)


def test_history_and_diff_fold_spellings_across_runs(tmp_path):
    """Run 1 reads register one first, run 2 register two first: each run names the agency as it
    saw it first, and history and diff still see one agency, under the spelling seen first."""
    from docaudit.history import diff_reports, history
    from docaudit.store import Store

    first = run_audit(_two_spellings(tmp_path), today=dt.date(2022, 1, 1))
    second = run_audit(_two_spellings(tmp_path, order=("two", "one")), today=dt.date(2022, 1, 1))
    assert list(first.report.agencies) == [FIRST]
    second_name = unicodedata.normalize("NFC", "UBND Huyện Bắc Quang")
    assert list(second.report.agencies) == [second_name]  # the reader folds spaces and the Unicode form
    with Store.open(first.db_url) as store:
        runs = history(store)["runs"]
        only = history(store, OTHER)["runs"]
        diff = diff_reports(store.load_report(1), store.load_report(2), 1, 2)
    assert [list(r["agencies"]) for r in runs] == [[FIRST], [FIRST]]
    assert [r["id"] for r in only] == [1, 2]
    assert [row["agency"] for row in diff["agencies"]] == [FIRST]
    assert diff["agencies"][0]["status"] == "both" and diff["agencies"][0]["total"] == {"from": 6, "to": 6}
    assert diff["verdict_changes"] == [] and diff["new_errors"] == [] and diff["resolved_errors"] == []
    assert diff["entries_added"] == diff["entries_removed"] == 0
