"""The evaluators the rule packs name. Each says *why* in the values it returns; the wording
lives in the packs (vi/en), so a rule's text can change without touching code."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Iterable, Mapping, Sequence

from ..model import Channel, Direction, EntryResult, FileStatus, Register, SignatureReport, Verdict, agency_key
from . import nd30
from .context import RuleContext
from .registry import Hit, evaluator, register_evaluator

VN = dt.timezone(dt.timedelta(hours=7))


def _who(sig: SignatureReport) -> str:
    return sig.signer_name or sig.signer or sig.field


def _when(sig: SignatureReport) -> str:
    return sig.signing_time.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S") if sig.signing_time else "?"


def _by_role(ctx: RuleContext, role: str) -> list[SignatureReport]:
    return [s for s in ctx.signatures if s.role == role]


# --------------------------------------------------------------------------- signatures


def _signature_present_and_valid(candidates: list[SignatureReport]) -> list[Hit]:
    if not candidates:
        return [Hit("missing")]
    if any(s.verdict is Verdict.VALID for s in candidates):
        return []
    worst = candidates[0]
    # "cannot be verified" is not "broken": the Vietnamese text says which (the English keeps its
    # "(indeterminate: …)" wording, which the JSON report's message holds)
    kind = "unverified" if worst.verdict is Verdict.INDETERMINATE else "invalid"
    return [Hit(kind, {"who": _who(worst), "verdict": worst.verdict.value,
                       "reasons": ", ".join(worst.reasons) or "-"})]


@evaluator("person_signature")
def person_signature(ctx: RuleContext, params: Mapping[str, Any]):
    """The competent person's signature is present and valid. A signature whose certificate gives
    no role signal counts as the person's when no person certificate is found."""
    candidates = _by_role(ctx, "person") or [s for s in ctx.signatures if s.role is None]
    return _signature_present_and_valid(candidates)


@evaluator("organisation_signature")
def organisation_signature(ctx: RuleContext, params: Mapping[str, Any]):
    return _signature_present_and_valid(_by_role(ctx, "organisation"))


@evaluator("signing_order")
def signing_order(ctx: RuleContext, params: Mapping[str, Any]):
    """NĐ 30 Phụ lục I II.8: the agency's seal is put on the signed document, so it signs after
    the person. Compared by revision (the order in the file) and by claimed time."""
    persons, orgs = _by_role(ctx, "person"), _by_role(ctx, "organisation")
    if not persons or not orgs:
        return None
    person, org = persons[0], orgs[0]
    earlier_revision = (org.revision is not None and person.revision is not None and org.revision < person.revision)
    earlier_time = (org.signing_time and person.signing_time and org.signing_time < person.signing_time)
    if earlier_revision or earlier_time:
        return [Hit("default", {"org": _who(org), "org_time": _when(org), "person": _who(person),
                                "person_time": _when(person)})]
    return []


@evaluator("seal_position")
def seal_position(ctx: RuleContext, params: Mapping[str, Any]):
    """NĐ 30 Phụ lục I II.8.a: the seal image covers about one third of the person's signature
    image, on its left. With widths w: the overlap must start near the person's left edge and end
    near one third of w, both within ``tolerance`` × w."""
    persons = [s for s in _by_role(ctx, "person") if s.rect]
    orgs = [s for s in _by_role(ctx, "organisation") if s.rect]
    if not persons or not orgs:
        return None
    person, seal = persons[0], orgs[0]
    if person.page is not None and seal.page is not None and person.page != seal.page:
        return [Hit("other_page", {"person_page": person.page + 1, "seal_page": seal.page + 1})]
    px1, py1, px2, py2 = person.rect
    sx1, sy1, sx2, sy2 = seal.rect
    width = px2 - px1
    tolerance = float(params.get("tolerance", 0.15)) * width
    overlap_x = min(px2, sx2) - max(px1, sx1)
    overlap_y = min(py2, sy2) - max(py1, sy1)
    if overlap_x <= 0 or overlap_y <= 0:
        return [Hit("apart")]
    covered = overlap_x / width
    starts_left = sx1 <= px1 + tolerance
    ends_at_third = abs(min(px2, sx2) - (px1 + width / 3)) <= tolerance
    if starts_left and ends_at_third:
        return []
    return [Hit("misplaced", {"covered": f"{covered:.0%}", "side": "left" if starts_left else "right"})]


@evaluator("signing_time_present")
def signing_time_present(ctx: RuleContext, params: Mapping[str, Any]):
    if not ctx.signatures:
        return None
    return [Hit("default", {"who": _who(s), "field": s.field}) for s in ctx.signatures if s.signing_time is None]


@evaluator("receipt_signature")
def receipt_signature(ctx: RuleContext, params: Mapping[str, Any]):
    """An incoming document may carry the receiving office's own later signature ("ký dấu đến").
    Recognised when the last signature is an organisation's, made after every other one, by a
    different organisation than the issuer's (which signed earlier), and the earlier signatures
    are only followed by changes PAdES allows — so nobody takes it for tampering."""
    sigs = ctx.signatures
    if len(sigs) < 2:
        return None
    last, earlier = sigs[-1], sigs[:-1]
    issuer_orgs = [s for s in earlier if s.role == "organisation"]
    times = [s.signing_time for s in earlier if s.signing_time]
    later = last.signing_time is not None and all(last.signing_time > t for t in times)
    allowed = all(s.modification in (None, "NONE", "FORM_FILLING", "ANNOTATIONS", "LTA_UPDATES") for s in earlier)
    other_org = bool(issuer_orgs) and all(s.signer != last.signer for s in issuer_orgs)
    if last.role == "organisation" and later and allowed and other_org:
        return [Hit("default", {"who": _who(last), "when": _when(last)})]
    return []


@evaluator("digest_strength")
def digest_strength(ctx: RuleContext, params: Mapping[str, Any]):
    """A digest weaker than ``allowed``. Where the crypto policy accepted it at the time the
    signature was made (SHA-1 under Ban Cơ yếu's G1 hierarchy in 2018), the finding says so
    (``accepted``) at ``accepted_severity``: the signature counts, the weakness is still reported."""
    allowed = {a.lower() for a in params.get("allowed", ["sha256", "sha384", "sha512", "sha3_256", "sha3_384",
                                                         "sha3_512", "shake256"])}
    if not ctx.signatures:
        return None
    hits = []
    for sig in ctx.signatures:
        if not sig.digest_algorithm or sig.digest_algorithm.lower() in allowed:
            continue
        values = {"who": _who(sig), "digest": sig.digest_algorithm, "when": _when(sig)}
        if sig.digest_accepted and params.get("accepted_severity"):
            hits.append(Hit("accepted", values, severity=str(params["accepted_severity"])))
        else:
            hits.append(Hit("default", values))
    return hits


@evaluator("key_strength")
def key_strength(ctx: RuleContext, params: Mapping[str, Any]):
    minimum = {"rsa": int(params.get("min_rsa", 2048)), "ec": int(params.get("min_ec", 256))}
    if not ctx.signatures:
        return None
    hits = []
    for sig in ctx.signatures:
        need = minimum.get((sig.key_algorithm or "").lower())
        if need and sig.key_size and sig.key_size < need:
            hits.append(Hit("default", {"who": _who(sig), "algorithm": (sig.key_algorithm or "").upper(),
                                        "bits": sig.key_size, "minimum": need}))
    return hits


@evaluator("pss_padding")
def pss_padding(ctx: RuleContext, params: Mapping[str, Any]):
    rsa = [s for s in ctx.signatures if (s.key_algorithm or "").lower() == "rsa"]
    if not rsa:
        return None
    v15 = [_who(s) for s in rsa if s.signature_algorithm == "rsassa_pkcs1v15"]
    return [Hit("default", {"who": "; ".join(dict.fromkeys(v15))})] if v15 else []


@evaluator("non_repudiation")
def non_repudiation(ctx: RuleContext, params: Mapping[str, Any]):
    if not ctx.signatures:
        return None
    return [Hit("default", {"who": _who(s), "usage": ", ".join(s.key_usage) or "-"})
            for s in ctx.signatures if s.key_usage and "non_repudiation" not in s.key_usage]


@evaluator("public_ca")
def public_ca(ctx: RuleContext, params: Mapping[str, Any]):
    """Công vụ signatures are expected from the Government specialised CA (Ban Cơ yếu); a
    licensed public CA is accepted in law but worth a warning. Decided by the certificate path
    validated to a trust anchor: it passes when the path ends at a Ban Cơ yếu Chính phủ root of a
    trust pack (hierarchy ``vgca``), warns for a NEAC root (``neac``: a public CA), and for any other
    anchor says it cannot tell (``unknown_path``) — anyone can make a CA, so passing it would vouch
    for what nobody checked. Where no path was validated (no trust roots, an expired certificate …)
    the issuer's name is only a hint, and the message says so: one of ``public_ca_issuers`` warns
    (``by_name``), one of ``government_ca_issuers`` cannot tell (``unknown_name``), any other too
    (``unknown``); it never passes on a name."""
    public = [nd30.fold(p) for p in params.get("public_ca_issuers", [])]
    government = [nd30.fold(g) for g in params.get("government_ca_issuers", [])]
    signatures = [s for s in ctx.signatures if s.kind != "timestamp"]  # a TSA is no signer
    if not signatures:
        return None
    hits = []
    for sig in signatures:
        values = {"who": _who(sig), "issuer": sig.issuer or "?"}
        if sig.path:
            if sig.hierarchy == "vgca":
                continue
            values["root"] = sig.path[-1]
            hits.append(Hit("default" if sig.hierarchy == "neac" else "unknown_path", values))
            continue
        issuer = nd30.fold(sig.issuer or "")
        if issuer and any(g in issuer for g in government):
            hits.append(Hit("unknown_name", values))
        elif issuer and any(p in issuer for p in public):
            hits.append(Hit("by_name", values))
        else:
            hits.append(Hit("unknown", values))
    return hits


# --------------------------------------------------------------------------- format


@evaluator("national_header")
def national_header(ctx: RuleContext, params: Mapping[str, Any]):
    if not ctx.has_text:
        return None
    header = ctx.header
    if header.party or ctx.party:
        return [] if header.party else [Hit("missing_party")]
    hits = []
    if not header.national:
        hits.append(Hit("missing_national"))
    if not header.motto:
        hits.append(Hit("missing_motto"))
    return hits


@evaluator("number_line")
def number_line(ctx: RuleContext, params: Mapping[str, Any]):
    if not ctx.has_text:
        return None
    number = ctx.number
    if number is None:
        return [Hit("missing")]
    if number.family is None:
        return [Hit("unparsable", {"number": number.raw})]
    return []


@evaluator("number_style")
def number_style(ctx: RuleContext, params: Mapping[str, Any]):
    number = ctx.number
    if number is None or number.family is None:
        return None
    return [Hit(problem, {"number": number.raw, "type": number.doc_type or ""}) for problem in number.problems]


@evaluator("type_matches_title")
def type_matches_title(ctx: RuleContext, params: Mapping[str, Any]):
    number = ctx.number
    if number is None or number.family is None or not ctx.has_text:
        return None
    title = nd30.find_title(ctx.facts.head_text, party=ctx.party)
    if number.doc_type == "CV":
        if title and number.family != "party":
            return [Hit("cong_van_with_title", {"number": number.raw, "title": title[0]})]
        return []
    if title is None:
        return [Hit("no_title", {"number": number.raw, "type": number.doc_type})]
    if title[1] != number.doc_type:
        return [Hit("mismatch", {"number": number.raw, "type": number.doc_type, "title": title[0]})]
    return []


@evaluator("date_line")
def date_line(ctx: RuleContext, params: Mapping[str, Any]):
    if not ctx.has_text:
        return None
    line = ctx.date_line
    if line is None:
        return [Hit("missing")]
    return [Hit(problem, {"place": line.place}) for problem in line.problems]


@evaluator("recipients")
def recipients(ctx: RuleContext, params: Mapping[str, Any]):
    if not ctx.has_text:
        return None
    return [] if nd30.has_recipients(ctx.facts.tail_text) or nd30.has_recipients(ctx.facts.head_text) else [Hit()]


A4 = (595.28, 841.89)


def _is_a4(size: tuple[float, float], tolerance: float) -> bool:
    width, height = sorted(size)
    return abs(width - A4[0]) <= tolerance and abs(height - A4[1]) <= tolerance


@evaluator("page_size_a4")
def page_size_a4(ctx: RuleContext, params: Mapping[str, Any]):
    sizes = ctx.facts.page_sizes
    if not sizes:
        return None
    tolerance = float(params.get("tolerance_pt", 3))
    bad = [s for s in sizes if not _is_a4(s, tolerance)]
    if not bad:
        return []
    width, height = bad[0]
    return [Hit("default", {"width_mm": round(width / 72 * 25.4), "height_mm": round(height / 72 * 25.4)})]


@evaluator("docx_margins")
def docx_margins(ctx: RuleContext, params: Mapping[str, Any]):
    margins = ctx.facts.margins_mm
    if margins is None:
        return None
    ranges = {
        "top": params.get("top", [20, 25]), "bottom": params.get("bottom", [20, 25]),
        "left": params.get("left", [30, 35]), "right": params.get("right", [15, 20]),
    }
    hits = []
    for (side, (low, high)), value in zip(ranges.items(), margins):
        if not low - 0.5 <= value <= high + 0.5:
            hits.append(Hit(side, {"value": value, "low": low, "high": high}))
    return hits


@evaluator("docx_font")
def docx_font(ctx: RuleContext, params: Mapping[str, Any]):
    fonts = ctx.facts.fonts
    if not fonts:
        return None
    expected = params.get("font", "Times New Roman")
    return [] if fonts[0].casefold() == expected.casefold() else [Hit("default", {"font": fonts[0], "expected": expected})]


@evaluator("unicode_text")
def unicode_text(ctx: RuleContext, params: Mapping[str, Any]):
    """Text typed in a pre-Unicode Vietnamese font encoding (TCVN3 .VnTime, VNI-Times): the evidence
    layer decoded it for the other text rules and names the fonts and encodings here."""
    facts = ctx.facts
    if not ctx.has_text:
        return None
    if not facts.legacy_fonts:
        return []
    return [Hit("default", {"encoding": ", ".join(facts.legacy_encodings), "fonts": ", ".join(facts.legacy_fonts)})]


# --------------------------------------------------------------------------- register comparisons


@evaluator("number_matches_register")
def number_matches_register(ctx: RuleContext, params: Mapping[str, Any]):
    number = ctx.number
    if ctx.entry is None or number is None:
        return None
    if nd30.fold_number(number.raw) == nd30.fold_number(ctx.entry.number):
        return []
    return [Hit("default", {"document": number.raw, "register": ctx.entry.number})]


@evaluator("date_matches_register")
def date_matches_register(ctx: RuleContext, params: Mapping[str, Any]):
    line = ctx.date_line
    if ctx.entry is None or line is None or line.date is None:
        return None
    if line.date == ctx.entry.date:
        return []
    return [Hit("default", {"document": line.date.strftime("%d/%m/%Y"), "register": ctx.entry.date.strftime("%d/%m/%Y")})]


@evaluator("channel_matches_evidence")
def channel_matches_evidence(ctx: RuleContext, params: Mapping[str, Any]):
    entry, evidence = ctx.entry, ctx.evidence
    if entry is None or not evidence.present or evidence.verdict is None:
        return None
    verdict = evidence.verdict.verdict
    if entry.channel is Channel.ELECTRONIC and (verdict is Verdict.UNSIGNED or evidence.image_only):
        return [Hit("electronic_unsigned" if not evidence.image_only else "electronic_scan")]
    if entry.channel is Channel.PAPER and verdict is Verdict.VALID:
        return [Hit("paper_signed")]
    return []


@evaluator("via_system_has_file")
def via_system_has_file(ctx: RuleContext, params: Mapping[str, Any]):
    entry = ctx.entry
    if entry is None or not entry.via_system:
        return None
    return [Hit()] if ctx.evidence.status is FileStatus.NONE else []


# --------------------------------------------------------------------------- safety


@evaluator("active_content")
def active_content(ctx: RuleContext, params: Mapping[str, Any]):
    facts = ctx.facts
    if ctx.evidence.facts is None:
        return None
    hits = []
    if facts.javascript:
        hits.append(Hit("javascript"))
    if facts.launch_action:
        hits.append(Hit("launch"))
    if facts.macros:
        hits.append(Hit("macros"))
    return hits


@evaluator("embedded_files")
def embedded_files(ctx: RuleContext, params: Mapping[str, Any]):
    if ctx.evidence.facts is None:
        return None
    return [Hit()] if ctx.facts.embedded_files else []


# --------------------------------------------------------------------------- register level


def _outgoing_numbers(results: Sequence[EntryResult]) -> Iterable[tuple[int, EntryResult, nd30.Number]]:
    for index, result in enumerate(results):
        if result.entry.direction is Direction.OUTGOING:
            number = nd30.parse_number(result.entry.number)
            if number.value is not None:
                yield index, result, number


@register_evaluator("duplicate_numbers")
def duplicate_numbers(results: Sequence[EntryResult], params: Mapping[str, Any], register: Register | None = None):
    """The same outgoing number twice for one agency in one year (Điều 15: numbers are unique
    within the year). The contract's de-duplication already merged identical rows; what is left
    are different entries sharing a number."""
    first: dict[tuple, EntryResult] = {}
    for index, result, _ in _outgoing_numbers(results):
        key = (result.entry.agency, result.entry.date.year, nd30.fold_number(result.entry.number))
        if key in first:
            yield index, Hit("default", {"number": result.entry.number, "year": key[1], "row": first[key].entry.row})
        else:
            first[key] = result


@register_evaluator("numbering_gaps")
def numbering_gaps(results: Sequence[EntryResult], params: Mapping[str, Any], register: Register | None = None):
    """Gaps in an agency's outgoing numbering within a year (Điều 15). ``series``: ``agency`` (one
    series for all types, the usual practice) or ``type``. Legal normative documents (number with
    the year) and Party documents are always numbered per type. Only gaps between the lowest and
    highest number in scope are reported, since the audit period may not start on 1 January.
    A number the register holds is not missing, though its row is out of the period, a duplicate
    or unreadable (an unreadable date: in any year)."""
    by_type = params.get("series", "agency") == "type"

    def series_key(agency: str | None, year: int | None, number: nd30.Number) -> tuple:
        per_type = by_type or number.family in ("state-legal", "party")
        return (agency_key(agency or ""), year, number.family == "state-legal", number.doc_type if per_type else None)

    series: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for index, result, number in _outgoing_numbers(results):
        series[series_key(result.entry.agency, result.entry.date.year, number)].append((number.value, index))
    registered: dict[tuple, set[int]] = defaultdict(set)
    if register is not None:
        for entry in register.entries:
            if entry.direction is Direction.OUTGOING:
                number = nd30.parse_number(entry.number)
                if number.value is not None:
                    registered[series_key(entry.agency, entry.date.year, number)].add(number.value)
        for error in register.errors:
            number = nd30.parse_number(error.number or "")
            if number.value is not None:  # the direction or the agency may be what is unreadable
                registered[series_key(error.agency, None, number)].add(number.value)
    max_gap = int(params.get("max_listed", 20))
    for key, numbers in series.items():
        _, year, _, doc_type = key
        agency = results[numbers[0][1]].entry.agency
        known = registered.get(key, set()) | registered.get((key[0], None, *key[2:]), set())
        numbers.sort()
        for (previous, _), (current, index) in zip(numbers, numbers[1:]):
            if current - previous > 1:
                missing = [n for n in range(previous + 1, current) if n not in known]
                if not missing:
                    continue
                shown = ", ".join(f"{n:02d}" for n in missing[:max_gap]) + (" …" if len(missing) > max_gap else "")
                yield index, Hit("default", {"missing": shown, "count": len(missing), "year": year,
                                             "series": doc_type or agency})
