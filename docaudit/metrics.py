"""The two rates of the mission, per agency and overall (the contract (README: How the rates are counted)).

Pure functions over entry results and exclusion counts: nothing here reads files or the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol, Sequence

from .model import PROBLEM_CODES, Channel, EntryResult, FileStatus, Verdict, agency_key
from .targets import Target, TargetPack

OVERALL = "__overall__"


class Exclusions(Protocol):
    duplicate: int
    out_of_period: int
    unparsable: int


@dataclass(frozen=True)
class Rate:
    count: int
    claimed: int
    denominator: int
    rate: float | None
    meets_target: bool | None

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "claimed": self.claimed, "rate": self.rate, "meets_target": self.meets_target}


@dataclass(frozen=True)
class Figures:
    total: int
    via_software: Rate
    paperless: Rate
    signatures: Mapping[str, int]
    files: Mapping[str, int]
    excluded: Mapping[str, int]
    not_counted: Mapping[str, int] = field(default_factory=dict)
    """Why entries did not count towards the paperless rate: reason code → entries."""
    findings_by_rule: Mapping[str, int] = field(default_factory=dict)
    """Findings per rule id (rule packs and evidence problems)."""

    @property
    def meets_targets(self) -> bool | None:
        """False if either rate misses its target (even when the other has no rate), None when
        no rate misses but one cannot be computed, True when both are met."""
        flags = (self.via_software.meets_target, self.paperless.meets_target)
        if False in flags:
            return False
        if None in flags:
            return None
        return True

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "via_software": self.via_software.as_json(),
            "paperless": self.paperless.as_json(),
            "signatures": dict(self.signatures),
            "files": dict(self.files),
            "excluded": dict(self.excluded),
            "not_counted": dict(self.not_counted),
            "findings_by_rule": dict(self.findings_by_rule),
        }


# --------------------------------------------------------------------------- per entry


def counts_via_software(result: EntryResult) -> bool:
    return result.entry.via_system and result.evidence.present


def counts_paperless(result: EntryResult) -> bool:
    return (
        counts_via_software(result)
        and result.entry.channel is Channel.ELECTRONIC
        and result.verdict is Verdict.VALID
    )


def why_not_counted(result: EntryResult) -> tuple[str, ...]:
    """Reason codes an entry does not count as paperless (empty when it counts).

    Codes: not-via-system, no-file, file-missing, path-outside-root, file-unreadable,
    channel-paper, channel-both, unsigned, signature-invalid, signature-indeterminate.
    """
    reasons: list[str] = []
    entry, evidence = result.entry, result.evidence
    if not entry.via_system:
        reasons.append("not-via-system")
    status_reason = "no-file" if evidence.status is FileStatus.NONE else PROBLEM_CODES.get(evidence.status)
    if status_reason:
        reasons.append(status_reason)
    if entry.channel is Channel.PAPER:
        reasons.append("channel-paper")
    elif entry.channel is Channel.BOTH:
        reasons.append("channel-both")
    if evidence.present and result.verdict is not Verdict.VALID:
        reasons.append(
            {Verdict.UNSIGNED: "unsigned", Verdict.INVALID: "signature-invalid"}.get(
                result.verdict, "signature-indeterminate"
            )
        )
    return tuple(reasons)


# --------------------------------------------------------------------------- aggregation


def _ratio(count: int, denominator: int) -> float | None:
    return None if denominator == 0 else count / denominator


def figures(
    results: Sequence[EntryResult], excluded: Exclusions | None, targets: TargetPack
) -> Figures:
    total = len(results)
    via_claimed = sum(1 for r in results if r.entry.via_system)
    via_count = sum(1 for r in results if counts_via_software(r))
    paper_claimed = sum(
        1 for r in results if r.entry.via_system and r.entry.channel is Channel.ELECTRONIC
    )
    paper_count = sum(1 for r in results if counts_paperless(r))

    def rate(target: Target, count: int, claimed: int) -> Rate:
        denominator = {"total": total, "via_software": via_count, "claimed": claimed}[target.denominator]
        value = _ratio(count, denominator)
        return Rate(count, claimed, denominator, value, target.met(value))

    present = [r for r in results if r.evidence.present]
    verdicts = Counter(r.verdict.value for r in present if r.verdict is not None)
    statuses = Counter(r.evidence.status.value for r in results)
    not_counted = Counter(code for r in results for code in why_not_counted(r))
    by_rule = Counter(f.rule for r in results for f in r.findings)
    return Figures(
        total=total,
        via_software=rate(targets.via_software, via_count, via_claimed),
        paperless=rate(targets.paperless, paper_count, paper_claimed),
        signatures={v.value: verdicts.get(v.value, 0) for v in
                    (Verdict.VALID, Verdict.INVALID, Verdict.INDETERMINATE, Verdict.UNSIGNED)},
        files={s.value: statuses.get(s.value, 0) for s in
               (FileStatus.PRESENT, FileStatus.MISSING, FileStatus.UNREADABLE, FileStatus.OUTSIDE_ROOT)},
        excluded={
            "duplicate": excluded.duplicate if excluded else 0,
            "out_of_period": excluded.out_of_period if excluded else 0,
            "unparsable": excluded.unparsable if excluded else 0,
        },
        not_counted=dict(not_counted.most_common()),
        findings_by_rule=dict(sorted(by_rule.items())),
    )


@dataclass(frozen=True)
class _Sum:
    duplicate: int = 0
    out_of_period: int = 0
    unparsable: int = 0


def per_agency(
    results: Sequence[EntryResult],
    excluded: Mapping[str, Exclusions],
    targets: TargetPack,
) -> tuple[dict[str, Figures], Figures]:
    """Figures for every agency seen (in scope or excluded), sorted by name, and overall.

    Spellings of one agency (case, spaces, Unicode form: :func:`~docaudit.model.agency_key`) are
    one agency, reported under the spelling seen first: the exclusions' (register order), then
    the entries'. An agency whose rows were all excluded still appears, with ``total`` 0 and null
    rates, so the report shows why it has nothing in scope. Unparsable rows without an agency
    (key ``""``) count only in the overall figures.
    """
    by_key: dict[str, str] = {}  # agency key → the name it is reported under
    names: dict[str, str] = {}  # a spelling → the name it is reported under (few spellings, many rows)

    def name_of(text: str) -> str:
        if text not in names:
            names[text] = by_key.setdefault(agency_key(text), text)
        return names[text]

    by_agency: dict[str, list[EntryResult]] = {}
    exclusions: dict[str, list[Exclusions]] = {}
    for name, counts in excluded.items():
        if name:
            exclusions.setdefault(name_of(name), []).append(counts)
            by_agency.setdefault(name_of(name), [])
    for result in results:
        by_agency.setdefault(name_of(result.entry.agency), []).append(result)
    agencies = {name: figures(by_agency[name], _one(exclusions.get(name)), targets) for name in sorted(by_agency)}
    overall = figures(results, _sum(excluded.values()), targets)
    return agencies, overall


def _one(items: list[Exclusions] | None) -> Exclusions | None:
    """The exclusions of one agency: as given when it has one spelling, else added up."""
    if not items:
        return None
    return items[0] if len(items) == 1 else _sum(items)


def _sum(items: Iterable[Exclusions]) -> _Sum:
    items = list(items)
    return _Sum(
        sum(i.duplicate for i in items), sum(i.out_of_period for i in items), sum(i.unparsable for i in items)
    )
