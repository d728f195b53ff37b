#!/usr/bin/env python3
"""Regenerate the demo audit folder (samples/) deterministically, in place.

    .venv/bin/python samples/generate.py

Writes trust/root.pem, register.csv, files/..., MANIFEST.md. The demo PKI is
derived from a fixed seed: THE CERTIFICATES AND KEYS ARE FOR DEMOS ONLY.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docaudit.quiet import silence_known_dependency_warnings  # noqa: E402

silence_known_dependency_warnings()  # as the console entry point does, before pyHanko loads

from tests.testkit import (  # noqa: E402
    TestPKI,
    modify_after_signing,
    organisation_subject,
    person_subject,
    render_docx,
    render_pdf,
    render_scan_pdf,
    sign_pdf,
    sign_person_and_org,
    spec_for,
    tamper,
    truncate,
)

SEED = 2021
TZ = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh
HEADERS = [
    "Cơ quan", "Hướng", "Số ký hiệu", "Loại văn bản", "Ngày", "Trích yếu",
    "Nơi gửi/nhận", "Hình thức", "Qua phần mềm", "Tệp", "Ghi chú",
]
GENERATED = ["files", "trust", "register.csv", "MANIFEST.md", "check"]


# --------------------------------------------------------------------------
# Issuers (who drafts/signs the documents)
# --------------------------------------------------------------------------

@dataclass
class Issuer:
    key: str
    parent: str | None
    agency_caps: str
    agency_name: str  # organisation certificate CN/O
    unit_short: str  # suffix of the person's CN
    place: str
    authority: str | None
    position: str
    signer: str
    cccd: str
    mns: str
    party: bool = False
    issuer_ca: str | None = None  # None = demo intermediate; "untrusted"
    not_before: datetime = datetime(2020, 6, 1)
    not_after: datetime = datetime(2026, 12, 31, 23, 59, 59)
    recipients: list[str] = field(default_factory=list)


ISSUERS = {
    "UBND-BQ": Issuer(
        "ubnd-bq", "UBND TỈNH HÀ GIANG", "ỦY BAN NHÂN DÂN HUYỆN BẮC QUANG",
        "Ủy ban nhân dân huyện Bắc Quang", "UBND huyện Bắc Quang", "Bắc Quang",
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An", "002088012345", "1034567",
        recipients=["- Thường trực Huyện ủy;", "- Thường trực HĐND huyện;", "- Các cơ quan, đơn vị thuộc huyện;"],
    ),
    "SO-TTTT": Issuer(
        "so-tttt", "UBND TỈNH HÀ GIANG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Sở Thông tin và Truyền thông tỉnh Hà Giang", "Sở TT&TT Hà Giang", "Hà Giang",
        None, "GIÁM ĐỐC", "Lò Văn Thắng", "002085004321", "1045678",
        recipients=["- UBND tỉnh (b/c);", "- Các sở, ban, ngành;", "- UBND các huyện, thành phố;"],
    ),
    "HU-BQ": Issuer(
        "hu-bq", "ĐẢNG BỘ TỈNH HÀ GIANG", "HUYỆN ỦY BẮC QUANG",
        "Huyện ủy Bắc Quang", "Huyện ủy Bắc Quang", "Bắc Quang",
        "T/M HUYỆN ỦY", "BÍ THƯ", "Hoàng Văn Dũng", "002079006789", "1056789", party=True,
        recipients=["- Ban Thường vụ Tỉnh ủy (b/c);", "- Các đồng chí Huyện ủy viên;", "- Các chi, đảng bộ trực thuộc;"],
    ),
    # senders of incoming documents
    "SNV": Issuer(
        "snv-hg-untrusted", "UBND TỈNH HÀ GIANG", "SỞ NỘI VỤ",
        "Sở Nội vụ tỉnh Hà Giang", "Sở Nội vụ Hà Giang", "Hà Giang",
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Vũ Thị Mai", "002182001122", "1067890",
        issuer_ca="untrusted",
        recipients=["- UBND các huyện, thành phố;", "- Lãnh đạo Sở;"],
    ),
    "UBND-VX": Issuer(
        "ubnd-vx-expired", "UBND TỈNH HÀ GIANG", "ỦY BAN NHÂN DÂN HUYỆN VỊ XUYÊN",
        "Ủy ban nhân dân huyện Vị Xuyên", "UBND huyện Vị Xuyên", "Vị Xuyên",
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lý Văn Sơn", "002081003344", "1078901",
        not_before=datetime(2019, 1, 1), not_after=datetime(2020, 12, 31, 23, 59, 59),
        recipients=["- UBND huyện Bắc Quang;", "- Các xã giáp ranh;"],
    ),
    "UBND-HG": Issuer(
        "ubnd-hg", None, "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
        "Ủy ban nhân dân tỉnh Hà Giang", "UBND tỉnh Hà Giang", "Hà Giang",
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Minh Tuấn", "002077005566", "1001234",
        recipients=["- Các sở, ban, ngành;", "- UBND các huyện, thành phố;"],
    ),
    "BTTTT": Issuer(
        "bo-tttt", None, "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Bộ Thông tin và Truyền thông", "Bộ TT&TT", "Hà Nội",
        "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Huy Hoàng", "001080007788", "1000123",
        recipients=["- Sở TT&TT các tỉnh, thành phố;", "- Cục Chuyển đổi số quốc gia;"],
    ),
    "TU-HG": Issuer(
        "tu-hg", None, "TỈNH ỦY HÀ GIANG",
        "Tỉnh ủy Hà Giang", "Tỉnh ủy Hà Giang", "Hà Giang",
        "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Vương Thị Hà", "002176009900", "1000456", party=True,
        recipients=["- Các huyện ủy, thành ủy;", "- Các đảng ủy trực thuộc;"],
    ),
}


def identities(pki: TestPKI, iss: Issuer):
    province = "Hà Nội" if iss.place == "Hà Nội" else "Hà Giang"
    kw = dict(issuer=iss.issuer_ca, not_before=iss.not_before, not_after=iss.not_after)
    person = pki.issue(
        f"{iss.key}-person",
        person_subject(iss.signer, iss.unit_short, iss.agency_name, iss.cccd, province=province),
        kind="person", **kw,
    )
    org = pki.issue(
        f"{iss.key}-org", organisation_subject(iss.agency_name, iss.mns, province=province),
        kind="organisation", **kw,
    )
    return person, org


# --------------------------------------------------------------------------
# Register rows
# --------------------------------------------------------------------------

@dataclass
class Row:
    agency: str
    direction: str
    number: str
    doc_type: str
    date: str  # dd/mm/yyyy as written in the register
    subject: str
    counterparty: str
    channel: str
    via: str
    file: str
    note: str
    case: str  # MANIFEST description
    build: str | None = None  # valid|person|tamper|modify|unsigned|scan|docx|truncate|same|None
    issuer: str | None = None  # key in ISSUERS (default: the row's agency)
    expect: str = ""


ROWS: list[Row] = [
    # ---------------- UBND-BQ ----------------
    Row("UBND-BQ", "đi", "01/QĐ-UBND", "QĐ", "05/01/2021",
        "Ban hành Quy chế làm việc của Ủy ban nhân dân huyện Bắc Quang nhiệm kỳ 2021-2026",
        "Các cơ quan, đơn vị thuộc huyện", "điện tử", "có", "files/ubnd-bq/di/01-qd-ubnd.pdf", "",
        "valid: person + organisation signatures", "valid", expect="valid"),
    Row("UBND-BQ", "đi", "02/KH-UBND", "KH", "12/01/2021",
        "Kế hoạch ứng dụng công nghệ thông tin, phát triển chính quyền số huyện Bắc Quang năm 2021",
        "UBND các xã, thị trấn", "điện tử", "có", "files/ubnd-bq/di/02-kh-ubnd.pdf", "",
        "valid: person + organisation", "valid", expect="valid"),
    Row("UBND-BQ", "đi", "15/UBND-VP", "CV", "20/01/2021",
        "V/v tăng cường gửi, nhận văn bản điện tử qua Hệ thống quản lý văn bản và điều hành",
        "Các cơ quan chuyên môn; UBND các xã, thị trấn", "điện tử", "có", "files/ubnd-bq/di/15-ubnd-vp.pdf", "",
        "công văn; person signature only (no agency signature), cryptographically valid", "person",
        expect="valid (no organisation signature: a rule may warn)"),
    Row("UBND-BQ", "đi", "03/QĐ-UBND", "QĐ", "01/02/2021",
        "Thành lập Tổ công tác triển khai Đề án 06 trên địa bàn huyện",
        "Công an huyện; Phòng Tư pháp", "điện tử", "có", "files/ubnd-bq/di/03-qd-ubnd.pdf", "",
        "signed (person + org), then one byte of page content changed: digest mismatch", "tamper",
        expect="invalid"),
    Row("UBND-BQ", "đi", "04/BC-UBND", "BC", "15/02/2021",
        "Báo cáo kết quả công tác cải cách hành chính tháng 01 năm 2021",
        "UBND tỉnh Hà Giang; Sở Nội vụ", "điện tử", "có", "files/ubnd-bq/di/04-bc-ubnd.pdf", "",
        "signed (person + org), then an incremental update changed page 1 content (modification level OTHER)",
        "modify", expect="invalid"),
    Row("UBND-BQ", "đến", "120/SNV-TCBC", "CV", "03/03/2021",
        "V/v báo cáo số lượng, chất lượng đội ngũ cán bộ, công chức, viên chức năm 2021",
        "Sở Nội vụ tỉnh Hà Giang", "điện tử", "có", "files/ubnd-bq/den/120-snv-tcbc.pdf", "",
        "incoming; person + org signed by certificates of 'Unknown Public CA' (not in trust/)", "valid",
        issuer="SNV", expect="indeterminate"),
    Row("UBND-BQ", "đến", "45/QĐ-UBND", "QĐ", "10/03/2021",
        "Phê duyệt phương án phối hợp quản lý tuyến đường liên huyện Vị Xuyên - Bắc Quang",
        "UBND huyện Vị Xuyên", "điện tử", "có", "files/ubnd-bq/den/45-qd-ubnd-vixuyen.pdf", "",
        "incoming from UBND huyện Vị Xuyên; demo-CA certificates valid 2019-01-01..2020-12-31, expired at signing",
        "valid", issuer="UBND-VX", expect="invalid"),
    Row("UBND-BQ", "đi", "05/TB-UBND", "TB", "15/03/2021",
        "Thông báo lịch tiếp công dân của Chủ tịch UBND huyện quý II năm 2021",
        "Ban Tiếp công dân huyện; UBND các xã, thị trấn", "điện tử và giấy", "có",
        "files/ubnd-bq/di/05-tb-ubnd.pdf", "kèm bản giấy",
        "valid, but sent electronically AND on paper (not paperless)", "valid", expect="valid"),
    Row("UBND-BQ", "đi", "06/GM-UBND", "GM", "22/03/2021",
        "Mời dự Hội nghị sơ kết công tác chuyển đổi số quý I năm 2021",
        "Các cơ quan, đơn vị thuộc huyện", "điện tử", "có", "files/ubnd-bq/di/06-gm-ubnd.pdf", "",
        "unsigned PDF", "unsigned", expect="unsigned"),
    Row("UBND-BQ", "đến", "78/STC-NS", "CV", "01/04/2021",
        "V/v hướng dẫn quyết toán ngân sách địa phương năm 2020",
        "Sở Tài chính tỉnh Hà Giang", "giấy", "không", "", "bản giấy",
        "paper only, not in the software, no file", None, expect="no file"),
    Row("UBND-BQ", "đến", "12/SXD-QLXD", "CV", "05/04/2021",
        "V/v rà soát, báo cáo tình hình cấp giấy phép xây dựng quý I năm 2021",
        "Sở Xây dựng tỉnh Hà Giang", "điện tử", "có", "files/ubnd-bq/den/12-sxd-qlxd-scan.pdf", "bản quét",
        "scanned image-only PDF, unsigned, no text layer", "scan", issuer="SXD", expect="unsigned"),
    Row("UBND-BQ", "đi", "07/KH-UBND", "KH", "12/04/2021",
        "Kế hoạch tổ chức các hoạt động kỷ niệm ngày Giải phóng miền Nam, thống nhất đất nước",
        "Các cơ quan, đơn vị thuộc huyện", "điện tử", "có", "files/ubnd-bq/07-kh-ubnd.pdf", "",
        "file listed but missing (must not exist)", None, expect="missing"),
    Row("UBND-BQ", "đi", "08/BC-UBND", "BC", "20/04/2021",
        "Báo cáo tình hình kinh tế - xã hội tháng 4 năm 2021",
        "UBND tỉnh Hà Giang", "điện tử", "có", "../outside.pdf", "",
        "path outside AUDIT_ROOT (nothing is created there): finding path-outside-root", None,
        expect="outside_root"),
    Row("UBND-BQ", "đi", "01/qđ-ubnd", "QĐ", "05/01/2021",
        "Ban hành Quy chế làm việc của Ủy ban nhân dân huyện Bắc Quang nhiệm kỳ 2021-2026",
        "Các cơ quan, đơn vị thuộc huyện", "điện tử", "có", "files/ubnd-bq/di/01-qd-ubnd.pdf", "nhập trùng",
        "duplicate of row 2 (number in lower case, same date and file)", "same", expect="excluded.duplicate"),
    Row("UBND-BQ", "đi", "20/QĐ-UBND", "QĐ", "10/07/2021",
        "Kiện toàn Ban Chỉ đạo chuyển đổi số huyện Bắc Quang",
        "Các thành viên Ban Chỉ đạo", "điện tử", "có", "files/ubnd-bq/di/20-qd-ubnd.pdf", "",
        "valid, after the demo period 2021-01-01..2021-06-30", "valid", expect="excluded.out_of_period"),
    Row("UBND-BQ", "đi", "99/QĐ-UBND", "QĐ", "28/12/2020",
        "Giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2021",
        "UBND các xã, thị trấn", "điện tử", "có", "files/ubnd-bq/di/99-qd-ubnd-2020.pdf", "",
        "valid, before the demo period", "valid", expect="excluded.out_of_period"),
    Row("UBND-BQ", "đi", "09/QĐ-UBND", "QĐ", "31/02/2021",
        "Phê duyệt danh mục thủ tục hành chính thực hiện tiếp nhận trực tuyến",
        "Bộ phận Một cửa huyện", "điện tử", "có", "", "sai ngày",
        "invalid date 31/02/2021: row error", None, expect="excluded.unparsable"),
    # ---------------- SO-TTTT ----------------
    Row("SO-TTTT", "đi", "10/QĐ-STTTT", "QĐ", "07/01/2021",
        "Ban hành Quy chế bảo đảm an toàn thông tin mạng của Sở Thông tin và Truyền thông",
        "Các phòng, đơn vị thuộc Sở", "điện tử", "có", "files/so-tttt/di/10-qd-stttt.pdf", "",
        "valid", "valid", expect="valid"),
    Row("SO-TTTT", "đi", "11/KH-STTTT", "KH", "14/01/2021",
        'Kế hoạch triển khai "Ngày chuyển đổi số", tuyên truyền "Chính quyền số" năm 2021',
        "Các sở, ban, ngành; UBND các huyện, thành phố", "điện tử", "có", "files/so-tttt/di/11-kh-stttt.pdf",
        "", "valid (subject contains a comma and quotes)", "valid", expect="valid"),
    Row("SO-TTTT", "đi", "25/STTTT-VP", "CV", "21/01/2021",
        "V/v đăng ký nhu cầu cấp chứng thư số chuyên dùng năm 2021",
        "Các sở, ban, ngành", "điện tử", "có", "files/so-tttt/di/25-stttt-vp.docx", "",
        "DOCX file (unsigned)", "docx", expect="unsigned"),
    Row("SO-TTTT", "đến", "30/UBND-VP", "CV", "02/02/2021",
        "V/v triển khai Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
        "UBND tỉnh Hà Giang", "điện tử", "có", "files/so-tttt/den/30-ubnd-vp.pdf", "",
        "signed PDF truncated to 60%: unreadable", "truncate", issuer="UBND-HG", expect="unreadable"),
    Row("SO-TTTT", "đi", "12/TB-STTTT", "TB", "09/02/2021",
        "Thông báo kết quả kiểm tra an toàn thông tin các cổng thông tin điện tử",
        "Các sở, ban, ngành; UBND các huyện, thành phố", "điện tử", "có", "files/so-tttt/di/12-tb-stttt.pdf",
        "", "valid", "valid", expect="valid"),
    Row("SO-TTTT", "đến", "88/BTTTT-CĐSQG", "CV", "16/03/2021",
        "V/v hướng dẫn triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)",
        "Bộ Thông tin và Truyền thông", "điện tử", "có", "files/so-tttt/den/88-btttt-cdsqg.pdf", "",
        "incoming from the ministry; valid (its own person + org identities, demo CA)", "valid",
        issuer="BTTTT", expect="valid"),
    Row("SO-TTTT", "đi", "13/BC-STTTT", "BC", "30/03/2021",
        "Báo cáo tình hình ứng dụng công nghệ thông tin quý I năm 2021",
        "UBND tỉnh; Bộ Thông tin và Truyền thông", "điện tử", "không", "files/so-tttt/di/13-bc-stttt.pdf", "",
        "valid file but via_system = không", "valid", expect="valid"),
    Row("SO-TTTT", "đến", "14/SYT-VP", "CV", "06/05/2021",
        "V/v phối hợp tuyên truyền phòng, chống dịch COVID-19",
        "Sở Y tế tỉnh Hà Giang", "giấy", "không", "", "bản giấy",
        "paper only, no file", None, expect="no file"),
    Row("SO-TTTT", "đi", "14/QĐ-STTTT", "QĐ", "18/06/2021",
        "Phê duyệt kế hoạch lựa chọn nhà thầu gói thầu nâng cấp Trung tâm dữ liệu tỉnh",
        "Sở Kế hoạch và Đầu tư", "fax", "có", "", "kênh không hợp lệ",
        "unknown channel 'fax': row error", None, expect="excluded.unparsable"),
    # ---------------- HU-BQ ----------------
    Row("HU-BQ", "đi", "149-KH/HU", "KH", "08/01/2021",
        "Thực hiện chuyển đổi số trong các cơ quan Đảng, Mặt trận và đoàn thể huyện năm 2021",
        "Các chi, đảng bộ trực thuộc", "điện tử", "có", "files/hu-bq/di/149-kh-hu.pdf", "",
        "party document; valid", "valid", expect="valid"),
    Row("HU-BQ", "đi", "150-BC/HU", "BC", "19/02/2021",
        "Kết quả lãnh đạo, chỉ đạo công tác xây dựng Đảng tháng 01 và tháng 02 năm 2021",
        "Ban Thường vụ Tỉnh ủy", "điện tử", "có", "files/hu-bq/di/150-bc-hu.pdf", "",
        "party document; valid", "valid", expect="valid"),
    Row("HU-BQ", "đi", "151-TB/HU", "TB", "11/03/2021",
        "Kết luận của Ban Thường vụ Huyện ủy về công tác chuẩn bị bầu cử đại biểu Quốc hội, HĐND các cấp",
        "Các chi, đảng bộ trực thuộc", "điện tử", "có", "files/hu-bq/di/151-tb-hu.pdf", "",
        "party document; valid", "valid", expect="valid"),
    Row("HU-BQ", "đến", "04-NQ/TU", "NQ", "25/03/2021",
        "Đẩy mạnh ứng dụng công nghệ thông tin trong hoạt động của các cơ quan Đảng tỉnh Hà Giang",
        "Tỉnh ủy Hà Giang", "điện tử", "có", "files/hu-bq/den/04-nq-tu.pdf", "",
        "incoming from Tỉnh ủy Hà Giang; valid", "valid", issuer="TU-HG", expect="valid"),
    Row("HU-BQ", "đi", "152-CV/HU", "CV", "05/05/2021",
        "V/v tổ chức học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
        "Các chi, đảng bộ trực thuộc", "điện tử", "có", "files/hu-bq/di/152-cv-hu.pdf", "",
        "party công văn; valid", "valid", expect="valid"),
]

# scanned incoming document sender (unsigned, so no identities needed)
ISSUERS["SXD"] = Issuer(
    "so-xd", "UBND TỈNH HÀ GIANG", "SỞ XÂY DỰNG", "Sở Xây dựng tỉnh Hà Giang", "Sở Xây dựng Hà Giang",
    "Hà Giang", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Bế Văn Hùng", "002083001357", "1089012",
    recipients=["- UBND các huyện, thành phố;", "- Lưu: VT, QLXD."],
)


def _parse_date(s: str) -> date:
    d, m, y = (int(x) for x in s.split("/"))
    return date(y, m, d)


def _doc_type_for_spec(row: Row) -> str:
    return "CV" if row.doc_type == "CV" else row.doc_type


def build_document(row: Row, pki: TestPKI) -> bytes | None:
    iss = ISSUERS[row.issuer or row.agency]
    on = _parse_date(row.date)
    doc_type = _doc_type_for_spec(row)
    # party công văn keep the "V/v" subject under the number and have code CV
    salutation = None
    if doc_type == "CV":
        salutation = ["Kính gửi:"] + [f"- {x.strip()};" for x in row.counterparty.split(";")] \
            if row.direction == "đi" else ["Kính gửi: Ủy ban nhân dân huyện Bắc Quang"]
        if row.agency == "SO-TTTT" and row.direction == "đến":
            salutation = ["Kính gửi: Sở Thông tin và Truyền thông"]
        if row.agency == "HU-BQ":
            salutation = ["Kính gửi: Các chi, đảng bộ trực thuộc"]
    spec = spec_for(
        doc_type=doc_type,
        number=row.number,
        on=on,
        place=iss.place,
        agency=iss.agency_caps,
        agency_parent=iss.parent,
        subject=row.subject,
        signer_authority=iss.authority,
        signer_position=iss.position,
        signer_name=iss.signer,
        recipients=iss.recipients,
        party=iss.party,
        salutation=salutation,
        pages=2 if row.number in ("02/KH-UBND", "11/KH-STTTT") else 1,
    )
    if row.build == "docx":
        return render_docx(spec)
    if row.build == "scan":
        return render_scan_pdf(spec)
    pdf = render_pdf(spec)
    if row.build == "unsigned":
        return pdf
    person, org = identities(pki, iss)
    t_person = datetime(on.year, on.month, on.day, 9, 0, tzinfo=TZ)
    t_org = datetime(on.year, on.month, on.day, 9, 30, tzinfo=TZ)
    signed = sign_person_and_org(
        pdf, person, None if row.build == "person" else org, person_time=t_person, org_time=t_org
    )
    if row.build == "tamper":
        return tamper(signed)
    if row.build == "modify":
        return modify_after_signing(signed)
    if row.build == "truncate":
        return truncate(signed)
    return signed


# --------------------------------------------------------------------------
# check/: single documents for `docaudit check`, each with one kind of defect
# --------------------------------------------------------------------------

CHECK_CASES = [
    ("dung-the-thuc.pdf", "correct: person + agency signatures, NĐ 30 format", "no finding above info (exit 0)"),
    ("thieu-quoc-hieu.pdf", "no national title and motto", "FMT001 error"),
    ("sai-so-ky-hieu.pdf", "number '5/KH-UBND' (no leading zero) under the title QUYẾT ĐỊNH", "FMT003, FMT004 warnings"),
    ("chi-chu-ky-ca-nhan.pdf", "the person signed, the agency did not", "SIG002 error"),
    ("co-quan-ky-truoc.pdf", "the agency signed before the person", "SIG003 warning"),
    ("dau-lech-vi-tri.pdf", "the seal sits right of the signature instead of over its left third", "SIG004 warning"),
    ("sha1-khoa-1024.pdf", "person signature with SHA-1 and a 1024-bit RSA key", "SIG007, SIG008 errors"),
]


def write_check_samples(root: Path, pki: TestPKI) -> None:
    from tests.testkit import signature_rects

    iss = ISSUERS["UBND-BQ"]
    on = date(2021, 6, 15)
    person, org = identities(pki, iss)
    t_person = datetime(2021, 6, 15, 9, 0, tzinfo=TZ)
    t_org = datetime(2021, 6, 15, 9, 30, tzinfo=TZ)
    base = spec_for(doc_type="QĐ", number="25/QĐ-UBND", on=on, place=iss.place, agency=iss.agency_caps,
                    agency_parent=iss.parent, subject="Phê duyệt Kế hoạch chuyển đổi số năm 2021",
                    signer_authority=iss.authority, signer_position=iss.position, signer_name=iss.signer,
                    recipients=iss.recipients)
    rects = signature_rects()
    weak = pki.issue(f"{iss.key}-person-weak",
                     person_subject(iss.signer, iss.unit_short, iss.agency_name, iss.cccd), kind="person",
                     key_bits=1024)
    pdf = render_pdf(base)
    docs = {
        "dung-the-thuc.pdf": sign_person_and_org(pdf, person, org, person_time=t_person, org_time=t_org),
        "thieu-quoc-hieu.pdf": sign_person_and_org(render_pdf(base.with_(national_header=False)), person, org,
                                                   person_time=t_person, org_time=t_org),
        "sai-so-ky-hieu.pdf": sign_person_and_org(render_pdf(base.with_(number_line="Số: 5/KH-UBND")), person,
                                                  org, person_time=t_person, org_time=t_org),
        "chi-chu-ky-ca-nhan.pdf": sign_person_and_org(pdf, person, None, person_time=t_person, org_time=t_org),
        "co-quan-ky-truoc.pdf": sign_pdf(
            sign_pdf(pdf, org, field_name="CoQuan", signing_time=t_person, rect=rects["organisation"]),
            person, field_name="NguoiKy", signing_time=t_org, rect=rects["person"]),
        "dau-lech-vi-tri.pdf": sign_pdf(
            sign_pdf(pdf, person, field_name="NguoiKy", signing_time=t_person, rect=rects["person"]),
            org, field_name="CoQuan", signing_time=t_org, rect=(440, 160, 540, 260)),
        "sha1-khoa-1024.pdf": sign_pdf(
            sign_pdf(pdf, weak, field_name="NguoiKy", signing_time=t_person, rect=rects["person"], md_algorithm="sha1"),
            org, field_name="CoQuan", signing_time=t_org, rect=rects["organisation"]),
    }
    folder = root / "check"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in docs.items():
        (folder / name).write_bytes(data)
    lines = ["# samples/check — single documents for `docaudit check`", "",
             "Generated by `samples/generate.py`. Check them with:", "",
             "    docaudit check samples/check/*.pdf --trust samples/trust/root.pem", "",
             "| file | defect | expected |", "|---|---|---|"]
    lines += [f"| `{name}` | {what} | {expected} |" for name, what, expected in CHECK_CASES]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def clean(root: Path) -> None:
    for name in GENERATED:
        p = root / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def write_register(root: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADERS)
    for r in ROWS:
        w.writerow([r.agency, r.direction, r.number, r.doc_type, r.date, r.subject, r.counterparty,
                    r.channel, r.via, r.file, r.note])
    (root / "register.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_manifest(root: Path) -> None:
    lines = [
        "# samples/ — manifest",
        "",
        "Generated by `samples/generate.py` (do not edit by hand). One line per row of `register.csv`",
        "(row = line of the file, the header being row 1: the numbers the scan's row errors use).",
        "Demo period: 2021-01-01..2021-06-30.",
        "Expected verdicts assume `--trust samples/trust` and validation at the signing time.",
        "Signing times: person 09:00, organisation 09:30 (+07:00) on the row date.",
        "",
        "| row | agency | dir | number | date | channel | via | file | case | expected |",
        "|---:|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(ROWS, 2):  # row 1 is the header, as in a spreadsheet and in row errors
        f = f"`{r.file}`" if r.file else "—"
        cells = [str(i), r.agency, r.direction, r.number, r.date, r.channel, r.via, f, r.case, r.expect]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += [
        "",
        "Identities (all issued by *Docaudit Demo CA phục vụ các cơ quan Nhà nước* under",
        "*Docaudit Demo Root CA*, valid 2020-06-01..2026-12-31, except where noted):",
        "",
    ]
    for key, iss in ISSUERS.items():
        if key == "SXD":
            continue
        ca = "Unknown Public CA (untrusted)" if iss.issuer_ca == "untrusted" else "demo CA"
        validity = f"{iss.not_before:%Y-%m-%d}..{iss.not_after:%Y-%m-%d}"
        lines.append(
            f"- {key}: person `{iss.signer} - {iss.unit_short}` (CCCD:{iss.cccd}), organisation "
            f"`{iss.agency_name}` (MNS:{iss.mns}); {ca}; {validity}"
        )
    lines.append("")
    (root / "MANIFEST.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    t0 = time.perf_counter()
    root = HERE
    clean(root)
    pki = TestPKI.generate(SEED)
    (root / "trust").mkdir(parents=True)
    pki.write_root_pem(root / "trust" / "root.pem")
    (root / "trust" / "README.md").write_text(
        "Demo certificates only (Docaudit Demo Root CA, generated from a public seed): never trust them"
        " outside tests.\n",
        encoding="utf-8",
    )
    written: dict[str, bytes] = {}
    for r in ROWS:
        if not r.build or r.build == "same":
            continue
        data = build_document(r, pki)
        path = root / r.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[r.file] = data
    # sanity: the deliberately absent files
    assert not (root / "files/ubnd-bq/07-kh-ubnd.pdf").exists()
    write_register(root)
    write_manifest(root)
    write_check_samples(root, pki)
    print(f"samples: {len(written)} files, {len(ROWS)} register rows, {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
