"""History of stored runs and the difference between two of them (``docaudit history``/``diff``).

Both read the results database only: ``history`` the per-agency figures every finished run
records, ``diff`` the two stored JSON reports. Which database: ``docaudit.store.locate``.
"""

from __future__ import annotations

from typing import Any, Mapping

from rich.console import Console
from rich.table import Table

from .errors import UsageError
from .metrics import Rate
from .model import Severity, agency_key
from .pipeline.report import AuditReport, ReportEntry, ReportFinding
from .text import datetime_text, number, percent, signed_points, t

HISTORY_SCHEMA = "docaudit.history/1"
DIFF_SCHEMA = "docaudit.diff/1"
RATES = ("via_software", "paperless")

def w(key: str, lang: str) -> str:
    """A word of the history tables (``history.*`` in the catalogue) in ``lang``."""
    return t(f"history.{key}", lang)


# --------------------------------------------------------------------------- history


def _figure(rates) -> dict[str, Any]:
    return {
        "total": rates.total,
        "via_software": {"count": rates.via_count, "rate": rates.via_rate, "meets_target": rates.via_met},
        "paperless": {"count": rates.paperless_count, "rate": rates.paperless_rate, "meets_target": rates.paperless_met},
    }


def history(store: Any, agency: str | None = None, limit: int | None = 20) -> dict[str, Any]:
    """Finished runs (oldest first, the last ``limit``) with each agency's two rates."""
    runs = store.runs(limit=limit)
    rates = store.agency_rates([r.run_id for r in runs], None)
    by_run: dict[int, list[Any]] = {}
    for item in rates:
        by_run.setdefault(item.run_id, []).append(item)
    wanted = agency_key(agency) if agency else None
    spelled: dict[str, str] = {}  # agency key → its spelling in the oldest run shown that names it
    out = []
    for run in runs:
        agencies = {}
        for a in by_run.get(run.run_id, []):
            if a.agency is None:
                continue
            key = agency_key(a.agency)
            if wanted is None or key == wanted:
                agencies[spelled.setdefault(key, a.agency)] = _figure(a)
        overall = next((_figure(a) for a in by_run.get(run.run_id, []) if a.agency is None), None)
        if wanted is not None and not agencies:
            continue
        out.append({
            "id": run.run_id,
            "command": run.command,
            "started": run.started.isoformat() if run.started else None,
            "finished": run.finished.isoformat() if run.finished else None,
            "root": run.root,
            "period": {"start": run.period_start.isoformat() if run.period_start else None,
                       "end": run.period_end.isoformat() if run.period_end else None,
                       "label": run.period_label},
            "documents_evaluated": run.documents_evaluated,
            "documents_reused": run.documents_reused,
            "new_errors": run.new_errors,
            "config_hash": run.config_hash,
            "trust_fingerprint": run.trust_fingerprint,
            "tool_version": run.tool_version,
            "agencies": agencies,
            "overall": overall if wanted is None else None,
        })
    if wanted is not None and runs and not out:  # a typo must not read as "no runs stored"
        known = sorted({a.agency for a in rates if a.agency is not None})
        shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
        raise UsageError(f"--agency {agency}: in none of the {len(runs)} stored runs (agencies: {shown or 'none'})")
    return {"schema": HISTORY_SCHEMA, "agency": agency, "runs": out}


def _period_text(period: Mapping[str, Any]) -> str:
    if period.get("label") and ".." not in str(period.get("label")):
        return str(period["label"])
    start, end = period.get("start"), period.get("end")
    return f"{start or '…'}..{end or '…'}" if (start or end) else "—"


def _rate_cell(figure: Mapping[str, Any] | None, lang: str) -> str:
    if not figure or figure.get("rate") is None:
        return "—"
    mark = {True: "✓", False: "✗"}.get(figure.get("meets_target"), " ")
    return f"{mark} {percent(figure['rate'], lang)}"


def _when(iso: str | None, lang: str) -> str:
    """A run's time with its clock named: Vietnam time in Vietnamese (as the DOCX and XLSX reports
    show it), UTC in English. The store keeps UTC without an offset (SQLite has no time zones)."""
    if iso and len(iso) >= 19 and not iso.endswith("Z") and "+" not in iso[19:] and "-" not in iso[19:]:
        iso += "+00:00"
    return datetime_text(iso, lang)


def render_history(data: Mapping[str, Any], console: Console, lang: str = "vi") -> None:
    runs = data.get("runs") or []
    if not runs:
        console.print(w("no_runs", lang))
        return
    table = Table(title=w("history", lang) + (f" — {data['agency']}" if data.get("agency") else ""))
    for key, justify in (("run", "right"), ("finished", "left"), ("period", "left"), ("agency", "left"),
                         ("entries", "right"), ("via_software", "left"), ("paperless", "left"), ("documents", "right")):
        table.add_column(w(key, lang), justify=justify)
    for index, run in enumerate(runs):
        rows = list(run["agencies"].items())
        if run.get("overall") is not None and len(rows) != 1:
            rows.append((w("overall", lang), run["overall"]))
        docs = "—" if run.get("documents_evaluated") is None else (
            f"{number(run['documents_evaluated'], lang)}/{number(run['documents_reused'] or 0, lang)}")
        for position, (name, figure) in enumerate(rows):
            first = position == 0
            table.add_row(
                f"#{run['id']}" if first else "",
                _when(run.get("finished"), lang) if first else "",
                _period_text(run["period"]) if first else "",
                str(name), _count(figure["total"], lang),
                _rate_cell(figure["via_software"], lang), _rate_cell(figure["paperless"], lang),
                docs if first else "",
                end_section=position == len(rows) - 1 and index < len(runs) - 1,
            )
    console.print(table)


# --------------------------------------------------------------------------- diff


def _entry_key(entry: ReportEntry) -> tuple[str, str, str, str]:
    number = "".join(entry.number.split()).casefold()
    return (agency_key(entry.agency), entry.direction.value, number, entry.date.isoformat())


def _state(entry: ReportEntry) -> str:
    """The document's verdict, or what became of its file when there is no verdict."""
    return entry.verdict.value if entry.verdict is not None else entry.file_status.value


def _errors(entry: ReportEntry | None) -> dict[str, ReportFinding]:
    if entry is None:
        return {}
    return {f.rule: f for f in entry.findings if f.severity is Severity.ERROR}


def _run_header(run_id: int, report: AuditReport) -> dict[str, Any]:
    run = report.run
    finished = (run.finished if run is not None else None) or report.finished
    return {"run_id": run_id, "finished": finished.isoformat() if finished else None,
            "period": report.period.to_json(), "command": run.command if run is not None else "scan"}


def _rate_change(before: Rate | None, after: Rate | None) -> dict[str, Any]:
    old = before.rate if before is not None else None
    new = after.rate if after is not None else None
    return {"from": old, "to": new, "change": None if old is None or new is None else new - old,
            "from_met": before.meets_target if before is not None else None,
            "to_met": after.meets_target if after is not None else None}


def diff_reports(a: AuditReport, b: AuditReport, a_id: int, b_id: int) -> dict[str, Any]:
    """What changed from run A to run B: targets newly missed or met, rates, verdicts, errors.
    Spellings of one agency are one agency (:func:`~docaudit.model.agency_key`), named as run A
    spells it (run B's spelling for an agency only B has)."""
    spelled: dict[str, str] = {}  # agency key → its name in the diff
    for name in [*a.agencies, *b.agencies, *(e.agency for e in a.entries), *(e.agency for e in b.entries)]:
        spelled.setdefault(agency_key(name), name)
    figures_a = {agency_key(name): f for name, f in a.agencies.items()}
    figures_b = {agency_key(name): f for name, f in b.agencies.items()}

    def name_of(entry: ReportEntry) -> str:
        return spelled[agency_key(entry.agency)]

    rows, newly_missed, newly_met = [], [], []
    for key in sorted(set(figures_a) | set(figures_b), key=lambda k: spelled[k]):
        agency = spelled[key]
        fa, fb = figures_a.get(key), figures_b.get(key)
        row: dict[str, Any] = {"agency": agency,
                               "status": "both" if fa and fb else ("added" if fb else "removed"),
                               "total": {"from": fa.total if fa else None, "to": fb.total if fb else None}}
        for rate in RATES:
            ra = getattr(fa, rate) if fa is not None else None
            rb = getattr(fb, rate) if fb is not None else None
            change = row[rate] = _rate_change(ra, rb)
            if rb is not None and rb.meets_target is False and change["from_met"] is not False:
                newly_missed.append({"agency": agency, "target": rate, "from": change["from"], "to": change["to"]})
            if rb is not None and rb.meets_target is True and change["from_met"] is False:
                newly_met.append({"agency": agency, "target": rate, "from": change["from"], "to": change["to"]})
        rows.append(row)

    entries_a = {_entry_key(e): e for e in a.entries}
    entries_b = {_entry_key(e): e for e in b.entries}
    changed, new_errors, resolved = [], [], []
    for key, eb in entries_b.items():
        ea = entries_a.get(key)
        if ea is None:
            continue
        if _state(ea) != _state(eb):
            changed.append({"agency": name_of(eb), "number": eb.number, "date": eb.date.isoformat(),
                            "direction": eb.direction.value, "file": eb.file,
                            "from": _state(ea), "to": _state(eb),
                            "sha256_changed": ea.sha256 != eb.sha256})
    for key, eb in entries_b.items():
        before = _errors(entries_a.get(key))
        for rule, finding in _errors(eb).items():
            if rule not in before:
                new_errors.append({"agency": name_of(eb), "number": eb.number, "file": eb.file,
                                   "rule": rule, "message": finding.message, "message_en": finding.message_en,
                                   "accepted": finding.baseline is not None and finding.baseline.status == "accepted"})
    for key, ea in entries_a.items():
        after = _errors(entries_b.get(key))
        for rule, finding in _errors(ea).items():
            if rule not in after:
                resolved.append({"agency": name_of(ea), "number": ea.number, "file": ea.file,
                                 "rule": rule, "message": finding.message, "message_en": finding.message_en})
    return {
        "schema": DIFF_SCHEMA,
        "from": _run_header(a_id, a),
        "to": _run_header(b_id, b),
        "newly_missed": newly_missed,
        "newly_met": newly_met,
        "agencies": rows,
        "verdict_changes": changed,
        "entries_added": len(set(entries_b) - set(entries_a)),
        "entries_removed": len(set(entries_a) - set(entries_b)),
        "new_errors": new_errors,
        "resolved_errors": resolved,
    }


def _points(change: float | None, lang: str) -> str:
    if change is None:
        return ""
    return signed_points(change, lang)


def _count(value: int | None, lang: str) -> str:
    return "—" if value is None else number(value, lang)


def render_diff(diff: Mapping[str, Any], console: Console, lang: str = "vi") -> None:
    a, b = diff["from"], diff["to"]
    console.print(
        f"[bold]{w('diff', lang)}[/bold] #{a['run_id']} ({_when(a.get('finished'), lang)}, "
        f"{_period_text(a.get('period') or {})}) → #{b['run_id']} ({_when(b.get('finished'), lang)}, "
        f"{_period_text(b.get('period') or {})})",
        highlight=False,
    )
    for key, colour in (("newly_missed", "red"), ("newly_met", "green")):
        items = diff[key]
        console.print(f"[{colour}]{w(key, lang)}[/{colour}]: " + (
            "; ".join(f"{i['agency']} {w(i['target'], lang)} {percent(i['from'], lang)} → {percent(i['to'], lang)}"
                      for i in items) or w("none", lang)), highlight=False)
    table = Table(title=w("rates", lang))
    for key in ("agency", "entries", "via_software", "paperless"):
        table.add_column(w(key, lang))
    for row in diff["agencies"]:
        cells = []
        for rate in RATES:
            r = row[rate]
            cells.append(f"{_rate_cell({'rate': r['from'], 'meets_target': r['from_met']}, lang)} → "
                         f"{_rate_cell({'rate': r['to'], 'meets_target': r['to_met']}, lang)} {_points(r['change'], lang)}")
        name = row["agency"] + ("" if row["status"] == "both" else f" ({w(row['status'], lang)})")
        table.add_row(name, f"{_count(row['total']['from'], lang)} → {_count(row['total']['to'], lang)}", *cells)
    console.print(table)
    if diff["verdict_changes"]:
        changes = Table(title=w("verdicts", lang))
        for key in ("agency", "number", "file", "before", "after"):
            changes.add_column(w(key, lang))
        for c in diff["verdict_changes"]:
            changes.add_row(str(c["agency"]), str(c["number"]), str(c["file"] or ""), c["from"], c["to"])
        console.print(changes)
    else:
        console.print(f"{w('verdicts', lang)}: {w('none', lang)}")
    for key in ("new_errors", "resolved_errors"):
        items = diff[key]
        title = w("new_errors" if key == "new_errors" else "resolved", lang)
        console.print(f"{title}: {number(len(items), lang) if items else w('none', lang)}", highlight=False)
        for item in items[:20]:
            mark = " (baseline)" if item.get("accepted") else ""
            message = (item.get("message_en") if lang == "en" else None) or item.get("message") or ""
            console.print(f"  {item['agency']} {item['number']}: {item['rule']} {message}{mark}",
                          markup=False, highlight=False)
        if len(items) > 20:
            console.print(f"  … {len(items) - 20}", highlight=False)
    if diff["entries_added"] or diff["entries_removed"]:
        console.print(f"{w('entries_added', lang)}: {_count(diff['entries_added'], lang)}; "
                      f"{w('entries_removed', lang)}: {_count(diff['entries_removed'], lang)}", highlight=False)
