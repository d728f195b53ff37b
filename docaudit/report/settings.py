"""Who issues the báo cáo: the ``[report]`` section of ``docaudit.toml``.

The DOCX report is an administrative document in the layout of NĐ 30/2020/NĐ-CP (Phụ lục I), so
it carries the issuing agency, its number and symbol, the place of the date line, the recipients
and the signer. None of that is in the audit's results: it is handed to the renderers beside the
:class:`~docaudit.pipeline.report.AuditReport` (``formats.render(report, fmt, lang, settings)``).
Every field may be unset; the document then shows the decree's placeholder for the office to fill
in (``TÊN CƠ QUAN, TỔ CHỨC``, ``Số: …/BC-…``).

``docaudit.config.parse_report`` reads and validates the section.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSettings:
    parent_agency: str | None = None
    """Tên cơ quan, tổ chức chủ quản trực tiếp (above the agency; none for an agency without one)."""
    agency: str | None = None
    """Tên cơ quan, tổ chức ban hành văn bản."""
    number: str | None = None
    """Số, ký hiệu of the báo cáo, e.g. ``15/BC-UBND`` (checked like FMT002/FMT003 check it)."""
    place: str | None = None
    """Địa danh of the date line: ``Bắc Quang, ngày 06 tháng 12 năm 2026``."""
    subject: str | None = None
    """Trích yếu nội dung (default: the catalogue's subject of an audit report)."""
    recipients: tuple[str, ...] = ()
    """Nơi nhận, one per line, before ``- Lưu: …``."""
    archive: str | None = None
    """Where the copy is kept: ``VT, VP`` gives ``- Lưu: VT, VP.`` (default ``VT``, the văn thư)."""
    authority: tuple[str, ...] = ()
    """Quyền hạn của người ký, one line each: ``TM. ỦY BAN NHÂN DÂN``, ``KT. CHỦ TỊCH``."""
    position: str | None = None
    """Chức vụ của người ký: ``PHÓ CHỦ TỊCH``."""
    signer: str | None = None
    """Họ và tên của người ký."""


DEFAULT_SETTINGS = ReportSettings()
