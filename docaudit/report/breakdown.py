"""Pure views over a JSON report dict (``docaudit.report/1`` plus extra keys), shared by the
html, xlsx, docx and md renderers: rates with their denominators and verdicts, breakdowns of the
entries by direction / document type / month, findings by rule, and the shortfall list.

Nothing here reads files, the database or a live scan: a stored report renders exactly as a fresh
one. Keys that later versions add (``findings`` on entries, ``findings_by_rule`` on agencies) are
used when present and never required.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .i18n import number, t

from ..targets import OPERATORS

RATES = ("via_software", "paperless")
DIMENSIONS = ("direction", "doc_type", "month")

EXCEED_POINTS = 5.0
"""A met target is reported as *exceeded* (``vượt``) when the rate is at least this many percentage
points beyond the threshold (only for the ``>`` and ``>=`` operators)."""

DEFAULT_TARGETS = {
    "via_software": {"op": ">", "threshold": 0.9, "denominator": "total"},
    "paperless": {"op": ">", "threshold": 0.8, "denominator": "total"},
}

# Reason codes (metrics.why_not_counted) that keep an entry out of the via-software count; the
# others only keep it out of the paperless count.
VIA_SOFTWARE_REASONS = frozenset({"not-via-system", "no-file", "file-missing", "path-outside-root", "file-unreadable"})

_DIRECTION_ORDER = {"outgoing": 0, "incoming": 1}


@dataclass(frozen=True)
class Target:
    op: str
    threshold: float
    denominator: str = "total"

    def met(self, rate: float | None) -> bool | None:
        if rate is None:
            return None
        check = OPERATORS.get(self.op)
        return None if check is None else check(rate, self.threshold)


@dataclass(frozen=True)
class RateView:
    """One rate of one scope, ready to print."""

    name: str  # via_software | paperless
    count: int
    claimed: int
    denominator: int
    rate: float | None
    meets_target: bool | None
    target: Target

    @property
    def status(self) -> str:
        """``exceeded`` | ``met`` | ``not_met`` | ``no_data`` (see :data:`EXCEED_POINTS`)."""
        return status(self.rate, self.meets_target, self.target)


@dataclass(frozen=True)
class Scope:
    """An agency, or the overall figures."""

    name: str
    overall: bool
    total: int
    via_software: RateView
    paperless: RateView
    figures: Mapping[str, Any]

    def rate(self, name: str) -> RateView:
        return self.via_software if name == "via_software" else self.paperless


@dataclass(frozen=True)
class Group:
    """One row of a breakdown (one direction, document type or month)."""

    key: str
    total: int
    via_software: RateView
    paperless: RateView


@dataclass(frozen=True)
class RuleRow:
    rule: str
    severity: str | None
    reference: str | None
    total: int
    by_agency: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    accepted: int = 0
    """How many of them the audit's baseline accepts."""


@dataclass(frozen=True)
class Shortfall:
    scope: str
    overall: bool
    view: RateView
    gap_points: float | None
    """Percentage points between the rate and the threshold (positive = short by that much)."""
    need_more: int | None
    """Fewest extra qualifying documents that would meet the target, if it can be met at all."""
    reasons: list[tuple[str, int]]


# --------------------------------------------------------------------------- targets and rates


def status(rate: float | None, meets_target: bool | None, target: Target) -> str:
    if rate is None or meets_target is None:
        return "no_data"
    if not meets_target:
        return "not_met"
    if target.op in (">", ">=") and round((rate - target.threshold) * 100, 9) >= EXCEED_POINTS:
        return "exceeded"
    return "met"


def targets(report: Mapping[str, Any]) -> dict[str, Target]:
    found = report.get("targets") or {}
    out = {}
    for name in RATES:
        spec = {**DEFAULT_TARGETS[name], **(found.get(name) or {})}
        out[name] = Target(str(spec["op"]), float(spec["threshold"]), str(spec.get("denominator") or "total"))
    return out


def _int(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def rate_view(figures: Mapping[str, Any], name: str, target: Target) -> RateView:
    data = figures.get(name) or {}
    total = _int(figures.get("total"))
    count, claimed = _int(data.get("count")), _int(data.get("claimed"))
    if target.denominator == "via_software":
        denominator = _int((figures.get("via_software") or {}).get("count"))
    elif target.denominator == "claimed":
        denominator = claimed
    else:
        denominator = total
    rate = data.get("rate")
    if rate is None and "rate" not in data:
        rate = None if denominator == 0 else count / denominator
    meets = data.get("meets_target") if "meets_target" in data else target.met(rate)
    return RateView(name, count, claimed, denominator, rate, meets, target)


def scope(name: str, figures: Mapping[str, Any], pack: Mapping[str, Target], overall: bool = False) -> Scope:
    return Scope(
        name=name, overall=overall, total=_int(figures.get("total")),
        via_software=rate_view(figures, "via_software", pack["via_software"]),
        paperless=rate_view(figures, "paperless", pack["paperless"]),
        figures=figures,
    )


def agencies(report: Mapping[str, Any]) -> list[Scope]:
    pack = targets(report)
    return [scope(name, figures or {}, pack) for name, figures in (report.get("agencies") or {}).items()]


def overall(report: Mapping[str, Any]) -> Scope:
    return scope("", report.get("overall") or {}, targets(report), overall=True)


def nothing_to_rate(report: Mapping[str, Any]) -> bool:
    """No entry in scope: no rate exists, so "every target met" would be false comfort."""
    return _int((report.get("overall") or {}).get("total")) == 0


def no_shortfall_key(report: Mapping[str, Any]) -> str:
    """The words for an empty list of shortfalls: met, or nothing to measure."""
    return "no_rates" if nothing_to_rate(report) else "no_shortfalls"


# --------------------------------------------------------------------------- breakdowns


def _entry_key(entry: Mapping[str, Any], dimension: str) -> str:
    if dimension == "month":
        return str(entry.get("date") or "")[:7] or "?"
    return str(entry.get(dimension) or "?")


def _sort_key(dimension: str, key: str, total: int):
    if dimension == "direction":
        return (_DIRECTION_ORDER.get(key, 9), key)
    if dimension == "month":
        return (key,)
    return (-total, key)


def group(key: str, entries: Iterable[Mapping[str, Any]], pack: Mapping[str, Target]) -> Group:
    rows = list(entries)
    counts = [e.get("counts") or {} for e in rows]
    via = sum(1 for c in counts if c.get("via_software"))
    via_claimed = sum(1 for e in rows if e.get("via_system"))
    paper = sum(1 for c in counts if c.get("paperless"))
    paper_claimed = sum(1 for e in rows if e.get("via_system") and e.get("channel") == "electronic")
    figures = {
        "total": len(rows),
        "via_software": {"count": via, "claimed": via_claimed},
        "paperless": {"count": paper, "claimed": paper_claimed},
    }
    return Group(key, len(rows), rate_view(figures, "via_software", pack["via_software"]),
                 rate_view(figures, "paperless", pack["paperless"]))


def breakdown(report: Mapping[str, Any], dimension: str, agency: str | None = None) -> list[Group]:
    """Entries of ``agency`` (all agencies when ``None``) grouped by ``dimension``: ``direction``,
    ``doc_type`` or ``month`` (``YYYY-MM`` of the register date)."""
    pack = targets(report)
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for entry in report.get("entries") or []:
        if agency is None or entry.get("agency") == agency:
            grouped[_entry_key(entry, dimension)].append(entry)
    groups = [group(key, rows, pack) for key, rows in grouped.items()]
    return sorted(groups, key=lambda g: _sort_key(dimension, g.key, g.total))


def breakdowns(report: Mapping[str, Any], agency: str | None = None) -> dict[str, list[Group]]:
    return {dimension: breakdown(report, dimension, agency) for dimension in DIMENSIONS}


# --------------------------------------------------------------------------- entries and findings


def not_counted_entries(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Entries that did not count as paperless (their ``not_counted`` codes say why)."""
    out = []
    for entry in report.get("entries") or []:
        counts = entry.get("counts") or {}
        if entry.get("not_counted") or (counts and not counts.get("paperless")):
            out.append(entry)
    return out


def accepted(finding: Mapping[str, Any]) -> bool:
    """Whether an audit's baseline accepts this finding (``docaudit baseline``)."""
    status = finding.get("baseline")
    return (type(status) is dict or isinstance(status, Mapping)) and status.get("status") == "accepted"


def message(finding: Mapping[str, Any], lang: str) -> str:
    """A finding's message in ``lang`` (``message_en`` for English when the report has it),
    marked when the audit's baseline accepts it."""
    if lang == "en" and finding.get("message_en"):
        text = str(finding["message_en"])
    else:
        text = str(finding.get("message") or "")
    if accepted(finding):
        why = str(finding["baseline"].get("reason") or "").strip()
        text += f" ({t('accepted_baseline', lang)}{': ' + why if why else ''})"
    return text


def findings(report: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Every (entry, finding) pair, in register order."""
    # ``type(f) is dict`` first: a report read from JSON holds dicts, and the Mapping check is an
    # ABC check, slow over tens of thousands of findings
    return [(entry, f) for entry in report.get("entries") or [] for f in entry.get("findings") or []
            if type(f) is dict or isinstance(f, Mapping)]


def findings_by_rule(report: Mapping[str, Any]) -> list[RuleRow]:
    """Findings counted per rule and agency. Agencies' ``findings_by_rule`` (when the report has
    them) are authoritative; otherwise the findings on the entries are counted."""
    meta: dict[str, dict[str, Any]] = {}
    from_entries: dict[str, Counter] = defaultdict(Counter)
    by_severity: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    accepted_by: Counter = Counter()  # (rule, severity) → accepted findings
    for entry, finding in findings(report):
        rule = str(finding.get("rule") or "?")
        severity = str(finding.get("severity") or "")
        accepted_by[rule, severity] += accepted(finding)
        info = meta.setdefault(rule, {})
        for key in ("severity", "reference", "message"):
            if info.get(key) is None and finding.get(key):
                info[key] = str(finding[key])
        from_entries[rule][str(entry.get("agency") or "")] += 1
        by_severity[rule][severity][str(entry.get("agency") or "")] += 1

    agencies_data = report.get("agencies") or {}
    given = {name: fig.get("findings_by_rule") for name, fig in agencies_data.items()
             if isinstance(fig, Mapping) and isinstance(fig.get("findings_by_rule"), Mapping)}
    counts: dict[str, Counter] = defaultdict(Counter)
    if given:
        for name, by_rule in given.items():
            for rule, n in by_rule.items():
                counts[str(rule)][name] += _int(n)
        # agencies that carry no findings_by_rule: count their entries
        for rule, per_agency in from_entries.items():
            for name, n in per_agency.items():
                if name not in given:
                    counts[rule][name] += n
    else:
        counts = from_entries

    severity_rank = {"error": 0, "warning": 1, "info": 2}
    rows = []
    for rule, per_agency in counts.items():
        total = sum(per_agency.values())
        if not total:
            continue
        info = meta.get(rule, {})
        levels = by_severity.get(rule, {})
        if len(levels) > 1 and sum(from_entries[rule].values()) == total:
            # one rule, two levels (SIG002: an error on outgoing documents, a warning on incoming
            # ones): a row per level, as the terminal table shows them
            for level, agencies_of_level in levels.items():
                rows.append(RuleRow(rule, level or None, info.get("reference"), sum(agencies_of_level.values()),
                                    dict(agencies_of_level), info.get("message"), accepted_by[rule, level]))
            continue
        rows.append(RuleRow(rule, info.get("severity"), info.get("reference"), total, dict(per_agency),
                            info.get("message"), sum(n for (r, _), n in accepted_by.items() if r == rule)))
    return sorted(rows, key=lambda r: (severity_rank.get(r.severity or "", 3), -r.total, r.rule))


def total_with_accepted(row: RuleRow, lang: str) -> str:
    """A rule's total, with how many the baseline accepts: ``13 (3 đã chấp nhận)``."""
    if not row.accepted:
        return number(row.total, lang)
    return f"{number(row.total, lang)} ({number(row.accepted, lang)} {t('accepted', lang)})"


# --------------------------------------------------------------------------- rule packs


def rule_packs(report: Mapping[str, Any]) -> list[dict[str, str]]:
    """The rule packs a run applied, as ``{"name", "version", "fingerprint"}`` (values may be empty),
    from whichever of ``rule_pack`` / ``rule_packs`` / ``rules`` the report carries: one pack
    (``{"pack"|"id"|"name", "version", "fingerprint"}``), a list of them, ``{"packs": [...],
    "fingerprint": ...}``, or ``{name: version}``. Nothing when the report has none."""
    data = next((report[k] for k in ("rule_pack", "rule_packs", "rules") if report.get(k)), None)
    out: list[dict[str, str]] = []

    def text(value: Any) -> str:
        return "" if value is None or isinstance(value, (dict, list)) else str(value)

    def one(item: Any, name: str = "") -> None:
        if isinstance(item, Mapping):
            if isinstance(item.get("packs"), list):
                for pack in item["packs"]:
                    one(pack)
                if item.get("fingerprint"):
                    out.append({"name": "", "version": "", "fingerprint": text(item["fingerprint"])})
                return
            label = item.get("pack") or item.get("id") or item.get("name") or name
            if label or item.get("version") or item.get("fingerprint"):
                out.append({"name": text(label), "version": text(item.get("version")),
                            "fingerprint": text(item.get("fingerprint"))})
                return
            for key, value in item.items():
                if isinstance(value, Mapping):
                    one(value, str(key))
                else:
                    out.append({"name": str(key), "version": text(value), "fingerprint": ""})
        elif isinstance(item, list):
            for element in item:
                one(element)
        elif item is not None:
            out.append({"name": name or text(item), "version": "" if not name else text(item), "fingerprint": ""})

    one(data)
    return out


# --------------------------------------------------------------------------- shortfalls


def need_more(view: RateView) -> int | None:
    """Fewest extra qualifying documents (same denominator) that would meet the target."""
    if view.meets_target is not False or view.denominator == 0 or view.target.op not in (">", ">="):
        return None
    den = view.denominator
    start = max(view.count, int(view.target.threshold * den) - 1)
    for k in range(start, den + 1):
        if view.target.met(k / den):
            return k - view.count
    return None


def reasons_within(report: Mapping[str, Any], agency: str | None, denominator: str) -> dict[str, int]:
    """Why the entries *of the paperless denominator* did not count (reason code → entries), for
    one ``agency`` or overall (``None``): with a pack whose denominator is ``via_software`` or
    ``claimed``, the entries outside it (not handled via the software, say) are no reason for
    the shortfall."""
    counts: Counter = Counter()
    for entry in report.get("entries") or []:
        if not isinstance(entry, Mapping) or (agency is not None and str(entry.get("agency")) != agency):
            continue
        if denominator == "via_software":
            inside = bool((entry.get("counts") or {}).get("via_software"))
        else:  # claimed: via the software and sent electronically
            inside = entry.get("via_system") is True and entry.get("channel") == "electronic"
        if inside:
            counts.update(str(code) for code in entry.get("not_counted") or [])
    return dict(counts)


def shortfalls(report: Mapping[str, Any]) -> list[Shortfall]:
    """Every (scope, rate) that misses its target; agencies first, then overall."""
    out = []
    for s in [*agencies(report), overall(report)]:
        reasons = (s.figures.get("not_counted") or {})
        for name in RATES:
            view = s.rate(name)
            if view.meets_target is not False:
                continue
            if name == "paperless" and view.target.denominator != "total":
                reasons = reasons_within(report, None if s.overall else s.name, view.target.denominator)
            relevant = [(code, _int(n)) for code, n in reasons.items()
                        if name == "paperless" or code in VIA_SOFTWARE_REASONS]
            relevant.sort(key=lambda item: -item[1])
            gap = None if view.rate is None else round((view.target.threshold - view.rate) * 100, 2)
            out.append(Shortfall(s.name, s.overall, view, gap, need_more(view), relevant[:3]))
    return out
