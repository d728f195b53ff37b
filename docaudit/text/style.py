"""Number, percentage and date style: Vietnamese writes ``1.234`` and ``87,03%``, English ``1,234``
and ``87.03%``.

Babel (CLDR data for ``vi_VN`` and ``en``) sets the separators and grouping. The rounding stays
Python's own (``f"{x:.2f}"``, of the binary value), done before Babel sees the number: Babel
rounds the shortest decimal form half-even instead, and so would write 23/160 as ``14,38%``
where docaudit has always written ``14,37%`` (92 of the 1.4 million fractions k/n with n < 1,200
differ).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal, format_percent

from .messages import t

_LOCALES = {"vi": "vi_VN", "en": "en"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "en")


@lru_cache(maxsize=8)
def _pattern(digits: int, percent_sign: bool) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "") + ("%" if percent_sign else "")


def number(value: int, lang: str) -> str:
    """``52.031`` (vi) / ``52,031`` (en)."""
    return format_decimal(value, _pattern(0, False), locale=_locale(lang))


def decimal(value: float, lang: str, digits: int = 2) -> str:
    """A plain decimal number in the language's style: ``13,08`` (vi) / ``13.08`` (en)."""
    return format_decimal(Decimal(f"{value:.{digits}f}"), _pattern(digits, False), locale=_locale(lang))


def percent(rate: float | None, lang: str, digits: int = 2) -> str:
    """``87,03%`` (vi) / ``87.03%`` (en); ``—`` for no rate."""
    if rate is None:
        return "—"
    rounded = Decimal(f"{rate * 100:.{digits}f}")  # Python's rounding, see the module docstring
    return format_percent(rounded / 100, _pattern(digits, True), locale=_locale(lang))


def threshold(value: float, lang: str) -> str:
    """A target threshold as a percentage without needless decimals: ``90%``, ``92,5%``."""
    rounded = Decimal(f"{value * 100:.2f}")
    return format_decimal(rounded, "0.##", locale=_locale(lang)) + "%"


def signed_points(change: float, lang: str) -> str:
    """A change in percentage points with its sign: ``+1,50 điểm %`` / ``+1.50 pp``."""
    text = f"{change * 100:+.2f}"
    return t("history.points", lang, points=text.replace(".", ",") if lang == "vi" else text)


def target_phrase(op: str, value: float, lang: str) -> str:
    """``(">", 0.9)`` → ``trên 90%`` / ``above 90%``; ``">="`` → ``từ 90% trở lên`` / ``90% or more``."""
    shown = threshold(value, lang)
    try:
        return t(f"operator.{op}", lang, value=shown)
    except KeyError:
        return f"{op} {shown}"


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


_VIETNAM = dt.timezone(dt.timedelta(hours=7))


def datetime_text(iso: str | None, lang: str) -> str:
    """``2021-03-05T07:00:20.7+00:00`` → ``05/03/2021 14:00:20 (giờ Việt Nam)`` (vi: Vietnam time,
    UTC+7, as the signing times are shown) / ``2021-03-05 07:00:20 UTC`` (en)."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    zone = ""
    if moment.tzinfo is not None:
        vietnam = lang == "vi"
        moment = moment.astimezone(_VIETNAM if vietnam else dt.timezone.utc)
        zone = " (giờ Việt Nam)" if vietnam else " UTC"
    return f"{date_text(moment.date().isoformat(), lang)} {moment:%H:%M:%S}{zone}"
