"""``docaudit.toml``: what ``docaudit audit`` runs — sources, trust, period, targets, rules, outputs.

Found in the current folder, or given with ``--config PATH``; parsed with :mod:`tomllib`. Every
problem is a :class:`~docaudit.errors.ConfigError` whose one-line message names the file and the
key (``docaudit.toml: key 'source[2].root': expected a string``). Relative paths are relative to
the folder of the config file.

The ``[rules]`` table is read into a :class:`~docaudit.rules.RuleSelection`; every rule code and
parameter it names must exist in the rule packs (a misspelt one is an error, not ignored).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from .errors import ConfigError, DocauditError
from .limits import DEFAULT_LIMITS, Limits
from .periods import NamedPeriod, resolve_period
from .pipeline.options import check_online_timeout, parse_validation_time
from .register.profile import NO_PROFILE, ProfileError, RegisterProfile
from .report.settings import ReportSettings
from .rules import nd30
from .rules.roles import parse_overrides
from .rules.schema import load_rules
from .rules.selection import RuleSelection
from .signatures.crypto_policy import load_crypto_policy
from .signatures.online import DEFAULT_TIMEOUT
from .signatures.packs import load_pack
from .targets import load_targets

CONFIG_NAME = "docaudit.toml"
BASELINE_NAME = "docaudit-baseline.yaml"
SEVERITIES = ("error", "warning", "info")
REPORT_FORMATS = ("table", "json", "csv", "html", "xlsx", "docx", "md")
"""Formats of the report itself (html/xlsx/docx/md come from ``docaudit.report.render``)."""
CI_FORMATS = ("junit", "codequality")
"""CI artefacts: JUnit XML, GitLab Code Quality JSON."""
OUTPUT_FORMATS = REPORT_FORMATS + CI_FORMATS
DEFAULT_FILENAMES = {
    "table": "docaudit-report.txt",
    "json": "docaudit-report.json",
    "csv": "docaudit-report.csv",
    "html": "docaudit-report.html",
    "xlsx": "docaudit-report.xlsx",
    "docx": "docaudit-report.docx",
    "md": "docaudit-report.md",
    "junit": "docaudit-junit.xml",
    "codequality": "docaudit-codequality.json",
}
ANNOTATIONS = ("auto", "github", "gitlab", "none")
LANGS = ("vi", "en")

_TOP_KEYS = ("db", "period", "targets", "trust", "trust_packs", "validation_time", "jobs", "lang", "baseline",
             "rehash", "source", "output", "rules", "report", "crypto_policy",
             "online", "online_timeout")  # online revocation (issue 16 item 4)
_SOURCE_KEYS = ("name", "root", "register", "agencies", "columns", "constants", "period_column", "sheet")
_OUTPUT_KEYS = ("dir", "formats", "annotations", "csv_excel", *OUTPUT_FORMATS)
_RULES_KEYS = ("select", "ignore", "severity", "params", "roles")
_REPORT_KEYS = ("parent_agency", "agency", "number", "place", "subject", "recipients", "archive", "authority",
                "position", "signer")


# --------------------------------------------------------------------------- the rules section


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


# --------------------------------------------------------------------------- the whole file


@dataclass(frozen=True)
class SourceConfig:
    root: Path
    register: Path | None = None
    agencies: tuple[str, ...] = ()
    """Only these agencies (exact code, case-insensitive); empty = every agency."""
    name: str | None = None
    profile: RegisterProfile = NO_PROFILE
    """How to read this source's register unchanged: column mapping, constants, period column."""

    def __post_init__(self) -> None:
        # one spelling per folder ("." and "/srv/audit/../audit" are /srv/audit): the stored runs
        # and the config hash must not depend on where the command was started
        object.__setattr__(self, "root", Path(os.path.abspath(self.root)))
        if self.register is not None:
            object.__setattr__(self, "register", Path(os.path.abspath(self.register)))


@dataclass(frozen=True)
class OutputConfig:
    formats: tuple[str, ...] = ()
    paths: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    """Format → file (``{period}``, ``{run_id}`` and ``{date}`` are filled in when written)."""
    annotations: str = "auto"
    csv_excel: bool = False
    """Every CSV the audit writes is for Excel on Windows: a UTF-8 byte-order mark, CRLF line ends."""

    def path_for(self, fmt: str) -> Path | None:
        return self.paths.get(fmt)


@dataclass(frozen=True)
class AuditConfig:
    """Everything one ``docaudit audit`` run needs (from a file, or from ``scan``-style options)."""

    sources: tuple[SourceConfig, ...]
    base: Path
    """Folder that relative paths were resolved against (the config file's folder, or the cwd)."""
    path: Path | None = None
    """The config file, or ``None`` when built from command-line options."""
    trust: tuple[str, ...] = ()
    trust_packs: tuple[str, ...] = ()
    """Trust packs (names, or pack files resolved against the config's folder)."""
    period: NamedPeriod = field(default_factory=lambda: resolve_period("all"))
    targets: str | None = None
    validation_time: str | dt.datetime = "signing"
    db: str | None = None
    jobs: int | None = None
    lang: str = "vi"
    lang_given: bool = False
    """Whether ``lang`` was chosen (in the file or on the command line), not left to its default:
    an error is then said in that language alone."""
    baseline: Path | None = None
    """Baseline file named in the config; ``None`` = ``docaudit-baseline.yaml`` beside it, if any."""
    output: OutputConfig = field(default_factory=OutputConfig)
    rules: RuleSelection = field(default_factory=RuleSelection)
    report: ReportSettings = field(default_factory=ReportSettings)
    """Who issues the DOCX báo cáo (``[report]``); only the rendering uses it, so it is not part of
    :attr:`hash`."""
    limits: Limits = DEFAULT_LIMITS
    """Per-document limits (``--timeout``, ``--max-file-size``)."""
    crypto_policy: str | None = None
    """The crypto policy's name or YAML file (``crypto_policy``, ``--crypto-policy``); ``None``: ``vn``."""
    rehash: bool = False
    """Read and hash every file every run, never trusting an unchanged stat record (``--rehash``;
    for file systems whose inode numbers or timestamps cannot be trusted). Results are the same
    either way, so it is not part of :attr:`hash`."""
    # online revocation (issue 16 item 4)
    online: bool = False
    """Fetch the CRLs and OCSP responses the certificates name (``online = true``, ``--online``)."""
    online_timeout: float = DEFAULT_TIMEOUT
    """Seconds each CRL or OCSP request may take (``online_timeout``, ``--online-timeout``)."""

    def as_json(self) -> dict[str, Any]:
        """The effective settings (what the config hash covers)."""
        return {
            "sources": [
                {"root": str(s.root), "register": str(s.register) if s.register else None,
                 "agencies": list(s.agencies), "name": s.name,
                 **({"profile": s.profile.as_json()} if not s.profile.empty else {})}
                for s in self.sources
            ],
            "trust": list(self.trust),
            # only when used: the hash of a config without packs stays what it was
            **({"trust_packs": list(self.trust_packs)} if self.trust_packs else {}),
            "period": {"label": self.period.label, "range": self.period.resolved},
            "targets": self.targets,
            "validation_time": str(self.validation_time),
            "rules": self.rules.as_json(),
            # only when set: the hash of a config that does not name a policy stays as it was
            **({"crypto_policy": self.crypto_policy} if self.crypto_policy else {}),
            # online revocation changes verdicts: in the hash, only when on (offline hashes stay as they were)
            **({"online": True, "online_timeout": self.online_timeout} if self.online else {}),
        }

    @property
    def hash(self) -> str:
        text = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def baseline_path(self) -> Path:
        return self.baseline or (self.base / BASELINE_NAME)


def db_url_from(value: str, base: Path | None = None) -> str:
    """A SQLAlchemy URL as given, or a plain path meaning a SQLite file (relative to ``base``,
    default the current folder): ``--db`` and ``db`` in docaudit.toml take both. Where the database
    is when neither is given: ``docaudit.store.locate``."""
    if "://" in value:
        return value
    file = Path(os.path.expanduser(value))
    return f"sqlite:///{file if file.is_absolute() else (base or Path.cwd()) / file}"


def find_config(explicit: str | Path | None = None, cwd: Path | None = None,
                root: Path | None = None) -> Path | None:
    """``--config PATH`` (must exist), else ``docaudit.toml`` in ``cwd``, else (for a command
    given an audit folder) in ``root``; ``None`` if none."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        return path
    for folder in (cwd or Path.cwd(), root):
        if folder is not None and (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


_ENV_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


class _Reader:
    """Type checks that raise ``ConfigError('<file>: key '<key>': …')``."""

    def __init__(self, path: Path) -> None:
        self.file = path
        self.base = path.resolve().parent

    def expand(self, text: str, key: str, braced_only: bool = False) -> str:
        """``$VAR`` and ``${VAR}`` replaced from the environment; one that is not set is an error
        (left as it is, it would become a folder named ``${VAR}``). ``braced_only``: a bare
        ``$word`` left alone may be meant (a database password), so only ``${VAR}`` must be set."""
        expanded = os.path.expandvars(text)
        for unset in _ENV_VARIABLE.finditer(expanded):
            if not (braced_only and unset.group(1) is None):
                raise self.fail(key, f"environment variable {unset.group(1) or unset.group(2)} is not set")
        return expanded

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.file}: key '{key}': {problem}")

    def unknown(self, table: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                where = f"{prefix}.{key}" if prefix else key
                raise self.fail(where, f"unknown key (expected one of: {', '.join(allowed)})")

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {_show(value)}")
        return value.strip()

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of strings, got {_show(value)}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(value))

    def table(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {_show(value)}")
        return value

    def pack(self, text: str, key: str, load: Callable[[str], Any]) -> str:
        """A pack setting (targets, trust pack, crypto policy): a shipped pack's name, or a YAML
        file relative to the config file; loaded once here so that a bad one names ``key``."""
        candidate = self.path(text, key)
        spec = str(candidate) if text.lower().endswith((".yaml", ".yml")) or candidate.exists() else text
        try:
            load(spec)
        except DocauditError as exc:
            raise self.fail(key, str(exc)) from None
        return spec

    def path(self, value: Any, key: str) -> Path:
        text = self.expand(os.path.expanduser(self.string(value, key)), key)
        path = Path(text)
        return path if path.is_absolute() else self.base / path


def _show(value: Any) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value))
    if kind is None:
        kind = f"a {type(value).__name__}"
    text = repr(value)
    return f"{kind} ({text[:40]}{'…' if len(text) > 40 else ''})" if not isinstance(value, (list, dict)) else kind


def parse_rules(table: Any, reader: _Reader) -> RuleSelection:
    rules = reader.table(table, "rules")
    reader.unknown(rules, _RULES_KEYS, "rules")
    select = reader.strings(rules.get("select", []), "rules.select")
    ignore = reader.strings(rules.get("ignore", []), "rules.ignore")
    severity: dict[str, str] = {}
    for code, level in reader.table(rules.get("severity", {}), "rules.severity").items():
        if not isinstance(level, str) or level.lower() not in SEVERITIES:
            raise reader.fail(f"rules.severity.{code}", f"expected one of {', '.join(SEVERITIES)}, got {_show(level)}")
        severity[code] = level.lower()
    params: dict[str, Mapping[str, Any]] = {}
    for code, values in reader.table(rules.get("params", {}), "rules.params").items():
        params[code] = reader.table(values, f"rules.params.{code}")
    roles: tuple[Any, ...] = ()
    if "roles" in rules:

        roles = parse_overrides(rules["roles"], "rules.roles",
                                lambda problem: ConfigError(f"{reader.file}: key {problem}"))
    selection = RuleSelection(select, ignore, _freeze(severity), _freeze(params), roles)
    if select or ignore or severity or params:  # the packs are read only when a code is named
        try:
            pack = load_rules()
        except DocauditError as exc:
            raise reader.fail("rules", str(exc)) from None
        for key, problem in selection.unknown_names(pack):
            raise reader.fail(f"rules.{key}", problem)
    return selection


def parse_profile(table: Mapping[str, Any], reader: _Reader, key: str) -> RegisterProfile:
    """The register profile of one ``[[source]]``: ``[source.columns]``, ``[source.constants]``
    and ``period_column``; each value checked, an error names its key."""
    columns = dict(reader.table(table.get("columns", {}), f"{key}.columns"))
    constants = dict(reader.table(table.get("constants", {}), f"{key}.constants"))
    period_column = reader.string(table["period_column"], f"{key}.period_column") if "period_column" in table else None
    sheet = reader.string(table["sheet"], f"{key}.sheet") if "sheet" in table else None
    try:
        return RegisterProfile(columns, constants, period_column, sheet)
    except ProfileError as exc:
        raise reader.fail(f"{key}.{exc.key}", exc.problem) from None


_NUMBER_PROBLEMS = {
    "leading-zero": "a number below 10 takes a leading zero (05/BC-UBND)",
    "spaces": "a number and symbol has no spaces (15/BC-UBND)",
    "case": "the type code of a báo cáo is written BC (15/BC-UBND)",
}


def parse_report(table: Any, reader: _Reader) -> ReportSettings:
    """The ``[report]`` section: who issues and signs the DOCX báo cáo. The number and the place
    are checked as ``docaudit check`` reads them (FMT002–FMT005), so that the report passes."""
    section = reader.table(table, "report")
    reader.unknown(section, _REPORT_KEYS, "report")
    values: dict[str, Any] = {}
    for key in ("parent_agency", "agency", "subject", "archive", "position", "signer"):
        if key in section:
            values[key] = reader.string(section[key], f"report.{key}")
    for key in ("recipients", "authority"):
        if key in section:
            values[key] = reader.strings(section[key], f"report.{key}")
    if "place" in section:
        place = reader.string(section["place"], "report.place")
        if not re.fullmatch(r"[^\W\d_][^\n,]{0,60}", place):
            raise reader.fail("report.place", f"expected a place name of at most 60 characters, starting with a "
                                              f"letter, without a comma or line break (e.g. \"Bắc Quang\"), got "
                                              f"{_show(place)}")
        values["place"] = place
    if "number" in section:
        text = reader.string(section["number"], "report.number")
        number = nd30.parse_number(text)
        if number.family not in ("state", "state-legal") or number.doc_type != "BC":
            raise reader.fail("report.number", f"expected the number and symbol of a báo cáo, e.g. \"15/BC-UBND\" "
                                               f"(without \"Số:\"), got {_show(text)}")
        if number.problems:
            problem = number.problems[0]
            raise reader.fail("report.number", f"'{text}': {_NUMBER_PROBLEMS.get(problem, problem)}")
        values["number"] = number.raw
    return ReportSettings(**values)


def source_profile(path: Path, root: Path, register: Path | None = None) -> RegisterProfile:
    """The register profile that ``path`` (a ``docaudit.toml``) gives the source at ``root``
    (and ``register``, when both name one): what ``docaudit scan`` reads the register with.
    Only the ``[[source]]`` tables are read, so a scan is not refused for an unrelated setting."""
    reader = _Reader(path)
    data = _read_toml(path)
    raw_sources = data.get("source", [])
    if isinstance(raw_sources, dict):
        raw_sources = [raw_sources]
    if not isinstance(raw_sources, list):
        raise reader.fail("source", "expected one or more [[source]] tables")

    def same(a: Path, b: Path) -> bool:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))

    for i, raw in enumerate(raw_sources, 1):
        key = f"source[{i}]"
        table = reader.table(raw, key)
        if "root" not in table or not same(reader.path(table["root"], f"{key}.root"), root):
            continue
        if register is not None and "register" in table and not same(reader.path(table["register"], f"{key}.register"), register):
            continue
        reader.unknown(table, _SOURCE_KEYS, key)
        return parse_profile(table, reader, key)
    return NO_PROFILE


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load_config(path: str | Path, today: dt.date | None = None) -> AuditConfig:
    """Read and validate ``path``. Raises :class:`ConfigError` naming the file and key."""
    path = Path(path)
    reader = _Reader(path)
    data = _read_toml(path)
    reader.unknown(data, _TOP_KEYS, "")

    raw_sources = data.get("source")
    if raw_sources is None:
        raise reader.fail("source", "missing: add at least one [[source]] table with a 'root'")
    if isinstance(raw_sources, dict):
        raw_sources = [raw_sources]
    if not isinstance(raw_sources, list) or not raw_sources:
        raise reader.fail("source", "expected one or more [[source]] tables")
    sources = []
    for i, raw in enumerate(raw_sources, 1):
        key = f"source[{i}]"
        table = reader.table(raw, key)
        reader.unknown(table, _SOURCE_KEYS, key)
        if "root" not in table:
            raise reader.fail(f"{key}.root", "missing: the audit folder of this source")
        root = reader.path(table["root"], f"{key}.root")
        if not root.is_dir():
            raise reader.fail(f"{key}.root", f"no such folder: {root}")
        register = reader.path(table["register"], f"{key}.register") if "register" in table else None
        if register is not None and not register.is_file():
            raise reader.fail(f"{key}.register", f"no such file: {register}")
        agencies = reader.strings(table.get("agencies", []), f"{key}.agencies")
        name = reader.string(table["name"], f"{key}.name") if "name" in table else None
        sources.append(SourceConfig(root, register, agencies, name, parse_profile(table, reader, key)))

    raw_trust = data.get("trust", [])
    trust = tuple(str(reader.path(item, f"trust[{i}]")) for i, item in enumerate(reader.strings(raw_trust, "trust")))
    for i, item in enumerate(trust):
        if not Path(item).exists():
            raise reader.fail(f"trust[{i}]", f"no such file or folder: {item}")

    trust_packs = [reader.pack(item, f"trust_packs[{i}]", load_pack)
                   for i, item in enumerate(reader.strings(data.get("trust_packs", []), "trust_packs"))]

    period = _period(data.get("period"), reader, today)

    targets = reader.pack(reader.string(data["targets"], "targets"), "targets", load_targets) if "targets" in data else None

    validation_time: str | dt.datetime = "signing"
    if "validation_time" in data:
        value = data["validation_time"]
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        text = reader.string(value, "validation_time")

        try:
            validation_time = parse_validation_time(text)
        except DocauditError:
            raise reader.fail("validation_time", f"'{text}' is not 'signing', 'now' or an ISO date") from None

    crypto_policy = (reader.pack(reader.string(data["crypto_policy"], "crypto_policy"), "crypto_policy",
                                 load_crypto_policy) if "crypto_policy" in data else None)

    db = None
    if "db" in data:
        db = db_url_from(reader.expand(reader.string(data["db"], "db"), "db", braced_only=True), reader.base)

    jobs = data.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise reader.fail("jobs", f"expected a positive integer, got {_show(jobs)}")

    lang = data.get("lang", "vi")
    if lang not in LANGS:
        raise reader.fail("lang", f"expected one of {', '.join(LANGS)}, got {_show(lang)}")

    baseline = reader.path(data["baseline"], "baseline") if "baseline" in data else None
    rehash = data.get("rehash", False)
    if not isinstance(rehash, bool):
        raise reader.fail("rehash", f"expected true or false, got {_show(rehash)}")
    output = _output(data.get("output", {}), reader)
    rules = parse_rules(data.get("rules", {}), reader)
    report = parse_report(data.get("report", {}), reader)
    online, online_timeout = _online(data, reader)
    return AuditConfig(
        sources=tuple(sources), base=reader.base, path=path, trust=trust, trust_packs=tuple(trust_packs),
        period=period, targets=targets, validation_time=validation_time, db=db, jobs=jobs, lang=lang,
        lang_given="lang" in data, baseline=baseline, output=output, rules=rules, report=report, rehash=rehash,
        crypto_policy=crypto_policy, online=online, online_timeout=online_timeout,
    )


def _online(data: Mapping[str, Any], reader: _Reader) -> tuple[bool, float]:
    """``online`` and ``online_timeout`` (online revocation, issue 16 item 4)."""
    online = data.get("online", False)
    if not isinstance(online, bool):
        raise reader.fail("online", f"expected true or false, got {_show(online)}")
    timeout = data.get("online_timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise reader.fail("online_timeout", f"expected a number of seconds, got {_show(timeout)}")
    try:
        return online, check_online_timeout(timeout)
    except DocauditError:
        raise reader.fail("online_timeout", f"expected seconds above 0 and at most 600, got {_show(timeout)}") from None


def _period(value: Any, reader: _Reader, today: dt.date | None) -> NamedPeriod:
    if value is None:
        return resolve_period("all")
    if isinstance(value, dict):
        reader.unknown(value, ("start", "end"), "period")
        ends = []
        for side in ("start", "end"):
            item = value.get(side)
            if item is None or isinstance(item, dt.date) and not isinstance(item, dt.datetime):
                ends.append(item.isoformat() if item else "")
            elif isinstance(item, str):
                ends.append(item)
            else:
                raise reader.fail(f"period.{side}", f"expected a date (YYYY-MM-DD), got {_show(item)}")
        value = "..".join(ends)
    if not isinstance(value, str):
        raise reader.fail("period", f"expected a period name or START..END, got {_show(value)}")
    try:
        return resolve_period(value, today)
    except DocauditError as exc:
        raise reader.fail("period", str(exc)) from None


def _output(value: Any, reader: _Reader) -> OutputConfig:
    table = reader.table(value, "output")
    reader.unknown(table, _OUTPUT_KEYS, "output")
    formats = reader.strings(table.get("formats", []), "output.formats")
    for i, fmt in enumerate(formats):
        if fmt not in OUTPUT_FORMATS:
            raise reader.fail(f"output.formats[{i}]", f"'{fmt}' is not one of {', '.join(OUTPUT_FORMATS)}")
    folder = reader.path(table["dir"], "output.dir") if "dir" in table else reader.base
    paths: dict[str, Path] = {}
    for fmt in OUTPUT_FORMATS:
        if fmt in table:
            paths[fmt] = reader.path(table[fmt], f"output.{fmt}")
        elif fmt in formats:
            paths[fmt] = folder / DEFAULT_FILENAMES[fmt]
    # a path given for a format that is not listed still asks for that output
    formats = tuple(dict.fromkeys([*formats, *(f for f in OUTPUT_FORMATS if f in table)]))
    annotations = table.get("annotations", "auto")
    if annotations not in ANNOTATIONS:
        raise reader.fail("output.annotations", f"expected one of {', '.join(ANNOTATIONS)}, got {_show(annotations)}")
    csv_excel = table.get("csv_excel", False)
    if not isinstance(csv_excel, bool):
        raise reader.fail("output.csv_excel", f"expected true or false, got {_show(csv_excel)}")
    return OutputConfig(formats, MappingProxyType(paths), annotations, csv_excel)


# --------------------------------------------------------------------------- docaudit init

EXAMPLE = """\
# docaudit.toml — what `docaudit audit` runs (cron, systemd timer or a CI job).
# Relative paths are relative to this file. Run `docaudit audit` in this folder,
# or `docaudit audit --config path/to/docaudit.toml`.

# Reporting period: 2021, 2021-H1, 2021-Q3, 2021-06, last-month, last-quarter,
# last-year, this-month, this-quarter, this-year, ytd, or 2021-01-01..2021-06-30.
period = "{period}"

# Trusted root certificates (PEM/DER files or folders of them). Without any (nor a
# trust pack), intact signatures are "indeterminate" and the paperless rate stays at 0.
trust = [{trust}]
# Trust packs shipped with docaudit (`docaudit trust list`), or pack YAML files:
# vn (Ban Cơ yếu Chính phủ G1/G2 and NEAC's roots, their CAs), vn-gov (Ban Cơ yếu only).
# trust_packs = ["vn"]

# Target pack: default (> 90% / > 80%), nd307-xa, nd307-phuong, or a YAML file.
targets = "default"

# When certificates must have been valid: "signing" (claimed signing time), "now", or a date.
validation_time = "signing"

# Which algorithms and key sizes are accepted, judged when each document was signed: "vn" (the
# default: SHA-1 until 2020-04-01, as Ban Cơ yếu's G1 documents need), "strict" (today's rules
# for every date), or a YAML file of your own (see rules/crypto/vn.yaml).
# crypto_policy = "vn"

# Results database (history, incremental cache). Any SQLAlchemy URL or a SQLite file path.
# Default: $DOCAUDIT_DB, else <first source root>/.docaudit/docaudit.sqlite
# db = "postgresql+psycopg://docaudit@db.example.vn/docaudit"

# jobs = 4              # worker processes (default: number of cores)
lang = "vi"             # vi | en
# baseline = "docaudit-baseline.yaml"   # accepted findings (`docaudit baseline create`)
# rehash = true         # read every file every run, even if its size, times and inode are unchanged
# Revocation: offline (default), only what the files carry. Online, the CRLs and OCSP responses
# the certificates name are fetched (each address once per run, kept in the database until their
# nextUpdate); a signature whose status cannot be established is "indeterminate".
# online = true
# online_timeout = 10   # seconds per CRL or OCSP request

# One [[source]] per audit folder (register + files). `agencies` keeps only those codes.
[[source]]
root = "{root}"
# register = "{root}/register.csv"
# agencies = ["UBND-BQ", "SO-TTTT"]
# A register on the NĐ 30/2020 template (Phụ lục IV), or an export from a document-management
# software, is read unchanged: say what it names differently and what it does not hold.
# period_column = "Ngày đến"    # filter the period on this date column (default: the document's date)
# sheet = "Sổ đến"              # the worksheet of an .xlsx register (default: the first)
# [source.columns]              # docaudit column = the register's header
# number = "Số ký hiệu VB"
# file = "Tệp đính kèm"
# [source.constants]            # one value for every row, for columns the register does not have
# agency = "UBND huyện Bắc Quang"
# direction = "đến"             # đi | đến
# channel = "điện tử"           # điện tử | giấy | điện tử và giấy
# via_system = true             # an export from the document-management software

[output]
dir = "reports"
# table json csv html xlsx docx md junit codequality
formats = ["table", "json", "junit"]
# json = "reports/{{period}}/docaudit-{{run_id}}.json"   # a path of its own for one format
annotations = "auto"    # auto (GitHub/GitLab when run there) | github | gitlab | none
# csv_excel = true      # the CSV for Excel on Windows: UTF-8 byte-order mark, CRLF line ends

[rules]
# select = ["SIG", "FMT001"]   # rule codes or prefixes to run (default: every rule)
# ignore = ["FMT010"]
# [rules.severity]
# FMT001 = "warning"            # error | warning | info
# [rules.params.NUM004]         # parameters: `docaudit rules show NUM004`
# series = "type"               # agency: one numbering series per agency | type: one per document type
# [[rules.roles]]               # whose certificate is whose, where its own signals say nothing
# role = "organisation"         # person | organisation
# subject = "Ủy ban nhân dân huyện Bắc Quang"   # regex searched in the subject; also issuer, serial
# note = "the district's seal certificate has no MST/MNS"

# Who issues the DOCX báo cáo (--format docx), laid out as NĐ 30/2020 asks. Unset, it shows
# placeholders (TÊN CƠ QUAN, TỔ CHỨC; Số: …/BC-…) and `docaudit check` finds no number in it.
# [report]
# parent_agency = "UBND tỉnh Hà Giang"      # cơ quan chủ quản, above the agency (printed in capitals)
# agency = "Ủy ban nhân dân huyện Bắc Quang"   # cơ quan ban hành (printed in capitals)
# number = "15/BC-UBND"                    # số, ký hiệu of this báo cáo (type code BC)
# place = "Bắc Quang"                      # địa danh: "Bắc Quang, ngày 06 tháng 12 năm 2026" (the run's date)
# subject = "Kết quả chuyển văn bản điện tử 6 tháng đầu năm 2021"   # trích yếu (default: the audit's)
# recipients = ["UBND tỉnh Hà Giang", "Sở Nội vụ"]   # Nơi nhận, one line each
# archive = "VT, VP"                       # the last recipient line: "- Lưu: VT, VP." (default VT)
# authority = ["TM. Ủy ban nhân dân", "KT. Chủ tịch"]   # quyền hạn của người ký (TM., KT., Q., TL., TUQ.)
# position = "Phó Chủ tịch"                # chức vụ
# signer = "Nguyễn Văn An"                 # họ và tên
"""


def example_config(root: str = "samples", trust: tuple[str, ...] = (), period: str = "last-quarter") -> str:
    quoted = ", ".join(json.dumps(t, ensure_ascii=False) for t in trust)
    return EXAMPLE.format(root=root, trust=quoted, period=period)
