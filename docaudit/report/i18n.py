"""Words and number style for user-facing report text (``--lang vi|en``).

Vietnamese writes ``1.234`` and ``87,03%``; English ``1,234`` and ``87.03%``.
"""

from __future__ import annotations

LANGS = ("vi", "en")

TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Kết quả kiểm tra văn bản", "en": "Document audit results"},
    "agency": {"vi": "Cơ quan", "en": "Agency"},
    "overall": {"vi": "Tổng cộng", "en": "Overall"},
    "total": {"vi": "Tổng số VB", "en": "Entries"},
    "via_software": {"vi": "Qua phần mềm", "en": "Via software"},
    "paperless": {"vi": "Hoàn toàn điện tử", "en": "Fully online"},
    "signatures": {"vi": "Chữ ký: hợp lệ/lỗi/chưa XĐ/không ký",
                   "en": "Signed: valid/invalid/indet./none"},
    "top_reasons": {"vi": "Lý do chính không được tính", "en": "Top reasons not counted"},
    "period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "all_dates": {"vi": "toàn bộ", "en": "all dates"},
    "targets": {"vi": "Chỉ tiêu", "en": "Targets"},
    "row_errors": {"vi": "Dòng sổ đăng ký không đọc được", "en": "Register rows that could not be read"},
    "row": {"vi": "dòng", "en": "row"},
    "excluded": {"vi": "Loại trừ: trùng {duplicate}, ngoài kỳ {out_of_period}, lỗi {unparsable}",
                 "en": "Excluded: duplicate {duplicate}, out of period {out_of_period}, unparsable {unparsable}"},
    "run": {"vi": "Lần quét #{run_id} đã lưu vào {db}", "en": "Scan run #{run_id} stored in {db}"},
    "met": {"vi": "đạt", "en": "met"},
    "not_met": {"vi": "chưa đạt", "en": "not met"},
    "no_data": {"vi": "không có dữ liệu", "en": "no data"},
}

REASONS: dict[str, dict[str, str]] = {
    "not-via-system": {"vi": "không qua phần mềm", "en": "not via the software"},
    "no-file": {"vi": "không có tệp (chỉ bản giấy)", "en": "no file (paper only)"},
    "file-missing": {"vi": "không tìm thấy tệp", "en": "file missing"},
    "path-outside-root": {"vi": "đường dẫn ra ngoài thư mục kiểm tra", "en": "path outside the audit root"},
    "file-unreadable": {"vi": "tệp hỏng, không đọc được", "en": "file unreadable"},
    "channel-paper": {"vi": "gửi bằng giấy", "en": "sent on paper"},
    "channel-both": {"vi": "kèm bản giấy", "en": "with a paper copy"},
    "unsigned": {"vi": "không có chữ ký số", "en": "not digitally signed"},
    "signature-invalid": {"vi": "chữ ký số không hợp lệ", "en": "invalid signature"},
    "signature-indeterminate": {"vi": "chữ ký số chưa xác định được", "en": "signature cannot be verified"},
}


def t(key: str, lang: str, **values) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def reason(code: str, lang: str) -> str:
    return REASONS.get(code, {}).get(lang, code)


def number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def percent(rate: float | None, lang: str, digits: int = 2) -> str:
    if rate is None:
        return "—"
    text = f"{rate * 100:,.{digits}f}%"
    if lang == "vi":
        # swap separators: 1,234.56 → 1.234,56
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
