"""Every user-facing text of docaudit, keyed by a stable code, in Vietnamese and English.

Templates use ``str.format`` placeholders (``{path}``); both languages of a code name the same
placeholders (a test checks it). Families share a prefix (``evidence.``, ``row.``, ``direction.`` …);
the report's own words keep the short codes the renderers have always used (``title``, ``check.*``).
"""

from __future__ import annotations

# Report, check and rules words (codes as the renderers have always used them).
_REPORT: dict[str, dict[str, str]] = {
    'title': {"vi": 'Kết quả kiểm tra văn bản', "en": 'Document audit results'},
    'agency': {"vi": 'Cơ quan', "en": 'Agency'},
    'overall': {"vi": 'Tổng cộng', "en": 'Overall'},
    'total': {"vi": 'Tổng số VB', "en": 'Entries'},
    'via_software': {"vi": 'Qua phần mềm', "en": 'Via software'},
    'paperless': {"vi": 'Hoàn toàn điện tử', "en": 'Fully online'},
    'signatures': {"vi": 'Chữ ký: hợp lệ/lỗi/chưa XĐ/không ký', "en": 'Signed: valid/invalid/indet./none'},
    'top_reasons': {"vi": 'Lý do chính không được tính', "en": 'Top reasons not counted'},
    'period': {"vi": 'Kỳ báo cáo', "en": 'Period'},
    'all_dates': {"vi": 'toàn bộ', "en": 'all dates'},
    'targets': {"vi": 'Chỉ tiêu', "en": 'Targets'},
    'row_errors': {"vi": 'Dòng sổ đăng ký không đọc được', "en": 'Register rows that could not be read'},
    'row': {"vi": 'dòng', "en": 'row'},
    'excluded': {"vi": 'Loại trừ: trùng {duplicate}, ngoài kỳ {out_of_period}, lỗi {unparsable}', "en": 'Excluded: duplicate {duplicate}, out of period {out_of_period}, unparsable {unparsable}'},
    'run': {"vi": 'Lần quét #{run_id} đã lưu vào {db}', "en": 'Scan run #{run_id} stored in {db}'},
    'met': {"vi": 'đạt', "en": 'met'},
    'not_met': {"vi": 'chưa đạt', "en": 'not met'},
    'no_data': {"vi": 'không có dữ liệu', "en": 'no data'},
    'findings': {"vi": 'Phát hiện theo quy tắc (docaudit rules show MÃ để xem chi tiết)', "en": 'Findings by rule (docaudit rules show ID explains one)'},
    'report_title': {"vi": 'Báo cáo kết quả kiểm tra văn bản điện tử', "en": 'Electronic document audit report'},
    'docx_title': {"vi": 'BÁO CÁO', "en": 'REPORT'},
    'docx_subtitle': {"vi": 'Kết quả kiểm tra tỷ lệ văn bản đi/đến được thực hiện qua phần mềm và chuyển hoàn toàn trên môi trường mạng', "en": 'Audit of the share of documents handled through the software and moved fully online'},
    'period_range': {"vi": 'từ ngày {start} đến ngày {end}', "en": '{start} to {end}'},
    'period_from': {"vi": 'từ ngày {start}', "en": 'from {start}'},
    'period_until': {"vi": 'đến ngày {end}', "en": 'until {end}'},
    'sources': {"vi": 'Nguồn dữ liệu', "en": 'Sources'},
    'audit_root': {"vi": 'Thư mục kiểm tra', "en": 'Audit folder'},
    'register': {"vi": 'Sổ đăng ký văn bản', "en": 'Document register'},
    'trust_roots': {"vi": 'Chứng thư gốc tin cậy', "en": 'Trust roots'},
    'trust_none': {"vi": 'không có (không chữ ký nào được tin cậy)', "en": 'none (no signature is trusted)'},
    'fingerprint': {"vi": 'Dấu vân tay', "en": 'Fingerprint'},
    'tool': {"vi": 'Công cụ', "en": 'Tool'},
    'target_pack': {"vi": 'Bộ chỉ tiêu', "en": 'Target pack'},
    'rule_pack': {"vi": 'Bộ quy tắc', "en": 'Rule pack'},
    'version': {"vi": 'phiên bản', "en": 'version'},
    'run_id': {"vi": 'Lần quét', "en": 'Scan run'},
    'scanned_at': {"vi": 'Thời gian quét', "en": 'Scanned'},
    'validation_time': {"vi": 'Thời điểm kiểm tra chứng thư', "en": 'Certificates checked at'},
    'summary': {"vi": 'Tổng hợp', "en": 'Summary'},
    'narrative': {"vi": 'Đánh giá chung', "en": 'Assessment'},
    'chart': {"vi": 'Biểu đồ tỷ lệ so với chỉ tiêu', "en": 'Rates against their targets'},
    'by_agency': {"vi": 'Chi tiết theo cơ quan', "en": 'By agency'},
    'breakdown': {"vi": 'Phân tích', "en": 'Breakdown'},
    'by_direction': {"vi": 'Theo chiều văn bản', "en": 'By direction'},
    'by_doc_type': {"vi": 'Theo loại văn bản', "en": 'By document type'},
    'by_month': {"vi": 'Theo tháng', "en": 'By month'},
    'by_rule': {"vi": 'Phát hiện theo quy tắc', "en": 'Findings by rule'},
    'dimension': {"vi": 'Tiêu chí', "en": 'Dimension'},
    'scope': {"vi": 'Phạm vi', "en": 'Scope'},
    'group': {"vi": 'Nhóm', "en": 'Group'},
    'not_counted_title': {"vi": 'Văn bản không được tính là hoàn toàn điện tử và lý do', "en": 'Entries that did not count as fully online, and why'},
    'filter': {"vi": 'Lọc', "en": 'Filter'},
    'filter_placeholder': {"vi": 'Gõ để lọc (số ký hiệu, trích yếu, lý do…)', "en": 'Type to filter (number, subject, reason…)'},
    'all_agencies': {"vi": 'Tất cả cơ quan', "en": 'All agencies'},
    'all_reasons': {"vi": 'Tất cả lý do', "en": 'All reasons'},
    'rows_shown': {"vi": 'Hiển thị {shown}/{total} dòng', "en": 'Showing {shown} of {total} rows'},
    'sort_hint': {"vi": 'Bấm vào tiêu đề cột để sắp xếp', "en": 'Click a column header to sort'},
    'none_not_counted': {"vi": 'Mọi văn bản đều được tính.', "en": 'Every entry counted.'},
    'shortfalls': {"vi": 'Các chỉ tiêu chưa đạt', "en": 'Targets not met'},
    'no_shortfalls': {"vi": 'Tất cả cơ quan đều đạt chỉ tiêu.', "en": 'Every agency meets its targets.'},
    'no_rates': {"vi": 'Không có văn bản nào trong kỳ: chưa tính được tỷ lệ nào.', "en": 'No entries in scope: no rate could be computed.'},
    'no_entries': {"vi": 'Không có văn bản nào trong kỳ.', "en": 'No entries in scope.'},
    'accepted_baseline': {"vi": 'đã chấp nhận trong baseline', "en": 'accepted in the baseline'},
    'accepted': {"vi": 'đã chấp nhận', "en": 'accepted'},
    'accepted_column': {"vi": 'Đã chấp nhận (baseline)', "en": 'Accepted (baseline)'},
    'need_more': {"vi": 'cần thêm ít nhất {n} văn bản đạt yêu cầu', "en": 'at least {n} more qualifying documents needed'},
    'gap': {"vi": 'thấp hơn ngưỡng {points} điểm phần trăm', "en": '{points} percentage points below the threshold'},
    'main_reasons': {"vi": 'lý do chính', "en": 'main reasons'},
    'row_no': {"vi": 'Dòng', "en": 'Row'},
    'number': {"vi": 'Số, ký hiệu', "en": 'Number'},
    'date': {"vi": 'Ngày', "en": 'Date'},
    'direction': {"vi": 'Chiều', "en": 'Direction'},
    'doc_type': {"vi": 'Loại VB', "en": 'Type'},
    'subject': {"vi": 'Trích yếu', "en": 'Subject'},
    'channel': {"vi": 'Hình thức', "en": 'Channel'},
    'via_system': {"vi": 'Qua phần mềm (sổ)', "en": 'Via software (register)'},
    'file': {"vi": 'Tệp', "en": 'File'},
    'file_status': {"vi": 'Tình trạng tệp', "en": 'File status'},
    'verdict': {"vi": 'Chữ ký (văn bản)', "en": 'Signature verdict'},
    'signature_details': {"vi": 'Chữ ký số', "en": 'Signatures'},
    'reasons': {"vi": 'Lý do không được tính', "en": 'Why not counted'},
    'findings_column': {"vi": 'Phát hiện', "en": 'Findings'},
    'rule': {"vi": 'Quy tắc', "en": 'Rule'},
    'severity': {"vi": 'Mức độ', "en": 'Severity'},
    'message': {"vi": 'Nội dung', "en": 'Message'},
    'reference': {"vi": 'Căn cứ', "en": 'Reference'},
    'count': {"vi": 'Số lượng', "en": 'Count'},
    'counted': {"vi": 'Được tính', "en": 'Counted'},
    'claimed': {"vi": 'Khai báo', "en": 'Claimed'},
    'denominator': {"vi": 'Mẫu số', "en": 'Denominator'},
    'rate': {"vi": 'Tỷ lệ', "en": 'Rate'},
    'target': {"vi": 'Chỉ tiêu', "en": 'Target'},
    'result': {"vi": 'Kết quả', "en": 'Result'},
    'files': {"vi": 'Tệp: có/thiếu/hỏng/ngoài thư mục', "en": 'Files: present/missing/unreadable/outside'},
    'excluded_short': {"vi": 'Loại trừ: trùng/ngoài kỳ/lỗi', "en": 'Excluded: duplicate/out of period/unparsable'},
    'sig_valid': {"vi": 'Chữ ký hợp lệ', "en": 'Valid signature'},
    'sig_invalid': {"vi": 'Chữ ký không hợp lệ', "en": 'Invalid signature'},
    'sig_indeterminate': {"vi": 'Chữ ký chưa xác định', "en": 'Indeterminate signature'},
    'sig_unsigned': {"vi": 'Không ký số', "en": 'Unsigned'},
    'f_present': {"vi": 'Tệp có', "en": 'Files present'},
    'f_missing': {"vi": 'Tệp thiếu', "en": 'Files missing'},
    'f_unreadable': {"vi": 'Tệp hỏng', "en": 'Files unreadable'},
    'f_outside_root': {"vi": 'Tệp ngoài thư mục', "en": 'Files outside root'},
    'x_duplicate': {"vi": 'Loại trừ: trùng', "en": 'Excluded: duplicate'},
    'x_out_of_period': {"vi": 'Loại trừ: ngoài kỳ', "en": 'Excluded: out of period'},
    'x_unparsable': {"vi": 'Loại trừ: lỗi dòng', "en": 'Excluded: unparsable'},
    'yes': {"vi": 'có', "en": 'yes'},
    'no': {"vi": 'không', "en": 'no'},
    'duplicates': {"vi": 'Dòng trùng (đã loại)', "en": 'Duplicate rows (left out)'},
    'duplicate_of': {"vi": 'dòng {row} trùng với dòng {of}', "en": 'row {row} duplicates row {of}'},
    'notes': {"vi": 'Ghi chú', "en": 'Notes'},
    'generated_by': {"vi": 'Lập bởi {tool}', "en": 'Generated by {tool}'},
    'no_findings': {"vi": 'Không có phát hiện.', "en": 'No findings.'},
    'sheet_summary': {"vi": 'Tổng hợp', "en": 'Summary'},
    'sheet_entries': {"vi": 'Văn bản', "en": 'Entries'},
    'sheet_findings': {"vi": 'Phát hiện', "en": 'Findings'},
    'sheet_breakdown': {"vi": 'Phân tích', "en": 'Breakdown'},
    'sheet_about': {"vi": 'Thông tin', "en": 'About'},
    'sheet_rules': {"vi": 'Theo quy tắc', "en": 'By rule'},
    'signers': {"vi": 'Người ký', "en": 'Signers'},
    'signature_reasons': {"vi": 'Lỗi chữ ký', "en": 'Signature reasons'},
    'reason_codes': {"vi": 'Mã lý do', "en": 'Reason codes'},
    'counts_via': {"vi": 'Tính qua phần mềm', "en": 'Counts via software'},
    'counts_paperless': {"vi": 'Tính hoàn toàn điện tử', "en": 'Counts fully online'},
    'narrative_short': {"vi": 'Đoạn báo cáo', "en": 'Report paragraph'},
    'exceeded': {"vi": 'vượt', "en": 'exceeded'},
    'not_applicable': {"vi": 'không áp dụng', "en": 'n/a'},
    'check.why': {"vi": "  ↳ {who}: {detail}", "en": "  ↳ {who}: {detail}"},
    'check.revoked-later': {
        "vi": "Chứng thư số của {who} đã bị thu hồi ngày {when}, sau thời điểm ký: chữ ký vẫn hợp lệ khi ký",
        "en": "The certificate of {who} was revoked on {when}, after the signing time: the signature was valid when made"},
    'check.no-such-file': {"vi": "'{path}': không có tệp này", "en": "'{path}': no such file"},
    'check.not-a-file': {"vi": "'{path}': là thư mục, không phải tệp", "en": "'{path}': a folder, not a file"},
    'check.verdict': {"vi": 'Kết luận chữ ký', "en": 'Signature verdict'},
    'check.signatures': {"vi": 'Chữ ký số', "en": 'Signatures'},
    'check.who': {"vi": 'Người/cơ quan ký', "en": 'Signer'},
    'check.role': {"vi": 'Vai trò', "en": 'Role'},
    'check.when': {"vi": 'Thời gian ký', "en": 'Signed at'},
    'check.result': {"vi": 'Kết quả', "en": 'Result'},
    'check.rule': {"vi": 'Quy tắc', "en": 'Rule'},
    'check.check': {"vi": 'Nội dung kiểm tra', "en": 'Check'},
    'check.severity': {"vi": 'Mức', "en": 'Level'},
    'check.detail': {"vi": 'Chi tiết', "en": 'Detail'},
    'check.reference': {"vi": 'Căn cứ', "en": 'Reference'},
    'check.none': {"vi": 'không có chữ ký số', "en": 'no digital signature'},
    'check.summary': {"vi": '{errors} lỗi, {warnings} cảnh báo, {infos} lưu ý', "en": '{errors} error(s), {warnings} warning(s), {infos} note(s)'},
    'check.unreadable': {"vi": 'Không đọc được tệp', "en": 'The file cannot be read'},
    'check.image_only': {"vi": 'Bản quét (chỉ có ảnh, không có lớp văn bản): không kiểm tra được thể thức (–)',
                         "en": 'A scan with no text layer (images only): the format rules cannot read it (–)'},
    'check.no-trust': {
        "vi": 'Không có --trust (chứng thư gốc tin cậy): chữ ký nguyên vẹn chỉ "chưa xác định" (?), '
              'không phải "không hợp lệ" (✗). Thêm --trust <tệp .pem của CA> để xác minh, hoặc --trust-pack vn '
              '(chứng thư gốc của Ban Cơ yếu Chính phủ và NEAC, có sẵn trong docaudit).',
        "en": 'No --trust roots given: intact signatures are "indeterminate" (?), not "invalid" (✗). '
              'Add --trust <CA .pem file> to verify them, or --trust-pack vn (the roots of Ban Cơ yếu '
              'Chính phủ and NEAC, shipped with docaudit).'},
    'rules.id': {"vi": 'Mã', "en": 'Id'},
    'rules.severity': {"vi": 'Mức', "en": 'Severity'},
    'rules.title': {"vi": 'Nội dung', "en": 'Title'},
    'rules.reference': {"vi": 'Căn cứ', "en": 'Reference'},
    'rules.applies': {"vi": 'Áp dụng', "en": 'Applies to'},
    'rules.remediation': {"vi": 'Cách khắc phục', "en": 'Remediation'},
    'rules.evaluator': {"vi": 'Hàm đánh giá', "en": 'Evaluator'},
    'rules.params': {"vi": 'Tham số', "en": 'Parameters'},
    'rules.pack': {"vi": 'Bộ quy tắc', "en": 'Pack'},
    'rules.scope': {"vi": 'Phạm vi', "en": 'Scope'},
}

# register directions
_DIRECTIONS: dict[str, dict[str, str]] = {
    'direction.outgoing': {"vi": 'đi', "en": 'outgoing'},
    'direction.incoming': {"vi": 'đến', "en": 'incoming'},
}

# register channels
_CHANNELS: dict[str, dict[str, str]] = {
    'channel.electronic': {"vi": 'điện tử', "en": 'electronic'},
    'channel.paper': {"vi": 'giấy', "en": 'paper'},
    'channel.both': {"vi": 'điện tử và giấy', "en": 'electronic and paper'},
}

# signature verdicts
_VERDICTS: dict[str, dict[str, str]] = {
    'verdict.valid': {"vi": 'hợp lệ', "en": 'valid'},
    'verdict.invalid': {"vi": 'không hợp lệ', "en": 'invalid'},
    'verdict.indeterminate': {"vi": 'chưa xác định', "en": 'indeterminate'},
    'verdict.unsigned': {"vi": 'không ký số', "en": 'unsigned'},
}

# evidence file statuses
_FILE_STATUSES: dict[str, dict[str, str]] = {
    'file_status.none': {"vi": 'không có tệp', "en": 'no file'},
    'file_status.present': {"vi": 'có', "en": 'present'},
    'file_status.missing': {"vi": 'không tìm thấy', "en": 'missing'},
    'file_status.unreadable': {"vi": 'hỏng', "en": 'unreadable'},
    'file_status.outside_root': {"vi": 'ngoài thư mục', "en": 'outside the root'},
}

# signer roles (NĐ 30: "chữ ký số của cơ quan, tổ chức")
_ROLES: dict[str, dict[str, str]] = {
    'role.person': {"vi": 'cá nhân', "en": 'person'},
    'role.organisation': {"vi": 'cơ quan, tổ chức', "en": 'organisation'},
}

# finding severities
_SEVERITIES: dict[str, dict[str, str]] = {
    'severity.error': {"vi": 'lỗi', "en": 'error'},
    'severity.warning': {"vi": 'cảnh báo', "en": 'warning'},
    'severity.info': {"vi": 'thông tin', "en": 'info'},
}

# how a target reads after its operator: '> 0.9' → 'trên 90%'
_OPERATOR_PHRASES: dict[str, dict[str, str]] = {
    'operator.>': {"vi": 'trên {value}', "en": 'above {value}'},
    'operator.>=': {"vi": 'từ {value} trở lên', "en": '{value} or more'},
    'operator.<': {"vi": 'dưới {value}', "en": 'below {value}'},
    'operator.<=': {"vi": 'không quá {value}', "en": '{value} or less'},
    'operator.==': {"vi": 'bằng {value}', "en": 'exactly {value}'},
}

# why an entry did not count (metrics' reason codes), in report order
_REASONS: dict[str, dict[str, str]] = {
    'reason.not-via-system': {"vi": 'không qua phần mềm', "en": 'not via the software'},
    'reason.no-file': {"vi": 'không có tệp (chỉ bản giấy)', "en": 'no file (paper only)'},
    'reason.file-missing': {"vi": 'không tìm thấy tệp', "en": 'file missing'},
    'reason.path-outside-root': {"vi": 'đường dẫn ra ngoài thư mục kiểm tra', "en": 'path outside the audit root'},
    'reason.file-unreadable': {"vi": 'tệp hỏng, không đọc được', "en": 'file unreadable'},
    'reason.channel-paper': {"vi": 'gửi bằng giấy', "en": 'sent on paper'},
    'reason.channel-both': {"vi": 'kèm bản giấy', "en": 'with a paper copy'},
    'reason.unsigned': {"vi": 'không có chữ ký số', "en": 'not digitally signed'},
    'reason.signature-invalid': {"vi": 'chữ ký số không hợp lệ', "en": 'invalid signature'},
    'reason.signature-indeterminate': {"vi": 'chữ ký số chưa xác định được', "en": 'signature cannot be verified'},
}

# the moment certificates are checked at
_VALIDATION_TIMES: dict[str, dict[str, str]] = {
    'validation_time.signing': {"vi": 'thời điểm ký', "en": 'the signing time'},
    'validation_time.now': {"vi": 'thời điểm quét', "en": 'the time of the scan'},
}

# Why an evidence file could not be used (Evidence.reason): the JSON report's ``file_reason`` is
# the English text; ``{detail}`` is a parser's or the system's own words, shown as they are.
_EVIDENCE: dict[str, dict[str, str]] = {
    "evidence.file-not-found": {"vi": "không có tệp này", "en": "file not found"},
    "evidence.lookalike-name": {
        "vi": "không có tệp này; thư mục có '{existing}', trông giống hệt nhưng khác ký tự: {differences} (trên đĩa ≠ trong sổ)",
        "en": "no such file; the folder holds '{existing}', which looks the same but differs: {differences} (on disk ≠ in the register)"},
    "evidence.not-regular-file": {"vi": "không phải tệp thông thường", "en": "not a regular file"},
    "evidence.outside-root": {"vi": "'{path}' trỏ ra ngoài thư mục kiểm tra",
                              "en": "'{path}' resolves outside the audit root"},
    "evidence.absolute-path": {
        "vi": "không chấp nhận đường dẫn tuyệt đối '{path}'; đường dẫn phải tương đối với thư mục kiểm tra",
        "en": "absolute path '{path}' is not allowed; paths are relative to the audit root"},
    "evidence.nul-byte": {"vi": "đường dẫn chứa ký tự NUL", "en": "path contains a NUL byte"},
    "evidence.too-large": {"vi": "tệp lớn hơn {limit} byte ({size} byte)",
                           "en": "file larger than {limit} bytes ({size} bytes)"},
    "evidence.cannot-read": {"vi": "không đọc được: {detail}", "en": "cannot be read: {detail}"},
    "evidence.empty": {"vi": "tệp rỗng", "en": "empty file"},
    "evidence.not-pdf-docx": {"vi": "không phải tệp PDF hay DOCX", "en": "not a PDF or DOCX file"},
    "evidence.zip-not-docx": {"vi": "tệp ZIP không có word/document.xml: không phải DOCX",
                              "en": "ZIP archive without word/document.xml: not a DOCX"},
    "evidence.docx-refused": {"vi": "DOCX bị từ chối: {detail}", "en": "DOCX refused: {detail}"},
    "evidence.docx-unparsable": {"vi": "không phân tích được DOCX: {detail}", "en": "DOCX cannot be parsed: {detail}"},
    "evidence.pdf-truncated": {"vi": "PDF bị cắt cụt: cuối tệp không có dấu %%EOF",
                               "en": "truncated PDF: no %%EOF marker at the end of the file"},
    "evidence.pdf-encrypted": {"vi": "PDF được mã hóa: cần mật khẩu để mở",
                               "en": "encrypted PDF: a password is needed to open it"},
    "evidence.pdf-unparsable": {"vi": "không phân tích được PDF: {detail}", "en": "PDF cannot be parsed: {detail}"},
    "evidence.timeout": {"vi": "quá thời gian {seconds} giây", "en": "timeout after {seconds} s"},
    "evidence.too-deep": {"vi": "cấu trúc lồng quá sâu, không đọc được",
                          "en": "structure nested too deeply to be read"},
    "evidence.out-of-memory": {"vi": "hết bộ nhớ khi đọc tệp", "en": "out of memory while reading the file"},
    "evidence.internal-error": {"vi": "lỗi nội bộ khi đọc: {detail}", "en": "internal error while reading: {detail}"},
    "evidence.worker-crashed": {"vi": "trình đọc PDF/DOCX bị lỗi khi đọc tệp này (tiến trình đọc đã dừng)",
                                "en": "the PDF/DOCX reader crashed on this file (its worker process died)"},
}

# The finding for an evidence file that could not be used (``{reason}``: an ``evidence.*`` text).
_PROBLEMS: dict[str, dict[str, str]] = {
    "problem.file-missing": {"vi": "Không tìm thấy tệp {path}: {reason}", "en": "File {path} not found: {reason}"},
    "problem.file-not-found": {"vi": "Không tìm thấy tệp {path}", "en": "File {path} not found"},
    "problem.path-outside-root": {"vi": "Không mở tệp {path} vì nằm ngoài thư mục kiểm tra: {reason}",
                                  "en": "File {path} not opened, it lies outside the audit root: {reason}"},
    "problem.file-unreadable": {"vi": "Không đọc được tệp {path}: {reason}", "en": "File {path} cannot be read: {reason}"},
    "rule.evaluation-failed": {"vi": "lỗi khi kiểm tra quy tắc: {error}", "en": "rule evaluation failed: {error}"},
}

# A register row that could not be read: one text per problem, joined with "; " (RowError).
# ``{column}`` is a ``column.*`` text, ``{expected}`` an ``expected.*`` one, ``{raw}`` the cell as quoted.
_ROWS: dict[str, dict[str, str]] = {
    "row.agency-empty": {"vi": "cơ quan để trống", "en": "agency is empty"},
    "row.number-empty": {"vi": "số ký hiệu để trống", "en": "number is empty"},
    "row.empty": {"vi": "{column} để trống ({expected})", "en": "{column} is empty ({expected})"},
    "row.not-recognised": {"vi": "{column} {raw} không nhận ra được ({expected})",
                           "en": "{column} {raw} is not recognised ({expected})"},
    "row.not-a-date": {"vi": "{column} {raw} không phải ngày hợp lệ ({expected})",
                       "en": "{column} {raw} is not a valid date ({expected})"},
    "row.conflicting-keys": {
        "vi": "hai khóa {first} và {second} cùng là cột {column} nhưng khác giá trị: {first_value} và {second_value}",
        "en": "keys {first} and {second} both give the {column} column,"
              " with different values {first_value} and {second_value}"},
    "row.in-register": {"vi": "{register}: {reason}", "en": "{register}: {reason}"},
    # the register's columns: English is the canonical column name
    "column.agency": {"vi": "cơ quan", "en": "agency"},
    "column.direction": {"vi": "hướng", "en": "direction"},
    "column.number": {"vi": "số ký hiệu", "en": "number"},
    "column.doc_type": {"vi": "loại văn bản", "en": "doc_type"},
    "column.date": {"vi": "ngày", "en": "date"},
    "column.subject": {"vi": "trích yếu", "en": "subject"},
    "column.counterparty": {"vi": "nơi gửi/nhận", "en": "counterparty"},
    "column.channel": {"vi": "hình thức", "en": "channel"},
    "column.via_system": {"vi": "qua phần mềm", "en": "via_system"},
    "column.file": {"vi": "tệp", "en": "file"},
    # a register whose header cannot be read (RegisterHeaderError): {row} the most likely header row
    "register.header-missing": {
        "vi": "{path}: thiếu cột bắt buộc: {columns} (dòng tiêu đề có lẽ là dòng {row}: {found})",
        "en": "{path}: missing required column(s): {columns} (the header is most likely row {row}: {found})"},
    "register.column": {"vi": "{vi} ({name})", "en": "{name} ({vi})"},
    "register.list": {"vi": "{first}, {second}", "en": "{first}, {second}"},
    "register.joined": {"vi": "{first}{second}", "en": "{first}{second}"},
    "register.not-in-template": {
        "vi": "; sổ theo mẫu NĐ 30/2020 không có {columns}: hãy khai báo giá trị trong docaudit.toml, "
              "bảng [source.constants] của nguồn này (README: Sổ theo mẫu chính thức)",
        "en": "; the NĐ 30/2020 register template has no {columns}: give them in docaudit.toml, in this source's "
              "[source.constants] table (README: Official registers)"},
    # register profile (docaudit.toml [[source]]): the period column it names is not in the header
    "register.period-column-missing": {
        "vi": "{path}: không thấy cột '{column}' (period_column) trong dòng tiêu đề: {found}",
        "en": "{path}: the period_column '{column}' is not in the header: {found}"},
    # register errors: a register that cannot be read at all (RegisterError: exit 2, one line on
    # stderr in the user's language; ``str()`` is the English text). {path} is the file or folder.
    "register.no-folder": {"vi": "{path}: không có thư mục kiểm tra này (hoặc đó không phải thư mục)",
                           "en": "{path}: audit folder not found or not a directory"},
    "register.none-found": {"vi": "{path}: không tìm thấy sổ đăng ký (cần một trong các tệp {names})",
                            "en": "{path}: no register found (expected one of {names})"},
    "register.none-found-candidates": {
        "vi": "{path}: không có tệp {names}; thư mục có {found}: chọn sổ bằng --register TỆP, "
              "hoặc register = \"…\" trong [[source]] của docaudit.toml",
        "en": "{path}: no {names}; the folder holds {found}: name the register with --register FILE, "
              "or register = \"…\" in docaudit.toml's [[source]]"},
    "register.xls": {
        "vi": "{path}: không đọc được sổ định dạng '.xls' (Excel 97-2003); hãy lưu lại thành .xlsx (Excel: File >"
              " Save As > Excel Workbook) hoặc chuyển bằng LibreOffice: soffice --headless --convert-to xlsx \"{name}\"",
        "en": "{path}: unsupported register format '.xls' (Excel 97-2003); save it as .xlsx (Excel: File > Save As"
              " > Excel Workbook) or convert it with LibreOffice: soffice --headless --convert-to xlsx \"{name}\""},
    "register.unsupported": {"vi": "{path}: không đọc được sổ định dạng {suffix} (cần .csv, .xlsx hoặc .json)",
                             "en": "{path}: unsupported register format {suffix} (expected .csv, .xlsx or .json)"},
    "register.file-not-found": {"vi": "{path}: không tìm thấy tệp sổ đăng ký", "en": "{path}: register file not found"},
    "register.directory": {"vi": "{path}: sổ đăng ký là một thư mục, không phải tệp",
                           "en": "{path}: register is a directory, not a file"},
    "register.not-regular": {"vi": "{path}: sổ đăng ký không phải tệp thông thường",
                             "en": "{path}: register is not a regular file"},
    "register.cannot-read": {"vi": "{path}: không đọc được sổ đăng ký: {detail}",
                             "en": "{path}: cannot read register: {detail}"},
    "register.empty": {"vi": "{path}: tệp sổ đăng ký rỗng", "en": "{path}: register file is empty"},
    "register.no-header": {"vi": "{path}: sổ đăng ký trống (không có dòng tiêu đề)",
                           "en": "{path}: register is empty (no header row)"},
    "register.duplicate-column": {"vi": "{path}: hai cột {first} và {second} cùng là cột {column}",
                                  "en": "{path}: columns {first} and {second} both name the {column} column"},
    "register.malformed-csv": {"vi": "{path}: dòng {line}: CSV sai cấu trúc: {detail}",
                               "en": "{path}: line {line}: malformed CSV: {detail}"},
    "register.zip-not-csv": {
        "vi": "{path}: đây là tệp nén ZIP (một sổ Excel?), không phải văn bản CSV: hãy đặt đuôi .xlsx hoặc xuất lại thành CSV",
        "en": "{path}: this is a ZIP archive (an Excel workbook?), not CSV text: name it .xlsx or export it as CSV"},
    "register.not-text": {
        "vi": "{problem} (tệp không phải văn bản UTF-8; đã giải mã theo {encoding}: đây có thật là sổ đăng ký CSV?)",
        "en": "{problem} (the file is not UTF-8 text; decoded as {encoding}: is it really a CSV register?)"},
    "register.bad-xlsx": {"vi": "{path}: không phải sổ .xlsx đọc được ({detail})",
                          "en": "{path}: not a readable .xlsx workbook ({detail})"},
    "register.no-worksheet": {"vi": "{path}: sổ Excel không có trang tính nào", "en": "{path}: workbook has no worksheet"},
    "register.bad-worksheet": {"vi": "{path}: không đọc được trang tính {sheet} ({detail})",
                               "en": "{path}: cannot read worksheet {sheet} ({detail})"},
    "register.no-such-sheet": {"vi": "{path}: không có trang tính {sheet} (sheet); sổ có: {sheets}",
                               "en": "{path}: no worksheet {sheet} (sheet); the workbook holds: {sheets}"},
    "register.empty-sheet": {"vi": "{path}: sổ đăng ký trống (trang tính đầu tiên không có dòng nào)",
                             "en": "{path}: register is empty (first worksheet has no rows)"},
    "register.json-not-utf8": {"vi": "{path}: sổ JSON không phải văn bản UTF-8 hợp lệ (byte {byte})",
                               "en": "{path}: JSON register is not valid UTF-8 (byte {byte})"},
    "register.json-invalid": {"vi": "{path}: JSON không hợp lệ: {detail} tại dòng {line} cột {column}",
                              "en": "{path}: invalid JSON: {detail} at line {line} column {column}"},
    "register.json-too-deep": {"vi": "{path}: JSON không hợp lệ: lồng quá sâu", "en": "{path}: invalid JSON: nested too deeply"},
    "register.json-no-list": {
        "vi": "{path}: sổ JSON phải là một danh sách đối tượng (hoặc chứa danh sách đó dưới khóa \"entries\" hay \"rows\")",
        "en": "{path}: JSON register must be a list of objects (or hold one under \"entries\" or \"rows\")"},
    "register.json-not-list": {"vi": "{path}: sổ JSON phải là một danh sách đối tượng, không phải {kind}",
                               "en": "{path}: JSON register must be a list of objects, not {kind}"},
    "register.json-item": {"vi": "{path}: sổ JSON phải là một danh sách đối tượng; phần tử {index} là {kind}",
                           "en": "{path}: JSON register must be a list of objects; item {index} is {kind}"},
    "register.json-type.null": {"vi": "null", "en": "null"},
    "register.json-type.boolean": {"vi": "giá trị đúng/sai", "en": "a boolean"},
    "register.json-type.number": {"vi": "một số", "en": "a number"},
    "register.json-type.string": {"vi": "một chuỗi", "en": "a string"},
    "register.json-type.list": {"vi": "một danh sách", "en": "a list"},
    "register.json-type.object": {"vi": "một đối tượng", "en": "an object"},
    "register.json-missing": {"vi": "{path}: thiếu cột bắt buộc: {columns} (các khóa có: {found})",
                              "en": "{path}: missing required column(s): {columns} (keys found: {found})"},
    "register.in-config": {"vi": "{config}: khóa '{key}': {problem}", "en": "{config}: key '{key}': {problem}"},
    # ... and how a run of several registers names a row of one of them (its register's name:
    # the source's name, or the register's file name, with its folder when two share one)
    "register.row": {"vi": "{register}, dòng {row}", "en": "{register}, row {row}"},
    "register.duplicate-of": {"vi": "{register}, dòng {row} trùng với dòng {of}",
                              "en": "{register}, row {row} duplicates row {of}"},
    "register.heading": {"vi": "Sổ đăng ký", "en": "Register"},
    "expected.date": {"vi": "cần dạng YYYY-MM-DD hoặc DD/MM/YYYY", "en": "expected YYYY-MM-DD or DD/MM/YYYY"},
    "expected.direction": {"vi": "cần đi/đến hoặc outgoing/incoming",
                           "en": "expected outgoing/incoming, đi/đến, di/den or out/in"},
    "expected.channel": {"vi": "cần điện tử, giấy hoặc điện tử và giấy",
                         "en": "expected electronic, paper, both, điện tử, giấy or điện tử và giấy"},
    "expected.bool": {"vi": "cần có/không, yes/no, true/false hoặc 1/0", "en": "expected yes/no, true/false, 1/0 or có/không"},
}

# crypto policy: the report header's line for the algorithm policy (rules/crypto, --crypto-policy)
_CRYPTO: dict[str, dict[str, str]] = {
    'crypto_policy': {"vi": 'Chính sách thuật toán mật mã (theo thời điểm ký)',
                      "en": 'Algorithm policy (judged at the signing time)'},
}

# Scan notes (the JSON report's ``notes`` hold the English text).
_NOTES: dict[str, dict[str, str]] = {
    "note.no-trust": {
        "vi": "không có --trust (hay trust trong docaudit.toml): không chứng thư gốc nào được tin cậy, "
              "nên chữ ký số còn nguyên vẹn được xếp 'indeterminate' (chưa xác định); "
              "--trust-pack vn tin cậy các chứng thư gốc của Việt Nam (Ban Cơ yếu Chính phủ, NEAC)",
        "en": "no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'; "
              "--trust-pack vn trusts the Vietnamese roots (Ban Cơ yếu Chính phủ, NEAC)"},
    "note.db-fallback": {"vi": "thư mục kiểm tra {folder} không ghi được; cơ sở dữ liệu kết quả đặt tại {db}",
                         "en": "audit folder {folder} is not writable; the results database is {db}"},
}

# online revocation (--online, issue 16 item 4: signatures/online.py). The notes name each source
# that failed (the JSON report's notes hold the English text); the "revocation." texts say why one
# certificate's status could not be established (a signature's detail), and are counted per address
# in the "note." text of the same name.
_ONLINE: dict[str, dict[str, str]] = {
    "note.revocation-timeout": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: quá {seconds} giây không có trả lời",
        "en": "revocation source {url} could not be used: no answer within {seconds} s"},
    "note.revocation-http": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: máy chủ trả lời mã lỗi HTTP {status}",
        "en": "revocation source {url} could not be used: HTTP status {status}"},
    "note.revocation-unreachable": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: không kết nối được ({detail})",
        "en": "revocation source {url} could not be used: unreachable ({detail})"},
    "note.revocation-too-large": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: dữ liệu lớn hơn {limit} MB",
        "en": "revocation source {url} could not be used: larger than {limit} MB"},
    "note.revocation-bad-crl": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: không đọc được danh sách chứng thư bị thu hồi (CRL) ({detail})",
        "en": "revocation source {url} could not be used: not a readable CRL ({detail})"},
    "note.revocation-bad-ocsp": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: không đọc được phản hồi OCSP ({detail})",
        "en": "revocation source {url} could not be used: not a readable OCSP response ({detail})"},
    "note.revocation-bad-data": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: dữ liệu bị lỗi ({detail})",
        "en": "revocation source {url} could not be used: malformed data ({detail})"},
    "note.revocation-unverified": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: dữ liệu không được tổ chức cấp chứng thư ký",
        "en": "revocation source {url} could not be used: the answer is not signed by the certificate's issuer"},
    "note.revocation-scope": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: CRL bổ sung (delta) hoặc chỉ có phạm vi một phần",
        "en": "revocation source {url} could not be used: a delta or partial-scope CRL"},
    "note.revocation-refused": {
        "vi": "không dùng được nguồn dữ liệu thu hồi {url}: máy chủ OCSP trả lời '{status}'",
        "en": "revocation source {url} could not be used: the OCSP responder answered '{status}'"},
    "revocation.unnamed": {"vi": "phản hồi từ {url} không nói về chứng thư này",
                           "en": "the answer from {url} does not name the certificate"},
    "note.revocation-unnamed": {"vi": "phản hồi từ {url} không nói về {count} chứng thư được hỏi",
                                "en": "the answer from {url} did not name {count} certificate(s) asked about"},
    "revocation.unknown": {"vi": "máy chủ OCSP {url} không biết chứng thư này (unknown)",
                           "en": "the OCSP responder {url} does not know the certificate (unknown)"},
    "note.revocation-unknown": {"vi": "máy chủ OCSP {url} không biết {count} chứng thư được hỏi (unknown)",
                                "en": "the OCSP responder {url} did not know {count} certificate(s) asked about (unknown)"},
    "revocation.expired": {
        "vi": "dữ liệu từ {url} được phát hành sau khi chứng thư hết hạn nên không còn cho biết trạng thái của nó",
        "en": "the data from {url} was issued after the certificate expired, so it no longer tells its status"},
    "note.revocation-expired": {
        "vi": "dữ liệu thu hồi từ {url} không còn cho biết trạng thái của {count} chứng thư đã hết hạn",
        "en": "the revocation data from {url} no longer tells the status of {count} expired certificate(s)"},
    "revocation.outdated": {"vi": "dữ liệu từ {url} đã hết hiệu lực ở thời điểm kiểm tra",
                            "en": "the data from {url} is out of date at the validation time"},
    "note.revocation-outdated": {"vi": "dữ liệu thu hồi từ {url} đã hết hiệu lực đối với {count} chứng thư",
                                 "en": "the revocation data from {url} was out of date for {count} certificate(s)"},
    "revocation.on-hold": {"vi": "chứng thư bị tạm dừng từ {since} theo {url}",
                           "en": "the certificate is suspended (on hold) since {since} according to {url}"},
    "note.revocation-on-hold": {"vi": "{count} chứng thư bị tạm dừng theo {url}",
                                "en": "{count} certificate(s) suspended (on hold) according to {url}"},
    "revocation.no-source": {"vi": "chứng thư không ghi địa chỉ CRL hay OCSP (HTTP) nào",
                             "en": "the certificate names no CRL or OCSP address over HTTP"},
    "note.revocation-no-source": {
        "vi": "{count} chứng thư do {issuer} cấp không ghi địa chỉ CRL hay OCSP (HTTP) nào: không kiểm tra trực "
              "tuyến được việc thu hồi",
        "en": "{count} certificate(s) issued by {issuer} name no CRL or OCSP address over HTTP: their revocation "
              "cannot be checked online"},
}

# docaudit history: the runs table and the comparison of two runs.
_HISTORY: dict[str, dict[str, str]] = {
    "history.run": {"vi": "Lần chạy", "en": "Run"},
    "history.finished": {"vi": "Kết thúc", "en": "Finished"},
    "history.period": {"vi": "Kỳ", "en": "Period"},
    "history.agency": {"vi": "Cơ quan", "en": "Agency"},
    "history.entries": {"vi": "Số VB", "en": "Entries"},
    "history.via_software": {"vi": "Qua phần mềm", "en": "Via software"},
    "history.paperless": {"vi": "Hoàn toàn điện tử", "en": "Fully online"},
    "history.documents": {"vi": "Đánh giá/dùng lại", "en": "Evaluated/reused"},
    "history.overall": {"vi": "Tổng cộng", "en": "Overall"},
    "history.history": {"vi": "Lịch sử kiểm tra", "en": "Audit history"},
    "history.no_runs": {"vi": "Chưa có lần chạy nào được lưu", "en": "No runs stored yet"},
    "history.diff": {"vi": "So sánh lần chạy", "en": "Comparing runs"},
    "history.newly_missed": {"vi": "Mới chưa đạt chỉ tiêu", "en": "Newly missed targets"},
    "history.newly_met": {"vi": "Mới đạt chỉ tiêu", "en": "Newly met targets"},
    "history.rates": {"vi": "Thay đổi tỷ lệ", "en": "Rate changes"},
    "history.verdicts": {"vi": "Văn bản thay đổi kết luận", "en": "Documents whose verdict changed"},
    "history.none": {"vi": "không có", "en": "none"},
    "history.number": {"vi": "Số ký hiệu", "en": "Number"},
    "history.file": {"vi": "Tệp", "en": "File"},
    "history.before": {"vi": "Trước", "en": "Before"},
    "history.after": {"vi": "Sau", "en": "After"},
    "history.new_errors": {"vi": "Lỗi mới", "en": "New error findings"},
    "history.resolved": {"vi": "Lỗi đã hết", "en": "Resolved error findings"},
    "history.rule": {"vi": "Quy tắc", "en": "Rule"},
    "history.added": {"vi": "mới", "en": "new"},
    "history.removed": {"vi": "không còn", "en": "gone"},
    "history.entries_added": {"vi": "Mục mới trong sổ", "en": "Register entries added"},
    "history.entries_removed": {"vi": "Mục không còn", "en": "Register entries removed"},
    "history.points": {"vi": "{points} điểm %", "en": "{points} pp"},
}

# JUnit: one test case per agency and rate.
_JUNIT: dict[str, dict[str, str]] = {
    "junit.missed": {"vi": "chưa đạt", "en": "misses the target"},
    "junit.met": {"vi": "đạt", "en": "meets the target"},
    "junit.no_entries": {"vi": "không có văn bản trong kỳ", "en": "no entries in scope"},
    "junit.not_counted": {"vi": "không được tính", "en": "not counted"},
    "junit.no_file": {"vi": "không có tệp", "en": "no file"},
    "junit.row": {"vi": "dòng", "en": "row"},
}

# The report paragraph (narrative.py) and the DOCX report's headings.
_NARRATIVE: dict[str, dict[str, str]] = {
    "narrative.no_documents.total": {"vi": "không có văn bản trong kỳ", "en": "no documents in the period"},
    "narrative.no_documents.via_software": {"vi": "không có văn bản qua phần mềm trong kỳ",
                                            "en": "no documents handled through the software in the period"},
    "narrative.no_documents.claimed": {
        "vi": "không có văn bản điện tử qua phần mềm trong kỳ",
        "en": "no electronic documents handled through the software in the period"},
    "narrative.verdict": {"vi": "{status} chỉ tiêu {target}", "en": "target {target}: {status}"},
    "narrative.subject.via_software": {"vi": "tỷ lệ văn bản được thực hiện qua phần mềm",
                                       "en": "handled through the document-management software"},
    "narrative.subject.paperless": {"vi": "trong đó chuyển hoàn toàn trên môi trường mạng, không kèm văn bản giấy",
                                    "en": "of which moved fully online with no paper copy"},
    "narrative.clause": {"vi": "{subject} đạt {rate} ({verdict})", "en": "{subject}: {rate} ({verdict})"},
    "narrative.clause_no_rate": {"vi": "{subject}: chưa tính được tỷ lệ ({why})", "en": "{subject}: no rate ({why})"},
    "narrative.head": {"vi": "tổng số văn bản đi/đến: {total}", "en": "documents sent and received: {total}"},
    "narrative.body": {"vi": "{head}; {via_software}, {paperless}.", "en": "{head}; {via_software}, {paperless}."},
    "narrative.body_empty": {
        "vi": "{head}; không có văn bản trong kỳ nên chưa tính được tỷ lệ so với chỉ tiêu.",
        "en": "{head}; no documents in the period, so no rate can be set against the targets."},
    "docx.summary": {"vi": "I. KẾT QUẢ CHUNG", "en": "I. SUMMARY"},
    "docx.table": {"vi": "II. BẢNG TỔNG HỢP", "en": "II. FIGURES"},
    "docx.shortfalls": {"vi": "III. CÁC CHỈ TIÊU CHƯA ĐẠT", "en": "III. TARGETS NOT MET"},
    # DOCX report (NĐ 30 layout): the elements of Phụ lục I around the content. NĐ 30 wants them in
    # Vietnamese, so the English report prints their "vi" words too (docx.py: LEGAL); "en" says what
    # they mean. "…" marks what the office fills in when docaudit.toml's [report] does not say it.
    "docx.national_title": {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIET NAM"},
    "docx.motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "docx.agency_placeholder": {"vi": "TÊN CƠ QUAN, TỔ CHỨC", "en": "NAME OF THE AGENCY"},
    "docx.number": {"vi": "Số: {number}", "en": "No.: {number}"},
    "docx.number_placeholder": {"vi": "…/BC-…", "en": "…/BC-…"},
    "docx.date_line": {"vi": "{place}, ngày {day} tháng {month} năm {year}", "en": "{place}, {day}/{month}/{year}"},
    "docx.place_placeholder": {"vi": "……", "en": "……"},
    "docx.date_placeholder": {"vi": "…", "en": "…"},
    "docx.recipients": {"vi": "Nơi nhận:", "en": "Recipients:"},
    "docx.recipient_placeholder": {"vi": "……", "en": "……"},
    "docx.archive": {"vi": "Lưu: {archive}", "en": "Kept by: {archive}"},
    "docx.archive_default": {"vi": "VT", "en": "VT (the records office)"},
    "docx.position_placeholder": {"vi": "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", "en": "AUTHORITY AND POSITION OF THE SIGNER"},
    "docx.signer_placeholder": {"vi": "Họ và tên", "en": "Full name"},
}

# trust packs: `docaudit trust list|show`, the path in `docaudit check`
_TRUST: dict[str, dict[str, str]] = {
    "trust.pack": {"vi": "Bộ chứng thư", "en": "Pack"},
    "trust.title": {"vi": "Nội dung", "en": "What it holds"},
    "trust.version": {"vi": "Phiên bản", "en": "Version"},
    "trust.anchors": {"vi": "Gốc tin cậy", "en": "Anchors"},
    "trust.intermediates": {"vi": "Trung gian", "en": "Intermediates"},
    "trust.listed": {"vi": "Chỉ liệt kê", "en": "Listed only"},
    "trust.name": {"vi": "Tên", "en": "Name"},
    "trust.fingerprint": {"vi": "SHA-256", "en": "SHA-256"},
    "trust.valid": {"vi": "Hiệu lực", "en": "Valid"},
    "trust.status": {"vi": "Trạng thái", "en": "Status"},
    "trust.hierarchy": {"vi": "Hệ thống", "en": "Hierarchy"},
    "trust.heading": {"vi": "Bộ chứng thư {pack} (phiên bản {version}): {title}",
                      "en": "Trust pack {pack} (version {version}): {title}"},
    "trust.reference": {"vi": "Căn cứ: {reference}", "en": "Legal basis: {reference}"},
    "trust.files": {"vi": "Tệp chứng thư: {folder}", "en": "Certificate files: {folder}"},
    "trust.to-confirm": {
        "vi": "{count} chứng thư gốc được tin cậy nhưng cần xác nhận trước khi phát hành: chưa tìm thấy dấu vân tay "
              "công bố chính thức (đánh dấu ⚠).",
        "en": "{count} roots are trusted but to be confirmed before release: no officially published fingerprint "
              "was found (marked ⚠)."},
    "trust.verify": {
        "vi": "Đối chiếu dấu vân tay SHA-256 với {sites}: openssl x509 -in TỆP -noout -fingerprint -sha256 "
              "(Windows: certutil -decode TỆP TỆP.der rồi certutil -hashfile TỆP.der SHA256; băm thẳng tệp .pem cho giá trị khác).",
        "en": "Compare the SHA-256 fingerprints with {sites}: openssl x509 -in FILE -noout -fingerprint -sha256 "
              "(Windows: certutil -decode FILE FILE.der, then certutil -hashfile FILE.der SHA256; hashing the .pem text gives another value)."},
    "trust.use": {"vi": "Dùng: docaudit scan THƯ_MỤC --trust-pack {pack} (hoặc trust_packs = [\"{pack}\"] trong docaudit.toml)",
                  "en": "Use: docaudit scan FOLDER --trust-pack {pack} (or trust_packs = [\"{pack}\"] in docaudit.toml)"},
    "trust.path": {"vi": "Đường dẫn chứng thực", "en": "Certificate path"},
    "trust_status.anchor": {"vi": "gốc tin cậy", "en": "anchor"},
    "trust_status.anchor-confirm": {"vi": "gốc tin cậy ⚠ cần xác nhận trước khi phát hành",
                                    "en": "anchor ⚠ confirm before release"},
    "trust_status.intermediate": {"vi": "trung gian (chỉ dựng đường dẫn)", "en": "intermediate (paths only)"},
    "trust_status.not-trusted": {"vi": "không tin cậy mặc định", "en": "not trusted by default"},
    "trust_hierarchy.vgca": {"vi": "Ban Cơ yếu Chính phủ", "en": "Ban Cơ yếu (Government CA)"},
    "trust_hierarchy.neac": {"vi": "NEAC (CA công cộng)", "en": "NEAC (public CAs)"},
    # the no-trust note as reports stored before trust packs hold it (read back in the reader's language)
    "note.no-trust-before-packs": {
        "vi": "không có --trust (hay trust trong docaudit.toml): không chứng thư gốc nào được tin cậy, "
              "nên chữ ký số còn nguyên vẹn được xếp 'indeterminate' (chưa xác định)",
        "en": "no --trust roots given: nothing is trusted, so intact signatures are 'indeterminate'"},
}

_SECTIONS = (_REPORT, _DIRECTIONS, _CHANNELS, _VERDICTS, _FILE_STATUSES, _ROLES, _SEVERITIES, _OPERATOR_PHRASES,
             _REASONS, _VALIDATION_TIMES, _EVIDENCE, _PROBLEMS, _ROWS, _NOTES, _HISTORY, _JUNIT, _NARRATIVE,
             _CRYPTO, _TRUST, _ONLINE)

# windows / csv-for-excel: the CSV written for Excel on Windows (``--excel``, ``csv_excel`` in
# docaudit.toml's [output]); {format} is the --format asked for.
_WINDOWS: dict[str, dict[str, str]] = {
    "excel.not-csv": {
        "vi": "--excel chỉ dùng với --format csv, không dùng với --format {format} "
              "(--excel ghi tệp CSV để mở bằng Excel; tệp xlsx thì Excel mở được ngay)",
        "en": "--excel applies to --format csv only, not --format {format} "
              "(it writes the CSV for Excel; an xlsx workbook opens in Excel as it is)"},
    "excel.no-csv": {
        "vi": "--excel chỉ dùng cho báo cáo CSV, nhưng lần kiểm tra này không ghi báo cáo CSV nào: "
              "thêm --format csv, hoặc csv vào formats của [output] trong docaudit.toml",
        "en": "--excel applies to a CSV report, and this audit writes none: "
              "give --format csv, or list csv in [output] formats of docaudit.toml"},
}
_SECTIONS += (_WINDOWS,)

# progress and the audit's closing line on stderr (cron mail, CI logs): {where} is "source: " or "";
# the verdict keeps its English word, which scripts and CI logs look for
_PROGRESS: dict[str, dict[str, str]] = {
    "progress.line": {"vi": "{where}{done}/{total} văn bản ({percent}), {tail}",
                      "en": "{where}{done}/{total} documents ({percent}), {tail}"},
    "progress.rate": {"vi": "{rate}/giây, còn khoảng {eta}", "en": "{rate}/s, ETA {eta}"},
    "progress.done": {"vi": "xong sau {elapsed}", "en": "done in {elapsed}"},
    "progress.bar": {"vi": "văn bản", "en": "documents"},
    "summary.run": {"vi": "lần chạy #{id}", "en": "run #{id}"},
    "summary.not-stored": {"vi": "không lưu lần chạy", "en": "run not stored"},
    "summary.documents": {"vi": "đánh giá {evaluated} văn bản, dùng lại {reused}",
                          "en": "{evaluated} evaluated, {reused} reused"},
    "summary.missed": {"vi": "{count} cơ quan chưa đạt chỉ tiêu{names}", "en": "{count} below target{names}"},
    "summary.errors": {"vi": "{count} lỗi mới{accepted}", "en": "{count}{accepted}"},
    "summary.accepted": {"vi": ", {count} lỗi đã chấp nhận", "en": ", {count} accepted"},
    "summary.ok": {"vi": "ĐẠT (OK)", "en": "OK"},
    "summary.failed": {"vi": "KHÔNG ĐẠT (FAILED)", "en": "FAILED"},
}
_SECTIONS += (_PROGRESS,)


def _merge(sections: tuple[dict[str, dict[str, str]], ...]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for section in sections:
        for code, texts in section.items():
            if code in merged:  # a repeated code would silently replace another text
                raise ValueError(f"text code {code!r} is defined twice")
            merged[code] = texts
    return merged


CATALOGUE: dict[str, dict[str, str]] = _merge(_SECTIONS)
"""code → {"vi": template, "en": template}."""
