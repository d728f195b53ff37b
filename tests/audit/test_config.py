"""docaudit.toml: a full file, every validation error (file and key named, one line), init."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import MappingProxyType

import pytest

from docaudit.config import SourceConfig, load_config
from docaudit.rules import RuleSelection
from docaudit.errors import ConfigError

from ..cli.helpers import run_cli
from .conftest import TRUST, write_config

FULL = """\
period = "2021-H1"
trust = ["{trust}"]
targets = "default"
validation_time = "signing"
db = "state/audit.sqlite"
jobs = 2
lang = "en"

[[source]]
name = "huyen"
root = "audit"
agencies = ["UBND-BQ", "HU-BQ"]

[[source]]
root = "audit2"
register = "audit2/register.csv"

[output]
dir = "reports"
formats = ["json", "junit"]
html = "reports/{{period}}/audit.html"
annotations = "github"

[rules]
select = ["SIG", "FMT001"]
ignore = ["FMT010"]
[rules.severity]
FMT001 = "warning"
[rules.params.NUM004]
max_listed = 5
[rules.params.FMT009]
font = ["Times New Roman"]
"""


@pytest.fixture
def workdir(tmp_path) -> Path:
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit2").mkdir()
    (tmp_path / "audit2" / "register.csv").write_text("agency\n", encoding="utf-8")
    return tmp_path


def test_full_config(workdir):
    config = load_config(write_config(workdir, FULL.format(trust=TRUST)), dt.date(2021, 8, 1))
    assert [s.root for s in config.sources] == [workdir / "audit", workdir / "audit2"]
    assert config.sources[0].agencies == ("UBND-BQ", "HU-BQ") and config.sources[0].name == "huyen"
    assert config.sources[1].register == workdir / "audit2" / "register.csv"
    assert config.period.label == "2021-H1"
    assert (config.period.period.start, config.period.period.end) == (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    assert config.trust == (str(TRUST),)
    assert config.db == f"sqlite:///{workdir / 'state' / 'audit.sqlite'}"
    assert config.jobs == 2 and config.lang == "en"
    assert config.output.formats == ("json", "junit", "html")
    assert config.output.paths["json"] == workdir / "reports" / "docaudit-report.json"
    assert config.output.paths["html"] == workdir / "reports" / "{period}" / "audit.html"
    assert config.output.annotations == "github"
    rules = config.rules
    assert isinstance(rules, RuleSelection)
    assert rules.select == ("SIG", "FMT001") and rules.ignore == ("FMT010",)
    assert rules.severity == {"FMT001": "warning"}
    assert rules.params["NUM004"]["max_listed"] == 5
    assert rules.params["FMT009"]["font"] == ("Times New Roman",)
    with pytest.raises(TypeError):
        rules.severity["X"] = "error"  # type: ignore[index]
    assert isinstance(rules.params["NUM004"], MappingProxyType)
    # the fingerprint is stable and follows the settings
    again = load_config(workdir / "docaudit.toml", dt.date(2021, 8, 1))
    assert again.rules.fingerprint == rules.fingerprint and again.hash == config.hash
    assert RuleSelection().fingerprint != rules.fingerprint


def test_period_table_and_minimal(workdir):
    config = load_config(write_config(workdir, '[period]\nstart = 2021-01-01\nend = 2021-03-31\n'
                                               '[[source]]\nroot = "audit"\n'))
    assert config.period.period.end == dt.date(2021, 3, 31)
    assert config.rules == RuleSelection() and config.output.formats == ()
    assert config.baseline_path == workdir / "docaudit-baseline.yaml"


GOOD_SOURCE = '[[source]]\nroot = "audit"\n'


@pytest.mark.parametrize("text, key", [
    ('colour = "blue"\n' + GOOD_SOURCE, "colour"),
    ('period = "2021"\n', "source"),
    ('[[source]]\nregister = "x.csv"\n', "source[1].root"),
    ('[[source]]\nroot = "nowhere"\n', "source[1].root"),
    ('[[source]]\nroot = 5\n', "source[1].root"),
    ('[[source]]\nroot = "audit"\nagencies = "UBND-BQ"\nregister = "none.csv"\n', "source[1].register"),
    ('[[source]]\nroot = "audit"\nagencies = [1, 2]\n', "source[1].agencies[0]"),
    ('[[source]]\nroot = "audit"\nfolder = "x"\n', "source[1].folder"),
    ('trust = ["missing.pem"]\n' + GOOD_SOURCE, "trust[0]"),
    ('trust = 3\n' + GOOD_SOURCE, "trust"),
    ('period = "2021-Q5"\n' + GOOD_SOURCE, "period"),
    ('period = 2021\n' + GOOD_SOURCE, "period"),
    ('targets = "no-such-pack"\n' + GOOD_SOURCE, "targets"),
    ('validation_time = "yesterday"\n' + GOOD_SOURCE, "validation_time"),
    ('crypto_policy = "lenient"\n' + GOOD_SOURCE, "crypto_policy"),
    ('crypto_policy = "missing.yaml"\n' + GOOD_SOURCE, "crypto_policy"),
    ('crypto_policy = ["vn"]\n' + GOOD_SOURCE, "crypto_policy"),
    ('jobs = 0\n' + GOOD_SOURCE, "jobs"),
    ('jobs = "4"\n' + GOOD_SOURCE, "jobs"),
    ('lang = "fr"\n' + GOOD_SOURCE, "lang"),
    (GOOD_SOURCE + '[output]\nformats = ["pdf"]\n', "output.formats[0]"),
    (GOOD_SOURCE + '[output]\nannotations = "jenkins"\n', "output.annotations"),
    (GOOD_SOURCE + '[output]\njunit = 3\n', "output.junit"),
    (GOOD_SOURCE + '[output]\nfile = "x"\n', "output.file"),
    (GOOD_SOURCE + '[rules]\nselect = "SIG"\nignore = [1]\n', "rules.ignore[0]"),
    (GOOD_SOURCE + '[rules]\nselect = {a = 1}\n', "rules.select"),
    (GOOD_SOURCE + '[rules]\nenable = ["SIG"]\n', "rules.enable"),
    (GOOD_SOURCE + '[rules.severity]\nFMT001 = "fatal"\n', "rules.severity.FMT001"),
    (GOOD_SOURCE + '[rules.severity]\nFMT001 = 1\n', "rules.severity.FMT001"),
    (GOOD_SOURCE + '[rules]\nparams = {FMT002 = 5}\n', "rules.params.FMT002"),
    (GOOD_SOURCE + '[rules]\nparams = []\n', "rules.params"),
    # typos in rule codes and parameters are errors, not ignored
    (GOOD_SOURCE + '[rules.params.NUM004]\nseriess = "type"\n', "rules.params.NUM004.seriess"),
    (GOOD_SOURCE + '[rules.params.FMT002]\nmax_pages = 20\n', "rules.params.FMT002.max_pages"),
    (GOOD_SOURCE + '[rules.params.NUM999]\nseries = "type"\n', "rules.params.NUM999"),
    (GOOD_SOURCE + '[rules.severity]\nFMT999 = "warning"\n', "rules.severity.FMT999"),
    (GOOD_SOURCE + '[rules]\nselect = ["SIG", "FTM"]\n', "rules.select[1]"),
    (GOOD_SOURCE + '[rules]\nignore = ["SIG0111"]\n', "rules.ignore[0]"),
])
def test_validation_errors_name_file_and_key(workdir, text, key):
    path = write_config(workdir, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: key '{key}'"), message


def test_crypto_policy_by_name_or_file_relative_to_the_config(workdir):
    path = write_config(workdir, 'crypto_policy = "strict"\n' + GOOD_SOURCE)
    config = load_config(path)
    assert config.crypto_policy == "strict" and config.as_json()["crypto_policy"] == "strict"
    (workdir / "policies").mkdir()
    (workdir / "policies" / "mine.yaml").write_text(
        "id: mine\ndigest_algorithms: {sha256: {}}\nsignature_algorithms: {rsassa_pkcs1v15: {}}\n", encoding="utf-8")
    config = load_config(write_config(workdir, 'crypto_policy = "policies/mine.yaml"\n' + GOOD_SOURCE))
    assert config.crypto_policy == str(workdir / "policies" / "mine.yaml")
    (workdir / "policies" / "bad.yaml").write_text("id: bad\ndigest_algorithms: {sha1: {until: 2020}}\n",
                                                   encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(write_config(workdir, 'crypto_policy = "policies/bad.yaml"\n' + GOOD_SOURCE))
    assert "key 'crypto_policy'" in str(info.value) and "digest_algorithms.sha1.until" in str(info.value)
    # a config that names no policy keeps the hash it had before the key existed
    assert "crypto_policy" not in load_config(write_config(workdir, GOOD_SOURCE)).as_json()


def test_toml_syntax_error(workdir):
    path = write_config(workdir, 'period = "2021\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: not valid TOML") and "line 1" in str(info.value)


def test_cli_config_error_exits_2(workdir):
    write_config(workdir, GOOD_SOURCE + '[rules.severity]\nSIG001 = "fatal"\n')
    proc = run_cli("audit", cwd=workdir)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "docaudit.toml" in lines[0] and "rules.severity.SIG001" in lines[0]


def test_cli_usage_errors_exit_2(tmp_path):
    proc = run_cli("audit", cwd=tmp_path)  # no config here, no AUDIT_ROOT
    assert proc.returncode == 2 and "docaudit.toml" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("audit", "--config", tmp_path / "missing.toml", cwd=tmp_path)
    assert proc.returncode == 2 and "missing.toml" in proc.stderr
    proc = run_cli("audit", tmp_path, "--period", "2021-Q9", cwd=tmp_path)
    assert proc.returncode == 2 and "2021-Q9" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_cli_unknown_rule_parameter_exits_2(workdir):
    write_config(workdir, GOOD_SOURCE + '[rules.params.NUM004]\nseriess = "type"\n')
    (workdir / "audit" / "a.pdf").write_bytes(b"%PDF-1.4\n")
    for command in (("audit",), ("scan", "audit"), ("check", "audit/a.pdf")):
        proc = run_cli(*command, cwd=workdir)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and "Traceback" not in proc.stderr, (command, proc.stderr)
        assert "docaudit.toml" in lines[0] and "rules.params.NUM004.seriess" in lines[0]
        assert "series" in lines[0].split("seriess", 2)[-1]  # names the parameters it does have


_CODE_LINE = re.compile(r"^# (\[\[?[\w.]+\]\]?|[A-Za-z_][\w.]* = )")


def _example_blocks(text: str) -> list[list[int]]:
    """The commented-out settings of init's example: each commented table (header and the
    commented lines under it) is one block, every other commented setting a block of its own."""
    lines = text.splitlines()
    blocks: list[list[int]] = []
    in_table = False
    for i, line in enumerate(lines):
        if not _CODE_LINE.match(line):
            in_table = False
            continue
        header = line[2:].startswith("[")
        if in_table and not header:
            blocks[-1].append(i)
        else:
            blocks.append([i])
        in_table = header or in_table
    return blocks


def test_init_example_is_valid_line_by_line_when_uncommented(workdir):
    (workdir / "audit" / "register.csv").write_text("agency\n", encoding="utf-8")
    assert run_cli("init", "--root", "audit", cwd=workdir).returncode == 0
    path = workdir / "docaudit.toml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    blocks = _example_blocks(text)
    assert len(blocks) >= 12 and sum(map(len, blocks)) >= 17  # the example's settings were found
    assert any("[rules.params." in lines[b[0]] for b in blocks)
    for block in [*blocks, [i for b in blocks for i in b]]:  # one at a time, then all at once
        changed = [line[2:] if i in block else line for i, line in enumerate(lines)]
        path.write_text("\n".join(changed) + "\n", encoding="utf-8")
        config = load_config(path)  # raises on any unknown key, rule code or parameter
        assert config.sources[0].root == workdir / "audit"
    assert config.rules.params["NUM004"]["series"] == "type"
    assert config.trust_packs == ("vn",) and config.crypto_policy == "vn"  # both examples, uncommented
    assert config.report.number == "15/BC-UBND" and config.report.recipients == ("UBND tỉnh Hà Giang", "Sở Nội vụ")


def test_init_writes_a_config_that_loads(workdir):
    proc = run_cli("init", "--root", "audit", "--trust", str(TRUST), "--period", "2021-H1", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    config = load_config(workdir / "docaudit.toml")
    assert config.sources[0].root == workdir / "audit"
    assert config.period.label == "2021-H1" and config.trust == (str(TRUST),)
    assert config.output.formats == ("table", "json", "junit")
    text = (workdir / "docaudit.toml").read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented
    again = run_cli("init", cwd=workdir)
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli("init", "--force", "--root", "audit", cwd=workdir).returncode == 0


def test_a_source_root_spelled_two_ways_is_one_folder(tmp_path, monkeypatch):
    """`audit .` from inside the folder and `audit /path/to/it` store the same root and hash
    the same config."""
    (tmp_path / "a").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    here = SourceConfig(Path("."), Path("register.csv"))
    there = SourceConfig(tmp_path / "x" / ".." / "a", tmp_path / "a" / "register.csv")
    assert here == there and here.root == tmp_path / "a" and here.register == tmp_path / "a" / "register.csv"


# --------------------------------------------------------------------------- [report]: who issues the DOCX báo cáo

REPORT = """\
[report]
parent_agency = "UBND tỉnh Hà Giang"
agency = "Ủy ban nhân dân huyện Bắc Quang"
number = "15/BC-UBND"
place = "Bắc Quang"
subject = "Kết quả chuyển văn bản điện tử 6 tháng đầu năm 2021"
recipients = ["UBND tỉnh Hà Giang", "Sở Nội vụ"]
archive = "VT, VP"
authority = "TM. Ủy ban nhân dân"
position = "Chủ tịch"
signer = "Nguyễn Văn An"
"""


def test_report_section(workdir):
    from docaudit.report.settings import ReportSettings

    config = load_config(write_config(workdir, GOOD_SOURCE + REPORT))
    assert config.report == ReportSettings(
        parent_agency="UBND tỉnh Hà Giang", agency="Ủy ban nhân dân huyện Bắc Quang", number="15/BC-UBND",
        place="Bắc Quang", subject="Kết quả chuyển văn bản điện tử 6 tháng đầu năm 2021",
        recipients=("UBND tỉnh Hà Giang", "Sở Nội vụ"), archive="VT, VP", authority=("TM. Ủy ban nhân dân",),
        position="Chủ tịch", signer="Nguyễn Văn An")
    # who signs the report does not change what the audit finds: the config hash ignores it
    assert config.hash == load_config(write_config(workdir, GOOD_SOURCE)).hash
    assert load_config(workdir / "docaudit.toml").report == ReportSettings()  # unset: placeholders


@pytest.mark.parametrize("text, key, problem", [
    (GOOD_SOURCE + '[report]\nsigner_name = "A"\n', "report.signer_name", "unknown key (expected one of: parent_agency, agency"),
    ('report = "x"\n' + GOOD_SOURCE, "report", "expected a table"),
    (GOOD_SOURCE + '[report]\nagency = ""\n', "report.agency", "non-empty string"),
    (GOOD_SOURCE + '[report]\nrecipients = ["Sở Nội vụ", 3]\n', "report.recipients[1]", "non-empty string"),
    (GOOD_SOURCE + '[report]\nauthority = 3\n', "report.authority", "list of strings"),
    (GOOD_SOURCE + '[report]\nnumber = 15\n', "report.number", "non-empty string"),
    (GOOD_SOURCE + '[report]\nnumber = "Số: 15/BC-UBND"\n', "report.number", 'without "Số:"'),
    (GOOD_SOURCE + '[report]\nnumber = "15/QĐ-UBND"\n', "report.number", "number and symbol of a báo cáo"),
    (GOOD_SOURCE + '[report]\nnumber = "15/UBND-VP"\n', "report.number", "number and symbol of a báo cáo"),
    (GOOD_SOURCE + '[report]\nnumber = "04-BC/HU"\n', "report.number", "number and symbol of a báo cáo"),
    (GOOD_SOURCE + '[report]\nnumber = "5/BC-UBND"\n', "report.number", "leading zero (05/BC-UBND)"),
    (GOOD_SOURCE + '[report]\nnumber = "15/bc-UBND"\n', "report.number", "written BC"),
    (GOOD_SOURCE + '[report]\nnumber = "15 / BC-UBND"\n', "report.number", "no spaces"),
    (GOOD_SOURCE + '[report]\nplace = "Bắc Quang, Hà Giang"\n', "report.place", "without a comma"),
    (GOOD_SOURCE + '[report]\nplace = "123"\n', "report.place", "starting with a letter"),
])
def test_report_section_errors_name_file_and_key(workdir, text, key, problem):
    """Only what `docaudit check` passes: a number it reads as a báo cáo's (FMT002–FMT004) in the
    prescribed style (FMT003), a place its date-line rule (FMT005) can read."""
    path = write_config(workdir, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: key '{key}'"), message
    assert problem in message, message


def test_cli_unknown_report_key_exits_2_with_one_line(workdir):
    """audit, and scan and report (which read [rules] and [report] of ./docaudit.toml), refuse a
    misspelt [report] key before any work: exit 2, one line naming the file and the key."""
    write_config(workdir, GOOD_SOURCE + '[report]\nsigner = "Nguyễn Văn An"\nsinger = "Nguyễn Văn An"\n')
    for command in (("audit",), ("scan", "audit", "--format", "docx", "--output", "r.docx"),
                    ("report", "--root", "audit", "--format", "docx", "--output", "r.docx")):
        proc = run_cli(*command, cwd=workdir)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and "Traceback" not in proc.stderr, (command, proc.stderr)
        assert "docaudit.toml" in lines[0] and "key 'report.singer'" in lines[0], lines[0]
        assert proc.stdout == "" and not (workdir / "r.docx").exists()
