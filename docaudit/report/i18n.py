"""Words and number style for user-facing report text (``--lang vi|en``).

Vietnamese writes ``1.234`` and ``87,03%``; English ``1,234`` and ``87.03%``.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

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
    "findings": {"vi": "Phát hiện theo quy tắc (docaudit rules show MÃ để xem chi tiết)",
                 "en": "Findings by rule (docaudit rules show ID explains one)"},

    # --- the rendered reports (html, xlsx, docx, md) ---
    "report_title": {"vi": "Báo cáo kết quả kiểm tra văn bản điện tử", "en": "Electronic document audit report"},
    "docx_title": {"vi": "BÁO CÁO", "en": "REPORT"},
    "docx_subtitle": {"vi": "Kết quả kiểm tra tỷ lệ văn bản đi/đến được thực hiện qua phần mềm và "
                            "chuyển hoàn toàn trên môi trường mạng",
                      "en": "Audit of the share of documents handled through the software and moved fully online"},
    "period_range": {"vi": "từ ngày {start} đến ngày {end}", "en": "{start} to {end}"},
    "period_from": {"vi": "từ ngày {start}", "en": "from {start}"},
    "period_until": {"vi": "đến ngày {end}", "en": "until {end}"},
    "sources": {"vi": "Nguồn dữ liệu", "en": "Sources"},
    "audit_root": {"vi": "Thư mục kiểm tra", "en": "Audit folder"},
    "register": {"vi": "Sổ đăng ký văn bản", "en": "Document register"},
    "trust_roots": {"vi": "Chứng thư gốc tin cậy", "en": "Trust roots"},
    "trust_none": {"vi": "không có (không chữ ký nào được tin cậy)", "en": "none (no signature is trusted)"},
    "fingerprint": {"vi": "Dấu vân tay", "en": "Fingerprint"},
    "tool": {"vi": "Công cụ", "en": "Tool"},
    "target_pack": {"vi": "Bộ chỉ tiêu", "en": "Target pack"},
    "rule_pack": {"vi": "Bộ quy tắc", "en": "Rule pack"},
    "version": {"vi": "phiên bản", "en": "version"},
    "run_id": {"vi": "Lần quét", "en": "Scan run"},
    "scanned_at": {"vi": "Thời gian quét", "en": "Scanned"},
    "validation_time": {"vi": "Thời điểm kiểm tra chứng thư", "en": "Certificates checked at"},
    "summary": {"vi": "Tổng hợp", "en": "Summary"},
    "narrative": {"vi": "Đánh giá chung", "en": "Assessment"},
    "chart": {"vi": "Biểu đồ tỷ lệ so với chỉ tiêu", "en": "Rates against their targets"},
    "by_agency": {"vi": "Chi tiết theo cơ quan", "en": "By agency"},
    "breakdown": {"vi": "Phân tích", "en": "Breakdown"},
    "by_direction": {"vi": "Theo chiều văn bản", "en": "By direction"},
    "by_doc_type": {"vi": "Theo loại văn bản", "en": "By document type"},
    "by_month": {"vi": "Theo tháng", "en": "By month"},
    "by_rule": {"vi": "Phát hiện theo quy tắc", "en": "Findings by rule"},
    "dimension": {"vi": "Tiêu chí", "en": "Dimension"},
    "scope": {"vi": "Phạm vi", "en": "Scope"},
    "group": {"vi": "Nhóm", "en": "Group"},
    "not_counted_title": {"vi": "Văn bản không được tính là hoàn toàn điện tử và lý do",
                          "en": "Entries that did not count as fully online, and why"},
    "filter": {"vi": "Lọc", "en": "Filter"},
    "filter_placeholder": {"vi": "Gõ để lọc (số ký hiệu, trích yếu, lý do…)",
                           "en": "Type to filter (number, subject, reason…)"},
    "all_agencies": {"vi": "Tất cả cơ quan", "en": "All agencies"},
    "all_reasons": {"vi": "Tất cả lý do", "en": "All reasons"},
    "rows_shown": {"vi": "Hiển thị {shown}/{total} dòng", "en": "Showing {shown} of {total} rows"},
    "sort_hint": {"vi": "Bấm vào tiêu đề cột để sắp xếp", "en": "Click a column header to sort"},
    "none_not_counted": {"vi": "Mọi văn bản đều được tính.", "en": "Every entry counted."},
    "shortfalls": {"vi": "Các chỉ tiêu chưa đạt", "en": "Targets not met"},
    "no_shortfalls": {"vi": "Tất cả cơ quan đều đạt chỉ tiêu.", "en": "Every agency meets its targets."},
    "no_rates": {"vi": "Không có văn bản nào trong kỳ: chưa tính được tỷ lệ nào.",
                 "en": "No entries in scope: no rate could be computed."},
    "no_entries": {"vi": "Không có văn bản nào trong kỳ.", "en": "No entries in scope."},
    # findings a baseline accepts (docaudit baseline): after a message, under the table, counts
    "accepted_baseline": {"vi": "đã chấp nhận trong baseline", "en": "accepted in the baseline"},
    "accepted": {"vi": "đã chấp nhận", "en": "accepted"},
    "accepted_column": {"vi": "Đã chấp nhận (baseline)", "en": "Accepted (baseline)"},
    "need_more": {"vi": "cần thêm ít nhất {n} văn bản đạt yêu cầu", "en": "at least {n} more qualifying documents needed"},
    "gap": {"vi": "thấp hơn ngưỡng {points} điểm phần trăm", "en": "{points} percentage points below the threshold"},
    "main_reasons": {"vi": "lý do chính", "en": "main reasons"},
    "row_no": {"vi": "Dòng", "en": "Row"},
    "number": {"vi": "Số, ký hiệu", "en": "Number"},
    "date": {"vi": "Ngày", "en": "Date"},
    "direction": {"vi": "Chiều", "en": "Direction"},
    "doc_type": {"vi": "Loại VB", "en": "Type"},
    "subject": {"vi": "Trích yếu", "en": "Subject"},
    "channel": {"vi": "Hình thức", "en": "Channel"},
    "via_system": {"vi": "Qua phần mềm (sổ)", "en": "Via software (register)"},
    "file": {"vi": "Tệp", "en": "File"},
    "file_status": {"vi": "Tình trạng tệp", "en": "File status"},
    "verdict": {"vi": "Chữ ký (văn bản)", "en": "Signature verdict"},
    "signature_details": {"vi": "Chữ ký số", "en": "Signatures"},
    "reasons": {"vi": "Lý do không được tính", "en": "Why not counted"},
    "findings_column": {"vi": "Phát hiện", "en": "Findings"},
    "rule": {"vi": "Quy tắc", "en": "Rule"},
    "severity": {"vi": "Mức độ", "en": "Severity"},
    "message": {"vi": "Nội dung", "en": "Message"},
    "reference": {"vi": "Căn cứ", "en": "Reference"},
    "count": {"vi": "Số lượng", "en": "Count"},
    "counted": {"vi": "Được tính", "en": "Counted"},
    "claimed": {"vi": "Khai báo", "en": "Claimed"},
    "denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "target": {"vi": "Chỉ tiêu", "en": "Target"},
    "result": {"vi": "Kết quả", "en": "Result"},
    "files": {"vi": "Tệp: có/thiếu/hỏng/ngoài thư mục", "en": "Files: present/missing/unreadable/outside"},
    "excluded_short": {"vi": "Loại trừ: trùng/ngoài kỳ/lỗi", "en": "Excluded: duplicate/out of period/unparsable"},
    "sig_valid": {"vi": "Chữ ký hợp lệ", "en": "Valid signature"},
    "sig_invalid": {"vi": "Chữ ký không hợp lệ", "en": "Invalid signature"},
    "sig_indeterminate": {"vi": "Chữ ký chưa xác định", "en": "Indeterminate signature"},
    "sig_unsigned": {"vi": "Không ký số", "en": "Unsigned"},
    "f_present": {"vi": "Tệp có", "en": "Files present"},
    "f_missing": {"vi": "Tệp thiếu", "en": "Files missing"},
    "f_unreadable": {"vi": "Tệp hỏng", "en": "Files unreadable"},
    "f_outside_root": {"vi": "Tệp ngoài thư mục", "en": "Files outside root"},
    "x_duplicate": {"vi": "Loại trừ: trùng", "en": "Excluded: duplicate"},
    "x_out_of_period": {"vi": "Loại trừ: ngoài kỳ", "en": "Excluded: out of period"},
    "x_unparsable": {"vi": "Loại trừ: lỗi dòng", "en": "Excluded: unparsable"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "duplicates": {"vi": "Dòng trùng (đã loại)", "en": "Duplicate rows (left out)"},
    "duplicate_of": {"vi": "dòng {row} trùng với dòng {of}", "en": "row {row} duplicates row {of}"},
    "notes": {"vi": "Ghi chú", "en": "Notes"},
    "generated_by": {"vi": "Lập bởi {tool}", "en": "Generated by {tool}"},
    "no_findings": {"vi": "Không có phát hiện.", "en": "No findings."},
    "sheet_summary": {"vi": "Tổng hợp", "en": "Summary"},
    "sheet_entries": {"vi": "Văn bản", "en": "Entries"},
    "sheet_findings": {"vi": "Phát hiện", "en": "Findings"},
    "sheet_breakdown": {"vi": "Phân tích", "en": "Breakdown"},
    "sheet_about": {"vi": "Thông tin", "en": "About"},
    "sheet_rules": {"vi": "Theo quy tắc", "en": "By rule"},
    "signers": {"vi": "Người ký", "en": "Signers"},
    "signature_reasons": {"vi": "Lỗi chữ ký", "en": "Signature reasons"},
    "reason_codes": {"vi": "Mã lý do", "en": "Reason codes"},
    "counts_via": {"vi": "Tính qua phần mềm", "en": "Counts via software"},
    "counts_paperless": {"vi": "Tính hoàn toàn điện tử", "en": "Counts fully online"},
    "narrative_short": {"vi": "Đoạn báo cáo", "en": "Report paragraph"},
    "exceeded": {"vi": "vượt", "en": "exceeded"},
    "not_applicable": {"vi": "không áp dụng", "en": "n/a"},

    # --- docaudit check: the clerk's checklist ---
    "check.verdict": {"vi": "Kết luận chữ ký", "en": "Signature verdict"},
    "check.signatures": {"vi": "Chữ ký số", "en": "Signatures"},
    "check.who": {"vi": "Người/cơ quan ký", "en": "Signer"},
    "check.role": {"vi": "Vai trò", "en": "Role"},
    "check.when": {"vi": "Thời gian ký", "en": "Signed at"},
    "check.result": {"vi": "Kết quả", "en": "Result"},
    "check.rule": {"vi": "Quy tắc", "en": "Rule"},
    "check.check": {"vi": "Nội dung kiểm tra", "en": "Check"},
    "check.severity": {"vi": "Mức", "en": "Level"},
    "check.detail": {"vi": "Chi tiết", "en": "Detail"},
    "check.reference": {"vi": "Căn cứ", "en": "Reference"},
    "check.none": {"vi": "không có chữ ký số", "en": "no digital signature"},
    "check.summary": {"vi": "{errors} lỗi, {warnings} cảnh báo, {infos} lưu ý",
                      "en": "{errors} error(s), {warnings} warning(s), {infos} note(s)"},
    "check.unreadable": {"vi": "Không đọc được tệp", "en": "The file cannot be read"},

    # --- docaudit rules: the rule packs ---
    "rules.id": {"vi": "Mã", "en": "Id"},
    "rules.severity": {"vi": "Mức", "en": "Severity"},
    "rules.title": {"vi": "Nội dung", "en": "Title"},
    "rules.reference": {"vi": "Căn cứ", "en": "Reference"},
    "rules.applies": {"vi": "Áp dụng", "en": "Applies to"},
    "rules.remediation": {"vi": "Cách khắc phục", "en": "Remediation"},
    "rules.evaluator": {"vi": "Hàm đánh giá", "en": "Evaluator"},
    "rules.params": {"vi": "Tham số", "en": "Parameters"},
    "rules.pack": {"vi": "Bộ quy tắc", "en": "Pack"},
    "rules.scope": {"vi": "Phạm vi", "en": "Scope"},
}

DIRECTIONS: dict[str, dict[str, str]] = {
    "outgoing": {"vi": "đi", "en": "outgoing"},
    "incoming": {"vi": "đến", "en": "incoming"},
}

CHANNELS: dict[str, dict[str, str]] = {
    "electronic": {"vi": "điện tử", "en": "electronic"},
    "paper": {"vi": "giấy", "en": "paper"},
    "both": {"vi": "điện tử và giấy", "en": "electronic and paper"},
}

VERDICTS: dict[str, dict[str, str]] = {
    "valid": {"vi": "hợp lệ", "en": "valid"},
    "invalid": {"vi": "không hợp lệ", "en": "invalid"},
    "indeterminate": {"vi": "chưa xác định", "en": "indeterminate"},
    "unsigned": {"vi": "không ký số", "en": "unsigned"},
}

FILE_STATUSES: dict[str, dict[str, str]] = {
    "none": {"vi": "không có tệp", "en": "no file"},
    "present": {"vi": "có", "en": "present"},
    "missing": {"vi": "không tìm thấy", "en": "missing"},
    "unreadable": {"vi": "hỏng", "en": "unreadable"},
    "outside_root": {"vi": "ngoài thư mục", "en": "outside the root"},
}

ROLES: dict[str, dict[str, str]] = {
    "person": {"vi": "cá nhân", "en": "person"},
    "organisation": {"vi": "cơ quan, tổ chức", "en": "organisation"},  # NĐ 30: "chữ ký số của cơ quan, tổ chức"
}

SEVERITIES: dict[str, dict[str, str]] = {
    "error": {"vi": "lỗi", "en": "error"},
    "warning": {"vi": "cảnh báo", "en": "warning"},
    "info": {"vi": "thông tin", "en": "info"},
}

# How a target reads after its operator: "> 0.9" → "trên 90%", ">= 0.9" → "từ 90% trở lên".
OPERATOR_PHRASES: dict[str, dict[str, str]] = {
    ">": {"vi": "trên {value}", "en": "above {value}"},
    ">=": {"vi": "từ {value} trở lên", "en": "{value} or more"},
    "<": {"vi": "dưới {value}", "en": "below {value}"},
    "<=": {"vi": "không quá {value}", "en": "{value} or less"},
    "==": {"vi": "bằng {value}", "en": "exactly {value}"},
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


# Scan notes are stored in English (the JSON report's ``notes``); shown in the chosen language.
_NOTES = (
    (re.compile(r"no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'$"),
     "không có --trust (hay trust trong docaudit.toml): không chứng thư gốc nào được tin cậy, "
     "nên chữ ký số còn nguyên vẹn được xếp "
     "'indeterminate' (chưa xác định)"),
    (re.compile(r"audit folder (?P<folder>.+) is not writable; the results database is (?P<db>.+)$"),
     "thư mục kiểm tra {folder} không ghi được; cơ sở dữ liệu kết quả đặt tại {db}"),
)


def translate(text: str, table: Iterable[tuple[re.Pattern[str], str]]) -> str:
    """``text`` rewritten by the first (pattern, template) of ``table`` that matches it (the
    template filled with the pattern's named groups); unchanged when none does. For the English
    texts docaudit stores (notes, evidence reasons) shown in Vietnamese."""
    for pattern, template in table:
        found = pattern.match(text)
        if found:
            return template.format(**found.groupdict())
    return text


def note(text: str, lang: str) -> str:
    """A scan note in ``lang`` (Vietnamese for the notes docaudit writes; others as they are)."""
    return translate(text, _NOTES) if lang == "vi" else text


def row_error_text(error: Mapping[str, Any], lang: str) -> str:
    """A register row error's reason in ``lang`` (the report keeps both: ``reason``, ``reason_vi``)."""
    return str((error.get("reason_vi") if lang == "vi" else None) or error.get("reason") or "")


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


def word(table: dict[str, dict[str, str]], code: str | None, lang: str) -> str:
    """A code translated with one of the tables above (``DIRECTIONS``, ``VERDICTS`` …); unknown
    codes come back as they are, ``None`` as an empty string."""
    if code is None:
        return ""
    return table.get(code, {}).get(lang, code)


def phrase(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """A module's own word (``table[key]``) in ``lang``; English where ``lang`` has none."""
    return table[key].get(lang, table[key]["en"])


def threshold(value: float, lang: str) -> str:
    """A target threshold as a percentage without needless decimals: ``90%``, ``92,5%``."""
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") if lang == "vi" else text) + "%"


def target_phrase(op: str, value: float, lang: str) -> str:
    """``("> ", 0.9)`` → ``trên 90%`` / ``above 90%``; ``">="`` → ``từ 90% trở lên`` / ``90% or more``."""
    phrase = OPERATOR_PHRASES.get(op, {"vi": op + " {value}", "en": op + " {value}"})[lang]
    return phrase.format(value=threshold(value, lang))


def date_text(iso: str | None, lang: str) -> str:
    """``2021-03-05`` → ``05/03/2021`` (vi) or unchanged (en); anything else is returned as is."""
    if not iso:
        return ""
    text = str(iso)
    if lang == "vi" and len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def month_text(month: str, lang: str) -> str:
    """``2021-03`` → ``03/2021`` (vi) or unchanged (en)."""
    if lang == "vi" and len(month) == 7 and month[4] == "-":
        return f"{month[5:7]}/{month[0:4]}"
    return month


def decimal(value: float, lang: str, digits: int = 2) -> str:
    """A plain decimal number in the language's style: ``13,08`` (vi) / ``13.08`` (en)."""
    text = f"{value:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def datetime_text(iso: str | None, lang: str) -> str:
    """``2021-03-05T07:00:20.7+00:00`` → ``05/03/2021 14:00:20 (giờ Việt Nam)`` (vi: Vietnam time,
    UTC+7, as the signing times are shown) / ``2021-03-05 07:00:20 UTC`` (en)."""
    import datetime as _dt

    if not iso:
        return ""
    try:
        moment = _dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    zone = ""
    if moment.tzinfo is not None:
        vietnam = lang == "vi"
        moment = moment.astimezone(_dt.timezone(_dt.timedelta(hours=7)) if vietnam else _dt.timezone.utc)
        zone = " (giờ Việt Nam)" if vietnam else " UTC"
    day = moment.date().isoformat()
    return f"{date_text(day, lang)} {moment:%H:%M:%S}{zone}"


VALIDATION_TIMES: dict[str, dict[str, str]] = {
    "signing": {"vi": "thời điểm ký", "en": "the signing time"},
    "now": {"vi": "thời điểm quét", "en": "the time of the scan"},
}
