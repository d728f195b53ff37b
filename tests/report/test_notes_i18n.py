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
