"""Pure views over an :class:`~docaudit.pipeline.report.AuditReport`, shared by the html, xlsx,
docx, md and junit renderers: rates with their denominators and verdicts, breakdowns of the entries
by direction / document type / month, findings by rule, and the shortfall list.

Nothing here reads files, the database or a live scan: a stored report renders exactly as a fresh
one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from ..metrics import Figures, Rate
from ..model import Channel, agency_key
from ..pipeline.report import AuditReport, ReportEntry, ReportFinding, TargetSpec
from ..targets import OPERATORS
from .i18n import number, t

RATES = ("via_software", "paperless")
DIMENSIONS = ("direction", "doc_type", "month")

EXCEED_POINTS = 5.0
"""A met target is reported as *exceeded* (``vượt``) when the rate is at least this many percentage
points beyond the threshold (only for the ``>`` and ``>=`` operators)."""

# Reason codes (metrics.why_not_counted) that keep an entry out of the via-software count; the
# others only keep it out of the paperless count.
VIA_SOFTWARE_REASONS = frozenset({"not-via-system", "no-file", "file-missing", "path-outside-root", "file-unreadable"})

_DIRECTION_ORDER = {"outgoing": 0, "incoming": 1}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


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
    figures: Figures

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


def _target(spec: TargetSpec) -> Target:
    return Target(spec.op, spec.threshold, spec.denominator)


def targets(report: AuditReport) -> dict[str, Target]:
    """The report's two targets by rate name."""
    return {"via_software": _target(report.targets.via_software), "paperless": _target(report.targets.paperless)}


def rate_view(name: str, rate: Rate, target: Target) -> RateView:
    return RateView(name, rate.count, rate.claimed, rate.denominator, rate.rate, rate.meets_target, target)


def scope(name: str, figures: Figures, pack: Mapping[str, Target], overall: bool = False) -> Scope:
    return Scope(
        name=name, overall=overall, total=figures.total,
        via_software=rate_view("via_software", figures.via_software, pack["via_software"]),
        paperless=rate_view("paperless", figures.paperless, pack["paperless"]),
        figures=figures,
    )


def agencies(report: AuditReport) -> list[Scope]:
    pack = targets(report)
    return [scope(name, figures, pack) for name, figures in report.agencies.items()]


def overall(report: AuditReport) -> Scope:
    return scope("", report.overall, targets(report), overall=True)


def nothing_to_rate(report: AuditReport) -> bool:
    """No entry in scope: no rate exists, so "every target met" would be false comfort."""
    return report.overall.total == 0


def no_shortfall_key(report: AuditReport) -> str:
    """The words for an empty list of shortfalls: met, or nothing to measure."""
    return "no_rates" if nothing_to_rate(report) else "no_shortfalls"


# --------------------------------------------------------------------------- breakdowns


def agency_names(report: AuditReport) -> Callable[[str], str]:
    """An entry's agency under the name the report's figures give it (spellings folded, as
    :func:`of_agency` does); an agency the figures do not list keeps its own spelling."""
    return agency_namer(report.agencies)


def agency_namer(agencies: Iterable[str]) -> Callable[[str], str]:
    """A spelling → the one of ``agencies`` it spells (:func:`~docaudit.model.agency_key`), or
    itself when it spells none of them."""
    listed = set(agencies)
    by_key = {agency_key(name): name for name in listed}
    names: dict[str, str] = {}  # a few spellings, many entries

    def named(agency: str) -> str:
        if agency not in names:
            names[agency] = agency if agency in listed else by_key.get(agency_key(agency), agency)
        return names[agency]

    return named


def of_agency(agency: str | None) -> Callable[[ReportEntry], bool]:
    """Whether an entry is one of ``agency``'s (every entry for ``None``). Spellings of one agency
    are one agency (:func:`~docaudit.model.agency_key`), as in the figures: a report whose entries
    spell an agency otherwise than its figures (one stored before the registers of a run agreed on
    a spelling) still breaks the agency's entries down."""
    if agency is None:
        return lambda entry: True
    key = agency_key(agency)
    known: dict[str, bool] = {}  # a few spellings, many entries

    def belongs(entry: ReportEntry) -> bool:
        name = entry.agency
        if name not in known:
            known[name] = name == agency or agency_key(name) == key
        return known[name]

    return belongs


def _entry_key(entry: ReportEntry, dimension: str) -> str:
    if dimension == "month":
        return entry.date.isoformat()[:7]
    if dimension == "direction":
        return entry.direction.value
    return entry.doc_type or "?"


def _sort_key(dimension: str, key: str, total: int):
    if dimension == "direction":
        return (_DIRECTION_ORDER.get(key, 9), key)
    if dimension == "month":
        return (key,)
    return (-total, key)


def _group_rate(name: str, count: int, claimed: int, total: int, via_count: int, target: Target) -> RateView:
    denominator = {"via_software": via_count, "claimed": claimed}.get(target.denominator, total)
    rate = None if denominator == 0 else count / denominator
    return RateView(name, count, claimed, denominator, rate, target.met(rate), target)


def group(key: str, entries: Iterable[ReportEntry], pack: Mapping[str, Target]) -> Group:
    rows = list(entries)
    via = sum(1 for e in rows if e.counts_via_software)
    via_claimed = sum(1 for e in rows if e.via_system)
    paper = sum(1 for e in rows if e.counts_paperless)
    paper_claimed = sum(1 for e in rows if e.via_system and e.channel is Channel.ELECTRONIC)
    return Group(key, len(rows),
                 _group_rate("via_software", via, via_claimed, len(rows), via, pack["via_software"]),
                 _group_rate("paperless", paper, paper_claimed, len(rows), via, pack["paperless"]))


def breakdown(report: AuditReport, dimension: str, agency: str | None = None) -> list[Group]:
    """Entries of ``agency`` (all agencies when ``None``) grouped by ``dimension``: ``direction``,
    ``doc_type`` or ``month`` (``YYYY-MM`` of the register date)."""
    pack = targets(report)
    grouped: dict[str, list[ReportEntry]] = defaultdict(list)
    belongs = of_agency(agency)
    for entry in report.entries:
        if belongs(entry):
            grouped[_entry_key(entry, dimension)].append(entry)
    groups = [group(key, rows, pack) for key, rows in grouped.items()]
    return sorted(groups, key=lambda g: _sort_key(dimension, g.key, g.total))


def breakdowns(report: AuditReport, agency: str | None = None) -> dict[str, list[Group]]:
    return {dimension: breakdown(report, dimension, agency) for dimension in DIMENSIONS}


# --------------------------------------------------------------------------- entries and findings


def not_counted_entries(report: AuditReport) -> list[ReportEntry]:
    """Entries that did not count as paperless (their ``not_counted`` codes say why)."""
    return [e for e in report.entries if e.not_counted or not e.counts_paperless]


def accepted(finding: ReportFinding) -> bool:
    """Whether an audit's baseline accepts this finding (``docaudit baseline``)."""
    return finding.baseline is not None and finding.baseline.status == "accepted"


def finding_text(finding: ReportFinding, lang: str) -> str:
    """A finding's message in ``lang``, marked when the audit's baseline accepts it."""
    text = finding.text(lang)
    if accepted(finding):
        why = (finding.baseline.reason or "").strip()
        text += f" ({t('accepted_baseline', lang)}{': ' + why if why else ''})"
    return text


def findings_by_rule(report: AuditReport) -> list[RuleRow]:
    """Findings counted per rule and agency. The agencies' ``findings_by_rule`` figures are
    authoritative; findings on entries of an agency the figures do not list are counted too."""
    meta: dict[str, dict[str, str]] = {}
    from_entries: dict[str, Counter] = defaultdict(Counter)
    by_severity: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    accepted_by: Counter = Counter()  # (rule, severity) → accepted findings
    named = agency_names(report)
    for entry, finding in report.findings():
        rule, severity = finding.rule, finding.severity.value
        accepted_by[rule, severity] += accepted(finding)
        info = meta.setdefault(rule, {})
        # the first finding that has each: its severity, reference and (Vietnamese) message
        for key, value in (("severity", severity), ("reference", finding.reference), ("message", finding.message)):
            if info.get(key) is None and value:
                info[key] = value
        name = named(entry.agency)
        from_entries[rule][name] += 1
        by_severity[rule][severity][name] += 1

    counts: dict[str, Counter] = defaultdict(Counter)
    if report.agencies:
        for name, figures in report.agencies.items():
            for rule, n in figures.findings_by_rule.items():
                counts[str(rule)][name] += int(n)
        for rule, per_agency in from_entries.items():
            for name, n in per_agency.items():
                if name not in report.agencies:
                    counts[rule][name] += n
    else:
        counts = from_entries

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
    return sorted(rows, key=lambda r: (_SEVERITY_RANK.get(r.severity or "", 3), -r.total, r.rule))


def total_with_accepted(row: RuleRow, lang: str) -> str:
    """A rule's total, with how many the baseline accepts: ``13 (3 đã chấp nhận)``."""
    if not row.accepted:
        return number(row.total, lang)
    return f"{number(row.total, lang)} ({number(row.accepted, lang)} {t('accepted', lang)})"


# --------------------------------------------------------------------------- rule packs


def rule_packs(report: AuditReport) -> list[dict[str, str]]:
    """The rule packs a run applied, as ``{"name", "version", "fingerprint"}`` (values may be empty).
    ``rule_pack`` is kept as the run wrote it, so a stored report of any version may hold one pack
    (``{"pack"|"id"|"name", "version", "fingerprint"}``), a list of them, ``{"packs": [...],
    "fingerprint": ...}``, or ``{name: version}``. Nothing when the report has none."""
    data = report.rule_pack or None
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


def reasons_within(report: AuditReport, agency: str | None, denominator: str) -> dict[str, int]:
    """Why the entries *of the paperless denominator* did not count (reason code → entries), for
    one ``agency`` or overall (``None``): with a pack whose denominator is ``via_software`` or
    ``claimed``, the entries outside it (not handled via the software, say) are no reason for
    the shortfall."""
    counts: Counter = Counter()
    belongs = of_agency(agency)
    for entry in report.entries:
        if not belongs(entry):
            continue
        if denominator == "via_software":
            inside = entry.counts_via_software
        else:  # claimed: via the software and sent electronically
            inside = entry.via_system and entry.channel is Channel.ELECTRONIC
        if inside:
            counts.update(entry.not_counted)
    return dict(counts)


def shortfalls(report: AuditReport) -> list[Shortfall]:
    """Every (scope, rate) that misses its target; agencies first, then overall."""
    out = []
    for s in [*agencies(report), overall(report)]:
        reasons: Mapping[str, int] = s.figures.not_counted
        for name in RATES:
            view = s.rate(name)
            if view.meets_target is not False:
                continue
            if name == "paperless" and view.target.denominator != "total":
                reasons = reasons_within(report, None if s.overall else s.name, view.target.denominator)
            relevant = [(code, int(n)) for code, n in reasons.items()
                        if name == "paperless" or code in VIA_SOFTWARE_REASONS]
            relevant.sort(key=lambda item: -item[1])
            gap = None if view.rate is None else round((view.target.threshold - view.rate) * 100, 2)
            out.append(Shortfall(s.name, s.overall, view, gap, need_more(view), relevant[:3]))
    return out
