"""``docaudit scan``: the contract's command (the contract (README: A scan))."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import db_url_from, find_config, source_profile
from ..errors import UsageError
from ..limits import DEFAULT_LIMITS
from ..model import Period
from ..periods import resolve_period
from ..pipeline.build import build_report
from ..register.profile import NO_PROFILE
from ..pipeline.options import ScanOptions, check_crypto_policy, check_online_timeout, default_jobs, \
    parse_validation_time
from ..signatures.online import DEFAULT_TIMEOUT
from ._output import FORMAT_NAMES, check_output, emit, excel_option
from ._rules_options import load_report_config, rule_options, selection_from_options
from .outcome import Outcome, chosen_language, speak


def scan_options(function):
    """The options `scan` shares with the commands built on it."""
    options = [
        click.option("--register", "register", type=click.Path(path_type=Path),
                     help="Register file (default: register.csv|.xlsx|.json in AUDIT_ROOT)."),
        click.option("--trust", "trust", multiple=True, metavar="PEM_OR_DIR",
                     help="Trusted root certificate (PEM/DER) or folder of them; may repeat."),
        click.option("--trust-pack", "trust_packs", multiple=True, metavar="PACK",
                     help="Trust pack (`docaudit trust list`): vn, vn-gov, or a pack YAML file; may repeat."),
        click.option("--period", default=None, metavar="NAME|START..END",
                     help="Only entries dated in this period: 2021-03, 2021-Q1, 2021-H1, 2021, last-month, "
                          "last-quarter, ytd … or an inclusive range, e.g. 2021-01-01..2021-06-30."),
        click.option("--targets", default=None, metavar="PACK", help="Target pack name (rules/targets) or YAML path."),
        click.option("--output", "output", type=click.Path(path_type=Path), help="Write the report here instead of stdout."),
        click.option("--db", "db_url", default=None, metavar="URL",
                     help="SQLAlchemy URL of the results database (default: AUDIT_ROOT/.docaudit/ or $DOCAUDIT_DB)."),
        click.option("--no-db", is_flag=True, help="Do not store the run."),
        click.option("--jobs", type=int, default=None, metavar="N", help="Worker processes (default: number of cores)."),
        click.option("--validation-time", default="signing", show_default=True, metavar="signing|now|ISO-DATE",
                     help="When certificates must have been valid."),
        click.option("--crypto-policy", "crypto_policy", default=None, metavar="NAME|PATH",
                     help="Algorithms and key sizes accepted, and until when: vn (default: as the rules "
                          "were when each document was signed), strict (today's rules for every date) or a YAML file."),
        click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True),
        click.option("--fail-under-target", is_flag=True, help="Exit 1 when some agency misses a target."),
        click.option("--timeout", "timeout", type=float, default=None, metavar="SECONDS",
                     help="Time limit per document; a file that takes longer is 'unreadable: timeout' "
                          "[default: 30; 0: no limit]."),
        click.option("--max-file-size", "max_file_size", default=None, metavar="SIZE",
                     help="Larger evidence files are not read ('unreadable'); bytes or 500K, 200M, 2G "
                          "[default: 200M]."),
        *ONLINE_OPTIONS,
    ]
    for option in reversed(options):
        function = option(function)
    return function


# online revocation (issue 16 item 4): scan, audit and check take these
ONLINE_OPTIONS = [
    click.option("--online/--offline", "online", default=None,
                 help="Fetch the CRLs and OCSP responses the certificates name (each address once per run, kept "
                      "in the database until their nextUpdate); a signature whose revocation status cannot be "
                      "established is indeterminate [default: offline: only what the files carry]."),
    click.option("--online-timeout", "online_timeout", type=float, default=None, metavar="SECONDS",
                 help=f"Time limit per CRL or OCSP request with --online [default: {DEFAULT_TIMEOUT:g}]."),
]


def online_settings(online: bool | None, online_timeout: float | None, configured: bool = False) -> tuple[bool, float]:
    """(online, timeout) from ``--online/--offline`` and ``--online-timeout`` (``configured``:
    ``online = true`` in docaudit.toml). A timeout without anything online is a mistake: exit 2."""
    on = configured if online is None else online
    if online_timeout is not None and not on:
        raise UsageError("--online-timeout: applies only with --online")
    return on, check_online_timeout(online_timeout if online_timeout is not None else DEFAULT_TIMEOUT)


_SIZE_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2,
               "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}


def parse_size(text: str) -> int:
    """``1048576``, ``500K``, ``200MB``, ``2G`` (binary units) → bytes."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", str(text))
    unit = match.group(2).upper() if match else ""
    if not match or unit not in _SIZE_UNITS or float(match.group(1)) * _SIZE_UNITS[unit] < 1:
        raise UsageError(f"--max-file-size: '{text}' is not a positive size (e.g. 200M, 1G, 5000000)")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def build_limits(timeout: float | None = None, max_file_size: str | None = None):
    from dataclasses import replace

    limits = DEFAULT_LIMITS
    if timeout is not None:
        if timeout < 0 or timeout != timeout:
            raise UsageError(f"--timeout: expected seconds ≥ 0 (0: no limit), got {timeout}")
        limits = replace(limits, doc_timeout_s=timeout)
    if max_file_size is not None:
        limits = replace(limits, max_file_bytes=parse_size(max_file_size))
    return limits


def build_options(audit_root: Path, register, trust, period, targets, db_url, no_db, jobs, validation_time,
                  timeout: float | None = None, max_file_size: str | None = None, crypto_policy: str | None = None,
                  online: bool | None = None, online_timeout: float | None = None, trust_packs=()):
    if no_db and db_url:
        raise UsageError("give --db URL or --no-db, not both")
    online, online_timeout = online_settings(online, online_timeout)
    return ScanOptions(
        root=audit_root,
        register=register,
        trust=tuple(trust),
        trust_packs=tuple(trust_packs),
        # the named periods `audit` takes (2021-Q1, last-month …) as well as START..END
        period=resolve_period(period).period if period else Period(),
        targets=targets,
        # a URL, or a plain path meaning a SQLite file (as ``db`` in docaudit.toml); without it,
        # docaudit.store.locate decides ($DOCAUDIT_DB, the root's .docaudit/, the user cache)
        db_url=db_url_from(db_url) if db_url else None,
        jobs=default_jobs() if jobs is None else jobs,
        validation_time=parse_validation_time(validation_time),
        store=not no_db,
        limits=build_limits(timeout, max_file_size),
        crypto_policy=check_crypto_policy(crypto_policy),
        online=online, online_timeout=online_timeout,
    )


@click.command()
@click.argument("audit_root", type=click.Path(path_type=Path))
@scan_options
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table",
              show_default=True)
@excel_option
@rule_options
def scan(audit_root, register, trust, trust_packs, period, targets, fmt, excel, output, db_url, no_db, jobs,
         validation_time, crypto_policy, lang, fail_under_target, timeout, max_file_size, online, online_timeout,
         select, ignore,
         config) -> Outcome:
    """Scan AUDIT_ROOT and report, per agency, the two rates against their targets."""
    from ..scan import scan as run_scan  # lazy for start-up: a scan loads SQLAlchemy and the readers

    speak(chosen_language())
    check_output(fmt, output, excel, lang)  # xlsx/docx need --output, --excel csv: say so before scanning
    from dataclasses import replace

    options = build_options(audit_root, register, trust, period, targets, db_url, no_db, jobs, validation_time,
                            timeout, max_file_size, crypto_policy=crypto_policy, online=online,
                            online_timeout=online_timeout, trust_packs=trust_packs)
    # docaudit.toml (--config, ./, or the audit folder's own) gives the rules, and the register
    # profile of the [[source]] whose root is this folder
    config_path = find_config(config, root=audit_root)
    profile = source_profile(config_path, audit_root, register) if config_path else NO_PROFILE
    options = replace(options, rules=selection_from_options(select, ignore, config_path), profile=profile)
    settings = load_report_config(config_path)  # who issues the DOCX báo cáo; placeholders without a file
    result = run_scan(options)
    report = result.report or build_report(result)
    emit(report, fmt, output, lang, settings=settings, excel=excel)
    return Outcome.FAILED if fail_under_target and not report.meets_targets else Outcome.DONE
