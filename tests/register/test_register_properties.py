"""Property tests: a CSV round trip, and select() never loses a row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from docaudit.model import Channel, Direction, Period, Register, RegisterEntry
from docaudit.register import read_register, select

# Text that survives trimming and NFC normalisation unchanged: no surrounding whitespace, NFC.
_chars = st.characters(
    min_codepoint=0x20,
    max_codepoint=0x1EF9,
    blacklist_categories=("Cs", "Cc", "Mn", "Me", "Zl", "Zp", "Zs"),
)
words = st.text(_chars, min_size=1, max_size=12).filter(lambda s: s == s.strip())
words = words.filter(lambda s: unicodedata.is_normalized("NFC", s))
agencies = st.sampled_from(["UBND-BQ", "Sở Nội vụ", "UBND xã Đông Hà", "A"])
dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2023, 12, 31))


@st.composite
def entries(draw, row: int = 0) -> RegisterEntry:
    return RegisterEntry(
        row=row,
        agency=draw(agencies),
        direction=draw(st.sampled_from(list(Direction))),
        number=draw(st.sampled_from(["1/UBND", "1/ubnd", " 2/QĐ-UBND", "149-KH/HU"]) | words),
        doc_type=draw(st.sampled_from(["", "QĐ", "CV"])),
        date=draw(dates),
        subject=draw(st.just("") | words),
        counterparty=draw(st.just("") | words),
        channel=draw(st.sampled_from(list(Channel))),
        via_system=draw(st.booleans()),
        file=draw(st.none() | st.sampled_from(["files/a.pdf", "files/Quyết định.pdf"])),
    )


DIRECTION_TEXT = {Direction.OUTGOING: ["outgoing", "đi", "di", "out"], Direction.INCOMING: ["incoming", "đến", "den", "in"]}
CHANNEL_TEXT = {
    Channel.ELECTRONIC: ["electronic", "điện tử", "dien tu"],
    Channel.PAPER: ["paper", "giấy", "giay"],
    Channel.BOTH: ["both", "điện tử và giấy", "điện tử + giấy"],
}
BOOL_TEXT = {True: ["yes", "true", "1", "có", "Y"], False: ["no", "false", "0", "không", "N"]}


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(entries(), max_size=15),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
    data=st.data(),
)
def test_csv_round_trip(rows, delimiter, bom, data):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Cơ quan", "hướng", "number", "doc_type", "ngày", "subject", "counterparty", "channel", "via_system", "tệp"])
    for e in rows:
        day = data.draw(st.sampled_from([e.date.isoformat(), e.date.strftime("%d/%m/%Y")]))
        writer.writerow([
            e.agency,
            data.draw(st.sampled_from(DIRECTION_TEXT[e.direction])),
            e.number.strip(),
            e.doc_type,
            day,
            e.subject,
            e.counterparty,
            data.draw(st.sampled_from(CHANNEL_TEXT[e.channel])),
            data.draw(st.sampled_from(BOOL_TEXT[e.via_system])),
            e.file or "",
        ])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
        reg = read_register(path)
    assert reg.errors == ()
    expected = [
        RegisterEntry(**{**e.__dict__, "row": i, "number": e.number.strip()})
        for i, e in enumerate(rows, start=2)
    ]
    # multi-line fields cannot occur (no line breaks in the generated text), so row = line
    assert list(reg.entries) == expected


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(entries(), max_size=25), start=st.none() | dates, end=st.none() | dates)
def test_select_never_loses_a_row(rows, start, end):
    rows = [RegisterEntry(**{**e.__dict__, "row": i}) for i, e in enumerate(rows, start=2)]
    if start and end and start > end:
        start, end = end, start
    period = Period(start, end)
    sel = select(Register("register.csv", tuple(rows), ()), period)
    counts = sel.excluded_total
    assert len(sel.entries) + counts.duplicate + counts.out_of_period == len(rows)
    assert len(sel.duplicates) == counts.duplicate
    # kept entries: in period, unique keys, in register order
    assert all(period.contains(e.date) for e in sel.entries)
    assert len({e.dedup_key for e in sel.entries}) == len(sel.entries)
    assert [e.row for e in sel.entries] == sorted(e.row for e in sel.entries)
    for dropped, kept in sel.duplicates:
        assert dropped.dedup_key == kept.dedup_key and kept.row < dropped.row and kept in sel.entries
    # per-agency counts add up per agency too
    for agency, c in sel.excluded.items():
        mine = [e for e in rows if e.agency == agency]
        assert len([e for e in sel.entries if e.agency == agency]) + c.duplicate + c.out_of_period == len(mine)
