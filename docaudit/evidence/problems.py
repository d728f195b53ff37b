"""Findings for evidence files that could not be used (missing, outside the root, unreadable),
in Vietnamese and English — the same for ``scan`` entries and the ``check`` checklist."""

from __future__ import annotations

from ..model import PROBLEM_CODES, Evidence, FileStatus, Finding, Severity
from ..report.i18n import translate

import re

_MESSAGES = {
    FileStatus.MISSING: ("Không tìm thấy tệp {path}: {reason}", "File {path} not found: {reason}"),
    FileStatus.OUTSIDE_ROOT: ("Không mở tệp {path} vì nằm ngoài thư mục kiểm tra: {reason}",
                              "File {path} not opened, it lies outside the audit root: {reason}"),
    FileStatus.UNREADABLE: ("Không đọc được tệp {path}: {reason}", "File {path} cannot be read: {reason}"),
}


# The reasons the evidence layer gives (in English, as stored), in Vietnamese for the message a
# Vietnamese report shows. A reason not listed here (a parser's own words) stays as it is.
_REASONS_VI = tuple((re.compile(pattern + "$", re.DOTALL), text) for pattern, text in (
    (r"file not found", "không có tệp này"),
    (r"not a regular file", "không phải tệp thông thường"),
    (r"'(?P<p>.*)' resolves outside the audit root", "'{p}' trỏ ra ngoài thư mục kiểm tra"),
    (r"absolute path '(?P<p>.*)' is not allowed; paths are relative to the audit root",
     "không chấp nhận đường dẫn tuyệt đối '{p}'; đường dẫn phải tương đối với thư mục kiểm tra"),
    (r"path contains a NUL byte", "đường dẫn chứa ký tự NUL"),
    (r"file larger than (?P<a>\d+) bytes \((?P<b>\d+) bytes\)", "tệp lớn hơn {a} byte ({b} byte)"),
    (r"cannot be read: (?P<x>.*)", "không đọc được: {x}"),
    (r"empty file", "tệp rỗng"),
    (r"not a PDF or DOCX file", "không phải tệp PDF hay DOCX"),
    (r"ZIP archive without word/document.xml: not a DOCX", "tệp ZIP không có word/document.xml: không phải DOCX"),
    (r"DOCX refused: (?P<x>.*)", "DOCX bị từ chối: {x}"),
    (r"DOCX cannot be parsed: (?P<x>.*)", "không phân tích được DOCX: {x}"),
    (r"truncated PDF: no %%EOF marker at the end of the file", "PDF bị cắt cụt: cuối tệp không có dấu %%EOF"),
    (r"encrypted PDF: a password is needed to open it", "PDF được mã hóa: cần mật khẩu để mở"),
    (r"PDF cannot be parsed: (?P<x>.*)", "không phân tích được PDF: {x}"),
    (r"timeout after (?P<x>.*) s", "quá thời gian {x} giây"),
    (r"structure nested too deeply to be read", "cấu trúc lồng quá sâu, không đọc được"),
    (r"out of memory while reading the file", "hết bộ nhớ khi đọc tệp"),
    (r"internal error while reading: (?P<x>.*)", "lỗi nội bộ khi đọc: {x}"),
    (r"the PDF/DOCX reader crashed on this file \(its worker process died\)",
     "trình đọc PDF/DOCX bị lỗi khi đọc tệp này (tiến trình đọc đã dừng)"),
))


def reason_vi(reason: str | None) -> str:
    """``reason`` in Vietnamese where it is one of the evidence layer's own reasons."""
    return translate(reason or "", _REASONS_VI)


def evidence_findings(evidence: Evidence) -> tuple[Finding, ...]:
    rule = PROBLEM_CODES.get(evidence.status)
    if rule is None:
        return ()
    vi, en = _MESSAGES[evidence.status]
    if evidence.status is FileStatus.MISSING and evidence.reason == "file not found":
        vi, en = "Không tìm thấy tệp {path}", "File {path} not found"  # the reason would only repeat it
    message = vi.format(path=evidence.path, reason=reason_vi(evidence.reason))
    return (Finding(rule, Severity.ERROR, message, None, en.format(path=evidence.path, reason=evidence.reason)),)
