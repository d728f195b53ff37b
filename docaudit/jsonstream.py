"""JSON text in pieces: exactly the text of ``json.dumps(value, ensure_ascii=False, indent=...)``,
written without a large list ever existing whole.

A report of 20,000 entries is some 80 MB of indented JSON; built at once, its entry dicts and the
encoder's millions of small pieces took several times that. Here the report's ``entries`` is a
:class:`LazyList` (each entry's dict made when it is written) and the text comes out one entry at
a time: the pieces can go straight to a file, or be joined into the one string a database needs.
"""

from __future__ import annotations

import json
import weakref
from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")


class LazyList(Generic[T]):
    """A JSON array whose items are made from ``source`` when iterated (each pass makes them
    again, so several writers may share it). Anything but :func:`iter_dumps` sees it as a list
    only after ``list()``."""

    def __init__(self, make: Callable[[T], Any], source: Sequence[T]) -> None:
        self._make = make
        self._source = source

    def __iter__(self) -> Iterator[Any]:
        return map(self._make, self._source)

    def __len__(self) -> int:
        return len(self._source)


def iter_dumps(value: Any, *, indent: int | None = None, default: Callable[[Any], Any] | None = None,
               one_line_items: bool = False) -> Iterator[str]:
    """The pieces of ``json.dumps(value, ensure_ascii=False, indent=indent, default=default)``.

    The top-level object is written key by key, and every list or :class:`LazyList` in it item
    by item; anything else is handed to ``json.dumps`` whole (a :class:`LazyList` deeper down is
    turned into a list first), so the text is the standard library's, byte for byte.

    ``one_line_items`` (with ``indent``): each item of those lists on a line of its own, not
    indented inside — one entry per line, easy to grep and diff, and written by the standard
    library's C encoder (its indenting encoder is pure Python: ten times slower on a report of
    thousands of entries). The value read back is the same."""
    if indent is not None and (not isinstance(indent, int) or isinstance(indent, bool)):
        raise TypeError("iter_dumps: indent must be an int or None")

    def fallback(obj: Any) -> Any:
        if isinstance(obj, LazyList):
            return list(obj)
        if default is None:
            raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
        return default(obj)

    def whole(obj: Any, level: int, item: bool = False) -> str:
        if item and one_line_items:
            return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "), default=fallback)
        text = json.dumps(obj, ensure_ascii=False, indent=indent, default=fallback)
        # json escapes newlines inside strings: every "\n" here starts an indented line
        return text.replace("\n", "\n" + " " * (indent * level)) if indent and level else text

    def newline(level: int) -> str:
        return "\n" + " " * (indent * level) if indent is not None else ""

    item_separator = "," if indent is not None else ", "

    def array(items: LazyList | list, level: int) -> Iterator[str]:
        if not len(items):
            yield "[]"
            return
        yield "["
        for index, item in enumerate(items):
            yield (item_separator if index else "") + newline(level + 1) + whole(item, level + 1, item=True)
        yield newline(level) + "]"

    def piece(obj: Any, level: int) -> Iterator[str]:
        if isinstance(obj, (LazyList, list)):  # a report's entries: one piece per entry
            yield from array(obj, level)
        else:
            yield whole(obj, level)

    if isinstance(value, LazyList):
        yield from array(value, 0)
        return
    if not isinstance(value, dict) or not value or not all(isinstance(k, str) for k in value):
        yield whole(value, 0)  # json's own rules for empty objects and non-string keys
        return
    yield "{"
    for index, (key, item) in enumerate(value.items()):
        yield (item_separator if index else "") + newline(1) + json.dumps(key, ensure_ascii=False) + ": "
        yield from piece(item, 1)
    yield newline(0) + "}"


def dumps(value: Any, *, indent: int | None = None, default: Callable[[Any], Any] | None = None,
          one_line_items: bool = False) -> str:
    """``json.dumps(value, ensure_ascii=False, ...)`` of a value that may hold :class:`LazyList` s."""
    return "".join(iter_dumps(value, indent=indent, default=default, one_line_items=one_line_items))


def chunks(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """The text made of ``pieces`` in consecutive parts of about ``size`` characters (a part ends
    at the first piece that reaches the size): for writing and storing a long text without ever
    holding it whole, nor making one write per piece."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def write_text(pieces: Iterable[str], write: Callable[[str], Any]) -> None:
    """Write the text made of ``pieces`` with ``write``, in parts of about a megabyte
    (:func:`chunks`), ending with exactly one newline if it does not end with one: the JSON
    report to a file, to stdout, or to an audit's output."""
    last = ""
    for last in chunks(pieces):
        write(last)
    if not last.endswith("\n"):
        write("\n")


class TextMemo:
    """The text one object was last encoded to, kept for the next writer of the same text, only
    when it is short: an audit stores its report's JSON in the database and then writes the same
    JSON to its output file, and encoding it once saves a tenth of a second on 2,000 entries.

    One slot (the last object only, held by a weak reference: the memo never keeps a report
    alive), and only below ``limit`` characters: a larger text is let go as it is written, so a
    report of 20,000 entries is still never held whole and is simply encoded again."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._owner: weakref.ref[Any] | None = None
        self._parts: list[str] = []

    def recording(self, owner: Any, parts: Iterable[str]) -> Iterator[str]:
        """``parts`` as they come, remembered as the text of ``owner`` if they are read to the
        end and stay within the limit."""
        self.forget()
        kept: list[str] | None = []
        length = 0
        for part in parts:
            if kept is not None:
                length += len(part)
                if length <= self.limit:
                    kept.append(part)
                else:  # too long: let it go
                    kept = None
            yield part
        if kept is not None:
            try:
                self._owner = weakref.ref(owner)
            except TypeError:  # cannot be referred to weakly: nothing remembered
                return
            self._parts = kept

    def get(self, owner: Any) -> list[str] | None:
        """The parts remembered for ``owner`` (this very object), or ``None``."""
        if self._owner is not None and self._owner() is owner:
            return self._parts
        return None

    def forget(self) -> None:
        self._owner, self._parts = None, []


REPORT_TEXT = TextMemo(limit=1 << 24)
"""The JSON text of the report an audit stored last (``docaudit.store``), for its json output
(``docaudit.outputs``). 16 Mi characters (at most 32 MB as Python holds Vietnamese text): a report
of some 4,500 entries; the memory a run of that size holds anyway."""
