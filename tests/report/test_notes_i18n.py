"""Scan notes are shown in the reader's language; the stored report keeps docaudit's English."""

from __future__ import annotations

from docaudit.report.i18n import note

DB_NOTE = "audit folder /srv/audit is not writable; the results database is /root/.cache/docaudit/ab.sqlite"
TRUST_NOTE = "no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'"


def test_notes_in_vietnamese() -> None:
    assert note(DB_NOTE, "vi") == ("thư mục kiểm tra /srv/audit không ghi được; cơ sở dữ liệu kết quả đặt tại "
                                   "/root/.cache/docaudit/ab.sqlite")
    assert "không chứng thư gốc nào được tin cậy" in note(TRUST_NOTE, "vi")


def test_english_and_unknown_notes_pass_through() -> None:
    assert note(DB_NOTE, "en") == DB_NOTE
    assert note("something new", "vi") == "something new"


def test_the_no_trust_note_names_the_vietnamese_pack_and_old_reports_still_read() -> None:
    from docaudit.text import message, render

    current = render(message("note.no-trust"), "en")
    assert current.startswith(TRUST_NOTE) and "--trust-pack vn" in current  # the line extended, not replaced
    assert "--trust-pack vn" in note(current, "vi") and "không chứng thư gốc nào" in note(current, "vi")
    assert "--trust-pack" not in note(TRUST_NOTE, "vi")  # a report stored before packs reads as it was
