"""Role overrides: the auditor's word on whose certificate a signature is (DOMAIN.md §4).

:mod:`docaudit.signatures.roles` guesses person or organisation from signals in the certificate
(tax codes, identity numbers, the shape of the CN). Where a CA's certificates carry none of them,
or carry misleading ones, a rule pack (``roles:`` in any ``rules/*.yaml``) or ``docaudit.toml``
(``[[rules.roles]]``) says so by subject, issuer or serial number::

    roles:
      - role: organisation
        subject: "Ủy ban nhân dân huyện Bắc Quang"   # regular expression, searched, any case
        note: "the district's seal certificate carries no MST/MNS"
      - role: person
        issuer: "CA phục vụ các cơ quan Nhà nước"
        subject: "Common Name: [^,]+ - "

Every given condition must hold (``subject`` and ``issuer`` are searched in the certificate's
names as the report prints them, ``Common Name: …, Organization: …``; ``serial`` is the serial
number in hex); the first matching override wins, ``docaudit.toml``'s before the packs'. The
role is applied where the evidence meets the rules, so the report, the database and every rule
see it, and cached evidence is never stale: changing an override changes the rules' fingerprint.
The signature's ``role_basis`` then reads ``override: <note or the conditions>``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Sequence

from ..model import Evidence, SignatureReport

ROLES = ("person", "organisation")
KEYS = {"role", "subject", "issuer", "serial", "note"}


@dataclass(frozen=True)
class RoleOverride:
    role: str
    subject: re.Pattern[str] | None = None
    issuer: re.Pattern[str] | None = None
    serial: str | None = None
    note: str = ""

    def matches(self, signature: SignatureReport) -> bool:
        if self.subject is not None and not self.subject.search(_nfc(signature.signer)):
            return False
        if self.issuer is not None and not self.issuer.search(_nfc(signature.issuer)):
            return False
        if self.serial is not None and (signature.serial or "").lower().lstrip("0") != self.serial:
            return False
        return True

    @property
    def basis(self) -> str:
        if self.note:
            return f"override: {self.note}"
        conditions = [f"{name} ~ {pattern.pattern!r}" for name, pattern in (("subject", self.subject),
                                                                            ("issuer", self.issuer)) if pattern]
        if self.serial:
            conditions.append(f"serial = {self.serial}")
        return "override: " + ", ".join(conditions)


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def parse_overrides(items: Any, where: str, error: Callable[[str], Exception]) -> tuple[RoleOverride, ...]:
    """Validate a list of overrides from a pack or a config file; ``error(message)`` builds the
    exception to raise (a rule pack error or a configuration error: exit 2, file and key named)."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise error(f"{where}: expected a list of overrides (role, subject, issuer, serial, note)")
    overrides = []
    for index, item in enumerate(items, 1):  # counted from 1, as source[N] and accepted[N] are
        at = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise error(f"{at}: expected a mapping with 'role' and a subject, issuer or serial")
        unknown = set(item) - KEYS
        if unknown:
            raise error(f"{at}: unknown key '{sorted(unknown)[0]}' (use {', '.join(sorted(KEYS))})")
        role = item.get("role")
        if role not in ROLES:
            raise error(f"{at}.role: expected person or organisation, got {role!r}")
        if not any(item.get(key) for key in ("subject", "issuer", "serial")):
            raise error(f"{at}: give at least one of subject, issuer, serial (an override for every "
                        f"certificate would replace the signals altogether)")
        patterns = {}
        for key in ("subject", "issuer"):
            value = item.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise error(f"{at}.{key}: expected a regular expression (a string), got {value!r}")
            try:
                patterns[key] = re.compile(_nfc(value), re.IGNORECASE)
            except re.error as exc:
                raise error(f"{at}.{key}: not a valid regular expression: {exc}") from None
        serial = item.get("serial")
        if serial is not None:
            text = str(serial).strip().lower().removeprefix("0x").replace(":", "")
            if not text or not re.fullmatch(r"[0-9a-f]+", text):
                raise error(f"{at}.serial: expected the serial number in hex, got {serial!r}")
            serial = text.lstrip("0") or "0"
        note = item.get("note", "")
        if not isinstance(note, str):
            raise error(f"{at}.note: expected text, got {note!r}")
        overrides.append(RoleOverride(role, patterns.get("subject"), patterns.get("issuer"), serial, note))
    return tuple(overrides)


def assign_roles(evidence: Evidence, overrides: Sequence[RoleOverride]) -> Evidence:
    """``evidence`` with each signature's role set by the first override that matches it."""
    verdict = evidence.verdict
    if not overrides or verdict is None or not verdict.signatures:
        return evidence
    changed = False
    signatures = []
    for signature in verdict.signatures:
        override = next((o for o in overrides if o.matches(signature)), None)
        if override is not None and (signature.role, signature.role_basis) != (override.role, override.basis):
            signature = replace(signature, role=override.role, role_basis=override.basis)
            changed = True
        signatures.append(signature)
    if not changed:
        return evidence
    return replace(evidence, verdict=replace(verdict, signatures=tuple(signatures)))


def fingerprint_items(overrides: Iterable[RoleOverride]) -> list[list[str]]:
    """The overrides as plain data, for the rules' fingerprint."""
    return [[o.role, o.subject.pattern if o.subject else "", o.issuer.pattern if o.issuer else "",
             o.serial or "", o.note] for o in overrides]
