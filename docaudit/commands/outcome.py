"""What a command tells the entry point when it ends: done, or the audit failed on what the
command checks; and, should it fail with an error, the language to say it in. ``cli.main`` turns
both into the exit status and the one line on stderr; no command exits by itself."""

from __future__ import annotations

import enum
from contextvars import ContextVar

import click

from ..errors import DocauditError


class Outcome(enum.Enum):
    DONE = "done"
    """Finished; nothing the command fails on was found (a command that returns nothing is done)."""
    FAILED = "failed"
    """The audit found what the command fails on: a missed target with ``--fail-under-target``,
    an error-level finding in ``check``, a new error (or a missed target) in ``audit``."""


_LANGUAGE: ContextVar[str | None] = ContextVar("docaudit_error_language", default=None)


def speak(lang: str | None) -> None:
    """The language the user chose for this command (``--lang``, or ``lang`` in docaudit.toml):
    an error raised from now on is said in it. ``None``: no choice made (yet)."""
    _LANGUAGE.set(lang)


def chosen_language(parameter: str = "lang") -> str | None:
    """The running command's ``--lang`` when the user gave it (``None`` when left to its default)."""
    context = click.get_current_context()
    source = context.get_parameter_source(parameter)
    given = source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")
    return context.params.get(parameter) if given else None


def error_text(error: DocauditError) -> str:
    """The one line an error is shown as: in the language the user chose; without a choice, in
    Vietnamese (the default language) then English, for an error that has words in both (most
    errors have English words only, and are shown as they are)."""
    lang = _LANGUAGE.get()
    if lang is not None:
        return error.text(lang)
    vi, en = error.text("vi"), error.text("en")
    return en if vi == en else f"{vi} | {en}"
