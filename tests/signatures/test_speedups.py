"""The fast readers give exactly pyHanko's results, errors and stream positions."""

from __future__ import annotations

import io

from hypothesis import given, settings, strategies as st
from pyhanko.pdf_utils.misc import PdfStreamError

from docaudit.signatures import speedups as fastparse

HEXISH = st.lists(st.sampled_from(list(b"0123456789abcdefABCDEF \n\r\t\f\x00%zG>")), max_size=300).map(bytes)


def _run(function, data: bytes):
    stream = io.BytesIO(b"<" + data + b"> trailing")
    try:
        value = function(stream)
        return ("ok", bytes(value.original_bytes if hasattr(value, "original_bytes") else value), stream.tell())
    except PdfStreamError as exc:
        return ("error", type(exc).__name__)


@settings(max_examples=400, deadline=None)
@given(HEXISH)
def test_same_as_pyhanko(data: bytes) -> None:
    assert _run(fastparse.read_hex_string_from_stream, data) == _run(fastparse._original, data)


def test_large_contents_and_odd_length() -> None:
    data = b"3082" + b"ab" * 20000 + b"f"
    assert _run(fastparse.read_hex_string_from_stream, data) == _run(fastparse._original, data)


def test_unterminated_string_errors_like_pyhanko() -> None:
    for data in (b"<abcd", b"<ab cd"):
        fast = fastparse.read_hex_string_from_stream
        for function in (fast, fastparse._original):
            try:
                function(io.BytesIO(data))
            except PdfStreamError:
                continue
            raise AssertionError(f"{function} accepted {data!r}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_name_preparation_is_unchanged(text: str) -> None:
    try:
        expected = fastparse._original_prep(None, text)
    except Exception as exc:  # noqa: BLE001 — prohibited characters raise: the cache must too
        try:
            fastparse._prep.__wrapped__(text)
        except Exception as again:  # noqa: BLE001
            assert type(again) is type(exc)
            return
        raise AssertionError("the cached preparation accepted what asn1crypto refuses") from None
    assert fastparse._ldap_string_prep(None, text) == expected


def test_name_equality_unchanged() -> None:
    from asn1crypto import x509

    a = x509.Name.build({"common_name": "Ủy ban nhân dân", "country_name": "VN"})
    b = x509.Name.build({"common_name": "ủy  ban nhân dân", "country_name": "VN"})  # RFC 5280: equal
    c = x509.Name.build({"common_name": "Sở Nội vụ", "country_name": "VN"})
    for left, right in ((a, a), (a, x509.Name.load(a.dump())), (a, b), (a, c)):
        assert fastparse._name_eq(left, right) == fastparse._original_name_eq(left, right)
    assert fastparse._name_eq(a, b) and not fastparse._name_eq(a, c)


TOKENISH = st.lists(st.sampled_from(list(b"abcXYZ019#._-/()<>[]{}% \n\r\t\f\x00\x7f\x80\xc3\xa1")), max_size=200).map(bytes)


def _token_run(function, data: bytes, class_chars: bytes):
    stream = io.BytesIO(data)
    stream.read(1)  # start somewhere other than 0
    result = function(class_chars, stream)
    return result, stream.tell()


@settings(max_examples=400, deadline=None)
@given(TOKENISH, st.sampled_from([fastparse.misc.PDF_WHITESPACE, fastparse.misc.PDF_WHITESPACE + fastparse.misc.PDF_DELIMITERS]))
def test_token_reader_same_as_pyhanko(data: bytes, class_chars: bytes) -> None:
    assert _token_run(fastparse._read_until_class, data, class_chars) == _token_run(
        fastparse._original_read_until_class, data, class_chars
    )


def _decoded(function, data: bytes):
    try:
        return "ok", str(function(data))
    except Exception as exc:  # noqa: BLE001 — errors must match too
        return "error", type(exc).__name__


@settings(max_examples=400, deadline=None)
@given(TOKENISH)
def test_name_decoding_same_as_pyhanko(data: bytes) -> None:
    assert _decoded(fastparse._decode_name, data) == _decoded(fastparse._original_decode_name, data)


def test_long_tokens_cross_chunks() -> None:
    data = b"x" + b"A" * 1000 + b"/rest"
    assert _token_run(fastparse._read_until_class, data, b"/") == _token_run(fastparse._original_read_until_class, data, b"/")
    assert _decoded(fastparse._decode_name, b"A" * 500) == _decoded(fastparse._original_decode_name, b"A" * 500)


WHITESPACEY = st.lists(st.sampled_from(list(b" \n\r\t\f\x00%ab1/<")), max_size=150).map(bytes)


def _skip_run(function, data: bytes, seek_back: bool, allow_eof: bool):
    stream = io.BytesIO(data)
    stream.read(1)  # start somewhere other than 0
    try:
        result = ("ok", function(stream, seek_back=seek_back, allow_eof=allow_eof))
    except Exception as exc:  # noqa: BLE001 — errors must match too
        result = ("error", type(exc).__name__)
    return result, stream.tell()


@settings(max_examples=600, deadline=None)
@given(WHITESPACEY, st.booleans(), st.booleans())
def test_whitespace_skipping_same_as_pyhanko(data: bytes, seek_back: bool, allow_eof: bool) -> None:
    """Same byte, same error at the end of the stream, same position left behind — also across
    comments and runs of whitespace longer than the fast reader's chunk."""
    data = data.replace(b"1", b" " * 70)  # long whitespace runs
    assert _skip_run(fastparse.read_non_whitespace, data, seek_back, allow_eof) == _skip_run(
        fastparse._original_read_non_whitespace, data, seek_back, allow_eof
    )


def test_whitespace_skipping_is_in_place_where_pyhanko_calls_it_while_docaudit_validates() -> None:
    from pyhanko.pdf_utils import generic, misc

    from docaudit.signatures import patches

    with patches.applied():
        assert misc.read_non_whitespace is fastparse.read_non_whitespace
        assert generic.read_non_whitespace is fastparse.read_non_whitespace
    assert misc.read_non_whitespace is fastparse._original_read_non_whitespace
    assert generic.read_non_whitespace is fastparse._original_read_non_whitespace
