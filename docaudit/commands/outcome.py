"""What a command tells the entry point when it ends: done, or the audit failed on what the
command checks. ``cli.main`` turns it into the exit status; no command exits by itself."""

from __future__ import annotations

import enum


class Outcome(enum.Enum):
    DONE = "done"
    """Finished; nothing the command fails on was found (a command that returns nothing is done)."""
    FAILED = "failed"
    """The audit found what the command fails on: a missed target with ``--fail-under-target``,
    an error-level finding in ``check``, a new error (or a missed target) in ``audit``."""
