"""JUnit XML for CI dashboards (GitLab, Jenkins, GitHub test reporters), from an ``AuditReport``.

* one ``<testsuite>`` per agency;
* one ``<testcase>`` per target (``via_software``, ``paperless``): a ``<failure>`` naming the rate,
  the target and the main reasons entries did not count when the target is missed, ``<skipped>``
  when the agency has no entry in scope;
* one ``<testcase>`` per document (register entry) with error-level findings: a ``<failure>``
  listing the new ones; ``<skipped>`` when every one of them is accepted by the baseline.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ..model import Severity, agency_key
from ..pipeline.report import AuditReport, ReportEntry, ReportFinding
from .breakdown import RATES, VIA_SOFTWARE_REASONS, accepted, reasons_within
from .i18n import number, percent, reason, row_name, t, threshold


def _w(key: str, lang: str) -> str:
    """A JUnit word (``junit.*`` in the catalogue; ``accepted``: a finding the baseline accepts)."""
    return t("accepted_baseline" if key == "accepted" else f"junit.{key}", lang)


def _message(finding: ReportFinding, lang: str) -> str:
    return f"{finding.rule}: {finding.text(lang).rstrip('.')}"  # joined with "; " (no ".;")


def target_reasons(report: AuditReport, agency: str, rate: str, lang: str, limit: int = 12) -> list[str]:
    """The main reasons entries of ``agency`` did not count towards ``rate`` (``"invalid
    signature (3)"``): for a paperless rate over another denominator than every entry, the
    reasons of that denominator's entries only."""
    target = getattr(report.targets, rate)
    if rate == "paperless" and target.denominator != "total":
        codes = reasons_within(report, agency, target.denominator)
    else:
        codes = dict(report.agencies[agency].not_counted)
    if rate == "via_software":
        codes = {k: v for k, v in codes.items() if k in VIA_SOFTWARE_REASONS}
    ranked = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [f"{reason(code, lang)} ({number(count, lang)})" for code, count in ranked]


def target_text(report: AuditReport, agency: str, rate: str, lang: str) -> str:
    """One line: ``UBND-BQ: Via software 76.92% (10/13) misses the target > 90%: …``."""
    figures = report.agencies[agency]
    figure, target = getattr(figures, rate), getattr(report.targets, rate)
    state = _w("met", lang) if figure.meets_target else _w("missed", lang)
    text = (f"{agency}: {t(rate, lang)} {percent(figure.rate, lang)} "
            f"({number(figure.count, lang)}/{number(figures.total, lang)}) {state} {target.op} "
            f"{threshold(target.threshold, lang)}")
    reasons = target_reasons(report, agency, rate, lang)
    if reasons and figure.meets_target is False:
        text += f"; {_w('not_counted', lang)}: " + ", ".join(reasons)
    return text


def _entry_name(entry: ReportEntry, lang: str) -> str:
    file = entry.file or _w("no_file", lang)
    return f"{entry.number} ({file}, {row_label(entry, lang)})"


def row_label(entry: ReportEntry, lang: str) -> str:
    """``row 12`` / ``dòng 12``: where an entry is in its register (with the register's name,
    ``bac-quang/register.csv, row 12``, in a run of several registers)."""
    if entry.register:
        return row_name(entry.row, entry.register, lang)
    return f"{_w('row', lang)} {entry.row}"


def build(report: AuditReport, lang: str = "en") -> ET.Element:
    lang = lang if lang in ("vi", "en") else "en"
    run = report.run
    finished = (run.finished if run is not None else None) or report.finished
    stamp = (finished or dt.datetime.now(dt.timezone.utc)).isoformat()
    period = report.period
    period_text = f"{period.start.isoformat() if period.start else ''}..{period.end.isoformat() if period.end else ''}"
    run_id = run.id if run is not None else report.run_id
    entries_by_agency: dict[str, list[ReportEntry]] = {}  # spellings of an agency folded, as in the figures
    for entry in report.entries:
        entries_by_agency.setdefault(agency_key(entry.agency), []).append(entry)

    root = ET.Element("testsuites", name="docaudit")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for agency, figures in report.agencies.items():
        suite = ET.SubElement(root, "testsuite", name=agency, timestamp=stamp[:19])
        props = ET.SubElement(suite, "properties")
        for name, value in (("period", period_text), ("entries", figures.total), ("run_id", run_id)):
            ET.SubElement(props, "property", name=name, value="" if value is None else str(value))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for rate in RATES:
            target = getattr(report.targets, rate)
            case = ET.SubElement(
                suite, "testcase", classname=f"docaudit.{agency}.targets",
                name=f"{t(rate, lang)} {target.op} {threshold(target.threshold, lang)}",
            )
            counts["tests"] += 1
            meets = getattr(figures, rate).meets_target
            if meets is None:
                ET.SubElement(case, "skipped", message=_w("no_entries", lang))
                counts["skipped"] += 1
            elif meets is False:
                text = target_text(report, agency, rate, lang)
                failure = ET.SubElement(case, "failure", message=text, type="target")
                failure.text = text
                counts["failures"] += 1
        for entry in entries_by_agency.get(agency_key(agency), []):
            errors = [f for f in entry.findings if f.severity is Severity.ERROR]
            if not errors:
                continue
            case = ET.SubElement(suite, "testcase", classname=f"docaudit.{agency}.documents",
                                 name=_entry_name(entry, lang))
            counts["tests"] += 1
            new = [f for f in errors if not accepted(f)]
            if new:
                lines = [_message(f, lang) for f in new]
                accepted_count = len(errors) - len(new)
                failure = ET.SubElement(case, "failure", message="; ".join(lines), type="finding")
                failure.text = "\n".join(lines + ([f"({accepted_count} {_w('accepted', lang)})"]
                                                  if accepted_count else []))
                counts["failures"] += 1
            else:
                reasons = sorted({str(f.baseline.reason) for f in errors if f.baseline is not None})
                ET.SubElement(case, "skipped", message=f"{_w('accepted', lang)}: " + "; ".join(reasons))
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    return root


def render(report: AuditReport, lang: str = "en") -> str:
    tree = build(report, lang)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
