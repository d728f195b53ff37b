"""The one guarded reader behind evidence parsing and digests (docaudit.evidence.regular)."""

from __future__ import annotations

import hashlib
import os

import pytest

from docaudit.digests import read_digest
from docaudit.evidence.inspect import read_limited
from docaudit.evidence.regular import NotRegular, TooLarge, open_regular, read_chunks


def test_a_file_of_exactly_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    assert read_digest(str(path), 100)[0] == hashlib.sha256(b"x" * 100).hexdigest()


def test_a_file_over_the_limit_is_refused_with_its_size_and_never_hashed(tmp_path):
    path = tmp_path / "big.pdf"
    path.write_bytes(b"x" * 101)
    with pytest.raises(TooLarge) as refused:
        read_limited(path, 100)
    assert refused.value.size == 101
    assert read_digest(str(path), 100) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs only")
def test_a_fifo_is_refused_without_blocking_by_both_readers(tmp_path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(NotRegular):
        read_limited(fifo, 1000)
    assert read_digest(str(fifo), 1000) is None


def test_a_file_that_grows_while_read_stops_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "growing.pdf"
    path.write_bytes(b"a" * 10)
    read = []
    with open_regular(path, 20) as (fd, info):
        assert info.st_size == 10
        path.write_bytes(b"b" * 1000)  # rewritten in place after the size check
        with pytest.raises(TooLarge) as grown:
            for chunk in read_chunks(fd, 20, chunk=7):
                read.append(chunk)
    assert grown.value.size == 21
    assert sum(map(len, read)) <= 20
