"""A text as data — a catalogue code and its parameters — and its rendering in one language.

The domain (findings, row errors, evidence reasons, scan notes) carries :class:`Message` values;
words appear only when a report is rendered, through :func:`render`.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Union

from .catalogue import CATALOGUE

LANGS = ("vi", "en")

Param = Union[str, int, float, "Message"]
"""A parameter: shown as it is (numbers with ``str``), or a nested message in the same language."""


@dataclass(frozen=True)
class Message:
    """A catalogue ``code`` and the values its template is filled with (immutable: pairs)."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    def text(self, lang: str) -> str:
        return render(self, lang)


def message(code: str, **params: Any) -> Message:
    """``Message(code, params)``; any value that is not a number, a string or a message is kept
    as its ``str`` (what ``str.format`` would show), so that the message stays immutable and
    storable."""
    return Message(code, tuple((name, _param(value)) for name, value in params.items()))


def _param(value: Any) -> Param:
    if isinstance(value, (str, Message)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)


# Rule packs are catalogues of their own (rules/*.yaml: messages per outcome, in vi and en): the
# rules layer adds their templates here when it loads a pack, under a code that names the text.
_EXTRA: dict[str, Mapping[str, str]] = {}


def add_templates(prefix: str, texts: Mapping[str, str]) -> str:
    """Make the template ``texts`` ({vi, en}) renderable and return its code: ``prefix`` followed
    by a digest of the texts, so that two packs' different words for one rule never share a code
    (whatever order packs are loaded in, in whichever process)."""
    digest = hashlib.sha256(f"{texts['vi']}\0{texts['en']}".encode()).hexdigest()[:12]
    code = f"{prefix}@{digest}"
    _EXTRA.setdefault(code, {"vi": texts["vi"], "en": texts["en"]})
    return code


def template(code: str, lang: str) -> str | None:
    texts = CATALOGUE.get(code) or _EXTRA.get(code)
    return texts.get(lang) if texts else None


def render(item: Message | str | None, lang: str) -> str:
    """``item`` in ``lang`` (``vi`` or ``en``). A plain string is returned as it is; an unknown
    code renders as the code itself, and a template whose placeholders the parameters do not
    fill is shown unfilled — never an exception while a report is written."""
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    return _render(item, lang)


@lru_cache(maxsize=65536)
def _render(item: Message, lang: str) -> str:
    """Rendered once per message and language: most entries of an archive share their findings."""
    text = template(item.code, lang)
    if text is None:
        return item.code
    if not item.params:
        return text
    values = {name: render(value, lang) if isinstance(value, Message) else value for name, value in item.params}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def t(code: str, lang: str, **values: Any) -> str:
    """The catalogue text ``code`` in ``lang``, filled with ``values``."""
    text = CATALOGUE[code][lang]
    return text.format(**values) if values else text


def word(family: str, code: str | None, lang: str) -> str:
    """A code of one family (``direction``, ``verdict`` …) in ``lang``: ``word("direction",
    "incoming", "vi")`` → ``đến``. Unknown codes come back as they are, ``None`` as ``""``."""
    if code is None:
        return ""
    texts = CATALOGUE.get(f"{family}.{code}")
    return texts[lang] if texts else code


def family(name: str) -> tuple[str, ...]:
    """The codes of one family, in catalogue order, without the prefix: ``family("reason")``."""
    prefix = name + "."
    return tuple(code[len(prefix):] for code in CATALOGUE if code.startswith(prefix))


def placeholders(text: str) -> frozenset[str]:
    """The names a template fills: ``"File {path}: {reason}"`` → ``{"path", "reason"}``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


@lru_cache(maxsize=None)
def _english_pattern(code: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(CATALOGUE[code]["en"]):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+)")
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def recognise(text: str, family_name: str) -> Message | None:
    """The message of ``family_name`` whose English rendering ``text`` is, if any.

    Only for texts read back from a stored JSON report, whose format keeps some texts in English
    alone (``notes``): the catalogue's own English template is matched, so a stored note can be
    shown in Vietnamese without a second table of words."""
    prefix = family_name + "."
    for code in CATALOGUE:
        if code.startswith(prefix):
            found = _english_pattern(code).match(text)
            if found:
                return message(code, **found.groupdict())
    return None


def as_text(item: Message | str, lang: str, family_name: str = "note") -> str:
    """A scan note (a :class:`Message`, or the English text a stored report holds) in ``lang``."""
    if isinstance(item, Message):
        return render(item, lang)
    if lang == "en":
        return item
    recognised = recognise(item, family_name)
    return render(recognised, lang) if recognised is not None else item
