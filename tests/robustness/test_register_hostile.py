"""Registers from ten programs in three encodings: every row is an entry or a row error."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from docaudit.errors import RegisterError
from docaudit.register import read_register

from .conftest import REPO, count

HEADER = "Cơ quan,Hướng,Số ký hiệu,Loại văn bản,Ngày,Trích yếu,Nơi gửi/nhận,Hình thức,Qua phần mềm,Tệp"
ROWS = [
    "UBND-BQ,đi,01/QĐ-UBND,QĐ,05/01/2021,Ủy ban nhân dân huyện Bắc Quang,Sở Nội vụ,điện tử,có,files/a.pdf",
    "Sở TT&TT,đến,45/STTTT-VP,CV,2021-02-03,Về việc ứng dụng CNTT,\"Văn phòng, UBND\",giấy,không,",
    "Huyện ủy,đi,149-KH/HU,KH,5/3/2021,Kế hoạch,Các chi bộ,điện tử và giấy,có,files/b.pdf",
]


def _to_cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters plus combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):
            composed = unicodedata.normalize("NFC", base + mark)
            try:
                composed.encode("cp1258")
            except UnicodeEncodeError:
                continue
            if len(composed) == 1:
                base, marks = composed, marks[:i] + marks[i + 1:]
                break
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def _check(path: Path, data_rows: int) -> None:
    count("register files")
    register = read_register(path)
    assert len(register.entries) + len(register.errors) == data_rows
    for error in register.errors:
        assert error.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1258"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = "\r\n".join([HEADER, *ROWS]) + "\r\n"
    if encoding == "cp1258":
        data = _to_cp1258(text)
    elif encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    _check(path, len(ROWS))
    register = read_register(path)
    assert [e.agency for e in register.entries] == ["UBND-BQ", "Sở TT&TT", "Huyện ủy"]
    assert register.entries[0].subject == "Ủy ban nhân dân huyện Bắc Quang"


def test_tcvn3_text_is_read_without_failing(tmp_path: Path) -> None:
    # TCVN3 (ABC) bytes: Vietnamese in a font-specific 8-bit code; decoded as legacy 8-bit text
    tcvn3 = "UBND,®i,01/Q§-UBND,Q§,05/01/2021,Uû ban nh©n d©n,Së Néi vô,®iÖn tö,cã,\n".encode("latin-1")
    path = tmp_path / "register.csv"
    path.write_bytes(HEADER.encode("utf-8") + b"\n" + tcvn3 + ROWS[0].encode("utf-8") + b"\n")
    _check(path, 2)


def test_nul_bytes_and_ragged_rows(tmp_path: Path) -> None:
    lines = [HEADER, ROWS[0].replace("UBND", "UB\x00ND"), "UBND-BQ,đi", ROWS[1] + ",extra,cells,,", "\x00\x00\x00",
             ROWS[2], "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p"]
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _check(path, 5)  # the all-NUL line is blank once NULs are dropped


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=14),
                max_size=12),
       st.sampled_from(["utf-8", "utf-16", "cp1258", "latin-1"]), st.sampled_from([",", ";", "\t"]))
def test_arbitrary_cells_never_crash(tmp_path_factory, rows, encoding, delimiter) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("reg") / "register.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    count("register files")
    try:
        register = read_register(path)
    except RegisterError as error:  # a whole-file problem: one line naming the file
        assert "\n" not in str(error) and str(path) in str(error)
        return
    assert all(e.reason for e in register.errors)


def test_register_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "register.csv")
    count("register files")
    with pytest.raises(RegisterError, match="not a regular file"):
        read_register(tmp_path / "register.csv")


MILLION = r"""
import resource, sys, time
from pathlib import Path
from docaudit.register import read_register, select
from docaudit.model import Period
start = time.monotonic()
register = read_register(Path(sys.argv[1]))
selection = select(register, Period())
print(len(register.entries), len(register.errors), len(selection.entries), round(time.monotonic() - start, 1),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_a_million_row_register_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("agency,direction,number,doc_type,date,subject,counterparty,channel,via_system,file\n")
        handle.writelines(
            f"UB{i % 7},đi,{i}/QĐ-UBND,QĐ,{1 + i % 28:02d}/{1 + i % 12:02d}/2021,,,điện tử,{'có' if i % 999 else '?'},\n"
            for i in range(1_000_000)
        )
    done = subprocess.run([sys.executable, "-c", MILLION, str(path)], capture_output=True, text=True, timeout=120,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    entries, errors, selected, seconds, peak_mib = done.stdout.split()
    count("register rows", 1_000_000)
    assert int(entries) + int(errors) == 1_000_000 and int(errors) == 1002
    assert int(selected) <= int(entries)
    assert int(peak_mib) < 3000, f"peak memory {peak_mib} MiB for a 1,000,000-row register"
