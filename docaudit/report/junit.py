"""JUnit XML for CI dashboards (GitLab, Jenkins, GitHub test reporters), from a JSON report.

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
from typing import Any, Mapping

from .i18n import number, percent, reason, t, threshold

RATES = ("via_software", "paperless")
VIA_REASONS = ("not-via-system", "no-file", "file-missing", "path-outside-root", "file-unreadable")
def _w(key: str, lang: str) -> str:
    """A JUnit word (``junit.*`` in the catalogue; ``accepted``: a finding the baseline accepts)."""
    return t("accepted_baseline" if key == "accepted" else f"junit.{key}", lang)


def _message(finding: Mapping[str, Any], lang: str) -> str:
    text = finding.get("message_en") if lang == "en" and finding.get("message_en") else finding.get("message")
    return f"{finding.get('rule')}: {(text or '').rstrip('.')}"  # joined with "; " (no ".;")


def _n(value: Any, lang: str) -> str:
    return number(value, lang) if isinstance(value, int) else str(value)


def target_reasons(figures: Mapping[str, Any], rate: str, lang: str, limit: int = 12,
                   within: Mapping[str, int] | None = None) -> list[str]:
    """The main reasons entries did not count towards ``rate`` (``"invalid signature (3)"``);
    ``within``: the reasons of the rate's denominator only, when it is not every entry."""
    codes = dict(within if within is not None else figures.get("not_counted") or {})
    if rate == "via_software":
        codes = {k: v for k, v in codes.items() if k in VIA_REASONS}
    ranked = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [f"{reason(code, lang)} ({_n(count, lang)})" for code, count in ranked]


def target_text(agency: str, figures: Mapping[str, Any], rate: str, target: Mapping[str, Any], lang: str,
                report: Mapping[str, Any] | None = None) -> str:
    """One line: ``UBND-BQ: Via software 76.92% (10/13) misses the target > 90%: …``."""
    figure = figures.get(rate) or {}
    op, value = target.get("op", ">"), float(target.get("threshold", 0))
    count, total = figure.get("count"), figures.get("total")
    state = _w("met", lang) if figure.get("meets_target") else _w("missed", lang)
    text = (f"{agency}: {t(rate, lang)} {percent(figure.get('rate'), lang)} "
            f"({_n(count, lang)}/{_n(total, lang)}) {state} {op} {threshold(value, lang)}")
    within = None
    denominator = str(target.get("denominator") or "total")
    if rate == "paperless" and denominator != "total" and report is not None:
        from .breakdown import reasons_within

        within = reasons_within(report, agency, denominator)
    reasons = target_reasons(figures, rate, lang, within=within)
    if reasons and figure.get("meets_target") is False:
        text += f"; {_w('not_counted', lang)}: " + ", ".join(reasons)
    return text


def _entry_name(entry: Mapping[str, Any], lang: str) -> str:
    file = entry.get("file") or _w("no_file", lang)
    return f"{entry.get('number')} ({file}, {row_label(entry, lang)})"


def row_label(entry: Mapping[str, Any], lang: str) -> str:
    """``row 12`` / ``dòng 12``: where an entry is in its register."""
    return f"{_w('row', lang)} {entry.get('row')}"


def build(report: Mapping[str, Any], lang: str = "en") -> ET.Element:
    lang = lang if lang in ("vi", "en") else "en"
    targets = report.get("targets") or {}
    run = report.get("run") or {}
    stamp = str(run.get("finished") or report.get("finished") or dt.datetime.now(dt.timezone.utc).isoformat())
    entries_by_agency: dict[str, list[Mapping[str, Any]]] = {}
    for entry in report.get("entries") or ():
        entries_by_agency.setdefault(str(entry.get("agency")), []).append(entry)

    root = ET.Element("testsuites", name="docaudit")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for agency, figures in (report.get("agencies") or {}).items():
        suite = ET.SubElement(root, "testsuite", name=str(agency), timestamp=stamp[:19])
        props = ET.SubElement(suite, "properties")
        period = report.get("period") or {}
        for name, value in (("period", f"{period.get('start') or ''}..{period.get('end') or ''}"),
                            ("entries", figures.get("total")), ("run_id", run.get("id", report.get("run_id")))):
            ET.SubElement(props, "property", name=name, value="" if value is None else str(value))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for rate in RATES:
            target = targets.get(rate) or {}
            case = ET.SubElement(
                suite, "testcase", classname=f"docaudit.{agency}.targets",
                name=f"{t(rate, lang)} {target.get('op', '>')} {threshold(float(target.get('threshold', 0)), lang)}",
            )
            counts["tests"] += 1
            figure = figures.get(rate) or {}
            if figure.get("meets_target") is None:
                ET.SubElement(case, "skipped", message=_w("no_entries", lang))
                counts["skipped"] += 1
            elif figure.get("meets_target") is False:
                text = target_text(str(agency), figures, rate, target, lang, report)
                failure = ET.SubElement(case, "failure", message=text, type="target")
                failure.text = text
                counts["failures"] += 1
        for entry in entries_by_agency.get(str(agency), []):
            errors = [f for f in entry.get("findings") or () if f.get("severity") == "error"]
            if not errors:
                continue
            case = ET.SubElement(suite, "testcase", classname=f"docaudit.{agency}.documents",
                                 name=_entry_name(entry, lang))
            counts["tests"] += 1
            new = [f for f in errors if (f.get("baseline") or {}).get("status") != "accepted"]
            if new:
                lines = [_message(f, lang) for f in new]
                accepted = len(errors) - len(new)
                failure = ET.SubElement(case, "failure", message="; ".join(lines), type="finding")
                failure.text = "\n".join(lines + ([f"({accepted} {_w('accepted', lang)})"] if accepted else []))
                counts["failures"] += 1
            else:
                reasons = sorted({str((f.get("baseline") or {}).get("reason")) for f in errors})
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


def render(report: Mapping[str, Any], lang: str = "en") -> str:
    tree = build(report, lang)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
