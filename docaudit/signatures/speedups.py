"""Exact speed-ups inside the libraries, in place while docaudit validates (``patches.applied``).

1. A faster reader for PDF hex strings inside pyHanko's parser.

A signature's /Contents is a hex string of 8–32 KB; pyHanko reads it one byte at a time in pure
Python, which is about a third of the time of validating a small signed PDF. This reader finds
the closing ``>`` with ``bytes.find`` and decodes with ``binascii`` — same result, same errors.
Anything unusual (a comment inside the string) goes to pyHanko's own reader, so behaviour never
differs; ``tests/signatures/test_speedups.py`` checks the equivalence on generated input.

2. Memoised RFC 4518 string preparation for X.509 name comparison. asn1crypto prepares every
attribute value of every Name it compares with a pure-Python stringprep pass; pyHanko compares
names many times per signature (finding the signer certificate, ESS certificate ids, path
building), and Vietnamese names take the slow non-ASCII path. The preparation is a pure function
of the string, so a bounded cache returns exactly what asn1crypto would compute. Names whose
encodings are byte-identical are equal without any preparation at all, and the answer for a pair
of different encodings is remembered (bounded).

3. Token reading in pyHanko's PDF parser. pyHanko reads every name and number one byte at a time
through a Python generator (``misc._read_until_class``) and decodes every name byte by byte
(``generic._decode_name``): about a tenth of a document's validation time. The fast versions
find the delimiter with a regular expression in a small chunk and decode names without an
escape (``#``) in one step; anything else (a length limit, an escape, a byte that must be
escaped) goes to pyHanko's own code. ``tests/signatures/test_speedups.py`` checks both against
the originals on generated input, including the stream position left behind.

4. Skipping whitespace in pyHanko's parser (``misc.read_non_whitespace``), called before almost
every token and for every cross-reference line, also goes one byte at a time. The fast version
finds the first non-whitespace byte of a small chunk with a regular expression; a comment
(``%``) or a chunk of whitespace only goes to pyHanko's own code (same tests).
"""

from __future__ import annotations

import binascii
import functools
import os
import re

from asn1crypto import x509 as asn1_x509

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.misc import PdfStreamError

_original = generic.read_hex_string_from_stream
_WHITESPACE = b" \n\r\t\f\x00"
_VALID = re.compile(rb"[0-9A-Fa-f \n\r\t\f\x00]*")
_CHUNK = 1 << 16


def read_hex_string_from_stream(stream):
    start = stream.tell()
    stream.read(1)  # the opening "<"
    parts = []
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break  # unterminated: let pyHanko raise its own error
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            body = b"".join(parts)
            if b"%" in body:
                break  # a comment inside the string: pyHanko's reader knows the rules
            if not _VALID.fullmatch(body):
                bad = next(bytes([c]) for c in body.translate(None, _WHITESPACE) if bytes([c]) not in generic.HEX_DIGITS)
                raise PdfStreamError("Unexpected token in hex string: " + repr(bad))
            stream.seek(start + 1 + len(body) + 1)
            digits = body.translate(None, _WHITESPACE)
            if len(digits) % 2:
                digits += b"0"
            return generic.pdf_string(binascii.unhexlify(digits))
        parts.append(chunk)
    stream.seek(start)
    return _original(stream)


_original_prep = asn1_x509.NameTypeAndValue._ldap_string_prep
_original_name_eq = asn1_x509.Name.__eq__


@functools.lru_cache(maxsize=65536)
def _prep(string: str) -> str:
    return _original_prep(None, string)  # the method never reads ``self``


def _ldap_string_prep(self, string):
    return _prep(string) if isinstance(string, str) else _original_prep(self, string)


def _name_eq(self, other):
    """Byte-identical encodings are equal names: answer those without RFC 4518 preparation
    (pyHanko compares the same issuer names many times per signature). Other pairs are
    remembered by their encodings: equality is a pure function of the two DER strings, and an
    archive compares the same few CA and signer names again and again."""
    if not isinstance(other, asn1_x509.Name):
        return _original_name_eq(self, other)
    mine, theirs = self.dump(), other.dump()
    if mine == theirs:
        return True
    key = (mine, theirs)
    known = _name_answers.get(key)
    if known is None:
        known = bool(_original_name_eq(self, other))
        if len(_name_answers) >= _NAME_ANSWERS_MAX:
            _name_answers.clear()  # bounded: a rare refill is cheaper than an LRU's bookkeeping
        _name_answers[key] = known
    return known


_NAME_ANSWERS_MAX = 16384
_name_answers: dict[tuple[bytes, bytes], bool] = {}


_original_read_until_class = misc._read_until_class
_original_decode_name = generic._decode_name
_TOKEN_CHUNK = 64
_class_patterns: dict[bytes, re.Pattern] = {}
# a name needing no escape: printable ASCII without whitespace, delimiters or "#"
_PLAIN_NAME = re.compile(rb"[!-~]*")
_NOT_PLAIN = set(misc.PDF_WHITESPACE + misc.PDF_DELIMITERS + b"#")


def _read_until_class(class_chars, stream, maxchars=None):
    """Bytes up to (not including) the first byte of ``class_chars``, which is consumed; or up to
    the end of the stream (``end`` = True) — exactly what pyHanko's byte-at-a-time loop does."""
    if maxchars is not None:
        return _original_read_until_class(class_chars, stream, maxchars)
    pattern = _class_patterns.get(class_chars)
    if pattern is None:
        pattern = re.compile(b"[" + b"".join(re.escape(bytes([c])) for c in class_chars) + b"]")
        _class_patterns[class_chars] = pattern
    parts = []
    while True:
        chunk = stream.read(_TOKEN_CHUNK)
        if not chunk:
            return b"".join(parts), True
        found = pattern.search(chunk)
        if found is None:
            parts.append(chunk)
            continue
        at = found.start()
        parts.append(chunk[:at])
        stream.seek(at + 1 - len(chunk), os.SEEK_CUR)  # just after the delimiter, as pyHanko leaves it
        return b"".join(parts), False


def _decode_name(name_bytes: bytes):
    if _PLAIN_NAME.fullmatch(name_bytes) and not _NOT_PLAIN.intersection(name_bytes):
        return generic.NameObject("/" + name_bytes.decode("ascii"))
    return _original_decode_name(name_bytes)


_original_read_non_whitespace = misc.read_non_whitespace
_NOT_WHITESPACE = re.compile(b"[^" + re.escape(misc.PDF_WHITESPACE) + b"]")


def read_non_whitespace(stream, seek_back=False, allow_eof=False):
    """The next byte that is not PDF whitespace, consumed unless ``seek_back`` — exactly what
    pyHanko's byte-at-a-time loop returns and where it leaves the stream."""
    start = stream.tell()
    chunk = stream.read(_TOKEN_CHUNK)
    found = _NOT_WHITESPACE.search(chunk)
    if found is None or chunk[found.start()] == 0x25:  # whitespace only, or a comment ("%")
        stream.seek(start)
        return _original_read_non_whitespace(stream, seek_back, allow_eof)
    at = found.start()
    stream.seek(start + at + (0 if seek_back else 1))
    return chunk[at : at + 1]


# (owner, attribute, replacement): put in place by ``patches.applied``, never at import
REPLACEMENTS = (
    (generic, "read_hex_string_from_stream", read_hex_string_from_stream),
    (asn1_x509.NameTypeAndValue, "_ldap_string_prep", _ldap_string_prep),
    (asn1_x509.Name, "__eq__", _name_eq),
    (misc, "_read_until_class", _read_until_class),
    (generic, "_decode_name", _decode_name),
    (misc, "read_non_whitespace", read_non_whitespace),
    (generic, "read_non_whitespace", read_non_whitespace),  # generic imported it by name
)
