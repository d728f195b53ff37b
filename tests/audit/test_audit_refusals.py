"""An audit that cannot deliver what its config asks for fails before anything is scanned or
stored (exit 2, one line naming the file and key): binary reports on stdout, output paths that
cannot be written, unset environment variables, an agency filter that matches nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import basic_config
from ..cli.helpers import run_cli


def _one_line(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[:200], proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def _nothing_stored(workdir: Path) -> bool:
    return not (workdir / "state").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_binary_report_is_refused_on_stdout(tmp_path, folder, fmt) -> None:
    basic_config(tmp_path, folder)
    proc = run_cli("audit", "--format", fmt, "--quiet", cwd=tmp_path)
    assert "give --output" in _one_line(proc) and proc.stdout == ""
    assert _nothing_stored(tmp_path)


@pytest.mark.parametrize(("output", "words"), [
    ('json = "rep/{foo}.json"', "unknown placeholder {foo}"),
    ('json = "rep/{period!r}.json"', "unknown placeholder {period!r}"),
    ('json = "rep/{run_id:>5}.json"', "unknown placeholder {run_id:>5}"),
    ('junit = "/proc/docaudit-none/junit.xml"', "cannot create the folder"),
])
def test_an_output_path_that_cannot_be_written_fails_before_the_run_is_stored(tmp_path, folder, output, words) -> None:
    basic_config(tmp_path, folder, extra=f'\n[output]\nformats = ["json"]\n{output}\n')
    line = _one_line(run_cli("audit", "--quiet", cwd=tmp_path))
    assert words in line and "output path for" in line
    assert _nothing_stored(tmp_path)


def test_an_output_path_that_is_a_folder_is_refused(tmp_path, folder) -> None:
    (tmp_path / "out").mkdir()
    basic_config(tmp_path, folder, extra='\n[output]\nformats = ["json"]\njson = "out"\n')
    assert "is a folder" in _one_line(run_cli("audit", "--quiet", cwd=tmp_path))
    assert not list((tmp_path).glob("out*.tmp")) and _nothing_stored(tmp_path)


def test_an_unset_environment_variable_in_a_path_is_refused(tmp_path, folder) -> None:
    config = basic_config(tmp_path, folder, db="${DOCAUDIT_TEST_UNSET_VAR_2}/x.sqlite")
    line = _one_line(run_cli("audit", "--config", config, "--quiet", cwd=tmp_path))
    assert "key 'db'" in line and "DOCAUDIT_TEST_UNSET_VAR_2 is not set" in line
    assert not list(tmp_path.glob("$*")) and not list(tmp_path.glob("${*"))


def test_an_agency_filter_that_matches_no_register_agency_is_refused(tmp_path, folder) -> None:
    config = basic_config(tmp_path, folder)
    text = config.read_text(encoding="utf-8") + 'agencies = ["UBND-BQ", "NOPE"]\n'
    config.write_text(text, encoding="utf-8")
    line = _one_line(run_cli("audit", "--quiet", cwd=tmp_path))
    assert "key 'source[1].agencies'" in line and "'NOPE'" in line and "HU-BQ" in line
    assert _nothing_stored(tmp_path)


def test_a_trust_file_that_is_not_a_certificate_names_the_key_in_one_short_line(tmp_path, folder) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_bytes(bytes(range(256)) * 20)
    config = basic_config(tmp_path, folder, trust=False)
    config.write_text(f'trust = ["{junk}"]\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    line = _one_line(run_cli("audit", "--quiet", cwd=tmp_path))
    assert "key 'trust'" in line and "junk.pem" in line and len(line) < 300


def test_the_run_object_names_each_rule_pack_and_its_version(tmp_path, folder) -> None:
    basic_config(tmp_path, folder)
    proc = run_cli("audit", "--format", "json", "--quiet", "--exit-zero", cwd=tmp_path)
    packs = {p["pack"]: p["version"] for p in json.loads(proc.stdout)["run"]["rule_pack"]["packs"]}
    assert {"signatures", "safety"} <= set(packs) and all(packs.values())
