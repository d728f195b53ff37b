"""jsonstream writes json.dumps's text byte for byte, in pieces, with lazy lists."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from docaudit.jsonstream import LazyList, TextMemo, dumps, iter_dumps, write_text

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=20)
reports = st.dictionaries(st.text(), values | st.lists(values, max_size=5), max_size=6)


@settings(max_examples=300, deadline=None)
@given(reports, st.sampled_from([None, 0, 2, 4]))
def test_same_text_as_json_dumps(report, indent) -> None:
    assert dumps(report, indent=indent) == json.dumps(report, ensure_ascii=False, indent=indent)


@settings(max_examples=100, deadline=None)
@given(st.lists(values, max_size=6), values, st.sampled_from([None, 2]))
def test_lazy_lists_anywhere(items, other, indent) -> None:
    lazy = {"schema": "x", "entries": LazyList(lambda v: v, items), "deep": {"again": LazyList(str, [1, 2])},
            "other": other}
    plain = {"schema": "x", "entries": items, "deep": {"again": ["1", "2"]}, "other": other}
    assert dumps(lazy, indent=indent) == json.dumps(plain, ensure_ascii=False, indent=indent)
    assert dumps(LazyList(lambda v: v, items), indent=indent) == json.dumps(items, ensure_ascii=False, indent=indent)


def test_one_piece_per_entry_and_each_pass_makes_them_again() -> None:
    made: list[int] = []

    def entry(i: int) -> dict:
        made.append(i)
        return {"row": i, "subject": "Quyết định"}

    report = {"schema": "docaudit.report/1", "entries": LazyList(entry, range(3))}
    pieces = list(iter_dumps(report, indent=2))
    assert len(pieces) >= 3 + 2 and made == [0, 1, 2]
    assert "".join(iter_dumps(report, indent=2)) == "".join(pieces) and made == [0, 1, 2, 0, 1, 2]
    assert json.loads("".join(pieces))["entries"][2] == {"row": 2, "subject": "Quyết định"}


def test_one_line_items_reads_back_the_same_value_with_one_item_per_line() -> None:
    import json

    from docaudit.jsonstream import LazyList, dumps

    value = {"summary": {"a": 1, "b": [1, 2]}, "entries": LazyList(lambda i: {"row": i, "tên": "Sở", "x": [i, None]},
                                                                    range(3)), "empty": []}
    text = dumps(value, indent=2, one_line_items=True)
    assert json.loads(text) == {"summary": {"a": 1, "b": [1, 2]},
                                "entries": [{"row": i, "tên": "Sở", "x": [i, None]} for i in range(3)], "empty": []}
    lines = text.splitlines()
    assert '    {"row": 0, "tên": "Sở", "x": [0, null]},' in lines  # one entry per line, readable UTF-8


def test_chunks_keep_the_text_and_cut_it_at_the_size() -> None:
    from docaudit.jsonstream import chunks

    pieces = ["ab", "c", "", "defg", "h", "ij"]
    parts = list(chunks(pieces, 3))
    assert "".join(parts) == "abcdefghij"
    assert parts == ["abc", "defg", "hij"]  # each part but the last reaches the size
    assert list(chunks([], 3)) == [] and list(chunks(["x"], 3)) == ["x"]


def test_write_text_ends_with_exactly_one_newline() -> None:
    for pieces, text in ((["{", "}"], "{}\n"), (["a\n"], "a\n"), ([], "\n")):
        out: list[str] = []
        write_text(iter(pieces), out.append)
        assert "".join(out) == text


class _Report:  # any object a weak reference can point at
    pass


def test_text_memo_keeps_a_short_text_for_the_same_object_only() -> None:
    memo = TextMemo(limit=10)
    report, other = _Report(), _Report()
    assert list(memo.recording(report, iter(["abc", "def"]))) == ["abc", "def"]
    assert memo.get(report) == ["abc", "def"]
    assert memo.get(other) is None
    assert list(memo.recording(other, iter(["x"]))) == ["x"]
    assert memo.get(report) is None  # one slot: the last object only


def test_text_memo_lets_a_long_or_unfinished_text_go() -> None:
    memo = TextMemo(limit=5)
    report = _Report()
    assert list(memo.recording(report, iter(["abc", "def"]))) == ["abc", "def"]
    assert memo.get(report) is None  # over the limit: written, not kept
    memo = TextMemo(limit=100)
    parts = memo.recording(report, iter(["abc", "def"]))
    next(parts)
    assert memo.get(report) is None  # not read to the end (the store failed): nothing kept


def test_text_memo_does_not_keep_its_object_alive() -> None:
    import gc
    import weakref

    memo = TextMemo(limit=100)
    report = _Report()
    list(memo.recording(report, iter(["abc"])))
    alive = weakref.ref(report)
    del report
    gc.collect()
    assert alive() is None
