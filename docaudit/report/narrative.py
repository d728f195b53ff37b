"""The report paragraph an office pastes into its báo cáo, in Vietnamese (default) or English.

    Tổng số văn bản đi/đến: 1.234; tỷ lệ văn bản được thực hiện qua phần mềm đạt 92,41% (đạt chỉ
    tiêu trên 90%), trong đó chuyển hoàn toàn trên môi trường mạng, không kèm văn bản giấy đạt
    78,20% (chưa đạt chỉ tiêu trên 80%).

Word rules (README "Reports"):

* verdict word: ``chưa đạt`` / ``not met`` when the target is missed; ``vượt`` / ``exceeded`` when it
  is met by at least :data:`~docaudit.report.breakdown.EXCEED_POINTS` (5) percentage points beyond
  the threshold (operators ``>`` and ``>=`` only); ``đạt`` / ``met`` otherwise;
* the target follows its operator: ``>`` → ``trên 90%`` / ``above 90%``; ``>=`` → ``từ 90% trở lên`` /
  ``90% or more``; ``<`` → ``dưới``; ``<=`` → ``không quá``; ``==`` → ``bằng``;
* a rate that cannot be computed (no entry in the period, or an empty paperless denominator) says so
  (``không có văn bản trong kỳ``) instead of a number and a verdict.

Also the small text helpers every renderer shares (period, "76,92% (10/13)", verdict words).
"""

from __future__ import annotations

from ..pipeline.report import AuditReport
from ..text import CATALOGUE
from . import breakdown as bd
from .i18n import date_text, decimal, number, percent, reason, t, target_phrase


def status_word(status: str, lang: str) -> str:
    return t(status, lang)  # exceeded, met, not_met, no_data


def target_text(target: bd.Target, lang: str) -> str:
    """``trên 90%`` / ``above 90%``."""
    return target_phrase(target.op, target.threshold, lang)


def rate_text(view: bd.RateView, lang: str) -> str:
    """``76,92% (10/13)``, or ``—`` when there is nothing to divide by."""
    if view.rate is None:
        return "—"
    return f"{percent(view.rate, lang)} ({number(view.count, lang)}/{number(view.denominator, lang)})"


def verdict_text(view: bd.RateView, lang: str) -> str:
    """``đạt chỉ tiêu trên 90%`` / ``target above 90%: met``."""
    if view.rate is None:
        return no_documents(view, lang)
    return t("narrative.verdict", lang, status=status_word(view.status, lang), target=target_text(view.target, lang))


def no_documents(view: bd.RateView, lang: str) -> str:
    key = "total" if view.name == "via_software" else view.target.denominator
    code = f"narrative.no_documents.{key}"
    return t(code if code in CATALOGUE else "narrative.no_documents.total", lang)


def period_text(report: AuditReport, lang: str) -> str:
    start = report.period.start.isoformat() if report.period.start else None
    end = report.period.end.isoformat() if report.period.end else None
    if start and end:
        return t("period_range", lang, start=date_text(start, lang), end=date_text(end, lang))
    if start:
        return t("period_from", lang, start=date_text(start, lang))
    if end:
        return t("period_until", lang, end=date_text(end, lang))
    return t("all_dates", lang)


def scope_label(scope: bd.Scope, lang: str) -> str:
    return t("overall", lang) if scope.overall else scope.name


def rule_packs_text(report: AuditReport, lang: str) -> str:
    """``nd30 (phiên bản 1); signatures (phiên bản 2) — dấu vân tay 3f2a…`` or empty."""
    parts = []
    for pack in bd.rule_packs(report):
        if pack["name"]:
            parts.append(pack["name"] + (f" ({t('version', lang)} {pack['version']})" if pack["version"] else ""))
        if pack["fingerprint"]:
            parts.append(f"{t('fingerprint', lang).lower()} {pack['fingerprint'][:16]}")
    return "; ".join(parts)


def crypto_policy_text(report: AuditReport, lang: str) -> str:
    """``vn (phiên bản 1) — dấu vân tay fba8…`` or empty (a report stored before the policies)."""
    policy = report.crypto_policy or {}
    if not policy.get("id"):
        return ""
    text = str(policy["id"]) + (f" ({t('version', lang)} {policy['version']})" if policy.get("version") else "")
    return text + (f" — {t('fingerprint', lang).lower()} {str(policy['fingerprint'])[:16]}" if policy.get("fingerprint") else "")


def reasons_text(reasons: list[tuple[str, int]], lang: str) -> str:
    return "; ".join(f"{reason(code, lang)} ({number(n, lang)})" for code, n in reasons)


# --------------------------------------------------------------------------- sentences


def _clause(view: bd.RateView, lang: str) -> str:
    subject = t(f"narrative.subject.{'via_software' if view.name == 'via_software' else 'paperless'}", lang)
    if view.rate is None:
        return t("narrative.clause_no_rate", lang, subject=subject, why=no_documents(view, lang))
    return t("narrative.clause", lang, subject=subject, rate=percent(view.rate, lang), verdict=verdict_text(view, lang))


def sentence(scope: bd.Scope, lang: str = "vi", capital: bool = True) -> str:
    """The sentence for one scope (an agency or overall), ending with a full stop."""
    head = t("narrative.head", lang, total=number(scope.total, lang))
    if scope.total == 0:
        body = t("narrative.body_empty", lang, head=head)
    else:
        body = t("narrative.body", lang, head=head, via_software=_clause(scope.via_software, lang),
                 paperless=_clause(scope.paperless, lang))
    return body[0].upper() + body[1:] if capital else body


def scope_sentence(scope: bd.Scope, lang: str = "vi") -> str:
    """``UBND-BQ: tổng số văn bản …`` for an agency; the plain sentence for the overall scope."""
    if scope.overall:
        return sentence(scope, lang)
    return f"{scope.name}: {sentence(scope, lang, capital=False)}"


def paragraphs(report: AuditReport, lang: str = "vi") -> list[str]:
    """The overall sentence, then one per agency."""
    return [scope_sentence(bd.overall(report), lang)] + [scope_sentence(s, lang) for s in bd.agencies(report)]


def text(report: AuditReport, lang: str = "vi") -> str:
    return "\n\n".join(paragraphs(report, lang))


def shortfall_text(item: bd.Shortfall, lang: str) -> str:
    """``UBND-BQ — qua phần mềm: 76,92% (10/13), chưa đạt chỉ tiêu trên 90% (thấp hơn ngưỡng 13,08
    điểm phần trăm; cần thêm ít nhất 2 văn bản đạt yêu cầu); lý do chính: …``"""
    name = t("overall", lang) if item.overall else item.scope
    view = item.view
    parts = [f"{name} — {t(view.name, lang).lower() if lang == 'vi' else t(view.name, lang)}: "
             f"{rate_text(view, lang)}, {verdict_text(view, lang)}"]
    extra = []
    if item.gap_points is not None and item.gap_points > 0:
        extra.append(t("gap", lang, points=decimal(item.gap_points, lang)))
    if item.need_more:
        extra.append(t("need_more", lang, n=number(item.need_more, lang)))
    text_ = parts[0] + (f" ({'; '.join(extra)})" if extra else "")
    if item.reasons:
        text_ += f"; {t('main_reasons', lang)}: {reasons_text(item.reasons, lang)}"
    return text_
