"""docaudit's replacements inside pyHanko and asn1crypto, in place only while docaudit validates.

Three modules each list the library functions they replace (``REPLACEMENTS``): :mod:`.speedups`
(exact, faster parsing and name comparison), :mod:`.memo` (certificate extraction and path
outcomes remembered across the documents of an archive) and :mod:`.key_usage` (RFC 5280's reading
of a certificate without the keyUsage extension). Importing them changes nothing. :func:`applied`
puts every replacement in place and, when the outermost ``applied`` exits, restores what was
there before: a program that imports docaudit and calls pyHanko itself gets pyHanko as shipped.

``validate.verify_pdf`` and ``verify_signature_bytes`` enter it for each document, so every path
that validates (a scan's workers, however they are started, ``check``, a library caller) judges
alike; entering costs a few attribute assignments against milliseconds of validation. pyHanko
looks the functions up as module and class attributes, so while one validation runs they are in
place for the whole process: a pyHanko call on another thread meanwhile gets them too.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator

from . import key_usage, memo, speedups

REPLACEMENTS: tuple[tuple[Any, str, Any], ...] = (
    *speedups.REPLACEMENTS, *memo.REPLACEMENTS, *key_usage.REPLACEMENTS,
)
"""(owner, attribute, docaudit's version) for every replaced library function."""

_lock = threading.Lock()
_depth = 0  # validations in progress (on any thread): the replacements stay while it is above 0
_saved: list[Any] = []  # what the attributes held before the outermost ``applied``


@contextmanager
def applied(*, memos: bool = True) -> Iterator[None]:
    """The replacements in place for the duration; ``memos=False`` (``ValidationSettings.fast_paths``
    off) makes the memos pass every call through to the library, in this context only."""
    global _depth
    with _lock:
        if _depth == 0:
            _saved[:] = [getattr(owner, name) for owner, name, _ in REPLACEMENTS]
            for owner, name, replacement in REPLACEMENTS:
                setattr(owner, name, replacement)
        _depth += 1
    token = memo.active.set(memos)
    try:
        yield
    finally:
        memo.active.reset(token)
        with _lock:
            _depth -= 1
            if _depth == 0:
                for (owner, name, _), before in zip(REPLACEMENTS, _saved):
                    setattr(owner, name, before)
                _saved.clear()
