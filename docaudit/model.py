"""Immutable result objects passed between the layers.

Data flows one way: register → evidence → signatures → verdicts → metrics → store/report.
Every object here is a frozen dataclass so that a layer can never change what an earlier one found.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping

from .text import Message, render


class Direction(StrEnum):
    OUTGOING = "outgoing"  # văn bản đi
    INCOMING = "incoming"  # văn bản đến


class Channel(StrEnum):
    ELECTRONIC = "electronic"  # điện tử
    PAPER = "paper"  # giấy
    BOTH = "both"  # điện tử kèm bản giấy


class FileStatus(StrEnum):
    """What became of the evidence file named by a register row."""

    NONE = "none"  # the row names no file (paper-only entry)
    PRESENT = "present"  # inside the root, read and parsed as PDF or DOCX
    MISSING = "missing"  # inside the root but not there (or not a regular file)
    UNREADABLE = "unreadable"  # there, but cannot be parsed (truncated, not PDF/DOCX, encrypted …)
    OUTSIDE_ROOT = "outside_root"  # absolute, or resolves outside the audit root: never opened


# The code of the finding (and of the "not counted" reason) for each evidence file that could not
# be used: one table for the scan's findings, the check's problems and the metrics' reasons.
PROBLEM_CODES: dict[FileStatus, str] = {
    FileStatus.MISSING: "file-missing",
    FileStatus.OUTSIDE_ROOT: "path-outside-root",
    FileStatus.UNREADABLE: "file-unreadable",
}


class Verdict(StrEnum):
    """Signature verdict of one signature or of one document (the contract (docs/REPORT.md: verdicts))."""

    VALID = "valid"
    INVALID = "invalid"
    INDETERMINATE = "indeterminate"
    UNSIGNED = "unsigned"  # documents only


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Period:
    """An inclusive date range; ``None`` ends are open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


# --------------------------------------------------------------------------- register


# The five tone marks (huyền, sắc, hỏi, ngã, nặng) as combining characters. Vowel marks (â, ă, ơ …)
# are not among them: they make another letter.
_TONE_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323")


def _tone_last(word: str) -> str:
    """A syllable with its tone mark moved to its end: ``ủy`` and ``uỷ``, ``hòa`` and ``hoà`` (the
    new and the old placement, both typed by Unikey) give the same text."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if not tones:
        return word
    return "".join(ch for ch in decomposed if ch not in _TONE_MARKS) + "".join(tones)


def agency_key(name: str) -> str:
    """What makes two spellings of an agency one agency: ``UBND huyện Bắc Quang``,
    ``UBND  Huyện Bắc Quang``, its decomposed (NFD) form, and ``UỶ BAN`` beside ``ỦY BAN`` (the
    tone mark placed the old or the new way) all give one key. Case, runs of white space, the
    Unicode form and the tone's placement are folded; accents are kept (they tell agencies
    apart). Grouping, de-duplication and ``--agency`` all compare this key."""
    folded = unicodedata.normalize("NFC", name).casefold()
    return " ".join(_tone_last(word) for word in folded.split())


def number_key(number: str) -> str:
    """A document number with case, white space and the Unicode form folded (``123/QĐ-UBND``,
    ``123 / qđ-ubnd``)."""
    return unicodedata.normalize("NFC", "".join(unicodedata.normalize("NFC", number).split()).casefold())


@dataclass(frozen=True)
class RegisterEntry:
    """One parsed row of the register (sổ đăng ký)."""

    row: int
    """Row number as the user sees it: the line of a CSV file or the row of the sheet (header = 1);
    for JSON the 1-based position in the list."""
    agency: str
    direction: Direction
    number: str
    doc_type: str
    date: dt.date
    subject: str
    counterparty: str
    channel: Channel
    via_system: bool
    file: str | None
    """Path of the evidence file, relative to the audit root, as written (trimmed, NFC); ``None`` if empty."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """Unknown extra columns, kept as text and otherwise ignored."""
    period_date: dt.date | None = None
    """The date the period filter reads when a register profile names another column than the
    document's date (an incoming register's "Ngày đến"); ``None``: :attr:`date`."""

    @property
    def in_period_on(self) -> dt.date:
        """The date the period filter reads."""
        return self.period_date or self.date

    @property
    def dedup_key(self) -> tuple[str, str, str, dt.date]:
        """(agency, direction, number, date), the agency and the number with case, spaces and the
        Unicode form folded — the contract (README: The audit folder)."""
        return (agency_key(self.agency), self.direction.value, number_key(self.number), self.date)


@dataclass(frozen=True)
class RowError:
    """A register row that could not be parsed; it is left out of every count."""

    row: int
    problems: tuple[Message, ...]
    """What is wrong with the row, one message per bad column (``row.*`` codes)."""
    agency: str | None = None
    register: str | None = None
    """The register file's name, when an audit reads several registers (the text then names it)."""
    number: str | None = None
    """The row's số, ký hiệu when it could be read: a number in the register, though the row is
    not counted (the numbering rule must not call it missing)."""

    def text(self, lang: str = "en") -> str:
        reason = "; ".join(render(problem, lang) for problem in self.problems)
        if self.register:
            return render(Message("row.in-register", (("register", self.register), ("reason", reason))), lang)
        return reason

    @property
    def reason(self) -> str:
        """The reason in English (the JSON report's ``reason``, the store's row errors)."""
        return self.text("en")

    @property
    def reason_vi(self) -> str:
        """The reason in Vietnamese (the JSON report's ``reason_vi``)."""
        return self.text("vi")


@dataclass(frozen=True)
class Register:
    source: str
    entries: tuple[RegisterEntry, ...]
    errors: tuple[RowError, ...]
    columns: tuple[str, ...] = ()


# --------------------------------------------------------------------------- signatures


@dataclass(frozen=True)
class SignatureReport:
    """What was found about one signature (or document timestamp) in a PDF."""

    field: str
    """Name of the signature form field."""
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    """ETSI-style indications (HASH_FAILURE, NO_CERTIFICATE_CHAIN_FOUND …); empty when valid."""
    kind: str = "signature"
    """``signature`` or ``timestamp`` (a /DocTimeStamp)."""
    signer: str | None = None
    """Signer certificate subject, RFC 4514 style."""
    signer_name: str | None = None
    """Common name of the signer certificate."""
    issuer: str | None = None
    serial: str | None = None
    """Certificate serial number in hex."""
    signing_time: dt.datetime | None = None
    """Claimed signing time (signed attribute or /M); the default validation time."""
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    key_algorithm: str | None = None
    key_size: int | None = None
    key_usage: tuple[str, ...] = ()
    coverage: str | None = None
    """pyHanko coverage level: ENTIRE_FILE, ENTIRE_REVISION, CONTIGUOUS_BLOCK_FROM_START, UNCLEAR."""
    modification: str | None = None
    """Worst modification after this signature: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER."""
    role: str | None = None
    """``person`` or ``organisation`` (heuristic, see ``signatures.roles``); ``None`` if unknown."""
    role_basis: str | None = None
    """Why the role was chosen, for the auditor."""
    revision: int | None = None
    page: int | None = None
    """0-based page of the visible widget, if any."""
    rect: tuple[float, float, float, float] | None = None
    """Widget rectangle (x1, y1, x2, y2) in PDF points, if visible."""
    detail: str | None = None
    """The validator's own words for a failure, for the log and the auditor."""
    path: tuple[str, ...] = ()
    """The certificate path validated to a trust anchor, by name (common name, else the readable
    subject): the signer's, each issuing CA's, the anchor's. Empty when no path was validated."""
    hierarchy: str | None = None
    """The PKI that path ends in, when a trust pack knows its anchor: ``vgca`` (Ban Cơ yếu Chính
    phủ's, for official — công vụ — signatures) or ``neac`` (the National Root CA's, public CAs)."""
    digest_accepted: bool | None = field(default=None, compare=False)
    """Whether the crypto policy accepted the digest algorithm at the time the signature was made
    (a SHA-1 signature of 2018 under ``vn``: yes); ``None`` when not judged. Rule SIG007 reads it;
    it is kept with the evidence (cache), not in the JSON report, so it takes no part in equality."""
    # online revocation (--online, issue 16 item 4) -------------------------------------------
    revocation: RevocationCheck | None = None
    """What the certificates' CAs were asked, and what they answered (``--online`` only;
    ``None`` offline: the file's own revocation data is then judged by the validator alone)."""


# online revocation (--online, issue 16 item 4) -----------------------------------------------
@dataclass(frozen=True)
class RevocationCheck:
    """The online revocation check of one signature's certificate path (``signatures/online.py``).

    The process that validates the signature (a pool worker, perhaps) lists the certificates
    whose status the file's own revocation data does not settle (``pending``); the main process
    asks their CAs, once per address and run, and records the answer (``status``)."""

    moment: dt.datetime | None = None
    """The moment the certificates must not have been revoked at (the validation moment)."""
    pending: tuple[tuple[str, str], ...] = ()
    """(certificate, its issuer) as base64 DER, for each certificate still to ask about; emptied
    once asked."""
    status: str | None = None
    """``good`` (no certificate of the path revoked at the moment), ``revoked`` or ``undecided``
    (some status could not be established: the signature is not proven valid); ``None`` until asked."""
    revoked_at: dt.datetime | None = None
    """When the certificate found revoked was revoked (also when only after the moment)."""
    sources: tuple[str, ...] = ()
    """Where the answers came from: the CRL or OCSP addresses, or ``file`` (the file's own data)."""
    problems: tuple[str, ...] = ()
    """Why a status could not be established (English, one per certificate)."""


@dataclass(frozen=True)
class DocumentVerdict:
    verdict: Verdict
    signatures: tuple[SignatureReport, ...] = ()
    reasons: tuple[str, ...] = ()


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on a document or entry (rules/ packs; ``path-outside-root`` etc.)."""

    rule: str
    severity: Severity
    wording: Message
    """What was found, as a catalogue code and its values (see :mod:`docaudit.text`)."""
    reference: str | None = None

    def text(self, lang: str = "vi") -> str:
        return render(self.wording, lang)

    @property
    def message(self) -> str:
        """The message in Vietnamese (the product's default language; the JSON report's ``message``)."""
        return render(self.wording, "vi")

    @property
    def message_en(self) -> str:
        """The message in English (the JSON report's ``message_en``)."""
        return render(self.wording, "en")


@dataclass(frozen=True)
class DocumentFacts:
    """What the format and safety rules need from a file, read once when it is opened, so rules
    (and register comparisons) can run again later without reopening it."""

    head_text: str = ""
    """Text of the first page (PDF) or the first blocks of the body, tables included (DOCX)."""
    tail_text: str = ""
    """Text of the last page (PDF) or the last blocks of the body (DOCX)."""
    page_sizes: tuple[tuple[float, float], ...] = ()
    """(width, height) in points: PDF pages (up to the first five and the last); DOCX sections."""
    margins_mm: tuple[float, float, float, float] | None = None
    """DOCX first section margins: top, bottom, left, right, in millimetres."""
    fonts: tuple[str, ...] = ()
    """DOCX body fonts, most used first."""
    legacy_fonts: tuple[str, ...] = ()
    """Fonts of a pre-Unicode Vietnamese encoding (TCVN3 .VnTime, VNI-Times) whose text was
    decoded into ``head_text`` / ``tail_text``; empty when the text is Unicode."""
    legacy_encodings: tuple[str, ...] = ()
    """The encodings of those fonts, as a message names them: "TCVN3 (ABC)", "VNI"."""
    javascript: bool = False
    launch_action: bool = False
    embedded_files: bool = False
    macros: bool = False


@dataclass(frozen=True)
class Evidence:
    """The evidence file behind one register entry."""

    path: str | None
    status: FileStatus
    kind: str | None = None
    """``pdf`` or ``docx`` once recognised."""
    problem: Message | None = None
    """Why the file is missing, unreadable or refused (``evidence.*`` codes)."""
    sha256: str | None = None
    size: int | None = None
    pages: int | None = None
    encrypted: bool = False
    image_only: bool = False
    """A PDF with pages but no text layer: a scan."""
    verdict: DocumentVerdict | None = None
    """Signature verdict; only for present files."""
    facts: DocumentFacts | None = None
    """Text facts read by the format rules; only for present files with a text layer."""
    findings: tuple[Finding, ...] = ()
    """Findings about the file itself (signature and format rules): they depend only on the
    file's bytes and the settings, so an incremental scan can reuse them."""

    @property
    def present(self) -> bool:
        return self.status is FileStatus.PRESENT

    def reason_text(self, lang: str = "en") -> str | None:
        """Why the file could not be used, in ``lang``; ``None`` if it could."""
        return None if self.problem is None else render(self.problem, lang)

    @property
    def reason(self) -> str | None:
        """Why the file could not be used, in English (the JSON report's ``file_reason``)."""
        return self.reason_text("en")


@dataclass(frozen=True)
class EntryResult:
    """A register entry with everything docaudit concluded about it."""

    entry: RegisterEntry
    evidence: Evidence
    findings: tuple[Finding, ...] = ()

    @property
    def verdict(self) -> Verdict | None:
        return self.evidence.verdict.verdict if self.evidence.verdict else None
