"""The ``docaudit`` command: a thin click layer over the library.

Exit codes are decided here and only here (the contract (README: A scan)): commands return an
:class:`~docaudit.commands.outcome.Outcome` or raise, and :func:`main` maps both.
0 done · 1 the audit found what the command fails on (a missed target with ``--fail-under-target``,
an error-level finding in ``check``, a new error in ``audit``) · 2 usage or configuration error,
with one line on stderr and no traceback · 3 an internal error (a bug), one line on stderr
(``DOCAUDIT_DEBUG=1`` shows the traceback) · 130 aborted (Ctrl-C at a prompt).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import NoReturn

import click

from . import __version__
from .quiet import silence_known_dependency_warnings

silence_known_dependency_warnings()  # before the commands import pyHanko

from .commands.check import check
from .commands.report import report
from .commands.rules import rules
from .commands.trust import trust
from .commands.scan import scan
from .commands.audit import audit
from .commands.init import init
from .commands.history import history
from .commands.diff import diff
from .commands.baseline import baseline
from .commands.outcome import Outcome, error_text, speak
from .errors import (ConfigError, DocauditError, OutputError, RegisterError, StoreError, TrustError,
                     UsageError)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_ABORTED = 0, 1, 2, 3, 130

# What a command returned. Nothing (a command with nothing to fail on) and click's own early
# exits (--help, --version) are "done".
OUTCOME_EXITS: dict[Outcome, int] = {Outcome.DONE: EXIT_OK, Outcome.FAILED: EXIT_FAILED}

# docaudit's error hierarchy: every error it raises on purpose is the user's to fix (a bad option,
# config, register, trust file, database or output path), one line on stderr. The most specific
# class of an error that is listed decides.
ERROR_EXITS: dict[type[DocauditError], int] = {
    UsageError: EXIT_USAGE,
    ConfigError: EXIT_USAGE,
    RegisterError: EXIT_USAGE,
    TrustError: EXIT_USAGE,
    StoreError: EXIT_USAGE,
    OutputError: EXIT_USAGE,
    DocauditError: EXIT_USAGE,
}


def _error_exit(error: DocauditError) -> int:
    return next(ERROR_EXITS[kind] for kind in type(error).__mro__ if kind in ERROR_EXITS)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"docaudit: error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docaudit")
def cli() -> None:
    """Audit Vietnamese official documents: register, files, signatures and compliance rates."""


cli.add_command(scan)
cli.add_command(audit)
cli.add_command(init)
cli.add_command(history)
cli.add_command(diff)
cli.add_command(baseline)
cli.add_command(report)
cli.add_command(check)
cli.add_command(rules)
cli.add_command(trust)


def utf8_stdio(windows: bool = os.name == "nt") -> None:
    """Reports are UTF-8 with ``\n`` line ends on every system, on stdout as in a file: a
    standard stream that would encode otherwise — on Windows, one redirected to a file or a pipe
    uses the ANSI code page (cp1252, cp1258), where Vietnamese text fails or is garbled, and turns
    each ``\n`` into ``\r\n`` — is switched to UTF-8 and ``\n`` before anything is written (on
    POSIX with a UTF-8 locale, nothing changes). Its error handler is kept."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # a TextIOWrapper (not a test's stand-in)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if reconfigure is not None and (windows or encoding not in ("utf-8", "utf8")):
            try:
                reconfigure(encoding="utf-8", errors=stream.errors, newline="\n")
            except (ValueError, OSError):  # already written to or closed: leave it as it is
                pass


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every error to its exit code in one place."""
    utf8_stdio()
    # A command is a short-lived process that makes hundreds of thousands of objects (register
    # rows, findings, report entries) and frees few of them: with the default thresholds the
    # cyclic collector ran 300 times in an unchanged 2,000-entry audit (0.12 s); with a young
    # generation of 100,000 objects (some 10 MB before a pass) it runs a few times (0.1 s less CPU
    # than with 10,000); cycles are still collected, and memory stays bounded
    gc.set_threshold(100_000, 50, 100)
    # At exit Python runs full collections over everything still alive while it tears the
    # modules down (some 0.2 s after such an audit); everything is freed anyway, so they are
    # skipped (our files and the database are closed by then; cycles just go with the process)
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    speak(None)  # the command says which language its errors are in, once it knows
    try:
        # without standalone mode click hands back what the command returned, and raises
        outcome = cli.main(args=argv, prog_name="docaudit", standalone_mode=False)
    except DocauditError as exc:
        _fail(error_text(exc), _error_exit(exc))
    except click.exceptions.Abort:
        click.echo("docaudit: aborted", err=True)
        sys.exit(EXIT_ABORTED)
    except click.ClickException as exc:  # bad option, missing argument …: one line, exit 2
        _fail(exc.format_message().replace("\n", " "))
    except OSError as exc:  # e.g. --output into a folder that does not exist
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    except Exception as exc:  # a bug of ours: never mistaken for "target missed" (1) or usage (2)
        if os.environ.get("DOCAUDIT_DEBUG"):
            raise
        click.echo(f"docaudit: internal error: {type(exc).__name__}: {exc} "
                   "(run again with DOCAUDIT_DEBUG=1 for the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(OUTCOME_EXITS.get(outcome, EXIT_OK))


if __name__ == "__main__":  # pragma: no cover
    main()
