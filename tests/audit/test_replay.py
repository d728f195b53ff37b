"""Replayed audits (docaudit.replay): an audit whose inputs did not change since the last one stores
that run's results again as a new, complete run — and any change at all runs the full audit."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from docaudit import digests
from docaudit.cli import main

from .conftest import SIGNED, TRUST, write_config

OUTPUTS = '[output]\nformats = ["json", "junit", "md"]\ndir = "reports"\nannotations = "none"\n'


@pytest.fixture
def trusted(monkeypatch):
    """Files written by the test are seconds old: trust their stat records at once (the racy
    window has its own test)."""
    monkeypatch.setattr(digests, "RACY_NS", 0)


@pytest.fixture
def audit_dir(tmp_path, folder, monkeypatch) -> Path:
    trust = tmp_path / "root.pem"
    trust.write_bytes(TRUST.read_bytes())
    write_config(tmp_path, f'period = "2021"\ntrust = ["{trust}"]\ndb = "state/docaudit.sqlite"\n\n'
                           f'[[source]]\nroot = "audit"\n\n{OUTPUTS}')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCAUDIT_DB", "")
    return tmp_path


def audit(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["audit", *args])
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def report(where: Path) -> dict:
    return json.loads((where / "reports" / "docaudit-report.json").read_text(encoding="utf-8"))


def without_run(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("run_id", "started", "finished", "run")}


def replayed(err: str) -> bool:
    return "nothing changed since run" in err


def test_an_unchanged_audit_is_replayed_as_a_complete_run(audit_dir, capsys, trusted):
    from docaudit.store import Store

    code1, table1, err1 = audit(capsys)
    first = report(audit_dir)
    junit1 = (audit_dir / "reports" / "docaudit-junit.xml").read_text(encoding="utf-8")
    assert not replayed(err1) and first["run"]["replay_of"] is None
    assert first["run"]["documents_evaluated"] == SIGNED + 2

    code2, table2, err2 = audit(capsys)
    second = report(audit_dir)
    assert replayed(err2) and "stored again as run #2" in err2
    assert code2 == code1 == 1  # the sample folder misses its targets: a replay fails the same way
    assert second["run_id"] == second["run"]["id"] == 2 and second["run"]["replay_of"] == 1
    assert (second["run"]["documents_evaluated"], second["run"]["documents_reused"]) == (0, SIGNED + 2)
    assert without_run(second) == without_run(first)  # every figure, entry, finding and baseline mark
    assert "run #2; 0 documents evaluated, 7 reused" in err2
    # the terminal table and the JUnit file are those of the full run, but for the run's number/time
    assert table2.replace("#2", "#1") == table1
    junit2 = (audit_dir / "reports" / "docaudit-junit.xml").read_text(encoding="utf-8")
    assert junit2.count("<testcase") == junit1.count("<testcase") and 'name="run_id" value="2"' in junit2
    assert (audit_dir / "reports" / "docaudit-report.md").read_text(encoding="utf-8").count("\n") > 20

    code3, _, err3 = audit(capsys)  # a replay of a replay
    third = report(audit_dir)
    assert replayed(err3) and third["run"]["replay_of"] == 2 and without_run(third) == without_run(first)

    with Store.open(f"sqlite:///{audit_dir / 'state' / 'docaudit.sqlite'}") as store:
        for run_id, data in ((2, second), (3, third)):
            assert store.load_report(run_id) == data  # the stored report is the one written
            held = store.run_summary(run_id)
            assert (held.entries, held.documents, held.signatures, held.findings, held.row_errors) == (
                (s := store.run_summary(1)).entries, s.documents, s.signatures, s.findings, s.row_errors)
            assert held.status == "done"
        runs = store.runs()
        assert [(r.run_id, r.documents_evaluated, r.documents_reused) for r in runs] == [
            (1, SIGNED + 2, 0), (2, 0, SIGNED + 2), (3, 0, SIGNED + 2)]
        rates = store.agency_rates([1, 3])
        assert [(r.agency, r.paperless_rate) for r in rates if r.run_id == 1] == [
            (r.agency, r.paperless_rate) for r in rates if r.run_id == 3]

    # the stored rows of a replay are its own: the run it replays cannot be deleted under it
    with sqlite3.connect(audit_dir / "state" / "docaudit.sqlite") as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM docaudit_scan_run WHERE id = 1")


def test_history_diff_and_report_read_a_replayed_run(audit_dir, capsys, trusted):
    audit(capsys)
    audit(capsys)
    db = str(audit_dir / "state" / "docaudit.sqlite")
    with pytest.raises(SystemExit):
        main(["diff", "--db", db])
    out = capsys.readouterr().out
    assert "#1" in out and "#2" in out
    with pytest.raises(SystemExit) as done:
        main(["report", "2", "--db", db, "--format", "json"])
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["run"]["replay_of"] == 1
    audit(capsys)  # a replay of the replay: its results are still run 1's
    with pytest.raises(SystemExit):
        main(["history", "--db", db, "--format", "json"])
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [(r["id"], r["results_of"]) for r in runs] == [(1, None), (2, 1), (3, 1)]
    with pytest.raises(SystemExit):
        main(["history", "--db", db])
    assert "#3 (= #1)" in capsys.readouterr().out


def _touch_document(root: Path) -> None:
    path = root / "audit" / "files" / "hu-bq" / "di" / "149-kh-hu.pdf"
    path.write_bytes(path.read_bytes() + b"\n% appended\n")


def _edit_register(root: Path) -> None:
    path = root / "audit" / "register.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Trích yếu valid", "Trích yếu sửa"), encoding="utf-8")


def _trust_bytes(root: Path) -> None:
    path = root / "root.pem"
    path.write_bytes(path.read_bytes() + b"\n")


def _baseline(root: Path) -> None:
    (root / "docaudit-baseline.yaml").write_text("version: 1\naccepted: []\n", encoding="utf-8")


def _config(root: Path) -> None:
    path = root / "docaudit.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('period = "2021"', 'period = "2021-H1"'),
                    encoding="utf-8")


def _remove_document(root: Path) -> None:
    (root / "audit" / "files" / "hu-bq" / "di" / "150-bc-hu.pdf").unlink()


def _new_register_beside(root: Path) -> None:
    (root / "audit" / "register.json").write_text("[]", encoding="utf-8")  # not read: register.csv comes first


@pytest.mark.parametrize("change, evaluated", [
    (_touch_document, 1), (_edit_register, None), (_trust_bytes, None), (_baseline, 0), (_config, None),
    (_remove_document, 0), (_new_register_beside, 0),
])
def test_any_change_runs_the_full_audit(audit_dir, capsys, trusted, change, evaluated):
    audit(capsys)
    change(audit_dir)
    _, _, err = audit(capsys)
    run = report(audit_dir)["run"]
    assert not replayed(err) and run["replay_of"] is None
    if evaluated is not None:  # the incremental cache still spares what did not change
        assert run["documents_evaluated"] == evaluated
    _, _, err = audit(capsys)  # and once recorded again, the next unchanged audit replays
    assert replayed(err)


@pytest.mark.parametrize("flag", ["--no-cache", "--rehash"])
def test_no_cache_and_rehash_never_replay(audit_dir, capsys, trusted, flag):
    audit(capsys)
    _, _, err = audit(capsys, flag)
    assert not replayed(err)


def test_a_csv_output_needs_the_scan(audit_dir, capsys, trusted):
    audit(capsys)
    _, out, err = audit(capsys, "--format", "csv")
    assert not replayed(err)
    assert "agency" in out.splitlines()[0] and len(out.splitlines()) > 5


def test_files_changed_within_the_racy_window_are_not_trusted(audit_dir, capsys, monkeypatch):
    """A file written in the same clock tick as the audit read it could change again without
    changing its stat record: such an audit records no key, and the next one runs in full."""
    monkeypatch.setattr(digests, "RACY_NS", 3600 * 10**9)  # every file of the test is "fresh"
    audit(capsys)
    _, _, err = audit(capsys)
    assert not replayed(err)
    with sqlite3.connect(audit_dir / "state" / "docaudit.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM docaudit_run_inputs").fetchone()[0] == 0


def test_a_baseline_entry_expiring_overnight_runs_the_full_audit(audit_dir, capsys, trusted, monkeypatch):
    import docaudit.periods as periods

    audit(capsys)
    first = report(audit_dir)
    entry = next(e for e in first["entries"] if any(f["severity"] == "error" for f in e["findings"]))
    finding = next(f for f in entry["findings"] if f["severity"] == "error")
    day = dt.date(2026, 3, 1)
    (audit_dir / "docaudit-baseline.yaml").write_text(
        f"version: 1\naccepted:\n- rule: {finding['rule']}\n  sha256: {entry['sha256']}\n"
        f"  number: '{entry['number']}'\n  reason: accepted until today\n  expires: {day.isoformat()}\n",
        encoding="utf-8")
    monkeypatch.setattr(periods, "today", lambda: day)
    audit(capsys)
    accepted = report(audit_dir)["baseline"]["accepted"]
    assert accepted >= 1
    _, _, err = audit(capsys)
    assert replayed(err) and report(audit_dir)["baseline"]["accepted"] == accepted
    monkeypatch.setattr(periods, "today", lambda: day + dt.timedelta(days=1))
    _, _, err = audit(capsys)
    assert not replayed(err)
    assert report(audit_dir)["baseline"]["accepted"] == accepted - 1


def test_every_run_scoped_table_is_copied_with_its_foreign_keys():
    """The copy of a run must follow the schema: a table added or a foreign key added to a
    run-scoped table without a rule here would make replayed runs incomplete."""
    from docaudit import replay
    from docaudit.store import _tables as T

    copied = {table: changes for table, changes, _ in replay.COPIES}
    assert sorted([*copied, *replay.NOT_COPIED]) == sorted(t.name for t in T.TABLES)
    for table in T.TABLES:
        if table.name not in copied:
            continue
        for fk in table.foreign_keys:
            column = fk.parent.name
            assert column in copied[table.name], f"{table.name}.{column} is not remapped"
            target = fk.column.table.name
            if target != "docaudit_scan_run":
                assert target in replay.SHIFTED and f"{{{target}}}" in copied[table.name][column]
        if table.name in replay.SHIFTED:
            assert copied[table.name]["id"] == f"id + {{{table.name}}}"


def test_the_report_text_reuses_the_stored_entries_exactly():
    from docaudit.replay import report_text
    from docaudit.jsonstream import dumps

    from ..report.helpers import samples_report

    stored = json.loads(json.dumps(samples_report()))
    old_text = dumps(stored, indent=2, one_line_items=True)
    stored["run_id"], stored["started"] = 99, "2026-11-28T00:00:00+00:00"
    stored["run"] = {"id": 99, "documents_reused": 3}
    assert report_text(stored, old_text) == dumps(stored, indent=2, one_line_items=True)
    compact = dumps(stored)  # a report stored by an older docaudit: encoded again
    assert report_text(stored, compact) == dumps(stored, indent=2, one_line_items=True)
    empty = {**stored, "entries": []}
    assert report_text(empty, dumps(empty, indent=2, one_line_items=True)) == dumps(empty, indent=2,
                                                                                   one_line_items=True)


@pytest.mark.parametrize("url, expected", [
    ("sqlite:////tmp/a.sqlite", "/tmp/a.sqlite"), ("sqlite:///rel/a.sqlite", "rel/a.sqlite"),
    ("sqlite://", None), ("sqlite:///:memory:", None), ("postgresql://u:p@h/db", None),
    ("sqlite:///a.sqlite?mode=ro", None),
])
def test_only_plain_sqlite_files_are_replayed(url, expected):
    from docaudit.replay import sqlite_file

    found = sqlite_file(url)
    assert (str(found) if found else None) == expected


# --------------------------------------------------------------------------- what the probe found


def test_a_baseline_changed_while_the_audit_runs_is_not_recorded_as_its_input(audit_dir, capsys, trusted, monkeypatch):
    """The key is taken before the audit reads anything and compared after: a baseline swapped
    between the two must not be recorded as the one the results were computed with."""
    import docaudit.audit as audit_module

    (audit_dir / "docaudit-baseline.yaml").write_text("version: 1\naccepted: []\n", encoding="utf-8")
    audit(capsys)
    first = report(audit_dir)
    entry = next(e for e in first["entries"] if any(f["severity"] == "error" for f in e["findings"]))
    finding = next(f for f in entry["findings"] if f["severity"] == "error")
    accepting = (f"version: 1\naccepted:\n- rule: {finding['rule']}\n  sha256: {entry['sha256']}\n"
                 f"  number: '{entry['number']}'\n  reason: checked\n")
    real_load = audit_module.load_baseline

    def load_then_swap(path):
        loaded = real_load(path)  # the run goes on with the empty baseline …
        (audit_dir / "docaudit-baseline.yaml").write_text(accepting, encoding="utf-8")  # … which changes now
        return loaded

    monkeypatch.setattr(audit_module, "load_baseline", load_then_swap)
    _touch_document(audit_dir)
    audit(capsys)
    assert report(audit_dir)["baseline"]["accepted"] == 0
    monkeypatch.setattr(audit_module, "load_baseline", real_load)
    _, _, err = audit(capsys)
    assert not replayed(err) and report(audit_dir)["baseline"]["accepted"] == 1


def test_a_damaged_stored_report_is_not_replayed(audit_dir, capsys, trusted):
    audit(capsys)
    audit(capsys)
    with sqlite3.connect(audit_dir / "state" / "docaudit.sqlite") as conn:
        conn.execute("UPDATE docaudit_scan_run SET report_json = '{}' WHERE id = 1")
    code, _, err = audit(capsys)
    assert not replayed(err) and code == 1  # the full audit: the sample folder still misses its targets
    assert len(report(audit_dir)["entries"]) > 5


def _settings(config_dir: Path):
    from docaudit.config import find_config, load_config
    from docaudit.replay import settings_digest

    config = load_config(find_config(None, config_dir), dt.date(2026, 11, 28))
    return settings_digest(config, dt.date(2026, 11, 28))


def test_the_key_covers_rule_data_through_links_and_target_packs_named_from_anywhere(audit_dir, monkeypatch, tmp_path):
    import shutil

    from docaudit.rules_data import rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    moved = tmp_path / "targets-elsewhere"
    (rules / "targets").rename(moved)
    (rules / "targets").symlink_to(moved, target_is_directory=True)
    (tmp_path / "outside.yaml").write_text((moved / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("DOCAUDIT_RULES_DIR", str(rules))
    config = audit_dir / "docaudit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('period = "2021"',
                                                                 'period = "2021"\ntargets = "../outside"'),
                      encoding="utf-8")
    before = _settings(audit_dir)
    assert _settings(audit_dir) == before  # the same inputs, the same key
    pack = moved / "default.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")  # behind a link
    edited = _settings(audit_dir)
    assert edited != before  # and not remembered from the first call in this process
    named = tmp_path / "outside.yaml"  # the pack ../outside names: rules/targets is a link to a sibling
    named.write_text(named.read_text(encoding="utf-8").replace("0.9", "0.1"), encoding="utf-8")
    assert _settings(audit_dir) != edited


def test_fifos_and_devices_among_the_inputs_are_named_not_read(audit_dir, tmp_path):
    import os

    from docaudit.replay import _Reading

    _file_digest = _Reading().file
    fifo = audit_dir / "audit" / "register.json"  # a name a register may be found under
    os.mkfifo(fifo)
    assert _file_digest(fifo).startswith("special:")
    assert _file_digest(Path("/dev/zero")).startswith("special:")
    trust = tmp_path / "trust-folder"
    trust.mkdir()
    (trust / "root.pem").write_bytes(TRUST.read_bytes())
    os.mkfifo(trust / "pipe.pem")
    (trust / "zero.pem").symlink_to("/dev/zero")
    config = audit_dir / "docaudit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(f'trust = ["{audit_dir / "root.pem"}"]',
                                                                 f'trust = ["{trust}"]'), encoding="utf-8")
    assert len(_settings(audit_dir).digest) == 64  # returned: nothing blocked or ran away


def test_an_input_rewritten_with_the_same_bytes_during_the_run_is_not_trusted(audit_dir, capsys, trusted,
                                                                             monkeypatch):
    """An export job rewriting the register in place (even with the same bytes in the end) while
    the audit reads it: the results may come from a half-written file, so the run's key is not
    recorded — the rewrite shows in the file's ctime, which the key holds beside its bytes."""
    import docaudit.audit as audit_module

    register = audit_dir / "audit" / "register.csv"
    real_load = audit_module.load_baseline
    (audit_dir / "docaudit-baseline.yaml").write_text("version: 1\naccepted: []\n", encoding="utf-8")
    audit(capsys)

    def load_while_rewriting(path):
        register.write_bytes(register.read_bytes())  # same bytes, new write
        return real_load(path)

    monkeypatch.setattr(audit_module, "load_baseline", load_while_rewriting)
    _touch_document(audit_dir)
    audit(capsys)
    monkeypatch.setattr(audit_module, "load_baseline", real_load)
    _, _, err = audit(capsys)
    assert not replayed(err)  # run 2's inputs were not recorded: this one ran in full …
    _, _, err = audit(capsys)
    assert replayed(err)  # … and recorded them


def test_two_sources_replay_with_their_own_counts_and_any_change_in_either_runs_in_full(tmp_path, capsys,
                                                                                       trusted, monkeypatch):
    from .conftest import ROWS, build_folder

    build_folder(tmp_path / "one")
    build_folder(tmp_path / "two", rows=ROWS[:4])
    write_config(tmp_path, f'period = "2021"\ntrust = ["{TRUST}"]\ndb = "state/docaudit.sqlite"\n\n'
                           '[[source]]\nname = "one"\nroot = "one"\nagencies = ["UBND-BQ"]\n\n'
                           f'[[source]]\nroot = "two"\n\n{OUTPUTS}')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCAUDIT_DB", "")
    audit(capsys)
    first = report(tmp_path)
    _, _, err = audit(capsys)
    second = report(tmp_path)
    assert replayed(err) and without_run(second) == without_run(first)
    assert [(s["documents_evaluated"], s["documents_reused"]) for s in second["run"]["sources"]] == [
        (0, s["documents_evaluated"] + s["documents_reused"]) for s in first["run"]["sources"]]
    register = tmp_path / "two" / "register.csv"
    register.write_text(register.read_text(encoding="utf-8").replace("Trích yếu valid", "Trích yếu mới"),
                        encoding="utf-8")
    _, _, err = audit(capsys)
    assert not replayed(err)


@pytest.mark.parametrize("read_only_root", [False, True])
def test_a_replay_uses_the_database_the_full_audit_uses(tmp_path, folder, capsys, trusted, monkeypatch,
                                                        read_only_root):
    """No `db` in the config: the root's .docaudit/, or for a read-only root the user cache (the
    same function names it for both)."""
    from docaudit import store_location

    write_config(tmp_path, f'period = "2021"\ntrust = ["{TRUST}"]\n\n[[source]]\nroot = "audit"\n\n{OUTPUTS}')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCAUDIT_DB", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if read_only_root:
        monkeypatch.setattr(store_location, "_is_writable", lambda folder_: False)
    audit(capsys)
    _, _, err = audit(capsys)
    assert replayed(err)
    where = (tmp_path / "cache" / "docaudit") if read_only_root else (folder / ".docaudit")
    assert [p.suffix for p in where.glob("*.sqlite")] == [".sqlite"]
    if read_only_root:
        assert not (folder / ".docaudit").exists()
