"""What a document evaluator sees: the evidence (signatures, facts), and in a scan the register
entry it is compared with. Parsing is done once per document and shared by every rule."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..model import Direction, DocumentFacts, Evidence, RegisterEntry, SignatureReport
from . import nd30


@dataclass(frozen=True)
class RuleContext:
    evidence: Evidence
    entry: RegisterEntry | None = None
    direction: Direction | None = None
    mode: str = "check"

    @property
    def facts(self) -> DocumentFacts:
        return self.evidence.facts or DocumentFacts()

    @property
    def has_text(self) -> bool:
        return bool(self.facts.head_text.strip() or self.facts.tail_text.strip())

    @cached_property
    def signatures(self) -> tuple[SignatureReport, ...]:
        """Signatures proper (document timestamps excluded), in signing order."""
        verdict = self.evidence.verdict
        sigs = [s for s in (verdict.signatures if verdict else ()) if s.kind == "signature"]
        return tuple(sorted(sigs, key=lambda s: (s.revision if s.revision is not None else 1 << 30)))

    @cached_property
    def header(self) -> nd30.Header:
        return nd30.read_header(self.facts.head_text)

    @cached_property
    def number(self) -> nd30.Number | None:
        return nd30.find_number(self.facts.head_text)

    @cached_property
    def date_line(self) -> nd30.DateLine | None:
        return nd30.find_date_line(self.facts.head_text)

    @cached_property
    def party(self) -> bool:
        number = self.number
        return self.header.party or bool(number and number.family == "party")
