"""One error hierarchy. The CLI maps these to exit codes in one place (``cli.ERROR_EXITS``)."""

from __future__ import annotations

from typing import Protocol


class Words(Protocol):
    """A text that can be given in either language (a catalogue :class:`~docaudit.text.Message`)."""

    def text(self, lang: str) -> str: ...


class DocauditError(Exception):
    """Base of every error docaudit raises on purpose. ``str(err)`` is a one-line user message in
    English; :meth:`text` is the same line in the user's language when the error carries its words
    as data (``detail``, a catalogue message), and the English line otherwise."""

    def __init__(self, message: str = "", *, detail: Words | None = None) -> None:
        super().__init__(message or (detail.text("en") if detail is not None else ""))
        self.detail = detail

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``vi`` or ``en``)."""
        return self.detail.text(lang) if self.detail is not None else str(self)


class UsageError(DocauditError):
    """A bad option value (period, validation time, jobs …)."""


class OptionError(UsageError):
    """A value that a named option or setting rejects: ``str()`` is ``"<option>: <problem>"``.
    The name lets a caller that read the value from a file say which key it was."""

    def __init__(self, option: str, problem: str) -> None:
        super().__init__(f"{option}: {problem}")
        self.option, self.problem = option, problem


class ConfigError(DocauditError):
    """A bad configuration: target pack, config file."""


class RegisterError(DocauditError):
    """The register as a whole cannot be read (missing, unreadable, no usable header)."""


class TrustError(DocauditError):
    """A ``--trust`` file or folder cannot be used."""


class RulePackError(ConfigError):
    """A rule or target pack is malformed."""


class StoreError(DocauditError):
    """The results database cannot be opened or written."""


class OutputError(DocauditError):
    """A report could not be written where the options or config said (disk full, permissions)."""
