"""What the validator checks itself around pyHanko's verdict (issue 17): the structure of a
signature before any cryptography, and what came after it once pyHanko has answered.

Before pyHanko (:func:`structure_problem`): the /ByteRange, read as the file's bytes say —
four numbers, from byte 0, no overlap, inside the file, its gap exactly the /Contents string of
this signature dictionary (:func:`.integrity.byte_range_problem`) — and ending no earlier than the
``%%EOF`` of the revision that holds the signature. A problem is ``invalid`` ``FORMAT_FAILURE``
with its own wording, and pyHanko is not asked.

Per document (:class:`Document`): objects written after the last ``%%EOF`` that no cross-reference
section lists. A conforming reader ignores them; a viewer that repairs the file shows them, and
no signature covers them: ``ILLEGAL_MODIFICATION`` for every signature that does not cover them.
End-of-line bytes, spaces and NULs there are tolerated, as every reader does.

After pyHanko (:func:`review`), for a signature followed by later revisions:

1. where pyHanko's difference analysis rejected them (or raised: :class:`GuardedPolicy` turns
   the exception into :class:`DiffAnalysisFailed`), docaudit's own classification
   (:mod:`.revisions`) decides; where pyHanko accepted changed form fields, a changed value the
   signer saw is still illegal (:func:`.revisions.changed_field_values`);
2. if the later revisions are still allowed, the visual comparison (:mod:`.visual`): a
   difference the later additions do not explain is ``ILLEGAL_MODIFICATION`` naming the page and
   the area; a comparison that cannot be made leaves the verdict as it is with a note — except
   that the classification never overrules pyHanko without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffPolicy, SuspiciousModification

from .integrity import byte_range_problem
from .revisions import changed_field_values, classify
from .visual import VisualComparison, visual_check

__all__ = ["DiffAnalysisFailed", "Document", "GuardedPolicy", "Later", "review", "structure_problem"]

_OBJECT = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_TOLERATED_TAIL = b" \t\r\n\f\x00"


class DiffAnalysisFailed(SuspiciousModification):
    """pyHanko's difference analysis raised (a ``KeyError`` in its orphan search …): no evidence
    either way, until docaudit's own classification has looked."""


class GuardedPolicy(DiffPolicy):
    """A pyHanko diff policy whose review never raises: an exception becomes
    :class:`DiffAnalysisFailed`, so that the rest of the validation (certificate path, timestamps)
    still runs and the later revisions are classified by docaudit."""

    def __init__(self, policy: DiffPolicy) -> None:
        self.policy = policy

    def apply(self, *args: Any, **kwargs: Any) -> Any:
        return self.policy.apply(*args, **kwargs)

    def review_file(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.policy.review_file(*args, **kwargs)
        except SuspiciousModification as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 — see the class docstring
            return DiffAnalysisFailed(f"{type(exc).__name__}: {exc}"[:300])


# --------------------------------------------------------------------------- before pyHanko


def structure_problem(sig: Any, data: bytes) -> str | None:
    """Why the signature's /ByteRange cannot be right, from the bytes (see the module
    docstring), or ``None``. Never raises."""
    try:
        byte_range = sig.byte_range
        contents = sig.pkcs7_content
    except Exception:  # noqa: BLE001 — pyHanko read them when it loaded the signature
        return None
    problem = byte_range_problem(data, byte_range, contents)
    if problem:
        return problem
    try:
        signed_end = int(byte_range[2]) + int(byte_range[3])
        xrefs = sig.reader.xrefs
        container_end = xrefs.get_xref_container_info(sig.signed_revision).end_location
    except Exception:  # noqa: BLE001
        return None
    eof = data.find(b"%%EOF", container_end)
    if eof < 0:
        return None
    revision_end = eof + len(b"%%EOF")
    if signed_end < revision_end:
        return (f"the ByteRange ends at byte {signed_end}, before the end of the revision that holds the signature "
                f"(its %%EOF ends at byte {revision_end}): the signature does not cover its own revision")
    return None


class Document:
    """What every signature of one document shares (its bytes, its reader)."""

    def __init__(self, reader: Any, data: bytes) -> None:
        self.reader, self.data = reader, data
        self._tail: int | None | bool = False

    def unlisted_tail(self) -> int | None:
        """Where the first object after the last ``%%EOF`` that no cross-reference section lists
        starts, or ``None``."""
        if self._tail is False:
            self._tail = _unlisted_tail(self.reader, self.data)
        return self._tail  # type: ignore[return-value]


def _unlisted_tail(reader: Any, data: bytes) -> int | None:
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        return None
    start = eof + len(b"%%EOF")
    if not data[start:].strip(_TOLERATED_TAIL):
        return None
    try:
        from pyhanko.pdf_utils.generic import Reference

        xrefs = reader.xrefs
        revisions = range(xrefs.total_revisions)
        for match in _OBJECT.finditer(data, start):
            ref = Reference(int(match.group(1)), int(match.group(2)))
            if not any(xrefs.get_historical_ref(ref, revision) == match.start() for revision in revisions):
                return match.start()
    except Exception:  # noqa: BLE001 — the objects were found; which xref lists them is unknown
        match = _OBJECT.search(data, start)
        return match.start() if match else None
    return None


# --------------------------------------------------------------------------- after pyHanko


@dataclass(frozen=True)
class Later:
    """What docaudit found about the revisions after one signature."""

    illegal: str | None = None
    """Why a later change is illegal (our own evidence): an unlisted tail, a classified change,
    a changed field value, a visual difference."""
    level: ModificationLevel | None = None
    """The modification level docaudit's classification gives where pyHanko rejected (an
    accepted override), or ``OTHER`` with ``illegal``."""
    undecided: str | None = None
    """pyHanko's analysis raised and nothing could be classified: indeterminate, with this reason."""
    notes: tuple[str, ...] = ()
    visual: VisualComparison | None = None


NOTHING = Later()


def review(sig: Any, status: Any, document: Document, *, intact: bool, skip_diff: bool, content_changed: bool,
           rejected: bool) -> Later:
    """The revisions after ``sig``, judged by docaudit (see the module docstring). ``status``:
    pyHanko's; ``intact``: the signed bytes and the signature value hold, and the ByteRange covers
    the signed revision; ``rejected``: pyHanko's analysis did not allow the later revisions;
    ``skip_diff``: they were verified to add signatures only; ``content_changed``: verified to
    rewrite page content. Never raises."""
    try:
        return _review(sig, status, document, intact=intact, skip_diff=skip_diff, content_changed=content_changed,
                       rejected=rejected)
    except Exception as exc:  # noqa: BLE001 — pyHanko's judgement stands, with the reason
        return _standing(status, f"docaudit's review of the later revisions failed ({type(exc).__name__})")


def _standing(status: Any, why: str, notes: tuple[str, ...] = ()) -> Later:
    """pyHanko's judgement of the later revisions stands — unless its analysis raised: then
    nothing was judged, and the signature is indeterminate (never valid, never invalid on that)."""
    diff = getattr(status, "diff_result", None)
    if isinstance(diff, DiffAnalysisFailed):
        return Later(undecided=f"pyHanko's analysis of the later revisions failed ({diff}) and {why}", notes=notes)
    return Later(notes=(*notes, f"note: {why}"))


def _review(sig: Any, status: Any, document: Document, *, intact: bool, skip_diff: bool, content_changed: bool,
            rejected: bool) -> Later:
    data = document.data
    signed_end = int(sig.byte_range[2]) + int(sig.byte_range[3])
    tail = document.unlisted_tail()
    if tail is not None and signed_end <= tail:
        return Later(illegal=f"objects written after the last %%EOF (from byte {tail}) that no cross-reference "
                             "section lists: a viewer that repairs the file shows them, and the signature does not "
                             "cover them", level=ModificationLevel.OTHER)
    if signed_end >= len(data) or content_changed:
        return NOTHING  # nothing after it, or already illegal (pyHanko's words are not ours to repeat)
    if not intact:
        return NOTHING  # broken already: nothing later changes that
    notes: list[str] = []
    level: ModificationLevel | None = None
    diff = getattr(status, "diff_result", None)
    if rejected:
        docmdp = sig.docmdp_level
        classification = classify(sig.reader, sig.signed_revision, docmdp.value if docmdp is not None else None,
                                  sig.fieldmdp)
        if classification is None:
            if isinstance(diff, DiffAnalysisFailed):
                return _standing(status, "docaudit could not classify them")
            return NOTHING  # pyHanko's rejection stands
        if not classification.allowed:
            return Later(illegal=f"a later revision changed what PAdES does not allow: {classification.describe()}",
                         level=ModificationLevel.OTHER)
        level = classification.level
        notes.extend(f"suspicious later change: {change}" for change in classification.suspicious[:3])
    else:
        names = getattr(diff, "changed_form_fields", None) or ()
        changed = changed_field_values(sig.reader, sig.signed_revision, names) if names else []
        if changed:
            return Later(illegal=f"the value of the form field {', '.join(changed)} (a value the signer saw) changed "
                                 "after signing", level=ModificationLevel.OTHER)
    visual = visual_check(data, signed_end, reader=sig.reader, signatures_only=skip_diff)
    if visual.different:
        return Later(illegal=visual.describe(), level=ModificationLevel.OTHER, visual=visual)
    if visual.status == "cannot_compare":
        why = f"what the pages show could not be compared with the signed revision ({visual.reason})"
        if level is not None:
            # docaudit's classification alone does not overrule pyHanko: its rejection stands
            return replace(_standing(status, why, tuple(notes)), visual=visual)
        notes.append(f"note: {why}")
    return Later(level=level, notes=tuple(notes), visual=visual)
